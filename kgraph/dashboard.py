"""The report's index page as a dashboard: a summary in words, sortable HTML tables and charts.

Charts are Vega-Lite specs rendered to inline SVG when the report is written (kgraph.charts,
vl-convert): the page needs no script from anywhere and no library at view time. Every chart has its data table
one click away (<details>) and the CSV it was drawn from beside it. All data is HTML-escaped.
"""

from __future__ import annotations

import html
from collections import Counter

from kgraph.analysis import Table
from kgraph.charts import GROUPS

e = html.escape

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
