-- socket.http against a local HTTP/1.1 server (servers.py http): GET with Content-Length, chunked,
-- a redirect (followed, and not followed), a 404, POST from ltn12.source.string with a length,
-- a chunked upload from a source of uneven chunks, the string form of POST, http.request with
-- a custom create function, and a refused connection. Bodies are checked by Adler-32 both ways:
-- the server sends its hash in X-Adler32, and echoes what it received with its own hash.
local R = dofile((arg[0]:match("^(.*[/\\])") or "") .. "real.lua")
local socket = R.socket()
local http = require "socket.http"
local ltn12 = require "ltn12"
local url = require "socket.url"

R.main(function()
local srv = R.server("http")
local base = "http://127.0.0.1:" .. srv.port

-- GET, Content-Length, string form
local body, code, headers, status = http.request(base .. "/len?n=100000")
R.eq(body, R.body(100000), "len body")
R.eq(headers["x-adler32"], R.adler32(body), "len body hash")
R.out("get length", code, status, #body, R.adler32(body), headers["content-length"],
  headers["transfer-encoding"])

-- GET, chunked, table form with a sink
local t = {}
local ok, code2, h2, status2 = http.request { url = base .. "/chunked?n=250000",
  sink = ltn12.sink.table(t) }
local got = table.concat(t)
R.eq(got, R.body(250000), "chunked body")
R.eq(h2["x-adler32"], R.adler32(got), "chunked body hash")
R.out("get chunked", ok, code2, status2, #got, R.adler32(got), h2["transfer-encoding"],
  h2["content-length"])

-- redirect, followed (socket.http resolves the relative Location) and not followed
local rb, rcode, rh = http.request(base .. "/redirect?n=5000")
R.eq(rb, R.body(5000), "redirected body")
R.out("redirect followed", rcode, #rb, R.adler32(rb), rh.location ~= nil)
local t3 = {}
local ok3, code3, h3 = http.request { url = base .. "/redirect?n=5000", redirect = false,
  sink = ltn12.sink.table(t3) }
R.out("redirect not followed", ok3, code3, h3.location, table.concat(t3))

-- 404
local nb, ncode, nh, nstatus = http.request(base .. "/missing")
R.out("404", ncode, nstatus, nb, nh["content-type"])

-- POST from ltn12.source.string with a Content-Length
local payload = R.body(70000) .. "\0\1\2\255 binary tail"
local t4 = {}
local ok4, code4, h4 = http.request {
  url = base .. "/echo", method = "POST",
  headers = { ["content-length"] = #payload, ["content-type"] = "application/x-test" },
  source = ltn12.source.string(payload), sink = ltn12.sink.table(t4) }
local echoed = table.concat(t4)
R.eq(echoed, payload, "echo of the POST body")
R.eq(h4["x-adler32"], R.adler32(payload), "server's hash of the POST body")
R.out("post length", ok4, code4, h4["x-framing"], h4["x-length"], h4["x-adler32"],
  h4["x-content-type"])

-- chunked upload: no Content-Length, a source of uneven chunks (socket.http sends it chunked)
local big = R.body(300000)
local pos, size = 1, 1
local function source()
  if pos > #big then return nil end
  local chunk = big:sub(pos, pos + size - 1)
  pos, size = pos + #chunk, size * 2 + 3
  return chunk
end
local t5 = {}
local ok5, code5, h5 = http.request { url = base .. "/echo", method = "POST", source = source,
  sink = ltn12.sink.table(t5) }
local echoed5 = table.concat(t5)
R.eq(echoed5, big, "echo of the chunked upload")
R.eq(h5["x-adler32"], R.adler32(big), "server's hash of the chunked upload")
R.out("post chunked", ok5, code5, h5["x-framing"], h5["x-length"], h5["x-adler32"])

-- string form of POST: urlencoded content type, length from the body
local sb, scode, sh = http.request(base .. "/echo", "a=1&b=" .. url.escape("x y/z"))
R.out("post string", sb, scode, sh["x-framing"], sh["x-content-type"])

-- a create function: the socket http uses is the program's, wrapping the module's tcp
local created = 0
local cb, ccode = http.request { url = base .. "/len?n=10", create = function()
  created = created + 1
  return socket.tcp()
end, sink = ltn12.sink.null() }
R.out("create function", cb, ccode, created)

-- refused connection: socket.http reports the connect error
R.out("refused", http.request("http://127.0.0.1:" .. R.deadport(socket) .. "/"))

-- http.TIMEOUT reaches the socket: a server that accepts but never answers
local silent = assert(socket.bind("127.0.0.1", 0))
local _, sport = silent:getsockname()
http.TIMEOUT = 0.3
local t0 = socket.gettime()
local tb, terr = http.request("http://127.0.0.1:" .. sport .. "/")
local took = socket.gettime() - t0
R.check(took >= 0.25 and took < 5, "timeout took " .. took)
R.out("timeout", tb, terr)
silent:close()
http.TIMEOUT = 60

srv:kill()
end)
