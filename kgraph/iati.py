"""Reading IATI activity files (standard versions 2.01-2.03) into the graph's terms.

Each ``iati-activity`` becomes a ced:Activity: a partnership of its participating
organisations in their IATI roles (funding, accountable, extending, implementing), with its
titles and descriptions in every language, status, dates, recipient countries, sectors, SDGs
and related activities. Each ``transaction`` becomes a funding flow (a ced:KnowledgeFlow of
kind cedkind:funding) from its provider to its receiver, with value, currency and date.

Organisations are matched to the graph by IATI identifier, then by name, then to those
already minted by this import; the rest are minted with stable IRIs (so importing the same
files twice gives the same output). Files are streamed with ``iterparse`` and each activity
is dropped once read, so the element tree never grows with the file. The raw text of each
file is read once as well: every resource's ``ced:quote`` is a slice of it (verbatim by
construction), and the offsets give the line each resource came from.

Example:
    >>> from kgraph.matching import NameIndex
    >>> imported = read([Path("tests/fixtures/iati/activity-standard-example-annotated-2.03.xml")], NameIndex())
    >>> imported.counts["activities"], imported.counts["flows"]
    (1, 1)
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from xml.parsers import expat
from xml.sax.saxutils import escape

from rdflib import BNode, Graph, Literal, Namespace, URIRef

from kgraph import bundle
from kgraph.errors import ImportRejected, RowProblem
from kgraph.importing import Imported, Origin, new_graph
from kgraph.matching import NameIndex, normalise, slugify
from kgraph.namespaces import PREFIXES

CED, RDF, SKOS, DCTERMS, PROV, SCHEMA, XSD, ORG = (
    Namespace(PREFIXES[p]) for p in ("ced", "rdf", "skos", "dcterms", "prov", "schema", "xsd", "org"))
ACTIVITY, ORGANISATION, FLOW, SOURCE = (Namespace(PREFIXES[p]) for p in ("iatiact", "cedorg", "cedflow", "cedsrc"))
STATUS, SECTOR, TX, SDG = (Namespace(PREFIXES[p]) for p in ("iatistatus", "iatisector", "iatitx", "sdg"))
KIND, FLOW_STATUS = Namespace(PREFIXES["cedkind"]), Namespace(PREFIXES["cedstatus"])

VERSIONS = ("2.01", "2.02", "2.03")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: IATI OrganisationRole code -> the ced: property linking an activity to the organisation.
ROLE_PROPERTIES = {"1": CED.funder, "2": CED.accountableOrganisation, "3": CED.extendingOrganisation,
                   "4": CED.partner}
#: IATI RelatedActivityType code -> the ced: subproperty of ced:relatedActivity.
RELATED_PROPERTIES = {"1": CED.parentActivity, "2": CED.childActivity, "3": CED.siblingActivity,
                      "4": CED.coFundedActivity, "5": CED.thirdPartyActivity}
#: IATI OrganisationType code -> class of a minted organisation (else org:Organization).
ORGANISATION_CLASSES = {"10": CED.GovernmentDepartment, "11": CED.GovernmentDepartment,
                        "21": CED.NGO, "22": CED.NGO, "23": CED.NGO, "24": CED.NGO,
                        "80": CED.ResearchOrganisation}
#: Transaction types where money comes *to* the reporting organisation (incoming funds,
#: commitments and pledges, interest, loan repayments, sale of equity): a missing receiver
#: is the reporting organisation. For all others a missing provider is.
INCOMING_TYPES = frozenset({"1", "5", "6", "9", "11", "13"})
#: Commitments and pledges promise money; every other transaction reports money moved.
PLANNED_TYPES = frozenset({"2", "11", "12", "13"})
#: (element, vocabulary) pairs whose codes are SDG goals or targets.
SDG_VOCABULARIES = frozenset({("sector", "7"), ("sector", "8"), ("tag", "2"), ("tag", "3")})

_LANG_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_MAX_QUOTE = 600


class _Rejected(Exception):
    """A file that cannot be read at all; carries the one problem to report."""

    def __init__(self, problem: RowProblem):
        super().__init__(str(problem))
        self.problem = problem


# ---------------------------------------------------------------------------------------
# What an activity says, read from its element (pure: no graph, no index)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgRef:
    """An organisation as one element names it: IATI identifier, type code, names (text,
    language) in file order, and which element it was (tag and position, for quotes)."""

    ref: str | None
    type: str | None
    names: tuple[tuple[str, str], ...]
    where: tuple[str, int]


@dataclass(frozen=True)
class Transaction:
    """One ``transaction`` element; *n* is its 1-based position in the activity."""

    n: int
    type: str | None
    date: str | None
    value: str | None
    currency: str | None
    provider: OrgRef | None
    receiver: OrgRef | None


@dataclass(frozen=True)
class Activity:
    """What one ``iati-activity`` element says that the graph keeps."""

    identifier: str | None
    lang: str
    currency: str | None
    titles: tuple[tuple[str, str], ...]
    descriptions: tuple[tuple[str, str], ...]
    status: str | None
    dates: dict[str, str]
    countries: tuple[str, ...]
    classifications: tuple[tuple[str, str, str], ...]  # (element, vocabulary, code)
    reporting: OrgRef | None
    participants: tuple[tuple[str | None, OrgRef | None], ...]  # (role, organisation)
    transactions: tuple[Transaction, ...]
    related: tuple[tuple[str, str], ...]  # (type, ref)


def activity_record(elem: ET.Element, file_lang: str) -> Activity:
    """Read an ``iati-activity`` element; *file_lang* is the language narratives default to."""
    lang = _lang(elem.get(XML_LANG), file_lang)
    dates: dict[str, str] = {}
    for d in elem.findall("activity-date"):
        dates.setdefault((d.get("type") or "").strip(), (d.get("iso-date") or "").strip())
    classifications = tuple((e.tag, (e.get("vocabulary") or "1").strip(), (e.get("code") or "").strip())
                            for e in elem if e.tag in ("sector", "tag"))
    return Activity(
        identifier=_text(elem.find("iati-identifier")),
        lang=lang,
        currency=_attr(elem, "default-currency"),
        titles=_narratives(elem.find("title"), lang),
        descriptions=tuple(n for d in elem.findall("description") if (d.get("type") or "1").strip() == "1"
                           for n in _narratives(d, lang)),
        status=_attr(elem.find("activity-status"), "code"),
        dates=dates,
        countries=tuple(c.upper() for c in (_attr(e, "code") for e in elem.findall("recipient-country")) if c),
        classifications=classifications,
        reporting=_org(elem.find("reporting-org"), lang, ("reporting-org", 0)),
        participants=tuple((_attr(p, "role"), _org(p, lang, ("participating-org", k)))
                           for k, p in enumerate(elem.findall("participating-org"))),
        transactions=tuple(_transaction(t, n, lang) for n, t in enumerate(elem.findall("transaction"), 1)),
        related=tuple((_attr(r, "type") or "", _attr(r, "ref") or "") for r in elem.findall("related-activity")),
    )


def _transaction(elem: ET.Element, n: int, lang: str) -> Transaction:
    value = elem.find("value")
    return Transaction(
        n=n,
        type=_attr(elem.find("transaction-type"), "code"),
        date=_attr(elem.find("transaction-date"), "iso-date"),
        value=_text(value),
        currency=_attr(value, "currency"),
        provider=_org(elem.find("provider-org"), lang, ("provider-org", n)),
        receiver=_org(elem.find("receiver-org"), lang, ("receiver-org", n)),
    )


def _org(elem: ET.Element | None, lang: str, where: tuple[str, int]) -> OrgRef | None:
    """The organisation an element names, or None when it names none (no ref, no name)."""
    if elem is None:
        return None
    ref, names = _attr(elem, "ref"), _narratives(elem, lang)
    if not ref and not names:
        return None
    return OrgRef(ref, _attr(elem, "type"), names, where)


def _narratives(elem: ET.Element | None, lang: str) -> tuple[tuple[str, str], ...]:
    """(text, language) of each non-empty ``narrative`` child; language defaults to *lang*."""
    if elem is None:
        return ()
    return tuple((text, _lang(n.get(XML_LANG), lang)) for n in elem.findall("narrative")
                 if (text := (n.text or "").strip()))


def _lang(value: str | None, default: str) -> str:
    """A usable language tag: *value* lower-cased if it is one, else *default*."""
    value = (value or "").strip()
    return value.lower() if _LANG_TAG.fullmatch(value) else default


def _attr(elem: ET.Element | None, name: str) -> str | None:
    value = (elem.get(name) or "").strip() if elem is not None else ""
    return value or None


def _text(elem: ET.Element | None) -> str | None:
    value = (elem.text or "").strip() if elem is not None else ""
    return value or None


# ---------------------------------------------------------------------------------------
# Streaming a file
# ---------------------------------------------------------------------------------------


class _CountingReader:
    """A binary file that reports the bytes each read consumed (for a progress bar)."""

    def __init__(self, f, on_progress: Callable[[int], None] | None):
        self._f, self._on_progress = f, on_progress

    def read(self, size: int = -1) -> bytes:
        data = self._f.read(size)
        if data and self._on_progress is not None:
            self._on_progress(len(data))
        return data


def _stream(path: Path, on_progress: Callable[[int], None] | None) -> Iterator[ET.Element]:
    """Yield the root element as soon as it starts, then each finished ``iati-activity``
    (removed from the tree once the caller has it, so memory stays flat).

    :raises _Rejected: for XML that is not well-formed, naming the line.
    """
    depth, root = 0, None
    with path.open("rb") as f:
        try:
            for event, elem in ET.iterparse(_CountingReader(f, on_progress), events=("start", "end")):
                if event == "start":
                    depth += 1
                    if root is None:
                        root = elem
                        yield root
                    continue
                depth -= 1
                if depth == 1 and elem.tag == "iati-activity":
                    yield elem
                    root.remove(elem)
        except ET.ParseError as e:
            line, column = e.position
            message = f"not well-formed XML: {expat.ErrorString(e.code)} at column {column + 1}; fix the file"
            raise _Rejected(RowProblem(str(path), line, None, message)) from None


def _check_root(path: Path, root: ET.Element, line: int | None) -> None:
    """:raises _Rejected: unless *root* is an ``iati-activities`` element of a version kgraph reads."""
    if root.tag != "iati-activities":
        what = "an IATI organisation file" if root.tag == "iati-organisations" else f"a <{root.tag}> document"
        raise _Rejected(RowProblem(str(path), line, None,
                                   f"{what}, not an IATI activity file (root element iati-activities): "
                                   "give kgraph import iati activity files only"))
    version = (root.get("version") or "").strip()
    if version not in VERSIONS:
        raise _Rejected(RowProblem(str(path), line, None,
                                   f"unsupported IATI version {version or '(none given)'}: kgraph reads 2.01-2.03"))


# ---------------------------------------------------------------------------------------
# The raw text: where each element is, its line, and verbatim quotes
# ---------------------------------------------------------------------------------------

_SKIPPED_MARKUP = r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"


@cache
def _tag_pattern(name: str) -> re.Pattern:
    return re.compile(rf"{_SKIPPED_MARKUP}|<{re.escape(name)}(?=[\s/>])", re.DOTALL)


def element_spans(raw: str, name: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of each *name* element in ``raw[lo:hi]`` (comments and CDATA skipped).

    >>> element_spans('<a><!-- <b> --><b x="1"/><b>t</b></a>', "b")
    [(15, 25), (25, 33)]
    """
    hi = len(raw) if hi is None else hi
    out = []
    for m in _tag_pattern(name).finditer(raw, lo, hi):
        if m.group().startswith(("<!", "<?")):
            continue
        close = raw.find(">", m.end(), hi)
        if close < 0:
            out.append((m.start(), hi))
        elif raw[close - 1] == "/":
            out.append((m.start(), close + 1))
        else:
            end = raw.find(f"</{name}", close, hi)
            out.append((m.start(), raw.find(">", end, hi) + 1 if end >= 0 else close + 1))
    return out


