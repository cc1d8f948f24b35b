"""COW inter-state wars (v4.0) and the UCDP/PRIO Armed Conflict Dataset (25.1) as claims.

COW wars are read from peacesciencer's dyad-year form (``cow_war_inter``: war number, the two
states' COW codes, the year, each state's side 1/2, initiator 1/0 and outcome 1-8): each war is a
``rg:War`` from its first to its last year, and each state a ``rg:Participation`` as a belligerent
on its side, with its initiator flag, its outcome and its own first and last year. This copy has
no war names or days, so the war is named by its number and dated by year.

UCDP/PRIO conflicts (``ucdp_acd``: one row per conflict and year, split into several rows where a
side has several states) are ``rg:ArmedConflict``\\s with their start date (day-precise where
``start_prec`` is 1, else its year), type and incompatibility; each conflict-year (the split rows
collapsed into one, at the highest intensity) is a ``rg:ConflictYear``; the states on each side
(``gwno_a``, ``gwno_b``) are belligerents and the secondary supporters (``gwno_a_2nd``,
``gwno_b_2nd``) take part in a role of their own, each with its first and last year.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from relgraph.world.crosswalk import Crosswalk
from relgraph.world.rfiles import r_date, read_r_table, whole
from relgraph.world.states import cow_spells, gw_spells, read_overrides

__all__ = ["WARS_FILE", "UCDP_FILE", "WARS_SOURCE", "UCDP_SOURCE", "conflict_tables"]

WARS_FILE = "svmiller+peacesciencer/data/cow_war_inter.rda"
UCDP_FILE = "svmiller+peacesciencer/data/ucdp_acd.rda"
WARS_SOURCE = "rgid:dataset-cow-war-inter-4"
UCDP_SOURCE = "rgid:dataset-ucdp-acd-25-1"
_SIDES = {1: "rgv:side-a", 2: "rgv:side-b"}
_OUTCOMES = {1: "rgv:winner", 2: "rgv:loser", 3: "rgv:compromise-or-tie", 4: "rgv:transformed-war", 5: "rgv:war-ongoing", 6: "rgv:stalemate", 7: "rgv:below-war-level", 8: "rgv:changed-sides"}
_TYPES = {"extrasystemic": "rgv:extrasystemic", "interstate": "rgv:interstate", "intrastate": "rgv:intrastate", "II": "rgv:internationalized-intrastate"}
_INCOMPATIBILITIES = {"territory": "rgv:territory", "government": "rgv:government", "both": "rgv:government-and-territory"}
_INTENSITY = {1: "rgv:minor-conflict", 2: "rgv:war-intensity"}


def _wars(datasets: Path) -> dict[str, list[dict[str, str]]]:
    frame = read_r_table(datasets / WARS_FILE, "cow_war_inter", f"graph/datasets/{WARS_FILE}")
    spells = cow_spells(datasets)
    crosswalk = Crosswalk("cow-ccode", read_overrides(datasets), spells, spells)
    wars: dict[int, dict[str, object]] = {}
    parts: dict[tuple[int, str], dict[str, object]] = {}
    for r in frame.itertuples():
        war, code, year = whole(r.warnum), whole(r.ccode1), whole(r.year)
        entry = wars.setdefault(war, {"first": year, "last": year, "states": set()})
        entry["first"], entry["last"] = min(entry["first"], year), max(entry["last"], year)
        for state in crosswalk.in_year(code, year):
            entry["states"].add(state)
            p = parts.setdefault((war, state), {"first": year, "last": year, "side": whole(r.sidea1), "initiator": whole(r.initiator1), "outcome": whole(r.outcome1), "code": code})
            p["first"], p["last"] = min(p["first"], year), max(p["last"], year)
    conflicts, participants = [], []
    for war in sorted(wars):
        entry = wars[war]
        conflicts.append({
            "id": f"rgid:cow-war-{war}", "type": "rg:War", "label": f"COW inter-state war {war} ({entry['first']}–{entry['last']})" if entry["first"] != entry["last"] else f"COW inter-state war {war} ({entry['first']})",
            "cow_war": str(war), "start": str(entry["first"]), "end": str(entry["last"]), "involves": "|".join(f"rgid:{s}" for s in sorted(entry["states"])),
            "rank": "wikibase:NormalRank", "source": WARS_SOURCE, "locator": f"warnum {war}",
        })
    for (war, state), p in sorted(parts.items()):
        participants.append({
            "id": f"rgid:cow-war-{war}-{state}", "type": "rg:Participation", "conflict": f"rgid:cow-war-{war}", "agent": f"rgid:{state}", "role": "rgv:belligerent",
            "side": _SIDES.get(p["side"], ""), "initiator": {1: "true", 0: "false"}.get(p["initiator"], ""), "outcome": _OUTCOMES.get(p["outcome"], ""),
            "start": str(p["first"]), "end": str(p["last"]), "rank": "wikibase:NormalRank", "source": WARS_SOURCE, "locator": f"warnum {war}, ccode {p['code']}",
        })
    return {"conflicts": conflicts, "participants": participants}


def _ucdp(datasets: Path) -> dict[str, list[dict[str, str]]]:
    frame = read_r_table(datasets / UCDP_FILE, "ucdp_acd", f"graph/datasets/{UCDP_FILE}")
    overrides = read_overrides(datasets)
    cow = cow_spells(datasets)
    crosswalk = Crosswalk("gw-code", overrides, gw_spells(datasets), cow)
    conflicts: dict[int, dict[str, object]] = {}
    years: dict[tuple[int, int], dict[str, object]] = {}
    parts: dict[tuple[int, str, str, str], dict[str, int]] = {}
    for r in frame.itertuples():
        cid, year = whole(r.conflict_id), whole(r.year)
        start = r_date(r.start_date)
        entry = conflicts.setdefault(cid, {"start": start.isoformat() if whole(r.start_prec) == 1 else str(start.year), "type": _TYPES[str(r.type_of_conflict)], "incompatibility": _INCOMPATIBILITIES[str(r.incompatibility)], "first": year, "last": year, "states": set()})
        entry["first"], entry["last"] = min(entry["first"], year), max(entry["last"], year)
        cy = years.setdefault((cid, year), {"intensity": 0, "type": _TYPES[str(r.type_of_conflict)], "incompatibility": _INCOMPATIBILITIES[str(r.incompatibility)]})
        cy["intensity"] = max(cy["intensity"], whole(r.intensity_level))
        for column, side, role in (("gwno_a", "rgv:side-a", "rgv:belligerent"), ("gwno_b", "rgv:side-b", "rgv:belligerent"), ("gwno_a_2nd", "rgv:side-a", "rgv:secondary-supporter"), ("gwno_b_2nd", "rgv:side-b", "rgv:secondary-supporter")):
            code = whole(getattr(r, column))
            if code is None:
                continue
            for state in crosswalk.in_year(code, year):
                entry["states"].add(state)
                p = parts.setdefault((cid, state, side, role), {"first": year, "last": year, "code": code})
                p["first"], p["last"] = min(p["first"], year), max(p["last"], year)
    conflict_rows, year_rows, part_rows = [], [], []
    for cid in sorted(conflicts):
        entry = conflicts[cid]
        conflict_rows.append({
            "id": f"rgid:ucdp-conflict-{cid}", "type": "rg:ArmedConflict", "label": f"UCDP/PRIO armed conflict {cid}", "ucdp_id": str(cid),
            "start": entry["start"], "conflict_type": entry["type"], "incompatibility": entry["incompatibility"],
            "involves": "|".join(f"rgid:{s}" for s in sorted(entry["states"])), "rank": "wikibase:NormalRank", "source": UCDP_SOURCE,
            "locator": f"conflict_id {cid}, years {entry['first']}-{entry['last']}",
        })
    for (cid, year), cy in sorted(years.items()):
        year_rows.append({
            "id": f"rgid:ucdp-conflict-{cid}-{year}", "type": "rg:ConflictYear", "conflict": f"rgid:ucdp-conflict-{cid}", "year": str(year),
            "intensity": _INTENSITY[cy["intensity"]], "conflict_type": cy["type"], "incompatibility": cy["incompatibility"],
            "rank": "wikibase:NormalRank", "source": UCDP_SOURCE, "locator": f"conflict_id {cid}, year {year}",
        })
    for (cid, state, side, role), p in sorted(parts.items()):
        suffix = "" if role == "rgv:belligerent" else "-supporter"
        part_rows.append({
            "id": f"rgid:ucdp-conflict-{cid}-{state}-{side[4:]}{suffix}", "type": "rg:Participation", "conflict": f"rgid:ucdp-conflict-{cid}", "agent": f"rgid:{state}",
            "role": role, "side": side, "start": str(p["first"]), "end": str(p["last"]), "rank": "wikibase:NormalRank", "source": UCDP_SOURCE,
            "locator": f"conflict_id {cid}, gwno {p['code']}",
        })
    unknown = sorted({(state, p["code"]) for (_, state, _, _), p in parts.items() if state.startswith("state-gw-")})
    state_rows = [
        {"id": f"rgid:{state}", "type": "rg:State", "label": f"State with GW code {code} (named by UCDP/PRIO; not in the GW list's copy)", "gw_code": str(code), "source": UCDP_SOURCE}
        for state, code in unknown
    ]
    return {"conflicts": conflict_rows, "conflict-years": year_rows, "participants": part_rows, "states": state_rows}


def conflict_tables(datasets: Path) -> dict[str, list[dict[str, str]]]:
    """Build the rows of the ``conflicts``, ``participants`` and ``conflict-years`` tables.

    Args:
        datasets: The ``graph/datasets/`` folder.

    Returns:
        Table name → rows, wars first, then UCDP conflicts.

    Raises:
        InputError: A file cannot be read.
    """
    wars, ucdp = _wars(datasets), _ucdp(datasets)
    return {name: wars.get(name, []) + ucdp.get(name, []) for name in ("conflicts", "participants", "conflict-years", "states")}
