"""Credentials for SPARQL endpoints, from the environment only (never the command line, where
other users could read them): ``KGRAPH_ENDPOINT_TOKEN`` (bearer) or ``KGRAPH_ENDPOINT_USER``
and ``KGRAPH_ENDPOINT_PASSWORD`` (Basic or Digest, whichever the server asks for).

Basic and Digest answers go only in reply to the server's own 401 challenge, for the
endpoint's origin; the bearer token is attached to each request as an *unredirected* header.
Nothing is ever resent to another origin (see :mod:`kgraph.endpoint.transport`).
"""

from __future__ import annotations

import os
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Credentials:
    token: str | None = None
    user: str | None = None
    password: str = ""

    def __repr__(self) -> str:  # never print secrets in a traceback or a log
        return f"Credentials(token={'***' if self.token else None}, user={self.user!r})"


def from_environment(env: Mapping[str, str] | None = None) -> Credentials:
    """The credentials the KGRAPH_ENDPOINT_* variables give (none when unset)."""
    env = os.environ if env is None else env
    if env.get("KGRAPH_ENDPOINT_TOKEN"):
        return Credentials(token=env["KGRAPH_ENDPOINT_TOKEN"])
    if env.get("KGRAPH_ENDPOINT_USER"):
        return Credentials(user=env["KGRAPH_ENDPOINT_USER"], password=env.get("KGRAPH_ENDPOINT_PASSWORD", ""))
    return Credentials()


def origin(url: str) -> str:
    """``scheme://host:port`` of *url* (the unit credentials are bound to)."""
    p = urllib.parse.urlsplit(url)
    port = p.port or (443 if p.scheme == "https" else 80)
    return f"{p.scheme}://{(p.hostname or '').lower()}:{port}"


def handlers(url: str, creds: Credentials) -> list[urllib.request.BaseHandler]:
    """urllib handlers that answer Basic and Digest challenges from *url*'s origin only."""
    if not creds.user:
        return []
    base = urllib.parse.urlsplit(url)
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, f"{base.scheme}://{base.netloc}/", creds.user, creds.password)
    return [urllib.request.HTTPDigestAuthHandler(manager), urllib.request.HTTPBasicAuthHandler(manager)]


def bearer(creds: Credentials) -> dict[str, str]:
    """The Authorization header for a bearer token (empty without one)."""
    return {"Authorization": f"Bearer {creds.token}"} if creds.token else {}
