"""The Python front door: kgraph.open(), query, metrics, graph, viz, validate, on the bundled data."""

from __future__ import annotations

import datetime
import html
import subprocess
import sys
from decimal import Decimal

import pytest

import kgraph
from kgraph.rows import IRI, LangString, value_of

THIRD = Decimal("0.333333333333333333")


@pytest.fixture(scope="module")
def kg():
    return kgraph.open()


def test_two_way_pairs_rows_are_python_values(kg):
    r = kg.query("two-way-pairs")
    assert len(r) == 4 and r.variables == ["a", "b", "aLabel", "bLabel", "flowsAB", "flowsBA", "balance", "twoWayIndex"]
    assert [(row.a, row.b, row.flowsAB, row.flowsBA, row.balance, row.twoWayIndex) for row in r] == [
        ("cedorg:eso", "cedorg:renapess", 2, 3, Decimal("-0.2"), Decimal("0.8")),
        ("cedorg:bccic", "cedorg:university-of-calgary", 1, 1, Decimal(0), Decimal(1)),
        ("cedorg:canadian-municipal-experts", "cedorg:overseas-municipal-counterparts", 1, 1, Decimal(0), Decimal(1)),
        ("cedorg:eso", "cedorg:malian-practitioners", 1, 1, Decimal(0), Decimal(1)),
    ]
    first = r[0]
    assert isinstance(first.a, IRI) and first.a.iri == "https://w3id.org/cedkg/id/org/eso"
    assert isinstance(first["bLabel"], LangString) and (first["bLabel"], first["bLabel"].lang) == ("RENAPESS Mali", "en")
    assert first.asdict()["flowsBA"] == 3 and type(first.flowsBA) is int


def test_named_query_parameters_from_python(kg):
    r = kg.query("two-way-pairs", kindRoot="resource", oneWay=True)  # as --param kindRoot=resource --param oneWay=true
    assert len(r) == 11 and [(row.a, row.b, row.flowsAB, row.flowsBA) for row in r[:3]] == [
        ("cedorg:eso", "cedorg:uniterra", 0, 3), ("cedorg:renapess", "cedorg:uniterra", 0, 2),
        ("cedorg:bccic", "cedorg:global-affairs-canada", 0, 1)]
    assert len(kg.query("flows-by-direction", partnership=IRI("cedpart:eso-renapess"))) == 12
    with pytest.raises(kgraph.ParameterError, match="has no parameter 'partner'"):
        kg.query("flows-by-direction", partner="eso-renapess")


def test_to_pandas_types_columns(kg):
    df = kg.query("two-way-pairs").to_pandas()
    assert list(df["flowsAB"]) == [2, 1, 1, 1] and str(df["flowsAB"].dtype) == "int64"
    assert str(df["twoWayIndex"].dtype) == "float64" and df["twoWayIndex"].sum() == pytest.approx(3.8)
    assert list(df["a"]) == ["cedorg:eso", "cedorg:bccic", "cedorg:canadian-municipal-experts", "cedorg:eso"]


def test_to_csv_text_and_file(kg, tmp_path):
    r = kg.query("two-way-pairs")
    text = r.to_csv()
    assert text.splitlines()[0] == "a,b,aLabel,bLabel,flowsAB,flowsBA,balance,twoWayIndex"
    assert text.splitlines()[2] == ("https://w3id.org/cedkg/id/org/bccic,https://w3id.org/cedkg/id/org/university-of-calgary,"
                                    "BCCIC,University of Calgary,1,1,0,1")
    out = tmp_path / "pairs.csv"
    assert r.to_csv(out) is None and out.read_text(encoding="utf-8").replace("\r\n", "\n") == text.replace("\r\n", "\n")
    with pytest.raises(kgraph.KgraphError) as e:
        r.to_csv(out)
    assert str(e.value) == f"{out}: already exists; use force=True to replace it, or choose another name"
    r.to_csv(out, force=True)
    assert [p.name for p in tmp_path.iterdir()] == ["pairs.csv"]  # no temporaries left


def test_html_table_escapes_and_counts(kg):
    page = kg.query("two-way-pairs")._repr_html_()
    assert page.count("<tr>") == 5 and "Économie solidaire de l&#x27;Ontario" in page and page.endswith("<p>4 rows</p>")
    assert "<td>-0.2</td>" in page and "<td>0.8</td>" in page and "<td>cedorg:renapess</td>" in page


