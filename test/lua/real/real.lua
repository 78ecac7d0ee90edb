-- Helpers for the real-program scenarios (test/lua/real/s_*.lua). A scenario is an ordinary
-- LuaSocket program: run_real.lua runs it with `lua s_x.lua` (LuaSocket) and with
-- `lua -l ltcp.compat s_x.lua` (ltcp), and compares what both print. Here:
--   R.out(label, ...)   one observation line (values with their types), compared across runs
--   R.check(v, msg)     a requirement of the scenario itself: fails the run at once
--   R.spawn(cmd)        a server or client process with its PID (killed by PID, watchdog'd)
--   R.body(n), R.adler32(s)   the bodies servers.py sends, and the hash both sides compute
-- Environment from the driver: LTCP_REAL_IMPL = luasocket | ltcp | standalone (what the run
-- must be on; R.socket() checks it), LTCP_REAL_TMP (a scratch directory for this run).
local R = {}

R.dir = (arg and arg[0] and arg[0]:match("^(.*[/\\])")) or "./"
R.impl = os.getenv("LTCP_REAL_IMPL") or "luasocket"
R.tmp = os.getenv("LTCP_REAL_TMP") or "/tmp"
R.python = os.getenv("LTCP_REAL_PYTHON") or "python3"
R.life = tonumber(os.getenv("LTCP_REAL_LIFE") or "90") -- seconds any spawned process may live

io.stdout:setvbuf("line")

local mtype = math.type or function() return "number" end

local function ser(v)
  local t = type(v)
  if t == "number" then
    local m = mtype(v)
    if m == "integer" then return "i:" .. string.format("%d", v) end
    return "f:" .. string.format("%.14g", v)
  end
  if t == "string" then return string.format("%q", v):gsub("\n", "n") end
  if t == "nil" or t == "boolean" then return tostring(v) end
  return t
end

function R.out(label, ...)
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = ser((select(i, ...))) end
  print(label .. "\t#" .. select("#", ...) .. "\t" .. table.concat(parts, " | "))
end

function R.check(v, msg)
  if not v then error("check failed: " .. tostring(msg), 2) end
  return v
end

function R.eq(got, want, msg)
  if got ~= want then
    local function short(x)
      x = tostring(x)
      return #x > 120 and (x:sub(1, 120) .. "...(" .. #x .. " bytes)") or x
    end
    error(("check failed: %s: expected %s, got %s"):format(msg, short(want), short(got)), 2)
  end
end

-- The socket module of this run, after checking that the run is on the implementation the
-- driver asked for (so an ltcp run can never silently test LuaSocket, or the other way round).
function R.socket()
  local socket = require "socket"
  local ltcp = package.loaded.ltcp
  if R.impl == "luasocket" then
    R.check(ltcp == nil, "the LuaSocket run loaded ltcp")
  else
    R.check(ltcp and socket.tcp == ltcp.tcp, "the ltcp run does not use ltcp's tcp")
    if R.impl == "standalone" then
      R.check(socket.udp == nil, "standalone run sees LuaSocket's core")
    else
      R.check(socket.udp ~= nil and socket.sink ~= nil, "LuaSocket mode lacks LuaSocket's layer")
    end
  end
  return socket
end

-- servers.py's body: lines "%07d <letters>\n", cut at n bytes.
local alpha = ("abcdefghijklmnopqrstuvwxyz"):rep(4)
local bodies = {}
function R.body(n)
  if bodies[n] then return bodies[n] end
  local parts, len, i = {}, 0, 0
  local format, sub = string.format, string.sub
  while len < n do
    i = i + 1
    local from = i % 26 + 1 -- letters (i + k) % 26 for k = 0 .. i % 61 - 1
    local line = format("%07d %s\n", i, sub(alpha, from, from + i % 61 - 1))
    parts[i] = line
    len = len + #line
  end
  local s = table.concat(parts):sub(1, n)
  bodies[n] = s
  return s
end

-- Adler-32 as zlib computes it, as 8 hex digits; plain arithmetic (no bit operators on 5.1).
function R.adler32(s)
  local a, b = 1, 0
  local byte, n = string.byte, #s
  for i = 1, n, 4096 do
    local t = { byte(s, i, math.min(i + 4095, n)) }
    for k = 1, #t do
      a = a + t[k]
      b = b + a
    end
    a = a % 65521
    b = b % 65521
  end
  return string.format("%04x%04x", b, a)
end

local function shquote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end
R.shquote = shquote

R.spawned = {}

-- Start `cmd` (a shell command line) in the background, under `timeout` (the watchdog). The
-- shell prints its PID, then execs timeout, which keeps that PID and passes a TERM on to cmd.
-- opts.stderr: where its stderr goes (default: merged into the stdout we read).
-- Returns a handle: h.pid, h:line() (next output line), h:readall(), h:kill(), h:wait().
function R.spawn(cmd, opts)
  opts = opts or {}
  local redir = opts.stderr and (" 2>" .. opts.stderr) or " 2>&1"
  local line = "echo $$; exec timeout " .. R.life .. " " .. cmd .. redir
  local f = assert(io.popen(line, "r"))
  local pid = tonumber(f:read("*l"))
  R.check(pid, "spawn: no pid from " .. cmd)
  local h = { pid = pid, f = f }
  R.spawned[#R.spawned + 1] = h
  function h:line() return self.f:read("*l") end
  function h:readall() return self.f:read("*a") end
  function h:kill()
    if not self.closed then
      os.execute("kill " .. self.pid .. " 2>/dev/null")
      self:wait()
    end
  end
  function h:wait()
    if not self.closed then
      self.closed = true
      self.rest = self.f:read("*a")
      self.f:close()
    end
    return self.rest
  end
  return h
end

-- servers.py in `mode`: the handle, with h.port from its "PORT <port> PID <pid>" line.
function R.server(mode, ...)
  local args = { R.python, R.dir .. "servers.py", mode }
  for i = 1, select("#", ...) do args[#args + 1] = (select(i, ...)) end
  for i = 1, #args do args[i] = shquote(args[i]) end
  local h = R.spawn(table.concat(args, " ") .. " --life " .. R.life)
  local first = h:line() or ""
  h.port = tonumber(first:match("^PORT (%d+) PID %d+$"))
  if not h.port then error("servers.py " .. mode .. " did not start: " .. first .. h:wait(), 2) end
  return h
end

-- Run a shell command to completion; true when it exited 0.
function R.run(cmd)
  local ok, how, code = os.execute(cmd)
  if type(ok) == "number" then return ok == 0 end -- 5.1
  return ok == true and how == "exit" and code == 0
end

function R.readfile(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

function R.writefile(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

-- A self-signed certificate and key for localhost, made now (EC P-256: fast).
function R.cert()
  local cert, key = R.tmp .. "/cert.pem", R.tmp .. "/key.pem"
  R.check(R.run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes " ..
    "-keyout " .. shquote(key) .. " -out " .. shquote(cert) ..
    " -days 2 -subj /CN=localhost >/dev/null 2>&1"), "openssl req failed")
  return cert, key
end

-- A TCP port nobody listens on (bound by the OS, then closed).
function R.deadport(socket)
  local s = assert(socket.bind("127.0.0.1", 0))
  local _, port = s:getsockname()
  s:close()
  return tonumber(port)
end

-- Bounded wait on the wall clock for cond() (polled every `step` seconds).
function R.waitfor(socket, cond, limit, step)
  local t0 = socket.gettime()
  while not cond() do
    if socket.gettime() - t0 > (limit or 10) then return false end
    socket.sleep(step or 0.02)
  end
  return true
end

-- Skip the whole scenario (exit 77 with a reason); only for a dependency that is really
-- missing on this Lua version (the driver reports it, it never counts as a pass).
function R.skip(why)
  print("SKIP\t" .. why)
  os.exit(77)
end

-- Run the scenario: on any error, print it, kill every process it spawned (closing a popen
-- handle waits for its process) and exit 1; on success kill what is left and print END.
function R.main(fn)
  local ok, err = xpcall(fn, debug.traceback)
  for i = #R.spawned, 1, -1 do R.spawned[i]:kill() end
  if not ok then
    print("ERROR\t" .. tostring(err):gsub("\n", "\n\t"))
    os.exit(1)
  end
  print("END")
end

return R
