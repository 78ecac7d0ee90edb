-- ltcp.compat: LuaSocket's API with ltcp's TCP engine, in its three modes (LuaSocket installed;
-- LuaSocket's Lua files without its C core; nothing of LuaSocket), every load order a program can
-- produce (-l socket first, socket.core first, socket.http first, socket.core required directly),
-- the SIGPIPE rule (compat ignores it; plain ltcp does not unless asked), and the two libraries
-- side by side in one Lua state: each one's methods refuse the other's objects with an argument
-- error, and one select takes both. Programs run as subprocesses with package paths chosen to
-- show or hide LuaSocket (Linux: the paths are the system's); in-process tests need LuaSocket.
local H = dofile((arg[0]:match("^(.*[/\\])") or "") .. "harness.lua")
local ltcp = H.setup()

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

-- The system's package paths as this interpreter has them (LuaSocket lives there on Debian).
local SYS_PATH = package.path
local SYS_CPATH = package.cpath:gsub("^[^;]*" .. H.moddir:gsub("%p", "%%%0") .. "[^;]*;", "")
local MOD_CPATH = H.moddir .. "/?.so"

local function has_luasocket()
  local ok = pcall(require, "socket.core")
  package.loaded["socket.core"] = nil -- loaded only to ask; the in-process tests load it again
  return ok
end

-- Run `program` (Lua source) as `interp <opts> file` with exactly these package paths and SIGPIPE
-- at its default action. Returns its output (stdout and stderr) and its exit status.
local function run(program, opts)
  opts = opts or {}
  local file = os.tmpname()
  local f = assert(io.open(file, "w"))
  f:write(program)
  f:close()
  local path, cpath = opts.path or SYS_PATH, opts.cpath or (MOD_CPATH .. ";" .. SYS_CPATH)
  local env = {}
  for _, v in ipairs({ "", "_5_2", "_5_3", "_5_4" }) do
    env[#env + 1] = "LUA_PATH" .. v .. "=" .. q(path)
    env[#env + 1] = "LUA_CPATH" .. v .. "=" .. q(cpath)
  end
  for k, v in pairs(opts.env or {}) do env[#env + 1] = k .. "=" .. q(v) end
  local cmd = ("%s env --default-signal=PIPE %s %s %s 2>&1; echo \"EXIT:$?\"")
    :format(table.concat(env, " "), q(H.interp), opts.args or "-l ltcp.compat", q(file))
  local p = assert(io.popen(cmd))
  local out = p:read("*a")
  p:close()
  os.remove(file)
  local status = tonumber(out:match("EXIT:(%d+)%s*$"))
  return out:gsub("EXIT:%d+%s*$", ""), status
end

-- A program's own assertions print "ok" at the end; anything else is its failure message.
local function expect_ok(program, opts)
  local out, status = run(program .. "\nprint('ok')\n", opts)
  if status ~= 0 or not out:match("ok\n$") then
    error("program failed (exit " .. tostring(status) .. "):\n" .. out, 2)
  end
  return out
end

local function need_posix_and_luasocket()
  if H.windows then H.skip("subprocess paths and signals are Linux-only here") end
  if not has_luasocket() then H.skip("LuaSocket is not installed for " .. _VERSION) end
end

-- Common checks a program makes about the socket table it got (as Lua source).
local IS_LTCP = [[
  local ltcp = require "ltcp"
  local socket = require "socket"
  for _, k in ipairs({ "tcp", "tcp4", "tcp6", "connect", "select", "gettime", "sleep", "_SETSIZE" }) do
    assert(socket[k] == ltcp[k], "socket." .. k .. " is not ltcp's")
  end
  for k, v in pairs(ltcp.dns) do assert(socket.dns[k] == v, "socket.dns." .. k) end
  assert(require "socket.core" == socket, "socket.core is another table")
  assert(package.loaded["socket.http"] == nil, "compat loaded socket.http itself")
  -- a TCP round trip through the table's functions
  local server = assert(socket.bind("127.0.0.1", 0))
  local _, port = server:getsockname()
  local c = assert(socket.connect("127.0.0.1", port))
  local a = assert(server:accept())
  assert(getmetatable(a) == getmetatable(ltcp.connect("127.0.0.1", port)), "accepted: not ltcp's")
  assert(getmetatable(server) == getmetatable(ltcp.bind("127.0.0.1", 0)), "server: not ltcp's")
  assert(c:send("ping\n") == 5)
  assert(a:receive() == "ping")
]]

H.test("LuaSocket mode: LuaSocket's layer over ltcp's TCP", function()
  need_posix_and_luasocket()
  expect_ok(IS_LTCP .. [[
    assert(socket._VERSION:match("^LuaSocket"), socket._VERSION)
    assert(type(socket.udp) == "function" and type(socket.udp6) == "function", "no udp")
    for _, k in ipairs({ "sink", "source", "sinkt", "sourcet", "choose", "try", "newtry",
                         "protect", "skip", "connect4", "connect6", "BLOCKSIZE", "__unload" }) do
      assert(socket[k] ~= nil, "socket." .. k .. " missing")
    end
    -- socket.lua's own bind ran over ltcp's tcp4/tcp6 (it is Lua, ltcp's is C)
    assert(socket.bind ~= ltcp.bind, "bind is not socket.lua's")
    assert(debug.getinfo(socket.bind, "S").what == "Lua")
    -- the modules built on socket.lua load and work
    local http = require "socket.http"
    local url = require "socket.url"
    local ltn12, mime = require("ltn12"), require("mime")
    assert(require("socket.smtp") and require("socket.ftp") and require("socket.tp"))
    assert(require("socket.headers"))
    assert(mime.b64("ltcp") == "bHRjcA==")
    local t = {}
    ltn12.pump.all(ltn12.source.string("abc"), (ltn12.sink.table(t)))
    assert(t[1] == "abc")
    assert(url.parse("http://h:1/p").port == "1")
    -- http looks socket.tcp up in the shared table at call time
    local made = 0
    local tcp = socket.tcp
    socket.tcp = function() made = made + 1; return tcp() end
    local s = assert(socket.bind("127.0.0.1", 0))
    local _, p = s:getsockname()
    s:close()
    local r, e = http.request("http://127.0.0.1:" .. p .. "/")
    assert(r == nil and e == "connection refused", tostring(e))
    assert(made == 1, "socket.http did not use socket.tcp")
  ]])
end)

H.test("load order: socket, socket.core or socket.http before ltcp.compat", function()
  need_posix_and_luasocket()
  -- -l socket first: the table programs already hold is completed in place
  expect_ok([[
    local before = package.loaded.socket
    local old = before.tcp()        -- a LuaSocket object, made before compat
    local compat = require "ltcp.compat"
    assert(compat == before and require "socket" == before, "another socket table")
  ]] .. IS_LTCP .. [[
    assert(getmetatable(old) ~= getmetatable(socket.tcp()), "old object changed class")
    assert(old:close() == 1, "old LuaSocket object still works")
  ]], { args = "-l socket" })
  -- -l socket.core first: socket.lua then runs over that same core table
  expect_ok([[
    local core = package.loaded["socket.core"]
    assert(package.loaded.socket == nil)
    require "ltcp.compat"
    assert(require "socket" == core, "socket is not the core table")
    assert(core.sink, "socket.lua did not run")
  ]] .. IS_LTCP, { args = "-l socket.core" })
  -- a core that registered itself as package.loaded.socket (LUA_COMPAT_MODULE builds, old
  -- LuaSocket releases on 5.1): socket.lua must still run over it
  expect_ok([[
    local core = package.loaded["socket.core"]
    assert(package.loaded.socket == core)
    require "ltcp.compat"
    assert(require "socket" == core and core.sink and core.sourcet, "socket.lua did not run")
  ]] .. IS_LTCP, { args = "-e " .. q("package.loaded.socket = require 'socket.core'") })
  -- socket.http loaded before compat: it still goes through ltcp (it looks tcp up per request)
  expect_ok([[
    local http = package.loaded["socket.http"]
    require "ltcp.compat"
    local socket, ltcp = require("socket"), require("ltcp")
    local made = 0
    socket.tcp = function() made = made + 1; return ltcp.tcp() end
    local r, e = http.request("http://127.0.0.1:1/")
    assert(r == nil and made == 1, "socket.http bypassed socket.tcp")
  ]], { args = "-l socket.http" })
  -- compat first, then a program that requires socket.core directly
  expect_ok([[
    local core = require "socket.core"
    assert(core == require "socket")
    assert(core.tcp == require("ltcp").tcp)
  ]])
  -- loading compat twice (e.g. -l and require) is harmless
  expect_ok(IS_LTCP .. [[
    assert(require "ltcp.compat" == socket)
  ]], { args = "-l ltcp.compat -l ltcp.compat" })
end)

H.test("standalone mode: LuaSocket hidden", function()
  if H.windows then H.skip("subprocess paths are Linux-only here") end
  local opts = { path = H.moddir .. "/?.lua", cpath = MOD_CPATH }
  local out = expect_ok(IS_LTCP .. [[
    assert(socket._VERSION:match("^ltcp"), socket._VERSION)
    assert(socket.udp == nil and socket.sink == nil, "LuaSocket leaked in")
    assert(socket.bind == ltcp.bind)
    assert(socket.ignoresigpipe == nil, "an ltcp-only name in the socket table")
    for _, k in ipairs({ "try", "newtry", "protect", "skip", "connect4", "connect6" }) do
      assert(socket[k], "socket." .. k .. " missing")
    end
    local function fails(name)
      local ok, err = pcall(require, name)
      assert(not ok, name .. " loaded")
      return err
    end
    for _, m in ipairs({ "socket.http", "socket.smtp", "socket.ftp", "socket.url", "ltn12", "mime" }) do
      local err = fails(m)
      assert(err:find("module '" .. m .. "' not found", 1, true), err)
      assert(err:find("ltcp.compat: '" .. m .. "' is one of LuaSocket's Lua modules", 1, true), err)
      assert(err:find("install LuaSocket's Lua files", 1, true), err)
      assert(not err:find("\n\n", 1, true), "blank line in: " .. err)
    end
    local err = fails("mime.core")
    assert(err:find("LuaSocket's C modules", 1, true), err)
    print(fails("socket.http"))
  ]], opts)
  -- the message as a user sees it, one line per place looked at
  H.ok(out:match("\n\tltcp%.compat: 'socket%.http' is one of LuaSocket's Lua modules"), out)
end)

H.test("LuaSocket's Lua files without its C core", function()
  need_posix_and_luasocket()
  expect_ok(IS_LTCP .. [[
    assert(socket.udp == nil, "LuaSocket's core was loaded")
    assert(socket.sink and socket.sourcet and socket.choose, "socket.lua did not run")
    assert(socket._VERSION:match("^ltcp"))
    local ok, err = pcall(require, "socket.http") -- needs mime.core, LuaSocket's C
    assert(not ok and err:find("mime.core", 1, true) and err:find("LuaSocket's C modules", 1, true), err)
    assert(require("socket.url") and require("ltn12"))
  ]], { cpath = MOD_CPATH })
end)

-- A TLS pair in one process (LuaSec over ltcp objects), the server side closes, the client
-- writes until it fails. Without an ignored SIGPIPE OpenSSL's write kills the process.
local TLS_DEAD_PEER = [[
  local ltcp, ssl = require("ltcp"), require("ssl")
  local dir = os.getenv("LTCP_TEST_TLS")
  local server = assert(ltcp.bind("127.0.0.1", 0))
  local _, port = server:getsockname()
  local c = assert(ltcp.tcp())
  assert(c:connect("127.0.0.1", port))
  local a = assert(server:accept())
  local sc = assert(ssl.wrap(c, { mode = "client", protocol = "any", verify = "none" }))
  local sa = assert(ssl.wrap(a, { mode = "server", protocol = "any", verify = "none",
    certificate = dir .. "/cert.pem", key = dir .. "/key.pem" }))
  sc:settimeout(0)
  sa:settimeout(0)
  local done_c, done_s
  for _ = 1, 2000 do
    done_c = done_c or sc:dohandshake()
    done_s = done_s or sa:dohandshake()
    if done_c and done_s then break end
    ltcp.select({ sc, sa }, nil, 0.01)
  end
  assert(done_c and done_s, "handshake")
  sa:close()
  server:close()
  local r, e
  sc:settimeout(2)
  for i = 1, 200 do
    r, e = sc:send(("x"):rep(4096))
    if not r then break end
    ltcp.sleep(0.005)
  end
  assert(r == nil, "writes kept succeeding")
  print("write failed: " .. tostring(e))
]]

H.test("SIGPIPE: compat ignores it, plain ltcp only on request", function()
  if H.windows then H.skip("no SIGPIPE on Windows") end
  local SIGIGN = [[
    local function sigpipe_ignored()
      local f = assert(io.open("/proc/self/status"))
      local hex = f:read("*a"):match("SigIgn:%s*(%x+)")
      f:close()
      return math.floor(tonumber(hex:sub(-4), 16) / 4096) % 2 == 1
    end
  ]]
  local hidden = { path = H.moddir .. "/?.lua", cpath = MOD_CPATH }
  expect_ok(SIGIGN .. [[
    assert(not sigpipe_ignored(), "ignored at start")
    local ltcp = require "ltcp"
    local s = ltcp.tcp4()
    s:close()
    assert(not sigpipe_ignored(), "plain ltcp changed SIGPIPE")
    assert(ltcp.ignoresigpipe() == true)
    assert(sigpipe_ignored(), "ignoresigpipe did not")
    assert(ltcp.ignoresigpipe() == true, "second call")
  ]], { args = "", path = hidden.path, cpath = hidden.cpath })
  expect_ok(SIGIGN .. [[assert(sigpipe_ignored(), "standalone compat did not ignore SIGPIPE")]],
    hidden)
  -- the real thing: LuaSec writing to a dead peer over ltcp objects
  if not pcall(require, "ssl") then H.skip("LuaSec is not installed for " .. _VERSION) end
  local dir = os.tmpname()
  os.remove(dir)
  H.ok(os.execute("mkdir " .. q(dir) .. " && openssl req -x509 -newkey ec -pkeyopt " ..
    "ec_paramgen_curve:prime256v1 -nodes -keyout " .. q(dir .. "/key.pem") .. " -out " ..
    q(dir .. "/cert.pem") .. " -days 2 -subj /CN=localhost >/dev/null 2>&1"), "openssl req")
  local function tls_run(pre)
    return run(pre .. TLS_DEAD_PEER, { args = "", env = { LTCP_TEST_TLS = dir } })
  end
  local out1, st1 = tls_run("")
  local out2, st2 = tls_run("assert(require('ltcp').ignoresigpipe())\n")
  local out3, st3 = tls_run("require 'ltcp.compat'\n")
  os.execute("rm -rf " .. q(dir))
  -- no opt-in: the process dies of SIGPIPE (the shell reports 128 + 13)
  H.eq(st1, 141, "plain ltcp + LuaSec, dead peer: exit status (output: " .. out1 .. ")")
  H.eq(st2, 0, "with ltcp.ignoresigpipe(): " .. out2)
  H.ok(out2:find("write failed: ", 1, true), out2)
  H.eq(st3, 0, "under ltcp.compat: " .. out3)
end, 40)

H.test("both libraries in one state: no method runs on the other's object", function()
  -- in-process: also under Wine, where ctest points LUA_PATH/LUA_CPATH at a Windows LuaSocket
  if not has_luasocket() then H.skip("LuaSocket is not installed for " .. _VERSION) end
  local lscore = require "socket.core" -- LuaSocket's own, before compat
  local ls_tcp, ls_udp = lscore.tcp, lscore.udp
  local socket = require "ltcp.compat"
  H.ok(socket == lscore and socket.tcp == ltcp.tcp, "compat completed LuaSocket's core")
  -- a LuaSocket TCP client and an ltcp TCP server talk to each other
  local server = assert(socket.bind("127.0.0.1", 0))
  local _, port = server:getsockname()
  local lc = assert(ls_tcp())
  lc:settimeout(5)
  H.eq(lc:connect("127.0.0.1", port), 1)
  server:settimeout(5)
  local a = assert(server:accept())
  a:settimeout(5)
  local c = assert(ltcp.connect("127.0.0.1", port))
  local a2 = assert(server:accept())
  local lu = assert(ls_udp())
  assert(lu:setsockname("127.0.0.1", 0))
  H.eq(tostring(lc):match("^[^:]+"), "tcp{client}")
  H.eq(tostring(a):match("^[^:]+"), "tcp{client}")
  H.ok(getmetatable(lc) ~= getmetatable(a), "the two tcp{client} classes are distinct")

  -- ltcp's methods (and metamethods) on LuaSocket's objects
  local ours = getmetatable(a)
  local function refuses(f, obj, ...)
    local ok, err = pcall(f, obj, ...)
    H.ok(not ok, "accepted a foreign object")
    H.ok(tostring(err):find("bad argument #1", 1, true) and tostring(err):find("expected", 1, true), err)
  end
  for _, m in ipairs({ "send", "receive", "close", "getfd", "setfd", "settimeout", "getpeername",
                       "getstats", "setoption", "getoption", "shutdown", "dirty" }) do
    refuses(ours.__index[m], lc, 1)
    refuses(ours.__index[m], lu, 1)
  end
  refuses(ours.__gc, lc)
  refuses(ours.__gc, lu)
  if ours.__close then refuses(ours.__close, lc) end
  refuses(getmetatable(server).__index.accept, lc)
  -- LuaSocket's methods (and metamethods) on ltcp's objects
  local theirs = getmetatable(lc)
  for _, m in ipairs({ "send", "receive", "close", "getfd", "setfd", "settimeout", "getpeername",
                       "getstats", "setoption", "getoption", "shutdown", "dirty", "connect" }) do
    refuses(theirs.__index[m], a, 1)
    refuses(theirs.__index[m], server, 1)
  end
  refuses(theirs.__gc, a)
  refuses(getmetatable(lu).__index.sendto, a, "x", "127.0.0.1", 1)
  refuses(getmetatable(lu).__gc, c)
  -- what LuaSocket's checks look at: the registry entry of the class name, and group fields in
  -- the metatable; ltcp's metatables are never the former and carry none of the latter
  local reg = debug.getregistry()
  for _, obj in ipairs({ a, server, ltcp.tcp() }) do
    local mt = getmetatable(obj)
    for _, name in ipairs({ "tcp{master}", "tcp{client}", "tcp{server}", "udp{connected}",
                            "udp{unconnected}" }) do
      H.ok(reg[name] ~= mt, "registry[" .. name .. "] is ltcp's metatable")
    end
    for k in pairs(mt) do
      H.ok(not tostring(k):find("{", 1, true), "group-like key in ltcp's metatable: " .. tostring(k))
    end
  end
  -- both still work, and one select takes both libraries' objects
  H.eq(lc:send("from luasocket\n"), 15)
  H.eq(a:receive(), "from luasocket")
  H.eq(a:send("from ltcp\n"), 10)
  H.eq(c:send("x\n"), 2)
  local r = {}
  local t0 = ltcp.gettime()
  repeat
    r = socket.select({ lc, a2, lu }, nil, 0.2)
  until (r[lc] and r[a2]) or ltcp.gettime() - t0 > 5
  H.ok(r[lc] and r[a2] and not r[lu], "mixed select")
  H.eq(lc:receive(), "from ltcp")
  H.eq(a2:receive(), "x")
  for _, o in ipairs({ lc, a, a2, c, lu, server }) do o:close() end
end)

H.run()
