"""Cell values every importer checks the same way: web addresses, email addresses, coordinates.

Each function returns the normalised value, or raises ValueError with the sentence to show
next to the cell (the caller adds file, row and column).

>>> web_address("www.renapess.org")
'http://www.renapess.org'
>>> web_address("https://example.org/a page")
'https://example.org/a%20page'
>>> web_address("javascript:alert(1)")
Traceback (most recent call last):
ValueError: 'javascript:alert(1)' is not a web address: only http:// and https:// addresses are kept
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

_HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$|^localhost$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,63}$")


def web_address(text: str) -> str:
    """*text* as an http(s) IRI: ``http://`` added to a bare host name, spaces and other
    characters IRIs forbid percent-encoded. Other schemes (javascript:, data:, file:, ftp:),
    several addresses in one cell and addresses without a host name are refused."""
    value = text.strip()
    starts = re.findall(r"(?:^|[\s;,|])(?:https?://|www\.)", value, re.IGNORECASE)
    if len(starts) > 1:
        raise ValueError(f"{value!r} holds several addresses: keep one per cell")
    if not re.match(r"^https?://", value, re.IGNORECASE):
        if _SCHEME.match(value) and not re.match(r"^[^/:]+:\d+(/|$)", value):
            raise ValueError(f"{value!r} is not a web address: only http:// and https:// addresses are kept")
        value = "http://" + value.lstrip("/")
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a web address: write it as https://example.org/page") from None
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_host = ""
    if not _HOST.match(ascii_host) or "@" in parts.netloc:
        raise ValueError(f"{text.strip()!r} is not a web address (no valid host name): "
                         "write it as https://example.org/page")
    safe = "/:@!$&'()*+,;=-._~%?#[]"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), quote(parts.path, safe=safe),
                       quote(parts.query, safe=safe), quote(parts.fragment, safe=safe)))


def email_address(text: str) -> str:
    """*text* as a ``mailto:`` IRI; one address per cell."""
    value = text.strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    if not _EMAIL.match(value):
        raise ValueError(f"{text.strip()!r} is not an email address (one per cell, such as info@example.org)")
    return "mailto:" + value


def coordinate(text: str, axis: str) -> str:
    """A latitude (``axis="lat"``, -90..90) or longitude (``"long"``, -180..180) in decimal
    degrees, with a decimal comma accepted; returned as the decimal string to store."""
    value = text.strip().replace(",", ".")
    limit = 90 if axis == "lat" else 180
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", value) or not -limit <= number <= limit:
        what = "latitude" if axis == "lat" else "longitude"
        raise ValueError(f"{text.strip()!r} is not a {what}: write decimal degrees between -{limit} and {limit}, "
                         "such as 51.5074")
    return value.lstrip("+")
