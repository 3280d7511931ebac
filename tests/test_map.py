"""The map (kgraph viz --view map, report/map.html): places at their coordinates, flows as arcs,
drawn offline in Chromium with every network request blocked; and the places query behind it."""

from __future__ import annotations

import pytest

from kgraph import geomap, queries
from kgraph.results import Solutions, collect
from test_viz import browser  # noqa: F401  (the shared Chromium fixture)


def _places(store):
    q = queries.find("places")
    return collect(store.query(q.text, bindings=queries.bind(q, {}, lang="en")))


def test_places_query_gives_the_nearest_coordinates(store):
    rows = {(r["agent"].value.rsplit("/", 1)[1], r["placeLabel"].value): (float(r["lat"].value), float(r["long"].value),
                                                                           r["countryLabel"].value, r["group"].value)
            for r in _places(store).dicts()}
    assert rows[("renapess", "Mali")] == (17.57, -4.0, "Mali", "South")
    assert rows[("eso", "Plantagenet")] == (45.53, -74.99, "Canada", "North")
    assert rows[("bccic", "British Columbia")] == (53.73, -127.65, "Canada", "North")
    assert {p for a, p in rows if a == "bc-small-city-ngos"} == {"Comox", "Nelson", "Prince George"}
    q = queries.find("places")
    one = collect(store.query(q.text, bindings=queries.bind(q, {"of": "renapess"}, lang="en")))
    assert [r["placeLabel"].value for r in one.dicts()] == ["Mali"]


UNITS = """@prefix ced: <https://w3id.org/cedkg/ontology#> .
@prefix cedorg: <https://w3id.org/cedkg/id/org/> .
@prefix cedplc: <https://w3id.org/cedkg/id/place/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
cedplc:hamlet a ced:City ; skos:prefLabel "Hamlet"@en ; schema:containedInPlace cedplc:ontario .
cedorg:parent a ced:Network ; skos:prefLabel "Parent"@en ; schema:location cedplc:hamlet .
cedorg:unit a org:OrganizationalUnit ; skos:prefLabel "Unit"@en ; org:unitOf cedorg:parent .
cedorg:own a org:OrganizationalUnit ; skos:prefLabel "Own"@en ; org:unitOf cedorg:parent ; schema:location cedplc:dakar .
cedorg:far a ced:Network ; skos:prefLabel "Far"@en ; schema:location cedplc:africa .
"""


def test_a_unit_sits_at_its_parents_place_and_a_place_at_its_nearest_coordinates(tmp_path):
    from kgraph.sources import Source, bundled_sources
    from kgraph.store import Store

    (tmp_path / "units.ttl").write_text(UNITS, encoding="utf-8")
    store = Store.in_memory(bundled_sources(data=False) + [Source(tmp_path / "units.ttl", "data")])
    rows = sorted((r["agent"].value.rsplit("/", 1)[1], r["placeLabel"].value, float(r["lat"].value),
                   float(r["long"].value), r["countryLabel"].value, r["group"].value) for r in _places(store).dicts())
    assert rows == [("own", "Dakar", 14.72, -17.47, "Senegal", "South"),  # its own place, not its parent's
                    ("parent", "Hamlet", 50.0, -85.0, "Canada", "North"),  # Hamlet has none: Ontario's
                    ("unit", "Hamlet", 50.0, -85.0, "Canada", "North")]
    # known-bad: Africa (a world region) has no coordinates, nor anything containing it: "far" is not placed


def test_agents_in_several_places_sit_at_their_mean_and_arcs_know_their_way_back(store):
    located = geomap.locate(_places(store))
    assert located["cedorg:ottawa-montreal-ced-organisations"]["id"] == "Montreal; Ottawa"
    assert located["cedorg:ottawa-montreal-ced-organisations"]["lat"] == pytest.approx((45.50 + 45.42) / 2)
    assert geomap.locate(Solutions(["agent"], [])) == {}
    from kgraph import views

    data = geomap.build(views.fetch(store).flows, located)
    pairs = {(a["from"], a["to"]): a["reciprocal"] for a in data["arcs"]}
    assert pairs[("Plantagenet", "Mali")] is True and pairs[("Mali", "Plantagenet")] is True
    assert pairs[("Canada", "Mali")] is False  # nothing runs from Mali to the country point "Canada"
    assert sum(a["count"] for a in data["arcs"]) == 34 and data["local"] == 6
    assert data["unplaced"] == ["cedorg:idrc", "cedorg:overseas-municipal-counterparts",
                                "cedorg:practitioners-and-policy-makers", "cedpart:eso-renapess"]
    assert [p for p in data["points"] if p["id"] == "Mali"][0]["agents"] == [
        "Cooperatives in Mali", "Malian practitioners at the Rencontre africaine de Bamako",
        "Organic cotton producer in Mali", "RENAPESS Mali"]


