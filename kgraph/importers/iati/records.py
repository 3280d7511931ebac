"""What an ``iati-activity`` element says, read into plain records (no graph, no index)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from rdflib import Literal

from kgraph.importers.iati.terms import LANG_TAG, XML_LANG, XSD


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
    """One ``transaction``, ``budget`` or ``planned-disbursement`` element (*element* says
    which); *n* is its 1-based position among those elements of the activity. Budgets and
    planned disbursements have no *type* but a period (*date* its start, *end* its end)."""

    n: int
    type: str | None
    date: str | None
    value: str | None
    currency: str | None
    provider: OrgRef | None
    receiver: OrgRef | None
    element: str = "transaction"
    end: str | None = None
    value_date: str | None = None
    descriptions: tuple[tuple[str, str], ...] = ()
    humanitarian: str | None = None
    types: tuple[tuple[str, str], ...] = ()  # (aid-type | flow-type | finance-type, code)
    budget_type: str | None = None  # budget: 1 original, 2 revised
    sectors: tuple[Sector, ...] = ()
    recipients: tuple[Recipient, ...] = ()  # the transaction's own recipient-country/-region


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
    classifications: tuple[tuple[str, str, str], ...]  # (element, vocabulary, code)
    reporting: OrgRef | None
    participants: tuple[tuple[str | None, OrgRef | None], ...]  # (role, organisation)
    transactions: tuple[Transaction, ...]
    related: tuple[tuple[str, str], ...]  # (type, ref)
    planned: tuple[Transaction, ...] = ()  # budgets, then planned disbursements
    recipients: tuple[Recipient, ...] = ()  # recipient-country and recipient-region, in file order
    sectors: tuple[Sector, ...] = ()
    humanitarian: str | None = None
    types: tuple[tuple[str, str], ...] = ()  # (aid-type | flow-type | finance-type, code): the defaults


@dataclass(frozen=True)
class Recipient:
    """One ``recipient-country`` or ``recipient-region`` element (*element* says which): its
    code (a country's upper-cased), vocabulary (regions; default 1, OECD-DAC) and percentage."""

    element: str
    code: str
    vocabulary: str = "1"
    percentage: str | None = None


@dataclass(frozen=True)
class Sector:
    """One ``sector`` element: vocabulary (default 1), code, percentage and narratives."""

    vocabulary: str
    code: str
    percentage: str | None
    narratives: tuple[tuple[str, str], ...]


def activity_record(elem: ET.Element, file_lang: str) -> Activity:
    """Read an ``iati-activity`` element; *file_lang* is the language narratives default to."""
    lang = lang_tag(elem.get(XML_LANG), file_lang)
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
        classifications=classifications,
        reporting=_org(elem.find("reporting-org"), lang, ("reporting-org", 0)),
        participants=tuple((_attr(p, "role"), _org(p, lang, ("participating-org", k)))
                           for k, p in enumerate(elem.findall("participating-org"))),
        transactions=tuple(_transaction(t, n, lang) for n, t in enumerate(elem.findall("transaction"), 1)),
        related=tuple((_attr(r, "type") or "", _attr(r, "ref") or "") for r in elem.findall("related-activity")),
        planned=tuple(_planned(elem, lang)),
        recipients=_recipients(elem),
        sectors=_sectors(elem, lang),
        humanitarian=_attr(elem, "humanitarian"),
        types=_types(elem, "default-"),
    )


def _sectors(elem: ET.Element, lang: str) -> tuple[Sector, ...]:
    return tuple(Sector(_attr(e, "vocabulary") or "1", _attr(e, "code") or "", _attr(e, "percentage"),
                        _narratives(e, lang)) for e in elem.findall("sector"))


def _recipients(elem: ET.Element) -> tuple[Recipient, ...]:
    """*elem*'s ``recipient-country`` and ``recipient-region`` children, in file order (a country
    without a code is left out, as the schema requires one)."""
    out = []
    for e in elem:
        if e.tag == "recipient-country" and (code := _attr(e, "code")):
            out.append(Recipient(e.tag, code.upper(), percentage=_attr(e, "percentage")))
        elif e.tag == "recipient-region":
            out.append(Recipient(e.tag, _attr(e, "code") or "", _attr(e, "vocabulary") or "1", _attr(e, "percentage")))
    return tuple(out)


def _types(elem: ET.Element, prefix: str) -> tuple[tuple[str, str], ...]:
    """(aid-type | flow-type | finance-type, code) of *elem*'s ``<prefix>aid-type`` etc. children; an
    aid type in a vocabulary other than the OECD-DAC one (1) is ``vocabulary:code``."""
    return tuple((what, code if (_attr(e, "vocabulary") or "1") == "1" else f"{_attr(e, 'vocabulary')}:{code}")
                 for what in ("aid-type", "flow-type", "finance-type")
                 for e in elem.findall(prefix + what) if (code := _attr(e, "code")))


def _planned(elem: ET.Element, lang: str):
    """Budgets and planned disbursements as transactions with a period and no type."""
    for tag in ("budget", "planned-disbursement"):
        for n, b in enumerate(elem.findall(tag), 1):
            value = b.find("value")
            yield Transaction(
                n=n, type=None, date=_attr(b.find("period-start"), "iso-date"), value=_text(value),
                currency=_attr(value, "currency"), element=tag, end=_attr(b.find("period-end"), "iso-date"),
                value_date=_attr(value, "value-date"),
                provider=_org(b.find("provider-org"), lang, (f"{tag}/provider-org", n)),
                receiver=_org(b.find("receiver-org"), lang, (f"{tag}/receiver-org", n)),
                budget_type=_attr(b, "type") if tag == "budget" else None)


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
        value_date=_attr(value, "value-date"),
        descriptions=tuple(n for d in elem.findall("description") for n in _narratives(d, lang)),
        humanitarian=_attr(elem, "humanitarian"),
        types=_types(elem, ""),
        sectors=_sectors(elem, lang),
        recipients=_recipients(elem),
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
    return tuple((text, lang_tag(n.get(XML_LANG), lang)) for n in elem.findall("narrative")
                 if (text := (n.text or "").strip()))


def lang_tag(value: str | None, default: str) -> str:
    """A usable language tag: *value* lower-cased if it is one, else *default*."""
    value = (value or "").strip()
    return value.lower() if LANG_TAG.fullmatch(value) else default


def _attr(elem: ET.Element | None, name: str) -> str | None:
    value = (elem.get(name) or "").strip() if elem is not None else ""
    return value or None


def _text(elem: ET.Element | None) -> str | None:
    value = (elem.text or "").strip() if elem is not None else ""
    return value or None


def english_first(names: Sequence[tuple[str, str]]) -> str | None:
    """The first English name, else the first name (whitespace collapsed)."""
    chosen = next((n for n, lang in names if lang == "en"), names[0][0] if names else None)
    return " ".join(chosen.split()) if chosen else None


def date_literal(value: str | None) -> Literal | None:
    """An xsd:date literal from an ISO date or date-time (its date part), else None."""
    try:
        return Literal(date.fromisoformat((value or "").strip()[:10]).isoformat(), datatype=XSD.date)
    except ValueError:
        return None


def decimal(value: str | None) -> Decimal | None:
    try:
        number = Decimal((value or "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None

