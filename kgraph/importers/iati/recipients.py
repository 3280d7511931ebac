"""Where an activity's or a flow's benefits go: its ``recipient-country`` and ``recipient-region``
elements as ``ced:recipientCountry`` (by ISO code) and ``ced:recipientRegion`` (by OECD-DAC
region code, vocabulary 1: the world regions of places.ttl and dac-regions.ttl), each with a
``ced:recipientShare [ a ced:RecipientShare ; schema:areaServed <place> ; ced:percentage n ]``
when the element gives its percentage. Codes no bundled place has are noted and left out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef

from kgraph.importers.iati.records import Recipient, decimal
from kgraph.importers.iati.terms import CED, RDF, SCHEMA, XSD

if TYPE_CHECKING:
    from kgraph.importers.iati.state import Import, Place

PROPERTIES = {"recipient-country": CED.recipientCountry, "recipient-region": CED.recipientRegion}


def add_recipients(state: Import, iri: URIRef, recipients: Sequence[Recipient], place: Place,
                   line: int) -> list[URIRef]:
    """The recipient countries and regions of *iri* (an activity or a flow) with their shares;
    returns the countries found, in file order."""
    countries = []
    for k, recipient in enumerate(recipients):
        found = _place(state, recipient, place, line)
        if found is None:
            continue
        state.graph.add((iri, PROPERTIES[recipient.element], found))
        if recipient.element == "recipient-country":
            countries.append(found)
        if recipient.percentage is not None:
            _share(state, iri, recipient, found, k, place, line)
    return countries


def _place(state: Import, recipient: Recipient, place: Place, line: int) -> URIRef | None:
    """The bundled place a recipient element names, or None (noted)."""
    code = recipient.code
    if recipient.element == "recipient-country":
        hits = state.index.lookup(code, "place")
        if len(hits) > 1:
            hits &= {state.vocab.countries.get(code, "")}
        found = next(iter(sorted(hits)), None)
        if found is None:
            state.notes.add(place.path, line, f"skipped recipient-country {code!r}: no country with that ISO code")
        return URIRef(found) if found else None
    if recipient.vocabulary != "1":
        state.notes.add(place.path, line, f"skipped recipient-region {code!r} of vocabulary {recipient.vocabulary!r}: "
                                          "only OECD-DAC regions (vocabulary 1) are kept")
        return None
    found = state.vocab.regions.get(code)
    if found is None:
        state.notes.add(place.path, line, f"skipped recipient-region {code!r}: no world region with that OECD-DAC "
                                          "code")
    return URIRef(found) if found else None


def _share(state: Import, iri: URIRef, recipient: Recipient, found: URIRef, k: int, place: Place,
           line: int) -> None:
    """``ced:recipientShare`` of a percentage from 0 to 100 (any other is noted and left out)."""
    share = decimal(recipient.percentage)
    what = recipient.element.removeprefix("recipient-")
    if share is None or not 0 <= share <= 100:
        state.notes.add(place.path, line, f"left out recipient-{what} {recipient.code!r}'s percentage "
                                          f"{recipient.percentage!r}: not a number from 0 to 100")
        return
    g = state.graph
    node = BNode("r" + hashlib.sha1(f"{iri} {k} {recipient.element} {recipient.code}".encode()).hexdigest()[:24])
    g.add((iri, CED.recipientShare, node))
    g.add((node, RDF.type, CED.RecipientShare))
    g.add((node, SCHEMA.areaServed, found))
    g.add((node, CED.percentage, Literal(str(share), datatype=XSD.decimal)))
