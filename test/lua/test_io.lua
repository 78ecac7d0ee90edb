-- receive/send over real loopback sockets: patterns, binary data, large transfers through the
-- sink (one copy into the Lua buffer), IPv6.
local H = dofile((arg[0]:match("^(.*[/\\])") or "") .. "harness.lua")
local ltcp = H.setup()

H.test("line pattern drops every CR and keeps NULs", function()
  local a, c, s = H.pair()
  c:send("a\rb\0c\r\n\r\r\nlast")
  H.eq(a:receive(), "ab\0c")
  H.eq(a:receive("*l"), "")
  a:settimeout(0.05)
  H.same(H.pack(a:receive()), H.pack(nil, "timeout", "last"))
  a:close(); c:close(); s:close()
end)

H.test("setlimit bounds '*l' and '*a', keeps the partial data and the rest", function()
  local a, c, s = H.pair()
  H.eq(a:setlimit(8), 1)
  c:send("0123456789abcdef\nshort\n")
  a:settimeout(1)
  H.same(H.pack(a:receive()), H.pack(nil, "oversized", "01234567"))
  H.eq(a:receive(), "89abcdef") -- the excess stayed buffered; this line is exactly the limit
  H.eq(a:receive(), "short")
  c:send(string.rep("x", 20))
  c:close()
  H.same(H.pack(a:receive("*a")), H.pack(nil, "oversized", string.rep("x", 8)))
  H.eq(a:setlimit(), 1) -- no cap again
  H.eq(a:receive("*a"), string.rep("x", 12))
  H.ok(not pcall(a.setlimit, a, -1), "negative limit raises")
  H.ok(not pcall(a.setlimit, a, 0/0), "NaN limit raises")
  a:close(); s:close()
end)

H.test("count larger than the core buffer and than 1 MiB", function()
  local a, c, s = H.pair()
  local size = 3 * 1024 * 1024 + 17
  local block = string.rep("0123456789abcdef", 4096) -- 64 KiB
  local payload = string.rep(block, math.ceil(size / #block)):sub(1, size)
  -- the peer writes in steps while we read: non-blocking sends interleaved with receives
  c:settimeout(0)
  local pos, got, parts = 1, 0, {}
  a:settimeout(0.01)
  for _ = 1, 100000 do
    if pos <= #payload then
      local last, err, partial = c:send(payload, pos, math.min(pos + 65535, #payload))
      pos = (last or partial) + 1
    end
    local data, err, part = a:receive(size - got)
    local piece = data or part
    parts[#parts + 1] = piece
    got = got + #piece
    if got == size then break end
  end
  H.eq(got, size, "bytes")
  H.ok(table.concat(parts) == payload, "payload intact")
  a:close(); c:close(); s:close()
end, 60)

H.test("*a collects everything until the peer closes", function()
  local a, c, s = H.pair()
  local payload = string.rep("x", 200000) .. "\0end"
  c:settimeout(0)
  local pos, out = 1, {}
  a:settimeout(0.01)
  for _ = 1, 100000 do
    if pos <= #payload then
      local last, err, partial = c:send(payload, pos)
      pos = (last or partial) + 1
      if pos > #payload then c:close() end
    end
    local data, err, part = a:receive("*a")
    if data then out[#out + 1] = data; break end
    out[#out + 1] = part
    H.eq(err, "timeout", "error while waiting")
  end
  H.ok(table.concat(out) == payload, "payload intact")
  H.same(H.pack(a:receive("*a")), H.pack(nil, "closed", ""))
  a:close(); s:close()
end, 60)

H.test("receive results are LuaSocket's shapes", function()
  local a, c, s = H.pair()
  c:send("abc\n")
  H.same(H.pack(a:receive()), H.pack("abc", nil, nil))
  c:send("12345")
  H.same(H.pack(a:receive(2, "pre")), H.pack("pre", nil, nil))
  H.same(H.pack(a:receive(5, "pre")), H.pack("pre12", nil, nil))
  H.same(H.pack(a:receive("3")), H.pack("345", nil, nil))
  H.same(H.pack(c:send("hello", 2, 3)), H.pack(3, nil, nil))
  if math.type then H.eq(math.type((c:send("x"))), "float", "send index is a float") end
  H.raises("invalid receive pattern", a.receive, a, "*x")
  H.raises("invalid receive pattern", a.receive, a, -1)
  a:close(); c:close(); s:close()
end)

H.test("send to a reset peer fails with closed and says how far it got", function()
  local a, c, s = H.pair()
  a:setoption("linger", { on = true, timeout = 0 })
  a:close() -- RST
  ltcp.sleep(0.05)
  local last, err, partial
  for _ = 1, 50 do
    last, err, partial = c:send(string.rep("y", 65536))
    if not last then break end
  end
  H.eq(last, nil, "send eventually fails")
  H.eq(err, "closed", "error")
  H.eq(type(partial), "number", "last index")
  c:close(); s:close()
end)

H.test("IPv6 loopback pair", function()
  if not H.has_ipv6() then H.skip("::1 unusable here") end
  local a, c, s = H.pair("::1")
  H.eq(c:getfamily(), "inet6")
  local ip, port, fam = c:getpeername()
  H.eq(ip, "::1"); H.eq(fam, "inet6")
  H.eq(c:send("v6\n"), 3)
  H.eq(a:receive(), "v6")
  a:close(); c:close(); s:close()
  local six = ltcp.tcp6()
  H.eq(six:getoption("ipv6-v6only"), true, "tcp6 is v6only")
  six:close()
end)

H.run()
