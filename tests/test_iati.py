"""`kgraph import iati`: real IATI files in, every count checked by hand against the XML.

Fixtures (tests/fixtures/iati/, origins in ORIGIN.md): the IATI standard's annotated 2.03
example activity file (one activity that uses nearly every element) and a real publisher's
file (Netherlands MFA, 13 activities). The expected numbers below were counted in the XML
by reading it and with grep; each comment says how.
"""

from __future__ import annotations

import doctest
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, TESTS
from rdflib import Graph, Literal, Namespace

from kgraph.importers import iati
from kgraph.cli import main
from kgraph.errors import ImportRejected
from kgraph.importers.matching import NameIndex
from kgraph.namespaces import PREFIXES

FIXTURES = TESTS / "fixtures" / "iati"
ANNOTATED = FIXTURES / "activity-standard-example-annotated-2.03.xml"
NL_MFA = FIXTURES / "nl-mfa-XM-DAC-7-203.xml"
ORGANISATION_FILE = FIXTURES / "organisation-standard-example-annotated-2.03.xml"

CED, SKOS, SCHEMA, DCTERMS, RDF = (Namespace(PREFIXES[p]) for p in ("ced", "skos", "schema", "dcterms", "rdf"))
ORG, ACT, ORGNS, PLC, SDG = (Namespace(PREFIXES[p]) for p in ("org", "iatiact", "cedorg", "cedplc", "sdg"))
STATUS, SECTOR, TX, FLOW, KIND = (
    Namespace(PREFIXES[p]) for p in ("iatistatus", "iatisector", "iatitx", "cedflow", "cedkind"))
FLOW_STATUS, SRC = Namespace(PREFIXES["cedstatus"]), Namespace(PREFIXES["cedsrc"])
ROLES = {"1": CED.funder, "2": CED.accountableOrganisation, "3": CED.extendingOrganisation, "4": CED.partner}
RELATED = [CED.parentActivity, CED.childActivity, CED.siblingActivity, CED.coFundedActivity, CED.thirdPartyActivity]


