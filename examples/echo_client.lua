-- Line echo client for echo_server.lua, with ltcp.
-- usage: lua echo_client.lua [port [message...]]
-- Without a port it starts echo_server.lua itself (same interpreter, port 0), talks to it and
-- stops it with "quit": a one-command loopback demo.
local ltcp = require "ltcp"

local port = tonumber(arg[1])
local spawned
if not port then
  local interp = arg[-1] or "lua"
  local dir = (arg[0]:match("^(.*[/\\])") or "")
  spawned = assert(io.popen(('"%s" "%secho_server.lua" 0'):format(interp, dir), "r"))
  local first = spawned:read("*l") or ""
  port = tonumber(first:match("listening on %S+ (%d+)"))
  assert(port, "server did not start: " .. first)
end

local messages = { select(2, ...) }
if #messages == 0 then messages = { "hello", "ltcp", "echo" } end

local c = assert(ltcp.connect("127.0.0.1", port))
c:settimeout(5)
for _, m in ipairs(messages) do
  assert(c:send(m .. "\n"))
  local reply, err = c:receive("*l")
  print(reply or ("error: " .. tostring(err)))
end
if spawned then
  c:send("quit\n")
  print((c:receive("*l")))
end
c:close()
if spawned then spawned:close() end
