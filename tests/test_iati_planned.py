"""IATI beyond transactions: budgets and planned disbursements as planned flows, regions,
sector shares in every vocabulary, the humanitarian flag, aid/flow/finance types,
transaction descriptions and dates; negative amounts netted; amounts as weights; and the
note when an import's flows are all of kinds a command leaves out by default.

Expected values were read in the XML (lines given) and summed by hand or with grep/awk.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from conftest import TESTS
from rdflib import Graph, Literal, Namespace

from kgraph.cli import main
from kgraph.namespaces import PREFIXES

CED, SCHEMA, DCTERMS, RDF = (Namespace(PREFIXES[p]) for p in ("ced", "schema", "dcterms", "rdf"))
ACT, ORGNS, PLC, FLOW, STATUS = (Namespace(PREFIXES[p]) for p in ("iatiact", "cedorg", "cedplc", "cedflow", "cedstatus"))
SECTOR, IATIAID, IATIFLOW, IATIFINANCE = (Namespace(PREFIXES[p]) for p in ("iatisector", "iatiaid", "iatiflow",
                                                                              "iatifinance"))
FIXTURES = TESTS / "fixtures" / "iati"
ANNOTATED = FIXTURES / "activity-standard-example-annotated-2.03.xml"
NL_MFA = FIXTURES / "nl-mfa-XM-DAC-7-203.xml"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def nl(tmp_path_factory):
    out = tmp_path_factory.mktemp("nl") / "nl.ttl"
    assert invoke("import", "iati", NL_MFA, "--out", out).exit_code == 0
    return out


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    out = tmp_path_factory.mktemp("annotated") / "a.ttl"
    assert invoke("import", "iati", ANNOTATED, "--out", out).exit_code == 0
    return Graph().parse(out)


def amount(g, flow):
    node = g.value(flow, CED.amount)
    return g.value(node, SCHEMA.value).toPython(), str(g.value(node, SCHEMA.currency))


def test_budgets_and_planned_disbursements_are_planned_flows(nl):
    g = Graph().parse(nl)
    # NL-1-PPR-28385, line 1746: <budget> 2015-12-23..2018-01-01, 11739341 (default-currency EUR),
    # from the reporting ministry to the activity's one implementer, RVO.NL.
    budget = FLOW["iati-nl-1-ppr-28385-budget-1"]
    assert (g.value(budget, CED.source), g.value(budget, CED.target)) == (ORGNS["xm-dac-7"], ORGNS["rvo-nl"])
    assert g.value(budget, CED.status) == STATUS.planned
    assert g.value(budget, CED.iatiElement) == Literal("budget")
    assert g.value(budget, CED.transactionType) is None
    assert (str(g.value(budget, SCHEMA.startDate)), str(g.value(budget, SCHEMA.endDate))) == ("2015-12-23",
                                                                                              "2018-01-01")
    assert amount(g, budget) == (Decimal(11739341), "EUR")
    assert str(g.value(budget, Namespace(PREFIXES["skos"]).prefLabel)) == "Budget: Ministry of Foreign Affairs (DGIS) → RVO.NL"
    # line 1761: the third planned disbursement, 2017, 2993925
    pd = FLOW["iati-nl-1-ppr-28385-pd-3"]
    assert g.value(pd, CED.iatiElement) == Literal("planned-disbursement")
    assert (str(g.value(pd, SCHEMA.startDate)), amount(g, pd)) == ("2017-01-01", (Decimal(2993925), "EUR"))


def test_annotated_example_details(annotated):
    g = annotated
    a = ACT["AA-AAA-123456789-ABC123"]
    # line 8 humanitarian="1"; lines 214-223: flow type 10, finance type 110, aid type A01 (vocabulary 1;
    # the vocabulary-2 code "1" is left out with a note)
    assert g.value(a, CED.humanitarian) == Literal(True)
    assert (g.value(a, CED.flowType), g.value(a, CED.financeType)) == (IATIFLOW["10"], IATIFINANCE["110"])
    assert set(g.objects(a, CED.aidType)) == {IATIAID.A01}
    # lines 162-166: three sectors, none of vocabulary 1, each a share with its percentage
    shares = {(str(g.value(s, CED.sectorVocabulary)), str(g.value(s, CED.code)), g.value(s, CED.percentage).toPython(),
               tuple(str(d) for d in g.objects(s, DCTERMS.description))) for s in g.objects(a, CED.sectorShare)}
    assert shares == {("2", "111", Decimal(50), ()), ("2", "112", Decimal(50), ()),
                      ("99", "A1", Decimal(100), ("A description of the sector",))}
    # the transaction (line 265): humanitarian="1", its description, its own types
    f = FLOW["iati-aa-aaa-123456789-abc123-1"]
    assert g.value(f, CED.humanitarian) == Literal(True)
    assert set(g.objects(f, DCTERMS.description)) == {Literal("Transaction description text", lang="en")}
    # its own <sector vocabulary="2" code="111" /> (line 279), without a percentage
    assert [(str(g.value(s, CED.sectorVocabulary)), str(g.value(s, CED.code)), g.value(s, CED.percentage))
            for s in g.objects(f, CED.sectorShare)] == [("2", "111", None)]
    assert (g.value(f, CED.flowType), g.value(f, CED.financeType), g.value(f, CED.aidType)) == (
        IATIFLOW["10"], IATIFINANCE["110"], IATIAID.A01)
    # the planned disbursement of line 239: BB -> AA, 2014, 3000 EUR
    pd = FLOW["iati-aa-aaa-123456789-abc123-pd-1"]
    assert (g.value(pd, CED.source), g.value(pd, CED.target)) == (ORGNS["bb-bbb-123456789"], ORGNS["aa-aaa-123456789"])
    assert amount(g, pd) == (Decimal(3000), "EUR")


SMALL = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity xml:lang="en" default-currency="CAD" humanitarian="yes">
  <iati-identifier>CA-3-P1</iati-identifier>
  <reporting-org ref="CA-3" type="10"><narrative>Global Affairs Canada</narrative></reporting-org>
  <title><narrative>Planned</narrative></title>
  <participating-org ref="CA-3" role="1"/>
  <participating-org role="4" type="22"><narrative>Partner</narrative></participating-org>
  <recipient-region code="298" vocabulary="1"/>
  <recipient-region code="999" vocabulary="1"/>
  <sector vocabulary="1" code="15150" percentage="60"/>
  <sector vocabulary="1" code="15160" percentage="150"/>
  <default-finance-type code="999"/>
  <budget type="1"><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/><value>100</value></budget>
  <budget type="2"><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/><value>120</value></budget>
  <transaction><transaction-type code="2"/><transaction-date iso-date="2021-13-01"/>
   <value value-date="2021-01-05">1000</value></transaction>
  <transaction><transaction-type code="2"/><transaction-date iso-date="2021-06-01"/><value>-300</value></transaction>
  <transaction><transaction-type code="3"/><value value-date="2021-02-01">200</value></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2021-03-01"/><value>-50</value></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2021-04-01"/>
   <value currency="USD">70</value></transaction>
 </iati-activity>
</iati-activities>
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    source = folder / "planned.xml"
    source.write_text(SMALL, encoding="utf-8")
    out = folder / "x.ttl"
    r = invoke("import", "iati", source, "--out", out)
    assert r.exit_code == 0, r.stderr
    return source, out, r


def test_bad_values_are_noted_and_the_rest_kept(small):
    source, out, r = small
    # lines: the activity starts at 3, budgets at 14-15, transactions at 16, 18, 19, 20, 21
    assert r.stderr.splitlines() == [
        f"{source}:3: skipped recipient-region '999': no world region with that OECD-DAC code",
        f"{source}:3: left out sector '15160''s percentage '150': not a number from 0 to 100",
        f"{source}:3: left out humanitarian='yes': not 1, 0, true or false",
        f"{source}:3: left out finance-type '999': not in the IATI codelist",
        f"{source}: provider-org not given: the reporting organisation taken as provider (it reports money it moved) "
        "(5 times; lines 16, 18, 19, 20, 21)",
        f"{source}: receiver-org not given: the activity's implementing organisation taken as receiver (a "
        "disbursement or expenditure goes to the implementer) (5 times; lines 16, 18, 19, 20, 21)",
        f"{source}:16: a transaction-date that is not a date ('2021-13-01'): the value-date taken instead",
        f"{source}:19: transaction-date not given: the value-date taken instead",
        f"{source}:3: left out an original budget that a revised one for the same period replaces",
        f"{source}:15: budget: from the reporting organisation to the activity's implementing organisation (the "
        "standard's reading when it names neither)",
        f"{source}: netted a negative amount against the flow of its type between the same organisations it "
        "adjusts (ced:adjusts; not a flow of its own in counts) (2 times; lines 18, 20)",
        f"Wrote {out}: 1 activities, 1 organisations, 1 matched organisations, 2 roles, 5 flows, 1 planned flows."]
    g = Graph().parse(out)
    a = ACT["CA-3-P1"]
    assert set(g.objects(a, CED.recipientRegion)) == {PLC.africa}
    assert set(g.objects(a, CED.sector)) == {SECTOR["15150"], SECTOR["15160"]}
    assert g.value(a, CED.humanitarian) is None
    assert str(g.value(FLOW["iati-ca-3-p1-1"], SCHEMA.startDate)) == "2021-01-05"
    assert g.value(FLOW["iati-ca-3-p1-2"], CED.adjusts) == FLOW["iati-ca-3-p1-1"]
    assert g.value(FLOW["iati-ca-3-p1-4"], CED.adjusts) == FLOW["iati-ca-3-p1-3"]
    assert amount(g, FLOW["iati-ca-3-p1-budget-2"]) == (Decimal(120), "CAD")
    assert not list(g.triples((FLOW["iati-ca-3-p1-budget-1"], None, None)))  # the original budget


def test_netted_flows_count_once_and_weigh_their_net_amount(small):
    _, out, _ = small
    r = invoke("metrics", "--data", out, "--kinds", "resource", "--status", "all", "--level", "pair", "--format",
               "json")
    pairs = {(p["a"], p["b"]): (p["flowsAB"], p["flowsBA"]) for p in json.loads(r.stdout)}
    # 5 transactions + 1 budget, of which 2 adjust others: 4 flows from GAC to the partner
    assert pairs[("cedorg:global-affairs-canada", "cedorg:partner")] == (4, 0)
    r = invoke("metrics", "--data", out, "--kinds", "resource", "--status", "all", "--level", "pair", "--format",
               "json", "--weight", "amount")
    assert r.exit_code == 2
    assert r.stderr == ("kgraph: --weight amount: these flows are in CAD, USD; pick one with --currency (amounts in "
                        "different currencies are never added)\n")
    r = invoke("metrics", "--data", out, "--kinds", "resource", "--status", "all", "--level", "pair", "--format",
               "json", "--weight", "amount", "--currency", "cad")
    assert r.exit_code == 0, r.stderr
    pairs = {(p["a"], p["b"]): (p["flowsAB"], p["flowsBA"]) for p in json.loads(r.stdout)}
    # CAD: commitment 1000 - 300, disbursement 200 - 50, budget 120 = 970 (USD 70 apart)
    assert pairs[("cedorg:global-affairs-canada", "cedorg:partner")] == (970, 0)
    assert "Note: edges weighed by the net amount in CAD the flows moved" in r.stderr


def test_currency_needs_weight_amount():
    r = invoke("metrics", "--currency", "EUR")
    assert (r.exit_code, r.stderr) == (2, "kgraph: --currency applies to --weight amount; add --weight amount\n")


def test_amount_weights_on_the_netherlands_file(nl):
    base = ["metrics", "--data", nl, "--kinds", "resource", "--level", "pair", "--format", "json", "--weight", "amount"]
    pairs = {(p["a"], p["b"]): p["flowsBA"] for p in json.loads(invoke(*base).stdout)}
    # NL-1-PPR-28385: 9 disbursements to RVO.NL (lines 1771-1924) add up to 4753363 EUR;
    # PAX (25275): 8 disbursements, 1298749 EUR
    assert pairs[("cedorg:rvo-nl", "cedorg:xm-dac-7")] == 4753363
    assert pairs[("cedorg:nl-kvk-30214009", "cedorg:xm-dac-7")] == 1298749
    pairs = {(p["a"], p["b"]): p["flowsBA"] for p in json.loads(invoke(*base, "--status", "planned").stdout)}
    # planned for RVO.NL: 5 commitments netting to 5553265 (one of them -730597, line 1818), the
    # budget 11739341 and planned disbursements 0 + 2568603 + 2993925 + 1841825
    assert pairs[("cedorg:rvo-nl", "cedorg:xm-dac-7")] == 5553265 + 11739341 + 2568603 + 2993925 + 1841825


def test_commands_say_when_the_imported_flows_are_of_kinds_left_out(nl, tmp_path):
    # 72 transactions + 13 budgets + 34 planned disbursements, all funding (a resource kind)
    held = f"{nl} holds flows of other kinds only (119 resource), which this leaves out"
    r = invoke("metrics", "--data", nl)
    assert r.stderr.splitlines()[-1] == f"Note: {held}: add --kinds all to include them."
    r = invoke("query", "two-way-pairs", "--data", nl)
    assert r.stderr.splitlines()[-1] == f"Note: {held}: add --param kindRoot=cedkind:resource to include them."
    r = invoke("viz", "--data", nl, "--kinds", "knowledge", "--out", tmp_path / "g.html")
    assert f"Note: {held}: add --kinds all to include them." in r.stderr.splitlines()
    for args in (["metrics", "--kinds", "all"], ["query", "two-way-pairs", "--param", "kindRoot=*"],
                 ["viz", "--out", tmp_path / "h.html"]):
        assert "holds flows of other kinds only" not in invoke(*args, "--data", nl).stderr


def test_metrics_rdf_records_the_weight_currency(nl):
    r = invoke("metrics", "--data", nl, "--kinds", "resource", "--weight", "amount", "--format", "ttl")
    assert r.exit_code == 0, r.stderr
    g = Graph().parse(data=r.stdout, format="turtle")
    metric = Namespace(PREFIXES["cedmetric"])
    assert list(g.objects(None, metric.weightCurrency)) == [Literal("EUR")]
