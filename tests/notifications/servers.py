"""Real little servers for the outbox tests: an SMTP server (enough of RFC 5321 for
``smtplib``: EHLO, MAIL, RCPT, DATA, QUIT) and an HTTP SMS gateway taking JSON POSTs. Both
listen on 127.0.0.1 on a free port, in a thread, and keep what they received."""

from __future__ import annotations

import json
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _SMTPHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        def say(text: str) -> None:
            self.wfile.write((text + "\r\n").encode())

        say("220 test ESMTP")
        envelope: dict = {}
        lines: list[str] = []
        data = False
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            text = raw.decode("utf-8", "replace").rstrip("\r\n")
            if data:
                if text == ".":
                    data = False
                    self.server.messages.append({**envelope, "data": "\r\n".join(lines)})
                    lines = []
                    say("250 OK queued")
                else:
                    lines.append(text[1:] if text.startswith("..") else text)
                continue
            verb = text[:4].upper()
            if verb == "EHLO":
                say("250-test")
                say("250 8BITMIME")
            elif verb == "HELO":
                say("250 test")
            elif verb == "MAIL":
                envelope = {"from": text[10:].strip("<>"), "to": []}
            elif verb == "RCPT":
                envelope.setdefault("to", []).append(text[8:].strip("<>"))
            elif verb == "DATA":
                data = True
                say("354 go ahead")
                continue
            elif verb == "QUIT":
                say("221 bye")
                return
            if verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                say("250 OK")
            elif verb not in ("EHLO", "HELO"):
                say("502 not implemented")


class SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.messages: list[dict] = []
        self.port = self.server_address[1]


class _GatewayHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.received.append({"path": self.path, "body": body,
                                     "authorization": self.headers.get("Authorization")})
        status = self.server.status
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"ok": status < 300}).encode())

    def log_message(self, *args) -> None:
        return


class SMSGateway(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, status: int = 200) -> None:
        super().__init__(("127.0.0.1", 0), _GatewayHandler)
        self.received: list[dict] = []
        self.status = status
        self.url = f"http://127.0.0.1:{self.server_address[1]}/send"


def running(server):
    """Start ``server`` in a thread; the caller shuts it down (a context manager)."""
    class _Running:
        def __enter__(self):
            self.thread = threading.Thread(target=server.serve_forever, daemon=True)
            self.thread.start()
            return server

        def __exit__(self, *exc):
            server.shutdown()
            server.server_close()
            self.thread.join(timeout=5)

    return _Running()
