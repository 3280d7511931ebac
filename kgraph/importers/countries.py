"""Country names as people write them, in English and French, to ISO 3166-1 alpha-2 codes.

The names come from pycountry (the ISO 3166 database Debian's iso-codes package maintains):
each country's ISO name, official name and common name, their French translations from
iso-codes' own ``fr`` catalogue, and the short form before a comma when it is unique
("Tanzania, United Republic of" -> "Tanzania"; "Korea, ..." is shared by two countries and is
left out). ``ALIASES`` adds the short forms and abbreviations in everyday use that none of
those give; it was written by hand for kgraph from common usage in English and French
(CLDR's "short" and "variant" territory names, unicode.org, list most of them too).

>>> iso_code("Royaume-Uni"), iso_code("UK"), iso_code("tanzania"), iso_code("Cameroun")
('GB', 'GB', 'TZ', 'CM')
>>> iso_code("Atlantis") is None
True
"""

from __future__ import annotations

from functools import cache

from kgraph.importers.matching import normalise

#: Everyday names pycountry does not derive -> ISO code (hand-written; see the module docstring).
ALIASES = {
    "UK": "GB", "U.K.": "GB", "Great Britain": "GB", "Britain": "GB", "England": "GB", "Scotland": "GB",
    "Wales": "GB", "Northern Ireland": "GB", "Grande-Bretagne": "GB", "Angleterre": "GB", "Écosse": "GB",
    "USA": "US", "U.S.A.": "US", "US": "US", "U.S.": "US", "United States of America": "US", "America": "US",
    "Etats-Unis d'Amérique": "US", "EUA": "US",
    "Russia": "RU", "Russie": "RU", "Syria": "SY", "Syrie": "SY",
    "South Korea": "KR", "Republic of Korea": "KR", "Corée du Sud": "KR",
    "North Korea": "KP", "Corée du Nord": "KP",
    "DRC": "CD", "DR Congo": "CD", "D.R. Congo": "CD", "Democratic Republic of Congo": "CD",
    "Democratic Republic of the Congo": "CD", "Congo-Kinshasa": "CD", "RDC": "CD", "RD Congo": "CD",
    "République démocratique du Congo": "CD",
    "Republic of the Congo": "CG", "Congo-Brazzaville": "CG", "Congo Brazzaville": "CG",
    "Ivory Coast": "CI", "Côte d'Ivoire": "CI", "Cote d'Ivoire": "CI",
    "Laos": "LA", "Vietnam": "VN", "Viet Nam": "VN", "Viêt Nam": "VN", "Vietnam (Viêt Nam)": "VN",
    "Bolivia": "BO", "Bolivie": "BO", "Venezuela": "VE", "Vénézuela": "VE",
    "Tanzania": "TZ", "Tanzanie": "TZ", "Iran": "IR", "Moldova": "MD", "Moldavie": "MD",
    "Czech Republic": "CZ", "Czechia": "CZ", "République tchèque": "CZ", "Tchéquie": "CZ",
    "Holland": "NL", "The Netherlands": "NL", "Hollande": "NL",
    "Burma": "MM", "Birmanie": "MM", "East Timor": "TL", "Timor oriental": "TL",
    "Swaziland": "SZ", "Macedonia": "MK", "North Macedonia": "MK", "Macédoine": "MK",
    "Cape Verde": "CV", "Cap-Vert": "CV", "The Gambia": "GM", "Gambie": "GM",
    "Palestine": "PS", "Vatican": "VA", "Brunei": "BN", "Micronesia": "FM", "Turkey": "TR", "Türkiye": "TR",
    "Turquie": "TR", "Taiwan": "TW", "Taïwan": "TW", "Hong Kong": "HK", "Macau": "MO", "Macao": "MO",
    "Kosovo": "XK", "Sénégal": "SN", "Maroc": "MA", "Haïti": "HT", "Bénin": "BJ", "Pérou": "PE",
}


@cache
def _table() -> dict[str, str]:
    """normalised name -> ISO code, from pycountry (EN and FR) and ALIASES."""
    import gettext

    import pycountry

    try:
        french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"]).gettext
    except OSError:  # a pycountry without its catalogues: English names only
        french = str
    names: dict[str, set[str]] = {}
    for c in pycountry.countries:
        english = [c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)]
        for name in [*english, *(french(n) for n in english if n)]:
            for form in (name, name.split(",")[0]) if name else ():
                names.setdefault(normalise(form), set()).add(c.alpha_2)
    table = {key: next(iter(codes)) for key, codes in names.items() if key and len(codes) == 1}
    table.update({normalise(name): code for name, code in ALIASES.items()})
    return table


def iso_code(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country *name* (English or French, any case or
    accents, an everyday short form, or the code itself); None when it names no country."""
    import pycountry

    key = normalise(name)
    if key.isalpha() and len(key) in (2, 3):
        found = pycountry.countries.get(**{f"alpha_{len(key)}": key.upper()})
        if found is not None:
            return found.alpha_2
    return _table().get(key)
