-- ltcp.compat: LuaSocket with ltcp's TCP engine. `lua -l ltcp.compat program.lua` runs a LuaSocket
-- program unchanged. Embedded into the ltcp C module at build time (luaopen_ltcp_compat), so one
-- binary file carries both modules. What a program gets depends on what is installed:
--
--  * LuaSocket mode (LuaSocket's C core, socket.core, is already loaded or on package.cpath):
--    the socket table IS LuaSocket's core table. ltcp's tcp, tcp4, tcp6, connect, select,
--    gettime, sleep, dns functions and _SETSIZE are written into it in place (so a module that
--    loaded LuaSocket before us sees them too); udp, udp4, udp6, skip, newtry, protect, _VERSION
--    and the rest stay LuaSocket's. Then LuaSocket's own socket.lua runs over it (adding bind,
--    connect4/6, try, choose, sink, source, ...), and with it socket.http, socket.smtp,
--    socket.ftp, socket.tp, socket.url, socket.headers, ltn12 and mime: LuaSocket's files, over
--    ltcp's TCP objects.
--  * Standalone (no LuaSocket core): a fresh, writable table with ltcp's functions and Lua
--    versions of skip/try/newtry/protect/connect4/connect6. If LuaSocket's Lua files are on
--    package.path anyway, socket.lua runs over that table in the same way.
--
-- Load order: package.loaded["socket.core"] is set to the core table before socket.lua is
-- required (socket.lua starts with require "socket.core"), and package.loaded.socket ends up
-- as the table socket.lua returns (the same table). If the program required "socket" before
-- us, that table is completed in place instead. socket.http and friends are never loaded here
-- (Copas, for one, must be required before socket.http).
-- Process-level behaviour copied from LuaSocket: SIGPIPE is ignored (POSIX; LuaSec's OpenSSL
-- writes to the descriptor itself). A last package searcher explains, for socket.http & co.,
-- that LuaSocket's Lua files are needed when they are not installed.
local ltcp = require "ltcp"

local loaded = package.loaded
local pairs, ipairs, pcall, type, error = pairs, ipairs, pcall, type, error
local select, setmetatable, getmetatable = select, setmetatable, getmetatable

ltcp.ignoresigpipe()

-- require name, or nil when the module is not installed; any other failure is raised.
local function optional(name)
  local ok, mod = pcall(require, name)
  if ok then return mod end
  if type(mod) == "string" and mod:find("module '" .. name .. "' not found", 1, true) then
    return nil
  end
  error(mod, 0)
end

-- What ltcp provides in every mode, whatever LuaSocket's core has.
local FROM_LTCP = { "tcp", "tcp4", "tcp6", "connect", "select", "gettime", "sleep", "_SETSIZE" }

local function put_ltcp(t)
  for _, k in ipairs(FROM_LTCP) do t[k] = ltcp[k] end
  local dns = t.dns
  if type(dns) ~= "table" then
    dns = {}
    t.dns = dns
  end
  for k, v in pairs(ltcp.dns) do dns[k] = v end -- in place: holders of socket.dns see ltcp's
end

-- ---- Lua versions of what LuaSocket's core (skip, newtry, protect) or socket.lua (connect4,
-- connect6, bind, try, BLOCKSIZE) would provide; used only where those are missing. ----
local lua_core = {}

function lua_core.skip(d, ...)
  return select(d + 1, ...)
end

-- Errors raised by try are wrapped in a table with this private metatable, so protect can tell
-- them from other errors (which it re-raises). pcall is yieldable on 5.2+, so protected
-- functions may yield (coroutine schedulers) as with LuaSocket's C version.
local wrapped = {}

function lua_core.newtry(finalizer)
  return function(...)
    if not (...) then
      if finalizer then finalizer() end
      error(setmetatable({ (select(2, ...)) }, wrapped), 0)
    end
    return ...
  end
end

local function finish(ok, ...)
  if ok then return ... end
  local err = ...
  if type(err) == "table" and getmetatable(err) == wrapped then return nil, err[1] end
  error(err, 0)
end

function lua_core.protect(f)
  return function(...)
    return finish(pcall(f, ...))
  end
end

local function fill_core(t)
  for k, v in pairs(lua_core) do
    if t[k] == nil then t[k] = v end
  end
end

local function fill_socket_lua(t)
  if t.connect4 == nil then
    t.connect4 = function(address, port, laddress, lport)
      return t.connect(address, port, laddress, lport, "inet")
    end
  end
  if t.connect6 == nil then
    t.connect6 = function(address, port, laddress, lport)
      return t.connect(address, port, laddress, lport, "inet6")
    end
  end
  if t.bind == nil then t.bind = ltcp.bind end
  if t.try == nil then t.try = t.newtry() end
  if t.BLOCKSIZE == nil then t.BLOCKSIZE = 2048 end
end

-- ---- the core table ----
local core = loaded["socket.core"]
if type(core) ~= "table" then core = optional("socket.core") end
if type(core) == "table" then
  put_ltcp(core)
else
  core = {}
  for k, v in pairs(ltcp) do
    if k ~= "ignoresigpipe" then core[k] = v end
  end
  core.dns = {}
  put_ltcp(core)
end
fill_core(core)
loaded["socket.core"] = core

-- ---- the socket table: LuaSocket's socket.lua over the core, when it is installed ----
local socket = loaded.socket
if type(socket) == "table" and socket ~= core then
  -- loaded before us over some other core table: complete that table too
  put_ltcp(socket)
  fill_core(socket)
elseif socket ~= core or core.sourcet == nil then
  -- socket.lua has not run over this core yet (nothing loaded, or a core built with
  -- LUA_COMPAT_MODULE that registered itself as package.loaded.socket, as old LuaSocket
  -- releases do on 5.1)
  loaded.socket = nil
  socket = optional("socket")
  if type(socket) ~= "table" then
    socket = core
    loaded.socket = core
  end
end
fill_socket_lua(socket)

-- ---- a clear message where LuaSocket's other modules are not installed ----
local LUA_FILES = {
  ["socket.http"] = true, ["socket.smtp"] = true, ["socket.ftp"] = true, ["socket.tp"] = true,
  ["socket.url"] = true, ["socket.headers"] = true, ["socket.mbox"] = true, ["ltn12"] = true,
  ["mime"] = true,
}
local C_MODULES = { ["mime.core"] = true, ["socket.unix"] = true, ["socket.serial"] = true }
-- 5.4's require puts "\n\t" before each searcher's message itself; 5.1-5.3 expect it in it.
local prefix = _VERSION == "Lua 5.4" and "" or "\n\t"

local function explain(name)
  if LUA_FILES[name] then
    return prefix .. "ltcp.compat: '" .. name .. "' is one of LuaSocket's Lua modules, which " ..
      "ltcp does not ship: install LuaSocket's Lua files (socket.lua, socket/*.lua, ltn12.lua, " ..
      "mime.lua) on package.path; without them ltcp.compat provides only the socket core " ..
      "(TCP, select, dns)"
  elseif C_MODULES[name] then
    return prefix .. "ltcp.compat: '" .. name .. "' is one of LuaSocket's C modules, which " ..
      "ltcp does not ship: install LuaSocket (its C modules on package.cpath)"
  end
  return nil
end

-- Last, so installed files always win (require runs this once per state: no duplicates).
local searchers = package.searchers or package.loaders
if type(searchers) == "table" then searchers[#searchers + 1] = explain end

return socket
