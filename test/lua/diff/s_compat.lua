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

-- dns on numeric addresses and localhost (no network needed). What a name resolves to comes
-- from the host's resolver configuration (/etc/hosts has "::1 localhost ip6-localhost
-- ip6-loopback" on Debian, not in every container), so where the answer is not the point a
-- scenario compares its shape: the types, the fields, the kinds of entries (shape below). The
-- "aliases" scenarios further down compare everything: both sides must ask the resolver the
-- way LuaSocket does (gethostbyname, which reports aliases), whatever the configuration says.
local function shape(v)
  if type(v) ~= "table" then return type(v) end
  local kinds, fields = {}, {}
  for k, x in pairs(v) do
    if type(k) == "number" then kinds[shape(x)] = true else fields[#fields + 1] = k .. "=" .. shape(x) end
  end
  for k in pairs(kinds) do fields[#fields + 1] = "[]=" .. k end
  table.sort(fields)
  return "{" .. table.concat(fields, ",") .. "}"
end
local function shapes(...)
  local out = { n = select("#", ...) }
  for i = 1, out.n do out[i] = shape((select(i, ...))) end
  return (table.unpack or unpack)(out, 1, out.n)
end
R("toip numeric v4", socket.dns.toip("127.0.0.1") ~= nil)
R("getaddrinfo 127.0.0.1", socket.dns.getaddrinfo("127.0.0.1"))
R("getaddrinfo ::1", socket.dns.getaddrinfo("::1"))
R("getaddrinfo unknown", socket.dns.getaddrinfo("no.such.host.invalid"))
R("toip unknown", socket.dns.toip("no.such.host.invalid"))
R("tohostname unknown", socket.dns.tohostname("no.such.host.invalid"))
R("toip empty", socket.dns.toip(""))
R("toip ::1 (not IPv4)", socket.dns.toip("::1"))
R("gethostname", type(socket.dns.gethostname()))
P("toip bad", socket.dns.toip)
P("getaddrinfo bad", socket.dns.getaddrinfo, {})

-- writable module table, socket.core
socket.myfield = 42
R("writable", require("socket").myfield)
local core = require "socket.core"
R("socket.core tcp", type(core.tcp), type(core.select))
R("toip localhost shape", shapes(socket.dns.toip("localhost")))
R("toip 127.0.0.1 shape", shapes(socket.dns.toip("127.0.0.1")))
R("toip 127.1 shape", shapes(socket.dns.toip("127.1")))
R("tohostname 127.0.0.1 shape", shapes(socket.dns.tohostname("127.0.0.1")))
R("tohostname localhost shape", shapes(socket.dns.tohostname("localhost")))
R("getaddrinfo localhost shape", shapes(socket.dns.getaddrinfo("localhost")))
R("getnameinfo 127.0.0.1 shape", shapes(socket.dns.getnameinfo("127.0.0.1")))
R("getnameinfo port shape", shapes(socket.dns.getnameinfo("127.0.0.1", 80)))
R("getnameinfo service only", socket.dns.getnameinfo(nil, "80"))
R("getnameinfo bad service", socket.dns.getnameinfo("127.0.0.1", "no-such-service"))
-- aliases: the whole answer, name, aliases and every address (duplicates included: glibc's
-- "multi on" merges the ::1 line into the IPv4 entry of localhost)
R("toip localhost aliases", socket.dns.toip("localhost"))
R("tohostname localhost aliases", socket.dns.tohostname("localhost"))
R("toip ip6-localhost aliases", socket.dns.toip("ip6-localhost"))
R("tohostname 127.0.0.1 aliases", socket.dns.tohostname("127.0.0.1"))
