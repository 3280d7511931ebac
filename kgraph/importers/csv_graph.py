"""Building the graph of `kgraph import csv` from checked rows with their IRIs.

One builder per template turns a row into triples (types, labels, places, links) and every
row gets its evidence: the source it cites and its quote.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from kgraph.importers.common import Imported, Origin, add_evidence
from kgraph.importers.csv_names import link, mint, mint_flow, resolve
from kgraph.importers.csv_rows import AGENT_GROUPS, Reader, Row, coordinate, curie, date_literal, ns
from kgraph.importers.countries import iso_code
from kgraph.importers.matching import concept_group, slugify
from kgraph.importers.values import web_address
from kgraph.importers.templates import CONCEPT_COLUMNS, EVENT_TYPES, ORG_KINDS
from kgraph.namespaces import PREFIXES, compact


class Builder:
    """Turns checked rows into triples added to *sink* (an rdflib Graph, or a
    kgraph.importers.turtle.TurtleWriter writing them out at once).

    The rows that are not flows are kept in the reader until the first flow comes (every
    file but the flows is read by then); :meth:`flow` then mints and writes each flow row as it
    is read, so flows, the bulk of large imports, are never all in memory.
    """

    def __init__(self, reader: Reader, sink):
        self.reader, self.sink = reader, sink
        self.imported = Imported(sink)
        self.places: dict[str, URIRef] = {}
        self._started = False

    def flow(self, row: Row) -> None:
        """Mint and write one flow row (unless pass 1 found it bad)."""
        self._start()
        if (row.path, row.line) not in self.reader.bad:
            mint_flow(self.reader, row)
            self._write(row)

    def finish(self) -> Imported:
        """What was imported: counts, notes, the source files to copy."""
        self._start()
        reader, imported = self.reader, self.imported
        imported.seeds = reader.seeds
        imported.notes.extend(reader.notes)
        matched = sum(r.existing for r in reader.rows)
        if matched:
            imported.notes.append(f"{matched} rows describe resources the graph already has (matched by name or id).")
        return imported

    def _start(self) -> None:
        """Once: drop the rows pass 1 reported, mint the rest and write them."""
        if self._started:
            return
        self._started = True
        reader = self.reader
        reader.rows = [r for r in reader.rows if (r.path, r.line) not in reader.bad]  # reported; check the rest
        mint(reader)
        for row in reader.rows:
            if row.template == "flows":  # flows read through a mapping are kept with the rest
                mint_flow(reader, row)
        for row in reader.rows:
            self._write(row)

    def _write(self, row: Row) -> None:
        g, reader, s = self.sink, self.reader, row.iri
        self.imported.origins[str(s)] = Origin(row.path, row.line)
        _BUILDERS[row.template](g, row, reader, self.places)
        if row.template == "sources":
            source = s
        else:
            source = resolve(reader, row, "source", row.get("source"), "source", what="source document")
        if source is not None:
            add_evidence(g, s, source, row.get("quote"))
        counts = self.imported.counts
        counts[row.template] = counts.get(row.template, 0) + 1


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
        country = _country(reader, row)
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


def _country(reader: Reader, row: Row) -> URIRef | None:
    """The country a row names: by a name the graph has, else by its ISO code found from an
    English or French name or short form (kgraph.importers.countries)."""
    name = row.get("country")
    found = reader.index.lookup(name, "place")
    code = iso_code(name) if len(found) != 1 else None
    if code:
        found = reader.index.lookup(code, "place")
    if len(found) == 1:
        return URIRef(next(iter(found)))
    reader.problem(row, "", None, "country", f"no country named {name!r}: write its name in English or French "
                                             "or its ISO 3166 code, such as TZ for Tanzania")
    return None


def _source(g, row: Row, reader: Reader, places) -> None:
    s = row.iri
    g.add((s, RDF.type, ns("ced", "SourceDocument")))
    g.add((s, ns("dcterms", "title"), Literal(row.get("title"), lang="en")))
    link(g, reader, row, "publisher", ns("dcterms", "publisher"), "organisation", what="organisation")
    if row.get("date"):
        g.add((s, ns("dcterms", "issued"), date_literal(row.get("date"))))
    if row.get("url"):
        g.add((s, ns("schema", "url"), URIRef(web_address(row.get("url")))))
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
    link(g, reader, row, "part_of", ns("org", "unitOf"), "organisation", what="organisation")
    if row.get("website"):
        g.add((s, ns("schema", "url"), URIRef(web_address(row.get("website")))))
    _contact(g, row, s)
    for column, prop in (("structure", "organisationalStructure"), ("activity", "primarySector"),
                         ("activities", "additionalSectors")):
        for value in row.many(column):  # one value, or several separated by ";"
            concept = _concept(reader, row, column, value)
            if concept is not None:
                g.add((s, ns("essglobal", prop), concept))


def _contact(g, row: Row, s: URIRef) -> None:
    """Description, e-mail, telephone, address, coordinates and identifiers of an organisation."""
    if row.get("description"):
        g.add((s, ns("dcterms", "description"), Literal(row.get("description"), lang="en")))
    if row.get("email"):
        g.add((s, ns("schema", "email"), Literal(row.get("email").removeprefix("mailto:"))))
    for column, prop in (("phone", "telephone"), ("address", "address")):
        if row.get(column):
            g.add((s, ns("schema", prop), Literal(" ".join(row.get(column).split()))))
    if row.get("latitude") and row.get("longitude"):
        g.add((s, ns("geo", "lat"), coordinate(row.get("latitude"), 90)))
        g.add((s, ns("geo", "long"), coordinate(row.get("longitude"), 180)))
    for identifier in row.many("identifier"):
        g.add((s, ns("dcterms", "identifier"), Literal(identifier)))


def _concept(reader: Reader, row: Row, column: str, value: str) -> URIRef | None:
    """The concept of the column's scheme that *value* names (label, code or IRI), else a problem."""
    scheme = CONCEPT_COLUMNS[(row.template, column)]
    found = reader.index.lookup(value, concept_group(scheme))
    if len(found) == 1:
        return URIRef(next(iter(found)))
    close = reader.index.suggest(value, concept_group(scheme))
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    reader.problem(row, "", None, column, f"{value!r} is not in the scheme {compact(scheme)}; use one of its labels "
                                          f"or codes (`kgraph query concepts --param scheme={compact(scheme)}`).{hint}")
    return None


