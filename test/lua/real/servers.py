#!/usr/bin/env python3
"""Loopback servers for the real-program Lua tests (test/lua/real): one process per test run.

  servers.py http   [--life S]          HTTP/1.1 test server
  servers.py smtp   OUTDIR [--life S]   SMTP sink: every message it accepts goes to OUTDIR
  servers.py xmlrpc [--life S]          XML-RPC server (Python's own): add, echo, big, fail
  servers.py sink   OUTDIR [--life S]   TCP sink: each connection's bytes go to OUTDIR/conn-<n>
  servers.py ftp    ROOT [--life S]     FTP server over the files of ROOT (passive and active)

Each binds 127.0.0.1 port 0, prints "PORT <port> PID <pid>" on one line and flushes, so the
test reads the port and can kill it by PID. It also ends by itself after --life seconds (a
watchdog: nothing outlives a broken test). Everything it reports about a body is its length and
Adler-32 (zlib.adler32), which the Lua side computes too, so bodies are checked by hash both ways.

HTTP routes:
  GET  /len?n=N        N bytes (deterministic), Content-Length, X-Adler32
  GET  /chunked?n=N    the same bytes with Transfer-Encoding: chunked (uneven chunk sizes)
  GET  /redirect?n=N   302 to /len?n=N
  GET  /missing        404 with a short HTML body
  POST /echo           200; body = the request body as received (Content-Length or chunked);
                       X-Length, X-Adler32 of it; X-Framing: "length" or "chunked"
  anything else        400
"""
import os
import socket
import socketserver
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def body_bytes(n):
    """The deterministic body the Lua side can regenerate: lines "%07d <letters>\\n", cut at n."""
    out = bytearray()
    i = 0
    while len(out) < n:
        i += 1
        out += b"%07d %s\n" % (i, bytes((97 + (i + k) % 26) for k in range(i % 61)))
    return bytes(out[:n])


