"""One HTTP exchange with an endpoint: a total deadline (not per read), redirects that never
carry a query or credentials to another place, and every failure as one EndpointError line.

A redirect of a POST is refused: urllib would turn it into a GET without the query (which
servers answer with an empty result, reported as "0 rows") and copy the Authorization header
to whatever origin the redirect names.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Mapping

from kgraph.endpoint.auth import Credentials, bearer, handlers, origin
from kgraph.errors import EndpointError

CHUNK = 1 << 16


class NoCarryRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect of a GET within the same origin only; refuse all others with one line."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if req.data is not None or origin(newurl) != origin(req.full_url):
            raise EndpointError(f"{req.full_url} redirected (HTTP {code}) to {newurl}; kgraph does not resend a "
                                "query or credentials to a redirect target: use the final URL as --endpoint")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Transport:
    """Sends requests to one endpoint with its credentials and a total deadline per request."""

    def __init__(self, url: str, creds: Credentials, timeout: float | None):
        self.timeout = timeout
        self.creds = creds
        self.opener = urllib.request.build_opener(NoCarryRedirects, *handlers(url, creds))

    def send(self, method: str, url: str, body: bytes | None, headers: Mapping[str, str], *,
             what: str, extra: float = 0.0) -> tuple[bytes, Mapping[str, str]]:
        """The response body and headers; *what* names the request in a timeout message and
        *extra* seconds are added to the deadline (uploads: in proportion to their size)."""
        req = urllib.request.Request(url, data=body, method=method, headers=dict(headers))
        for k, v in bearer(self.creds).items():
            req.add_unredirected_header(k, v)
        limit = self.timeout + extra if self.timeout else None
        deadline = None if limit is None else time.monotonic() + limit
        try:
            with self.opener.open(req, timeout=limit) as resp:
                return self._read(resp, deadline, url, what, limit), resp.headers
        except urllib.error.HTTPError as e:
            detail = " ".join(e.read(2000).decode("utf-8", "replace").split())[:300]
            raise EndpointError(f"{url} answered HTTP {e.code} {e.reason}" + (f": {detail}" if detail else "")) from None
        except urllib.error.URLError as e:
            if isinstance(e.reason, (socket.timeout, TimeoutError)):
                raise self._late(url, what, limit) from None
            raise EndpointError(f"cannot reach {url} ({getattr(e.reason, 'strerror', None) or e.reason}); "
                                "is the server running and the URL right?") from None
        except (socket.timeout, TimeoutError):
            raise self._late(url, what, limit) from None
        except (http.client.HTTPException, ConnectionError) as e:
            raise EndpointError(f"{url} dropped the connection while answering {what} "
                                f"({type(e).__name__}); check the server's log and try again") from None
        except ValueError as e:  # urllib's auth handlers on a scheme they do not know
            raise EndpointError(f"{url} asks for authentication kgraph cannot give ({e}); kgraph speaks "
                                "Basic, Digest and bearer tokens") from None

    def _read(self, resp, deadline: float | None, url: str, what: str, limit: float | None) -> bytes:
        """Read the whole body, stopping at the deadline however slowly the server trickles."""
        parts = []
        sock = getattr(getattr(getattr(resp, "fp", None), "raw", None), "_sock", None)
        while True:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise self._late(url, what, limit)
                if sock is not None:
                    sock.settimeout(left)
            chunk = resp.read1(CHUNK)
            if not chunk:
                if resp.length:  # fewer bytes than Content-Length promised
                    raise http.client.IncompleteRead(b"".join(parts), resp.length)
                return b"".join(parts)
            parts.append(chunk)

    def _late(self, url: str, what: str, limit: float | None) -> EndpointError:
        return EndpointError(f"{url} did not finish {what} within {limit or 0:g} s; raise KGRAPH_ENDPOINT_TIMEOUT "
                             "or check the server")
