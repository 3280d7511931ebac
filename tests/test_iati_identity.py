"""Who an IATI file names: placeholders kept apart, shared refs split by name, both GAC
identifiers, countries from identifiers and recipient countries; .xml.gz files and folders.

The files are written here, small enough to count every organisation by eye.
"""

from __future__ import annotations

import csv
import gzip
import io

from click.testing import CliRunner
from conftest import TESTS
from rdflib import Graph, Literal, Namespace

from kgraph.cli import main
from kgraph.namespaces import PREFIXES

CED, SKOS, SCHEMA, RDF = (Namespace(PREFIXES[p]) for p in ("ced", "skos", "schema", "rdf"))
ACT, ORGNS, PLC, SRC = (Namespace(PREFIXES[p]) for p in ("iatiact", "cedorg", "cedplc", "cedsrc"))
ANNOTATED = TESTS / "fixtures" / "iati" / "activity-standard-example-annotated-2.03.xml"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def activity(identifier: str, body: str, reporting: str = "CA-3") -> str:
    return f"""
 <iati-activity xml:lang="en" default-currency="CAD">
  <iati-identifier>{identifier}</iati-identifier>
  <reporting-org ref="{reporting}" type="10"><narrative>Global Affairs Canada</narrative></reporting-org>
  <title><narrative>Activity {identifier}</narrative></title>
  <participating-org ref="{reporting}" role="1" type="10"/>{body}
 </iati-activity>"""


def iati_file(path, *activities: str):
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">'
                    + "".join(activities) + "\n</iati-activities>\n", encoding="utf-8")
    return path


def disbursement(receiver: str) -> str:
    return f"""
  <transaction><transaction-type code="3"/><transaction-date iso-date="2021-01-01"/><value>10</value>
   {receiver}</transaction>"""


PLACEHOLDER = '<participating-org ref="22000" role="4" type="22"><narrative>Donor country-based NGO</narrative>' \
              '</participating-org>'


def test_placeholders_are_kept_apart_in_each_activity_and_flagged(tmp_path):
    receiver = '<receiver-org ref="22000"><narrative>DONOR COUNTRY-BASED NGO</narrative></receiver-org>'
    source = iati_file(tmp_path / "p.xml",
                       activity("CA-3-A1", PLACEHOLDER + '\n  <recipient-country code="ML"/>' + disbursement(receiver)),
                       activity("CA-3-A2", PLACEHOLDER + disbursement(receiver)),
                       activity("CA-3-A3", '<participating-org role="4"><narrative>NGO</narrative></participating-org>'))
    out = tmp_path / "x.ttl"
    r = invoke("import", "iati", source, "--out", out)
    assert r.exit_code == 0, r.stderr
    g = Graph().parse(out)
    # Three activities, three placeholders (A1 and A2 name the same one, A3 another): one node
    # each per activity, never merged, and the ref 22000 (a DAC channel code) is no identifier.
    unidentified = {str(o).rsplit("/", 1)[-1] for o in g.subjects(CED.unidentified, Literal(True))}
    assert unidentified == {"22000-ca-3-a1", "22000-ca-3-a2", "ngo-ca-3-a3"}
    a1 = ORGNS["22000-ca-3-a1"]
    assert g.value(ACT["CA-3-A1"], CED.partner) == a1
    assert g.value(ACT["CA-3-A2"], CED.partner) == ORGNS["22000-ca-3-a2"]
    assert set(g.objects(a1, SKOS.prefLabel)) == {Literal("Donor country-based NGO (in CA-3-A1)", lang="en")}
    assert g.value(a1, CED.iatiIdentifier) is None
    assert g.value(a1, SCHEMA.location) == PLC.mali  # the activity's one recipient country
    # the receiver (same placeholder, other case) is the activity's own node
    flows = {(g.value(f, CED.source), g.value(f, CED.target)) for f in g.subjects(RDF.type, CED.KnowledgeFlow)}
    gac = ORGNS["global-affairs-canada"]
    assert flows == {(gac, a1), (gac, ORGNS["22000-ca-3-a2"])}
    assert r.stderr.splitlines()[-1].endswith("3 activities, 3 organisations, 1 matched organisations, 6 roles, "
                                              "2 flows, 0 planned flows.")
    assert f"{source}: ignored ref '22000': not an organisation identifier (no registration agency prefix) " \
           "(4 times; lines 7, 10, 16, 18)" in r.stderr.splitlines()


def test_gac_is_known_by_both_identifiers(tmp_path):
    source = iati_file(tmp_path / "gac.xml",
                       activity("CA-3-B1", "", reporting="CA-3"),
                       activity("XM-DAC-301-1-B2", "", reporting="XM-DAC-301-1"))
    out = tmp_path / "x.ttl"
    r = invoke("import", "iati", source, "--out", out)
    assert r.exit_code == 0, r.stderr
    g = Graph().parse(out)
    gac = ORGNS["global-affairs-canada"]
    for a in ("CA-3-B1", "XM-DAC-301-1-B2"):
        assert g.value(ACT[a], CED.funder) == gac and g.value(ACT[a], CED.reportingOrganisation) == gac
    assert r.stderr.splitlines()[-1].endswith("2 activities, 0 organisations, 1 matched organisations, 2 roles, "
                                              "0 flows, 0 planned flows.")


