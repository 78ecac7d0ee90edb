-- ltcp.compat: `lua -l ltcp.compat program.lua` runs a LuaSocket program on ltcp.
local H = dofile((arg[0]:match("^(.*[/\\])") or "") .. "harness.lua")
local ltcp = H.setup()

local function q(s) return '"' .. s:gsub('[\\"$`]', "\\%0") .. '"' end

H.test("require socket gives the ltcp-based table", function()
  local compat = require "ltcp.compat"
  local socket = require "socket"
  H.ok(compat == socket, "same table")
  H.ok(require "socket.core" == socket, "socket.core")
  H.eq(socket.tcp, ltcp.tcp, "tcp is ltcp's")
  socket.extra = 1 -- writable
  H.eq(require("socket").extra, 1)
  H.eq(socket.skip(1, "a", "b"), "b")
  H.eq(socket._SOCKETINVALID, -1)
end)

H.test("lua -l ltcp.compat program.lua", function()
  if H.windows then H.skip("popen quoting of the Windows shell") end
  local tmp = os.tmpname()
  local f = assert(io.open(tmp, "w"))
  f:write([[
    local socket = require "socket"
    assert(socket._VERSION:match("^ltcp"), socket._VERSION)
    local server = assert(socket.bind("127.0.0.1", 0))
    local _, port = server:getsockname()
    local c = assert(socket.connect("127.0.0.1", port))
    local a = assert(server:accept())
    local get = socket.protect(function()
      local try = socket.newtry(function() c:close() end)
      try(c:send("ping\n"))
      return (try(a:receive()))
    end)
    print(get())
  ]])
  f:close()
  local cpath = H.moddir .. "/?.so;" .. package.cpath
  local cmd = ("LUA_CPATH=%s LUA_CPATH_5_2=%s LUA_CPATH_5_3=%s LUA_CPATH_5_4=%s %s -l ltcp.compat %s 2>&1")
    :format(q(cpath), q(cpath), q(cpath), q(cpath), q(H.interp), q(tmp))
  local p = assert(io.popen(cmd))
  local out = p:read("*a")
  p:close()
  os.remove(tmp)
  H.eq(out, "ping\n", "program output")
end)

H.run()