def _first_tag(raw: str, name: str) -> int:
    """Offset of the first *name* start tag (0 if there is none)."""
    return next((m.start() for m in _tag_pattern(name).finditer(raw) if not m.group().startswith(("<!", "<?"))), 0)


def quote(raw: str, start: int, end: int) -> str:
    """The verbatim text of ``raw[start:end]``, cut to its first tag when too long to quote."""
    text = raw[start:end]
    if len(text) <= _MAX_QUOTE:
        return text
    tag = raw[start:raw.find(">", start, end) + 1] if raw.find(">", start, end) >= 0 else ""
    return tag if 3 <= len(tag) <= _MAX_QUOTE else text[:_MAX_QUOTE]


class _Text:
    """One file's raw text: its activities' spans and the line at an offset."""

    def __init__(self, raw: str):
        self.raw = raw
        starts = [s for s, _ in element_spans(raw, "iati-activity")]
        self.spans = list(zip(starts, [*starts[1:], len(raw)], strict=False))
        self._anchor = self._activity_anchor = (0, 1)

    def line(self, pos: int) -> int:
        """1-based line of offset *pos* (counted on from the last offset asked about)."""
        p, n = self._anchor if pos >= self._anchor[0] else self._activity_anchor
        if pos < p:
            p, n = 0, 1
        n += self.raw.count("\n", p, pos)
        self._anchor = (pos, n)
        return n

    def activity_span(self, k: int, identifier: str) -> tuple[int, int] | None:
        """Span of the *k*-th activity (0-based), checked to hold *identifier*."""
        wanted = escape(identifier)
        candidates = [self.spans[k]] if k < len(self.spans) else []
        for lo, hi in [*candidates, *self.spans]:
            if self.raw.find(wanted, lo, hi) >= 0:
                self._activity_anchor = (lo, self.line(lo))
                return lo, hi
        return None


