-- Module shape, classes and their errors, object lifetime (__gc, __close), ports as misuse.
local H = dofile((arg[0]:match("^(.*[/\\])") or "") .. "harness.lua")
local ltcp = H.setup()

H.test("module loads without globals and has the API", function()
  for _, f in ipairs { "tcp", "tcp4", "tcp6", "connect", "bind", "select", "gettime", "sleep" } do
    H.eq(type(ltcp[f]), "function", f)
  end
  H.eq(ltcp._VERSION, "ltcp 0.1.0", "_VERSION")
  H.eq(rawget(_G, "ltcp"), nil, "global ltcp")
  H.eq(rawget(_G, "socket"), nil, "global socket")
end)

H.test("classes: metatable per class, class field, tostring", function()
  local m = ltcp.tcp()
  H.eq(m.class, "tcp{master}")
  H.ok(tostring(m):match("^tcp{master}: 0x%x+$") or tostring(m):match("^tcp{master}: %x+$"),
    "tostring " .. tostring(m))
  local a, c, s = H.pair()
  H.eq(a.class, "tcp{client}")
  H.eq(s.class, "tcp{server}")
  H.ok(getmetatable(a) == getmetatable(c), "clients share a metatable")
  H.ok(getmetatable(a) ~= getmetatable(s), "server has its own")
  H.ok(getmetatable(m) ~= getmetatable(s), "master has its own")
  H.eq(getmetatable(s).__index.class, "tcp{server}")
  a:close(); c:close(); s:close(); m:close()
end)

H.test("wrong class raises naming both classes", function()
  local m = ltcp.tcp()
  -- LuaJIT does not name C functions in argument errors ('?')
  H.raises(jit and "bad argument #1 to '?' (tcp{client} expected, got tcp{master})"
    or "bad argument #1 to 'receive' (tcp{client} expected, got tcp{master})",
    function() return m.receive(m) end)
  -- method-call syntax: Lua's own wording for argument 1, as with LuaSocket
  H.raises("(tcp{client} expected, got tcp{master})", function() return m:receive() end)
  H.raises("(tcp{server} expected, got tcp{master})", function() return m:accept() end)
  H.raises("(tcp{client} expected, got string)", m.send, "x", "y")
  H.raises("(tcp{any} expected, got nil)", m.close, nil)
  local fake = setmetatable({}, getmetatable(m)) -- a table with our metatable is not an object
  H.raises("tcp{any} expected, got table", m.getfd, fake)
  m:close()
end)

H.test("getfd is an integer; -1 when there is none", function()
  local m = ltcp.tcp()
  H.eq(m:getfd(), -1, "unspec master")
  if math.type then H.eq(math.type(m:getfd()), "integer", "math.type") end
  local m4 = ltcp.tcp4()
  H.ok(m4:getfd() >= 0, "tcp4 has a socket")
  if math.type then H.eq(math.type(m4:getfd()), "integer", "math.type") end
  m4:close()
  H.eq(m4:getfd(), -1, "after close")
end)

H.test("ports: out of range, non-integers and names are errors", function()
  local m = ltcp.tcp()
  H.raises("port out of range", m.bind, m, "127.0.0.1", -1)
  H.raises("port out of range", m.bind, m, "127.0.0.1", 65536)
  H.raises("port out of range", m.bind, m, "127.0.0.1", 1.5)
  H.raises("invalid port 'http'", m.bind, m, "127.0.0.1", "http")
  H.raises("port expected, got nil", m.bind, m, "127.0.0.1", nil)
  H.raises("port out of range [1..65535]", m.connect, m, "127.0.0.1", 0)
  H.raises("port out of range", ltcp.connect, "127.0.0.1", 70000)
  H.raises("port out of range", ltcp.bind, "127.0.0.1", -5)
  H.eq(m.class, "tcp{master}", "still a master")
  H.eq(m:bind("127.0.0.1", "0"), 1, "numeric string port")
  m:close()
end)

H.test("__gc closes the socket", function()
  local s = assert(ltcp.bind("127.0.0.1", 0))
  local _, port = s:getsockname()
  s = nil
  collectgarbage()
  collectgarbage()
  -- the port is free again: a new server can bind it without reuseaddr tricks failing
  local again = ltcp.tcp4()
  again:setoption("reuseaddr", true)
  H.eq(again:bind("127.0.0.1", tonumber(port)), 1, "rebind after gc")
  again:close()
end)

H.test("__close on Lua 5.4", function()
  if _VERSION ~= "Lua 5.4" then H.skip("no to-be-closed variables") end
  local f = assert(load([[
    local ltcp = ...
    local kept
    do
      local s <close> = ltcp.tcp4()
      kept = s
      assert(s:getfd() >= 0)
    end
    return kept
  ]]))
  local s = f(ltcp)
  H.eq(s:getfd(), -1, "closed at scope end")
  H.eq(s:close(), 1, "close again")
end)

H.test("close is idempotent; methods after close report closed", function()
  local a, c, s = H.pair()
  H.eq(c:close(), 1)
  H.eq(c:close(), 1)
  H.same(H.pack(c:receive()), H.pack(nil, "closed", ""))
  H.same(H.pack(c:receive(3, "pre")), H.pack(nil, "closed", "pre"))
  H.same(H.pack(c:send("abc", 2)), H.pack(nil, "closed", 1))
  H.same(H.pack(c:getsockname()), H.pack(nil, "Bad file descriptor"))
  H.eq(c.class, "tcp{client}", "class kept after close")
  a:close(); s:close()
end)

H.test("reloading the module pairs init and cleanup", function()
  package.loaded.ltcp = nil
  local again = require "ltcp"
  H.ok(again ~= ltcp, "a new module table")
  local a, c, s = H.pair()
  H.eq(c:send("x"), 1)
  H.eq(a:receive(1), "x")
  -- objects from one load are not objects of the other (each load has its own classes)
  H.raises("tcp{client} expected", again.tcp().receive, a)
  a:close(); c:close(); s:close()
  package.loaded.ltcp = ltcp
end)

H.test("gettime and sleep", function()
  local t0 = ltcp.gettime()
  H.ok(t0 > 1.5e9, "epoch seconds")
  ltcp.sleep(0.02)
  local dt = ltcp.gettime() - t0
  H.ok(dt >= 0.015 and dt < 2, "slept " .. dt)
  H.eq(select("#", ltcp.sleep(0)), 0, "sleep returns nothing")
  H.raises("number expected", ltcp.sleep, "x")
end)

H.run()