def test_sparql_text_ask_and_construct(kg):
    r = kg.query("SELECT ?label WHERE { cedorg:renapess skos:altLabel ?label }")
    assert sorted((row.label, row.label.lang) for row in r) == [("RENAPESS", "en"), ("RENAPESS", "fr"),
                                                                ("RENAPESS Mali", "fr")]
    assert kg.query("ASK { cedorg:renapess a ced:Network }") is True
    g = kg.query("CONSTRUCT { cedorg:renapess skos:prefLabel ?l } WHERE { cedorg:renapess skos:prefLabel ?l }")
    assert sorted(str(o) for o in g.objects()) == ["RENAPESS Mali",
                                                   "Réseau National d'Appui à la Promotion de l'Économie Sociale et Solidaire"]


def test_inline_parameters_are_bound_by_python_type(kg):
    q = "SELECT DISTINCT ?e WHERE { ?e a/rdfs:subClassOf* schema:Event ; schema:startDate ?d FILTER(?d = ?when) }"
    assert [row.e for row in kg.query(q, when="2005-11")] == ["cedevt:dakar-2005"]  # read as --param: gYearMonth
    assert [row.e for row in kg.query(q, when=datetime.date(2005, 11, 1))] == []  # an xsd:date is another value
    r = kg.query("SELECT ?x WHERE { BIND(?n + 1 AS ?x) }", n=41)
    assert r[0].x == 42
    assert kg.query("SELECT ?x WHERE { BIND(?n * 2 AS ?x) }", n=Decimal("0.25"))[0].x == Decimal("0.5")
    assert kg.query("SELECT ?x WHERE { BIND(!?b AS ?x) }", b=False)[0].x is True
    assert kg.query("SELECT ?x WHERE { BIND(?o AS ?x) }", o=IRI("cedorg:eso"))[0].x.iri == \
        "https://w3id.org/cedkg/id/org/eso"


def test_values_of_every_datatype():
    xsd = "http://www.w3.org/2001/XMLSchema#"
    import pyoxigraph as ox

    lit = lambda v, t: value_of(ox.Literal(v, datatype=ox.NamedNode(xsd + t)))  # noqa: E731
    assert lit("7", "nonNegativeInteger") == 7 and lit("1.5", "double") == 1.5 and lit("true", "boolean") is True
    assert lit("2005-11-02", "date") == datetime.date(2005, 11, 2)
    assert lit("2005-11-02T10:00:00Z", "dateTime") == datetime.datetime(2005, 11, 2, 10, tzinfo=datetime.timezone.utc)
    assert (lit("2005", "gYear"), lit("2005-11", "gYearMonth")) == ("2005", "2005-11")
    assert lit("2007-02-30", "date") == "2007-02-30"  # ill-typed: kept as written
    assert value_of(ox.BlankNode("b0")) == "_:b0" and value_of(None) is None
    assert value_of(ox.NamedNode("http://example.org/x")) == "<http://example.org/x>"


def test_metrics_network_dataframe(kg):
    df = kg.metrics()
    values = dict(zip(df["measure"], df["value"]))
    assert {k: values[k] for k in ("nodes", "edges", "flows", "dyads", "mutualDyads")} == \
        {"nodes": 14, "edges": 18, "flows": 26, "dyads": 14, "mutualDyads": 4}
    assert values["dyadReciprocity"] == pytest.approx(4 / 14)
    assert (values["flows North → South"], values["flows South → North"]) == (10, 6)
    assert type(values["nodes"]) is int and df.attrs["notes"] == []


def test_metrics_pair_and_node_levels(kg):
    pairs = kg.metrics("pair")
    row = pairs[(pairs["a"] == "cedorg:eso") & (pairs["b"] == "cedorg:renapess")].iloc[0]
    assert (row["flowsAB"], row["flowsBA"], row["coAttendance"]) == (2, 3, 7)
    assert row["twoWayIndex"] == pytest.approx(0.8)
    nodes = kg.metrics("node").set_index("node")
    assert (nodes.loc["cedorg:bccic", "outFlows"], nodes.loc["cedorg:bccic", "inFlows"]) == (1, 3)
    assert str(nodes["outDegree"].dtype) == "int64"
    with pytest.raises(kgraph.ParameterError, match="level='pairs': use one of 'network', 'node', 'pair'"):
        kg.metrics("pairs")
    with pytest.raises(kgraph.ParameterError, match="since='2020-13': not a calendar date"):
        kg.metrics(since="2020-13")
    with pytest.raises(kgraph.KgraphError, match="no flow has kind cedkind:facilitaton"):
        kg.metrics(kinds="facilitaton")