# ---------------------------------------------------------------------------------------
# Vocabularies the import checks codes against
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """Codes kgraph's SKOS schemes define, with the English transaction-type labels."""

    sectors: frozenset[str]
    sdgs: frozenset[str]
    statuses: frozenset[str]
    transaction_types: dict[str, str]
    countries: dict[str, str]  # ISO code -> IRI


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
    return Vocabulary(frozenset(sectors), frozenset(sdgs), frozenset(statuses), labels,
                      {str(code): str(s) for s, code in countries.subject_objects(CED.isoCode)})


# ---------------------------------------------------------------------------------------
# Notes: things skipped, grouped so a big file gives a short list
# ---------------------------------------------------------------------------------------


@dataclass
class _Notes:
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


# ---------------------------------------------------------------------------------------
# The import: activities, organisations and flows into one graph
# ---------------------------------------------------------------------------------------


@dataclass
class _Place:
    """Where the resource being written comes from: file, its source document and text."""

    path: Path
    source: URIRef
    text: _Text
    span: tuple[int, int] = (0, 0)
    elements: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def element(self, tag: str, k: int) -> tuple[int, int] | None:
        """Span of the *k*-th (0-based) *tag* element of the current activity."""
        if tag not in self.elements:
            self.elements[tag] = element_spans(self.text.raw, tag, *self.span)
        found = self.elements[tag]
        return found[k] if k < len(found) else None


