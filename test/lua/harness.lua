-- Tiny test runner for the Lua tests. usage from a test file:
--   local H = dofile("harness.lua"); local ltcp = H.setup()   -- arg[1]: module dir, arg[2]: interpreter
--   H.test("name", function() H.eq(1, 1) end); H.run()
-- Every test runs under a watchdog: a count hook checks the wall clock (ltcp.gettime) and raises
-- once the test's budget (default 20 s, times H.slowdown) is spent, so a runaway Lua loop fails
-- instead of hanging;
-- blocking calls are bounded by the tests' own settimeout calls, and ctest's TIMEOUT is the last
-- resort. Tests use loopback and port 0 only.
local H = {}
local tests = {}
local ltcp

-- How much slower than native this run is (slow legs: Wine, sanitizers): ctest sets
-- CK_TIMEOUT_MULTIPLIER from LTCP_TEST_SLOWDOWN, as for the C suites. Budgets scale by it.
H.slowdown = math.max(1, math.min(1000, tonumber(os.getenv("CK_TIMEOUT_MULTIPLIER") or "") or 1))

function H.setup()
  local moddir = assert(arg[1], "usage: test.lua <module dir> [interpreter]")
  H.interp = arg[2] or "lua"
  H.moddir = moddir
  H.windows = package.config:sub(1, 1) == "\\"
  package.cpath = moddir .. "/?." .. (H.windows and "dll" or "so") .. ";" .. package.cpath
  if jit then jit.off() end -- count hooks do not fire inside compiled traces
  ltcp = require "ltcp"
  H.ltcp = ltcp
  return ltcp
end

function H.test(name, fn, budget)
  tests[#tests + 1] = { name = name, fn = fn, budget = budget or 20 }
end

local function fmt(v)
  if type(v) == "string" then return string.format("%q", v) end
  if math.type and type(v) == "number" then return math.type(v) .. " " .. tostring(v) end
  return tostring(v)
end

function H.eq(got, want, what)
  if got ~= want then
    error(("%s: expected %s, got %s"):format(what or "value", fmt(want), fmt(got)), 2)
  end
end

function H.ok(v, what)
  if not v then error((what or "assertion") .. " failed", 2) end
  return v
end

-- f(...) must raise an error whose message contains `pattern` (plain text).
function H.raises(pattern, f, ...)
  local ok, err = pcall(f, ...)
  if ok then error("expected an error containing " .. fmt(pattern), 2) end
  if not tostring(err):find(pattern, 1, true) then
    error(("error %s does not contain %s"):format(fmt(err), fmt(pattern)), 2)
  end
  return err
end

-- Shapes: H.same({...}, {...}) compares counts and values of two argument lists.
function H.pack(...) return { n = select("#", ...), ... } end
function H.same(got, want, what)
  H.eq(got.n, want.n, (what or "results") .. " count")
  for i = 1, want.n do H.eq(got[i], want[i], (what or "results") .. " #" .. i) end
end

-- A connected pair over loopback: server-side a, client c, server s.
function H.pair(host)
  host = host or "127.0.0.1"
  local s = assert(ltcp.bind(host, 0))
  local _, port = s:getsockname()
  local c = assert(ltcp.tcp())
  c:settimeout(5)
  assert(c:connect(host, tonumber(port)))
  s:settimeout(5)
  local a = assert(s:accept())
  a:settimeout(5)
  return a, c, s, tonumber(port)
end

function H.has_ipv6()
  local s = ltcp.tcp6()
  local ok = s and s:bind("::1", 0)
  if s then s:close() end
  return ok and true or false
end

function H.skip(why) error({ skip = why }, 0) end

function H.run()
  local failed, skipped = 0, 0
  for i, t in ipairs(tests) do
    local deadline = ltcp.gettime() + t.budget * H.slowdown
    debug.sethook(function()
      if ltcp.gettime() > deadline then
        debug.sethook()
        error("watchdog: test ran longer than " .. t.budget * H.slowdown .. " s", 2)
      end
    end, "", 1000)
    local ok, err = xpcall(t.fn, function(e)
      if type(e) == "table" then return e end
      return debug.traceback(tostring(e), 2)
    end)
    debug.sethook()
    collectgarbage()
    if ok then
      print(("ok %d %s"):format(i, t.name))
    elseif type(err) == "table" and err.skip then
      skipped = skipped + 1
      print(("ok %d %s # SKIP %s"):format(i, t.name, err.skip))
    else
      failed = failed + 1
      print(("not ok %d %s\n  %s"):format(i, t.name, tostring(err):gsub("\n", "\n  ")))
    end
  end
  print(("%d tests, %d failed, %d skipped (%s)"):format(#tests, failed, skipped, _VERSION))
  os.exit(failed == 0 and 0 or 1)
end

return H
