-- Run by run_real.lua with -e before anything else loads: the scenario must start with SIGPIPE
-- at its default action (env --default-signal=PIPE), or a test of who ignores it proves nothing
-- (an ignored SIGPIPE is inherited across fork and exec). Linux only (Windows: no SIGPIPE).
local f = package.config:sub(1, 1) == "/" and io.open("/proc/self/status", "r")
if f then
  local hex = f:read("*a"):match("SigIgn:%s*(%x+)")
  f:close()
  if hex and math.floor(tonumber(hex:sub(-4), 16) / 4096) % 2 == 1 then
    error("precheck: SIGPIPE is already ignored when the scenario starts")
  end
end
