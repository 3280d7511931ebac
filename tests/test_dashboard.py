"""The report's index.html as a dashboard: summary, charts with their tables and CSVs, sortable
tables; opened in Chromium with every network request blocked (expected values from the CSVs)."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest

from kgraph import charts, dashboard
from kgraph.analysis import Table
from test_viz import browser  # noqa: F401  (the shared Chromium fixture)


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    from click.testing import CliRunner

    from kgraph.cli import main

    out = tmp_path_factory.mktemp("dash") / "report"
    assert CliRunner().invoke(main, ["report", "--out", str(out)], catch_exceptions=False).exit_code == 0
    return out


def test_direction_cells_read_the_network_rows_and_fill_missing_with_zero():
    t = Table(["measure", "value"], [["flows", 5], ["flows North → South", 3], ["flows South → North", 2]])
    assert dashboard.direction_cells(t) == {("North", "North"): 0, ("North", "South"): 3,
                                            ("South", "North"): 2, ("South", "South"): 0}
    assert dashboard.years(["2005-06-01", "2005-11", None, "1987"]) == [("1987", 1), ("2005", 2), ("no date", 1)]


def test_table_cells_are_escaped():
    assert "<td>&lt;b&gt;</td>" in dashboard.table_html(["x"], [["<b>"]])


@pytest.fixture(scope="module")
def bundled_charts():
    """The charts of a report on the bundled data, as specs (the query and metrics steps only)."""
    from kgraph import report
    from kgraph.sources import bundled_sources
    from kgraph.store import Store

    found = report.Report()
    steps = {s.name: s for s in report.plan(Store.in_memory(bundled_sources()), found)}
    folder = Path(tempfile.mkdtemp(prefix="kgraph-charts-"))
    steps["query"].run(folder)
    steps["metrics"].run(folder)
    return {c.fid: c for c in report.charts(found)}


def test_the_charts_are_drawn_from_the_reports_figures(bundled_charts):
    got = {fid: [tuple(row.values()) for row in charts.data(c.spec)] for fid, c in bundled_charts.items()}
    assert list(got) == ["chart-direction", "chart-mixing", "chart-years", "chart-pairs"]
    # 26 flows that occurred: metrics/network.csv's flows North → North, North → South, South → North
    assert got["chart-direction"] == [("North → North", 10, "North → North: 10"), ("North → South", 10, "North → South: 10"),
                                      ("South → North", 6, "South → North: 6"), ("South → South", 0, "South → South: 0")]
    assert got["chart-mixing"] == [("North", "North", 10, "North → North: 10"), ("North", "South", 10, "North → South: 10"),
                                   ("South", "North", 6, "South → North: 6"), ("South", "South", 0, "South → South: 0")]
    # every flow of queries/flows.csv (49: all kinds and statuses) by the year of its date
    assert [row[:2] for row in got["chart-years"]] == [("1987", 2), ("2005", 5), ("2007", 4), ("2015", 2),
                                                       ("no date", 36)]
    pairs = got["chart-pairs"]
    assert len(pairs) == 14 and [v for _, v, _ in pairs] == [0.8, 0.0, 0.0, 1.0, 1.0, 1.0] + [0.0] * 8
    assert pairs[0] == ("Économie solidaire de l'O… ↔ RENAPESS Mali", 0.8,
                        "Économie solidaire de l'Ontario ↔ RENAPESS Mali: 0.8")
    assert len({label for label, _, _ in pairs}) == 14  # one band per pair
    # the chart beside its table: the same numbers
    assert [row[1] for row in bundled_charts["chart-direction"].rows] == [10, 10, 6, 0]


def test_each_chart_svg_has_its_title_description_labels_and_hover_texts(bundled_charts):
    svg = charts.svg(bundled_charts["chart-direction"].spec)
    assert svg.startswith('<svg class="chart" xmlns="http://www.w3.org/2000/svg"')
    assert "<title>Flows by direction</title><desc>Flows by direction: 4 bars</desc>" in svg
    for label, n in (("North → North", 10), ("North → South", 10), ("South → North", 6), ("South → South", 0)):
        assert f">{label}</text>" in svg and f"<title>{label}: {n}</title></path>" in svg
    assert svg.count('aria-roledescription="bar"') == 4 and ">flows</text>" in svg
    matrix = charts.svg(bundled_charts["chart-mixing"].spec)
    assert "<title>North–South mixing matrix</title>" in matrix
    assert [x in matrix for x in (">to North</text>", ">to South</text>", ">from North</text>", ">from South</text>",
                                  "<title>North → South: 10</title>", "<title>South → South: 0</title>")] == [True] * 6
    pairs = charts.svg(bundled_charts["chart-pairs"].spec)
    assert ">Économie solidaire de l&#x27;O… ↔ RENAPESS Mali</text>" in pairs or \
        ">Économie solidaire de l'O… ↔ RENAPESS Mali</text>" in pairs
    assert "<title>Économie solidaire de l'Ontario ↔ RENAPESS Mali: 0.8</title>" in pairs
    assert ">two-way index</text>" in pairs and ">1.0</text>" in pairs  # the axis runs 0-1 whatever the data
    assert "http" not in pairs.replace("http://www.w3.org/", "")  # nothing to fetch
    # the same spec gives the same SVG (what tests and diffs rely on)
    assert charts.svg(bundled_charts["chart-direction"].spec) == svg


def test_chart_texts_from_data_are_escaped():
    svg = charts.svg(charts.bar_spec("<i>t</i>", [("<script>x</script> & co", 1)]))
    assert "<script>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;x&lt;/script&gt; &amp; co" in svg and "<title>&lt;i&gt;t&lt;/i&gt;</title>" in svg


#: Texts of the report's charts that are drawn (partly) outside their SVG, which cuts them off.
OUTSIDE = """Array.from(document.querySelectorAll('figure svg text')).filter(t => {
  const b = t.getBoundingClientRect(), s = t.ownerSVGElement.getBoundingClientRect();
  return b.width > 0 && (b.left < s.left - 0.5 || b.top < s.top - 0.5 || b.right > s.right + 0.5 || b.bottom > s.bottom + 0.5);
}).map(t => t.textContent)"""


@pytest.mark.browser
def test_long_chart_labels_are_cut_with_an_ellipsis_and_fit(browser):  # noqa: F811
    long = "Économie solidaire de l'Ontario ↔ RENAPESS Mali"
    svg = charts.svg(charts.bar_spec("t", [(long, 0.8), ("Canadian municipal experts ↔ Municipal counterparts", 1)]))
    assert ">Économie solidaire de l&#x27;O… ↔ RENAPESS Mali</text>" in svg or \
        ">Économie solidaire de l'O… ↔ RENAPESS Mali</text>" in svg
    assert "<title>Canadian municipal experts ↔ Municipal counterparts: 1</title>" in svg
    page = browser.new_page()
    page.set_content(f"<figure>{svg}</figure><figure>{charts.svg(charts.matrix_spec('m', {}))}</figure>")
    assert page.evaluate(OUTSIDE) == []
    # known-bad: the same chart cut 150 px narrower loses its labels' left ends and the 1's value label
    width = int(svg.split('width="', 1)[1].split('"', 1)[0])
    narrow = svg.replace(f'width="{width}"', f'width="{width - 150}"', 1).replace(' viewBox="', ' data-v="', 1)
    page.set_content(f"<figure>{narrow}</figure>")
    assert len(page.evaluate(OUTSIDE)) >= 2
    page.close()


@pytest.mark.browser
def test_index_has_summary_charts_and_sortable_tables_offline(report_dir, browser):  # noqa: F811
    network = dict(csv.reader(io.StringIO((report_dir / "metrics" / "network.csv").read_text())))
    pairs = list(csv.DictReader(io.StringIO((report_dir / "metrics" / "pair.csv").read_text())))
    page = browser.new_page()
    outside = []
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
               else (outside.append(r.request.url), r.abort()))
    page.goto((report_dir / "index.html").as_uri())
    assert page.locator("pre").count() == 0
    summary = page.inner_text("#summary")
    assert f"{network['flows']} between {network['nodes']} organisations" in summary
    assert f"North → South {network['flows North → South']}" in summary
    assert f"{network['mutualDyads']} of {network['dyads']} pairs" in summary
    ids = page.evaluate("Array.from(document.querySelectorAll('figure svg')).map(s => s.closest('figure').id)")
    assert ids == ["chart-direction", "chart-mixing", "chart-years", "chart-pairs"]
    assert page.locator("#chart-pairs g.bars_marks path").count() == len(pairs)
    cells = page.evaluate("Array.from(document.querySelectorAll('#chart-mixing g.cells_marks path title'))"
                          ".map(t => t.textContent)")
    assert f"North → South: {network['flows North → South']}" in cells
    assert f"South → South: {network.get('flows South → South', '0')}" in cells
    assert not page.is_visible("#chart-pairs table")
    page.click("#chart-pairs summary")
    assert page.is_visible("#chart-pairs table")
    column = "#chart-pairs table tbody tr td:nth-child(5)"  # flowsAB
    page.click("#chart-pairs table th:nth-child(5)")
    got = [int(x) for x in page.eval_on_selector_all(column, "els => els.map(e => e.textContent)")]
    assert got == sorted(int(p["flowsAB"]) for p in pairs)
    page.click("#chart-pairs table th:nth-child(5)")
    got = [int(x) for x in page.eval_on_selector_all(column, "els => els.map(e => e.textContent)")]
    assert got == sorted((int(p["flowsAB"]) for p in pairs), reverse=True)
    assert page.locator("table.sortable").count() >= 7
    assert page.evaluate(OUTSIDE) == []  # every label of every chart is drawn inside its chart
    assert page.evaluate("(() => { const ids = Array.from(document.querySelectorAll('[id]')).map(x => x.id);"
                         " return ids.length - new Set(ids).size; })()") == 0  # inline SVGs share no id
    assert outside == []
    page.close()
