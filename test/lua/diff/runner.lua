-- Runs one differential scenario under one implementation and prints every recorded result.
-- usage: lua runner.lua luasocket|ltcp|standalone <module dir> <scenario.lua>
-- A scenario gets a global `socket` (LuaSocket's, or ltcp's through ltcp.compat) and records
-- results with R(label, ...): the count of values, each value's type (math.type on 5.3+) and the
-- value itself. Values that legitimately vary between runs (ports, fds, ages) are wrapped in
-- V(x), which records only the type. X(label, ...) records a result where ltcp differs from
-- LuaSocket on purpose (listed in docs/lua-differences.md): the driver shows it, never fails on it.
-- K(label, ...) records a known core gap the same way (see below).
local impl, moddir, scenario = arg[1], arg[2], arg[3]
io.stdout:setvbuf("line")

-- ltcp: ltcp.compat where LuaSocket is installed (LuaSocket's Lua layer and UDP over ltcp's
-- TCP); standalone: ltcp.compat with LuaSocket hidden (its own Lua skip/try/protect/bind).
if impl == "ltcp" or impl == "standalone" then
  local sep = package.config:sub(1, 1)
  local ext = sep == "\\" and "dll" or "so"
  if impl == "standalone" then
    package.path = moddir .. "/?.lua"
    package.cpath = moddir .. "/?." .. ext
  else
    package.cpath = moddir .. "/?." .. ext .. ";" .. package.cpath
  end
  require "ltcp.compat"
end
socket = require "socket"
unpack = table.unpack or unpack

local mtype = math.type or function() return "number" end
local volatile = {}

function V(x)
  return setmetatable({ x }, volatile)
end

local function norm_str(s)
  return (s:gsub("0x%x+", "ADDR"):gsub("%(nil%)", "ADDR"))
end

local ser
local function ser_key(k)
  if type(k) == "string" then return string.format("%q", k) end
  return ser(k)
end

function ser(v, depth)
  depth = depth or 0
  local t = type(v)
  if t == "nil" or t == "boolean" then return tostring(v) end
  if t == "number" then
    local mt = mtype(v)
    if mt == "integer" then return "integer:" .. string.format("%d", v) end
    if v ~= v then return mt .. ":nan" end
    return mt .. ":" .. string.format("%.14g", v)
  end
  if t == "string" then return "string:" .. string.format("%q", norm_str(v)):gsub("\n", "n") end
  if t == "table" then
    if getmetatable(v) == volatile then
      local x = v[1]
      local xt = type(x)
      if xt == "number" then xt = mtype(x) end
      return "<" .. xt .. ">"
    end
    if depth > 3 then return "table:..." end
    local items = {}
    for k, x in pairs(v) do
      items[#items + 1] = "[" .. ser_key(k) .. "]=" .. ser(x, depth + 1)
    end
    table.sort(items)
    return "{" .. table.concat(items, ",") .. "}"
  end
  if t == "userdata" then return "userdata:" .. norm_str(tostring(v)) end
  return t
end

local function record(prefix, label, ...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = ser((select(i, ...))) end
  print(prefix .. label .. "\t#" .. n .. "\t" .. table.concat(parts, " | "))
end

function R(label, ...) record("", label, ...) end
function X(label, ...) record("~", label, ...) end
-- P: like R, for a call that may raise (records pcall's results).
function P(label, f, ...) record("", label, pcall(f, ...)) end
function PX(label, f, ...) record("~", label, pcall(f, ...)) end
-- K: a known difference caused by a core bug or gap, reported to the core's owner and listed
-- in docs/lua-differences.md ("Known core gaps"); shown by the driver, not failing, until fixed.
function K(label, ...) record("!", label, ...) end

-- A connected pair over loopback: server-side client `a`, client `c`, the server `s`, the port.
function pair(host)
  host = host or "127.0.0.1"
  local s = assert(socket.bind(host, 0))
  local _, port = s:getsockname()
  local c = socket.tcp()
  c:settimeout(5)
  assert(c:connect(host, tonumber(port)))
  s:settimeout(5)
  local a = assert(s:accept())
  a:settimeout(5)
  return a, c, s, tonumber(port)
end

-- A port with nobody listening (bound, then closed).
function deadport()
  local s = assert(socket.bind("127.0.0.1", 0))
  local _, port = s:getsockname()
  s:close()
  return tonumber(port)
end

local ok, err = pcall(dofile, scenario)
if not ok then
  print("SCENARIO ERROR\t" .. tostring(err))
  os.exit(1)
end
print("END")