def invoke(*args):
    """The CLI in-process (for module-scoped fixtures, where the `run` fixture is not available)."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def imported(out: Path) -> Graph:
    return Graph().parse(out, format="turtle")


def of_type(g: Graph, cls) -> set:
    return set(g.subjects(RDF.type, cls))


def organisations(g: Graph) -> set:
    """Every organisation the file describes (its own classes; activities excluded)."""
    classes = [ORG.Organization, CED.NGO, CED.GovernmentDepartment, CED.ResearchOrganisation]
    return {s for c in classes for s in g.subjects(RDF.type, c)}


def role_counts(g: Graph) -> dict[str, int]:
    return {code: len(list(g.triples((None, prop, None)))) for code, prop in ROLES.items()}


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    out = tmp_path_factory.mktemp("annotated") / "x.ttl"
    r = invoke("import", "iati", ANNOTATED, "--out", out)
    assert r.exit_code == 0, r.stderr
    return out, r


@pytest.fixture(scope="module")
def nl_mfa(tmp_path_factory):
    out = tmp_path_factory.mktemp("nl-mfa") / "x.ttl"
    r = invoke("import", "iati", NL_MFA, "--out", out)
    assert r.exit_code == 0, r.stderr
    return out, r


# ---------------------------------------------------------------------------------------
# The annotated example (activity-standard-example-annotated-2.03.xml, 473 lines)
# ---------------------------------------------------------------------------------------


def test_annotated_example_counts(annotated):
    out, r = annotated
    # One <iati-activity> (line 8). Organisations: reporting-org AA-AAA-123456789 (line 15),
    # participating-org BB-BBB-123456789 role 1 (line 45), CC-CCC-123456789 role 2 (line 48),
    # AA-AAA-123456789 again in role 3 (line 51); the transaction's provider BB and receiver AA
    # (lines 272, 275) are the same two refs. So 3 organisations, none in the bundled graph;
    # 3 role links (roles 1, 2, 3; no role 4). One <transaction> (line 265) -> 1 flow. Planned
    # flows: the <budget> (line 231) and the second <planned-disbursement> (line 253) name no
    # receiver and the activity has no implementer, so they are skipped; the first planned
    # disbursement (line 239, provider BB, receiver AA) -> 1 planned flow.
    # (other-identifier/owner-org and contact-info are not imported.)
    assert r.stderr.splitlines()[-1] == (f"Wrote {out}: 1 activities, 3 organisations, 0 matched organisations, "
                                         "3 roles, 1 flows, 1 planned flows.")
    g = imported(out)
    assert of_type(g, CED.Activity) == {ACT["AA-AAA-123456789-ABC123"]}
    assert organisations(g) == {ORGNS["aa-aaa-123456789"], ORGNS["bb-bbb-123456789"], ORGNS["cc-ccc-123456789"]}
    assert role_counts(g) == {"1": 1, "2": 1, "3": 1, "4": 0}
    assert of_type(g, CED.KnowledgeFlow) == {FLOW["iati-aa-aaa-123456789-abc123-1"],
                                             FLOW["iati-aa-aaa-123456789-abc123-pd-1"]}
    # One <related-activity> (line 307): type 1, ref AA-AAA-123456789-6789.
    assert [(p, o) for p in RELATED for o in g.objects(None, p)] == [(CED.parentActivity, ACT["AA-AAA-123456789-6789"])]


def test_annotated_example_activity(annotated):
    g = imported(annotated[0])
    a = ACT["AA-AAA-123456789-ABC123"]
    assert g.value(a, CED.iatiIdentifier) == Literal("AA-AAA-123456789-ABC123")
    # <title>: "Activity title" (no xml:lang; the activity's xml:lang is "en"), fr and es (lines 23-25).
    assert set(g.objects(a, SKOS.prefLabel)) == {
        Literal("Activity title", lang="en"), Literal("Titre de l'activité", lang="fr"),
        Literal("Título de la actividad", lang="es")}
    # Only description type 1 (lines 30-33), in en and fr; types 2 and 3 are left out.
    assert {d.language for d in g.objects(a, DCTERMS.description)} == {"en", "fr"}
    assert g.value(a, CED.activityStatus) == STATUS["2"]  # <activity-status code="2" /> line 66
    # activity-date: planned start 2012-04-15 (type 1), actual start 2012-04-28 (type 2),
    # planned end 2015-12-31 (type 3), no actual end (type 4).
    assert g.value(a, SCHEMA.startDate).toPython().isoformat() == "2012-04-28"
    assert g.value(a, SCHEMA.endDate).toPython().isoformat() == "2015-12-31"
    assert set(g.objects(a, CED.recipientCountry)) == {PLC.afghanistan, PLC["antigua-and-barbuda"]}  # AF, AG
    # Sectors use vocabularies 2 and 99, tags 1 and 99: none is a DAC 5-digit sector or an SDG.
    assert list(g.objects(a, CED.sector)) == [] and list(g.objects(a, CED.sdg)) == []
    assert g.value(a, CED.funder) == ORGNS["bb-bbb-123456789"]
    assert g.value(a, CED.accountableOrganisation) == ORGNS["cc-ccc-123456789"]
    assert g.value(a, CED.extendingOrganisation) == ORGNS["aa-aaa-123456789"]
    assert g.value(a, CED.reportingOrganisation) == ORGNS["aa-aaa-123456789"]
    # The parent is not in the file: it carries its identifier only, no type.
    parent = ACT["AA-AAA-123456789-6789"]
    assert set(g.predicate_objects(parent)) == {(CED.iatiIdentifier, Literal("AA-AAA-123456789-6789"))}


def test_annotated_example_organisations(annotated):
    g = imported(annotated[0])
    bb, cc, aa = ORGNS["bb-bbb-123456789"], ORGNS["cc-ccc-123456789"], ORGNS["aa-aaa-123456789"]
    # BB: type="40" (multilateral) -> org:Organization; CC: type="10" -> government department.
    assert set(g.objects(bb, RDF.type)) == {ORG.Organization}
    assert set(g.objects(cc, RDF.type)) == {CED.GovernmentDepartment}
    assert g.value(bb, CED.iatiIdentifier) == Literal("BB-BBB-123456789")
    assert set(g.objects(bb, SKOS.prefLabel)) == {Literal("Name of Agency B", lang="en")}
    # AA is first named by reporting-org (line 15, type 40): "Organisation name" + fr; the names
    # participating-org (line 51) and receiver-org (line 275) give it become altLabels.
    assert set(g.objects(aa, SKOS.prefLabel)) == {Literal("Organisation name", lang="en"),
                                                  Literal("Nom de l'organisme", lang="fr")}
    assert set(g.objects(aa, SKOS.altLabel)) == {
        Literal("Name of Agency A", lang="en"), Literal("Nom de l'agence A", lang="fr"), Literal("Agency A", lang="en")}
    quote = str(g.value(g.value(cc, CED.evidence), CED.quote))
    assert quote == (
        '<participating-org ref="CC-CCC-123456789" role="2" type="10" activity-id="CC-CCC-123456789-1234">\n'
        '   <narrative>Name of Agency C</narrative>\n  </participating-org>')


def test_annotated_example_flow(annotated):
    g = imported(annotated[0])
    f = FLOW["iati-aa-aaa-123456789-abc123-1"]
    # <transaction-type code="1" /> (incoming funds), <transaction-date iso-date="2012-01-01" />,
    # <value currency="EUR" value-date="2012-01-01">1000</value>, provider BB, receiver AA.
    assert g.value(f, CED.source) == ORGNS["bb-bbb-123456789"]
    assert g.value(f, CED.target) == ORGNS["aa-aaa-123456789"]
    assert g.value(f, CED.kind) == KIND.funding
    assert g.value(f, CED.status) == FLOW_STATUS.occurred
    assert g.value(f, CED.transactionType) == TX["1"]
    assert g.value(f, CED.inPartnership) == ACT["AA-AAA-123456789-ABC123"]
    assert g.value(f, SCHEMA.startDate).toPython().isoformat() == "2012-01-01"
    amount = g.value(f, CED.amount)
    assert g.value(amount, SCHEMA.value).toPython() == Decimal(1000)
    assert g.value(amount, SCHEMA.currency) == Literal("EUR")
    assert g.value(f, SKOS.prefLabel) == Literal("Incoming Funds: Name of Agency B → Organisation name", lang="en")
    assert str(g.value(g.value(f, CED.evidence), CED.quote)).endswith(
        '<value currency="EUR" value-date="2012-01-01">1000</value>')


def test_annotated_example_source_document(annotated):
    out, _ = annotated
    g = imported(out)
    src = SRC["iati-activity-standard-example-annotated-2-03"]
    assert g.value(src, DCTERMS.title) == Literal(f"IATI activity file {ANNOTATED.name}", lang="en")
    # generated-datetime="2014-09-10T07:15:37Z" on the root (line 5); the DateType shape allows dates only.
    assert g.value(src, DCTERMS.issued).toPython().isoformat() == "2014-09-10"
    assert g.value(src, CED.localCopy) == Literal(ANNOTATED.name)
    assert (out.parent / "seeds" / ANNOTATED.name).read_bytes() == ANNOTATED.read_bytes()
    assert out.read_text(encoding="utf-8").startswith(
        "# IATI activities, organisations and funding flows imported by `kgraph import iati` from:\n"
        "#   activity-standard-example-annotated-2.03.xml (1 activity)\n")


def test_every_quote_is_verbatim_in_the_file(annotated, nl_mfa):
    for out, source in ((annotated[0], ANNOTATED), (nl_mfa[0], NL_MFA)):
        text = source.read_text(encoding="utf-8")
        quotes = [str(q) for q in imported(out).objects(None, CED.quote)]
        assert quotes and all(len(q) >= 3 and q in text for q in quotes)


def test_origins_name_the_element_lines():
    result = iati.read([ANNOTATED], NameIndex())
    lines = {k.rsplit("/", 1)[-1]: o.row for k, o in result.origins.items()}
    # <iati-activities> line 5, <iati-activity> line 8, reporting-org (AA) line 15,
    # participating-org BB line 45, CC line 48, <transaction> line 265.
    assert lines == {"iati-activity-standard-example-annotated-2-03": 5, "AA-AAA-123456789-ABC123": 8,
                     "aa-aaa-123456789": 15, "bb-bbb-123456789": 45, "cc-ccc-123456789": 48,
                     "iati-aa-aaa-123456789-abc123-1": 265, "iati-aa-aaa-123456789-abc123-pd-1": 239}
    assert {o.path for o in result.origins.values()} == {str(ANNOTATED)}


# ---------------------------------------------------------------------------------------
# A real publisher's file (nl-mfa-XM-DAC-7-203.xml, 2480 lines)
# ---------------------------------------------------------------------------------------

NL_ORGANISATIONS = {
    # ref-bearing (slug of the ref): the reporting org and 3 role-4 orgs with a ref
    "xm-dac-7": CED.GovernmentDepartment, "nl-kvk-30214009": CED.NGO, "gb-gov-1": CED.GovernmentDepartment,
    "xm-dac-41114": ORG.Organization,
    # role-4 participating orgs without ref (slug of the name), with their type codes
    "ictj": CED.NGO, "near-east-foundation-in-jordan": CED.NGO,
    "legal-policy-research-centre": CED.ResearchOrganisation,
    "burma-centrum-nederland": CED.NGO, "stichting-web-foundation": CED.NGO, "rvo-nl": CED.GovernmentDepartment,
    "ghana-netherlands-business-and-culture-council": ORG.Organization,
    # placeholders, one per activity naming them: "DEVELOPING COUNTRY-BASED NGO GROUP" (role 4
    # of NL-1-PPR-28373 and -28384, type 23), the receivers "DEVELOPING COUNTRY-BASED NGO" of the
    # same two (no type), and in NL-1-PPR-28383 the role-4 "Particulier" (type 70) and the
    # receiver "University, college or other teaching institute" (no type)
    "developing-country-based-ngo-group-nl-1-ppr-28373": CED.NGO,
    "developing-country-based-ngo-group-nl-1-ppr-28384": CED.NGO,
    "developing-country-based-ngo-nl-1-ppr-28373": ORG.Organization,
    "developing-country-based-ngo-nl-1-ppr-28384": ORG.Organization,
    "particulier-nl-1-ppr-28383": ORG.Organization,
    "university-college-or-other-teaching-institute-nl-1-ppr-28383": ORG.Organization,
}


def test_nl_mfa_counts(nl_mfa):
    out, r = nl_mfa
    # grep -c '<iati-activity ' -> 13. Organisations: XM-DAC-7 (reporting-org of all 13, and
    # participating-org in roles 1, 2, 3 of all 13: grep -c '<participating-org ref="XM-DAC-7"' -> 39)
    # plus the 13 role-4 orgs, "DEVELOPING COUNTRY-BASED NGO GROUP" in two of them (NL-1-PPR-28373,
    # -28384) kept apart as a placeholder -> 13; plus three receiver-org names that differ from
    # their activity's role-4 org: the placeholder "DEVELOPING COUNTRY-BASED NGO" (28373 and
    # 28384, one each) and "University, college or other teaching institute" (28383, whose
    # role-4 org is "Particulier"). "Ghana Netherlands Business and Culture Council" only
    # differs in case from its role-4 org. 1 + 13 + 3 = 17, none of them in the bundled graph.
    # Roles: grep -c '<participating-org[^>]*role="N"' -> 13 for each of N = 1..4 -> 52.
    # Flows: grep -c '<transaction>' -> 72; every provider-org is ref="XM-DAC-7" and every
    # receiver-org names another organisation, so none is skipped.
    assert r.stderr.splitlines()[-1] == (f"Wrote {out}: 13 activities, 17 organisations, 0 matched organisations, "
                                         "52 roles, 72 flows, 47 planned flows.")
    g = imported(out)
    assert len(of_type(g, CED.Activity)) == 13
    assert {str(o).rsplit("/", 1)[-1]: set(g.objects(o, RDF.type)) for o in organisations(g)} == {
        k: {v} for k, v in NL_ORGANISATIONS.items()}
    assert role_counts(g) == {"1": 13, "2": 13, "3": 13, "4": 13}
    # 72 transactions, 13 budgets and 34 planned disbursements (ced:iatiElement says which)
    assert len(of_type(g, CED.KnowledgeFlow)) == 72 + 13 + 34
    assert {e: len(list(g.subjects(CED.iatiElement, Literal(e)))) for e in ("transaction", "budget",
                                                                          "planned-disbursement")} == {
        "transaction": 72, "budget": 13, "planned-disbursement": 34}
    assert [o for p in RELATED for o in g.objects(None, p)] == []  # grep -c '<related-activity' -> 0
    # grep -o '<transaction-type code="[0-9]*"' | sort | uniq -c -> 33 x code 2 (commitments), 39 x code 3;
    # budgets and planned disbursements are planned too
    assert len(list(g.subjects(CED.status, FLOW_STATUS.planned))) == 33 + 13 + 34
    assert len(list(g.subjects(CED.status, FLOW_STATUS.occurred))) == 39
    # Nothing skipped (recipient-region 998, in two activities, is "Developing countries, unspecified"
    # of dac-regions.ttl). The notes: every budget (grep -c '<budget' -> 13) and planned
    # disbursement (-> 34) names neither end, so each goes from the reporting organisation to its
    # activity's one implementer; 11 negative values (grep -c '<value[^>]*>-') net against a
    # commitment or disbursement; 7 implementers (role 4, no ref, not type 21 or 40) take their
    # activity's one recipient-country (lines of <iati-activity>: 27790 KZ, 27791 MM, 28373 CO,
    # 28381 GH, 28383 EG, 28384 UY, 28393 SL); the four placeholder names, each where first named.
    assert r.stderr.splitlines()[:-1] == [
        f"{NL_MFA}: budget: from the reporting organisation to the activity's implementing organisation (the "
        "standard's reading when it names neither) (13 times; lines 87, 223, 490, 709, 905, ...)",
        f"{NL_MFA}: planned-disbursement: from the reporting organisation to the activity's implementing "
        "organisation (the standard's reading when it names neither) (34 times; lines 92, 97, 228, 233, 238, ...)",
        f"{NL_MFA}: netted a negative amount against the flow of its type between the same organisations it "
        "adjusts (ced:adjusts; not a flow of its own in counts) (11 times; lines 259, 527, 740, 751, 1268, ...)",
        f"{NL_MFA}: took the activity's one recipient country as its implementing organisation's country (its "
        "identifier names none) (7 times; lines 579, 814, 972, 1135, 1331, ...)",
        f"{NL_MFA}: kept 'DEVELOPING COUNTRY-BASED NGO GROUP' apart in each activity (flagged ced:unidentified): it "
        "describes a kind of organisation, not one (2 times; lines 992, 1520)",
        f"{NL_MFA}: kept 'DEVELOPING COUNTRY-BASED NGO' apart in each activity (flagged ced:unidentified): it "
        "describes a kind of organisation, not one (2 times; lines 1090, 1613)",
        f"{NL_MFA}:1351: kept 'Particulier' apart in each activity (flagged ced:unidentified): it describes a kind "
        "of organisation, not one",
        f"{NL_MFA}:1444: kept 'University, college or other teaching institute' apart in each activity (flagged "
        "ced:unidentified): it describes a kind of organisation, not one"]
    assert {str(o).rsplit("/", 1)[-1] for o in g.subjects(CED.unidentified, Literal(True))} == {
        k for k in NL_ORGANISATIONS if k.endswith(("28373", "28384", "28383"))}


def test_nl_mfa_activity(nl_mfa):
    g = imported(nl_mfa[0])
    a = ACT["NL-1-PPR-28385"]  # lines 1669-1943
    # xml:lang="nl" on the activity, no xml:lang on the title narrative: the title is Dutch,
    # so the English label is made from the identifier.
    assert set(g.objects(a, SKOS.prefLabel)) == {Literal("DHI DGGF LANDEN", lang="nl"),
                                                 Literal("IATI activity NL-1-PPR-28385", lang="en")}
    assert g.value(a, CED.activityStatus) == STATUS["2"]
    # type 1 2015-12-01, type 2 2015-12-23, type 3 2018-01-01, no type 4.
    assert g.value(a, SCHEMA.startDate).toPython().isoformat() == "2015-12-23"
    assert g.value(a, SCHEMA.endDate).toPython().isoformat() == "2018-01-01"
    assert list(g.objects(a, CED.recipientCountry)) == []  # recipient-region 998 only (line 1708)
    assert list(g.objects(a, CED.recipientRegion)) == [PLC["developing-countries-unspecified"]]
    assert g.value(a, CED.sector) == SECTOR["32130"]
    assert g.value(a, CED.partner) == ORGNS["rvo-nl"]
    # 14 transactions to RVO.NL (lines 1771-1924): 5 of type 2, then 9 of type 3.
    # and its one budget (line 1746) and four planned disbursements (lines 1751-1766)
    flows = set(g.subjects(CED.inPartnership, a))
    assert flows == {FLOW[f"iati-nl-1-ppr-28385-{n}"] for n in range(1, 15)} | {
        FLOW["iati-nl-1-ppr-28385-budget-1"], *(FLOW[f"iati-nl-1-ppr-28385-pd-{n}"] for n in range(1, 5))}
    disbursements = [f for f in flows if g.value(f, CED.transactionType) == TX["3"]]
    assert len(disbursements) == 9
    assert {g.value(f, CED.status) for f in disbursements} == {FLOW_STATUS.occurred}
    # Sectors over all 13 activities: grep -o '<sector code="[0-9]*"' | sort | uniq -c.
    assert sorted(str(s).rsplit("/", 1)[-1] for a in of_type(g, CED.Activity) for s in g.objects(a, CED.sector)) == sorted(
        ["13030", "15112", "15150", *["15160"] * 5, *["15220"] * 3, "25010", "32130"])
    assert len(list(g.objects(None, CED.recipientCountry))) == 11  # grep -c '<recipient-country' -> 11


def test_nl_mfa_negative_value_and_default_currency(nl_mfa):
    g = imported(nl_mfa[0])
    # Line 262: <value value-date="2015-05-01">-78791</value> (a cancelled commitment); the
    # currency is the activity's default-currency="EUR".
    amount = g.value(FLOW["iati-nl-1-ppr-25275-2"], CED.amount)
    assert g.value(amount, SCHEMA.value).toPython() == Decimal(-78791)
    assert g.value(amount, SCHEMA.currency) == Literal("EUR")


def test_imported_files_validate(tmp_path, annotated, nl_mfa):
    for out in (annotated[0], nl_mfa[0]):
        r = invoke("validate", "--data", out)
        assert r.exit_code == 0, r.stderr
        assert r.stderr.startswith("No violations in ")


def test_validate_catches_an_edited_copy(tmp_path):
    """The quote check is live: change the kept copy and the imported quotes fail."""
    out = tmp_path / "x.ttl"
    assert invoke("import", "iati", ANNOTATED, "--out", out).exit_code == 0
    copy = tmp_path / "seeds" / ANNOTATED.name
    copy.write_text(copy.read_text(encoding="utf-8").replace("Name of Agency C", "Name of Agency Z"), encoding="utf-8")
    r = invoke("validate", "--data", out)
    assert r.exit_code == 1
    assert "[QuoteVerbatim]" in r.stdout + r.stderr


def test_metrics_pairs_include_the_imported_flows(nl_mfa):
    out, _ = nl_mfa
    r = invoke("metrics", "--data", out, "--kinds", "all", "--level", "pair", "--format", "json")
    assert r.exit_code == 0, r.stderr
    pairs = {(p["a"], p["b"]): (p["flowsAB"], p["flowsBA"]) for p in json.loads(r.stdout)}
    # Occurred flows only (the default --status): type-3 disbursements from XM-DAC-7.
    # RVO.NL: 9 (activity 28385); PAX: 8 of its 12 transactions (25275); ICTJ: 2 of 3 (24706).
    assert pairs[("cedorg:rvo-nl", "cedorg:xm-dac-7")] == (0, 9)
    assert pairs[("cedorg:nl-kvk-30214009", "cedorg:xm-dac-7")] == (0, 8)
    assert pairs[("cedorg:ictj", "cedorg:xm-dac-7")] == (0, 2)
    assert ("cedorg:eso", "cedorg:renapess") in pairs  # the bundled data is still there
    r = invoke("metrics", "--data", out, "--kinds", "all", "--level", "pair")
    assert r.exit_code == 0
    assert any(line.split()[:2] == ["cedorg:rvo-nl", "RVO.NL"] for line in r.stdout.splitlines())


def test_viz_draws_the_imported_organisations(nl_mfa, tmp_path):
    out, _ = nl_mfa
    page = tmp_path / "g.html"
    r = invoke("viz", "--data", out, "--kinds", "all", "--out", page)
    assert r.exit_code == 0, r.stderr
    data = json.loads(re.search(r"var graphData = (.*?);\n", page.read_text(encoding="utf-8")).group(1))
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    for slug in NL_ORGANISATIONS:
        assert f"cedorg:{slug}" in labels
    assert labels["cedorg:xm-dac-7"] == "Ministry of Foreign Affairs (DGIS)"
    assert labels["cedorg:rvo-nl"] == "RVO.NL"
    funding = {(e["from"], e["to"]) for e in data["edges"] if e["info"].startswith("Funding:")}
    # One funding edge from the ministry to each of the 16 other organisations: the receivers of
    # its 72 transactions, and (budgets and planned disbursements going to each activity's
    # implementer) "Particulier" and the two "DEVELOPING COUNTRY-BASED NGO GROUP" too.
    receivers = {f"cedorg:{slug}" for slug in NL_ORGANISATIONS} - {"cedorg:xm-dac-7"}
    assert len(receivers) == 16
    assert {t for s, t in funding if s == "cedorg:xm-dac-7"} == receivers


def test_importing_twice_gives_the_same_file(tmp_path):
    out = tmp_path / "x.ttl"
    assert invoke("import", "iati", ANNOTATED, NL_MFA, "--out", out).exit_code == 0
    first = out.read_bytes()
    r = invoke("import", "iati", ANNOTATED, NL_MFA, "--out", out)
    assert r.exit_code == 0
    assert out.read_bytes() == first
    assert r.stderr.splitlines()[-1] == (f"Wrote {out}: 14 activities, 20 organisations, 0 matched organisations, "
                                         "55 roles, 73 flows, 48 planned flows.")


# ---------------------------------------------------------------------------------------
# Matching, notes, SDGs (a small file written here)
# ---------------------------------------------------------------------------------------

SMALL = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.02" generated-datetime="2020-01-15T10:00:00Z">
 <iati-activity xml:lang="en" default-currency="cad">
  <iati-identifier>XM-DAC-301-2-108000</iati-identifier>
  <reporting-org ref="XM-DAC-301-2" type="10">
   <narrative>International Development Research Centre</narrative></reporting-org>
  <title><narrative>Social economy research network</narrative><narrative>SERN</narrative></title>
  <participating-org ref="XM-DAC-301-2" role="1" type="10"><narrative>IDRC</narrative></participating-org>
  <participating-org role="4" type="80"><narrative xml:lang="fr">Université Exemple</narrative></participating-org>
  <participating-org role="4"/>
  <recipient-country code="ML"/>
  <recipient-country code="QQ"/>
  <sector vocabulary="1" code="99999"/>
  <sector vocabulary="7" code="8"/>
  <tag vocabulary="3" code="8.3"/>
  <transaction>
   <transaction-type code="3"/><transaction-date iso-date="2020-02-01"/><value>50000</value>
   <receiver-org><narrative xml:lang="fr">Université Exemple</narrative></receiver-org>
  </transaction>
  <transaction>
   <transaction-type code="3"/><transaction-date iso-date="2020-03-01"/><value>100</value>
   <receiver-org ref="XM-DAC-301-2"/>
  </transaction>
  <transaction>
   <transaction-type code="1"/><transaction-date iso-date="2020-03-01"/><value>100</value>
  </transaction>
 </iati-activity>
</iati-activities>
"""


