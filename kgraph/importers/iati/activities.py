"""One ``iati-activity`` as a ced:Activity: its roles, titles, dates, places and classifications.

Each activity is a partnership of its participating organisations in their IATI roles
(funding, accountable, extending, implementing), with its titles and descriptions in every
language, status, dates, recipient countries, sectors, SDGs and related activities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from kgraph.importers.common import Origin
from kgraph.importers.iati.classify import classify
from kgraph.importers.iati.flows import net_adjustments, write_flow
from kgraph.importers.iati.identifiers import local_implementer
from kgraph.importers.iati.recipients import add_recipients
from kgraph.importers.iati.records import Activity, date_literal
from kgraph.importers.iati.terms import (ACTIVITY, CED, DCTERMS, RDF, RELATED_PROPERTIES, ROLE_PROPERTIES, SCHEMA,
                                         SKOS, STATUS, UNSAFE)
from kgraph.importers.iati.text import quote

if TYPE_CHECKING:
    from kgraph.importers.iati.state import Import, Place


def write_activity(state: Import, rec: Activity, place: Place, start: int) -> None:
    """Write one activity with its roles and flows (or note why it is skipped)."""
    path, text = place.path, place.text
    iri = ACTIVITY[UNSAFE.sub("_", rec.identifier)]
    line = text.line(start)
    if iri in state.activities:
        state.notes.add(path, line, f"skipped activity {rec.identifier}: it was already read (first one kept)")
        return
    roles = [(ROLE_PROPERTIES.get(role or ""), org) for role, org in rec.participants if org is not None]
    for role, org in rec.participants:
        if org is None:
            state.notes.add(path, line, "skipped a participating-org with neither ref nor name")
        elif role not in ROLE_PROPERTIES:
            state.notes.add(path, line, f"skipped a participating-org with unknown role {role!r}")
    if not any(p for p, _ in roles):
        state.notes.add(path, line,
                       f"skipped activity {rec.identifier}: no participating organisation in a known role")
        return
    state.activities.add(iri)
    state.counts["activities"] += 1
    state.origins[str(iri)] = Origin(str(path), line)
    countries = _describe(state, iri, rec, place)
    reporting = state.organisations.iri(rec.reporting, place) if rec.reporting else None
    if reporting is not None:
        state.graph.add((iri, CED.reportingOrganisation, reporting))
    stated = set()  # the graph may be a writer: count each role of this activity once here
    for prop, org in roles:
        if prop is not None:
            triple = (iri, prop, state.organisations.iri(org, place))
            state.counts["roles"] += triple not in stated
            stated.add(triple)
            state.graph.add(triple)
            if (prop == CED.partner and len(countries) == 1 and local_implementer(org.ref, org.type)
                    and state.organisations.locate(triple[2], countries[0])):
                state.notes.add(path, line, "took the activity's one recipient country as its implementing "
                                            "organisation's country (its identifier names none)")
    for tx in rec.transactions:
        write_flow(state, iri, rec, tx, reporting, place)
    revised = {b.date for b in rec.planned if b.element == "budget" and b.budget_type == "2"}
    for tx in rec.planned:
        if tx.element == "budget" and tx.budget_type != "2" and tx.date in revised:
            state.notes.add(path, line, "left out an original budget that a revised one for the same period replaces")
            continue
        write_flow(state, iri, rec, tx, reporting, place)
    net_adjustments(state, place)


def _describe(state: Import, iri: URIRef, rec: Activity, place: Place) -> list[URIRef]:
    """The activity's own statements; returns its recipient countries."""
    g, path, line = state.graph, place.path, state.origins[str(iri)].row
    g.add((iri, RDF.type, CED.Activity))
    g.add((iri, CED.iatiIdentifier, Literal(rec.identifier)))
    _titles(state, iri, rec)
    for text, lang in rec.descriptions:
        g.add((iri, DCTERMS.description, Literal(text, lang=lang)))
    if rec.status in state.vocab.statuses:
        g.add((iri, CED.activityStatus, STATUS[rec.status]))
    elif rec.status:
        state.notes.add(path, line, f"skipped unknown activity-status code {rec.status!r}")
    _dates(state, iri, rec, place)
    countries = add_recipients(state, iri, rec.recipients, place, line)
    classify(state, iri, rec, place, line)
    for kind, ref in rec.related:
        if kind in RELATED_PROPERTIES and ref and ref != rec.identifier:
            g.add((iri, RELATED_PROPERTIES[kind], ACTIVITY[UNSAFE.sub("_", ref)]))
            state.related.append((ACTIVITY[UNSAFE.sub("_", ref)], ref))
        else:
            state.notes.add(path, line, "skipped a related-activity without a known type and a ref")
    span = place.element("iati-identifier", 0) or place.span
    state.evidence(iri, place, quote(place.text.raw, *span))
    return countries


def _titles(state: Import, iri: URIRef, rec: Activity) -> None:
    """skos:prefLabel per language (later ones altLabel); an English label always."""
    g, has = state.graph, set()
    for text, lang in rec.titles:
        label = " ".join(text.split())
        if lang == "en" and lang not in has:
            label = state.english_label(label, iri, rec.identifier)
        g.add((iri, SKOS.altLabel if lang in has else SKOS.prefLabel, Literal(label, lang=lang)))
        has.add(lang)
    if "en" not in has:
        label = state.english_label(f"IATI activity {rec.identifier}", iri, "IATI")
        g.add((iri, SKOS.prefLabel, Literal(label, lang="en")))


def _dates(state: Import, iri: URIRef, rec: Activity, place: Place) -> None:
    """schema:startDate (actual, else planned) and schema:endDate (the same), as xsd:date."""
    line = state.origins[str(iri)].row
    found = {}
    for which, codes in (("start", ("2", "1")), ("end", ("4", "3"))):
        given = next((rec.dates[c] for c in codes if rec.dates.get(c)), None)
        found[which] = date_literal(given)
        if given and found[which] is None:
            state.notes.add(place.path, line, f"skipped an activity-date that is not a date: {given!r}")
    start, end = found["start"], found["end"]
    if start is not None:
        state.graph.add((iri, SCHEMA.startDate, start))
    if end is not None and start is not None and end.toPython() < start.toPython():
        state.notes.add(place.path, line, "skipped an end date before the start date")
    elif end is not None:
        state.graph.add((iri, SCHEMA.endDate, end))

