"""Every state of the COW state system and of Gleditsch and Ward's list, and the crosswalk from
(data set, code, period) to relgraph's entities.

The rule (README, "The world layer"): a COW code denotes one entity, named after COW's name for
it (``rgid:`` plus the name in lower case with hyphens: COW 2 "United States of America" is
``rgid:united-states-of-america``), for all its spells; a GW code denotes the entity of the same
COW code while COW has it, else an entity named after GW's name. The hand-written, sourced table
``graph/datasets/crosswalk.csv`` overrides the rule for a code over a period: COW and GW code 365
as one state from 1816, relgraph (as Wikidata) keeps the Russian Empire, the Russian SFSR, the
USSR and the Russian Federation apart; GW codes united Germany 260 and united Yemen 678; COW's
Yugoslavia (345) runs on as Serbia. A data set's spell that the crosswalk splits becomes one
state-system claim per entity, each citing the data set and the crosswalk's source.

A list's last day is its release's censoring day (COW 2016-12-31, the GW copy 2017-12-31): a spell
reaching it is open (no ``rg:end``) and confirmed until that day (the source's rg:coverageEnd).

ISO 3166-1 codes and names (English, and Russian from the iso-codes translations) come from
pycountry, matched by name; ISO 3166-3 codes of former states likewise. A name pycountry does not
know gets no ISO code (unknown stays out).
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pycountry

from relgraph.world.rfiles import r_date, read_csv_rows, read_r_table, whole

__all__ = ["COW_STATES_FILE", "GW_STATES_FILE", "CROSSWALK_FILE", "Spell", "Override", "first_day", "last_day", "slug", "state_tables"]

COW_STATES_FILE = "svmiller+peacesciencer/data/cow_states.rda"
GW_STATES_FILE = "svmiller+peacesciencer/data/gw_states.rda"
CROSSWALK_FILE = "crosswalk.csv"
COW_SOURCE = "rgid:dataset-cow-states-2016"
GW_SOURCE = "rgid:dataset-gw-states-2017"
ISO_SOURCE = "rgid:dataset-pycountry-26-2-16"
COW_CENSOR = dt.date(2016, 12, 31)
GW_CENSOR = dt.date(2017, 12, 31)

# COW and GW names that pycountry does not find by name, → the ISO 3166-1 alpha-3 code of the same
# country (current states) or the ISO 3166-3 code (former states). Only unambiguous cases.
_ISO_BY_NAME = {
    "Bosnia and Herzegovina": "BIH", "Cape Verde": "CPV", "Democratic Republic of the Congo": "COD",
    "Congo": "COG", "Ivory Coast": "CIV", "East Timor": "TLS", "Swaziland": "SWZ", "Macedonia": "MKD",
    "Russia": "RUS", "Iran": "IRN", "Syria": "SYR", "Vietnam": "VNM", "Laos": "LAO", "Moldova": "MDA",
    "Tanzania": "TZA", "Bolivia": "BOL", "Venezuela": "VEN", "South Korea": "KOR", "North Korea": "PRK",
    "Taiwan": "TWN", "Czech Republic": "CZE", "United States of America": "USA", "United Kingdom": "GBR",
    "Turkey": "TUR", "Brunei": "BRN", "Myanmar": "MMR", "Micronesia": "FSM", "Federated States of Micronesia": "FSM",
    "St. Kitts and Nevis": "KNA", "St. Lucia": "LCA", "St. Vincent and the Grenadines": "VCT",
    "Sao Tome and Principe": "STP", "Kosovo": None, "Gambia": "GMB", "Bahamas": "BHS", "Antigua & Barbuda": "ATG",
}
_ISO3_BY_NAME = {"Czechoslovakia": "CSHH", "German Democratic Republic": "DDDE", "Yugoslavia": "YUCS", "Union of Soviet Socialist Republics": "SUHH", "Yemen People's Republic": "YDYE", "Republic of Vietnam": None}


@dataclass(frozen=True)
class Spell:
    """One spell of a state in a state system, as the data set gives it."""

    code: int
    abbreviation: str
    name: str
    start: dt.date
    end: dt.date  # the data set's last day (its censoring day when still in the system)


@dataclass(frozen=True)
class Override:
    """One row of the crosswalk table: a code of a list denotes *entity* from *start* to *end*."""

    code_list: str
    code: int
    start: str  # as the source gives it: YYYY, YYYY-MM or YYYY-MM-DD; empty: from the list's start
    end: str
    entity: str
    label: str
    sources: tuple[str, ...]
    note: str
    line: int


def slug(name: str) -> str:
    """An entity's local name from a data set's name for it.

    Args:
        name: "United States of America", "Germany (Prussia)", "Vietnam, Democratic Republic of".

    Returns:
        Lower case ASCII with hyphens, without parenthesised parts: "united-states-of-america".
    """
    text = re.sub(r"\([^)]*\)", "", name)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def first_day(text: str) -> dt.date:
    """The first day of a date written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    parts = [int(p) for p in text.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def last_day(text: str) -> dt.date:
    """The last day of a date written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31)


def cow_spells(datasets: Path) -> list[Spell]:
    """The COW state system's spells, in the file's order.

    Raises:
        InputError: The file cannot be read.
    """
    frame = read_r_table(datasets / COW_STATES_FILE, "cow_states", f"graph/datasets/{COW_STATES_FILE}")
    return [
        Spell(whole(r.ccode), r.stateabb, r.statenme, dt.date(whole(r.styear), whole(r.stmonth), whole(r.stday)), dt.date(whole(r.endyear), whole(r.endmonth), whole(r.endday)))
        for r in frame.itertuples()
    ]


def gw_spells(datasets: Path) -> list[Spell]:
    """Gleditsch and Ward's spells, dates from R ``Date`` days.

    Raises:
        InputError: The file cannot be read.
    """
    frame = read_r_table(datasets / GW_STATES_FILE, "gw_states", f"graph/datasets/{GW_STATES_FILE}")
    return [Spell(whole(r.gwcode), r.stateabb, r.statename, r_date(r.startdate), r_date(r.enddate)) for r in frame.itertuples()]


def read_overrides(datasets: Path) -> list[Override]:
    """The crosswalk table's rows.

    Raises:
        InputError: The table cannot be read.
    """
    rows = read_csv_rows(datasets / CROSSWALK_FILE, f"graph/datasets/{CROSSWALK_FILE}")
    return [
        Override(r["code_list"], int(r["code"]), r["start"], r["end"], r["entity"], r["label"], tuple(f"rgid:{s}" for s in r["source"].split("|")), r["note"], line)
        for line, r in enumerate(rows, start=2)
    ]


def _iso(name: str):
    if name in _ISO3_BY_NAME:
        code = _ISO3_BY_NAME[name]
        return (None, pycountry.historic_countries.get(alpha_4=code)) if code else (None, None)
    if name in _ISO_BY_NAME:
        code = _ISO_BY_NAME[name]
        return (pycountry.countries.get(alpha_3=code), None) if code else (None, None)
    try:
        return pycountry.countries.lookup(name), None
    except LookupError:
        pass
    try:
        return None, pycountry.historic_countries.lookup(name)
    except LookupError:
        return None, None


def _russian(name: str) -> str | None:
    try:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    except OSError:
        return None
    text = translation.gettext(name)
    return text if text != name else None


def _pieces(spell: Spell, overrides: list[Override], default: str) -> Iterable[tuple[dt.date, dt.date, str, Override | None]]:
    """Split a spell by the crosswalk's periods: (start, end, entity, override or None)."""
    cuts = []
    for o in overrides:
        start = first_day(o.start) if o.start else dt.date.min
        end = last_day(o.end) if o.end else dt.date.max
        lo, hi = max(start, spell.start), min(end, spell.end)
        if lo <= hi:
            cuts.append((lo, hi, o.entity, o))
    if not cuts:
        yield spell.start, spell.end, default, None
        return
    cuts.sort(key=lambda c: c[0])
    for lo, hi, entity, o in cuts:
        yield lo, hi, entity, o


def _iso_date(day: dt.date) -> str:
    return day.isoformat()


def state_tables(datasets: Path) -> dict[str, list[dict[str, str]]]:
    """Build the rows of the ``states``, ``state-system`` and ``codes`` tables.

    Args:
        datasets: The ``graph/datasets/`` folder.

    Returns:
        Table name → rows (column → cell), in a stable order.

    Raises:
        InputError: A file cannot be read.
    """
    cow, gw, overrides = cow_spells(datasets), gw_spells(datasets), read_overrides(datasets)
    by_list: dict[tuple[str, int], list[Override]] = {}
    for o in overrides:
        by_list.setdefault((o.code_list, o.code), []).append(o)
    cow_entity = {s.code: slug(s.name) for s in cow}
    entities: dict[str, dict[str, object]] = {}

    def entity(name: str, label: str, source: str) -> dict[str, object]:
        row = entities.setdefault(name, {"label": label, "sources": set(), "cow": set(), "cow_abb": set(), "gw": set(), "notes": set()})
        row["sources"].add(source)
        return row

    system_rows: list[dict[str, str]] = []
    code_rows: dict[str, dict[str, str]] = {}

    def add_codes(code_list: str, code: int, abbreviation: str | None, abb_list: str, pieces, spell_source: str) -> None:
        for lo, hi, name, override in pieces:
            whole_list = override is None
            sources = override.sources if override else (spell_source,)
            key = f"rgid:code-{code_list}-{code}-{name}"
            row = code_rows.setdefault(key, {"id": key, "type": "rg:CodeAssignment", "code_list": f"rgv:{code_list}", "code": str(code), "denotes": f"rgid:{name}", "rank": "wikibase:NormalRank", "source": "|".join(sources), "note": override.note if override else ""})
            if not whole_list:
                row["start"], row["end"] = override.start, override.end
            if abbreviation:
                akey = f"rgid:code-{abb_list}-{abbreviation}-{name}"
                code_rows.setdefault(akey, {"id": akey, "type": "rg:CodeAssignment", "code_list": f"rgv:{abb_list}", "code": abbreviation, "denotes": f"rgid:{name}", "rank": "wikibase:NormalRank", "source": spell_source, "start": row.get("start", ""), "end": row.get("end", "")})

    for system, spells, code_list, abb_list, source, censor in (("cow", cow, "cow-ccode", "cow-stateabb", COW_SOURCE, COW_CENSOR), ("gw", gw, "gw-code", "gw-stateid", GW_SOURCE, GW_CENSOR)):
        for spell in spells:
            if system == "cow":
                default = cow_entity[spell.code]
            else:
                default = cow_entity.get(spell.code) if any(c.code == spell.code and c.start <= spell.end and spell.start <= c.end for c in cow) else None
                default = default or slug(spell.name)
            pieces = list(_pieces(spell, by_list.get((code_list, spell.code), []), default))
            add_codes(code_list, spell.code, spell.abbreviation, abb_list, pieces, source)
            for lo, hi, name, override in pieces:
                label = override.label if override else (spell.name if system == "cow" or name not in cow_entity.values() else entities.get(name, {}).get("label", spell.name))
                row = entity(name, label, source)
                (row["cow"] if system == "cow" else row["gw"]).add(str(spell.code))
                if system == "cow":
                    row["cow_abb"].add(spell.abbreviation)
                claim = f"rgid:ssm-{system}-{spell.code}-{name}-{lo.isoformat()}"
                sources = [source, *(override.sources if override else ())]
                note = ""
                if override and (lo, hi) != (spell.start, spell.end):
                    note = f"{system.upper()} codes one spell of code {spell.code} from {spell.start.isoformat()} to {spell.end.isoformat()}; split by the crosswalk (graph/datasets/crosswalk.csv, line {override.line})."
                start_text, end_text = lo.isoformat(), "" if hi >= censor else hi.isoformat()
                if override and override.start and lo == first_day(override.start):
                    start_text = override.start  # the precision the crosswalk's source gives
                if override and override.end and hi == last_day(override.end):
                    end_text = override.end
                system_rows.append({
                    "id": claim, "type": "rg:StateSystemMembership", "state": f"rgid:{name}", "system": f"rgid:state-system-{system}",
                    "start": start_text, "end": end_text,
                    "rank": "wikibase:NormalRank", "source": "|".join(dict.fromkeys(sources)),
                    "locator": f"{'ccode' if system == 'cow' else 'gwcode'} {spell.code}, spell from {spell.start.isoformat()}", "note": note,
                })

    state_rows = []
    for name in sorted(entities):
        info = entities[name]
        label = str(info["label"])
        country, former = _iso(label)
        row = {
            "id": f"rgid:{name}", "type": "rg:State", "label": label,
            "cow_code": "|".join(sorted(info["cow"], key=int)), "cow_abbreviation": "|".join(sorted(info["cow_abb"])), "gw_code": "|".join(sorted(info["gw"], key=int)),
            "source": "|".join(sorted(info["sources"])),
        }
        if country is not None:
            row.update(iso_alpha2=country.alpha_2, iso_alpha3=country.alpha_3, iso_numeric=country.numeric)
            russian = _russian(country.name)
            if russian:
                row["label_ru"] = russian
            row["source"] += "|" + ISO_SOURCE
        elif former is not None:
            row["iso_former"] = former.alpha_4
            row["source"] += "|" + ISO_SOURCE
        state_rows.append(row)
    return {"states": state_rows, "state-system": system_rows, "codes": [code_rows[k] for k in sorted(code_rows)]}
