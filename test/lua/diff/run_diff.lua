-- Differential suite driver: runs every scenario under LuaSocket (the oracle) and under ltcp
-- (through ltcp.compat, in both of its modes), with the same interpreter, and compares the
-- recorded results line by line. Lines a scenario marks as deliberate differences (X/PX) are
-- shown but never fail.
-- Two normalizations apply to both outputs, both documented in docs/lua-differences.md:
-- our class errors add ", got <class>", and Lua 5.4 names functions in error messages by the
-- module table it finds them in (socket.core.select vs ltcp.select).
-- usage: lua run_diff.lua <module dir> <interpreter> [scenario...]; exit 77 when LuaSocket is
-- not installed for this interpreter.
local moddir, interp = arg[1], arg[2]
local scenarios = { "s_module.lua", "s_io.lua", "s_conn.lua", "s_options.lua", "s_select.lua",
  "s_nonblock.lua", "s_compat.lua", "s_eyeballs.lua" }
if arg[3] then scenarios = { select(3, (table.unpack or unpack)(arg)) } end

if not pcall(require, "socket") then
  print("LuaSocket is not installed for this interpreter: differential suite skipped")
  os.exit(77)
end

local function quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local function run(impl, scenario)
  local cmd = table.concat({ quote(interp), "runner.lua", impl, quote(moddir), quote(scenario) }, " ")
  local f = assert(io.popen(cmd .. " 2>&1", "r"))
  local lines = {}
  for line in f:lines() do lines[#lines + 1] = line end
  f:close()
  return lines
end

local function normalize(line)
  line = line:gsub("(expected), got [^)]-%)", "%1)")
  line = line:gsub("'socket%.core%.(%w+)'", "'MOD.%1'")
  line = line:gsub("'socket%.(%w+)'", "'MOD.%1'")
  line = line:gsub("'ltcp%.compat%.(%w+)'", "'MOD.%1'")
  line = line:gsub("'ltcp%.(%w+)'", "'MOD.%1'")
  return line
end

-- Each scenario under LuaSocket, then under ltcp.compat in both of its modes: with LuaSocket
-- installed ("ltcp": LuaSocket's own socket.lua and C helpers over ltcp's TCP) and with it
-- hidden ("standalone": compat's own skip/try/protect and ltcp's bind).
local failures, compared, deliberate, known = 0, 0, 0, 0

local function compare(scenario, impl, a, b)
  for i = 1, math.max(#a, #b) do
    local x, y = normalize(a[i] or "<missing>"), normalize(b[i] or "<missing>")
    compared = compared + 1
    if x ~= y then
      local mark = x:sub(1, 1)
      if (mark == "~" or mark == "!") and x:match("^[^\t]*") == y:match("^[^\t]*") then
        if mark == "~" then deliberate = deliberate + 1 else known = known + 1 end
        print(("%s %s:%d (%s)\n  luasocket: %s\n  ltcp:      %s"):format(
          mark == "~" and "deliberate" or "known core gap", scenario, i, impl, x, y))
      else
        failures = failures + 1
        print(("DIFF %s:%d (%s)\n  luasocket: %s\n  ltcp:      %s"):format(scenario, i, impl, x, y))
      end
    end
  end
  if a[#a] ~= "END" or b[#b] ~= "END" then
    failures = failures + 1
    print(("INCOMPLETE %s (%s): luasocket ended %q, ltcp ended %q"):format(scenario, impl,
      tostring(a[#a]), tostring(b[#b])))
  end
end

-- Each scenario under LuaSocket, then under ltcp.compat in both of its modes: with LuaSocket
-- installed ("ltcp": LuaSocket's own socket.lua and C helpers over ltcp's TCP) and with it
-- hidden ("standalone": compat's own skip/try/protect and ltcp's bind).
for _, scenario in ipairs(scenarios) do
  local a = run("luasocket", scenario)
  for _, impl in ipairs({ "ltcp", "standalone" }) do compare(scenario, impl, a, run(impl, scenario)) end
end
print(("%d scenarios, %d lines compared, %d deliberate differences, %d known core gaps, %d failures")
  :format(#scenarios, compared, deliberate, known, failures))
os.exit(failures == 0 and 0 or 1)