def test_graph_is_the_exported_view(kg):
    g = kg.graph("flows")
    assert (g.number_of_nodes(), g.number_of_edges()) == (25, 43)
    assert sum(d["weight"] for _, _, d in g.edges(data=True)) == 49
    assert g.nodes["cedorg:renapess"]["group"] == "South"
    assert kg.graph().number_of_nodes() == 41


def test_viz_inline_and_save(kg, tmp_path):
    page = kg.viz()
    assert (page.nodes, page.edges) == (41, 77)
    frame = page._repr_html_()
    assert frame.startswith('<iframe class="kgraph-viz" srcdoc="') and frame.endswith("</iframe>")
    srcdoc = frame.split('srcdoc="', 1)[1].split('" style=', 1)[0]
    assert '"' not in srcdoc and html.unescape(srcdoc) == page.html
    assert "<script src" not in page.html and "<link" not in page.html
    out = tmp_path / "graph.html"
    assert page.save(out) == out and out.read_text(encoding="utf-8") == page.html
    with pytest.raises(kgraph.KgraphError) as e:
        page.save(out)
    assert str(e.value) == f"{out}: already exists; use force=True to replace it, or choose another name"
    with pytest.raises(kgraph.KgraphError, match="is a folder"):
        page.save(tmp_path)
    assert kg.viz("flows", kinds="knowledge").edges < 77


def test_validate_returns_violations(kg, tmp_path):
    assert kg.validate(quotes=False) == []
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ced: <https://w3id.org/cedkg/ontology#> .\n"
                   "<http://example.org/f> a ced:KnowledgeFlow .\n", encoding="utf-8")
    found = kgraph.open(data=bad).validate(quotes=False)
    assert {v.check for v in found if v.focus == "<http://example.org/f>"} >= {"FlowSource", "FlowTarget"}


def test_open_refuses_what_cannot_work(tmp_path):
    with pytest.raises(kgraph.KgraphError, match="no such file or folder"):
        kgraph.open(data=tmp_path / "missing.ttl")
    with pytest.raises(kgraph.KgraphError, match="--data and --store do not apply"):
        kgraph.open(data=tmp_path, endpoint="http://127.0.0.1:9/sparql")
    with pytest.raises(kgraph.QueryError, match="unknown query 'two-way-pair'; did you mean two-way-pairs"):
        kgraph.open(bundled_data=False).query("two-way-pair")


def test_open_with_extra_data_and_store(tmp_path):
    extra = tmp_path / "mine.ttl"
    extra.write_text("@prefix ced: <https://w3id.org/cedkg/ontology#> .\n"
                     "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                     '<http://example.org/n> a ced:Network ; skos:prefLabel "Mine"@en .\n', encoding="utf-8")
    kg = kgraph.open(data=[extra], store=tmp_path / "store")
    assert [r.l for r in kg.query("SELECT ?l WHERE { <http://example.org/n> skos:prefLabel ?l }")] == ["Mine"]
    assert (tmp_path / "store" / "manifest.json").is_file()


def test_import_kgraph_is_light_and_pandas_is_optional():
    code = ("import sys, kgraph; heavy = [m for m in ('rdflib', 'networkx', 'pyoxigraph', 'pandas', 'pyvis') "
            "if m in sys.modules]; print(heavy)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"
    blocked = ("import sys; sys.modules['pandas'] = None\nimport kgraph\nkg = kgraph.open()\n"
               "print(len(kg.query('two-way-pairs')))\n"
               "try:\n    kg.metrics()\nexcept kgraph.MissingExtra as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True, check=True).stdout
    assert out == "4\npandas is not installed; install kgraph's notebook extra: pip install 'kgraph[notebook]' " \
                  "(or pip install pandas)\n"
