-- A real LuaSocket consumer on ltcp.compat: Copas (Debian's lua-copas) runs an echo server and
-- five client coroutines in one process. Skipped where Copas is not installed for this Lua.
local H = dofile((arg[0]:match("^(.*[/\\])") or "") .. "harness.lua")
local ltcp = H.setup()

H.test("copas echo over ltcp.compat", function()
  local socket = require "ltcp.compat"
  local ok, copas = pcall(require, "copas")
  if not ok then H.skip("copas is not installed for " .. _VERSION) end
  H.ok(require("socket") == socket, "copas sees ltcp")
  local server = assert(socket.bind("127.0.0.1", 0))
  local _, port = server:getsockname()
  local results = {}
  copas.addserver(server, function(skt)
    skt = copas.wrap(skt)
    while true do
      local line = skt:receive()
      if not line then break end
      skt:send(line .. "\n")
    end
  end)
  for i = 1, 5 do
    copas.addthread(function()
      local raw = socket.tcp()
      assert(copas.connect(raw, "127.0.0.1", tonumber(port)))
      local c = copas.wrap(raw)
      for j = 1, 3 do
        c:send(("c%d-m%d\n"):format(i, j))
        local line = c:receive() -- yields: take the index after it
        results[#results + 1] = line
      end
      raw:close()
    end)
  end
  local t0 = ltcp.gettime()
  while #results < 15 and ltcp.gettime() - t0 < 10 do copas.step(0.1) end
  H.eq(#results, 15, "echoes")
  table.sort(results)
  H.eq(results[1], "c1-m1")
  H.eq(results[15], "c5-m3")
  server:close()
end, 30)

H.run()
