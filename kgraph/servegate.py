"""The front door of ``kgraph serve``: a small HTTP server on 127.0.0.1 that checks each request
before handing it to the read-only Oxigraph server kgraph runs on a private loopback port.

Why a front: Oxigraph accepts any ``Host`` header (a web page could reach it through DNS
rebinding) and runs ``SERVICE`` clauses (a plain GET from any page would make the process
fetch any URL). The gate refuses both with one line of text (HTTP 403 / 400), and only
``/query`` is passed on, so nothing but SPARQL queries reaches the store.
"""

from __future__ import annotations

import http.client
import http.server
import socket
import urllib.parse

from kgraph.sparqlscan import uses_service

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
SERVICE_REFUSED = ("kgraph serve refuses SERVICE (a federated query would make this machine fetch "
                   "another URL); restart it with --allow-service to allow it\n")
CHUNK = 1 << 16


def host_allowed(host: str | None, port: int) -> bool:
    """True when the Host header names this machine's loopback (DNS rebinding defence).

    >>> host_allowed("127.0.0.1:7878", 7878), host_allowed("localhost", 7878)
    (True, True)
    >>> host_allowed("evil.example:7878", 7878), host_allowed("127.0.0.1:80", 7878)
    (False, False)
    """
    if not host:
        return False
    host = host.strip().lower()
    return any(host in (name, f"{name}:{port}") for name in LOOPBACK_NAMES)


def query_text(method: str, path: str, ctype: str, body: bytes) -> str | None:
    """The SPARQL query a protocol request carries (GET ``?query=``, POST form or direct)."""
    parsed = urllib.parse.urlsplit(path)
    found = urllib.parse.parse_qs(parsed.query).get("query", [])
    if method == "POST":
        media = ctype.split(";")[0].strip().lower()
        if media == "application/x-www-form-urlencoded":
            found += urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("query", [])
        elif media == "application/sparql-query":
            found.append(body.decode("utf-8", "replace"))
    return "\n".join(found) if found else None


class Gate(http.server.ThreadingHTTPServer):
    """Listens on 127.0.0.1:*port* and forwards accepted queries to 127.0.0.1:*upstream*."""

    daemon_threads = True

    def __init__(self, port: int, upstream: int, *, allow_service: bool = False, timeout: float = 60.0):
        self.upstream = upstream
        self.allow_service = allow_service
        self.upstream_timeout = timeout + 5
        super().__init__(("127.0.0.1", port), GateHandler)


class GateHandler(http.server.BaseHTTPRequestHandler):
    """Checks Host, path and SERVICE; streams the upstream answer back unchanged."""

    server: Gate
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - quiet: the terminal shows one line at start
        pass

    def do_GET(self):  # noqa: N802
        self._handle("GET")

    def do_POST(self):  # noqa: N802
        self._handle("POST")

    def _refuse(self, code: int, text: str) -> None:
        data = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str) -> None:
        port = self.server.server_address[1]
        if not host_allowed(self.headers.get("Host"), port):
            return self._refuse(403, f"kgraph serve answers only requests addressed to 127.0.0.1:{port} or "
                                     f"localhost:{port} (Host header refused)\n")
        if urllib.parse.urlsplit(self.path).path.rstrip("/") != "/query":
            return self._refuse(404, "kgraph serve answers SPARQL queries at /query only\n")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        text = query_text(method, self.path, self.headers.get("Content-Type", ""), body)
        if text is not None and not self.server.allow_service and uses_service(text):
            return self._refuse(400, SERVICE_REFUSED)
        self._forward(method, body)

    def _forward(self, method: str, body: bytes) -> None:
        keep = {k: v for k, v in self.headers.items() if k.lower() in ("accept", "content-type", "accept-language")}
        conn = http.client.HTTPConnection("127.0.0.1", self.server.upstream, timeout=self.server.upstream_timeout)
        try:
            conn.request(method, self.path, body=body if method == "POST" else None, headers=keep)
            resp = conn.getresponse()
            self.send_response(resp.status, resp.reason)
            for k, v in resp.getheaders():
                if k.lower() not in ("transfer-encoding", "connection", "content-length", "server", "date"):
                    self.send_header(k, v)
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            while chunk := resp.read(CHUNK):
                self.wfile.write(chunk)
        except (OSError, http.client.HTTPException):
            self.close_connection = True
        finally:
            conn.close()


def free_loopback_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now (for the private upstream)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
