"""IATI recipient countries and regions: the OECD-DAC Region codelist as world regions
(dac-regions.ttl, merged with the six hand-made regions of places.ttl), percentages as
recipient shares, and a transaction's own recipient country or region on its flow.

Expected values were read in the XML (lines given) and in the IATI Region codelist
(/work/shared/external/iati-codelists/Region.xml: 26 codes, 380 withdrawn).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner
from conftest import ROOT, TESTS
from rdflib import Graph, Literal, Namespace

from kgraph.cli import main
from kgraph.importers.iati.vocabulary import vocabulary
from kgraph.namespaces import PREFIXES

CED, SCHEMA, SKOS, RDF = (Namespace(PREFIXES[p]) for p in ("ced", "schema", "skos", "rdf"))
ACT, PLC, FLOW = (Namespace(PREFIXES[p]) for p in ("iatiact", "cedplc", "cedflow"))
VOCAB = ROOT / "ontology" / "vocab"
ANNOTATED = TESTS / "fixtures" / "iati" / "activity-standard-example-annotated-2.03.xml"

#: The 25 active codes of the IATI Region codelist (grep -o '<code>[0-9]*</code>' Region.xml, less 380).
DAC_CODES = ["88", "89", "189", "289", "298", "389", "489", "498", "589", "619", "679", "689", "789", "798", "889",
             "998", "1027", "1028", "1029", "1030", "1031", "1032", "1033", "1034", "1035"]
#: The hand-made regions of places.ttl and the code each carries.
HAND_MADE = {"298": "africa", "798": "asia", "589": "middle-east", "498": "latin-america", "1031": "caribbean",
             "89": "eastern-europe"}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def places():
    g = Graph().parse(VOCAB / "places.ttl")
    g.parse(VOCAB / "dac-regions.ttl")
    return g


def test_every_dac_region_code_is_one_world_region(places):
    by_code = {}
    for region, code in places.subject_objects(CED.dacCode):
        by_code.setdefault(str(code), []).append(region)
    assert sorted(by_code, key=int) == DAC_CODES
    assert {code: regions for code, regions in by_code.items() if len(regions) != 1} == {}  # no duplicates
    assert {code: str(by_code[code][0]).rsplit("/", 1)[-1] for code in HAND_MADE} == HAND_MADE  # IRIs kept
    assert len(set(places.subjects(RDF.type, CED.WorldRegion))) == 25
    assert set(places.subjects(CED.odaRecipient, Literal(True))) >= {r for rs in by_code.values() for r in rs}
    assert vocabulary().regions == {code: str(rs[0]) for code, rs in by_code.items()}


def test_region_labels_in_english_and_french(places):
    # code 489 (Region.xml): "South America, regional" / "Amérique du Sud, régional"
    assert set(places.objects(PLC["south-america"], SKOS.prefLabel)) == {
        Literal("South America, regional", lang="en"), Literal("Amérique du Sud, régional", lang="fr")}
    # a hand-made region keeps its own names; the codelist's become altLabels
    assert set(places.objects(PLC["latin-america"], SKOS.prefLabel)) == {
        Literal("Latin America", lang="en"), Literal("Amérique latine", lang="fr")}
    assert set(places.objects(PLC["latin-america"], SKOS.altLabel)) == {
        Literal("America, regional", lang="en"), Literal("Amérique, régional", lang="fr")}
    for region in places.subjects(RDF.type, CED.WorldRegion):  # one prefLabel per language, en and fr each
        assert sorted(label.language for label in places.objects(region, SKOS.prefLabel)) == ["en", "fr"], region


SMALL = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity xml:lang="en" default-currency="EUR">
  <iati-identifier>XM-TEST-1</iati-identifier>
  <reporting-org ref="XM-TEST" type="21"><narrative>Test Fund</narrative></reporting-org>
  <title><narrative>Regions</narrative></title>
  <participating-org ref="XM-TEST" role="1"/>
  <participating-org role="4" type="22"><narrative>Partner</narrative></participating-org>
  <recipient-country code="ml" percentage="40"/>
  <recipient-country code="XX" percentage="10"/>
  <recipient-region code="489" vocabulary="1" percentage="30.5"/>
  <recipient-region code="298" percentage="150"/>
  <recipient-region code="616" vocabulary="1" percentage="10"/>
  <recipient-region code="A1" vocabulary="99" percentage="9.5"/>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2021-04-01"/><value>70</value></transaction>
 </iati-activity>
 <iati-activity xml:lang="en" default-currency="EUR">
  <iati-identifier>XM-TEST-2</iati-identifier>
  <reporting-org ref="XM-TEST" type="21"><narrative>Test Fund</narrative></reporting-org>
  <title><narrative>Per transaction</narrative></title>
  <participating-org role="4" type="22"><narrative>Partner</narrative></participating-org>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2021-04-01"/><value>10</value>
   <recipient-country code="SN"/></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2021-05-01"/><value>20</value>
   <recipient-region code="1030" vocabulary="1"/></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2021-06-01"/><value>30</value>
   <recipient-region code="9999" vocabulary="1"/></transaction>
 </iati-activity>
</iati-activities>
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("recipients")
    source = folder / "recipients.xml"
    source.write_text(SMALL, encoding="utf-8")
    out = folder / "x.ttl"
    r = invoke("import", "iati", source, "--out", out)
    assert r.exit_code == 0, r.stderr
    return source, Graph().parse(out), r


def shares(g, subject):
    return {(str(g.value(s, SCHEMA.areaServed)).rsplit("/", 1)[-1], g.value(s, CED.percentage).toPython())
            for s in g.objects(subject, CED.recipientShare)}


def test_activity_recipients_with_percentages(small):
    source, g, r = small
    a = ACT["XM-TEST-1"]
    assert set(g.objects(a, CED.recipientCountry)) == {PLC.mali}  # "ml" upper-cased; XX is no country
    assert set(g.objects(a, CED.recipientRegion)) == {PLC["south-america"], PLC.africa}  # 489, 298
    # 150 is no percentage: Africa is kept without a share; 616, A1 and XX have no place, so no share
    assert shares(g, a) == {("mali", Decimal(40)), ("south-america", Decimal("30.5"))}
    notes = r.stderr.splitlines()
    assert notes[:5] == [
        f"{source}:3: skipped recipient-country 'XX': no country with that ISO code",
        f"{source}:3: left out recipient-region '298''s percentage '150': not a number from 0 to 100",
        f"{source}:3: skipped recipient-region '616': no world region with that OECD-DAC code",
        f"{source}:3: skipped recipient-region 'A1' of vocabulary '99': only OECD-DAC regions (vocabulary 1) are kept",
        f"{source}:3: took the activity's one recipient country as its implementing organisation's country (its "
        "identifier names none)"]


def test_transaction_recipients_go_on_the_flow(small):
    source, g, r = small
    assert list(g.objects(ACT["XM-TEST-2"], CED.recipientCountry)) == []
    assert list(g.objects(ACT["XM-TEST-2"], CED.recipientRegion)) == []
    assert set(g.objects(FLOW["iati-xm-test-2-1"], CED.recipientCountry)) == {PLC.senegal}
    assert set(g.objects(FLOW["iati-xm-test-2-2"], CED.recipientRegion)) == {PLC["western-africa"]}  # 1030
    assert set(g.predicate_objects(FLOW["iati-xm-test-2-3"])) & {
        (p, o) for p in (CED.recipientCountry, CED.recipientRegion) for o in g.objects(None, p)} == set()
    assert list(g.objects(FLOW["iati-xm-test-1-1"], CED.recipientCountry)) == []  # the activity's stay on it
    assert f"{source}:26: skipped recipient-region '9999': no world region with that OECD-DAC code" in r.stderr
    assert "though its activity names its own" not in r.stderr  # activity 2 names none
    assert r.stderr.splitlines()[-1].endswith("2 activities, 2 organisations, 0 matched organisations, 3 roles, "
                                              "4 flows, 0 planned flows.")


def test_annotated_example_names_both_levels(tmp_path):
    # Lines 105-113: AF 25 %, AG 25 %, region 489 25 %, region A1 (vocabulary 99) 25 %. The
    # transaction (line 265) names TM and region 616 (not in the codelist) under the example's
    # own comment "only a recipient-region OR a recipient-country is expected".
    out = tmp_path / "a.ttl"
    r = invoke("import", "iati", ANNOTATED, "--out", out)
    assert r.exit_code == 0, r.stderr
    g = Graph().parse(out)
    a = ACT["AA-AAA-123456789-ABC123"]
    assert set(g.objects(a, CED.recipientRegion)) == {PLC["south-america"]}
    assert shares(g, a) == {("afghanistan", 25), ("antigua-and-barbuda", 25), ("south-america", 25)}
    flow = FLOW["iati-aa-aaa-123456789-abc123-1"]
    assert set(g.objects(flow, CED.recipientCountry)) == {PLC.turkmenistan}
    assert list(g.objects(flow, CED.recipientRegion)) == []
    assert list(g.objects(flow, CED.recipientShare)) == []  # no percentage on the transaction's
    assert [line for line in r.stderr.splitlines() if "recipient" in line] == [
        f"{ANNOTATED}:8: skipped recipient-region 'A1' of vocabulary '99': only OECD-DAC regions (vocabulary 1) "
        "are kept",
        f"{ANNOTATED}:265: skipped recipient-region '616': no world region with that OECD-DAC code",
        f"{ANNOTATED}:265: a transaction names its recipient country or region though its activity names its own "
        "(the standard expects one or the other): the flow keeps the transaction's"]
