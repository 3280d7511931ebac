"""The graph an IATI import is building, where it is in the file, and its source documents."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Literal, URIRef

from kgraph.importers.common import Origin, new_graph
from kgraph.importers.iati.organisations import Organisations
from kgraph.importers.iati.records import date_literal
from kgraph.importers.iati.terms import CED, DCTERMS, PROV, RDF, SOURCE
from kgraph.importers.iati.text import Text, element_spans, quote
from kgraph.importers.iati.vocabulary import Notes, vocabulary
from kgraph.importers.matching import NameIndex, slugify


@dataclass
class Place:
    """Where the resource being written comes from: file, its source document and text."""

    path: Path
    source: URIRef
    text: Text
    span: tuple[int, int] = (0, 0)
    elements: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def element(self, tag: str, k: int) -> tuple[int, int] | None:
        """Span of the *k*-th (0-based) *tag* element of the current activity."""
        if tag not in self.elements:
            self.elements[tag] = element_spans(self.text.raw, tag, *self.span)
        found = self.elements[tag]
        return found[k] if k < len(found) else None


class Import:
    """The graph being built and what has been matched and minted so far."""

    def __init__(self, index: NameIndex, sink=None):
        self.index, self.vocab = index, vocabulary()
        self.graph = new_graph() if sink is None else sink  # anything with add(triple): written as it comes
        self.origins: dict[str, Origin] = {}
        self.notes = Notes()
        self.counts = {"activities": 0, "organisations": 0, "matched organisations": 0, "roles": 0, "flows": 0}
        self.organisations = Organisations(self)
        self.english: dict[str, URIRef] = {}  # casefolded English prefLabel -> who has it
        self.activities: set[URIRef] = set()
        self.related: list[tuple[URIRef, str]] = []

    # -- evidence ------------------------------------------------------------------------

    def evidence(self, subject: URIRef, place: Place, text: str) -> None:
        """Attach ``ced:evidence [ prov:hadPrimarySource <source> ; ced:quote text ]``."""
        g = self.graph
        node = BNode("e" + hashlib.sha1(f"{subject} {text}".encode()).hexdigest()[:24])
        g.add((subject, CED.evidence, node))
        g.add((node, RDF.type, CED.Evidence))
        g.add((node, PROV.hadPrimarySource, place.source))
        g.add((node, CED.quote, Literal(text)))

    def english_label(self, label: str, subject: URIRef, suffix: str) -> str:
        """*label*, or ``label (suffix)`` when another organisation or partnership has it in English."""
        taken = self.english.get(label.casefold())
        elsewhere = self.index.lookup(label, "organisation", "partnership") - {str(subject)}
        if (taken is not None and taken != subject) or elsewhere:
            label = f"{label} ({suffix})"
        self.english[label.casefold()] = subject
        return label

    # -- source documents ----------------------------------------------------------------

    def source_document(self, path: Path, root: ET.Element, text: Text, start: int) -> Place:
        """The file as a ced:SourceDocument (quoting its root start tag at offset *start*)."""
        g, src = self.graph, SOURCE["iati-" + slugify(path.stem)]
        g.add((src, RDF.type, CED.SourceDocument))
        g.add((src, DCTERMS.title, Literal(f"IATI activity file {path.name}", lang="en")))
        issued = date_literal(root.get("generated-datetime"))
        if issued is not None:
            g.add((src, DCTERMS.issued, issued))
        g.add((src, CED.localCopy, Literal(path.name)))
        place = Place(path, src, text)
        self.evidence(src, place, quote(text.raw, start, text.raw.find(">", start) + 1))
        self.origins[str(src)] = Origin(str(path), text.line(start))
        return place

    def finish(self) -> None:
        """Related activities not imported here carry only their ced:iatiIdentifier."""
        for iri, ref in self.related:
            if iri not in self.activities and not self.index.known(str(iri)):
                self.graph.add((iri, CED.iatiIdentifier, Literal(ref)))

