"""Importing filled-in CSV templates (see kgraph.csvtemplates) as a graph, all-or-nothing.

Reading happens in two passes. The first checks each file on its own — encoding, columns,
required values, dates, ids, allowed values — and the second resolves the names rows use for
one another (a flow's ``from``, a partnership's ``partners``) against the other files and the
graph being extended. Every problem of both passes is collected and reported at once as
``file:row:column: message``; only an import with none builds a graph.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from kgraph.csvtemplates import EVENT_TYPES, ORG_KINDS, STATUSES, TEMPLATES, columns, template_for
from kgraph.errors import ImportRejected, RowProblem
from kgraph.importing import Imported, Origin, add_evidence, new_graph
from kgraph.matching import NameIndex, slugify
from kgraph.namespaces import PREFIXES, compact, expand

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
AGENT_GROUPS = ("organisation", "person")

#: The IRI namespace each template's rows are minted in.
NAMESPACE = {"sources": "cedsrc", "organisations": "cedorg", "persons": "cedper", "partnerships": "cedpart",
             "events": "cedevt", "flows": "cedflow"}
#: The NameIndex group a template's rows join.
GROUP = {"sources": "source", "organisations": "organisation", "persons": "person", "partnerships": "partnership",
         "events": "event"}


def ns(prefix: str, local: str = "") -> URIRef:
    return URIRef(PREFIXES[prefix] + local)


def curie(text: str) -> URIRef:
    return URIRef(expand(text))


@dataclass
class Row:
    """One data row of one template file, with the physical line it starts on."""

    template: str
    path: str
    line: int
    values: dict[str, str]
    iri: URIRef | None = None
    existing: bool = False  # the row describes a resource the graph already has

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def many(self, column: str) -> list[str]:
        return [v.strip() for v in self.get(column).split(";") if v.strip()]


@dataclass
class Reader:
    """State of one import: the rows read, the problems found, the names known."""

    index: NameIndex
    rows: list[Row] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    bad: set[tuple[str, int]] = field(default_factory=set)  # rows that failed the pass-1 checks
    seeds: list[Path] = field(default_factory=list)  # local copies of sources found beside the CSV files

    def problem(self, row: Row | None, path: str, line: int | None, column: str | None, message: str) -> None:
        self.problems.append(RowProblem(row.path if row else path, row.line if row else line, column, message))
        if row is not None:
            self.bad.add((row.path, row.line))


def read(paths: Sequence[str | Path], index: NameIndex) -> Imported:
    """Read CSV templates (files, or folders of them) into an import.

    :raises ImportRejected: with every problem found, when there is any.
    """
    reader = Reader(index)
    files = _files(paths, reader)
    for path, template in sorted(files, key=lambda f: list(TEMPLATES).index(f[1])):
        _read_file(path, template, reader)
    reader.rows = [r for r in reader.rows if (r.path, r.line) not in reader.bad]  # reported; check the rest
    _mint(reader)
    imported = _build(reader)
    if reader.problems:
        raise ImportRejected(sorted(set(reader.problems), key=_problem_order))
    return imported


def _problem_order(p: RowProblem) -> tuple:
    return (p.path, p.row or 0, p.column or "", p.message)


# -- pass 1: files on their own ---------------------------------------------------------

def _files(paths: Sequence[str | Path], reader: Reader) -> list[tuple[Path, str]]:
    out = []
    for raw in paths:
        p = Path(raw)
        candidates = sorted(p.glob("*.csv")) if p.is_dir() else [p]
        if p.is_dir() and not candidates:
            reader.problem(None, str(p), None, None, "no .csv files in this folder; write templates with "
                                                     "`kgraph template --out FOLDER`")
        for f in candidates:
            if not f.is_file():
                reader.problem(None, str(f), None, None, "no such file")
                continue
            template = template_for(f.stem)
            if template is None:
                reader.problem(None, str(f), None, None, "not a template name: call it "
                               + ", ".join(f"{t}.csv" for t in TEMPLATES))
                continue
            out.append((f, template))
    return out


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Non-comment, non-blank physical lines with their 1-based numbers."""
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if line.lstrip().startswith("#") or not line.strip():
            continue
        yield number, line


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the line each starts on (a quoted cell may span lines)."""
    numbered = _lines(text)
    starts: list[int] = []

    def feed() -> Iterator[str]:
        for number, line in numbered:
            starts.append(number)
            yield line

    consumed = 0
    for record in csv.reader(feed()):
        yield starts[consumed], record
        consumed = len(starts)


def _read_file(path: Path, template: str, reader: Reader) -> None:
    shown = str(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        reader.problem(None, shown, line, None, f"not UTF-8 text (byte 0x{data[e.start]:02X}); "
                                                "save the file as 'CSV UTF-8'")
        return
    records = _records(text)
    try:
        header_line, header = next(records)
    except StopIteration:
        reader.problem(None, shown, None, None, f"empty file: keep the header row ({','.join(columns(template))})")
        return
    except csv.Error as e:
        reader.problem(None, shown, 1, None, f"not valid CSV: {e}")
        return
    header = [h.strip() for h in header]
    known = columns(template)
    for h in header:
        if h not in known:
            reader.problem(None, shown, header_line, h, f"unknown column {h!r} in {template}.csv; "
                                                        f"the columns are {', '.join(known)}")
    for c in TEMPLATES[template]:
        if c.required and c.name not in header:
            reader.problem(None, shown, header_line, c.name, f"missing required column {c.name!r}; add it to the header")
    if len(set(header)) != len(header):
        reader.problem(None, shown, header_line, None, "a column name appears twice in the header")
    try:
        for line, record in records:
            if len(record) > len(header):
                reader.problem(None, shown, line, None, f"{len(record)} cells but {len(header)} columns; "
                                                        "quote cells that contain commas")
                continue
            row = Row(template, shown, line, dict(zip(header, record)))
            _check_row(row, reader)
            reader.rows.append(row)
    except csv.Error as e:
        reader.problem(None, shown, None, None, f"not valid CSV: {e}")


def _check_row(row: Row, reader: Reader) -> None:
    for c in TEMPLATES[row.template]:
        if c.required and c.name in row.values and not row.get(c.name):
            reader.problem(row, "", None, c.name, f"{c.name} is required")
    rid = row.get("id")
    if rid and not ID_PATTERN.match(rid):
        reader.problem(row, "", None, "id", f"id {rid!r} must be lower-case letters, digits and hyphens, "
                                            f"e.g. {slugify(rid)!r}")
    for column in ("date", "start", "end", "end_date"):
        if row.get(column) and date_literal(row.get(column)) is None:
            reader.problem(row, "", None, column, f"{row.get(column)!r} is not a date: write YYYY, YYYY-MM or "
                                                  "YYYY-MM-DD")
    if row.get("quote") and len(row.get("quote")) < 3:
        reader.problem(row, "", None, "quote", "a quote needs at least 3 characters of the source's words")
    checks = {("organisations", "kind"): ORG_KINDS, ("events", "type"): EVENT_TYPES,
              ("flows", "status"): {s: s for s in STATUSES}, ("persons", "heads"): {"yes": 1, "no": 0}}
    for (template, column), allowed in checks.items():
        value = row.get(column).lower() if template == row.template else ""
        if value and value not in allowed:
            reader.problem(row, "", None, column, f"{row.get(column)!r} is not one of {', '.join(allowed)}")
    if row.template == "sources" and row.get("url") and not row.get("url").startswith(("http://", "https://")):
        reader.problem(row, "", None, "url", "a url starts with http:// or https://")
    if row.template == "sources" and "/" in row.get("local_copy"):
        reader.problem(row, "", None, "local_copy", "give only the file name; keep the file in seeds/ next to "
                                                    "the imported file")
    if row.template == "partnerships" and len(row.many("partners")) == 1:
        reader.problem(row, "", None, "partners", "a partnership needs at least two partners, separated by ';'")
    if row.template == "persons" and (row.get("role") or row.get("heads").lower() == "yes") \
            and not row.get("organisation"):
        reader.problem(row, "", None, "organisation", "role and heads need the organisation they apply to")


def date_literal(text: str) -> Literal | None:
    """xsd:gYear, xsd:gYearMonth or xsd:date for YYYY, YYYY-MM, YYYY-MM-DD; None if invalid."""
    import datetime

    m = DATE_PATTERN.match(text.strip())
    if not m:
        return None
    year, month, day = m.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    datatype = XSD.date if day else XSD.gYearMonth if month else XSD.gYear
    return Literal(text.strip(), datatype=datatype)


# -- pass 2: names and IRIs -------------------------------------------------------------

def _mint(reader: Reader) -> None:
    """Give every row its IRI (an existing resource's, or a new stable one) and register its names."""
    seen: dict[tuple[str, str], Row] = {}
    flow_slugs: dict[str, int] = {}
    for row in reader.rows:
        if row.template == "flows":
            continue
        group = GROUP[row.template]
        name = row.get("title") if row.template == "sources" else row.get("name")
        column = "id" if row.get("id") else "name"
        if row.get("id"):
            row.iri = ns(NAMESPACE[row.template], row.get("id"))
            known = reader.index.groups.get(str(row.iri))
            row.existing = known == group
            if known and not row.existing:
                reader.problem(row, "", None, "id", f"{compact(str(row.iri))} already names a {known} in the graph; "
                                                    "give this row a different id")
        else:
            found = reader.index.lookup(name, group) if row.template != "sources" else set()
            if row.template == "organisations" and not found and row.get("iati_id"):
                found = reader.index.lookup(row.get("iati_id"), group)
            if len(found) > 1:
                reader.problem(row, "", None, column, f"{name!r} names {len(found)} {group}s in the graph ("
                               + ", ".join(sorted(compact(f) for f in found)) + "); give the id of the one you mean")
                continue
            if found:
                row.iri, row.existing = URIRef(next(iter(found))), True
            else:
                row.iri = ns(NAMESPACE[row.template], slugify(name))
                if reader.index.known(str(row.iri)):
                    reader.problem(row, "", None, column, f"{compact(str(row.iri))} already names another "
                                   f"{reader.index.groups[str(row.iri)]} in the graph; give this row an id")
        key = (row.template, str(row.iri))
        if key in seen:
            reader.problem(row, "", None, column, f"duplicate: row {seen[key].line} already describes "
                                                  f"{compact(str(row.iri))}; merge the rows or give them different ids")
            continue
        seen[key] = row
    for row in reader.rows:
        if row.template != "flows" and row.iri is not None and not row.existing:
            names = [row.get("name"), row.get("name_fr"), row.get("title"), row.get("iati_id"), *row.many("other_names")]
            reader.index.add(str(row.iri), GROUP[row.template], [n for n in names if n])
    for row in (r for r in reader.rows if r.template == "flows"):
        if row.get("id"):
            local = row.get("id")
        else:
            base = slugify(f"{row.get('from')} {row.get('to')} {row.get('kind')}", max_length=80)
            flow_slugs[base] = flow_slugs.get(base, 0) + 1
            local = base if flow_slugs[base] == 1 else f"{base}-{flow_slugs[base]}"
        row.iri = ns("cedflow", local)
        key = ("flows", str(row.iri))
        if key in seen or reader.index.known(str(row.iri)):
            reader.problem(row, "", None, "id", f"duplicate: {compact(str(row.iri))} is already used; "
                                                "give this flow a different id")
        seen[key] = row


def _resolve(reader: Reader, row: Row, column: str, value: str, *groups: str, what: str) -> URIRef | None:
    found = reader.index.lookup(value, *groups)
    if len(found) == 1:
        return URIRef(next(iter(found)))
    if found:
        reader.problem(row, "", None, column, f"{value!r} names {len(found)} {what}s ("
                       + ", ".join(sorted(compact(f) for f in found)) + "); use the id instead")
        return None
    close = reader.index.suggest(value, *groups)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    reader.problem(row, "", None, column, f"no {what} named {value!r} in these files or the graph; "
                                          f"add it to {_file_for(groups)} or fix the name.{hint}")
    return None


def _link(g, reader: Reader, row: Row, column: str, prop: URIRef, *groups: str, what: str) -> None:
    """Link the row's resource with *prop* to what its optional *column* names, if it names anything."""
    if row.get(column):
        target = _resolve(reader, row, column, row.get(column), *groups, what=what)
        if target is not None:
            g.add((row.iri, prop, target))


def _file_for(groups: Iterable[str]) -> str:
    files = {"organisation": "organisations.csv", "person": "persons.csv", "event": "events.csv",
             "partnership": "partnerships.csv", "source": "sources.csv", "place": "organisations.csv or events.csv",
             "flow kind": "the flow-kind vocabulary", "role": "persons.csv"}
    return " or ".join(dict.fromkeys(files[g] for g in groups))


# -- building the graph -----------------------------------------------------------------

def _build(reader: Reader) -> Imported:
    g = new_graph()
    imported = Imported(g)
    places: dict[str, URIRef] = {}
    for row in reader.rows:
        s = row.iri
        imported.origins[str(s)] = Origin(row.path, row.line)
        build = {"sources": _source, "organisations": _organisation, "persons": _person,
                 "partnerships": _partnership, "events": _event, "flows": _flow}[row.template]
        build(g, row, reader, places)
        if row.template == "sources":
            source = s
        else:
            source = _resolve(reader, row, "source", row.get("source"), "source", what="source document")
        if source is not None:
            add_evidence(g, s, source, row.get("quote"))
    counts: dict[str, int] = {}
    for row in reader.rows:
        counts[row.template] = counts.get(row.template, 0) + 1
    imported.counts = counts
    imported.seeds = reader.seeds
    matched = sum(r.existing for r in reader.rows)
    if matched:
        imported.notes.append(f"{matched} rows describe resources the graph already has (matched by name or id).")
    return imported


def _labels(g, row: Row, s: URIRef) -> None:
    if row.existing:
        return
    skos = PREFIXES["skos"]
    g.add((s, URIRef(skos + "prefLabel"), Literal(row.get("name"), lang="en")))
    if row.get("name_fr"):
        g.add((s, URIRef(skos + "prefLabel"), Literal(row.get("name_fr"), lang="fr")))
    for other in row.many("other_names"):
        g.add((s, URIRef(skos + "altLabel"), Literal(other, lang="en")))


def _place(g, row: Row, reader: Reader, places: dict[str, URIRef]) -> URIRef | None:
    """The row's city (known, or new in its country) or else its country."""
    country = None
    if row.get("country"):
        country = _resolve(reader, row, "country", row.get("country"), "place", what="country")
    if not row.get("city"):
        return country
    found = reader.index.lookup(row.get("city"), "place")
    if len(found) == 1:
        return URIRef(next(iter(found)))
    if country is None:
        if not row.get("country"):
            reader.problem(row, "", None, "city", f"unknown city {row.get('city')!r}: give its country too, "
                                                  "and kgraph adds the city")
        return None
    city = ns("cedplc", slugify(row.get("city")))
    if str(city) not in places:
        places[str(city)] = city
        g.add((city, RDF.type, ns("ced", "City")))
        g.add((city, URIRef(PREFIXES["skos"] + "prefLabel"), Literal(row.get("city"), lang="en")))
        g.add((city, ns("schema", "containedInPlace"), country))
    return city


def _source(g, row: Row, reader: Reader, places) -> None:
    s = row.iri
    g.add((s, RDF.type, ns("ced", "SourceDocument")))
    g.add((s, ns("dcterms", "title"), Literal(row.get("title"), lang="en")))
    _link(g, reader, row, "publisher", ns("dcterms", "publisher"), "organisation", what="organisation")
    if row.get("date"):
        g.add((s, ns("dcterms", "issued"), date_literal(row.get("date"))))
    if row.get("url"):
        g.add((s, ns("schema", "url"), URIRef(row.get("url"))))
    if row.get("local_copy"):
        g.add((s, ns("ced", "localCopy"), Literal(row.get("local_copy"))))
        folder = Path(row.path).parent
        for candidate in (folder / "seeds" / row.get("local_copy"), folder / row.get("local_copy")):
            if candidate.is_file():
                reader.seeds.append(candidate)
                break


def _organisation(g, row: Row, reader: Reader, places) -> None:
    s = row.iri
    if not row.existing:
        g.add((s, RDF.type, curie(ORG_KINDS[row.get("kind").lower()])))
    _labels(g, row, s)
    place = _place(g, row, reader, places)
    if place is not None:
        g.add((s, ns("schema", "location"), place))
    if row.get("iati_id") and not row.existing:
        g.add((s, ns("ced", "iatiIdentifier"), Literal(row.get("iati_id"))))
    _link(g, reader, row, "part_of", ns("org", "unitOf"), "organisation", what="organisation")
    if row.get("website"):
        g.add((s, ns("schema", "url"), URIRef(row.get("website"))))


def _person(g, row: Row, reader: Reader, places) -> None:
    s = row.iri
    if not row.existing:
        g.add((s, RDF.type, ns("foaf", "Person")))
        g.add((s, URIRef(PREFIXES["skos"] + "prefLabel"), Literal(row.get("name"), lang="en")))
    if not row.get("organisation"):
        return
    organisation = _resolve(reader, row, "organisation", row.get("organisation"), "organisation",
                            what="organisation")
    if organisation is None:
        return
    heads = row.get("heads").lower() == "yes"
    g.add((s, ns("org", "headOf" if heads else "memberOf"), organisation))
    if row.get("role"):
        found = reader.index.lookup(row.get("role"), "role")
        role = URIRef(next(iter(found))) if len(found) == 1 else ns("cedrole", slugify(row.get("role")))
        if not found:
            g.add((role, RDF.type, ns("org", "Role")))
            g.add((role, RDF.type, URIRef(PREFIXES["skos"] + "Concept")))
            g.add((role, URIRef(PREFIXES["skos"] + "prefLabel"), Literal(row.get("role"), lang="en")))
            g.add((role, URIRef(PREFIXES["skos"] + "inScheme"), ns("cedscheme", "roles")))
            reader.index.add(str(role), "role", [row.get("role")])
        membership = ns("cedmem", f"{str(s).rsplit('/', 1)[-1]}-{str(organisation).rsplit('/', 1)[-1]}")
        g.add((membership, RDF.type, ns("org", "Membership")))
        g.add((membership, ns("org", "member"), s))
        g.add((membership, ns("org", "organization"), organisation))
        g.add((membership, ns("org", "role"), role))
        source = _resolve(reader, row, "source", row.get("source"), "source", what="source document")
        if source is not None:
            add_evidence(g, membership, source, row.get("quote"))


def _partnership(g, row: Row, reader: Reader, places) -> None:
    s = row.iri
    if not row.existing:
        g.add((s, RDF.type, ns("ced", "Partnership")))
    _labels(g, row, s)
    for column, prop in (("partners", "partner"), ("facilitators", "facilitator"), ("funders", "funder")):
        for name in row.many(column):
            agent = _resolve(reader, row, column, name, "organisation", what="organisation")
            if agent is not None:
                g.add((s, ns("ced", prop), agent))
    for column, prop in (("start", "startDate"), ("end", "endDate")):
        if row.get(column):
            g.add((s, ns("schema", prop), date_literal(row.get(column))))
    if row.get("description"):
        g.add((s, ns("dcterms", "description"), Literal(row.get("description"), lang="en")))


def _event(g, row: Row, reader: Reader, places) -> None:
    s = row.iri
    if not row.existing:
        g.add((s, RDF.type, curie(EVENT_TYPES[row.get("type").lower()])))
        g.add((s, URIRef(PREFIXES["skos"] + "prefLabel"), Literal(row.get("name"), lang="en")))
    for column, prop in (("date", "startDate"), ("end_date", "endDate")):
        if row.get(column):
            g.add((s, ns("schema", prop), date_literal(row.get(column))))
    place = _place(g, row, reader, places)
    if place is not None:
        g.add((s, ns("schema", "location"), place))
    for name in row.many("attendees"):
        agent = _resolve(reader, row, "attendees", name, *AGENT_GROUPS, what="organisation or person")
        if agent is not None:
            g.add((s, ns("schema", "attendee"), agent))
    _link(g, reader, row, "partnership", ns("ced", "inPartnership"), "partnership", what="partnership")


def _flow(g, row: Row, reader: Reader, places) -> None:
    s = row.iri
    g.add((s, RDF.type, ns("ced", "KnowledgeFlow")))
    ends = [_resolve(reader, row, column, row.get(column), *AGENT_GROUPS, what="organisation or person")
            for column in ("from", "to")]
    for end, prop in zip(ends, ("source", "target")):
        if end is not None:
            g.add((s, ns("ced", prop), end))
    if ends[0] is not None and ends[0] == ends[1]:
        reader.problem(row, "", None, "to", "a flow goes from one agent to another, not to itself")
    kind = _resolve(reader, row, "kind", row.get("kind"), "flow kind", what="flow kind")
    if kind is not None:
        g.add((s, ns("ced", "kind"), kind))
    g.add((s, ns("ced", "status"), ns("cedstatus", (row.get("status") or "occurred").lower())))
    if row.get("date"):
        g.add((s, ns("schema", "startDate"), date_literal(row.get("date"))))
    _link(g, reader, row, "event", ns("ced", "atEvent"), "event", what="event")
    _link(g, reader, row, "partnership", ns("ced", "inPartnership"), "partnership", what="partnership")
    if row.get("description"):
        g.add((s, URIRef(PREFIXES["skos"] + "prefLabel"), Literal(row.get("description"), lang="en")))
