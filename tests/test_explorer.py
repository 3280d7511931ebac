"""The graph page's explorer controls driven in Chromium (network blocked): filters, year slider,
counts and URL parameters; what stays drawn is read from vis-network's data."""

from __future__ import annotations

import pytest

from test_viz import browser, open_page  # noqa: F401  (the shared Chromium harness)

pytestmark = pytest.mark.browser

VISIBLE = """(() => { const n = network.body.data.nodes.get().filter(x => !x.hidden);
  const e = network.body.data.edges.get().filter(x => !x.hidden);
  return {nodes: n.map(x => x.id), labels: n.map(x => x.label), edges: e.length,
          kinds: Array.from(new Set(e.map(x => x.kind))).sort(), years: e.map(x => x.year)}; })()"""


@pytest.fixture(scope="module")
def graph_page(tmp_path_factory):
    from click.testing import CliRunner

    from kgraph.cli import main

    out = tmp_path_factory.mktemp("explorer") / "graph.html"
    assert CliRunner().invoke(main, ["viz", "--out", str(out)], catch_exceptions=False).exit_code == 0
    return out


def _events(page):
    return {n["label"]: n["year"] for n in page.evaluate("network.body.data.nodes.get()") if n["group_"] == "event"}


def test_slider_to_2005_leaves_only_what_existed_then(graph_page, browser):  # noqa: F811
    page = open_page(browser, graph_page)
    everything = page.evaluate(VISIBLE)
    assert len(everything["nodes"]) == 41 and everything["edges"] == 77
    assert page.inner_text("#counts") == "41 nodes, 77 edges shown"
    page.fill("#f-year", "2005")
    page.dispatch_event("#f-year", "input")
    shown = page.evaluate(VISIBLE)
    events = _events(page)
    later = {label for label, year in events.items() if year and year > 2005}
    assert {"Le Sommet de l'économie sociale et solidaire", "National CED Conference 2007"} <= later
    assert not later & set(shown["labels"])
    assert any("Bamako" in x for x in shown["labels"]) and "Third International Meeting on the Globalisation of Solidarity" in shown["labels"]
    assert all(y is None or y <= 2005 for y in shown["years"])
    assert shown["edges"] < 77
    assert page.inner_text("#counts") == f"{len(shown['nodes'])} nodes, {shown['edges']} edges shown"
    assert page.evaluate("location.search") == "?year=2005"
    assert page.outside == [] and page.problems == []


def test_kind_status_and_group_filters(graph_page, browser):  # noqa: F811
    page = open_page(browser, graph_page)
    page.select_option("#f-kind", "Debate")
    shown = page.evaluate(VISIBLE)
    assert shown["kinds"] == ["Debate"] and 0 < shown["edges"] < 77
    assert "RENAPESS Mali" in shown["labels"] and "Économie solidaire de l'Ontario" in shown["labels"]
    page.select_option("#f-kind", "")
    page.select_option("#f-group", "South")
    groups = page.evaluate("network.body.data.nodes.get().filter(x => !x.hidden).map(x => x.group_)")
    assert set(groups) <= {"South", "event"} and "South" in groups
    page.select_option("#f-group", "")
    page.select_option("#f-status", "Planned")
    statuses = page.evaluate("network.body.data.edges.get().filter(x => !x.hidden).map(x => x.status)")
    assert statuses and all("Planned" in s for s in statuses if s)
    assert page.outside == []


def test_url_parameters_restore_a_view(graph_page, browser):  # noqa: F811
    page = open_page(browser, graph_page)
    page.goto(graph_page.as_uri() + "?kind=Debate&year=2005")
    page.wait_for_function("typeof network !== 'undefined'")
    assert page.input_value("#f-kind") == "Debate" and page.input_value("#f-year") == "2005"
    shown = page.evaluate(VISIBLE)
    assert shown["kinds"] == ["Debate"] and all(y is None or y <= 2005 for y in shown["years"])
