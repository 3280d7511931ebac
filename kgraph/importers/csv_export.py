"""Filling the CSV templates from a data file, the inverse of kgraph.importers.csv_import.

`kgraph template --from data/mine.ttl` turns a file made by `kgraph import csv` back into the
spreadsheets it came from, so practitioners can keep editing in a spreadsheet and re-import
(export -> import gives back the same graph). Resources the file only adds to (organisations
the graph already had) are written with their id as name.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kgraph.importers.templates import EVENT_TYPES, ORG_KINDS, TEMPLATES
from kgraph.namespaces import PREFIXES, expand

CED, SKOS, SCHEMA, ORG = PREFIXES["ced"], PREFIXES["skos"], PREFIXES["schema"], PREFIXES["org"]
DCTERMS, PROV, FOAF = PREFIXES["dcterms"], PREFIXES["prov"], PREFIXES["foaf"]


def u(prefix_local: str) -> URIRef:
    return URIRef(expand(prefix_local))


def local(iri) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


class _View:
    """Read helpers over the graph being turned back into rows."""

    def __init__(self, g: Graph):
        self.g = g
        self.cities = {s: g.value(s, URIRef(SCHEMA + "containedInPlace")) for s in g.subjects(RDF.type, u("ced:City"))}

    def value(self, s, p) -> str:
        v = self.g.value(s, URIRef(p))
        return "" if v is None else str(v)

    def ref(self, s, p) -> str:
        o = self.g.value(s, URIRef(p))
        return local(o) if o is not None else ""

    def label(self, s, lang="en") -> str:
        for o in self.g.objects(s, URIRef(SKOS + "prefLabel")):
            if getattr(o, "language", None) == lang:
                return str(o)
        return ""

    def evidence(self, s) -> dict[str, str]:
        ev = self.g.value(s, URIRef(CED + "evidence"))
        if ev is None:
            return {"source": "", "quote": ""}
        return {"source": local(self.g.value(ev, URIRef(PROV + "hadPrimarySource"))),
                "quote": self.value(ev, CED + "quote")}

    def place(self, s) -> dict[str, str]:
        where = self.g.value(s, URIRef(SCHEMA + "location"))
        if where is None:
            return {"city": "", "country": ""}
        if where in self.cities:
            return {"city": self.label(where), "country": local(self.cities[where])}
        return {"city": local(where), "country": ""}  # a place the graph has: found again by its id

    def names(self, s) -> dict[str, str]:
        return {"id": local(s), "name": self.label(s) or local(s)}

    def many(self, s, p) -> str:
        return ";".join(sorted(local(o) for o in self.g.objects(s, URIRef(p))))

    def with_evidence(self, part: str) -> list:
        return sorted({s for s in self.g.subjects(URIRef(CED + "evidence"), None) if f"/{part}/" in str(s)})


def rows(g: Graph) -> dict[str, list[dict[str, str]]]:
    """Template name -> rows describing the resources of *g*."""
    v = _View(g)
    out = {"sources": _sources(v), "organisations": _organisations(v), "persons": _persons(v),
           "partnerships": _partnerships(v), "events": _events(v), "flows": _flows(v)}
    return {name: out[name] for name in TEMPLATES}


def _sources(v: _View) -> list[dict[str, str]]:
    return [{"id": local(s), "title": v.value(s, DCTERMS + "title"), "publisher": v.ref(s, DCTERMS + "publisher"),
             "date": v.value(s, DCTERMS + "issued"), "url": v.value(s, SCHEMA + "url"),
             "local_copy": v.value(s, CED + "localCopy"), "quote": v.evidence(s)["quote"]}
            for s in sorted(set(v.g.subjects(RDF.type, u("ced:SourceDocument"))))]


def _organisations(v: _View) -> list[dict[str, str]]:
    org_kind = {u(c): k for k, c in ORG_KINDS.items()}
    out = []
    for s in v.with_evidence("org"):
        kind = next((org_kind[c] for c in v.g.objects(s, RDF.type) if c in org_kind), "organisation")
        alts = ";".join(sorted(str(o) for o in v.g.objects(s, URIRef(SKOS + "altLabel"))))
        out.append({**v.names(s), "name_fr": v.label(s, "fr"), "other_names": alts, "kind": kind,
                    **v.place(s), "iati_id": v.value(s, CED + "iatiIdentifier"),
                    "part_of": v.many(s, ORG + "unitOf"), "website": v.value(s, SCHEMA + "url"),
                    **_contact(v, s), **v.evidence(s)})
    return out


def _contact(v: _View, s) -> dict[str, str]:
    """The organisations template's description, contact, coordinate and ESSGlobal columns."""
    geo, ess = PREFIXES["geo"], PREFIXES["essglobal"]
    return {"description": v.value(s, DCTERMS + "description"), "email": v.value(s, SCHEMA + "email"),
            "phone": v.value(s, SCHEMA + "telephone"), "address": v.value(s, SCHEMA + "address"),
            "latitude": v.value(s, geo + "lat"), "longitude": v.value(s, geo + "long"),
            "identifier": ";".join(sorted(str(o) for o in v.g.objects(s, URIRef(DCTERMS + "identifier")))),
            "structure": v.ref(s, ess + "organisationalStructure"), "activity": v.ref(s, ess + "primarySector"),
            "activities": v.many(s, ess + "additionalSectors")}