class _Import:
    """The graph being built and what has been matched and minted so far."""

    def __init__(self, index: NameIndex):
        self.index, self.vocab = index, vocabulary()
        self.graph = new_graph()
        self.origins: dict[str, Origin] = {}
        self.notes = _Notes()
        self.counts = {"activities": 0, "organisations": 0, "matched organisations": 0, "roles": 0, "flows": 0}
        self.by_ref: dict[str, URIRef] = {}
        self.by_name: dict[str, URIRef] = {}
        self.minted: dict[URIRef, set[str]] = {}  # minted organisation -> normalised names it has
        self.matched: set[URIRef] = set()
        self.shown: dict[URIRef, str] = {}  # organisation -> name used in flow labels
        self.english: dict[str, URIRef] = {}  # casefolded English prefLabel -> who has it
        self.activities: set[URIRef] = set()
        self.related: list[tuple[URIRef, str]] = []

    # -- evidence ------------------------------------------------------------------------

    def evidence(self, subject: URIRef, place: _Place, text: str) -> None:
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

    def source_document(self, path: Path, root: ET.Element, text: _Text, start: int) -> _Place:
        """The file as a ced:SourceDocument (quoting its root start tag at offset *start*)."""
        g, src = self.graph, SOURCE["iati-" + slugify(path.stem)]
        g.add((src, RDF.type, CED.SourceDocument))
        g.add((src, DCTERMS.title, Literal(f"IATI activity file {path.name}", lang="en")))
        issued = _date(root.get("generated-datetime"))
        if issued is not None:
            g.add((src, DCTERMS.issued, issued))
        g.add((src, CED.localCopy, Literal(path.name)))
        place = _Place(path, src, text)
        self.evidence(src, place, quote(text.raw, start, text.raw.find(">", start) + 1))
        self.origins[str(src)] = Origin(str(path), text.line(start))
        return place

    # -- organisations -------------------------------------------------------------------

    def organisation(self, org: OrgRef, place: _Place) -> URIRef:
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
            self.shown[iri] = _english_first(org.names) or org.ref or str(iri).rsplit("/", 1)[-1]
        return iri

    def _known(self, org: OrgRef) -> URIRef | None:
        """An organisation the graph already has: by IATI identifier, then by name."""
        for text in [org.ref, *(n for n, _ in org.names)]:
            hits = sorted(self.index.lookup(text, "organisation")) if text else []
            if hits:
                iri = URIRef(hits[0])
                if iri not in self.matched:
                    self.matched.add(iri)
                    self.counts["matched organisations"] += 1
                return iri
        return None

    def _mint(self, org: OrgRef, place: _Place) -> URIRef:
        g = self.graph
        iri = self._new_iri(slugify(org.ref or org.names[0][0]))
        self.minted[iri] = set()
        self.counts["organisations"] += 1
        g.add((iri, RDF.type, ORGANISATION_CLASSES.get(org.type or "", ORG.Organization)))
        names = list(org.names)
        if names and not any(lang == "en" for _, lang in names):
            names.insert(0, (names[0][0], "en"))
        has = set()
        for name, lang in names:
            label = " ".join(name.split())
            if lang == "en" and lang not in has:
                label = self.english_label(label, iri, org.ref or "IATI organisation")
            g.add((iri, SKOS.altLabel if lang in has else SKOS.prefLabel, Literal(label, lang=lang)))
            has.add(lang)
            self.minted[iri].add(normalise(name))
        if not names:
            g.add((iri, SKOS.prefLabel, Literal(f"IATI organisation {org.ref}", lang="en")))
        if org.ref:
            g.add((iri, CED.iatiIdentifier, Literal(org.ref)))
        span = self._org_span(org, place)
        self.evidence(iri, place, quote(place.text.raw, *span))
        self.origins[str(iri)] = Origin(str(place.path), place.text.line(span[0]))
        return iri

    def _new_iri(self, slug: str) -> URIRef:
        """``cedorg:slug``, numbered on (-2, -3...) while that IRI is taken."""
        iri, n = ORGANISATION[slug], 1
        while iri in self.minted or self.index.known(str(iri)):
            n += 1
            iri = ORGANISATION[f"{slug}-{n}"]
        return iri

    def _more_names(self, iri: URIRef, org: OrgRef) -> None:
        """Names a later mention gives a minted organisation become its skos:altLabel."""
        for name, lang in org.names:
            if normalise(name) not in self.minted[iri]:
                self.minted[iri].add(normalise(name))
                self.graph.add((iri, SKOS.altLabel, Literal(" ".join(name.split()), lang=lang)))

    def _org_span(self, org: OrgRef, place: _Place) -> tuple[int, int]:
        """The element naming *org* (for providers and receivers: inside their transaction)."""
        tag, k = org.where
        if tag in ("provider-org", "receiver-org"):
            tx = place.element("transaction", k - 1)
            found = element_spans(place.text.raw, tag, *tx) if tx else []
            return found[0] if found else place.span
        return place.element(tag, k) or place.span

    # -- activities ----------------------------------------------------------------------

    def activity(self, rec: Activity, place: _Place, start: int) -> None:
        """Write one activity with its roles and flows (or note why it is skipped)."""
        path, text = place.path, place.text
        iri = ACTIVITY[_UNSAFE.sub("_", rec.identifier)]
        line = text.line(start)
        if iri in self.activities:
            self.notes.add(path, line, f"skipped activity {rec.identifier}: it was already read (first one kept)")
            return
        roles = [(ROLE_PROPERTIES.get(role or ""), org) for role, org in rec.participants if org is not None]
        for role, org in rec.participants:
            if org is None:
                self.notes.add(path, line, "skipped a participating-org with neither ref nor name")
            elif role not in ROLE_PROPERTIES:
                self.notes.add(path, line, f"skipped a participating-org with unknown role {role!r}")
        if not any(p for p, _ in roles):
            self.notes.add(path, line,
                           f"skipped activity {rec.identifier}: no participating organisation in a known role")
            return
        self.activities.add(iri)
        self.counts["activities"] += 1
        self.origins[str(iri)] = Origin(str(path), line)
        self._describe(iri, rec, place)
        reporting = self.organisation(rec.reporting, place) if rec.reporting else None
        if reporting is not None:
            self.graph.add((iri, CED.reportingOrganisation, reporting))
        for prop, org in roles:
            if prop is not None:
                triple = (iri, prop, self.organisation(org, place))
                self.counts["roles"] += triple not in self.graph
                self.graph.add(triple)
        for tx in rec.transactions:
            self.flow(iri, rec, tx, reporting, place)

    def _describe(self, iri: URIRef, rec: Activity, place: _Place) -> None:
        g, path, line = self.graph, place.path, self.origins[str(iri)].row
        g.add((iri, RDF.type, CED.Activity))
        g.add((iri, CED.iatiIdentifier, Literal(rec.identifier)))
        self._titles(iri, rec)
        for text, lang in rec.descriptions:
            g.add((iri, DCTERMS.description, Literal(text, lang=lang)))
        if rec.status in self.vocab.statuses:
            g.add((iri, CED.activityStatus, STATUS[rec.status]))
        elif rec.status:
            self.notes.add(path, line, f"skipped unknown activity-status code {rec.status!r}")
        self._dates(iri, rec, place)
        for code in rec.countries:
            country = self._country(code)
            if country:
                g.add((iri, CED.recipientCountry, URIRef(country)))
            else:
                self.notes.add(path, line, f"skipped recipient-country {code!r}: no country with that ISO code")
        for prop, concept in self._classifications(rec, place, line):
            g.add((iri, prop, concept))
        for kind, ref in rec.related:
            if kind in RELATED_PROPERTIES and ref and ref != rec.identifier:
                g.add((iri, RELATED_PROPERTIES[kind], ACTIVITY[_UNSAFE.sub("_", ref)]))
                self.related.append((ACTIVITY[_UNSAFE.sub("_", ref)], ref))
            else:
                self.notes.add(path, line, "skipped a related-activity without a known type and a ref")
        span = place.element("iati-identifier", 0) or place.span
        self.evidence(iri, place, quote(place.text.raw, *span))

    def _titles(self, iri: URIRef, rec: Activity) -> None:
        """skos:prefLabel per language (later ones altLabel); an English label always."""
        g, has = self.graph, set()
        for text, lang in rec.titles:
            label = " ".join(text.split())
            if lang == "en" and lang not in has:
                label = self.english_label(label, iri, rec.identifier)
            g.add((iri, SKOS.altLabel if lang in has else SKOS.prefLabel, Literal(label, lang=lang)))
            has.add(lang)
        if "en" not in has:
            label = self.english_label(f"IATI activity {rec.identifier}", iri, "IATI")
            g.add((iri, SKOS.prefLabel, Literal(label, lang="en")))

    def _dates(self, iri: URIRef, rec: Activity, place: _Place) -> None:
        """schema:startDate (actual, else planned) and schema:endDate (the same), as xsd:date."""
        line = self.origins[str(iri)].row
        found = {}
        for which, codes in (("start", ("2", "1")), ("end", ("4", "3"))):
            given = next((rec.dates[c] for c in codes if rec.dates.get(c)), None)
            found[which] = _date(given)
            if given and found[which] is None:
                self.notes.add(place.path, line, f"skipped an activity-date that is not a date: {given!r}")
        start, end = found["start"], found["end"]
        if start is not None:
            self.graph.add((iri, SCHEMA.startDate, start))
        if end is not None and start is not None and end.toPython() < start.toPython():
            self.notes.add(place.path, line, "skipped an end date before the start date")
        elif end is not None:
            self.graph.add((iri, SCHEMA.endDate, end))

    def _country(self, code: str) -> str | None:
        hits = self.index.lookup(code, "place")
        if len(hits) > 1:
            hits &= {self.vocab.countries.get(code, "")}
        return next(iter(sorted(hits)), None)

    def _classifications(self, rec: Activity, place: _Place, line: int):
        """(ced:sector, iatisector:X) for DAC sectors, (ced:sdg, sdg:X) for SDG goals and targets."""
        for element, vocabulary_code, code in rec.classifications:
            if element == "sector" and vocabulary_code == "1":
                if code in self.vocab.sectors:
                    yield CED.sector, SECTOR[code]
                elif code:
                    self.notes.add(place.path, line, f"skipped sector {code!r}: not in the IATI Sector codelist")
            elif (element, vocabulary_code) in SDG_VOCABULARIES:
                if code in self.vocab.sdgs:
                    yield CED.sdg, SDG[code]
                elif code:
                    self.notes.add(place.path, line, f"skipped SDG code {code!r}: no such goal or target")

    # -- flows ---------------------------------------------------------------------------

    def flow(self, activity: URIRef, rec: Activity, tx: Transaction, reporting: URIRef | None,
             place: _Place) -> None:
        """One transaction as a funding flow, or a note saying why it is skipped."""
        span = place.element("transaction", tx.n - 1) or place.span
        line = place.text.line(span[0])
        label = self.vocab.transaction_types.get(tx.type or "")
        if label is None:
            self.notes.add(place.path, line, f"skipped a transaction of unknown type {tx.type!r}")
            return
        provider = self.organisation(tx.provider, place) if tx.provider else None
        receiver = self.organisation(tx.receiver, place) if tx.receiver else None
        if tx.type in INCOMING_TYPES:
            receiver = receiver or reporting
        else:
            provider = provider or reporting
        if provider is None or receiver is None:
            self.notes.add(place.path, line, "skipped a transaction whose provider or receiver is not named")
            return
        if provider == receiver:
            self.notes.add(place.path, line, "skipped a transaction from an organisation to itself")
            return
        iri = FLOW[f"iati-{slugify(rec.identifier, max_length=200)}-{tx.n}"]
        g = self.graph
        g.add((iri, RDF.type, CED.KnowledgeFlow))
        g.add((iri, SKOS.prefLabel, Literal(f"{label}: {self.shown[provider]} → {self.shown[receiver]}", lang="en")))
        g.add((iri, CED.source, provider))
        g.add((iri, CED.target, receiver))
        g.add((iri, CED.kind, KIND.funding))
        g.add((iri, CED.status, FLOW_STATUS.planned if tx.type in PLANNED_TYPES else FLOW_STATUS.occurred))
        g.add((iri, CED.transactionType, TX[tx.type]))
        g.add((iri, CED.inPartnership, activity))
        when = _date(tx.date)
        if when is not None:
            g.add((iri, SCHEMA.startDate, when))
        self._amount(iri, tx, rec, place, line)
        self.evidence(iri, place, quote(place.text.raw, *_flow_quote_span(place.text.raw, span)))
        self.origins[str(iri)] = Origin(str(place.path), line)
        self.counts["flows"] += 1

    def _amount(self, iri: URIRef, tx: Transaction, rec: Activity, place: _Place, line: int) -> None:
        """``ced:amount [ a schema:MonetaryAmount ; schema:value ; schema:currency ]``."""
        value = _decimal(tx.value)
        currency = (tx.currency or rec.currency or "").upper()
        if value is None or not re.fullmatch(r"[A-Z]{3}", currency):
            self.notes.add(place.path, line, "left out the amount of a transaction without a number and a currency")
            return
        node = BNode("a" + hashlib.sha1(str(iri).encode()).hexdigest()[:24])
        self.graph.add((iri, CED.amount, node))
        self.graph.add((node, RDF.type, SCHEMA.MonetaryAmount))
        self.graph.add((node, SCHEMA.value, Literal(str(value), datatype=XSD.decimal)))
        self.graph.add((node, SCHEMA.currency, Literal(currency)))

    def finish(self) -> None:
        """Related activities not imported here carry only their ced:iatiIdentifier."""
        for iri, ref in self.related:
            if iri not in self.activities and not self.index.known(str(iri)):
                self.graph.add((iri, CED.iatiIdentifier, Literal(ref)))