def adler(data):
    return "%08x" % (zlib.adler32(data) & 0xFFFFFFFF)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def send_body(self, code, body, ctype="application/octet-stream", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        u = urlparse(self.path)
        q = parse_qs(u.query)
        n = int(q.get("n", ["0"])[0])
        if u.path == "/len":
            body = body_bytes(n)
            self.send_body(200, body, extra=[("X-Adler32", adler(body))])
        elif u.path == "/chunked":
            body = body_bytes(n)
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("X-Adler32", adler(body))
            self.end_headers()
            pos, size = 0, 1
            while pos < len(body):
                part = body[pos:pos + size]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                pos += len(part)
                size = size * 3 + 7 if size < 20000 else 1
            self.wfile.write(b"0\r\n\r\n")
        elif u.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/len?n=%d" % n)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif u.path == "/missing":
            self.send_body(404, b"<html><body>not here</body></html>\n", "text/html")
        else:
            self.send_body(400, b"bad route\n", "text/plain")

    def read_chunked(self):
        data = bytearray()
        while True:
            line = self.rfile.readline()
            size = int(line.split(b";")[0].strip(), 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return bytes(data)
            data += self.rfile.read(size)
            self.rfile.readline()  # CRLF after the chunk

    def do_POST(self):
        if urlparse(self.path).path != "/echo":
            self.send_body(400, b"bad route\n", "text/plain")
            return
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data, framing = self.read_chunked(), "chunked"
        else:
            data, framing = self.rfile.read(int(self.headers.get("Content-Length", "0"))), "length"
        self.send_body(200, data, extra=[("X-Length", str(len(data))), ("X-Adler32", adler(data)),
                                         ("X-Framing", framing),
                                         ("X-Content-Type", self.headers.get("Content-Type", ""))])


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough ESMTP for LuaSocket's smtp.lua: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
    A message is written to OUTDIR/msg-<n>.txt (envelope lines, then the data with dot-stuffing
    undone) before the 250 reply, so the client can read it once send() returns."""
    count = 0
    lock = threading.Lock()

    def reply(self, text):
        self.wfile.write(text.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        sender, rcpts = None, []
        self.reply("220 localhost ltcp-test-sink ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("latin-1").rstrip("\r\n")
            verb = cmd[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-localhost\r\n250-8BITMIME\r\n250 HELP")
            elif verb == "MAIL":
                sender, rcpts = cmd[10:].strip(), []
                self.reply("250 sender ok")
            elif verb == "RCPT":
                rcpts.append(cmd[8:].strip())
                self.reply("250 recipient ok")
            elif verb == "DATA":
                self.reply("354 end data with <CR><LF>.<CR><LF>")
                data = bytearray()
                while True:
                    ln = self.rfile.readline()
                    if not ln or ln in (b".\r\n", b".\n"):
                        break
                    data += ln[1:] if ln.startswith(b"..") else ln
                with SmtpHandler.lock:
                    SmtpHandler.count += 1
                    n = SmtpHandler.count
                path = os.path.join(self.server.outdir, "msg-%d.txt" % n)
                with open(path, "wb") as f:
                    f.write(b"MAIL " + sender.encode() + b"\n")
                    for r in rcpts:
                        f.write(b"RCPT " + r.encode() + b"\n")
                    f.write(b"SIZE %d ADLER %s\n\n" % (len(data), adler(bytes(data)).encode()))
                    f.write(bytes(data))
                self.reply("250 queued as %d" % n)
            elif verb == "RSET":
                sender, rcpts = None, []
                self.reply("250 reset")
            elif verb == "NOOP":
                self.reply("250 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class SinkHandler(socketserver.StreamRequestHandler):
    """Stores everything a connection sends, once it closes, as OUTDIR/conn-<n>."""
    count = 0
    lock = threading.Lock()

    def handle(self):
        data = self.rfile.read()
        with SinkHandler.lock:
            SinkHandler.count += 1
            n = SinkHandler.count
        tmp = os.path.join(self.server.outdir, ".conn-%d" % n)
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, os.path.join(self.server.outdir, "conn-%d" % n))  # complete or absent


class FtpHandler(socketserver.StreamRequestHandler):
    """Just enough FTP for LuaSocket's ftp.lua: USER, PASS, TYPE, EPSV, PASV, EPRT, PORT, RETR,
    STOR, SIZE, CWD, NOOP, QUIT. Files are those of ROOT (no subdirectories)."""

    def reply(self, text):
        self.wfile.write(text.encode() + b"\r\n")
        self.wfile.flush()

    def data_conn(self):
        if self.passive is not None:
            self.passive.settimeout(10)
            conn, _ = self.passive.accept()
            self.passive.close()
            self.passive = None
            return conn
        return socket.create_connection(self.active, timeout=10)

    def handle(self):
        self.passive, self.active = None, None
        self.reply("220 ltcp-test ftp")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("latin-1").rstrip("\r\n")
            verb, _, arg = cmd.partition(" ")
            verb = verb.upper()
            path = os.path.join(self.server.outdir, os.path.basename(arg))
            if verb == "USER":
                self.reply("331 password please")
            elif verb == "PASS":
                self.reply("230 logged in")
            elif verb == "TYPE":
                self.reply("200 type " + arg)
            elif verb in ("EPSV", "PASV"):
                self.passive = socket.socket()
                self.passive.bind(("127.0.0.1", 0))
                self.passive.listen(1)
                port = self.passive.getsockname()[1]
                if verb == "EPSV":
                    self.reply("229 Entering Extended Passive Mode (|||%d|)" % port)
                else:
                    self.reply("227 Entering Passive Mode (127,0,0,1,%d,%d)" % (port >> 8, port & 255))
            elif verb == "EPRT":
                parts = arg.split(arg[0])
                self.active = (parts[2], int(parts[3]))
                self.reply("200 EPRT ok")
            elif verb == "PORT":
                n = [int(x) for x in arg.split(",")]
                self.active = ("%d.%d.%d.%d" % tuple(n[:4]), n[4] * 256 + n[5])
                self.reply("200 PORT ok")
            elif verb == "RETR":
                if not os.path.isfile(path):
                    self.reply("550 no such file")
                    continue
                self.reply("150 sending")
                conn = self.data_conn()
                with open(path, "rb") as f:
                    conn.sendall(f.read())
                conn.close()
                self.reply("226 transfer complete")
            elif verb == "STOR":
                self.reply("150 receiving")
                conn = self.data_conn()
                data = bytearray()
                while True:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                conn.close()
                with open(path, "wb") as f:
                    f.write(data)
                self.reply("226 stored %d %s" % (len(data), adler(bytes(data))))
            elif verb == "SIZE":
                if os.path.isfile(path):
                    self.reply("213 %d" % os.path.getsize(path))
                else:
                    self.reply("550 no such file")
            elif verb == "CWD":
                self.reply("250 ok")
            elif verb == "NOOP":
                self.reply("200 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


def xmlrpc_server():
    from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

    class Quiet(SimpleXMLRPCRequestHandler):
        def log_message(self, *args):
            pass

    srv = SimpleXMLRPCServer(("127.0.0.1", 0), requestHandler=Quiet, logRequests=False,
                             allow_none=True)
    srv.register_function(lambda a, b: a + b, "add")
    srv.register_function(lambda v: v, "echo")
    srv.register_function(lambda n: body_bytes(n).decode(), "big")

    def fail(msg):
        raise ValueError(msg)
    srv.register_function(fail, "fail")
    return srv


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    args = sys.argv[1:]
    life = 60.0
    if "--life" in args:
        i = args.index("--life")
        life = float(args[i + 1])
        del args[i:i + 2]
    if not args or args[0] not in ("http", "smtp", "xmlrpc", "sink", "ftp"):
        sys.stderr.write(__doc__)
        sys.exit(2)
    if args[0] == "http":
        ThreadingHTTPServer.daemon_threads = True
        srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    elif args[0] == "xmlrpc":
        srv = xmlrpc_server()
    else:
        handler = {"smtp": SmtpHandler, "sink": SinkHandler, "ftp": FtpHandler}[args[0]]
        srv = SmtpServer(("127.0.0.1", 0), handler)
        srv.outdir = args[1]
    watchdog = threading.Timer(life, lambda: os._exit(3))
    watchdog.daemon = True
    watchdog.start()
    sys.stdout.write("PORT %d PID %d\n" % (srv.server_address[1], os.getpid()))
    sys.stdout.flush()
    srv.serve_forever()


if __name__ == "__main__":
    main()
