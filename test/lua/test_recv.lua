-- The OpenResty-class receive helpers (ltcp additions) over real loopback sockets:
-- receiveany(max), receiveuntil(pattern [, {inclusive = bool}]) with both iterator forms, and
-- settimeouts(connect, send, read); every bad argument raises.
local H = dofile((arg[0]:match("^(.*[/\\])") or "") .. "harness.lua")
local ltcp = H.setup()

local function readable(a)
  local r = ltcp.select({ a }, nil, 5)
  H.ok(r[1], "data arrived")
end

H.test("receiveany: what has arrived, up to max", function()
  local a, c, s = H.pair()
  c:send("hello")
  readable(a)
  H.same(H.pack(a:receiveany(100)), H.pack("hello"))
  c:send("abc")
  readable(a)
  H.eq(a:receiveany(2), "ab")
  H.eq(a:receiveany(2), "c") -- the buffered rest, without waiting for more
  a:settimeout(0.05)
  H.same(H.pack(a:receiveany(10)), H.pack(nil, "timeout", ""))
  local big = string.rep("x", 100000)
  c:send(big)
  a:settimeout(5)
  local got, n = {}, 0
  while n < #big do
    local d = assert(a:receiveany(1e9))
    H.ok(#d >= 1 and #d <= 65536, "one receive's worth")
    got[#got + 1] = d
    n = n + #d
  end
  H.eq(table.concat(got), big)
  c:close()
  H.same(H.pack(a:receiveany(10)), H.pack(nil, "closed", ""))
  a:close(); s:close()
end)

H.test("receiveany: bad arguments raise", function()
  local a, c, s = H.pair()
  H.raises("number expected", a.receiveany, a)
  H.raises("number expected", a.receiveany, a, "many")
  for _, v in ipairs { 0, -1, 1.5, 0 / 0, -math.huge } do
    H.raises("max must be a positive integer", a.receiveany, a, v)
  end
  H.raises("tcp{client} expected", ltcp.tcp().receiveany, ltcp.tcp(), 4)
  a:close(); c:close(); s:close()
end)

H.test("receiveuntil(): OpenResty's example, then the rest by receive", function()
  local a, c, s = H.pair()
  local reader = a:receiveuntil("\r\n--abcedhb")
  H.eq(type(reader), "function")
  c:send("hello, world! -agentzh\r\n--abcedhb blah blah")
  c:close()
  H.same(H.pack(reader()), H.pack("hello, world! -agentzh"))
  H.eq(a:receive("*a"), " blah blah")
  a:close(); s:close()
end)

H.test("receiveuntil(size): pieces, then nil, nil, then the next record", function()
  local a, c, s = H.pair()
  local reader = a:receiveuntil("\r\n--abcedhb")
  c:send("hello, world! -agentzh\r\n--abcedhb blah blah\r\n--abcedhb")
  local chunks = {}
  for _ = 1, 20 do
    local r = H.pack(reader(4))
    if not r[1] then
      H.same(r, H.pack(nil, nil))
      break
    end
    H.eq(r.n, 1, "a piece is one value")
    chunks[#chunks + 1] = r[1]
  end
  H.eq(table.concat(chunks, "|"), "hell|o, w|orld|! -a|gent|zh")
  H.eq(reader(100), " blah blah")
  H.same(H.pack(reader(100)), H.pack(nil, nil))
  a:close(); c:close(); s:close()
end)

H.test("receiveuntil: a pattern split across a timeout is still found", function()
  local a, c, s = H.pair()
  local reader = a:receiveuntil("--boundary-0123456789-abcdefghij-KLMNOPQ") -- 40 bytes
  c:send("part one--boundary-0123")
  readable(a)
  a:settimeout(0.1)
  H.same(H.pack(reader()), H.pack(nil, "timeout", "part one"))
  c:send("456789-abcdefghij-KLMNOPQpart two--bound")
  a:settimeout(5)
  H.eq(reader(), "") -- the pattern's first bytes were held back, not lost
  a:settimeout(0.1)
  H.same(H.pack(reader()), H.pack(nil, "timeout", "part two"))
  H.eq(a:receive(5), "--bou") -- held bytes are there for other receive methods
  c:close()
  H.same(H.pack(reader()), H.pack(nil, "closed", "nd"))
  a:close(); s:close()
end)

H.test("receiveuntil: inclusive, and mixed with receive", function()
  local a, c, s = H.pair()
  local line = a:receiveuntil("\r\n", { inclusive = true })
  local field = a:receiveuntil(":")
  c:send("k1:v1\r\nk2:v2\r\nXYZ")
  H.eq(field(), "k1")
  H.eq(line(), "v1\r\n")
  H.eq(a:receive(3), "k2:")
  H.eq(line(2), "v2")
  H.eq(line(2), "\r\n")
  H.same(H.pack(line(2)), H.pack(nil, nil))
  H.eq(a:receive(3), "XYZ")
  H.eq(type(a:receiveuntil("x", { inclusive = false })), "function")
  a:close(); c:close(); s:close()
end, 10)

H.test("receiveuntil: binary patterns, NUL bytes included", function()
  local a, c, s = H.pair()
  local it = a:receiveuntil("\0\r\n\0")
  c:send("a\0b\0\r\n\0\0\r\n\0\0\0\r\n\0")
  H.eq(it(), "a\0b")
  H.eq(it(), "")
  H.eq(it(), "\0")
  a:close(); c:close(); s:close()
end)

H.test("receiveuntil: bad arguments raise", function()
  local a, c, s = H.pair()
  H.raises("pattern is empty", a.receiveuntil, a, "")
  H.raises("string expected", a.receiveuntil, a)
  H.raises("string expected", a.receiveuntil, a, {})
  H.raises("table expected", a.receiveuntil, a, "x", "inclusive")
  H.raises("'inclusive' must be a boolean", a.receiveuntil, a, "x", { inclusive = 1 })
  H.raises("tcp{client} expected", ltcp.tcp().receiveuntil, ltcp.tcp(), "x")
  H.raises("pattern too long", a.receiveuntil, a, string.rep("x", 1048577))
  H.eq(type(a:receiveuntil(string.rep("x", 1048576))), "function", "1 MiB is the longest")
  local it = a:receiveuntil("\n")
  for _, v in ipairs { 0, -3, 2.5, 0 / 0 } do
    H.raises("size must be a positive integer", it, v)
  end
  H.raises("number expected", it, "four")
  c:send("ok\n")
  H.eq(it(), "ok") -- the bad calls consumed nothing
  a:close()
  H.same(H.pack(it()), H.pack(nil, "closed", ""))
  c:close(); s:close()
end)

H.test("settimeouts: per-operation block timeouts; nil leaves one unchanged", function()
  local a, c, s = H.pair()
  a:settimeout(nil)
  H.eq(a:settimeouts(nil, nil, 0.1), 1)
  H.same(H.pack(a:gettimeouts()), H.pack(-1, -1, 0.1))
  H.same(H.pack(a:gettimeout()), H.pack(-1, -1), "gettimeout stays LuaSocket's")
  local t0 = ltcp.gettime()
  H.same(H.pack(a:receive()), H.pack(nil, "timeout", ""))
  local e = ltcp.gettime() - t0
  H.ok(e >= 0.09 and e < 3, "the read timeout applied: " .. e)
  H.eq(a:settimeouts(2, nil), 1)
  H.same(H.pack(a:gettimeouts()), H.pack(2, -1, 0.1))
  H.eq(a:settimeout(0.5), 1) -- settimeout sets all three
  H.same(H.pack(a:gettimeouts()), H.pack(0.5, 0.5, 0.5))
  H.eq(a:settimeouts(-1, -1, -1), 1)
  H.same(H.pack(a:gettimeouts()), H.pack(-1, -1, -1))
  -- the send timeout: a peer that does not read fills the buffers
  c:settimeout(nil)
  c:settimeouts(nil, 0.2, nil)
  c:setoption("send-buffer-size", 4096)
  local big = string.rep("y", 1048576)
  local sent, err, last
  t0 = ltcp.gettime()
  for _ = 1, 64 do
    sent, err, last = c:send(big)
    if not sent then break end
  end
  H.eq(err, "timeout")
  H.ok(type(last) == "number", "last index")
  H.ok(ltcp.gettime() - t0 < 30, "bounded")
  -- the total timeout still bounds the call
  a:settimeouts(nil, nil, 10)
  a:settimeout(0.1, "t")
  a:receive(1) -- drain one byte so the buffered data does not answer
  t0 = ltcp.gettime()
  local r = { a:receive(64 * 1048576) }
  H.eq(r[2], "timeout")
  H.ok(ltcp.gettime() - t0 < 3, "the total won")
  a:close(); c:close(); s:close()
end, 40)

H.test("settimeouts: bad arguments raise, a server takes them too", function()
  local m = ltcp.tcp()
  H.raises("number expected", m.settimeouts, m, "x")
  H.raises("number expected", m.settimeouts, m, nil, {})
  H.raises("timeout is NaN", m.settimeouts, m, nil, nil, 0 / 0)
  H.same(H.pack(m:gettimeouts()), H.pack(-1, -1, -1), "a rejected call changed nothing")
  H.eq(m:settimeouts(), 1)
  local s = assert(ltcp.bind("127.0.0.1", 0))
  H.eq(s:settimeouts(nil, nil, 0.05), 1) -- accept waits for input: the read timeout
  H.same(H.pack(s:accept()), H.pack(nil, "timeout"))
  s:close(); m:close()
end)

H.run()
