"""Reading IATI activity files (standard versions 2.01-2.03) into the graph's terms.

Each ``iati-activity`` becomes a ced:Activity: a partnership of its participating
organisations in their IATI roles (funding, accountable, extending, implementing), with its
titles and descriptions in every language, status, dates, recipient countries and regions
(with their percentages), sector shares in every vocabulary, SDGs, humanitarian flag,
aid/flow/finance types and related activities. Each ``transaction`` becomes a funding flow (a
ced:KnowledgeFlow of kind cedkind:funding) from its provider to its receiver, with value,
currency, date and its own recipient country or region when it names one; each
``budget`` and ``planned-disbursement`` a planned one; a negative amount nets against the flow
it adjusts.

Organisations are matched to the graph by IATI identifier, then by name, then to those
already minted by this import; the rest are minted with stable IRIs (so importing the same
files twice gives the same output); placeholders are never matched (organisations.py). Files are streamed with ``iterparse`` and each activity
is dropped once read, so the element tree never grows with the file. The raw text of each
file is read once as well: every resource's ``ced:quote`` is a slice of it (verbatim by
construction), and the offsets give the line each resource came from.

Example:
    >>> from kgraph.importers.matching import NameIndex
    >>> imported = read([Path("tests/fixtures/iati/activity-standard-example-annotated-2.03.xml")], NameIndex())
    >>> imported.counts["activities"], imported.counts["flows"]
    (1, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kgraph.errors import ImportRejected, RowProblem
from kgraph.importers.common import Imported
from kgraph.importers.iati.activities import write_activity
from kgraph.importers.iati.records import activity_record, lang_tag
from kgraph.importers.iati.state import Import
from kgraph.importers.iati.stream import check_root, files, read_text, stem, stream
from kgraph.importers.iati.terms import XML_LANG, Rejected
from kgraph.importers.iati.text import Text, first_tag
from kgraph.importers.matching import NameIndex, slugify



def read(paths: Sequence[Path], index: NameIndex, *,
         on_progress: Callable[[int], None] | None = None, sink=None) -> Imported:
    """Read IATI activity files (``.xml`` or gzip-compressed ``.xml.gz``, or folders of them)
    into a graph of activities, organisations and funding flows.

    *index* is what the graph already has (organisations are matched against it); each
    file's size is reported through *on_progress* as it is read, in bytes. The triples go
    to *sink* as each activity is read: an rdflib Graph (a new one when not given, returned
    as the import's ``graph``) or a kgraph.importers.turtle.TurtleWriter, as `kgraph import
    iati` gives (kgraph.importers.common.Staged), so the output is never held in memory.

    :raises ImportRejected: listing every file that is not well-formed XML, not UTF-8, not
        an IATI activity file, or of a version other than 2.01-2.03 (nothing is returned then).
    """
    paths, problems = files(list(dict.fromkeys(Path(p) for p in paths)))
    state = Import(index, sink)
    problems += _clashing_names(paths)
    per_file = {}
    for path in paths:
        before = state.counts["activities"]
        try:
            _read_file(path, state, on_progress)
        except Rejected as e:
            problems.append(e.problem)
        per_file[path.name] = state.counts["activities"] - before
    if problems:
        raise ImportRejected(problems)
    state.finish()
    return Imported(graph=state.graph, origins=state.origins, counts=dict(state.counts),
                    notes=state.notes.lines(), seeds=list(paths), header=_header(per_file))


def _read_file(path: Path, state: Import, on_progress: Callable[[int], None] | None) -> None:
    """Add one file's activities to *state*.

    :raises Rejected: for a file that cannot be imported at all.
    """
    try:
        text = Text(read_text(path))
    except UnicodeDecodeError as e:
        raise Rejected(RowProblem(str(path), None, None,
                                   f"not UTF-8 text (byte {e.start}): save the file as UTF-8")) from None
    elements = stream(path, on_progress)
    try:
        root = next(elements)
        start = first_tag(text.raw, root.tag)
        check_root(path, root, text.line(start))
        file_lang = lang_tag(root.get(XML_LANG), "en")
        place = state.source_document(path, root, text, start)
        for k, elem in enumerate(elements):
            rec = activity_record(elem, file_lang)
            span = text.activity_span(k, rec.identifier) if rec.identifier else None
            if span is None:
                line = text.line(text.spans[k][0]) if k < len(text.spans) else None
                state.notes.add(path, line, "skipped an iati-activity without an iati-identifier")
                continue
            place.span, place.elements, place.activity = span, {}, rec.identifier
            write_activity(state, rec, place, span[0])
    finally:
        elements.close()


def _clashing_names(paths: Sequence[Path]) -> list[RowProblem]:
    """Files whose copies in seeds/ (same name) or source IRIs (same slug) would collide."""
    seen: dict[str, Path] = {}
    problems = []
    for path in paths:
        for key in (path.name, "iati-" + slugify(stem(path))):
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
