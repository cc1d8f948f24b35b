"""COW Intergovernmental Organizations v3: every organisation and every state's membership periods.

Read from the igoR copies of ``state_year_format3`` (one row per state and year, one column per
organisation: 1 full member, 2 associate member, 3 observer, 0 no membership, -9 missing, -1 the
organisation not in existence, as igoR's documentation of the table gives the codebook's values;
rows only for the state-years of system members, every fifth year through 1965) and ``igo_year_format3`` (one row per organisation and year: names,
founding year ``sdate``, end ``deaddate``, and the accuracy of pre-1965 membership dates).

A membership period is a run of consecutive years with the same status; it is a claim at year
precision (``rg:start``/``rg:end`` as ``xsd:gYear``). -9 and -1 are never memberships and end a
period. A period still open in 2014, the data's last year, has no end: the data set confirms it
until 2014-12-31 (the source's rg:coverageEnd), unless its organisation ended (a sourced end in
``graph/datasets/igo-entities.csv``, or COW's ``deaddate``), when it ends in its last coded year.
Where the data set codes memberships after its own ``deaddate`` (ACCT, ECCB), no end is recorded
and the organisation's note says so.
Where the data set codes an organisation's pre-1965 dates as accurate only "within 5 years",
periods that start before 1965 are marked ``rg:approximate`` with a note.

A state's COW code is mapped to relgraph's entity for each year by the crosswalk
(:mod:`relgraph.world.states`): a year in which the code changes entity (365 in 1991) belongs to
both, so that neither period claims more than the data set says.

Organisations are ``rgid:`` plus their name in lower case with hyphens (with the COW abbreviation
appended where two organisations have one name), except where
``graph/datasets/igo-entities.csv`` maps a COW abbreviation (over a period) to an existing entity:
``sco`` is the Shanghai Five until 2000 and the SCO from 2001; ``eaec`` is the Eurasian Economic
Community (2000–2014), never the EAEU.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from relgraph.world.rfiles import read_csv_rows, read_r_table, whole
from relgraph.world.crosswalk import Crosswalk
from relgraph.world.states import cow_spells, read_overrides, slug

__all__ = ["IGO_SOURCE", "IGO_ORGANISATIONS_SOURCE", "STATE_YEAR_FILE", "IGO_YEAR_FILE", "ROLES", "igo_tables", "mac_roman_repaired"]

STATE_YEAR_FILE = "dieghernan+igoR/data/state_year_format3.rda"
IGO_YEAR_FILE = "dieghernan+igoR/data/igo_year_format3.rda"
ENTITIES_FILE = "igo-entities.csv"
IGO_SOURCE = "rgid:dataset-cow-igo-3"
IGO_ORGANISATIONS_SOURCE = "rgid:dataset-cow-igo-3-organisations"
LAST_YEAR = 2014
ROLES = {1: "rgv:member", 2: "rgv:associate-member", 3: "rgv:observer"}
"""COW IGO v3 status code → membership role (the notations of rgv:membership-roles)."""
_ROLE_SLUG = {1: "full", 2: "associate", 3: "observer"}


@dataclass(frozen=True)
class _OrgOverride:
    ioname: str
    start: int | None
    end: int | None
    entity: str
    label: str
    cls: str
    ended: str  # a sourced end day of the organisation, YYYY[-MM[-DD]]
    sources: tuple[str, ...]
    note: str



def mac_roman_repaired(name):
    """An organisation's name as COW meant it: igo_year_format3 holds one name in Mac OS Roman
    bytes read as Latin-1 ("Nordens V\x8alf\x8ardscenter", C1 control characters, which no name
    holds), which read as Mac OS Roman give "Nordens Välfärdscenter". Any other name is returned
    as it is.

    Args:
        name: The ``orgname`` cell (a string, or anything else, returned unchanged).

    Returns:
        The name.
    """
    if not isinstance(name, str) or not any("\x80" <= c <= "\x9f" for c in name):
        return name
    try:
        return name.encode("latin-1").decode("mac_roman")
    except UnicodeError:
        return name

def _org_overrides(datasets: Path) -> list[_OrgOverride]:
    rows = read_csv_rows(datasets / ENTITIES_FILE, f"graph/datasets/{ENTITIES_FILE}")
    return [
        _OrgOverride(r["ioname"].lower(), int(r["start"]) if r["start"] else None, int(r["end"]) if r["end"] else None, r["entity"], r["label"], r["class"], r["ended"],
                     tuple(f"rgid:{s}" for s in r["source"].split("|") if s), r["note"])
        for r in rows
    ]


def igo_tables(datasets: Path) -> dict[str, list[dict[str, str]]]:
    """Build the rows of the ``organisations``, ``organisation-events`` and ``memberships`` tables
    from COW IGO v3.

    Args:
        datasets: The ``graph/datasets/`` folder.

    Returns:
        Table name → rows (column → cell), in a stable order.

    Raises:
        InputError: A file cannot be read.
    """
    state_year = read_r_table(datasets / STATE_YEAR_FILE, "state_year_format3", f"graph/datasets/{STATE_YEAR_FILE}")
    igo_year = read_r_table(datasets / IGO_YEAR_FILE, "igo_year_format3", f"graph/datasets/{IGO_YEAR_FILE}")
    overrides, org_overrides, spells = read_overrides(datasets), _org_overrides(datasets), cow_spells(datasets)

    info: dict[str, dict[str, object]] = {}
    for r in igo_year.sort_values(["ioname", "year"]).itertuples():
        key = r.ioname.lower()
        entry = info.setdefault(key, {"name": mac_roman_repaired(r.orgname), "sdate": whole(r.sdate), "deaddate": None, "approximate": False, "first": whole(r.year)})
        entry["last"] = whole(r.year)
        entry["name"] = mac_roman_repaired(r.orgname)  # the latest name
        if r.deaddate is not None and not (isinstance(r.deaddate, float) and math.isnan(r.deaddate)):
            entry["deaddate"] = whole(r.deaddate)
        if str(r.accuracyofpre1965membershipdates).strip().lower().startswith("within 5 years"):
            entry["approximate"] = True

    # an organisation's entity is named after its name; two organisations of one name (ECCA and
    # ECCB are both "Eastern Caribb. Central Bank" in v3) get their abbreviation appended
    named: dict[str, list[str]] = {}
    for key in info:
        named.setdefault(slug(str(info[key]["name"])), []).append(key)
    default_name = {key: name if len(keys) == 1 else f"{name}-{key}" for name, keys in named.items() for key in keys}

    def entity_of(key: str, year: int) -> tuple[str, _OrgOverride | None]:
        for o in org_overrides:
            if o.ioname == key and (o.start is None or o.start <= year) and (o.end is None or year <= o.end):
                return o.entity, o
        return default_name[key], None

    org_rows: dict[str, dict[str, str]] = {}
    event_rows: list[dict[str, str]] = []
    ended: dict[str, str] = {}
    for key in sorted(info):
        entry = info[key]
        for year in sorted({entry["first"], entry["last"]}):
            name, override = entity_of(key, year)
            if f"rgid:{name}" in org_rows:
                continue
            org_rows[f"rgid:{name}"] = {
                "id": f"rgid:{name}", "type": override.cls if override and override.cls else "rg:InternationalOrganisation",
                "label": override.label if override and override.label else str(entry["name"]), "cow_igo": key,
                "source": "|".join([IGO_ORGANISATIONS_SOURCE, *(override.sources if override else ())]), "note": override.note if override else "",
            }
            if override and override.ended:
                ended[name] = override.ended
                event_rows.append({"id": f"rgid:dissolution-{name}", "type": "rg:OrganisationDissolution", "label": f"End of the {override.label or entry['name']}", "dissolved": f"rgid:{name}", "date": override.ended, "rank": "wikibase:NormalRank", "source": "|".join(override.sources)})
        first_entity, _ = entity_of(key, entry["first"])
        if entry["sdate"]:
            event_rows.append({"id": f"rgid:founding-cow-igo-{key}", "type": "rg:OrganisationFounding", "label": f"Founding of {org_rows[f'rgid:{first_entity}']['label']}", "organisation": f"rgid:{first_entity}", "date": str(entry["sdate"]), "rank": "wikibase:NormalRank", "source": IGO_ORGANISATIONS_SOURCE, "locator": f"ioname {key.upper()}, sdate"})
        if entry["deaddate"] and entry["last"] > entry["deaddate"]:
            # the data set codes memberships after its own date of death (acct, eccb): no end is
            # recorded, and the organisation says why
            last_entity, _ = entity_of(key, entry["last"])
            row = org_rows[f"rgid:{last_entity}"]
            row["note"] = " ".join(filter(None, [row["note"], f"COW IGO v3 gives {entry['deaddate']} as its date of death but codes memberships until {entry['last']}; relgraph records no end."]))
        elif entry["deaddate"]:
            last_entity, _ = entity_of(key, entry["last"])
            ended.setdefault(last_entity, str(entry["deaddate"]))
            event_rows.append({"id": f"rgid:dissolution-cow-igo-{key}", "type": "rg:OrganisationDissolution", "label": f"End of {org_rows[f'rgid:{last_entity}']['label']}", "dissolved": f"rgid:{last_entity}", "date": str(entry["deaddate"]), "rank": "wikibase:NormalRank", "source": IGO_ORGANISATIONS_SOURCE, "locator": f"ioname {key.upper()}, deaddate"})

    columns = [c for c in state_year.columns if c not in ("ccode", "year", "state")]
    frame = state_year.sort_values(["ccode", "year"])
    codes = [whole(c) for c in frame["ccode"]]
    years = [whole(y) for y in frame["year"]]
    crosswalk = Crosswalk("cow-ccode", overrides, spells, spells)
    membership_rows: list[dict[str, str]] = []
    for key in columns:
        values = [whole(v) for v in frame[key]]
        runs: dict[tuple[str, str], list[list[int]]] = {}  # (state entity, org entity) → [start, end, status]
        for code, year, status in zip(codes, years, values, strict=True):
            if status not in ROLES:
                continue
            org, _ = entity_of(key, year)
            for state in crosswalk.in_year(code, year):
                spans = runs.setdefault((state, org), [])
                if spans and spans[-1][1] == year - 1 and spans[-1][2] == status:
                    spans[-1][1] = year
                else:
                    spans.append([year, year, status])
        for (state, org), spans in sorted(runs.items()):
            for start, end, status in spans:
                open_end = end == LAST_YEAR and org not in ended
                approximate = bool(info[key]["approximate"]) and start < 1965
                note = []
                if approximate:
                    note.append("COW IGO v3 gives this organisation's membership dates before 1965 as accurate only within 5 years.")
                if end == LAST_YEAR and org in ended:
                    note.append(f"The data set still codes it in {LAST_YEAR}, its last year; the organisation ended ({ended[org]}).")
                membership_rows.append({
                    "id": f"rgid:cow-igo-{key}-{state}-{start}", "type": "rg:Membership", "member": f"rgid:{state}", "organisation": f"rgid:{org}",
                    "role": ROLES[status], "start": str(start), "end": "" if open_end else str(end), "approximate": "true" if approximate else "",
                    "rank": "wikibase:NormalRank", "source": IGO_SOURCE, "locator": f"{key}, {_ROLE_SLUG[status]} ({status}), {start}-{end}", "note": " ".join(note),
                })
    membership_rows.sort(key=lambda r: r["id"])
    return {"organisations": [org_rows[k] for k in sorted(org_rows)], "organisation-events": sorted(event_rows, key=lambda r: r["id"]), "memberships": membership_rows}
