"""The report's index page as a dashboard: a summary in words, sortable HTML tables and charts.

Charts are inline SVG written here (bars and a heat-map matrix, a few dozen lines): the page
needs no script from anywhere and no library at view time. Every chart has its data table
one click away (<details>) and the CSV it was drawn from beside it. All data is HTML-escaped.
"""

from __future__ import annotations

import html
from collections import Counter

from kgraph.analysis import Table

e = html.escape
GROUPS = ("North", "South")
LABEL_CHARS = 32

SORT_JS = """<script>
document.querySelectorAll('table.sortable th').forEach(function (th) {
  var i = th.cellIndex;
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0], rows = Array.from(body.rows);
    var up = th.dataset.dir !== 'asc'; th.dataset.dir = up ? 'asc' : 'desc';
    rows.sort(function (a, b) {
      var x = a.cells[i].textContent, y = b.cells[i].textContent, nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return up ? c : -c; });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
</script>"""


def table_html(columns: list[str], rows: list[list[object]], *, cls: str = "sortable") -> str:
    """An HTML table (click a header to sort by it); floats shown to three decimals."""
    def cell(v: object) -> str:
        return "" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))
    head = "".join(f"<th>{e(c)}</th>" for c in columns)
    body = "\n".join("<tr>" + "".join(f"<td>{e(cell(v))}</td>" for v in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>'


def bar_chart(title: str, bars: list[tuple[str, float]], *, width: int = 560) -> str:
    """Horizontal bars, one per (label, value), as inline SVG."""
    top = max((v for _, v in bars), default=0) or 1
    shown = [_short(label) for label, _ in bars]
    row, left = 26, 12 + 8 * max((len(x) for x in shown), default=4)  # at most ~8 px a character at 12 px
    parts = [f'<svg class="chart" role="img" aria-label="{e(title)}" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{row * len(bars) + 10}"><title>{e(title)}</title>']
    for i, (label, v) in enumerate(bars):
        w = (width - left - 50) * v / top
        y = 5 + i * row
        parts.append(f'<text x="{left - 6}" y="{y + 16}" text-anchor="end" font-size="12">{e(shown[i])}</text>'
                     f'<rect class="bar" x="{left}" y="{y}" width="{w:.1f}" height="{row - 6}" fill="#4e79a7">'
                     f'<title>{e(label)}: {v:g}</title></rect>'
                     f'<text x="{left + w + 4:.1f}" y="{y + 16}" font-size="12">{v:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    """A chart label cut to *limit* characters with an ellipsis (the bar's tooltip keeps it whole).

    >>> _short("Économie solidaire de l'Ontario ↔ RENAPESS Mali")
    "Économie solidaire de l'Ontario…"
    """
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def matrix_chart(title: str, cells: dict[tuple[str, str], int]) -> str:
    """The North–South mixing matrix as a shaded 2×2 grid (rows: source group, columns: target)."""
    top = max(cells.values(), default=0) or 1
    size, left = 90, 84
    parts = [f'<svg class="chart" role="img" aria-label="{e(title)}" xmlns="http://www.w3.org/2000/svg" '
             f'width="{left + 2 * size + 10}" height="{30 + 2 * size}"><title>{e(title)}</title>']
    for j, g in enumerate(GROUPS):
        parts.append(f'<text x="{left + j * size + size / 2}" y="18" text-anchor="middle" font-size="12">to {g}</text>')
    for i, src in enumerate(GROUPS):
        parts.append(f'<text x="{left - 6}" y="{30 + i * size + size / 2}" text-anchor="end" font-size="12">'
                     f'from {src}</text>')
        for j, dst in enumerate(GROUPS):
            n = cells.get((src, dst), 0)
            parts.append(f'<rect class="cell" x="{left + j * size}" y="{24 + i * size}" width="{size - 2}" '
                         f'height="{size - 2}" fill="#e15759" fill-opacity="{0.1 + 0.9 * n / top:.2f}">'
                         f'<title>{src} → {dst}: {n}</title></rect><text x="{left + j * size + size / 2}" '
                         f'y="{28 + i * size + size / 2}" text-anchor="middle" font-size="16">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def figure(fid: str, title: str, svg: str, columns: list[str], rows: list[list[object]], csv: str | None) -> str:
    """A chart, its data table one click away, and a link to its CSV."""
    link = f' <a href="{e(csv)}">CSV</a>' if csv else ""
    return (f'<figure id="{e(fid)}"><figcaption><b>{e(title)}</b>{link}</figcaption>{svg}'
            f'<details><summary>Data table</summary>{table_html(columns, rows)}</details></figure>')


def direction_cells(network: Table) -> dict[tuple[str, str], int]:
    """Flows per (source group, target group) from the network metrics' 'flows A → B' rows."""
    cells = {(a, b): 0 for a in GROUPS for b in GROUPS}
    for measure, value in network.rows:
        if str(measure).startswith("flows ") and " → " in str(measure):
            a, b = str(measure)[6:].split(" → ")
            cells[(a, b)] = int(value)
    return cells


def years(dates: list[object]) -> list[tuple[str, int]]:
    """Flows per year from their dates (undated flows counted as 'no date')."""
    count = Counter(str(d)[:4] if d else "no date" for d in dates)
    return sorted(count.items(), key=lambda kv: (kv[0] == "no date", kv[0]))
