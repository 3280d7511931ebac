"""Organisations an IATI file names: matched to the graph, to those already minted, or minted.

Organisations are matched to the graph by IATI identifier, then by name, then to those
already minted by this import; the rest are minted with stable IRIs (so importing the same
files twice gives the same output). Three things publishers write are not taken at face value:

- a *placeholder* (a ref that identifies no one, such as the DAC channel code ``22000``, with
  no name or only a generic one such as "DEVELOPING COUNTRY-BASED NGO") is never matched: it
  becomes its own organisation in each activity, flagged ``ced:unidentified true``;
- one ref given to organisations of different names in different activities (a ministry's
  ref on each of its embassies) is kept apart by name; within one activity, the names a ref
  carries are the same organisation's;
- the country an identifier's registration agency registers in becomes the organisation's
  ``schema:location``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from kgraph.importers.common import Origin
from kgraph.importers.iati.identifiers import country_of, placeholder_name, usable_ref
from kgraph.importers.iati.records import OrgRef, english_first
from kgraph.importers.iati.terms import CED, ORG, ORGANISATION, ORGANISATION_CLASSES, RDF, SCHEMA, SKOS
from kgraph.importers.iati.text import element_spans, quote
from kgraph.importers.matching import normalise, slugify

if TYPE_CHECKING:
    from kgraph.importers.iati.state import Import, Place


class Organisations:
    """The organisations of one import: by IATI ref and by name, minted or matched."""

    def __init__(self, state: Import):
        self.state = state
        self.by_ref: dict[str, list[URIRef]] = {}
        self.by_name: dict[str, URIRef] = {}
        self.ref_of: dict[URIRef, str] = {}  # minted organisation -> the ref it was minted with
        self.placeholders: dict[tuple[str, str], URIRef] = {}  # (activity, name or ref) -> its own node
        self.minted: dict[URIRef, set[str]] = {}  # minted organisation -> normalised names it has
        self.seen_in: dict[URIRef, set[str]] = {}  # organisation -> activities that named it
        self.matched: set[URIRef] = set()
        self.located: set[URIRef] = set()  # minted organisations with a schema:location
        self.shown: dict[URIRef, str] = {}  # organisation -> name used in flow labels

    def iri(self, org: OrgRef, place: Place) -> URIRef:
        """The IRI of *org*: matched in the graph, already minted, or minted now."""
        ref = usable_ref(org.ref)
        if org.ref and ref is None:
            self.state.notes.add(place.path, self._line(org, place), f"ignored ref {org.ref!r}: not an organisation "
                                                                     "identifier (no registration agency prefix)")
        names = [normalise(n) for n, _ in org.names if not placeholder_name(n)]
        if ref is None and not names:
            iri = self._placeholder(org, place)
        else:
            iri = self._known(ref, org) or self._by_ref(ref, names, place) or next(
                (self.by_name[k] for k in names if k in self.by_name and self.ref_of.get(self.by_name[k], ref) == ref),
                None)
            if iri is None:
                iri = self._mint(org, ref, place)
            elif iri in self.minted:
                self._more_names(iri, org)
            if ref and iri not in self.by_ref.setdefault(ref, []):
                self.by_ref[ref].append(iri)
            for k in names:
                self.by_name.setdefault(k, iri)
        self.seen_in.setdefault(iri, set()).add(place.activity)
        if iri not in self.shown:
            self.shown[iri] = english_first(org.names) or org.ref or str(iri).rsplit("/", 1)[-1]
        return iri

    def _known(self, ref: str | None, org: OrgRef) -> URIRef | None:
        """An organisation the graph already has: by IATI identifier, then by (specific) name."""
        for text in [ref, *(n for n, _ in org.names if not placeholder_name(n))]:
            hits = sorted(self.state.index.lookup(text, "organisation")) if text else []
            if hits:
                iri = URIRef(hits[0])
                if iri not in self.matched:
                    self.matched.add(iri)
                    self.state.counts["matched organisations"] += 1
                return iri
        return None

    def _by_ref(self, ref: str | None, names: list[str], place: Place) -> URIRef | None:
        """The organisation minted for *ref* that this mention is: the one with one of its names,
        else one named in the same activity, else (a mention without a name) the first."""
        candidates = self.by_ref.get(ref or "", [])
        if not candidates:
            return None
        if not names:
            return candidates[0]
        return next((c for c in candidates if self.minted.get(c, set()) & set(names)), None) or next(
            (c for c in candidates if place.activity in self.seen_in.get(c, ())), None)

    def _placeholder(self, org: OrgRef, place: Place) -> URIRef:
        """The activity's own node for a placeholder (never matched, never shared between activities)."""
        what = english_first(org.names) or org.ref or ""
        key = (place.activity, normalise(what))
        if key not in self.placeholders:
            self.placeholders[key] = self._mint(org, None, place, placeholder=True)
            self.state.notes.add(place.path, self._line(org, place), f"kept {what!r} apart in each activity (flagged "
                                                   "ced:unidentified): it describes a kind of organisation, not one")
        return self.placeholders[key]

    def _mint(self, org: OrgRef, ref: str | None, place: Place, *, placeholder: bool = False) -> URIRef:
        g = self.state.graph
        base = ref or org.ref or org.names[0][0]
        if placeholder:
            base = f"{base} {place.activity}"
        elif ref and self.by_ref.get(ref):
            base = f"{ref} {org.names[0][0]}"
            self.state.notes.add(place.path, self._line(org, place), f"kept organisations of different names apart "
                                                                     f"although they share the ref {ref!r}")
        iri = self._new_iri(slugify(base, max_length=120))
        self.minted[iri] = set()
        self.state.counts["organisations"] += 1
        g.add((iri, RDF.type, ORGANISATION_CLASSES.get(org.type or "", ORG.Organization)))
        self._labels(iri, org, ref, place if placeholder else None)
        if ref:
            g.add((iri, CED.iatiIdentifier, Literal(ref)))
            self.ref_of[iri] = ref
        if placeholder:
            g.add((iri, CED.unidentified, Literal(True)))
        country = self.state.vocab.countries.get(country_of(ref) or "")
        if country:
            self.locate(iri, URIRef(country))
        span = self._org_span(org, place)
        self.state.evidence(iri, place, quote(place.text.raw, *span))
        self.state.origins[str(iri)] = Origin(str(place.path), place.text.line(span[0]))
        return iri

    def _labels(self, iri: URIRef, org: OrgRef, ref: str | None, placeholder: Place | None) -> None:
        """skos:prefLabel per language (later ones altLabel); an English one always (a placeholder's
        says which activity it is in)."""
        names = list(org.names)
        if names and not any(lang == "en" for _, lang in names):
            names.insert(0, (names[0][0], "en"))
        has = set()
        for name, lang in names:
            label = " ".join(name.split())
            if placeholder is not None:
                label = f"{label} (in {placeholder.activity})"
            if lang == "en" and lang not in has:
                label = self.state.english_label(label, iri, ref or org.ref or "IATI organisation")
            self.state.graph.add((iri, SKOS.altLabel if lang in has else SKOS.prefLabel, Literal(label, lang=lang)))
            has.add(lang)
            self.minted[iri].add(normalise(name))
        if not names:
            label = f"IATI organisation {org.ref}" + (f" (in {placeholder.activity})" if placeholder else "")
            self.state.graph.add((iri, SKOS.prefLabel, Literal(label, lang="en")))

    def locate(self, iri: URIRef, country: URIRef) -> bool:
        """``schema:location`` *country* for a minted organisation that has none yet; True if added."""
        if iri not in self.minted or iri in self.located:
            return False
        self.located.add(iri)
        self.state.graph.add((iri, SCHEMA.location, country))
        return True

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

    def _line(self, org: OrgRef, place: Place) -> int:
        return place.text.line(self._org_span(org, place)[0])

    def _org_span(self, org: OrgRef, place: Place) -> tuple[int, int]:
        """The element naming *org* (for providers and receivers: inside their transaction)."""
        tag, k = org.where
        if tag in ("provider-org", "receiver-org"):
            tag = f"transaction/{tag}"
        if "/" in tag:  # provider-org or receiver-org inside the k-th (1-based) transaction, budget...
            parent, child = tag.split("/")
            outer = place.element(parent, k - 1)
            found = element_spans(place.text.raw, child, *outer) if outer else []
            return found[0] if found else place.span
        return place.element(tag, k) or place.span
