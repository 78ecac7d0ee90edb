-- socket.smtp (with socket.tp, ltn12, mime) against a local SMTP sink (servers.py smtp), which
-- writes every accepted message to a file with its envelope and the Adler-32 of its data. Checked:
-- the envelope the server received, a plain message with a leading-dot line (dot-stuffing
-- undone by the server), a multipart message whose base64 attachment decodes to the bytes sent,
-- a message from an ltn12 source, the low-level smtp.open session API, and a refused connection.
local R = dofile((arg[0]:match("^(.*[/\\])") or "") .. "real.lua")
local socket = R.socket()
local smtp = require "socket.smtp"
local mime = require "mime"
local ltn12 = require "ltn12"

-- The message file: envelope lines, then the data. Headers are unfolded and lowered; the Date
-- header and multipart boundaries vary from run to run, so they are not reported.
local function received(n)
  local text = R.readfile(R.tmp .. "/msg-" .. n .. ".txt")
  R.check(text, "the sink has no message " .. n)
  local env, data = text:match("^(.-)\n\n(.*)$")
  local size, adler = env:match("SIZE (%d+) ADLER (%x+)")
  R.eq(tonumber(size), #data, "size of message " .. n)
  R.eq(adler, R.adler32(data), "hash of message " .. n)
  local head, body = data:match("^(.-)\r\n\r\n(.*)$")
  local h = {}
  for name, value in (head .. "\r\n"):gsub("\r\n[ \t]+", " "):gmatch("([^:\r\n]+):%s*(.-)\r\n") do
    h[name:lower()] = value
  end
  return env, h, body
end

R.main(function()
local srv = R.server("smtp", R.tmp)

-- a plain message, two recipients, a line that starts with a dot
local r1, e1 = smtp.send {
  from = "<alice@example.org>",
  rcpt = { "<bob@example.org>", "<carol@example.org>" },
  source = smtp.message {
    headers = { to = "Bob <bob@example.org>", subject = "plain message", from = "Alice" },
    body = "first line\r\n.a line starting with a dot\r\n..two dots\r\nlast line" },
  server = "127.0.0.1", port = srv.port }
R.out("send plain", r1, e1)
local env, h, body = received(1)
R.out("envelope plain", env:gsub("SIZE %d+ ADLER %x+", "SIZE"))
R.out("headers plain", h.subject, h.to, h.from, h["x-mailer"], h["mime-version"], h.date ~= nil)
R.eq(body, "first line\r\n.a line starting with a dot\r\n..two dots\r\nlast line\r\n", "plain body")

-- multipart: a text part and a base64 attachment made with mime's filters
local binary = {}
for i = 0, 20000 do binary[#binary + 1] = string.char((i * 7 + math.floor(i / 256)) % 256) end
binary = table.concat(binary)
local r2, e2 = smtp.send {
  from = "<alice@example.org>", rcpt = "<dave@example.org>",
  source = smtp.message {
    headers = { subject = "with attachment" },
    body = {
      preamble = "This is a multipart message.",
      [1] = { headers = { ["content-type"] = "text/plain; charset=utf-8" },
              body = "see the attachment" },
      [2] = { headers = { ["content-type"] = 'application/octet-stream; name="data.bin"',
                          ["content-disposition"] = 'attachment; filename="data.bin"',
                          ["content-transfer-encoding"] = "BASE64" },
              body = ltn12.source.chain(ltn12.source.string(binary),
                                        ltn12.filter.chain(mime.encode("base64"), mime.wrap())) },
      epilogue = "end" } },
  server = "127.0.0.1", port = srv.port }
R.out("send multipart", r2, e2)
local env2, h2, body2 = received(2)
R.out("envelope multipart", env2:gsub("SIZE %d+ ADLER %x+", "SIZE"))
local boundary = h2["content-type"]:match('boundary="([^"]+)"')
R.check(boundary, "multipart boundary")
-- the parts between "--boundary" lines, each split into its headers and its body
local att
local marker = "\r\n--" .. boundary
local pos = body2:find(marker, 1, true)
local nparts = 0
while pos do
  local start = pos + #marker
  local nextpos = body2:find(marker, start, true)
  if not nextpos then break end
  local part = body2:sub(start, nextpos - 1)
  local phead, pbody = part:match("^\r\n(.-)\r\n\r\n(.*)$")
  R.check(phead, "part " .. nparts + 1 .. " has headers")
  nparts = nparts + 1
  if phead:lower():find('content-disposition: attachment; filename="data.bin"', 1, true) then
    att = pbody
  end
  pos = nextpos
end
R.eq(nparts, 2, "number of parts")
R.check(att, "attachment part")
local decoded = mime.unb64((att:gsub("\r\n", "")))
R.eq(decoded, binary, "decoded attachment")
R.out("attachment", #att, #decoded, R.adler32(decoded), body2:find("see the attachment", 1, true) ~= nil)

-- a message body from an ltn12 source of many chunks (bigger than one socket buffer)
local big = R.body(400000):gsub("\n", "\r\n")
local r3, e3 = smtp.send {
  from = "<alice@example.org>", rcpt = "<erin@example.org>",
  source = smtp.message { headers = { subject = "big" },
                          body = ltn12.source.string(big) },
  server = "127.0.0.1", port = srv.port }
R.out("send big", r3, e3)
local _, h3, body3 = received(3)
R.eq(body3, big .. "\r\n", "big body")
R.out("big", h3.subject, #body3, R.adler32(body3))

-- the session API: open, greet, mail, rcpt, data, quit
local s = smtp.open("127.0.0.1", srv.port)
R.out("greet", s:greet("client.example"))
R.out("mail", s:mail("<frank@example.org>"))
R.out("rcpt", s:rcpt("<gina@example.org>"))
R.out("data", s:data(ltn12.source.string("Subject: session\r\n\r\nhi\r\n")))
R.out("quit", s:quit())
s:close()
local env4, h4, body4 = received(4)
R.out("session", env4:gsub("SIZE %d+ ADLER %x+", "SIZE"), h4.subject, body4)

-- nobody listening
R.out("refused", smtp.send { from = "<a@b>", rcpt = "<c@d>", server = "127.0.0.1",
  port = R.deadport(socket), source = smtp.message { body = "x" } })

srv:kill()
end)
