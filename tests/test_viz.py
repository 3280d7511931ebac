"""The interactive page in a real headless Chromium (Debian's /usr/bin/chromium driven by
Playwright, no browser download), with every network request blocked; and the exports."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from kgraph import views

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

XSS = """@prefix ced: <https://w3id.org/cedkg/ontology#> .
@prefix cedkind: <https://w3id.org/cedkg/id/flow-kind/> .
@prefix cedstatus: <https://w3id.org/cedkg/id/flow-status/> .
@prefix cedorg: <https://w3id.org/cedkg/id/org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix cedsrc: <https://w3id.org/cedkg/id/source/> .
<http://example.org/evil> a ced:Network ; skos:prefLabel "<img src=x onerror=alert(1)>"@en .
<http://example.org/evil-flow> a ced:KnowledgeFlow ; ced:source <http://example.org/evil> ; ced:target cedorg:eso ;
    ced:kind cedkind:debate ; ced:status cedstatus:occurred ;
    skos:prefLabel "</script><script>window.__pwned = 1</script>"@en ;
    ced:evidence [ a ced:Evidence ; prov:hadPrimarySource cedsrc:ccednet-eso-renapess ;
                   ced:quote "<img src=y onerror=\\"window.__pwned = 2\\">" ] .
"""


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `python3 bootstrap.py pytest` (installs it) or `apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, path: Path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.problems, page.outside, page.dialogs = [], [], []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))

    def route(r):
        if r.request.url.startswith("file:"):
            return r.continue_()
        page.outside.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_function("typeof network !== 'undefined'", timeout=60000)
    try:
        page.wait_for_function("network.physics.stabilized === true", timeout=60000)
    except PlaywrightTimeout:  # a busy machine: freeze the layout where it is, so clicks hit their nodes
        page.evaluate("network.stopSimulation()")
    return page


def test_bundled_page_offline_shows_every_organisation_event_and_flow(run, browser, store, tmp_path):
    out = tmp_path / "graph.html"
    r = run("viz", "--out", out)
    assert r.exit_code == 0
    assert r.stderr == f"Wrote {out}: 41 nodes, 77 edges.\n"
    text = out.read_text(encoding="utf-8")
    assert "<script src" not in text and "<link" not in text
    page = open_page(browser, out)
    assert page.evaluate("network.body.data.nodes.length") == 41
    assert page.evaluate("network.body.data.edges.length") == 77
    ids = set(page.evaluate("network.body.data.nodes.getIds()"))
    g = views.build(views.fetch(store), "all", kinds=None)
    orgs = {r["agent"].value.replace("https://w3id.org/cedkg/id/org/", "cedorg:").replace(
        "https://w3id.org/cedkg/id/partnership/", "cedpart:") for r in views.fetch(store).graph.agents.dicts()}
    events = {n for n, d in g.nodes(data=True) if d["group"] == "event"}
    assert orgs <= ids and events <= ids and len(events) == 10
    flows = page.evaluate("network.body.data.edges.get().filter(e => e.dashes !== undefined).length")
    weights = sum(d["weight"] for _, _, d in g.edges(data=True) if d["relation"].startswith("cedkind:"))
    assert (flows, weights) == (43, 49)
    assert page.problems == [] and page.outside == []
    legend = page.inner_text("#side")
    assert "Legend" in legend and "Network" in legend and "Facilitation" in legend and "two-way pair" in legend


def test_click_on_a_node_selects_it(run, browser, tmp_path):
    out = tmp_path / "flows.html"
    run("viz", "--view", "flows", "--out", out)
    page = open_page(browser, out)
    x, y = page.evaluate("""(() => { const p = network.getPositions(['cedorg:renapess'])['cedorg:renapess'];
                                   const d = network.canvasToDOM(p); const r = document.querySelector('#graph canvas')
                                   .getBoundingClientRect(); return [r.left + d.x, r.top + d.y]; })()""")
    page.mouse.click(x, y)
    assert page.evaluate("network.getSelectedNodes()") == ["cedorg:renapess"]
    assert page.inner_text("#details").startswith("RENAPESS Mali\ntype: Network")
    page.fill("#search", "Uniterra")
    page.dispatch_event("#search", "change")
    assert page.evaluate("network.getSelectedNodes()") == ["cedorg:uniterra"]


def test_hostile_labels_and_quotes_show_as_text_and_run_nothing(browser, tmp_path, run):
    data = tmp_path / "evil.ttl"
    data.write_text(XSS, encoding="utf-8")
    out = tmp_path / "evil.html"
    assert run("viz", "--data", data, "--out", out).exit_code == 0
    page = open_page(browser, out)
    assert page.dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    labels = page.evaluate("Array.from(document.querySelectorAll('#labels option')).map(o => o.value)")
    assert "<img src=x onerror=alert(1)>" in labels
    tooltip = page.evaluate("network.body.data.edges.get().find(e => e.from === 'http://example.org/evil' || "
                            "e.from === '<http://example.org/evil>').title.innerHTML")
    assert "&lt;/script&gt;&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in tooltip
    assert "&lt;img src=y" in tooltip
    assert page.problems == [] and page.outside == []


def test_large_graphs_are_built_directly_and_freeze_physics(browser, tmp_path):
    from kgraph import viz

    g = nx.MultiDiGraph()
    for i in range(2500):
        g.add_node(f"n{i}", label=f"Org {i}", nodeType="Network", place="", group="North", date="")
    for i in range(2500):
        g.add_edge(f"n{i}", f"n{(i * 7 + 1) % 2500}", relation="cedkind:debate", relationLabel="Debate", weight=1,
                   status="Occurred", dates="", evidence="", reciprocal=False)
    page_obj = viz.render(g, max_nodes=2200)
    assert page_obj.nodes == 2200
    assert page_obj.notes == ["Showing the 2200 nodes with the highest degree of 2500.",
                              "Large graph: physics stops once the layout has stabilised."]
    out = tmp_path / "big.html"
    out.write_text(page_obj.html, encoding="utf-8")
    page = open_page(browser, out)
    assert page.evaluate("network.body.data.nodes.length") == 2200
    page.wait_for_function("network.physics.options.enabled === false", timeout=180000)
    assert page.problems == []


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_exports_read_back_equal_the_view(run, store, tmp_path, fmt, reader):
    out = tmp_path / f"g.{fmt}"
    assert run("export", "--format", fmt, "--out", out).exit_code == 0
    expected = views.build(views.fetch(store), "all", kinds=None)
    got = reader(out)
    assert sorted(got.nodes) == sorted(expected.nodes)
    for n, d in expected.nodes(data=True):
        assert {k: v for k, v in got.nodes[n].items() if k in d} == d
    def edge_set(graph):
        return sorted((u, v, d["relation"], int(d["weight"]), str(d["evidence"]), str(d["reciprocal"]).lower())
                      for u, v, d in graph.edges(data=True))
    assert edge_set(got) == edge_set(expected)


def test_csv_export(run, tmp_path):
    import csv

    out = tmp_path / "csv"
    assert run("export", "--format", "csv", "--view", "flows", "--kinds", "knowledge", "--status", "occurred",
               "--out", out).exit_code == 0
    edges = list(csv.DictReader((out / "edges.csv").open(encoding="utf-8")))
    nodes = list(csv.DictReader((out / "nodes.csv").open(encoding="utf-8")))
    assert sum(int(e["weight"]) for e in edges) == 26
    eso_renapess = [e for e in edges if (e["source"], e["target"]) == ("cedorg:renapess", "cedorg:eso")]
    assert sorted(e["relation"] for e in eso_renapess) == ["cedkind:debate", "cedkind:vision-strategy"]
    assert {n["id"] for n in nodes} >= {"cedorg:eso", "cedorg:renapess", "cedorg:uniterra"}


def test_query_picks_the_subgraph(run, tmp_path):
    out = tmp_path / "sub.html"
    r = run("viz", "--query", "partnership-subgraph", "--param", "partnership=eso-renapess", "--out", out)
    assert r.exit_code == 0
    assert r.stderr.splitlines()[0] == "--query partnership-subgraph kept 16 of 41 nodes."
