"""The CSV templates practitioners fill in: one file per kind of thing, documented columns.

A template is a CSV file whose first lines are ``#`` comments explaining each column, then
the header row. ``kgraph template`` writes them empty; ``kgraph import csv`` reads them back.
Cells holding several values (partners, attendees, other names) separate them with ``;``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from kgraph.csvsafe import safe_cell


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str
    many: bool = False  # several values separated by ";"


ORG_KINDS = {
    "network": "ced:Network", "cooperative": "ced:Cooperative", "ngo": "ced:NGO",
    "government-department": "ced:GovernmentDepartment", "municipal-association": "ced:MunicipalAssociation",
    "research-organisation": "ced:ResearchOrganisation", "programme": "ced:Programme",
    "social-enterprise": "ced:SocialEnterprise", "organisation": "org:Organization",
}
EVENT_TYPES = {
    "conference": "ced:Conference", "mission": "ced:Mission", "tour": "ced:Tour", "roundtable": "ced:Roundtable",
    "seminar": "ced:Seminar", "interview": "ced:Interview", "focus-group": "ced:FocusGroup", "event": "schema:Event",
}
STATUSES = ("occurred", "planned", "called-for")
#: Columns whose values are concepts of a SKOS scheme (matched by label, notation or IRI).
CONCEPT_COLUMNS = {
    ("organisations", "structure"): "http://purl.org/essglobal/standard/organisational-structure/",
    ("organisations", "activity"): "http://purl.org/essglobal/standard/activities-modified/",
    ("organisations", "activities"): "http://purl.org/essglobal/standard/activities-modified/",
}

_ID = Column("id", False, "short identifier (letters, digits, hyphens); made from the name when empty")
_SOURCE = Column("source", True, "the id of the source document (sources.csv) or of one the graph has")
_QUOTE = Column("quote", True, "the source's exact words that support this row (checked when the source has a local copy)")
_DATE_HELP = "YYYY, YYYY-MM or YYYY-MM-DD"

#: Template name -> its columns, in file order. The order of templates is the import order.
TEMPLATES: dict[str, tuple[Column, ...]] = {
    "sources": (
        Column("id", True, "short identifier other files use in their source column"),
        Column("title", True, "the document's title"),
        Column("publisher", False, "the organisation that published it (a name or id)"),
        Column("date", False, f"when it was published: {_DATE_HELP}"),
        Column("url", False, "where it can be read (http... address)"),
        Column("local_copy", False, "file name of its text, kept in seeds/ next to the imported file; "
                                    "when given, every quote citing it is checked word for word"),
        Column("quote", True, "words of the document that identify it, such as its title as printed"),
    ),
    "organisations": (
        _ID,
        Column("name", True, "the organisation's name (English or as commonly written)"),
        Column("name_fr", False, "its French name"),
        Column("other_names", False, "acronyms and other names", many=True),
        Column("kind", True, "one of: " + ", ".join(ORG_KINDS)),
        Column("city", False, "city it is based in (a known city, or a new one when country is given)"),
        Column("country", False, "country it is based in: a name or ISO code such as CA or ML"),
        Column("iati_id", False, "its IATI organisation identifier, such as XM-DAC-301-2"),
        Column("part_of", False, "the organisation it is a unit or programme of (a name or id)"),
        Column("website", False, "its web address"),
        Column("description", False, "what it does, in a sentence or two"),
        Column("email", False, "its contact e-mail address"),
        Column("phone", False, "its telephone number"),
        Column("address", False, "its postal address, in one cell"),
        Column("latitude", False, "where it is: latitude in decimal degrees (-90 to 90; needs longitude)"),
        Column("longitude", False, "where it is: longitude in decimal degrees (-180 to 180; needs latitude)"),
        Column("identifier", False, "identifiers it has in other registers or data sets", many=True),
        Column("structure", False, "its ESSGlobal organisational structure, such as Co-operative or "
                                   "Workers co-operative (a label or code such as OS115)"),
        Column("activity", False, "its primary ESSGlobal activity, such as Food or Housing (a label or code "
                                  "such as AM60)"),
        Column("activities", False, "its other ESSGlobal activities", many=True),
        _SOURCE, _QUOTE,
    ),
    "persons": (
        _ID,
        Column("name", True, "the person's name"),
        Column("organisation", False, "the organisation they work for or belong to (a name or id)"),
        Column("role", False, "their post there, such as President (needs organisation)"),
        Column("heads", False, "yes when they head the organisation (needs organisation)"),
        _SOURCE, _QUOTE,
    ),
    "partnerships": (
        _ID,
        Column("name", True, "a name for the partnership"),
        Column("name_fr", False, "its French name"),
        Column("partners", True, "at least two partner organisations (names or ids)", many=True),
        Column("facilitators", False, "organisations that bring the partners together", many=True),
        Column("funders", False, "organisations that fund it", many=True),
        Column("start", False, f"when it began: {_DATE_HELP}"),
        Column("end", False, f"when it ended: {_DATE_HELP}"),
        Column("description", False, "what it is for, in a sentence"),
        _SOURCE, _QUOTE,
    ),
    "events": (
        _ID,
        Column("name", True, "the event's name"),
        Column("type", True, "one of: " + ", ".join(EVENT_TYPES)),
        Column("date", False, f"when it began: {_DATE_HELP}"),
        Column("end_date", False, f"when it ended: {_DATE_HELP}"),
        Column("city", False, "where it took place (a known city, or a new one when country is given)"),
        Column("country", False, "the country it took place in: a name or ISO code"),
        Column("attendees", False, "organisations and persons who took part (names or ids)", many=True),
        Column("partnership", False, "the partnership it belongs to (a name or id)"),
        _SOURCE, _QUOTE,
    ),
    "flows": (
        _ID,
        Column("from", True, "who passed something on: an organisation or person (name or id)"),
        Column("to", True, "who received it: an organisation or person (name or id)"),
        Column("kind", True, "what flowed: a flow kind such as training, documents-tools, vision-strategy, practices, "
                             "funding (see `kgraph query names --format csv` for all)"),
        Column("status", False, "occurred (the default), planned or called-for"),
        Column("date", False, f"when: {_DATE_HELP}"),
        Column("event", False, "the event it happened at (a name or id)"),
        Column("partnership", False, "the partnership it belongs to (a name or id)"),
        Column("description", False, "what flowed, in a sentence (becomes the flow's label)"),
        _SOURCE, _QUOTE,
    ),
}


def header_comment(name: str) -> str:
    """The ``#`` lines that open template *name*: what it is and what each column holds."""
    lines = [f"# kgraph template: {name}.csv. Lines starting with # are ignored; keep the header row.",
             "# Several values in one cell are separated by ';'. Columns marked * are required."]
    for c in TEMPLATES[name]:
        mark = "*" if c.required else " "
        lines.append(f"# {mark} {c.name}: {c.help}" + (" (several: a;b)" if c.many else ""))
    return "\n".join(lines) + "\n"


def columns(name: str) -> list[str]:
    return [c.name for c in TEMPLATES[name]]


def template_for(stem: str) -> str | None:
    """The template a CSV file's name stands for: ``organisations.csv`` or ``my-organisations.csv``."""
    for name in TEMPLATES:
        if stem == name or stem.endswith(("-" + name, "_" + name)):
            return name
    return None


def template_text(name: str, rows: Iterable[dict[str, str]] = ()) -> str:
    """Template *name* as CSV text: header comments, header row, then *rows* (cells that a
    spreadsheet would run as formulas get a leading apostrophe, which the import removes)."""
    buf = io.StringIO()
    buf.write(header_comment(name))
    w = csv.DictWriter(buf, fieldnames=columns(name), lineterminator="\n")
    w.writeheader()
    w.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
    return buf.getvalue()
