-- Real-program differential driver: runs one scenario (an ordinary LuaSocket program) under
-- LuaSocket (`lua s_x.lua`) and under ltcp (`lua -l ltcp.compat s_x.lua`), with the same
-- interpreter and the same kind of local servers; both runs must pass the scenario's own checks
-- and print the same observations. A scenario that lists "standalone" in its first line
-- (`-- modes: standalone`) also runs under ltcp.compat with LuaSocket hidden (package.path and
-- cpath hold only ltcp and the scenario's other libraries): that run must pass its checks.
-- usage: lua run_real.lua <module dir> <interpreter> <scenario.lua>
-- Windows builds run the interpreter (lua.exe) under a wrapper from the Linux host:
--   LTCP_REAL_WRAP=wine                     the command before the interpreter
--   LTCP_REAL_LUA_PATH / LTCP_REAL_LUA_CPATH  LUA_PATH / LUA_CPATH of every run (where the
--                                           Windows LuaSocket build is); ltcp.dll comes first
--                                           in the ltcp run's cpath.
-- Exit 0 pass, 1 fail, 77 skipped (LuaSocket not installed for this interpreter, or the
-- scenario says a library it needs is not packaged for this Lua version).
local moddir, interp, scenario = arg[1], arg[2], arg[3]
assert(moddir and interp and scenario, "usage: run_real.lua <module dir> <interpreter> <scenario>")
local here = arg[0]:match("^(.*[/\\])") or "./"
io.stdout:setvbuf("line")

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

local function tmpdir()
  local p = io.popen("mktemp -d /tmp/ltcp-real.XXXXXX")
  local d = p:read("*l")
  p:close()
  assert(d and d ~= "", "mktemp failed")
  return d
end

-- Where require would find `name` on `path` (package.searchpath is 5.2+).
local function findfile(name, path)
  local fname = name:gsub("%.", "/")
  for template in path:gmatch("[^;]+") do
    local f = template:gsub("%?", fname)
    local h = io.open(f, "rb")
    if h then
      h:close()
      return f
    end
  end
  return nil
end

-- A directory with links to only the named modules, so that a run can see LuaSec or Copas
-- without LuaSocket's files beside them.
local function isolate(dir, luamods, cmods)
  os.execute("mkdir -p " .. q(dir))
  for _, m in ipairs(luamods) do
    local f = findfile(m, package.path)
    if f then
      local dest = dir .. "/" .. m:gsub("%.", "/") .. ".lua"
      os.execute("mkdir -p " .. q(dest:match("^(.*)/")) .. " && ln -sf " .. q(f) .. " " .. q(dest))
    end
  end
  for _, m in ipairs(cmods) do
    local f = findfile(m, package.cpath)
    if f then os.execute("ln -sf " .. q(f) .. " " .. q(dir .. "/" .. m .. ".so")) end
  end
end

local wrap = os.getenv("LTCP_REAL_WRAP")
local run_path, run_cpath = os.getenv("LTCP_REAL_LUA_PATH"), os.getenv("LTCP_REAL_LUA_CPATH")
local ext = interp:match("%.exe$") and "dll" or "so"
local function with_ext(path) return (path:gsub("%.so", "." .. ext)) end

-- Found without loading it: loading LuaSocket here would ignore SIGPIPE in the driver, and the
-- runs would inherit that.
if not (findfile("socket.core", with_ext(run_cpath or package.cpath)) and
        findfile("socket", run_path or package.path)) then
  print("LuaSocket is not installed for this interpreter: real-program tests skipped")
  os.exit(77)
end

local function run(impl)
  local tmp = tmpdir()
  local pre
  if impl == "luasocket" then
    pre = ""
  elseif impl == "ltcp" then
    pre = "-e " .. q("package.cpath=" .. ("%q"):format(moddir .. "/?." .. ext .. ";") ..
      "..package.cpath") .. " -l ltcp.compat"
  else -- standalone: LuaSocket hidden, LuaSec and Copas kept
    local iso = tmp .. "/lib"
    isolate(iso, { "ssl", "ssl.https", "ssl.options", "copas", "coxpcall" }, { "ssl" })
    local path = iso .. "/?.lua;" .. iso .. "/?/init.lua"
    local cpath = moddir .. "/?.so;" .. iso .. "/?.so"
    pre = "-e " .. q(("package.path=%q package.cpath=%q"):format(path, cpath)) .. " -l ltcp.compat"
  end
  -- SIGPIPE back to its default action (whoever started us may ignore it), checked by the run
  -- itself before anything loads (precheck.lua)
  local env = ""
  if run_path then env = env .. "LUA_PATH=" .. q(run_path) .. " LUA_PATH_5_4=" .. q(run_path) .. " " end
  if run_cpath then env = env .. "LUA_CPATH=" .. q(run_cpath) .. " LUA_CPATH_5_4=" .. q(run_cpath) .. " " end
  local cmd = ("cd %s && %sLTCP_REAL_IMPL=%s LTCP_REAL_TMP=%s env --default-signal=PIPE %s%s -e %s %s %s 2>&1")
    :format(q(here), env, impl, q(tmp), wrap and (wrap .. " ") or "", q(interp),
      q("dofile('precheck.lua')"), pre, q(scenario))
  local f = assert(io.popen(cmd, "r"))
  local lines = {}
  for line in f:lines() do lines[#lines + 1] = (line:gsub("\r$", "")) end -- Windows: CRLF
  local ok, how, code = f:close()
  if type(ok) == "number" then code = ok end -- 5.1: close gives no status
  os.execute("rm -rf " .. q(tmp))
  return lines, code
end

local function normalize(line)
  -- our class errors add ", got <class>" (docs/lua-differences.md), the 5.4 function names in
  -- argument errors follow the module table a function is found in
  line = line:gsub("(expected), got [^)]-%)", "%1)")
  line = line:gsub("'socket%.core%.(%w+)'", "'MOD.%1'")
  line = line:gsub("'socket%.(%w+)'", "'MOD.%1'")
  line = line:gsub("'ltcp%.(%w+)'", "'MOD.%1'")
  return line
end

local function show(title, lines)
  print("---- " .. title)
  for _, l in ipairs(lines) do print("  " .. l) end
end

local first = io.open(here .. scenario, "r"):read("*l") or ""
local impls = { "luasocket", "ltcp" }
if first:match("^%-%- modes:.*standalone") and not wrap then impls[#impls + 1] = "standalone" end

local out, skipped, failed = {}, 0, 0
for _, impl in ipairs(impls) do
  local lines, code = run(impl)
  out[impl] = lines
  local last = lines[#lines] or ""
  if last:match("^SKIP\t") then
    skipped = skipped + 1
    print(("%s: skipped (%s)"):format(impl, last:sub(6)))
  elseif last ~= "END" then
    failed = failed + 1
    print(("%s: FAILED (did not reach END, status %s)"):format(impl, tostring(code)))
    show(impl .. " output", lines)
  else
    print(("%s: passed its checks, %d observations"):format(impl, #lines - 1))
  end
end

if skipped == #impls then os.exit(77) end
if skipped > 0 and failed == 0 then
  print("some runs skipped and others not: the scenario's skip must not depend on the implementation")
  failed = failed + 1
end

local a, b = out.luasocket, out.ltcp
if failed == 0 then
  local diffs = 0
  for i = 1, math.max(#a, #b) do
    local x, y = normalize(a[i] or "<missing>"), normalize(b[i] or "<missing>")
    if x ~= y then
      diffs = diffs + 1
      print(("DIFF line %d\n  luasocket: %s\n  ltcp:      %s"):format(i, x, y))
    end
  end
  if diffs > 0 then failed = failed + 1 end
  print(("%s: %d lines compared, %d differences"):format(scenario, math.max(#a, #b), diffs))
end
os.exit(failed == 0 and 0 or 1)
