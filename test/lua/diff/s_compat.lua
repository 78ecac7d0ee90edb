-- The LuaSocket top level beyond TCP objects: skip, try/newtry/protect, dns; the module table
-- is writable and require "socket.core" gives the same functions.
R("skip 1", socket.skip(1, "a", "b", "c"))
R("skip 0", socket.skip(0, "a", "b"))
R("skip 2", socket.skip(2, "a", "b"))
R("skip 5", socket.skip(5, "a", "b"))
R("skip nils", socket.skip(1, nil, nil, 3))
R("try ok", socket.try(1, nil, 3))
P("try nil", socket.try, nil, "boom")
P("try false", socket.try, false, "boom")
local ok, e = pcall(socket.try, nil, "boom")
R("try error is table", type(e), e[1])
R("protect try", socket.protect(function() socket.try(nil, "err1") end)())
R("protect ok", socket.protect(function(...) return ... end)(1, nil, 3))
R("protect count", select("#", socket.protect(function() end)()))
P("protect raw error", socket.protect(function() error("raw", 0) end))
P("protect plain table", socket.protect(function() error({ "tbl" }, 0) end))
P("protect non-function", socket.protect, 1)
local fin = 0
local t2 = socket.newtry(function() fin = fin + 1 end)
R("newtry", socket.protect(function() t2(nil, "e2") end)())
R("finalizer ran", fin)
R("newtry ok", t2("fine", 2))
R("finalizer not run", fin)
R("newtry no finalizer", socket.protect(function() socket.newtry()(false) end)())

-- protect inside a coroutine may yield (5.2+: pcall is yieldable)
if _VERSION ~= "Lua 5.1" then
  local co = coroutine.wrap(socket.protect(function(x)
    local y = coroutine.yield(x + 1)
    socket.try(nil, "after yield " .. y)
  end))
  R("yield in protect", co(1))
  R("resume in protect", co(5))
end

-- dns on numeric addresses and localhost (no network needed)
R("toip numeric v4", socket.dns.toip("127.0.0.1") ~= nil)
R("getaddrinfo 127.0.0.1", socket.dns.getaddrinfo("127.0.0.1"))
R("getaddrinfo ::1", socket.dns.getaddrinfo("::1"))
R("getaddrinfo unknown", socket.dns.getaddrinfo("no.such.host.invalid"))
R("toip unknown", socket.dns.toip("no.such.host.invalid"))
R("gethostname", type(socket.dns.gethostname()))
P("toip bad", socket.dns.toip)
P("getaddrinfo bad", socket.dns.getaddrinfo, {})

-- writable module table, socket.core
socket.myfield = 42
R("writable", require("socket").myfield)
local core = require "socket.core"
R("socket.core tcp", type(core.tcp), type(core.select))
R("toip localhost", socket.dns.toip("localhost"))
R("toip 127.0.0.1", socket.dns.toip("127.0.0.1"))
R("tohostname 127.0.0.1", socket.dns.tohostname("127.0.0.1"))
R("tohostname localhost", socket.dns.tohostname("localhost"))
R("getaddrinfo localhost", socket.dns.getaddrinfo("localhost"))
R("getnameinfo 127.0.0.1", socket.dns.getnameinfo("127.0.0.1"))
R("getnameinfo port", socket.dns.getnameinfo("127.0.0.1", 80))
