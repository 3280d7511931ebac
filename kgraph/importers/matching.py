"""Matching names from spreadsheets and IATI files to resources the graph already has.

Names compare case- and accent-insensitively ("economie solidaire de l'ontario" finds
"Économie solidaire de l'Ontario"); identifiers (IATI org refs, ISO codes) and IRIs match too.
New resources get stable slugs derived from their names, so importing the same file twice
mints the same IRIs.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from kgraph.namespaces import compact, expand

_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 16)  # the same names come back row after row (a flow's from, to, kind, source)
def normalise(name: str) -> str:
    """Case-, accent-, punctuation- and spacing-insensitive key of a name."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_NON_WORD.split(bare)).strip()


def slugify(name: str, *, max_length: int = 60) -> str:
    """A stable IRI slug for *name*: lower-case ASCII words joined by hyphens (a hash when it has none)."""
    ascii_words = normalise(name).encode("ascii", "ignore").decode()
    slug = "-".join(ascii_words.split())[:max_length].strip("-")
    if slug:
        return slug
    return "n-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]  # no Latin letters: stable all the same


def concept_group(scheme: str) -> str:
    """The NameIndex group of the concepts of the SKOS scheme *scheme*."""
    return f"concept {scheme}"


@dataclass
class NameIndex:
    """Resources by normalised name, per group (organisation, person, event, partnership,
    source, place, role, flow kind)."""

    keys: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    names: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))  # group -> key -> shown name
    groups: dict[str, str] = field(default_factory=dict)  # IRI -> group

    @classmethod
    def from_backend(cls, backend) -> NameIndex:
        """Every name the graph on *backend* (store or endpoint) knows (the `names` query)."""
        from kgraph import queries
        from kgraph.results import collect

        q = queries.find("names")
        index = cls()
        for resource, group, _kind, name in collect(backend.query(q.text, bindings=queries.bind(q, {}))).rows:
            index.add(resource.value, group.value, [name.value])
        return index

    def add_concepts(self, backend, schemes: Iterable[str]) -> None:
        """Make the concepts of each SKOS scheme in *schemes* findable by label and notation, in
        the group ``concept <scheme IRI>`` (the `concepts` query, one run per scheme)."""
        import pyoxigraph as ox

        from kgraph import queries
        from kgraph.results import collect

        q = queries.find("concepts")
        for scheme in dict.fromkeys(schemes):
            for concept, _scheme, name in collect(backend.query(q.text, bindings={"scheme": ox.NamedNode(scheme)})).rows:
                self.add(concept.value, concept_group(scheme), [name.value])

    def add(self, iri: str, group: str, names: Iterable[str]) -> None:
        """Make *iri* findable in *group* under each of *names* (and its own IRI)."""
        self.groups[iri] = group
        for name in names:
            key = normalise(name)
            if key:
                self.keys[(group, key)].add(iri)
                self.names[group].setdefault(key, name)
        for name in (compact(iri), re.split(r"[/#]", iri)[-1]):  # ids: findable, never suggested
            if normalise(name):
                self.keys[(group, normalise(name))].add(iri)

    def lookup(self, text: str, *groups: str) -> set[str]:
        """IRIs in any of *groups* named *text* (a name, identifier, IRI or prefixed name)."""
        text = text.strip()
        found: set[str] = set()
        full = text if text.startswith(("http://", "https://")) else expand(text) if ":" in text else None
        for group in groups:
            found |= self.keys.get((group, normalise(text)), set())
            if full and self.groups.get(full) == group:
                found.add(full)
        return found

    def known(self, iri: str) -> bool:
        return iri in self.groups

    def suggest(self, text: str, *groups: str) -> list[str]:
        """Up to three known names close to *text*, for error messages."""
        shown = {k: v for g in groups for k, v in self.names.get(g, {}).items()}
        close = difflib.get_close_matches(normalise(text), list(shown), n=3, cutoff=0.6)
        return [shown[k] for k in close]
