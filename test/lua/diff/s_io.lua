-- send index rules, receive patterns and prefixes, partial results, stats.
local a, c = pair()

-- send: i/j as string.sub, including negative, out of range and i > j
local cases = { {}, { 1 }, { 2 }, { 2, 4 }, { -2 }, { -2, -1 }, { 5, 2 }, { 0, 100 }, { -100, -50 },
  { 7 }, { 6, 6 }, { 3, -4 }, { 1, 0 }, { 2.7, 4.2 }, { "2", "3" }, { -6 }, { -7, 2 } }
local total = 0
for _, ij in ipairs(cases) do
  local r = { c:send("abcdef", ij[1], ij[2]) }
  R("send abcdef " .. tostring(ij[1]) .. "," .. tostring(ij[2]), unpack(r, 1, 3))
end
R("send empty", c:send(""))
R("send empty 1", c:send("", 1))
R("send empty 5", c:send("", 5))
P("send number", c.send, c, 123)
P("send table", c.send, c, {})
P("send nil", c.send, c)
P("send bad i", c.send, c, "abc", "x")
P("send bad j", c.send, c, "abc", 1, {})
-- what arrived: drain exactly what was sent
local expect = 0
for _, ij in ipairs(cases) do
  local s = ("abcdef"):sub(ij[1] and math.floor(tonumber(ij[1])) or 1, ij[2] and math.floor(tonumber(ij[2])) or -1)
  expect = expect + #s
end
expect = expect + 3 -- "123"
R("received all sent", a:receive(expect))

-- receive patterns
c:send("line one\r\nline\rtwo\n\nno newline")
R("recv default", a:receive())
R("recv *l", a:receive("*l"))
R("recv empty line", a:receive("*l"))
a:settimeout(0.05)
R("recv *l timeout partial", a:receive("*l"))
c:send("abc\n")
R("recv *l prefix", a:receive("*l", "pre-"))
c:send("0123456789")
R("recv 3", a:receive(3))
R("recv 3 prefix", a:receive(3, "xy"))
R("recv 2 prefix longer", a:receive(2, "xyz"))
R("recv 2 prefix same", a:receive(2, "xy"))
R("recv '2'", a:receive("2"))
R("recv 1.9", a:receive(1.9))
R("recv 0", a:receive(0))
R("recv 0 prefix", a:receive(0, "p"))
R("recv 5 timeout partial", a:receive(5))
c:send("x")
R("recv *all", a:receive("*all"))
R("recv *a timeout", a:receive("*a"))
R("recv *a prefix timeout", a:receive("*a", "pp"))
P("recv bad pattern", a.receive, a, "x")
P("recv bad pattern *x", a.receive, a, "*x")
P("recv bad pattern neg", a.receive, a, -1)
P("recv bad pattern nan", a.receive, a, 0 / 0)
P("recv bad pattern table", a.receive, a, {})
P("recv bad pattern bool", a.receive, a, true)
P("recv bad prefix", a.receive, a, "*l", {})
P("recv pattern empty string", a.receive, a, "")
P("recv pattern l", a.receive, a, "l")
P("recv pattern a", a.receive, a, "a")
P("recv pattern *", a.receive, a, "*")
R("dirty empty", a:dirty())
c:send("two\nlines\n")
R("recv 1 then dirty", a:receive(1), a:dirty())
R("recv rest", a:receive("*l"), a:dirty())
R("recv rest2", a:receive("*l"), a:dirty())

-- big transfer in both directions (blocking, sizes under the socket buffers)
local big = string.rep("0123456789abcdef", 4096)
R("send big", c:send(big))
R("recv big", a:receive(#big) == big)
R("send big2", a:send(big))
R("recv big2", c:receive(#big) == big)

-- stats
local r, s, age = a:getstats()
R("stats", r, s, V(age), age >= 0)
R("setstats", a:setstats(10, 20, 30))
r, s, age = a:getstats()
R("stats after set", r, s, age >= 30, age < 40)
R("setstats trunc", a:setstats(1.7, "2.2"))
r, s, age = a:getstats()
R("stats after trunc", r, s, age >= 30)
R("setstats none", a:setstats())
r, s, age = a:getstats()
R("stats after none", r, s)
P("setstats bad", a.setstats, a, "x")
c:send("abc")
R("recv counts", a:receive(3), (a:getstats()))

-- peer close
c:send("tail")
c:close()
R("recv after peer close *a", a:receive("*a"))
R("recv after peer close again", a:receive("*a"))
R("recv *l after peer close", a:receive("*l", "q"))
R("recv 1 after peer close", a:receive(1, "q"))
R("send to closed peer", a:send("x"))
a:close()

local a2, c2 = pair()
c2:send("partial")
c2:close()
R("recv *l closed partial", a2:receive("*l"))
R("recv 10 closed", a2:receive(10, "pp"))
a2:close()

local a3, c3 = pair()
c3:send("abc")
c3:shutdown("send")
R("recv 10 after shutdown", a3:receive(10))
R("send back after shutdown", a3:send("ok"))
R("recv on half closed", c3:receive(2))
a3:close()
c3:close()
