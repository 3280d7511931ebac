"""Provider and receiver of a transaction, budget or planned disbursement: as the element
names them, else by the standard's reading, with a note per rule used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import URIRef

from kgraph.importers.iati.records import Activity, Transaction
from kgraph.importers.iati.terms import INCOMING_TYPES

if TYPE_CHECKING:
    from kgraph.importers.iati.state import Import, Place

#: The notes that say which rule supplied a missing end of a transaction.
RULES = {
    ("provider", "reporting"): "provider-org not given: the reporting organisation taken as provider "
                               "(it reports money it moved)",
    ("provider", "funding"): "provider-org not given: the activity's funding organisation taken as provider "
                             "(incoming funds come from the funder)",
    ("receiver", "reporting"): "receiver-org not given: the reporting organisation taken as receiver "
                               "(it reports money it received)",
    ("receiver", "implementing"): "receiver-org not given: the activity's implementing organisation taken as "
                                  "receiver (a disbursement or expenditure goes to the implementer)",
}


def ends(state: Import, rec: Activity, tx: Transaction, reporting: URIRef | None, place: Place,
         line: int) -> tuple[URIRef | None, URIRef | None]:
    """Provider and receiver of *tx*: as named, else by the standard's reading. Incoming
    transactions come from the activity's funder (role 1) to the reporting organisation; all
    others (budgets and planned disbursements too) go from the reporting organisation to the
    implementer (role 4). A rule applies only when the activity names exactly one organisation
    in that role; each use is noted (for budgets and planned disbursements, prefixed so)."""
    found = {"provider": state.organisations.iri(tx.provider, place) if tx.provider else None,
             "receiver": state.organisations.iri(tx.receiver, place) if tx.receiver else None}
    incoming = tx.element == "transaction" and tx.type in INCOMING_TYPES
    fallback = {"provider": "funding" if incoming else "reporting",
                "receiver": "reporting" if incoming else "implementing"}
    prefix = "" if tx.element == "transaction" else f"{tx.element}: "
    used = []
    for end, rule in fallback.items():
        if found[end] is not None:
            continue
        if rule == "reporting":
            found[end] = reporting
        else:
            named = _in_role(rec, rule)
            found[end] = state.organisations.iri(named[0], place) if len(named) == 1 else None
        if found[end] is not None:
            used.append((end, rule))
        else:
            many = "several" if rule != "reporting" and len(_in_role(rec, rule)) > 1 else "no"
            state.notes.add(place.path, line, f"skipped a {tx.element} without {end}-org: the activity has {many} "
                                              f"{rule} organisation{'s' if many == 'several' else ''} to take instead")
    if prefix and len(used) == 2:
        state.notes.add(place.path, line, f"{prefix}from the reporting organisation to the activity's implementing "
                                          "organisation (the standard's reading when it names neither)")
    else:
        for end, rule in used:
            state.notes.add(place.path, line, prefix + RULES[(end, rule)])
    return found["provider"], found["receiver"]


def _in_role(rec: Activity, rule: str) -> list:
    """The distinct organisations the activity names in the role a rule takes from."""
    code = "1" if rule == "funding" else "4"
    return list({(org.ref, org.names): org for role, org in rec.participants
                 if org is not None and role == code}.values())
