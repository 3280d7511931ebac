"""Metrics on hand-computed graphs (exact values), cross-checked against igraph and a brute
force count on random graphs, and the bundled data's answers to the research questions."""

from __future__ import annotations

import itertools

import igraph
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph import analysis, metrics, network


def digraph(*edges):
    g = nx.DiGraph()
    for u, v, *w in edges:
        g.add_edge(u, v, weight=w[0] if w else 1)
    return g


# -- reciprocity and balance ---------------------------------------------------------------

def test_reciprocity_and_balance_by_hand():
    g = digraph(("a", "b", 2), ("b", "a", 1), ("b", "c", 3))
    assert metrics.reciprocity(g) == {"edges": 3, "dyads": 2, "mutual_dyads": 1, "edge": 2 / 3, "dyad": 0.5,
                                      "weighted": 2 / 6}
    ab, bc = sorted(metrics.pairs(g), key=lambda p: p.a)
    assert (ab.ab, ab.ba, ab.balance, ab.two_way) == (2, 1, 1 / 3, pytest.approx(2 / 3))
    assert (bc.ab, bc.ba, bc.balance, bc.two_way) == (3, 0, 1.0, 0.0)
    assert metrics.node_balance(g, "b") == (4 - 2) / 6
    assert metrics.node_reciprocity(g, "b") == 2 / 3
    assert metrics.node_reciprocity(g, "c") == 0.0


def test_no_reciprocal_ties():
    g = digraph(("a", "b"), ("b", "c"))
    r = metrics.reciprocity(g)
    assert (r["edge"], r["dyad"], r["weighted"]) == (0.0, 0.0, 0.0)
    assert [p.two_way for p in metrics.pairs(g)] == [0.0, 0.0]


def test_only_self_loops_count_as_nothing():
    g = digraph(("a", "a", 5))
    assert metrics.pairs(g) == []
    assert metrics.reciprocity(g) == {"edges": 0, "dyads": 0, "mutual_dyads": 0, "edge": None, "dyad": None,
                                      "weighted": None}
    assert metrics.node_reciprocity(g, "a") is None


def test_mixing_matrix_and_south_to_north_share():
    g = digraph(("n1", "s1", 2), ("s1", "n1", 1), ("n1", "n2", 1), ("s1", "x", 4))
    for n, grp in {"n1": "North", "n2": "North", "s1": "South", "x": "unknown"}.items():
        g.nodes[n]["group"] = grp
    m = metrics.mixing(g)
    assert m == {("North", "North"): 1, ("North", "South"): 2, ("South", "North"): 1, ("South", "unknown"): 4}
    assert metrics.south_to_north_share(m) == 1 / 3
    assert metrics.south_to_north_share({}) is None


# -- centrality ----------------------------------------------------------------------------

def test_constraint_counts_ties_in_both_directions():
    g = digraph(("a", "b", 1), ("c", "b", 1))  # b only receives
    c = metrics.constraint(g)
    assert c["b"] == pytest.approx(0.5)  # two contacts, p = 1/2 each, no indirect paths
    assert c["a"] == pytest.approx(1.0)


def test_betweenness_and_constraint_by_hand():
    path = digraph(("a", "b"), ("b", "c"))
    scores, k = metrics.betweenness(path)
    assert (scores, k) == ({"a": 0.0, "b": 0.5, "c": 0.0}, None)
    star = digraph(("hub", "x"), ("hub", "y"), ("hub", "z"))
    c = metrics.constraint(star)
    assert c["hub"] == pytest.approx(1 / 3)
    assert c["x"] == pytest.approx(1.0)
    star.add_node("alone")
    assert metrics.constraint(star)["alone"] is None


# -- brokerage -----------------------------------------------------------------------------

@pytest.mark.parametrize("groups,role", [
    ("AAA", "coordinator"), ("AAB", "representative"), ("ABB", "gatekeeper"), ("ABA", "itinerant"), ("ABC", "liaison"),
])
def test_each_brokerage_role(groups, role):
    g = digraph(("i", "j"), ("j", "k"))
    roles = metrics.brokerage(g, dict(zip("ijk", groups)))
    assert roles["j"] == {r: (1 if r == role else 0) for r in metrics.ROLES}
    assert roles["i"] == roles["k"] == dict.fromkeys(metrics.ROLES, 0)


def test_brokerage_needs_an_open_two_path():
    closed = digraph(("i", "j"), ("j", "k"), ("i", "k"))
    assert metrics.brokerage(closed, dict.fromkeys("ijk", "A"))["j"]["coordinator"] == 0
    back = digraph(("i", "j"), ("j", "i"))
    assert metrics.brokerage(back, dict.fromkeys("ij", "A"))["j"] == dict.fromkeys(metrics.ROLES, 0)
    reverse_only = digraph(("i", "j"), ("j", "k"), ("k", "i"))  # k→i does not close i→k
    assert metrics.brokerage(reverse_only, dict.fromkeys("ijk", "A"))["j"]["coordinator"] == 1


