"""The report's index.html as a dashboard: summary, charts with their tables and CSVs, sortable
tables; opened in Chromium with every network request blocked (expected values from the CSVs)."""

from __future__ import annotations

import csv
import io

import pytest

from kgraph import dashboard
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


#: Texts of the report's charts that are drawn (partly) outside their SVG, which cuts them off.
OUTSIDE = """Array.from(document.querySelectorAll('figure svg text')).filter(t => {
  const b = t.getBBox(), svg = t.ownerSVGElement;
  return b.x < 0 || b.y < 0 || b.x + b.width > svg.width.baseVal.value || b.y + b.height > svg.height.baseVal.value;
}).map(t => t.textContent)"""


def test_long_chart_labels_are_cut_with_an_ellipsis_and_fit(browser):  # noqa: F811
    long = "Économie solidaire de l'Ontario ↔ RENAPESS Mali"
    svg = dashboard.bar_chart("t", [(long, 0.8), ("Canadian municipal experts ↔ Municipal counterparts", 1)])
    assert "Économie solidaire de l&#x27;Ontario…</text>" in svg and "<title>Canadian municipal experts ↔ Municipal" in svg
    page = browser.new_page()
    page.set_content(f"<figure>{svg}</figure><figure>{dashboard.matrix_chart('m', {})}</figure>")
    assert page.evaluate(OUTSIDE) == []
    # known-bad: the same labels anchored 60 px from the left edge run off it
    page.set_content("<figure>" + svg.replace(f'x="{12 + 8 * 32 - 6}"', 'x="60"') + "</figure>")
    assert len(page.evaluate(OUTSIDE)) == 2
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
    assert page.locator("#chart-pairs rect.bar").count() == len(pairs)
    cells = page.evaluate("Array.from(document.querySelectorAll('#chart-mixing rect.cell title'))"
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
    assert outside == []
    page.close()
