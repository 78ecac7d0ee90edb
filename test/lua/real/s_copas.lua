-- modes: standalone (Copas over ltcp.compat alone, LuaSocket hidden)
-- Copas (Debian's lua-copas, a coroutine scheduler over socket.select) in one process: a TCP
-- echo server with five client threads, a download of 3 MB and an upload of 2 MB through
-- copas.wrap (checked by hash on both ends), and, where LuaSocket's UDP is there, a UDP echo
-- server beside the TCP one. Skipped on Lua versions Debian packages no Copas for.
local R = dofile((arg[0]:match("^(.*[/\\])") or "") .. "real.lua")
local socket = R.socket()
local ok_copas, copas = pcall(require, "copas")
if not ok_copas then R.skip("Copas is not installed for " .. _VERSION) end

R.main(function()
local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
port = tonumber(port)
local DOWN, UP = 3 * 1024 * 1024, 2 * 1024 * 1024
local download = R.body(DOWN)
local upload = R.body(UP):reverse()
local log = {}

copas.addserver(server, function(raw)
  local skt = copas.wrap(raw)
  while true do
    local line = skt:receive("*l")
    if not line then break end
    local n = line:match("^GET (%d+)$")
    local m = line:match("^PUT (%d+)$")
    if n then
      skt:send(download:sub(1, tonumber(n)))
    elseif m then
      local data = skt:receive(tonumber(m))
      skt:send(#data .. " " .. R.adler32(data) .. "\n")
    else
      skt:send(line .. "\n")
    end
  end
end)

local echoes, done = {}, 0
for i = 1, 5 do
  copas.addthread(function()
    local raw = socket.tcp()
    assert(copas.connect(raw, "127.0.0.1", port))
    local c = copas.wrap(raw)
    for j = 1, 3 do
      c:send(("c%d-m%d\n"):format(i, j))
      local line = c:receive()
      echoes[#echoes + 1] = line
    end
    raw:close()
    done = done + 1
  end)
end

local got_down, up_reply
copas.addthread(function()
  local raw = socket.tcp()
  assert(copas.connect(raw, "127.0.0.1", port))
  local c = copas.wrap(raw)
  c:send("GET " .. DOWN .. "\n")
  got_down = c:receive(DOWN)
  c:send("PUT " .. UP .. "\n")
  c:send(upload)
  up_reply = c:receive()
  raw:close()
  done = done + 1
end)

local udp_reply
local nthreads = 6
if socket.udp then
  nthreads = 7
  local userver = assert(socket.udp())
  assert(userver:setsockname("127.0.0.1", 0))
  local _, uport = userver:getsockname()
  copas.addserver(userver, function(u)
    u = copas.wrap(u)
    local data, ip, p = u:receivefrom()
    u:sendto("echo:" .. data, ip, p)
  end)
  copas.addthread(function()
    local u = socket.udp()
    assert(u:setpeername("127.0.0.1", uport))
    u:settimeout(0)
    local w = copas.wrap(u)
    w:send("ping over udp")
    udp_reply = w:receive()
    u:close()
    done = done + 1
  end)
end

local t0 = socket.gettime()
while done < nthreads and socket.gettime() - t0 < 30 do copas.step(0.1) end
R.eq(done, nthreads, "threads finished")

table.sort(echoes)
R.out("echoes", #echoes, echoes[1], echoes[15])
R.eq(got_down, download, "3 MB download")
R.out("download", #got_down, R.adler32(got_down))
R.eq(up_reply, UP .. " " .. R.adler32(upload), "server's length and hash of the upload")
R.out("upload", up_reply)
if socket.udp then R.eq(udp_reply, "echo:ping over udp", "udp echo") end
server:close()
end)