def _persons(v: _View) -> list[dict[str, str]]:
    g = v.g
    memberships = {(g.value(m, URIRef(ORG + "member")), g.value(m, URIRef(ORG + "organization"))): m
                   for m in g.subjects(RDF.type, URIRef(ORG + "Membership"))}
    out = []
    for s in v.with_evidence("person"):
        head, member = g.value(s, URIRef(ORG + "headOf")), g.value(s, URIRef(ORG + "memberOf"))
        organisation = head or member
        role = ""
        m = memberships.get((s, organisation))
        if m is not None:
            r = g.value(m, URIRef(ORG + "role"))
            role = v.label(r) or local(r)
        out.append({**v.names(s), "organisation": local(organisation) if organisation else "",
                    "role": role, "heads": "yes" if head else "", **v.evidence(s)})
    return out


def _partnerships(v: _View) -> list[dict[str, str]]:
    return [{**v.names(s), "name_fr": v.label(s, "fr"), "partners": v.many(s, CED + "partner"),
             "facilitators": v.many(s, CED + "facilitator"), "funders": v.many(s, CED + "funder"),
             "start": v.value(s, SCHEMA + "startDate"), "end": v.value(s, SCHEMA + "endDate"),
             "description": v.value(s, DCTERMS + "description"), **v.evidence(s)}
            for s in v.with_evidence("partnership")]


def _events(v: _View) -> list[dict[str, str]]:
    event_type = {u(c): k for k, c in EVENT_TYPES.items()}
    out = []
    for s in v.with_evidence("event"):
        kind = next((event_type[c] for c in v.g.objects(s, RDF.type) if c in event_type), "event")
        out.append({**v.names(s), "type": kind, "date": v.value(s, SCHEMA + "startDate"),
                    "end_date": v.value(s, SCHEMA + "endDate"), **v.place(s),
                    "attendees": v.many(s, SCHEMA + "attendee"), "partnership": v.ref(s, CED + "inPartnership"),
                    **v.evidence(s)})
    return out


def _flows(v: _View) -> list[dict[str, str]]:
    return [{"id": local(s), "from": v.ref(s, CED + "source"), "to": v.ref(s, CED + "target"),
             "kind": v.ref(s, CED + "kind"), "status": v.ref(s, CED + "status"),
             "date": v.value(s, SCHEMA + "startDate"), "event": v.ref(s, CED + "atEvent"),
             "partnership": v.ref(s, CED + "inPartnership"), "description": v.label(s), **v.evidence(s)}
            for s in sorted(set(v.g.subjects(RDF.type, u("ced:KnowledgeFlow"))))]
