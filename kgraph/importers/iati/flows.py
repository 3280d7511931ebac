"""Transactions, budgets and planned disbursements as funding flows (ced:KnowledgeFlow of
kind cedkind:funding) from provider to receiver, with their value, currency, dates,
descriptions, humanitarian flag, aid, flow and finance types, and a transaction's own
recipient country or region (IATI 2.03: given on the transactions instead of the activity).

Budgets and planned disbursements are planned flows (``ced:iatiElement`` says which); a
negative transaction nets against the earlier one of its type between the same organisations
(``ced:adjusts``), so a de-commitment lowers its commitment's amount instead of counting as a
flow of its own.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef

from kgraph.importers.common import Origin
from kgraph.importers.iati.classify import HUMANITARIAN, add_sector, add_types
from kgraph.importers.iati.ends import ends
from kgraph.importers.iati.recipients import add_recipients
from kgraph.importers.iati.records import Activity, Transaction, date_literal, decimal
from kgraph.importers.iati.terms import (CED, DCTERMS, FLOW, FLOW_STATUS, KIND, PLANNED_TYPES, RDF, SCHEMA, SKOS, TX,
                                         XSD)
from kgraph.importers.iati.text import MAX_QUOTE, element_spans, quote
from kgraph.importers.matching import slugify

if TYPE_CHECKING:
    from kgraph.importers.iati.state import Import, Place

#: English labels of the planned elements (transactions take their TransactionType's).
PLANNED_LABELS = {"budget": "Budget", "planned-disbursement": "Planned disbursement"}
#: IRI suffixes: ``iati-<activity>-<n>`` for transactions, ``-budget-<n>``, ``-pd-<n>``.
SUFFIXES = {"transaction": "", "budget": "budget-", "planned-disbursement": "pd-"}


def write_flow(state: Import, activity: URIRef, rec: Activity, tx: Transaction, reporting: URIRef | None,
               place: Place) -> None:
    """One transaction, budget or planned disbursement as a funding flow, or a note saying
    why it is skipped."""
    span = place.element(tx.element, tx.n - 1) or place.span
    line = place.text.line(span[0])
    label = PLANNED_LABELS.get(tx.element) or state.vocab.transaction_types.get(tx.type or "")
    if label is None:
        state.notes.add(place.path, line, f"skipped a transaction of unknown type {tx.type!r}")
        return
    provider, receiver = ends(state, rec, tx, reporting, place, line)
    if provider is None or receiver is None:
        return
    if provider == receiver:
        state.notes.add(place.path, line, f"skipped a {tx.element} from an organisation to itself")
        return
    iri = FLOW[f"iati-{slugify(rec.identifier, max_length=200)}-{SUFFIXES[tx.element]}{tx.n}"]
    g, shown = state.graph, state.organisations.shown
    g.add((iri, RDF.type, CED.KnowledgeFlow))
    g.add((iri, SKOS.prefLabel, Literal(f"{label}: {shown[provider]} → {shown[receiver]}", lang="en")))
    g.add((iri, CED.source, provider))
    g.add((iri, CED.target, receiver))
    g.add((iri, CED.kind, KIND.funding))
    planned = tx.element != "transaction" or tx.type in PLANNED_TYPES
    g.add((iri, CED.status, FLOW_STATUS.planned if planned else FLOW_STATUS.occurred))
    g.add((iri, CED.iatiElement, Literal(tx.element)))
    if tx.element == "transaction":
        g.add((iri, CED.transactionType, TX[tx.type]))
    g.add((iri, CED.inPartnership, activity))
    when = _dates(state, iri, tx, place, line)
    _details(state, iri, rec, tx, place, line)
    amount = _amount(state, iri, tx, rec, place, line)
    if amount is not None:
        key = (activity, tx.element, tx.type, provider, receiver, amount[1])
        state.adjustable.setdefault(key, []).append((iri, amount[0], when.toPython() if when is not None else None,
                                                     label, line))
    state.evidence(iri, place, quote(place.text.raw, *_flow_quote_span(place.text.raw, span)))
    state.origins[str(iri)] = Origin(str(place.path), line)
    state.counts["flows" if tx.element == "transaction" else "planned flows"] += 1


def _dates(state: Import, iri: URIRef, tx: Transaction, place: Place, line: int) -> Literal | None:
    """schema:startDate (transaction-date, or a period's start) and schema:endDate (a period's
    end); a date that is not one is noted, and a transaction then takes its value-date.
    Returns the start date."""
    what = "transaction-date" if tx.element == "transaction" else f"{tx.element} period-start"
    when = date_literal(tx.date)
    if when is None and tx.element == "transaction":
        fallback = date_literal(tx.value_date)
        taken = "the value-date taken instead" if fallback is not None else "the flow has no date"
        if tx.date:
            state.notes.add(place.path, line, f"a {what} that is not a date ({tx.date!r}): {taken}")
        else:
            state.notes.add(place.path, line, f"{what} not given: {taken}")
        when = fallback
    elif when is None and tx.date:
        state.notes.add(place.path, line, f"left out a {what} that is not a date: {tx.date!r}")
    if when is not None:
        state.graph.add((iri, SCHEMA.startDate, when))
    end = date_literal(tx.end)
    if tx.end and end is None:
        state.notes.add(place.path, line, f"left out a {tx.element} period-end that is not a date: {tx.end!r}")
    elif end is not None and (when is None or end.toPython() >= when.toPython()):
        state.graph.add((iri, SCHEMA.endDate, end))
    return when


def _details(state: Import, iri: URIRef, rec: Activity, tx: Transaction, place: Place, line: int) -> None:
    """Descriptions (every language), the humanitarian flag, sectors, recipient country or region
    and aid/flow/finance types (the transaction's own, else the activity's defaults)."""
    g = state.graph
    for text, lang in tx.descriptions:
        g.add((iri, DCTERMS.description, Literal(" ".join(text.split()), lang=lang)))
    flag = tx.humanitarian if tx.humanitarian is not None else rec.humanitarian
    if flag is not None and flag.lower() in HUMANITARIAN:
        g.add((iri, CED.humanitarian, Literal(HUMANITARIAN[flag.lower()])))
    elif tx.humanitarian is not None:
        state.notes.add(place.path, line, f"left out humanitarian={tx.humanitarian!r}: not 1, 0, true or false")
    for k, sector in enumerate(tx.sectors):
        add_sector(state, iri, sector, k, place, line)
    if tx.recipients:
        add_recipients(state, iri, tx.recipients, place, line)
        if rec.recipients:
            state.notes.add(place.path, line, "a transaction names its recipient country or region though its activity "
                                              "names its own (the standard expects one or the other): the flow keeps "
                                              "the transaction's")
    own = {what for what, _ in tx.types}
    add_types(state, iri, tx.types, place, line)
    add_types(state, iri, [(w, c) for w, c in rec.types if w not in own], place, None)  # noted on the activity


def _amount(state: Import, iri: URIRef, tx: Transaction, rec: Activity, place: Place,
            line: int) -> tuple[object, str] | None:
    """``ced:amount [ a schema:MonetaryAmount ; schema:value ; schema:currency ]``; returns
    (value, currency), or None when the element has no number and currency."""
    value = decimal(tx.value)
    currency = (tx.currency or rec.currency or "").upper()
    if value is None or not re.fullmatch(r"[A-Z]{3}", currency):
        state.notes.add(place.path, line, f"left out the amount of a {tx.element} without a number and a currency")
        return None
    node = BNode("a" + hashlib.sha1(str(iri).encode()).hexdigest()[:24])
    state.graph.add((iri, CED.amount, node))
    state.graph.add((node, RDF.type, SCHEMA.MonetaryAmount))
    state.graph.add((node, SCHEMA.value, Literal(str(value), datatype=XSD.decimal)))
    state.graph.add((node, SCHEMA.currency, Literal(currency)))
    return value, currency


def net_adjustments(state: Import, place: Place) -> None:
    """Each negative amount of the activity just read adjusts (``ced:adjusts``) the flow of the
    same element, type, provider, receiver and currency it nets against: the latest positive one
    dated on or before it, else the earliest positive one. With none, it stays a flow of its own."""
    for flows in state.adjustable.values():
        positive = sorted(((when or date.min, iri) for iri, value, when, _, _ in flows if value > 0))
        for iri, value, when, label, line in flows:
            if value >= 0:
                continue
            if not positive:
                state.notes.add(place.path, line, f"kept a negative {label.lower()} with no positive one between the "
                                                  "same organisations to net against as a flow of its own")
                continue
            before = [p for p in positive if when is None or p[0] <= when]
            state.graph.add((iri, CED.adjusts, (before[-1] if before else positive[0])[1]))
            state.notes.add(place.path, line, "netted a negative amount against the flow of its type between the "
                                              "same organisations it adjusts (ced:adjusts; not a flow of its own in "
                                              "counts)")
    state.adjustable.clear()


def _flow_quote_span(raw: str, span: tuple[int, int]) -> tuple[int, int]:
    """From the element's start tag to the end of its ``value`` (type, date, amount),
    or the ``value`` element alone when that stretch is too long to quote."""
    values = element_spans(raw, "value", *span)
    if not values:
        return span
    return (span[0], values[0][1]) if values[0][1] - span[0] <= MAX_QUOTE else values[0]
