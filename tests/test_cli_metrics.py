"""`kgraph metrics`: the acceptance answers through the CLI, every format read back."""

from __future__ import annotations

import csv
import io
import json

from rdflib import Graph, Literal, Namespace, URIRef


def test_pair_level_shows_eso_renapess_both_ways(run):
    r = run("metrics", "--level", "pair")
    assert r.exit_code == 0
    header, rule, first = r.stdout.splitlines()[:3]
    assert header.split() == ["a", "aLabel", "b", "bLabel", "flowsAB", "flowsBA", "balance", "twoWayIndex", "coAttendance"]
    assert first.startswith("cedorg:eso ")
    assert first.split()[-5:] == ["2", "3", "-0.2", "0.8", "7"]


def test_node_level_csv_shows_brokers(run):
    r = run("metrics", "--level", "node", "--format", "csv")
    rows = {row["node"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert rows["cedorg:uniterra"]["representative"] == "2"
    assert rows["cedorg:fcm-international"]["representative"] == "2"
    assert rows["cedorg:renapess"]["group"] == "South"


def test_network_level_json(run):
    data = json.loads(run("metrics", "--format", "json").stdout)
    values = {d["measure"]: d["value"] for d in data}
    assert values["mutualDyads"] == 4
    assert values["flows South → North"] == 6


def test_group_by_country(run):
    rows = json.loads(run("metrics", "--group-by", "country", "--format", "json").stdout)
    values = {d["measure"]: d["value"] for d in rows}
    assert values["flows Mali → Canada"] == 5
    assert "southToNorthShare" not in values


def test_ttl_output_is_queryable_rdf(run, tmp_path):
    out = tmp_path / "metrics.ttl"
    assert run("metrics", "--kinds", "all", "--status", "all", "--format", "ttl", "--out", out).exit_code == 0
    g = Graph().parse(out, format="turtle")
    M = Namespace("https://w3id.org/cedkg/metrics#")
    run_node = next(g.subjects(None, M.Run))
    assert g.value(run_node, M.kinds) == Literal("all")
    r = run("query", "--data", out, "--format", "csv", "--sparql",
            "SELECT ?n WHERE { ?m cedmetric:node cedorg:uniterra ; cedmetric:representative ?n }")
    assert r.stdout.splitlines()[1:] == ["2"]
    assert (None, M.node, URIRef("https://w3id.org/cedkg/id/org/renapess")) in g


def test_metrics_options_are_checked(run):
    r = run("metrics", "--kinds", "gossip")
    assert (r.exit_code, r.stderr) == (2, "kgraph: --kinds: no flow has kind cedkind:gossip; use knowledge, resource, all, "
                                          "or the kind names `kgraph query flow-edges` shows (e.g. facilitation,funding)\n")
    r = run("metrics", "--since", "last year")
    assert (r.exit_code, r.stderr) == (2, "kgraph: --since 'last year': not a date; use YYYY-MM-DD, YYYY-MM or YYYY\n")