def test_brokerage_counts_every_ordered_pair():
    g = digraph(("p1", "j"), ("p2", "j"), ("j", "s1"), ("j", "s2"))
    groups = {"p1": "N", "p2": "S", "j": "N", "s1": "N", "s2": "S"}
    # p1→j→s1 all N; p1→j→s2 [N N][S]; p2→j→s1 [S][N N]; p2→j→s2 [N][S S]
    assert metrics.brokerage(g, groups)["j"] == {"coordinator": 1, "itinerant": 1, "representative": 1,
                                                 "gatekeeper": 1, "liaison": 0}
    assert sum(metrics.brokerage(g, groups)["j"].values()) == 4


# -- co-attendance -------------------------------------------------------------------------

def test_co_attendance_projection():
    b = nx.Graph()
    b.add_nodes_from(["x", "y", "z"], bipartite=0)
    b.add_nodes_from(["e1", "e2"], bipartite=1)
    b.add_edges_from([("x", "e1"), ("y", "e1"), ("z", "e1"), ("x", "e2"), ("y", "e2")])
    co = network.co_attendance(b)
    assert {(u, v): d["weight"] for u, v, d in co.edges(data=True)} == {("x", "y"): 2, ("x", "z"): 1, ("y", "z"): 1}
    assert co["x"]["y"]["events"] == ["e1", "e2"]


# -- cross-checks on random graphs ---------------------------------------------------------

edges = st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), min_size=1, max_size=60)


@settings(max_examples=80, deadline=None)
@given(edges)
def test_reciprocity_agrees_with_networkx_and_igraph(pairs_):
    pairs_ = sorted({(u, v) for u, v in pairs_ if u != v})
    if not pairs_:
        return
    g = nx.DiGraph(pairs_)
    ig = igraph.Graph(n=12, edges=pairs_, directed=True)
    r = metrics.reciprocity(g)
    assert r["edge"] == pytest.approx(nx.overall_reciprocity(g))
    assert r["edge"] == pytest.approx(ig.reciprocity(ignore_loops=True, mode="default"))
    assert r["dyad"] == pytest.approx(ig.reciprocity(ignore_loops=True, mode="ratio"))


@settings(max_examples=60, deadline=None)
@given(edges)
def test_betweenness_agrees_with_igraph(pairs_):
    pairs_ = sorted({(u, v) for u, v in pairs_ if u != v})
    nodes = sorted({n for e in pairs_ for n in e})
    if len(nodes) < 3:
        return
    g = nx.DiGraph(pairs_)
    index = {n: i for i, n in enumerate(nodes)}
    ig = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in pairs_], directed=True)
    ours, _ = metrics.betweenness(g)
    scale = (len(nodes) - 1) * (len(nodes) - 2)
    for n, b in zip(nodes, ig.betweenness(directed=True)):
        assert ours[n] == pytest.approx(b / scale)


weighted = st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11), st.integers(1, 4)), min_size=1, max_size=60)


def networkx_constraint(g):
    """kgraph's constraint as networkx computed it before igraph: nx.constraint of the
    symmetrised weighted graph, NaN (isolates) as None."""
    sym = nx.Graph()
    sym.add_nodes_from(g)
    for u, v, d in g.edges(data=True):
        if u != v:
            w = d["weight"]
            sym.add_edge(u, v, weight=sym[u][v]["weight"] + w if sym.has_edge(u, v) else w)
    return {n: (None if c != c else c) for n, c in nx.constraint(sym, weight="weight").items()}


@settings(max_examples=80, deadline=None)
@given(weighted)
def test_betweenness_and_constraint_equal_networkx(triples):
    g = nx.DiGraph()
    g.add_nodes_from(range(12))  # isolates too
    for u, v, w in triples:  # self-loops too
        g.add_edge(u, v, weight=w)
    ours, k = metrics.betweenness(g)
    assert k is None
    assert ours == pytest.approx(nx.betweenness_centrality(g), abs=1e-12)
    ours_c, theirs_c = metrics.constraint(g), networkx_constraint(g)
    assert [n for n in g if ours_c[n] is None] == [n for n in g if theirs_c[n] is None]
    assert {n: c for n, c in ours_c.items() if c is not None} == \
        pytest.approx({n: c for n, c in theirs_c.items() if c is not None}, abs=1e-12)


def test_sampled_betweenness_uses_networkx_pivots_and_scaling(monkeypatch):
    import random

    monkeypatch.setattr(metrics, "SAMPLE_ABOVE", 20)
    monkeypatch.setattr(metrics, "SAMPLE_K", 7)
    r = random.Random(3)
    g = nx.DiGraph((r.randrange(60), r.randrange(60)) for _ in range(200))
    ours, k = metrics.betweenness(g, seed=11)
    assert k == 7
    assert ours == pytest.approx(nx.betweenness_centrality(g, k=7, seed=11), abs=1e-12)
    assert ours != pytest.approx(nx.betweenness_centrality(g, k=7, seed=12), abs=1e-12)


