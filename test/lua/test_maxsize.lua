-- receive(pattern, prefix, maxsize): upstream LuaSocket's cap (PR #463), over real loopback
-- sockets. Argument errors raise before any I/O with upstream's words; past the cap '*l' and
-- '*a' return nil, "oversized", partial with the rest left for the next call; a timeout's partial
-- is shorter than the cap; setlimit is the per-object default and says "oversized" too.
local H = dofile((arg[0]:match("^(.*[/\\])") or "") .. "harness.lua")
local ltcp = H.setup()

local function settle(a, n)
  -- wait until n bytes are readable on a, so results do not depend on how they arrive
  local t0 = ltcp.gettime()
  while ltcp.gettime() - t0 < 2 do
    local r = ltcp.select({ a }, nil, 0.5)
    if r[1] then break end
  end
  ltcp.sleep(0.05 * (n > 0 and 1 or 0))
end

H.test("argument errors raise before any I/O and consume nothing", function()
  local a, c, s = H.pair()
  c:send("abc\n")
  settle(a, 4)
  H.raises("maxsize must be a positive number", a.receive, a, "*l", nil, 0)
  H.raises("maxsize must be a positive number", a.receive, a, "*l", nil, -3)
  H.raises("maxsize must be a positive number", a.receive, a, "*l", nil, 0 / 0)
  H.raises("maxsize must be a positive number", a.receive, a, "*l", nil, math.huge)
  H.raises("number expected", a.receive, a, "*l", nil, "many")
  H.raises("number expected", a.receive, a, "*l", nil, {})
  H.raises("prefix length >= maxsize", a.receive, a, "*l", "abcde", 5)
  H.raises("prefix length >= maxsize", a.receive, a, "*a", "abcdef", 5)
  H.raises("prefix length >= maxsize", a.receive, a, 3, "ab", 2)
  H.raises("maxsize smaller than requested byte count", a.receive, a, 6, nil, 5)
  H.raises("maxsize smaller than requested byte count", a.receive, a, "6", "", 5)
  H.raises("invalid receive pattern", a.receive, a, "*x", nil, 5)
  local err = H.raises("bad argument #4", a.receive, a, "*l", nil, 0)
  H.ok(err:find("maxsize", 1, true), "names maxsize")
  H.eq(a:receive("*l", nil, 3), "abc") -- nothing was consumed by the bad calls
  H.raises("maxsize smaller than requested byte count", a.receive, a, 3, nil, 2.9) -- 2.9 is 2
  a:close(); c:close(); s:close()
end)

H.test("'*l' at, past and below the cap", function()
  local a, c, s = H.pair()
  c:send("abcde\nabcdef\ncde\nxy")
  settle(a, 20)
  H.eq(a:receive("*l", nil, 5), "abcde") -- exactly the cap
  H.same(H.pack(a:receive("*l", nil, 5)), H.pack(nil, "oversized", "abcde"))
  H.eq(a:receive("*l", nil, 5), "f") -- the rest stayed
  H.eq(a:receive("*l", "ab", 5), "abcde") -- the prefix counts
  a:settimeout(0.1)
  local line, err, partial = a:receive("*l", nil, 5)
  H.same(H.pack(line, err, partial), H.pack(nil, "timeout", "xy"))
  H.ok(#partial < 5, "a timeout's partial is shorter than the cap")
  c:send("z\n")
  H.eq(a:receive("*l", partial, 5), "xyz") -- safe to pass back as the prefix
  a:close(); c:close(); s:close()
end)

H.test("a stall at a full cap is oversized, never timeout", function()
  local a, c, s = H.pair()
  c:send("abcde")
  settle(a, 5)
  a:settimeout(0.1)
  H.same(H.pack(a:receive("*l", nil, 5)), H.pack(nil, "oversized", "abcde"))
  H.same(H.pack(a:receive("*a", nil, 5)), H.pack(nil, "timeout", ""))
  c:send("12345")
  settle(a, 5)
  H.same(H.pack(a:receive("*a", nil, 5)), H.pack(nil, "oversized", "12345"))
  a:close(); c:close(); s:close()
end)

H.test("drain idiom: the pieces give the line back; CRs are not payload", function()
  local a, c, s = H.pair()
  local long = string.rep("0123456789", 30)
  c:send(long .. "\r\nshort\r\n" .. "a\rb\r\n")
  a:settimeout(2)
  local parts = {}
  repeat
    local line, err, partial = a:receive("*l", nil, 64)
    parts[#parts + 1] = line or partial
    if not line then H.eq(err, "oversized"); H.eq(#partial, 64) end
  until line
  H.eq(table.concat(parts), long)
  H.eq(a:receive("*l", nil, 5), "short")
  H.eq(a:receive("*l", nil, 2), "ab")
  a:close(); c:close(); s:close()
end)

H.test("'*a': completion beats the cap; the stream comes back byte for byte", function()
  local a, c, s = H.pair()
  c:send("0123456789")
  c:close()
  settle(a, 10)
  H.eq(a:receive("*a", nil, 10), "0123456789") -- the end of the stream at exactly the cap
  a:close(); s:close()
  a, c, s = H.pair()
  local data = {}
  for i = 1, 300 do data[i] = string.char(i % 256) end
  data = table.concat(data)
  c:send(data)
  c:close()
  a:settimeout(2)
  local got = {}
  for _ = 1, 20 do
    local all, err, partial = a:receive("*a", nil, 64)
    got[#got + 1] = all or partial
    if all then break end
    H.eq(err, "oversized")
    H.eq(#partial, 64)
  end
  H.eq(table.concat(got), data)
  a:close(); s:close()
end)

H.test("numeric patterns are never oversized", function()
  local a, c, s = H.pair()
  c:send("abcdef")
  H.eq(a:receive(3, nil, 3), "abc")
  H.eq(a:receive(3, "x", 3), "xde")
  a:close(); c:close(); s:close()
end)

H.test("setlimit: the default maxsize, the same word", function()
  local a, c, s = H.pair()
  H.eq(a:setlimit(4), 1)
  c:send("abcdef\nabcdef\nab\n")
  settle(a, 17)
  H.same(H.pack(a:receive()), H.pack(nil, "oversized", "abcd"))
  H.eq(a:receive(), "ef")
  H.eq(a:receive("*l", nil, 10), "abcdef") -- an explicit maxsize overrides it
  H.raises("prefix length >= the limit set by setlimit", a.receive, a, "*l", "abcd")
  H.eq(a:receive(), "ab")
  a:close(); c:close(); s:close()
end)

H.run()
