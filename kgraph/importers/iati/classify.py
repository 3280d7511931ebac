"""What an activity is about: sectors in every vocabulary with
their percentages, the humanitarian flag and the default aid, flow and finance types.

Each ``sector`` element becomes a ``ced:sectorShare`` (vocabulary, code, percentage and its
narratives), whatever its vocabulary; DAC 5-digit codes also link the IATI Sector concept
(``ced:sector``), SDG vocabularies the goal or target (``ced:sdg``).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef

from kgraph.importers.iati.records import Activity, Sector, decimal
from kgraph.importers.iati.terms import CED, DCTERMS, RDF, SDG, SDG_VOCABULARIES, SECTOR, TYPE_TERMS, XSD

if TYPE_CHECKING:
    from kgraph.importers.iati.state import Import, Place

HUMANITARIAN = {"1": True, "true": True, "0": False, "false": False}


def classify(state: Import, iri: URIRef, rec: Activity, place: Place, line: int) -> None:
    """Sector shares, tags (SDGs), the humanitarian flag and default types of *rec*."""
    g = state.graph
    for k, sector in enumerate(rec.sectors):
        add_sector(state, iri, sector, k, place, line)
    for prop, concept in _tags(state, rec, place, line):
        g.add((iri, prop, concept))
    flag = (rec.humanitarian or "").lower()
    if flag in HUMANITARIAN:
        g.add((iri, CED.humanitarian, Literal(HUMANITARIAN[flag])))
    elif rec.humanitarian:
        state.notes.add(place.path, line, f"left out humanitarian={rec.humanitarian!r}: not 1, 0, true or false")
    add_types(state, iri, rec.types, place, line)


def add_types(state: Import, iri: URIRef, types, place: Place, line: int | None) -> None:
    """``ced:aidType``/``flowType``/``financeType`` concepts of (what, code) pairs; codes of other
    vocabularies or not in the codelist are noted (when *line* is given) and left out."""
    for what, code in types:
        prop, ns = TYPE_TERMS[what]
        if code in state.vocab.types[what]:
            state.graph.add((iri, prop, ns[code]))
        elif line is None:
            continue
        elif ":" in code:
            state.notes.add(place.path, line, f"left out {what} {code.split(':')[1]!r} of vocabulary "
                                              f"{code.split(':')[0]!r}: only OECD-DAC codes (vocabulary 1) are kept")
        else:
            state.notes.add(place.path, line, f"left out {what} {code!r}: not in the IATI codelist")


def add_sector(state: Import, iri: URIRef, sector: Sector, k: int, place: Place, line: int) -> None:
    """``ced:sectorShare [ a ced:SectorShare ; ced:sectorVocabulary ; ced:code ; ced:percentage ]`` on an
    activity or a flow (a transaction's own sectors)."""
    if not sector.code:
        state.notes.add(place.path, line, "skipped a sector without a code")
        return
    g = state.graph
    node = BNode("s" + hashlib.sha1(f"{iri} {k} {sector.vocabulary} {sector.code}".encode()).hexdigest()[:24])
    g.add((iri, CED.sectorShare, node))
    g.add((node, RDF.type, CED.SectorShare))
    g.add((node, CED.sectorVocabulary, Literal(sector.vocabulary)))
    g.add((node, CED.code, Literal(sector.code)))
    share = decimal(sector.percentage)
    if share is not None and 0 <= share <= 100:
        g.add((node, CED.percentage, Literal(str(share), datatype=XSD.decimal)))
    elif sector.percentage is not None:
        state.notes.add(place.path, line, f"left out sector {sector.code!r}'s percentage {sector.percentage!r}: "
                                          "not a number from 0 to 100")
    for text, lang in sector.narratives:
        g.add((node, DCTERMS.description, Literal(" ".join(text.split()), lang=lang)))
    if sector.vocabulary == "1":
        if sector.code in state.vocab.sectors:
            g.add((iri, CED.sector, SECTOR[sector.code]))
            g.add((node, CED.sector, SECTOR[sector.code]))
        else:
            state.notes.add(place.path, line, f"sector {sector.code!r} is not in the IATI Sector codelist: kept as "
                                              "a code only")
    elif ("sector", sector.vocabulary) in SDG_VOCABULARIES:
        if sector.code in state.vocab.sdgs:
            g.add((iri, CED.sdg, SDG[sector.code]))
        else:
            state.notes.add(place.path, line, f"SDG code {sector.code!r} is no goal or target: kept as a code only")


def _tags(state: Import, rec: Activity, place: Place, line: int):
    """(ced:sdg, sdg:X) for tags in the SDG goal and target vocabularies."""
    for element, vocabulary_code, code in rec.classifications:
        if element == "tag" and (element, vocabulary_code) in SDG_VOCABULARIES:
            if code in state.vocab.sdgs:
                yield CED.sdg, SDG[code]
            elif code:
                state.notes.add(place.path, line, f"skipped SDG code {code!r}: no such goal or target")
