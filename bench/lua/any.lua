-- receiveany(MAX) until the feeder closes BYTES bytes later. MB/s (10^6 bytes). ltcp: its
-- receiveany; LuaSocket has none, so it runs the LuaSocket idiom for "whatever has arrived":
-- settimeout(0), receive(MAX) keeping the partial, select when nothing came.
local common = require("common")
return function(socket, port, bytes, max)
  local c = common.dial(socket, port)
  local total, calls = 0, 0
  local t0 = socket.gettime()
  common.mark()
  if c.receiveany then
    while true do
      local data, err = c:receiveany(max)
      if not data then
        if err ~= "closed" then error(err) end
        break
      end
      total = total + #data
      calls = calls + 1
    end
  else
    c:settimeout(0)
    while true do
      local data, err, partial = c:receive(max)
      data = data or partial
      total = total + #data
      calls = calls + 1
      if err == "closed" then break end
      if err == "timeout" and #data == 0 then socket.select({ c }, nil, 60) end
    end
  end
  local dt = socket.gettime() - t0
  c:close()
  if total ~= bytes then error("any: got " .. total) end
  common.result(total / dt / 1e6, { calls = calls }, dt)
end