@pytest.fixture(scope="module")
def map_page(tmp_path_factory):
    from click.testing import CliRunner

    from kgraph.cli import main

    out = tmp_path_factory.mktemp("map") / "map.html"
    r = CliRunner().invoke(main, ["viz", "--view", "map", "--out", str(out)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines()[-1] == f"Wrote {out}: 11 places, 30 arcs."
    return out


def _open(browser, path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.outside, page.problems = [], []
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
               else (page.outside.append(r.request.url), r.abort()))
    page.goto(path.as_uri())
    page.wait_for_function("typeof map !== 'undefined' && map.ready === true")
    return page


ARCS = """Array.from(document.querySelectorAll('path.arc')).map(a => {
  const n = a.getTotalLength(), p = a.getPointAtLength(0), q = a.getPointAtLength(n);
  const at = id => document.querySelector(`circle.place[data-id="${id}"]`);
  return {from: a.dataset.from, to: a.dataset.to, kind: a.dataset.kind, reciprocal: a.dataset.reciprocal,
          dash: a.getAttribute('stroke-dasharray'), colour: a.getAttribute('stroke'),
          start: [p.x, p.y], end: [q.x, q.y], fromCountry: at(a.dataset.from).dataset.country,
          toCountry: at(a.dataset.to).dataset.country,
          fromAt: [Number(at(a.dataset.from).getAttribute('cx')), Number(at(a.dataset.from).getAttribute('cy'))],
          toAt: [Number(at(a.dataset.to).getAttribute('cx')), Number(at(a.dataset.to).getAttribute('cy'))]}; })"""


def test_map_shows_canada_mali_flows_both_ways_offline(map_page, browser):  # noqa: F811
    text = map_page.read_text(encoding="utf-8")
    assert "<script src" not in text and "<link" not in text and "http://www.w3.org/2000/svg" in text
    page = _open(browser, map_page)
    assert page.locator("path.country").count() == 177  # Natural Earth 1:110m Admin 0
    arcs = page.evaluate(ARCS)
    assert len(arcs) == 30 and page.locator("circle.place").count() == 11
    mali = page.evaluate("map.project(-4.00, 17.57)")
    plantagenet = page.evaluate("map.project(-74.99, 45.53)")
    to_mali = [a for a in arcs if (a["fromCountry"], a["toCountry"]) == ("Canada", "Mali")]
    from_mali = [a for a in arcs if (a["fromCountry"], a["toCountry"]) == ("Mali", "Canada")]
    assert to_mali and from_mali
    for a in to_mali + from_mali:  # each arc starts at its source place and ends at its target place
        assert a["start"] == pytest.approx(a["fromAt"], abs=0.05) and a["end"] == pytest.approx(a["toAt"], abs=0.05)
    there = next(a for a in to_mali if a["from"] == "Plantagenet" and a["kind"] == "Facilitation")
    back = next(a for a in from_mali if a["to"] == "Plantagenet" and a["kind"] == "Facilitation")
    assert there["start"] == pytest.approx(plantagenet, abs=0.05) and there["end"] == pytest.approx(mali, abs=0.05)
    assert back["start"] == pytest.approx(mali, abs=0.05) and back["end"] == pytest.approx(plantagenet, abs=0.05)
    assert (there["reciprocal"], there["dash"], back["reciprocal"], back["dash"]) == ("true", "none", "true", "none")
    assert there["colour"] == back["colour"]  # coloured by kind
    one_way = next(a for a in arcs if a["from"] == "Canada" and a["to"] == "Mali" and a["kind"] == "Funding")
    assert (one_way["reciprocal"], one_way["dash"]) == ("false", "6 4")
    assert len({a["colour"] for a in arcs}) == len({a["kind"] for a in arcs})
    page.dispatch_event('path.arc[data-from="Plantagenet"][data-to="Mali"][data-kind="Facilitation"]', "click")
    assert page.inner_text("#details").splitlines()[0] == "Facilitation × 1: Plantagenet → Mali (flows also run back)"
    page.dispatch_event('circle.place[data-id="Mali"]', "click")
    assert page.inner_text("#details").splitlines()[:2] == ["Mali", "Cooperatives in Mali"]
    licences = page.locator("#licences")
    assert licences.locator("h3").all_text_contents() == ["d3-array", "d3-geo", "topojson-client", "world-atlas"]
    assert "Natural Earth" in text and licences.locator("pre").count() == 4
    assert page.outside == [] and page.problems == []
    page.close()


def test_map_options_select_flows_and_refuse_what_only_graphs_have(run, tmp_path):
    out = tmp_path / "knowledge.html"
    r = run("viz", "--view", "map", "--kinds", "knowledge", "--until", "2005", "--out", out)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[-1] == f"Wrote {out}: 3 places, 4 arcs."
    r = run("viz", "--view", "map", "--query", "partnership-subgraph", "--out", tmp_path / "q.html")
    assert (r.exit_code, r.stderr) == (2, "kgraph: --query applies to the graph views, not to --view map\n")
    r = run("viz", "--view", "map", "--max-nodes", "5", "--out", tmp_path / "m.html")
    assert (r.exit_code, r.stderr) == (2, "kgraph: --max-nodes applies to the graph views, not to --view map\n")
    assert not (tmp_path / "q.html").exists() and not (tmp_path / "m.html").exists()
    r = run("export", "--format", "gexf", "--view", "map", "--out", tmp_path / "x.gexf")
    assert r.exit_code == 2 and "'map' is not one of" in r.stderr


def test_map_page_escapes_what_comes_from_data():
    data = {"points": [{"id": "<b>X</b>", "lat": 1.0, "long": 2.0, "country": "", "group": "North", "agents": ["a"]},
                       {"id": "Y", "lat": 3.0, "long": 4.0, "country": "", "group": "South", "agents": ["b"]}],
            "arcs": [{"from": "<b>X</b>", "to": "Y", "kindId": "cedkind:x", "kind": "<script>k</script>", "count": 1,
                      "flows": ["</script><img src=x>"], "reciprocal": False}],
            "local": 0, "unplaced": ["<i>u</i>"]}
    page = geomap.render(data).html
    assert "<script>k</script>" not in page and "</script><img" not in page and "<i>u</i>" not in page
    assert "&lt;script&gt;k&lt;/script&gt;" in page and "&lt;i&gt;u&lt;/i&gt;" in page
