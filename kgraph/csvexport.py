"""Filling the CSV templates from a data file, the inverse of kgraph.csvimport.

`kgraph template --from data/mine.ttl` turns a file made by `kgraph import csv` back into the
spreadsheets it came from, so practitioners can keep editing in a spreadsheet and re-import
(export -> import gives back the same graph). Resources the file only adds to (organisations
the graph already had) are written with their id as name.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kgraph.csvtemplates import EVENT_TYPES, ORG_KINDS, TEMPLATES
from kgraph.namespaces import PREFIXES, expand

CED, SKOS, SCHEMA, ORG = PREFIXES["ced"], PREFIXES["skos"], PREFIXES["schema"], PREFIXES["org"]
DCTERMS, PROV, FOAF = PREFIXES["dcterms"], PREFIXES["prov"], PREFIXES["foaf"]


def u(prefix_local: str) -> URIRef:
    return URIRef(expand(prefix_local))


def local(iri) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def rows(g: Graph) -> dict[str, list[dict[str, str]]]:
    """Template name -> rows describing the resources of *g*."""
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    org_kind = {u(c): k for k, c in ORG_KINDS.items()}
    event_type = {u(c): k for k, c in EVENT_TYPES.items()}
    cities = {s: g.value(s, URIRef(SCHEMA + "containedInPlace")) for s in g.subjects(RDF.type, u("ced:City"))}

    def value(s, p) -> str:
        v = g.value(s, URIRef(p))
        return "" if v is None else str(v)

    def label(s, lang="en") -> str:
        for o in g.objects(s, URIRef(SKOS + "prefLabel")):
            if getattr(o, "language", None) == lang:
                return str(o)
        return ""

    def evidence(s) -> dict[str, str]:
        ev = g.value(s, URIRef(CED + "evidence"))
        if ev is None:
            return {"source": "", "quote": ""}
        return {"source": local(g.value(ev, URIRef(PROV + "hadPrimarySource"))),
                "quote": value(ev, CED + "quote")}

    def place(s) -> dict[str, str]:
        where = g.value(s, URIRef(SCHEMA + "location"))
        if where is None:
            return {"city": "", "country": ""}
        if where in cities:
            return {"city": label(where), "country": local(cities[where])}
        return {"city": local(where), "country": ""}  # a place the graph has: found again by its id

    def names(s) -> dict[str, str]:
        return {"id": local(s), "name": label(s) or local(s)}

    def many(s, p) -> str:
        return ";".join(sorted(local(o) for o in g.objects(s, URIRef(p))))

    for s in sorted(set(g.subjects(RDF.type, u("ced:SourceDocument")))):
        out["sources"].append({"id": local(s), "title": value(s, DCTERMS + "title"),
                               "publisher": local(g.value(s, URIRef(DCTERMS + "publisher")) or "") if
                               g.value(s, URIRef(DCTERMS + "publisher")) else "",
                               "date": value(s, DCTERMS + "issued"), "url": value(s, SCHEMA + "url"),
                               "local_copy": value(s, CED + "localCopy"), "quote": evidence(s)["quote"]})
    for s in sorted({s for s in g.subjects(URIRef(CED + "evidence"), None) if "/org/" in str(s)}):
        kind = next((org_kind[c] for c in g.objects(s, RDF.type) if c in org_kind), "organisation")
        alts = ";".join(sorted(str(o) for o in g.objects(s, URIRef(SKOS + "altLabel"))))
        out["organisations"].append({**names(s), "name_fr": label(s, "fr"), "other_names": alts, "kind": kind,
                                     **place(s), "iati_id": value(s, CED + "iatiIdentifier"),
                                     "part_of": many(s, ORG + "unitOf"), "website": value(s, SCHEMA + "url"),
                                     **evidence(s)})
    memberships = {(g.value(m, URIRef(ORG + "member")), g.value(m, URIRef(ORG + "organization"))): m
                   for m in g.subjects(RDF.type, URIRef(ORG + "Membership"))}
    for s in sorted({s for s in g.subjects(URIRef(CED + "evidence"), None) if "/person/" in str(s)}):
        head, member = g.value(s, URIRef(ORG + "headOf")), g.value(s, URIRef(ORG + "memberOf"))
        organisation = head or member
        role = ""
        m = memberships.get((s, organisation))
        if m is not None:
            r = g.value(m, URIRef(ORG + "role"))
            role = label(r) or local(r)
        out["persons"].append({**names(s), "organisation": local(organisation) if organisation else "",
                               "role": role, "heads": "yes" if head else "", **evidence(s)})
    for s in sorted({s for s in g.subjects(URIRef(CED + "evidence"), None) if "/partnership/" in str(s)}):
        out["partnerships"].append({**names(s), "name_fr": label(s, "fr"),
                                    "partners": many(s, CED + "partner"), "facilitators": many(s, CED + "facilitator"),
                                    "funders": many(s, CED + "funder"), "start": value(s, SCHEMA + "startDate"),
                                    "end": value(s, SCHEMA + "endDate"),
                                    "description": value(s, DCTERMS + "description"), **evidence(s)})
    for s in sorted({s for s in g.subjects(URIRef(CED + "evidence"), None) if "/event/" in str(s)}):
        kind = next((event_type[c] for c in g.objects(s, RDF.type) if c in event_type), "event")
        out["events"].append({**names(s), "type": kind, "date": value(s, SCHEMA + "startDate"),
                              "end_date": value(s, SCHEMA + "endDate"), **place(s),
                              "attendees": many(s, SCHEMA + "attendee"),
                              "partnership": local(g.value(s, URIRef(CED + "inPartnership")) or "") if
                              g.value(s, URIRef(CED + "inPartnership")) else "", **evidence(s)})
    for s in sorted(set(g.subjects(RDF.type, u("ced:KnowledgeFlow")))):
        def end(p):
            o = g.value(s, URIRef(CED + p))
            return local(o) if o is not None else ""
        out["flows"].append({"id": local(s), "from": end("source"), "to": end("target"), "kind": end("kind"),
                             "status": end("status"), "date": value(s, SCHEMA + "startDate"), "event": end("atEvent"),
                             "partnership": end("inPartnership"), "description": label(s), **evidence(s)})
    return {name: out[name] for name in TEMPLATES}

