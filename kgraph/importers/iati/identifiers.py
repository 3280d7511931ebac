"""What an IATI organisation identifier says: whether it identifies anyone, and the country.

An organisation identifier is ``<registration agency>-<number in its register>``; the IATI
OrganisationRegistrationAgency codelist gives each agency's country (``GB-COH-01683270`` is
registered at Companies House, in GB; ``CA-CRA_ACR-…`` with the Canada Revenue Agency). Legacy
identifiers (``CA-3``, ``NL-1``) start with the country's ISO code; ``XM-DAC-<code>-…`` names a
DAC member's agencies by its OECD-DAC donor code. Publishers also write placeholders that
identify no one: DAC channel codes as refs (``22000``) and generic descriptions as names
("Donor country-based NGO"); those must never be matched, or every NGO of a file becomes one hub.

>>> country_of("GB-COH-01683270"), country_of("CA-3"), country_of("XM-DAC-301-1"), country_of("XM-DAC-41114")
('GB', 'CA', 'CA', None)
>>> usable_ref("22000"), usable_ref("NL-KVK-41150298")
(None, 'NL-KVK-41150298')
>>> placeholder_name("DEVELOPING COUNTRY-BASED NGO"), placeholder_name("Oxfam Novib")
(True, False)
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from kgraph.importers.matching import normalise

#: OECD-DAC donor codes of DAC members (the DAC/CRS code list), as ``XM-DAC-<code>`` uses them.
DAC_DONORS = {"1": "AT", "2": "BE", "3": "DK", "4": "FR", "5": "DE", "6": "IT", "7": "NL", "8": "NO", "9": "PT",
              "10": "SE", "11": "CH", "12": "GB", "18": "FI", "301": "CA", "302": "US", "701": "JP", "801": "AU",
              "820": "NZ"}
#: Names that describe a kind of organisation rather than name one: the IATI OrganisationType
#: names and the OECD-DAC channel categories publishers write in their place.
PLACEHOLDER_NAMES = frozenset(normalise(n) for n in (
    "Government", "Local Government", "Other Public Sector", "International NGO", "National NGO", "Regional NGO",
    "Partner Country based NGO", "Public Private Partnership", "Multilateral", "Foundation", "Private Sector",
    "Private Sector in Provider Country", "Private Sector in Aid Recipient Country", "Private Sector in Third Country",
    "Academic, Training and Research", "Other", "Donor country-based NGO", "Developing country-based NGO",
    "Developing country-based NGO group", "Donor country-based NGO group", "Recipient country-based NGO",
    "NGOs and civil society", "Non-governmental organisations (NGOs) and civil society", "Public sector institutions",
    "Donor government", "Recipient government", "Third country government", "Private sector institutions",
    "Private sector institution", "Unknown", "Not applicable", "N/A", "TBD", "To be determined", "Various",
    "Multiple", "Several", "Anonymous", "Confidential", "Undisclosed", "Individuals", "Consultants", "NGO"))
_ISO = re.compile(r"^([A-Z]{2})-[A-Za-z0-9]")
_NON_COUNTRY = {"XM", "XI", "XR", "XX"}


@cache
def _agencies() -> tuple[tuple[str, str], ...]:
    """(agency code, country), longest code first (registration_agencies.csv, from the codelist)."""
    with open(Path(__file__).with_name("registration_agencies.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    return tuple(sorted(((r["code"], r["country"]) for r in rows), key=lambda r: -len(r[0])))


def country_of(ref: str | None) -> str | None:
    """The ISO country code an organisation identifier says its organisation is registered in."""
    ref = (ref or "").strip()
    upper = ref.upper()
    for code, country in _agencies():
        if upper.startswith(code.upper() + "-"):
            return country
    parts = upper.split("-")
    if len(parts) >= 3 and parts[:2] == ["XM", "DAC"]:
        return DAC_DONORS.get(parts[2])
    m = _ISO.match(upper)
    return m.group(1) if m and m.group(1) not in _NON_COUNTRY else None


def usable_ref(ref: str | None) -> str | None:
    """*ref* when it can identify an organisation (an agency prefix and a number), else None:
    bare numbers such as DAC channel codes (``22000``) and words without a prefix are not."""
    ref = (ref or "").strip()
    if not ref or "-" not in ref or ref.replace("-", "").isdigit():
        return None
    return ref


def placeholder_name(name: str) -> bool:
    """True for a name that describes a kind of organisation instead of naming one."""
    return normalise(name) in PLACEHOLDER_NAMES
