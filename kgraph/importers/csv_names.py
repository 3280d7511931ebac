"""Pass 2 of `kgraph import csv`: IRIs for every row and the names rows use for one another.

Each row gets its resource's IRI (one the graph already has, matched by id or name, or a new
stable one); then names in cells (a flow's ``from``, a partnership's ``partners``) resolve
against the other files and the graph being extended, with suggestions for near misses.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef

from kgraph.importers.csv_rows import GROUP, NAMESPACE, Reader, Row, ns
from kgraph.importers.matching import slugify
from kgraph.namespaces import compact

def mint(reader: Reader) -> None:
    """Give every row but the flows its IRI (an existing resource's, or a new stable one) and
    register its names; flows get theirs one by one from :func:`mint_flow`, after these."""
    seen: dict[tuple[str, str], Row] = {}
    for row in reader.rows:
        if row.template == "flows" or not _mint_resource(reader, row):
            continue
        key = (row.template, str(row.iri))
        if key in seen:
            column = "id" if row.get("id") else "name"
            reader.problem(row, "", None, column, f"duplicate: row {seen[key].line} already describes "
                                                  f"{compact(str(row.iri))}; merge the rows or give them different ids")
            continue
        seen[key] = row
    for row in reader.rows:
        if row.template != "flows" and row.iri is not None and not row.existing:
            names = [row.get("name"), row.get("name_fr"), row.get("title"), row.get("iati_id"), *row.many("other_names")]
            reader.index.add(str(row.iri), GROUP[row.template], [n for n in names if n])


def _mint_resource(reader: Reader, row: Row) -> bool:
    """Set the IRI of a row that is not a flow: by its id, else a match by name (or IATI id),
    else a new one from its name. False when the name matches several resources."""
    group = GROUP[row.template]
    name = row.get("title") if row.template == "sources" else row.get("name")
    if row.get("id"):
        row.iri = ns(NAMESPACE[row.template], row.get("id"))
        known = reader.index.groups.get(str(row.iri))
        row.existing = known == group
        if known and not row.existing:
            reader.problem(row, "", None, "id", f"{compact(str(row.iri))} already names a {known} in the graph; "
                                                "give this row a different id")
        return True
    found = reader.index.lookup(name, group) if row.template != "sources" else set()
    if row.template == "organisations" and not found and row.get("iati_id"):
        found = reader.index.lookup(row.get("iati_id"), group)
    if len(found) > 1:
        reader.problem(row, "", None, "name", f"{name!r} names {len(found)} {group}s in the graph ("
                       + ", ".join(sorted(compact(f) for f in found)) + "); give the id of the one you mean")
        return False
    if found:
        row.iri, row.existing = URIRef(next(iter(found))), True
        return True
    row.iri = ns(NAMESPACE[row.template], slugify(name))
    if reader.index.known(str(row.iri)):
        reader.problem(row, "", None, "name", f"{compact(str(row.iri))} already names another "
                       f"{reader.index.groups[str(row.iri)]} in the graph; give this row an id")
    return True


def mint_flow(reader: Reader, row: Row) -> None:
    """A flow gets its id, or a slug of from, to and kind numbered on when repeated."""
    if row.get("id"):
        local = row.get("id")
    else:
        base = slugify(f"{row.get('from')} {row.get('to')} {row.get('kind')}", max_length=80)
        reader.flow_slugs[base] = reader.flow_slugs.get(base, 0) + 1
        local = base if reader.flow_slugs[base] == 1 else f"{base}-{reader.flow_slugs[base]}"
    row.iri = ns("cedflow", local)
    if str(row.iri) in reader.flow_iris or reader.index.known(str(row.iri)):
        reader.problem(row, "", None, "id", f"duplicate: {compact(str(row.iri))} is already used; "
                                            "give this flow a different id")
    reader.flow_iris.add(str(row.iri))


def resolve(reader: Reader, row: Row, column: str, value: str, *groups: str, what: str) -> URIRef | None:
    found = reader.index.lookup(value, *groups)
    if len(found) == 1:
        return URIRef(next(iter(found)))
    if found:
        reader.problem(row, "", None, column, f"{value!r} names {len(found)} {what}s ("
                       + ", ".join(sorted(compact(f) for f in found)) + "); use the id instead")
        return None
    close = reader.index.suggest(value, *groups)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    reader.problem(row, "", None, column, f"no {what} named {value!r} in these files or the graph; "
                                          f"add it to {_file_for(groups)} or fix the name.{hint}")
    return None


def link(g, reader: Reader, row: Row, column: str, prop: URIRef, *groups: str, what: str) -> None:
    """Link the row's resource with *prop* to what its optional *column* names, if it names anything."""
    if row.get(column):
        target = resolve(reader, row, column, row.get(column), *groups, what=what)
        if target is not None:
            g.add((row.iri, prop, target))


def _file_for(groups: Iterable[str]) -> str:
    files = {"organisation": "organisations.csv", "person": "persons.csv", "event": "events.csv",
             "partnership": "partnerships.csv", "source": "sources.csv", "place": "organisations.csv or events.csv",
             "flow kind": "the flow-kind vocabulary", "role": "persons.csv"}
    return " or ".join(dict.fromkeys(files[g] for g in groups))