def test_existing_identifier_is_matched_and_notes_say_what_was_skipped(tmp_path):
    source = tmp_path / "idrc-small.xml"
    source.write_text(SMALL, encoding="utf-8")
    out = tmp_path / "x.ttl"
    r = invoke("import", "iati", source, "--out", out)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        f"{source}:3: skipped a participating-org with neither ref nor name",
        f"{source}:3: skipped recipient-country 'QQ': no country with that ISO code",
        f"{source}:3: sector '99999' is not in the IATI Sector codelist: kept as a code only",
        f"{source}:3: took the activity's one recipient country as its implementing organisation's country (its "
        "identifier names none)",
        f"{source}: provider-org not given: the reporting organisation taken as provider (it reports money it "
        "moved) (2 times; lines 16, 20)",
        f"{source}: skipped a transaction from an organisation to itself (2 times; lines 20, 24)",
        f"{source}:24: provider-org not given: the activity's funding organisation taken as provider "
        "(incoming funds come from the funder)",
        f"{source}:24: receiver-org not given: the reporting organisation taken as receiver (it reports money it "
        "received)",
        f"Wrote {out}: 1 activities, 1 organisations, 1 matched organisations, 2 roles, 1 flows, 0 planned flows.",
    ]
    g = imported(out)
    a = ACT["XM-DAC-301-2-108000"]
    idrc = ORGNS.idrc  # ontology/vocab/organisation-identifiers.ttl: ced:iatiIdentifier "XM-DAC-301-2"
    assert g.value(a, CED.funder) == idrc and g.value(a, CED.reportingOrganisation) == idrc
    assert list(g.predicate_objects(idrc)) == []  # an existing organisation is never re-described
    uni = ORGNS["universite-exemple"]
    assert set(g.objects(uni, RDF.type)) == {CED.ResearchOrganisation}
    assert set(g.objects(uni, SKOS.prefLabel)) == {Literal("Université Exemple", lang="fr"),
                                                   Literal("Université Exemple", lang="en")}
    assert g.value(a, SKOS.altLabel) == Literal("SERN", lang="en")  # a second English title
    assert set(g.objects(a, CED.sdg)) == {SDG["8"], SDG["8.3"]}
    assert set(g.objects(a, CED.recipientCountry)) == {PLC.mali}
    flow = FLOW["iati-xm-dac-301-2-108000-1"]  # outgoing: the provider defaults to the reporting org
    assert (g.value(flow, CED.source), g.value(flow, CED.target)) == (idrc, uni)
    assert g.value(g.value(flow, CED.amount), SCHEMA.currency) == Literal("CAD")
    assert invoke("validate", "--data", out).exit_code == 0


