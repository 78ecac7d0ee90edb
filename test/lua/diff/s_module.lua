-- Module shape, classes, tostring, timeouts, misuse errors, methods after close.
for _, name in ipairs { "tcp", "tcp4", "tcp6", "connect", "connect4", "connect6", "bind", "select",
  "gettime", "sleep", "skip", "try", "newtry", "protect" } do
  R("type " .. name, type(socket[name]))
end
R("dns", type(socket.dns), type(socket.dns.toip), type(socket.dns.getaddrinfo),
  type(socket.dns.gethostname), type(socket.dns.tohostname))
R("_SOCKETINVALID", socket._SOCKETINVALID)
X("_SETSIZE", socket._SETSIZE)
-- _SETSIZE usage: a finite integer that programs size work by. LuaSocket's own regression suite
-- makes _SETSIZE + 1 objects to probe select's limit; with a finite value the loop ends quickly.
R("_SETSIZE type", math.type and math.type(socket._SETSIZE) or type(socket._SETSIZE))
R("_SETSIZE finite", socket._SETSIZE > 0 and socket._SETSIZE < 2 ^ 31 - 1)
do
  local t, n = {}, 0
  for i = 1, socket._SETSIZE + 1 do
    t[i] = socket.tcp() -- no descriptor until bind/connect
    n = i
  end
  R("_SETSIZE + 1 masters", n == socket._SETSIZE + 1, t[n].class)
  for i = 1, n do t[i]:close() end
  local got = {}
  for i = 1, 8 do got[i] = assert(socket.tcp4()) end
  R("select below _SETSIZE", #got < socket._SETSIZE, #socket.select(got, nil, 0))
  for i = 1, 8 do got[i]:close() end
end
X("_VERSION", socket._VERSION)

local m = socket.tcp()
R("tcp", m)
R("tostring", tostring(m))
R("class", m.class, getmetatable(m).__index.class)
R("getfamily unspec", m:getfamily())
R("getfd unspec", m:getfd() == -1)
R("dirty", m:dirty())
R("gettimeout", m:gettimeout())
R("settimeout 1", m:settimeout(1))
R("gettimeout", m:gettimeout())
R("settimeout 2 t", m:settimeout(2, "t"))
R("gettimeout", m:gettimeout())
R("settimeout 3 r", m:settimeout(3, "r"))
R("gettimeout", m:gettimeout())
R("settimeout nil", m:settimeout(nil))
R("gettimeout", m:gettimeout())
R("settimeout -5 t", m:settimeout(-5, "t"))
R("gettimeout", m:gettimeout())
R("settimeout str", m:settimeout("0.5", "block"))
R("gettimeout", m:gettimeout())
P("settimeout bad mode", m.settimeout, m, 1, "x")
P("settimeout bad value", m.settimeout, m, "abc")
P("settimeout bad mode type", m.settimeout, m, 1, {})

local m4, m6 = socket.tcp4(), socket.tcp6()
R("tcp4", m4, m4:getfamily(), m4:getfd() >= 0)
R("tcp6", m6, m6:getfamily(), m6:getfd() >= 0)

-- wrong class (normalized: ltcp adds ", got <class>")
P("receive on master", m.receive, m)
P("send on master", m.send, m, "x")
P("accept on master", m.accept, m)
P("shutdown on master", m.shutdown, m)
P("receive on string", m.receive, "x")
P("close on number", m.close, 1)
P("getfd on nil", m.getfd, nil)
PX("getstats on master", m.getstats, m)
PX("setstats on master", m.setstats, m, 1, 2, 3)
PX("getfd value", m4.getfd, m4)

local s = assert(socket.bind("127.0.0.1", 0))
R("server", s, s.class)
P("bind on server", s.bind, s, "127.0.0.1", 0)
P("listen on server", s.listen, s)
P("receive on server", s.receive, s)
P("send on server", s.send, s, "x")

local a, c = pair()
R("client", a, c, a.class)
P("accept on client", a.accept, a)
P("bind on client", a.bind, a, "127.0.0.1", 0)
P("listen on client", a.listen, a)

-- close and after
R("close", c:close())
R("close again", c:close())
R("after close tostring", tostring(c))
X("after close getfd", c:getfd())
R("after close dirty", c:dirty())
R("after close receive", c:receive())
R("after close receive *a", c:receive("*a", "pre"))
R("after close send", c:send("abc"))
R("after close send i", c:send("abc", 2))
R("after close getsockname", c:getsockname())
R("after close getpeername", c:getpeername())
R("after close shutdown", c:shutdown())
R("after close setoption", c:setoption("tcp-nodelay", true))
R("after close getoption", c:getoption("tcp-nodelay"))
R("after close settimeout", c:settimeout(1))
R("after close gettimeout", c:gettimeout())
R("after close getfamily", c:getfamily())
R("master close", m:close(), tostring(m))
X("master after close bind", m:bind("127.0.0.1", 0))
X("master after close connect", m:connect("127.0.0.1", deadport()))
R("server close", s:close())
R("server after close accept", s:accept())
a:close()

-- gettime/sleep
R("gettime", V(socket.gettime()), socket.gettime() > 1e9)
R("sleep", socket.sleep(0.001))
R("sleep 0", socket.sleep(0))
R("sleep neg", socket.sleep(-1))
R("sleep str", socket.sleep("0.001"))
P("sleep bad", socket.sleep, "x")
P("sleep none", socket.sleep)
