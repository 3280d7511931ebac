"""The codes the IATI import checks against (bundled SKOS schemes), and notes on what it skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph, Namespace, URIRef

from kgraph import bundle
from kgraph.importers.iati.terms import CED, RDF, SDG, SECTOR, SKOS, STATUS, TX, TYPE_TERMS


@dataclass(frozen=True)
class Vocabulary:
    """Codes kgraph's SKOS schemes define, with the English transaction-type labels."""

    sectors: frozenset[str]
    sdgs: frozenset[str]
    statuses: frozenset[str]
    transaction_types: dict[str, str]
    countries: dict[str, str]  # ISO code -> IRI
    regions: dict[str, str] = field(default_factory=dict)  # OECD-DAC region code -> IRI
    types: dict[str, frozenset[str]] = field(default_factory=dict)  # aid-type etc. -> codes of its scheme


@cache
def vocabulary() -> Vocabulary:
    """The codes of the bundled IATI, SDG and country vocabularies (read once)."""
    def concepts(file: str, ns: Namespace) -> tuple[Graph, dict[str, URIRef]]:
        g = Graph().parse(bundle.vocab_dir() / file, format="turtle")
        return g, {str(s)[len(ns):]: s for s in g.subjects(RDF.type, SKOS.Concept) if str(s).startswith(ns)}

    _, sectors = concepts("iati-sector.ttl", SECTOR)
    _, sdgs = concepts("sdg.ttl", SDG)
    _, statuses = concepts("iati-activity-status.ttl", STATUS)
    tx_graph, types = concepts("iati-transaction-type.ttl", TX)
    labels = {code: next((str(v) for v in tx_graph.objects(s, SKOS.prefLabel) if v.language == "en"), code)
              for code, s in types.items()}
    countries = Graph().parse(bundle.vocab_dir() / "countries.ttl", format="turtle")
    places = Graph().parse(bundle.vocab_dir() / "places.ttl", format="turtle")
    places.parse(bundle.vocab_dir() / "dac-regions.ttl", format="turtle")
    types = {what: frozenset(concepts(f"iati-{what}.ttl", ns)[1]) for what, (_, ns) in TYPE_TERMS.items()}
    return Vocabulary(frozenset(sectors), frozenset(sdgs), frozenset(statuses), labels,
                      {str(code): str(s) for s, code in countries.subject_objects(CED.isoCode)},
                      {str(code): str(s) for s, code in places.subject_objects(CED.dacCode)}, types)



@dataclass
class Notes:
    groups: dict[tuple[str, str], list[int | None]] = field(default_factory=dict)

    def add(self, path: Path, line: int | None, message: str) -> None:
        self.groups.setdefault((str(path), message), []).append(line)

    def lines(self) -> list[str]:
        out = []
        for (path, message), rows in self.groups.items():
            if len(rows) == 1:
                out.append(f"{path}:{rows[0]}: {message}" if rows[0] else f"{path}: {message}")
            else:
                shown = ", ".join(str(r) for r in rows[:5]) + (", ..." if len(rows) > 5 else "")
                out.append(f"{path}: {message} ({len(rows)} times; lines {shown})")
        return out

