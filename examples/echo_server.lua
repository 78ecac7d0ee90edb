-- Line echo server over loopback with ltcp: one process, many clients, driven by ltcp.select
-- with non-blocking sockets (partial lines are kept and passed back as the receive prefix).
-- usage: lua echo_server.lua [port]      (port 0 or absent: the system picks one)
-- Prints "listening on 127.0.0.1 <port>" first. A client line "quit" stops the server; it also
-- stops by itself after 60 idle seconds.
local ltcp = require "ltcp"

local server = assert(ltcp.bind("127.0.0.1", tonumber(arg[1]) or 0))
server:settimeout(0)
local _, port = server:getsockname()
io.write("listening on 127.0.0.1 ", port, "\n")
io.stdout:flush()

local clients = {}   -- list of client objects
local partial = {}   -- client -> unfinished line
local running = true

local function drop(c)
  for i, x in ipairs(clients) do
    if x == c then table.remove(clients, i) break end
  end
  partial[c] = nil
  c:close()
end

while running do
  local recvt = { server }
  for _, c in ipairs(clients) do recvt[#recvt + 1] = c end
  local ready, _, err = ltcp.select(recvt, nil, 60)
  if err == "timeout" then break end
  for _, s in ipairs(ready) do
    if s == server then
      local c = server:accept()
      if c then
        c:settimeout(0)
        clients[#clients + 1] = c
      end
    else
      local line, rerr, part = s:receive("*l", partial[s])
      if line then
        partial[s] = nil
        if line == "quit" then
          s:send("bye\n")
          running = false
        else
          s:settimeout(1) -- replies are small: a short blocking send is fine
          s:send(line .. "\n")
          s:settimeout(0)
        end
      elseif rerr == "timeout" then
        partial[s] = part
      else -- closed
        drop(s)
      end
    end
  end
end

for i = #clients, 1, -1 do clients[i]:close() end
server:close()
