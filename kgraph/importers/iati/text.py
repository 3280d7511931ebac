"""An IATI file's raw text: where each element is, the line at an offset, verbatim quotes.

Every ``ced:quote`` the importer writes is a slice of the file's text, so it is verbatim by
construction; the offsets give the line each resource came from.
"""

from __future__ import annotations

import re
from functools import cache
from xml.sax.saxutils import escape

from kgraph.importers.iati.terms import MAX_QUOTE

_SKIPPED_MARKUP = r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"


@cache
def _tag_pattern(name: str) -> re.Pattern:
    return re.compile(rf"{_SKIPPED_MARKUP}|<{re.escape(name)}(?=[\s/>])", re.DOTALL)


def element_spans(raw: str, name: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of each *name* element in ``raw[lo:hi]`` (comments and CDATA skipped).

    >>> element_spans('<a><!-- <b> --><b x="1"/><b>t</b></a>', "b")
    [(15, 25), (25, 33)]
    """
    hi = len(raw) if hi is None else hi
    out = []
    for m in _tag_pattern(name).finditer(raw, lo, hi):
        if m.group().startswith(("<!", "<?")):
            continue
        close = raw.find(">", m.end(), hi)
        if close < 0:
            out.append((m.start(), hi))
        elif raw[close - 1] == "/":
            out.append((m.start(), close + 1))
        else:
            end = raw.find(f"</{name}", close, hi)
            out.append((m.start(), raw.find(">", end, hi) + 1 if end >= 0 else close + 1))
    return out


def first_tag(raw: str, name: str) -> int:
    """Offset of the first *name* start tag (0 if there is none)."""
    return next((m.start() for m in _tag_pattern(name).finditer(raw) if not m.group().startswith(("<!", "<?"))), 0)


def quote(raw: str, start: int, end: int) -> str:
    """The verbatim text of ``raw[start:end]``, cut to its first tag when too long to quote."""
    text = raw[start:end]
    if len(text) <= MAX_QUOTE:
        return text
    tag = raw[start:raw.find(">", start, end) + 1] if raw.find(">", start, end) >= 0 else ""
    return tag if 3 <= len(tag) <= MAX_QUOTE else text[:MAX_QUOTE]


class Text:
    """One file's raw text: its activities' spans and the line at an offset."""

    def __init__(self, raw: str):
        self.raw = raw
        starts = [s for s, _ in element_spans(raw, "iati-activity")]
        self.spans = list(zip(starts, [*starts[1:], len(raw)], strict=False))
        self._anchor = self._activity_anchor = (0, 1)

    def line(self, pos: int) -> int:
        """1-based line of offset *pos* (counted on from the last offset asked about)."""
        p, n = self._anchor if pos >= self._anchor[0] else self._activity_anchor
        if pos < p:
            p, n = 0, 1
        n += self.raw.count("\n", p, pos)
        self._anchor = (pos, n)
        return n

    def activity_span(self, k: int, identifier: str) -> tuple[int, int] | None:
        """Span of the *k*-th activity (0-based), checked to hold *identifier*."""
        wanted = escape(identifier)
        candidates = [self.spans[k]] if k < len(self.spans) else []
        for lo, hi in [*candidates, *self.spans]:
            if self.raw.find(wanted, lo, hi) >= 0:
                self._activity_anchor = (lo, self.line(lo))
                return lo, hi
        return None

