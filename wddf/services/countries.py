"""Countries, with names localised through pycountry."""

from __future__ import annotations

import gettext
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

import pycountry
from babel.languages import get_official_languages
from sqlalchemy import select
from sqlalchemy.orm import Session

from wddf.i18n import babel_locale
from wddf.storage.tables import Country

# English short names where ISO's reads "Congo, The Democratic Republic of the".
ENGLISH_SHORT = {
    "COD": "DR Congo",
    "COG": "Republic of the Congo",
    "VEN": "Venezuela",
    "TZA": "Tanzania",
    "CIV": "Côte d'Ivoire",
}


@cache
def _first_zones() -> dict[str, str]:
    """The first zone tzdata's ``zone.tab`` lists for each ISO 3166 alpha-2 code."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    first: dict[str, str] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, _, zone = line.split("\t")[:3]
            first.setdefault(code, zone)
    return first


@cache
def time_zone(iso3: str) -> ZoneInfo:
    """The country's clock, by which a panel session's or the workshop's day is read: the first
    zone tzdata lists for it (the capital's where there are several, e.g. Africa/Kinshasa for
    the DR Congo); UTC for a code it does not know."""
    record = pycountry.countries.get(alpha_3=iso3)
    zone = _first_zones().get(record.alpha_2) if record is not None else None
    return ZoneInfo(zone or "UTC")


def working_language(iso3: str, offered: tuple[str, ...] = ("en", "fr", "pt")) -> str:
    """The first of the country's official languages (CLDR, through Babel) among ``offered``:
    French for the DR Congo, Portuguese for Angola; the first offered when none is."""
    record = pycountry.countries.get(alpha_3=iso3)
    official = get_official_languages(record.alpha_2) if record is not None else ()
    return next((lang for lang in official if lang in offered), offered[0])


@cache
def _translation(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_label(iso3: str, lang: str = "en") -> str:
    """The country's name in ``lang`` with its code, as choosers show it: "Sierra Leone (SLE)"."""
    return f"{country_name(iso3, lang)} ({iso3})"


def country_name(iso3: str, lang: str = "en") -> str:
    """The country's common name in ``lang`` (English when no translation exists)."""
    record = pycountry.countries.get(alpha_3=iso3)
    if record is None:
        return iso3
    if lang == "en":
        return ENGLISH_SHORT.get(iso3) or getattr(record, "common_name", None) or record.name
    return _translation(lang).gettext(record.name)


# The regions countries are stored with, as UN M49 codes, whose names Babel gives in each language.
REGION_CODES = {
    "Central Africa": "017",  # M49's Middle Africa
    "East Africa": "014",
    "South America": "005",
    "Southern Africa": "018",
    "West Africa": "011",
}


def region_name(region: str, lang: str = "en") -> str:
    """A region's name in ``lang`` (UN M49, through Babel); a region not in ``REGION_CODES`` as
    it is stored."""
    code = REGION_CODES.get(region)
    if code is None:
        return region
    return babel_locale(lang).territories.get(code, region)


def language_name(code: str, lang: str = "en") -> str:
    """A language's name in ``lang`` ("français", "inglês"), through Babel."""
    return babel_locale(lang).languages.get(code, code)


def countries(session: Session) -> list[Country]:
    """Every country known to the tool, by ISO3 code."""
    return list(session.scalars(select(Country).order_by(Country.iso3)))
