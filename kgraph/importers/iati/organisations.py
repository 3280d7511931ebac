"""Organisations an IATI file names: matched to the graph, to those already minted, or minted.

Organisations are matched to the graph by IATI identifier, then by name, then to those
already minted by this import; the rest are minted with stable IRIs (so importing the same
files twice gives the same output).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from kgraph.importers.common import Origin
from kgraph.importers.iati.records import OrgRef, english_first
from kgraph.importers.iati.terms import CED, ORG, ORGANISATION, ORGANISATION_CLASSES, RDF, SKOS
from kgraph.importers.iati.text import element_spans, quote
from kgraph.importers.matching import normalise, slugify

if TYPE_CHECKING:
    from kgraph.importers.iati.state import Import, Place


class Organisations:
    """The organisations of one import: by IATI ref and by name, minted or matched."""

    def __init__(self, state: Import):
        self.state = state
        self.by_ref: dict[str, URIRef] = {}
        self.by_name: dict[str, URIRef] = {}
        self.minted: dict[URIRef, set[str]] = {}  # minted organisation -> normalised names it has
        self.matched: set[URIRef] = set()
        self.shown: dict[URIRef, str] = {}  # organisation -> name used in flow labels

    def iri(self, org: OrgRef, place: Place) -> URIRef:
        """The IRI of *org*: matched in the graph, already minted, or minted now."""
        names = [normalise(n) for n, _ in org.names]
        iri = self._known(org) or self.by_ref.get(org.ref or "") or next(
            (self.by_name[k] for k in names if k in self.by_name), None)
        if iri is None:
            iri = self._mint(org, place)
        elif iri in self.minted:
            self._more_names(iri, org)
        if org.ref:
            self.by_ref.setdefault(org.ref, iri)
        for k in names:
            self.by_name.setdefault(k, iri)
        if iri not in self.shown:
            self.shown[iri] = english_first(org.names) or org.ref or str(iri).rsplit("/", 1)[-1]
        return iri

    def _known(self, org: OrgRef) -> URIRef | None:
        """An organisation the graph already has: by IATI identifier, then by name."""
        for text in [org.ref, *(n for n, _ in org.names)]:
            hits = sorted(self.state.index.lookup(text, "organisation")) if text else []
            if hits:
                iri = URIRef(hits[0])
                if iri not in self.matched:
                    self.matched.add(iri)
                    self.state.counts["matched organisations"] += 1
                return iri
        return None

    def _mint(self, org: OrgRef, place: Place) -> URIRef:
        g = self.state.graph
        iri = self._new_iri(slugify(org.ref or org.names[0][0]))
        self.minted[iri] = set()
        self.state.counts["organisations"] += 1
        g.add((iri, RDF.type, ORGANISATION_CLASSES.get(org.type or "", ORG.Organization)))
        names = list(org.names)
        if names and not any(lang == "en" for _, lang in names):
            names.insert(0, (names[0][0], "en"))
        has = set()
        for name, lang in names:
            label = " ".join(name.split())
            if lang == "en" and lang not in has:
                label = self.state.english_label(label, iri, org.ref or "IATI organisation")
            g.add((iri, SKOS.altLabel if lang in has else SKOS.prefLabel, Literal(label, lang=lang)))
            has.add(lang)
            self.minted[iri].add(normalise(name))
        if not names:
            g.add((iri, SKOS.prefLabel, Literal(f"IATI organisation {org.ref}", lang="en")))
        if org.ref:
            g.add((iri, CED.iatiIdentifier, Literal(org.ref)))
        span = self._org_span(org, place)
        self.state.evidence(iri, place, quote(place.text.raw, *span))
        self.state.origins[str(iri)] = Origin(str(place.path), place.text.line(span[0]))
        return iri

    def _new_iri(self, slug: str) -> URIRef:
        """``cedorg:slug``, numbered on (-2, -3...) while that IRI is taken."""
        iri, n = ORGANISATION[slug], 1
        while iri in self.minted or self.state.index.known(str(iri)):
            n += 1
            iri = ORGANISATION[f"{slug}-{n}"]
        return iri

    def _more_names(self, iri: URIRef, org: OrgRef) -> None:
        """Names a later mention gives a minted organisation become its skos:altLabel."""
        for name, lang in org.names:
            if normalise(name) not in self.minted[iri]:
                self.minted[iri].add(normalise(name))
                self.state.graph.add((iri, SKOS.altLabel, Literal(" ".join(name.split()), lang=lang)))

    def _org_span(self, org: OrgRef, place: Place) -> tuple[int, int]:
        """The element naming *org* (for providers and receivers: inside their transaction)."""
        tag, k = org.where
        if tag in ("provider-org", "receiver-org"):
            tx = place.element("transaction", k - 1)
            found = element_spans(place.text.raw, tag, *tx) if tx else []
            return found[0] if found else place.span
        return place.element(tag, k) or place.span