# ---------------------------------------------------------------------------------------
# Bad input: one line per problem naming file and line, nothing written
# ---------------------------------------------------------------------------------------


def assert_nothing_written(out: Path) -> None:
    assert not out.exists()
    assert not (out.parent / "seeds").exists()


def test_malformed_xml_is_one_line_with_its_line(tmp_path):
    bad = tmp_path / "truncated.xml"
    bad.write_bytes(ANNOTATED.read_bytes()[:5000])  # cut inside line 126
    out = tmp_path / "out" / "x.ttl"
    r = invoke("import", "iati", bad, "--out", out)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        f"{bad}:126: not well-formed XML: no element found at column 34; fix the file",
        "kgraph: 1 problem found, nothing written",
    ]
    assert_nothing_written(out)


@pytest.mark.parametrize("version,shown", [("2.99", "2.99"), ("1.05", "1.05"), (None, "(none given)")])
def test_unsupported_version(tmp_path, version, shown):
    text = ANNOTATED.read_text(encoding="utf-8")
    text = text.replace(' version="2.03"', f' version="{version}"' if version else "")
    bad = tmp_path / "old.xml"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "x.ttl"
    r = invoke("import", "iati", bad, "--out", out)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [f"{bad}:5: unsupported IATI version {shown}: kgraph reads 2.01-2.03",
                                     "kgraph: 1 problem found, nothing written"]
    assert_nothing_written(out)


