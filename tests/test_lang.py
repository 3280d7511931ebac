"""`--lang` takes any BCP 47 tag: labels in that language (or the closest the graph has, by
RFC 4647 lookup), else English, then French. IATI titles in any language become labels."""

from __future__ import annotations

import csv
import doctest
import io

import pytest
from click.testing import CliRunner
from conftest import TESTS

from kgraph import langs
from kgraph.cli import main

NL_MFA = TESTS / "fixtures" / "iati" / "nl-mfa-XM-DAC-7-203.xml"
ANNOTATED = TESTS / "fixtures" / "iati" / "activity-standard-example-annotated-2.03.xml"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("lang") / "x.ttl"
    assert invoke("import", "iati", NL_MFA, ANNOTATED, "--out", out).exit_code == 0
    return out


def labels(out, lang) -> dict[str, str]:
    r = invoke("query", "organisations", "--data", out, "--param", "class=ced:Activity", "--lang", lang,
               "--format", "csv")
    assert r.exit_code == 0, r.stderr
    return {row["agent"].rsplit("/", 1)[-1]: row["agentLabel"] for row in csv.DictReader(io.StringIO(r.stdout))}


@pytest.mark.parametrize("lang,nl_title,annotated_title", [
    ("nl", "DHI DGGF LANDEN", "Activity title"),  # NL-1-PPR-28385 is xml:lang="nl"
    ("nl-BE", "DHI DGGF LANDEN", "Activity title"),  # falls back to nl
    ("es", "IATI activity NL-1-PPR-28385", "Título de la actividad"),  # the annotated example's es title
    ("es-MX", "IATI activity NL-1-PPR-28385", "Título de la actividad"),
    ("fr", "IATI activity NL-1-PPR-28385", "Titre de l'activité"),
    ("de", "IATI activity NL-1-PPR-28385", "Activity title"),  # no German: English
])
def test_labels_in_any_language_with_fallback(imported, lang, nl_title, annotated_title):
    got = labels(imported, lang)
    assert (got["NL-1-PPR-28385"], got["AA-AAA-123456789-ABC123"]) == (nl_title, annotated_title)


def test_the_graph_says_which_label_languages_it_has(imported):
    r = invoke("query", "label-languages", "--data", imported, "--format", "csv")
    # en, fr from the bundled data; nl (13 NL titles), es (the annotated example's title)
    assert [row["language"] for row in csv.DictReader(io.StringIO(r.stdout))] == ["en", "fr", "nl", "es"]


@pytest.mark.parametrize("command", [["query", "organisations"], ["metrics"], ["stats"]])
def test_a_malformed_tag_is_one_line(command):
    r = invoke(*command, "--lang", "en_US")
    assert r.exit_code == 2
    assert r.stderr.splitlines()[-1].startswith(
        "kgraph: invalid value for '--lang': 'en_US' is not a language tag; use a BCP 47 tag such as en, fr, es or "
        "pt-BR")


def test_metrics_and_viz_accept_any_tag(imported, tmp_path):
    assert invoke("metrics", "--lang", "pt-BR").exit_code == 0
    page = tmp_path / "g.html"
    r = invoke("viz", "--data", imported, "--lang", "nl", "--out", page)
    assert r.exit_code == 0, r.stderr
    assert '<html lang="nl"' in page.read_text(encoding="utf-8")


def test_lookup():
    assert langs.lookup("zh-Hant-TW", {"zh-hant", "zh"}) == "zh-hant"
    assert langs.lookup("sr-Latn-x-private", {"sr-latn"}) == "sr-latn"  # skips the lone "x"
    assert langs.lookup("ES", {"en"}) == "es"
    assert doctest.testmod(langs).failed == 0
