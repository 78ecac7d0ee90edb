-- select without FD_SETSIZE: descriptors above 1024, many entries, foreign objects, order.
local H = dofile((arg[0]:match("^(.*[/\\])") or "") .. "harness.lua")
local ltcp = H.setup()

H.test("descriptors above FD_SETSIZE", function()
  if H.windows then H.skip("SOCKET handles are not small integers on Windows") end
  local keep, pairs_ = {}, {}
  -- push the descriptor numbers past 1024 with idle servers (never readable: no one connects;
  -- an unconnected master would be, as poll and select report it hung up)
  for i = 1, 1100 do
    local m = ltcp.bind("127.0.0.1", 0)
    if not m then
      for _, x in ipairs(keep) do x:close() end
      H.skip("cannot open 1100 sockets here (ulimit -n)")
    end
    keep[#keep + 1] = m
  end
  local ok, a, c, s = pcall(H.pair)
  if not ok then
    for _, x in ipairs(keep) do x:close() end
    H.skip("cannot open more sockets: " .. tostring(a))
  end
  H.ok(a:getfd() > 1024, "fd " .. a:getfd() .. " above FD_SETSIZE")
  c:send("hi\n")
  local r, w, err = ltcp.select({ a }, { c }, 5)
  H.eq(r[1], a, "readable above 1024")
  H.eq(w[1], c, "writable above 1024")
  H.eq(err, nil)
  -- a select over every socket we hold (idle servers are not readable)
  local all = { a }
  for _, m in ipairs(keep) do all[#all + 1] = m end
  r = ltcp.select(all, nil, 1)
  H.eq(#r, 1, "only the readable one")
  for _, m in ipairs(keep) do m:close() end
  a:close(); c:close(); s:close()
end, 60)

H.test("results in descriptor order with index and key", function()
  local list = {}
  for i = 1, 5 do
    local a, c, s = H.pair()
    c:send("x")
    list[#list + 1] = { a = a, c = c, s = s }
  end
  local recvt = {}
  for i = #list, 1, -1 do recvt[#recvt + 1] = list[i].a end
  ltcp.sleep(0.05)
  local r = ltcp.select(recvt, nil, 2)
  H.eq(#r, 5, "all readable")
  for i = 2, #r do H.ok(r[i - 1]:getfd() < r[i]:getfd(), "ascending descriptors") end
  for i = 1, #r do H.eq(r[r[i]], i, "key gives index") end
  for _, p in ipairs(list) do p.a:close(); p.c:close(); p.s:close() end
end)

H.test("foreign objects: getfd and dirty called through Lua", function()
  local a, c, s = H.pair()
  local wrapper = { inner = c }
  function wrapper:getfd() return self.inner:getfd() end
  function wrapper:dirty() return false end
  local _, w = ltcp.select(nil, { wrapper }, 2)
  H.eq(w[1], wrapper, "wrapper writable")
  H.raises("boom", ltcp.select, { { getfd = function() error("boom") end } }, nil, 0)
  H.raises("table expected", ltcp.select, 5, nil, 0)
  a:close(); c:close(); s:close()
end)

H.test("timeout with nothing ready", function()
  local t0 = ltcp.gettime()
  local r, w, err = ltcp.select({}, {}, 0.1)
  local dt = ltcp.gettime() - t0
  H.eq(err, "timeout"); H.eq(#r, 0); H.eq(#w, 0)
  H.ok(dt >= 0.09 and dt < 2, "waited " .. dt)
end)

H.run()
