"""The cookbook (queries/cookbook/*.rq, docs/cookbook.md): every query returns exactly the rows
tests/cookbook.toml expects on the bundled data; the page shows each query with the rows it
returns (stale or missing sections are named, known-bad pages prove it); the queries name only
defined terms and the derived-graph terms their header says they use."""

from __future__ import annotations

import re
import tomllib

import pytest

from conftest import ROOT, TESTS
from kgraph import cookbook, querycheck, queries
from kgraph.errors import QueryError

EXPECTED = tomllib.loads((TESTS / "cookbook.toml").read_text(encoding="utf-8"))["recipe"]
DOC = ROOT / "docs" / "cookbook.md"


def _norm(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 3)
    return value


def test_fifteen_questions_each_with_expected_rows():
    names = [q.name for q in cookbook.recipes()]
    assert len(names) == 15
    assert [e["name"] for e in EXPECTED] == names  # a removed or added query fails here too


@pytest.mark.parametrize("expected", EXPECTED, ids=[e["name"] for e in EXPECTED])
def test_cookbook_query_returns_exact_rows(store, expected):
    result = cookbook.run(store, queries.find("cookbook/" + expected["name"]))
    assert result.variables == expected["columns"]
    assert [[_norm(v) for v in row] for row in result.values()] == \
        [[_norm(v) for v in row] for row in expected["rows"]]


def test_doc_is_up_to_date(store):
    doc = DOC.read_text(encoding="utf-8")
    assert cookbook.stale_sections(doc, store) == [], \
        "docs/cookbook.md is stale: run `python -m kgraph.cookbook > docs/cookbook.md`"
    assert doc == cookbook.markdown(store)


def test_known_bad_pages_are_caught(store):
    doc = DOC.read_text(encoding="utf-8")
    # a row the query does not return (Uniterra's year on the delegation changed)
    wrong_row = doc.replace("| Uniterra | Économie solidaire de l'Ontario | 2005 |",
                            "| Uniterra | Économie solidaire de l'Ontario | 2006 |")
    assert wrong_row != doc
    assert cookbook.stale_sections(wrong_row, store) == [
        "01-who-funds-whom: the page's section differs from what the query is and returns"]
    # a query removed from queries/cookbook/ while the page still shows it
    kept = [q for q in cookbook.recipes() if q.name != "05-two-way-pairs"]
    assert cookbook.stale_sections(doc, store, kept) == [
        "05-two-way-pairs: the page shows a query that queries/cookbook/ does not hold"]
    # a section dropped from the page
    sections = cookbook.split_sections(doc)
    dropped = doc.replace(sections["12-voices"], "")
    assert cookbook.stale_sections(dropped, store) == [
        "12-voices: the page has no section for queries/cookbook/12-voices.rq"]
    # the query text edited on the page only
    edited = doc.replace("ORDER BY ?funder ?recipient ?year ?flow", "ORDER BY ?recipient")
    assert cookbook.stale_sections(edited, store) == [
        "01-who-funds-whom: the page's section differs from what the query is and returns"]


def test_every_section_shows_its_rows(store):
    sections = cookbook.split_sections(DOC.read_text(encoding="utf-8"))
    for q in cookbook.recipes():
        rows = len(cookbook.run(store, q))
        text = sections[q.name]
        assert f"returns {rows} row" in text
        assert len(re.findall(r"^\| ", text, re.M)) == rows + 1  # header and one line per row


@pytest.mark.parametrize("recipe", cookbook.recipes(), ids=lambda q: q.name)
def test_cookbook_query_is_well_formed(recipe):
    assert recipe.title and recipe.question and recipe.row and recipe.headers.get("uses")
    assert recipe.form == "SELECT"
    assert querycheck.check(recipe.text, strict=True) == []  # every term defined, every prefix declared
    body = "\n".join(line for line in recipe.text.splitlines() if not line.startswith("#"))
    for term in re.findall(r"(?:ced|rdfs):\w+", recipe.headers["uses"]):
        assert term in body, f"{recipe.name} says it uses {term} but does not"


def test_cookbook_names_resolve_with_or_without_number():
    assert queries.find("cookbook/who-funds-whom") is queries.find("cookbook/01-who-funds-whom")
    with pytest.raises(QueryError, match=r"unknown cookbook query 'who-funds'; did you mean cookbook/01-who-funds-whom\?"):
        queries.find("cookbook/who-funds")


def test_cli_runs_a_cookbook_query_with_a_parameter(run):
    r = run("query", "cookbook/face-to-face", "--param", "second=malian-practitioners", "--format", "csv")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == [
        "date,event,place",
        "2005-06,Rencontre africaine de Bamako,Bamako",
    ]