@settings(max_examples=80, deadline=None)
@given(edges, st.lists(st.sampled_from("NSX"), min_size=12, max_size=12))
def test_brokerage_agrees_with_a_brute_force_count(pairs_, classes):
    g = nx.DiGraph([(u, v) for u, v in pairs_ if u != v])
    g.add_nodes_from(range(12))
    group = dict(enumerate(classes))
    expected = {n: dict.fromkeys(metrics.ROLES, 0) for n in g}
    for i, j, k in itertools.permutations(g, 3):
        if g.has_edge(i, j) and g.has_edge(j, k) and not g.has_edge(i, k):
            key = (group[i] == group[j], group[j] == group[k], group[i] == group[k])
            role = {(True, True, True): "coordinator", (True, False, False): "representative",
                    (False, True, False): "gatekeeper", (False, False, True): "itinerant",
                    (False, False, False): "liaison"}[key]
            expected[j][role] += 1
    assert metrics.brokerage(g, group) == expected


# -- the bundled data ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def data(store):
    return network.fetch(store)


def test_eso_renapess_exchange_both_ways_with_balance(data):
    rows = analysis.pair_table(data, analysis.Settings()).rows
    eso = next(r for r in rows if (r[0], r[2]) == ("cedorg:eso", "cedorg:renapess"))
    assert eso[4:] == [2, 3, pytest.approx(-0.2), pytest.approx(0.8), 7]


def test_knowledge_network_level(data):
    rows = dict(analysis.network_table(data, analysis.Settings()).rows)
    assert (rows["nodes"], rows["edges"], rows["flows"], rows["mutualDyads"]) == (14, 18, 26, 4)
    assert rows["southToNorthShare"] == 6 / 16
    assert (rows["flows North → South"], rows["flows South → North"], rows["flows North → North"]) == (10, 6, 10)


def test_uniterra_and_fcm_broker_between_canadian_and_southern_organisations(data):
    t = analysis.node_table(data, analysis.Settings())
    roles = {r[0]: dict(zip(metrics.ROLES, r[-5:])) for r in t.rows}
    assert roles["cedorg:uniterra"] == {"coordinator": 2, "itinerant": 0, "representative": 2, "gatekeeper": 0, "liaison": 0}
    assert roles["cedorg:fcm-international"]["representative"] == 2
    assert roles["cedorg:coop-301"]["gatekeeper"] == 1  # Malian cotton → Coop 301 → ESO's store


def test_persons_roll_up_unless_kept(store):
    rolled = network.flow_graph(network.fetch(store))
    kept = network.flow_graph(network.fetch(store, keep_persons=True))
    assert "cedper:ethel-cote" not in rolled and rolled.has_edge("cedorg:eso", "cedorg:renapess")
    assert kept.has_edge("cedper:ethel-cote", "cedorg:renapess")
    assert kept.nodes["cedper:ethel-cote"]["group"] == "North"


def test_period_and_kind_filters(store):
    d = network.fetch(store, since="2005", until="2005")
    g = network.flow_graph(d, kinds=None)
    assert sorted(g.edges()) == [("cedorg:eso", "cedorg:malian-practitioners"), ("cedorg:malian-practitioners", "cedorg:eso"),
                                 ("cedorg:uniterra", "cedorg:eso"), ("cedorg:uniterra", "cedorg:renapess")]
    funding = network.flow_graph(network.fetch(store), kinds=("cedkind:funding",))
    assert sorted(funding.edges()) == [("cedorg:global-affairs-canada", "cedorg:bccic"),
                                       ("cedorg:global-affairs-canada", "cedorg:fcm-international"),
                                       ("cedorg:idrc", "cedorg:bccic"), ("cedorg:uniterra", "cedorg:eso"),
                                       ("cedorg:uniterra", "cedorg:renapess")]


def test_metrics_rdf_loads_and_answers_sparql(store, tmp_path):
    import pyoxigraph as ox

    triples = analysis.to_rdf(network.fetch(store), analysis.Settings())
    s = ox.Store()
    s.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    rows = list(s.query("""PREFIX cedmetric: <https://w3id.org/cedkg/metrics#>
        SELECT ?ab ?ba WHERE { ?m a cedmetric:PairMeasurement ; cedmetric:agentA <https://w3id.org/cedkg/id/org/eso> ;
        cedmetric:agentB <https://w3id.org/cedkg/id/org/renapess> ; cedmetric:flowsAB ?ab ; cedmetric:flowsBA ?ba }"""))
    assert [(r["ab"].value, r["ba"].value) for r in rows] == [("2", "3")]
