"""The report's charts: Vega-Lite specifications rendered to inline SVG by vl-convert.

Each chart is a plain dict (a Vega-Lite v5 spec with its data inline), so what a chart shows
is data a test can compare exactly; :func:`svg` renders it with ``vl_convert`` (Vega and
Vega-Lite compiled into the package: no browser, no Node, no network — external URLs are
refused) and adds what a reader and a screen reader need: a ``<title>`` and ``<desc>`` for the
chart and a ``<title>`` (hover text) on every bar or cell, taken from Vega's own aria-labels.
Why vl-convert rather than matplotlib: docs/pictures.md (measured here).
"""

from __future__ import annotations

import html
import re

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # an identifier: never fetched
LABEL_CHARS = 42
BAR_COLOUR, CELL_SCHEME = "#4e79a7", "reds"
FONT = "sans-serif"
GROUPS = ("North", "South")


def short(label: str, limit: int = LABEL_CHARS) -> str:
    """A chart label cut to *limit* characters with an ellipsis (the bar's hover text keeps it whole);
    a pair 'A ↔ B' is cut on both sides, the longer name first, so both partners stay readable.

    >>> short("Économie solidaire de l'Ontario ↔ RENAPESS Mali")
    "Économie solidaire de l'O… ↔ RENAPESS Mali"
    >>> short("Canadian municipal experts ↔ Municipal counterparts in Asia, Africa")
    'Canadian municipal… ↔ Municipal counterpa…'
    """
    if len(label) <= limit:
        return label
    if label.count(" ↔ ") == 1:
        a, b = label.split(" ↔ ")
        budget = limit - 3
        a = _cut(a, max(budget - len(b), budget // 2))
        return f"{a} ↔ {_cut(b, budget - len(a))}"
    return _cut(label, limit)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _unique(labels: list[str]) -> list[str]:
    """Labels made distinct (a band per bar, even when two cut labels coincide): 'x', 'x (2)'."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def bar_spec(title: str, bars: list[tuple[str, float]], *, measure: str = "flows",
             domain: tuple[float, float] | None = None) -> dict:
    """Horizontal bars, one per (label, value), in the order given, each with its value written beside it."""
    rows = [{"label": shown, "value": v, "description": f"{label}: {v:g}"}
            for shown, (label, v) in zip(_unique([short(label) for label, _ in bars]), bars)]
    x: dict = {"field": "value", "type": "quantitative", "title": measure}
    if domain:
        x["scale"] = {"domain": list(domain)}
    return {"$schema": SCHEMA, "title": title, "description": f"{title}: {len(rows)} bars",
            "width": 360, "height": {"step": 24}, "data": {"values": rows},
            "encoding": {"y": {"field": "label", "type": "nominal", "sort": None, "title": None,
                               "axis": {"labelLimit": 0, "labelFontSize": 12}}, "x": x},
            "layer": [{"name": "bars", "mark": {"type": "bar", "color": BAR_COLOUR},
                       "encoding": {"description": {"field": "description"}}},
                      {"name": "values", "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 12},
                       "encoding": {"text": {"field": "value", "type": "quantitative", "format": "~g"}}}],
            "config": _config()}


def matrix_spec(title: str, cells: dict[tuple[str, str], int]) -> dict:
    """The North–South mixing matrix as a shaded 2×2 grid (rows: source group, columns: target)."""
    rows = [{"from": a, "to": b, "flows": cells.get((a, b), 0), "description": f"{a} → {b}: {cells.get((a, b), 0)}"}
            for a in GROUPS for b in GROUPS]
    top = max((r["flows"] for r in rows), default=0) or 1
    band = {"type": "nominal", "sort": list(GROUPS), "title": None}
    return {"$schema": SCHEMA, "title": title, "description": f"{title}: flows from each group (rows) to each "
            "group (columns)", "width": 180, "height": 180, "data": {"values": rows},
            "encoding": {"x": {"field": "to", **band, "axis": {"orient": "top", "labelAngle": 0, "labelFontSize": 12,
                                                               "labelExpr": "'to ' + datum.value"}},
                         "y": {"field": "from", **band, "axis": {"labelFontSize": 12,
                                                                 "labelExpr": "'from ' + datum.value"}}},
            "layer": [{"name": "cells", "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
                       "encoding": {"color": {"field": "flows", "type": "quantitative", "legend": None,
                                              "scale": {"scheme": CELL_SCHEME, "domain": [0, top]}},
                                    "description": {"field": "description"}}},
                      {"name": "counts", "mark": {"type": "text", "fontSize": 16},
                       "encoding": {"text": {"field": "flows", "type": "quantitative"},
                                    "color": {"condition": {"test": f"datum.flows > {top / 2}", "value": "white"},
                                              "value": "black"}}}],
            "config": _config()}


def _config() -> dict:
    # padding: room for a viewer whose sans-serif is wider than the one vl-convert measured with
    return {"font": FONT, "padding": {"left": 24, "top": 5, "right": 16, "bottom": 5}, "view": {"stroke": None}, "title": {"fontSize": 13, "anchor": "start"},
            "axis": {"labelFontSize": 11, "titleFontSize": 11}}


def data(spec: dict) -> list[dict]:
    """The rows a chart is drawn from (what its data table shows)."""
    return spec["data"]["values"]


def svg(spec: dict) -> str:
    """*spec* rendered to one inline SVG element, titled and described, with hover text on each mark.

    :raises ValueError: when vl-convert refuses the spec.
    """
    import vl_convert

    out = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    e = html.escape
    head = f'<title>{e(spec["title"])}</title><desc>{e(spec["description"])}</desc>'
    out = re.sub(r'^<svg ([^>]*?)class="marks" ([^>]*)>', lambda m: f'<svg class="chart" {m.group(1)}{m.group(2)}>{head}',
                 out, count=1)
    return _hover(out)


# A bar or cell of a named mark: Vega writes it as one self-closing <path> with its aria-label.
_MARK = re.compile(r'<path aria-label="([^"]*)" role="graphics-symbol"([^>]*?)/>')


def _hover(svg_text: str) -> str:
    """Give every graphics-symbol path a <title> child (the hover text), from its aria-label."""
    return _MARK.sub(lambda m: f'<path aria-label="{m.group(1)}" role="graphics-symbol"{m.group(2)}>'
                               f"<title>{m.group(1)}</title></path>", svg_text)