def _person(g, row: Row, reader: Reader, places) -> None:
    s = row.iri
    if not row.existing:
        g.add((s, RDF.type, ns("foaf", "Person")))
        g.add((s, URIRef(PREFIXES["skos"] + "prefLabel"), Literal(row.get("name"), lang="en")))
    if not row.get("organisation"):
        return
    organisation = resolve(reader, row, "organisation", row.get("organisation"), "organisation",
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
        source = resolve(reader, row, "source", row.get("source"), "source", what="source document")
        if source is not None:
            add_evidence(g, membership, source, row.get("quote"))


def _partnership(g, row: Row, reader: Reader, places) -> None:
    s = row.iri
    if not row.existing:
        g.add((s, RDF.type, ns("ced", "Partnership")))
    _labels(g, row, s)
    for column, prop in (("partners", "partner"), ("facilitators", "facilitator"), ("funders", "funder")):
        for name in row.many(column):
            agent = resolve(reader, row, column, name, "organisation", what="organisation")
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
        agent = resolve(reader, row, "attendees", name, *AGENT_GROUPS, what="organisation or person")
        if agent is not None:
            g.add((s, ns("schema", "attendee"), agent))
    link(g, reader, row, "partnership", ns("ced", "inPartnership"), "partnership", what="partnership")


def _flow(g, row: Row, reader: Reader, places) -> None:
    s = row.iri
    g.add((s, RDF.type, ns("ced", "KnowledgeFlow")))
    ends = [resolve(reader, row, column, row.get(column), *AGENT_GROUPS, what="organisation or person")
            for column in ("from", "to")]
    for end, prop in zip(ends, ("source", "target")):
        if end is not None:
            g.add((s, ns("ced", prop), end))
    if ends[0] is not None and ends[0] == ends[1]:
        reader.problem(row, "", None, "to", "a flow goes from one agent to another, not to itself")
    kind = resolve(reader, row, "kind", row.get("kind"), "flow kind", what="flow kind")
    if kind is not None:
        g.add((s, ns("ced", "kind"), kind))
    g.add((s, ns("ced", "status"), ns("cedstatus", (row.get("status") or "occurred").lower())))
    if row.get("date"):
        g.add((s, ns("schema", "startDate"), date_literal(row.get("date"))))
    link(g, reader, row, "event", ns("ced", "atEvent"), "event", what="event")
    link(g, reader, row, "partnership", ns("ced", "inPartnership"), "partnership", what="partnership")
    if row.get("description"):
        g.add((s, URIRef(PREFIXES["skos"] + "prefLabel"), Literal(row.get("description"), lang="en")))


_BUILDERS = {"sources": _source, "organisations": _organisation, "persons": _person, "partnerships": _partnership,
             "events": _event, "flows": _flow}
