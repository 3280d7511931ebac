"""Transactions as funding flows (ced:KnowledgeFlow of kind cedkind:funding) from provider to
receiver, with their value, currency and date."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef

from kgraph.importers.common import Origin
from kgraph.importers.iati.records import Activity, Transaction, date_literal, decimal
from kgraph.importers.iati.terms import (CED, FLOW, FLOW_STATUS, INCOMING_TYPES, KIND, PLANNED_TYPES, RDF, SCHEMA,
                                         SKOS, TX, XSD)
from kgraph.importers.iati.text import MAX_QUOTE, element_spans, quote
from kgraph.importers.matching import slugify

if TYPE_CHECKING:
    from kgraph.importers.iati.state import Import, Place


def write_flow(state: Import, activity: URIRef, rec: Activity, tx: Transaction, reporting: URIRef | None,
         place: Place) -> None:
    """One transaction as a funding flow, or a note saying why it is skipped."""
    span = place.element("transaction", tx.n - 1) or place.span
    line = place.text.line(span[0])
    label = state.vocab.transaction_types.get(tx.type or "")
    if label is None:
        state.notes.add(place.path, line, f"skipped a transaction of unknown type {tx.type!r}")
        return
    provider, receiver = _ends(state, rec, tx, reporting, place, line)
    if provider is None or receiver is None:
        return
    if provider == receiver:
        state.notes.add(place.path, line, "skipped a transaction from an organisation to itself")
        return
    iri = FLOW[f"iati-{slugify(rec.identifier, max_length=200)}-{tx.n}"]
    g = state.graph
    g.add((iri, RDF.type, CED.KnowledgeFlow))
    g.add((iri, SKOS.prefLabel, Literal(f"{label}: {state.organisations.shown[provider]} → {state.organisations.shown[receiver]}", lang="en")))
    g.add((iri, CED.source, provider))
    g.add((iri, CED.target, receiver))
    g.add((iri, CED.kind, KIND.funding))
    g.add((iri, CED.status, FLOW_STATUS.planned if tx.type in PLANNED_TYPES else FLOW_STATUS.occurred))
    g.add((iri, CED.transactionType, TX[tx.type]))
    g.add((iri, CED.inPartnership, activity))
    when = date_literal(tx.date)
    if when is not None:
        g.add((iri, SCHEMA.startDate, when))
    _amount(state, iri, tx, rec, place, line)
    state.evidence(iri, place, quote(place.text.raw, *_flow_quote_span(place.text.raw, span)))
    state.origins[str(iri)] = Origin(str(place.path), line)
    state.counts["flows"] += 1


#: The notes that say which rule supplied a missing end of a transaction.
RULES = {
    ("provider", "reporting"): "provider-org not given: the reporting organisation taken as provider "
                               "(it reports money it moved)",
    ("provider", "funding"): "provider-org not given: the activity's funding organisation taken as provider "
                             "(incoming funds come from the funder)",
    ("receiver", "reporting"): "receiver-org not given: the reporting organisation taken as receiver "
                               "(it reports money it received)",
    ("receiver", "implementing"): "receiver-org not given: the activity's implementing organisation taken as "
                                  "receiver (a disbursement or expenditure goes to the implementer)",
}


def _ends(state: Import, rec: Activity, tx: Transaction, reporting: URIRef | None, place: Place,
          line: int) -> tuple[URIRef | None, URIRef | None]:
    """Provider and receiver of *tx*: as named, else by the standard's reading. Incoming
    transactions come from the activity's funder (role 1) to the reporting organisation; all
    others go from the reporting organisation to the implementer (role 4). A rule applies only
    when the activity names exactly one organisation in that role; each use is noted."""
    ends = {"provider": state.organisations.iri(tx.provider, place) if tx.provider else None,
            "receiver": state.organisations.iri(tx.receiver, place) if tx.receiver else None}
    incoming = tx.type in INCOMING_TYPES
    fallback = {"provider": "funding" if incoming else "reporting",
                "receiver": "reporting" if incoming else "implementing"}
    for end, rule in fallback.items():
        if ends[end] is not None:
            continue
        if rule == "reporting":
            ends[end] = reporting
        else:
            named = list({(org.ref, org.names): org for role, org in rec.participants
                          if org is not None and role == ("1" if rule == "funding" else "4")}.values())
            ends[end] = state.organisations.iri(named[0], place) if len(named) == 1 else None
        if ends[end] is not None:
            state.notes.add(place.path, line, RULES[(end, rule)])
        else:
            many = "several" if rule != "reporting" and _count_role(rec, rule) > 1 else "no"
            state.notes.add(place.path, line, f"skipped a transaction without {end}-org: the activity has {many} "
                                              f"{rule} organisation{'s' if many == 'several' else ''} to take instead")
    return ends["provider"], ends["receiver"]


def _count_role(rec: Activity, rule: str) -> int:
    code = "1" if rule == "funding" else "4"
    return len({(org.ref, org.names) for role, org in rec.participants if org is not None and role == code})


def _amount(state: Import, iri: URIRef, tx: Transaction, rec: Activity, place: Place, line: int) -> None:
    """``ced:amount [ a schema:MonetaryAmount ; schema:value ; schema:currency ]``."""
    value = decimal(tx.value)
    currency = (tx.currency or rec.currency or "").upper()
    if value is None or not re.fullmatch(r"[A-Z]{3}", currency):
        state.notes.add(place.path, line, "left out the amount of a transaction without a number and a currency")
        return
    node = BNode("a" + hashlib.sha1(str(iri).encode()).hexdigest()[:24])
    state.graph.add((iri, CED.amount, node))
    state.graph.add((node, RDF.type, SCHEMA.MonetaryAmount))
    state.graph.add((node, SCHEMA.value, Literal(str(value), datatype=XSD.decimal)))
    state.graph.add((node, SCHEMA.currency, Literal(currency)))



def _flow_quote_span(raw: str, span: tuple[int, int]) -> tuple[int, int]:
    """From the transaction's start tag to the end of its ``value`` (type, date, amount),
    or the ``value`` element alone when that stretch is too long to quote."""
    values = element_spans(raw, "value", *span)
    if not values:
        return span
    return (span[0], values[0][1]) if values[0][1] - span[0] <= MAX_QUOTE else values[0]