def _flow_quote_span(raw: str, span: tuple[int, int]) -> tuple[int, int]:
    """From the transaction's start tag to the end of its ``value`` (type, date, amount),
    or the ``value`` element alone when that stretch is too long to quote."""
    values = element_spans(raw, "value", *span)
    if not values:
        return span
    return (span[0], values[0][1]) if values[0][1] - span[0] <= _MAX_QUOTE else values[0]


def _english_first(names: Sequence[tuple[str, str]]) -> str | None:
    """The first English name, else the first name (whitespace collapsed)."""
    chosen = next((n for n, lang in names if lang == "en"), names[0][0] if names else None)
    return " ".join(chosen.split()) if chosen else None


def _date(value: str | None) -> Literal | None:
    """An xsd:date literal from an ISO date or date-time (its date part), else None."""
    try:
        return Literal(date.fromisoformat((value or "").strip()[:10]).isoformat(), datatype=XSD.date)
    except ValueError:
        return None


def _decimal(value: str | None) -> Decimal | None:
    try:
        number = Decimal((value or "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


# ---------------------------------------------------------------------------------------
# The public entry point
# ---------------------------------------------------------------------------------------


def read(paths: Sequence[Path], index: NameIndex, *,
         on_progress: Callable[[int], None] | None = None) -> Imported:
    """Read IATI activity files into a graph of activities, organisations and funding flows.

    *index* is what the graph already has (organisations are matched against it); each
    file's size is reported through *on_progress* as it is read, in bytes.

    :raises ImportRejected: listing every file that is not well-formed XML, not UTF-8, not
        an IATI activity file, or of a version other than 2.01-2.03 (nothing is returned then).
    """
    paths = list(dict.fromkeys(Path(p) for p in paths))
    state = _Import(index)
    problems = _clashing_names(paths)
    per_file = {}
    for path in paths:
        before = state.counts["activities"]
        try:
            _read_file(path, state, on_progress)
        except _Rejected as e:
            problems.append(e.problem)
        per_file[path.name] = state.counts["activities"] - before
    if problems:
        raise ImportRejected(problems)
    state.finish()
    return Imported(graph=state.graph, origins=state.origins, counts=dict(state.counts),
                    notes=state.notes.lines(), seeds=list(paths), header=_header(per_file))


def _read_file(path: Path, state: _Import, on_progress: Callable[[int], None] | None) -> None:
    """Add one file's activities to *state*.

    :raises _Rejected: for a file that cannot be imported at all.
    """
    try:
        text = _Text(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as e:
        raise _Rejected(RowProblem(str(path), None, None,
                                   f"not UTF-8 text (byte {e.start}): save the file as UTF-8")) from None
    elements = _stream(path, on_progress)
    try:
        root = next(elements)
        start = _first_tag(text.raw, root.tag)
        _check_root(path, root, text.line(start))
        file_lang = _lang(root.get(XML_LANG), "en")
        place = state.source_document(path, root, text, start)
        for k, elem in enumerate(elements):
            rec = activity_record(elem, file_lang)
            span = text.activity_span(k, rec.identifier) if rec.identifier else None
            if span is None:
                line = text.line(text.spans[k][0]) if k < len(text.spans) else None
                state.notes.add(path, line, "skipped an iati-activity without an iati-identifier")
                continue
            place.span, place.elements = span, {}
            state.activity(rec, place, span[0])
    finally:
        elements.close()


def _clashing_names(paths: Sequence[Path]) -> list[RowProblem]:
    """Files whose copies in seeds/ (same name) or source IRIs (same slug) would collide."""
    seen: dict[str, Path] = {}
    problems = []
    for path in paths:
        for key in (path.name, "iati-" + slugify(path.stem)):
            other = seen.setdefault(key, path)
            if other != path and other.resolve() != path.resolve():
                problems.append(RowProblem(str(path), None, None,
                                           f"has the same name as {other}: rename one of them"))
                break
    return problems


def _header(per_file: dict[str, int]) -> str:
    """The comment block above the Turtle: which files, and the command that made it."""
    lines = ["# IATI activities, organisations and funding flows imported by `kgraph import iati` from:"]
    lines += [f"#   {name} ({n} activit{'y' if n == 1 else 'ies'})" for name, n in per_file.items()]
    lines += ["# A copy of each file is in seeds/ next to this one; every ced:quote is a verbatim",
              "# substring of it. Do not edit by hand; import again instead:",
              f"#   kgraph import iati {' '.join(per_file)} --out <this file>", "", ""]
    return "\n".join(lines)