def test_one_ref_for_ten_agencies_gives_ten_organisations(tmp_path):
    """A ministry's ref on each of its ten embassies (one per activity) names ten organisations;
    the annotated example's three names for AA-AAA-123456789 in one activity stay one."""
    acts = [activity(f"CA-3-E{k}", f'<participating-org ref="NL-1" role="4"><narrative>Embassy {k}</narrative>'
                                   '</participating-org>') for k in range(10)]
    acts.append(activity("CA-3-E10", '<participating-org ref="NL-1" role="4"><narrative>Embassy 3</narrative>'
                                     '</participating-org>'))
    acts.append(activity("CA-3-E11", '<participating-org ref="NL-1" role="4"/>'))
    source = iati_file(tmp_path / "e.xml", *acts)
    out = tmp_path / "x.ttl"
    r = invoke("import", "iati", source, "--out", out)
    assert r.exit_code == 0, r.stderr
    g = Graph().parse(out)
    partner = {k: str(g.value(ACT[f"CA-3-E{k}"], CED.partner)).rsplit("/", 1)[-1] for k in range(12)}
    assert partner == {0: "nl-1", **{k: f"nl-1-embassy-{k}" for k in range(1, 10)}, 10: "nl-1-embassy-3", 11: "nl-1"}
    assert {str(s).rsplit("/", 1)[-1] for s in g.subjects(CED.iatiIdentifier, Literal("NL-1"))} == set(
        partner.values())
    assert g.value(ORGNS["nl-1-embassy-7"], SCHEMA.location) == PLC.netherlands  # NL-1: a Dutch government ref
    assert r.stderr.splitlines()[-1].endswith("12 activities, 10 organisations, 1 matched organisations, "
                                              "24 roles, 0 flows, 0 planned flows.")
    assert any(n.startswith(f"{source}: kept organisations of different names apart although they share the ref "
                            "'NL-1' (9 times;") for n in r.stderr.splitlines())


def test_country_from_the_identifiers_registration_agency(tmp_path):
    body = "".join(f'\n  <participating-org ref="{ref}" role="4"><narrative>{name}</narrative></participating-org>'
                   for ref, name in (("GB-COH-01683270", "A UK company"), ("CA-CRA_ACR-118828023", "A charity"),
                                     ("NL-KVK-41150298", "Dutch foundation"), ("XM-DAC-41114", "UNDP"),
                                     ("XI-IATI-EBRD", "EBRD")))
    source = iati_file(tmp_path / "c.xml", activity("CA-3-C1", body + '\n  <recipient-country code="ML"/>'))
    out = tmp_path / "x.ttl"
    assert invoke("import", "iati", source, "--out", out).exit_code == 0
    g = Graph().parse(out)
    located = {str(s).rsplit("/", 1)[-1]: str(o).rsplit("/", 1)[-1] for s, o in g.subject_objects(SCHEMA.location)}
    # Multilaterals (XM-, XI-) have no country and do not take Mali from the activity.
    assert located == {"gb-coh-01683270": "united-kingdom-of-great-britain-and-northern-ireland",
                       "ca-cra-acr-118828023": "canada", "nl-kvk-41150298": "netherlands"}
    r = invoke("query", "organisations", "--data", out, "--format", "csv")
    groups = {row["agent"]: row["group"] for row in csv.DictReader(io.StringIO(r.stdout))}
    assert (groups[str(ORGNS["gb-coh-01683270"])], groups[str(ORGNS["xm-dac-41114"])]) == ("North", "")  # no place: no group


def test_gzip_files_and_folders(tmp_path):
    folder = tmp_path / "downloads"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "annotated.xml.gz").write_bytes(gzip.compress(ANNOTATED.read_bytes()))
    iati_file(folder / "small.xml", activity("CA-3-G1", ""))
    (folder / "notes.txt").write_text("not IATI", encoding="utf-8")
    out = tmp_path / "out" / "x.ttl"
    r = invoke("import", "iati", folder, "--out", out)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[-1].endswith("2 activities, 3 organisations, 1 matched organisations, 4 roles, "
                                              "1 flows, 1 planned flows.")
    g = Graph().parse(out)
    src = SRC["iati-annotated"]
    assert g.value(src, CED.localCopy) == Literal("annotated.xml.gz")
    assert (out.parent / "seeds" / "annotated.xml.gz").read_bytes() == (folder / "sub" / "annotated.xml.gz").read_bytes()
    r = invoke("validate", "--data", out)  # quotes are checked against the decompressed copy
    assert r.exit_code == 0, r.stdout + r.stderr


def test_a_damaged_gzip_and_an_empty_folder_are_one_line_each(tmp_path):
    bad = tmp_path / "cut.xml.gz"
    bad.write_bytes(gzip.compress(ANNOTATED.read_bytes())[:300])
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "x.ttl"
    r = invoke("import", "iati", bad, empty, "--out", out)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        f"{empty}: a folder with no .xml or .xml.gz file in it: give IATI activity files or folders holding them",
        f"{bad}: not a readable gzip file (Compressed file ended before the end-of-stream marker was reached): "
        "compress it again or give the .xml itself",
        "kgraph: 2 problems found, nothing written"]
    assert not out.exists()
