-- A test double for telescope, the test runner lua-redis's own suite is written for (telescope
-- is not packaged by Debian). It implements what that suite uses: context/before/after/test,
-- telescope.make_assertion and the built-in assert_* functions, and prints one line per test:
--   PASS / context / test
--   FAIL / context / test :: message
-- then "total N pass P fail F". ci/thirdparty.sh compares these lines under LuaSocket and ltcp.
local M = {}
local unpack = table.unpack or unpack
local root = { children = {}, before = {}, after = {} }
local cur = root

function context(name, fn)
  local c = { name = name, children = {}, before = {}, after = {} }
  table.insert(cur.children, c)
  local outer = cur
  cur = c
  fn()
  cur = outer
end
function before(fn) table.insert(cur.before, fn) end
function after(fn) table.insert(cur.after, fn) end
function test(name, fn) table.insert(cur.children, { name = name, fn = fn }) end

local function fail(msg) error({ telescope_failure = msg }, 3) end

function M.make_assertion(name, message, check)
  local function describe(...)
    local n, args = select("#", ...), { ... }
    for i = 1, n do args[i] = tostring(args[i]) end
    local ok, text = pcall(string.format, message, unpack(args, 1, n))
    return ok and text or message
  end
  _G["assert_" .. name] = function(...)
    if not check(...) then fail("expected " .. describe(...)) end
  end
  _G["assert_not_" .. name] = function(...)
    if check(...) then fail("expected not " .. describe(...)) end
  end
end

M.make_assertion("equal", "'%s' to equal '%s'", function(a, b) return a == b end)
M.make_assertion("true", "'%s' to be true", function(a) return a == true end)
M.make_assertion("false", "'%s' to be false", function(a) return a == false end)
M.make_assertion("nil", "'%s' to be nil", function(a) return a == nil end)
M.make_assertion("type", "'%s' to be of type '%s'", function(a, t) return type(a) == t end)
M.make_assertion("lte", "'%s' to be <= '%s'", function(a, b) return a <= b end)
M.make_assertion("gte", "'%s' to be >= '%s'", function(a, b) return a >= b end)
M.make_assertion("greater_than", "'%s' to be > '%s'", function(a, b) return a > b end)
M.make_assertion("less_than", "'%s' to be < '%s'", function(a, b) return a < b end)
M.make_assertion("empty", "'%s' to be empty", function(a) return next(a) == nil end)
M.make_assertion("error", "a call to raise an error", function(f) return not pcall(f) end)

-- Runs every test; before hooks from the outermost context in, after hooks from the innermost
-- out. Returns the number of failed tests.
function M.run()
  local passed, failed = 0, 0
  local function walk(node, path, befores, afters)
    local b, a = { unpack(befores) }, {}
    for _, f in ipairs(node.before) do b[#b + 1] = f end
    for _, f in ipairs(node.after) do a[#a + 1] = f end
    for _, f in ipairs(afters) do a[#a + 1] = f end
    for _, child in ipairs(node.children) do
      local name = path .. " / " .. child.name
      if child.fn then
        local ok, err = pcall(function()
          for _, f in ipairs(b) do f() end
          child.fn()
        end)
        for _, f in ipairs(a) do pcall(f) end
        if ok then
          passed = passed + 1
          print("PASS" .. name)
        else
          failed = failed + 1
          local msg = type(err) == "table" and err.telescope_failure or tostring(err)
          print("FAIL" .. name .. " :: " .. tostring(msg):gsub("\n", " "))
        end
      else
        walk(child, name, b, a)
      end
    end
  end
  walk(root, "", {}, {})
  print(("total %d pass %d fail %d"):format(passed + failed, passed, failed))
  return failed
end

return M