def test_organisation_file_is_refused(tmp_path):
    out = tmp_path / "x.ttl"
    r = invoke("import", "iati", ORGANISATION_FILE, "--out", out)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        (f"{ORGANISATION_FILE}:5: an IATI organisation file, not an IATI activity file (root element "
         "iati-activities): give kgraph import iati activity files only"),
        "kgraph: 1 problem found, nothing written"]
    assert_nothing_written(out)


def test_problems_of_all_files_are_reported_at_once(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<iati-activities version='2.03'><iati-activity>", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        iati.read([bad, ANNOTATED, ORGANISATION_FILE], NameIndex())
    assert [(Path(p.path).name, p.row) for p in caught.value.problems] == [
        ("bad.xml", 1), (ORGANISATION_FILE.name, 5)]


# ---------------------------------------------------------------------------------------
# Streaming
# ---------------------------------------------------------------------------------------


def generated_file(path: Path, n: int) -> Path:
    """An activity file of *n* activities, each funding one of 50 partners."""
    with path.open("w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n')
        for i in range(n):
            f.write(f""" <iati-activity xml:lang="en" default-currency="EUR">
  <iati-identifier>XX-TEST-{i:05d}</iati-identifier>
  <reporting-org ref="XX-TEST" type="10"><narrative>Test ministry</narrative></reporting-org>
  <title><narrative>Generated activity {i}</narrative></title>
  <participating-org ref="XX-TEST" role="1"><narrative>Test ministry</narrative></participating-org>
  <participating-org role="4" type="22"><narrative>Partner {i % 50}</narrative></participating-org>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2020-01-01"/>
   <value>{i + 1}</value><receiver-org><narrative>Partner {i % 50}</narrative></receiver-org></transaction>
 </iati-activity>
""")
        f.write("</iati-activities>\n")
    return path


def test_read_streams_a_large_file(tmp_path):
    source = generated_file(tmp_path / "big.xml", 2000)
    reads: list[int] = []
    result = iati.read([source], NameIndex(), on_progress=reads.append)
    assert sum(reads) == source.stat().st_size
    assert len(reads) > 10  # read in chunks, not at once
    assert result.counts == {"activities": 2000, "organisations": 51, "matched organisations": 0,
                             "roles": 4000, "flows": 2000, "planned flows": 0}
    assert result.origins[str(ACT["XX-TEST-01999"])].row == 3 + 1999 * 9


def test_doctests():
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        assert doctest.testmod(iati).failed == 0
    finally:
        os.chdir(cwd)


def test_missing_receivers_and_providers_are_inferred_by_the_standards_rules(tmp_path):
    """The Netherlands file with every receiver-org removed: each of its 72 transactions (all
    commitments or disbursements, counted with grep: 3+12+5+6+3+3+6+4+4+14+2+4+6) goes to the
    activity's one implementing organisation, so all 72 flows are kept, and the note says which
    rule supplied the receiver."""
    source = tmp_path / "nl-no-receivers.xml"
    source.write_text(re.sub(r"<receiver-org\b.*?</receiver-org>|<receiver-org\b[^>]*/>", "",
                             NL_MFA.read_text(encoding="utf-8"), flags=re.DOTALL), encoding="utf-8")
    result = iati.read([source], NameIndex())
    assert result.counts["flows"] == 72
    rule = ("receiver-org not given: the activity's implementing organisation taken as receiver "
            "(a disbursement or expenditure goes to the implementer)")
    noted = [n for n in result.notes if rule in n]
    assert len(noted) == 1 and noted[0].startswith(f"{source}: {rule} (72 times; lines ")
    g = result.graph
    for flow in g.subjects(RDF.type, CED.KnowledgeFlow):
        activity = g.value(flow, CED.inPartnership)
        assert g.value(flow, CED.target) == g.value(activity, CED.partner)


def test_a_transaction_no_rule_completes_is_skipped_saying_which_end_is_missing(tmp_path):
    source = tmp_path / "two-implementers.xml"
    source.write_text(SMALL.replace('<participating-org role="4"/>',
                                    '<participating-org role="4"><narrative>Other</narrative></participating-org>')
                      .replace('<receiver-org><narrative xml:lang="fr">Université Exemple</narrative></receiver-org>',
                               ""), encoding="utf-8")
    result = iati.read([source], NameIndex())
    assert f"{source}:16: skipped a transaction without receiver-org: the activity has several implementing " \
           "organisations to take instead" in result.notes
    assert result.counts["flows"] == 0
