-- ltcp.compat: makes require "socket" and require "socket.core" return an ltcp-based table, so
-- `lua -l ltcp.compat program.lua` runs a LuaSocket TCP program on ltcp. Embedded into the ltcp
-- C module at build time (luaopen_ltcp_compat), so one binary file carries both modules.
-- The table is a fresh, writable copy: programs may add or replace fields as they do with
-- LuaSocket's. try/protect are plain Lua: pcall is yieldable on 5.2+, so protected functions may
-- yield (coroutine schedulers) as with LuaSocket's C version.
local ltcp = require "ltcp"

local socket = {}
for k, v in pairs(ltcp) do socket[k] = v end
socket.dns = {}
for k, v in pairs(ltcp.dns) do socket.dns[k] = v end
socket._VERSION = ltcp._VERSION

local select, setmetatable, getmetatable, error, pcall = select, setmetatable, getmetatable, error, pcall
local unpack = table.unpack or unpack

function socket.connect4(address, port, laddress, lport)
  return socket.connect(address, port, laddress, lport, "inet")
end

function socket.connect6(address, port, laddress, lport)
  return socket.connect(address, port, laddress, lport, "inet6")
end

-- skip(d, ...): the arguments after the first d.
function socket.skip(d, ...)
  return select(d + 1, ...)
end

-- Errors raised by try are wrapped in a table with this private metatable, so protect can tell
-- them from other errors (which it re-raises).
local wrapped = {}

function socket.newtry(finalizer)
  return function(...)
    if not (...) then
      if finalizer then finalizer() end
      error(setmetatable({ (select(2, ...)) }, wrapped), 0)
    end
    return ...
  end
end

socket.try = socket.newtry()

local function finish(ok, ...)
  if ok then return ... end
  local err = ...
  if type(err) == "table" and getmetatable(err) == wrapped then return nil, err[1] end
  error(err, 0)
end

function socket.protect(f)
  return function(...)
    return finish(pcall(f, ...))
  end
end

socket.BLOCKSIZE = 2048

package.loaded["socket.core"] = socket
package.loaded["socket"] = socket
return socket
