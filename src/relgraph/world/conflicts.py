"""COW inter-state wars (v4.0) and the UCDP/PRIO Armed Conflict Dataset (25.1) as claims.

COW wars are read from peacesciencer's dyad-year form (``cow_war_inter``: war number, the two
states' COW codes, the year, each state's side 1/2, initiator 1/0 and outcome 1-8): each war is a
``rg:War`` from its first to its last year, and each state a ``rg:Participation`` as a belligerent
on its side, with its initiator flag, its outcome and its own first and last year. COW's own
participant-level file of the same release (``Inter-StateWarData_v4.0.csv``: one row per state
and war with ``WarName`` and the days of its first and, where it left and re-entered, second
spell) then gives each war its name and each participation its days, as the file writes them: a
month or day below 1 is unknown (-9) and the date keeps the precision given; -8 (no second spell)
and -7 (ongoing) give no date. A participation takes the rows of its state on its own side
(Germany fought on both sides of the Latvian war of liberation, 108); each spell is a
participation of its own (the USSR in World War II: 1941-06-22 to 1945-05-07, then 1945-08-08 to
1945-08-14), and a spell on the other side, which the dyad-year copy does not have, takes that
row's side, initiator flag and outcome. A war runs from its participants' earliest start to their
latest end. A state with no row there keeps its years.

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

from relgraph.errors import InputError
from relgraph.world.crosswalk import Crosswalk
from relgraph.world.rfiles import r_date, read_csv_rows, read_r_table, whole
from relgraph.world.states import cow_spells, gw_spells, read_overrides

__all__ = ["WARS_FILE", "WAR_PARTICIPANTS_FILE", "UCDP_FILE", "WARS_SOURCE", "WAR_PARTICIPANTS_SOURCE", "UCDP_SOURCE", "conflict_tables"]

WARS_FILE = "svmiller+peacesciencer/data/cow_war_inter.rda"
UCDP_FILE = "svmiller+peacesciencer/data/ucdp_acd.rda"
WARS_SOURCE = "rgid:dataset-cow-war-inter-4"
WAR_PARTICIPANTS_FILE = "rjcarroll+shadow/data/raw/Inter-StateWarData_v4.0.csv"
WAR_PARTICIPANTS_SOURCE = "rgid:dataset-cow-war-inter-4-participants"
UCDP_SOURCE = "rgid:dataset-ucdp-acd-25-1"
_SIDES = {1: "rgv:side-a", 2: "rgv:side-b"}
_OUTCOMES = {1: "rgv:winner", 2: "rgv:loser", 3: "rgv:compromise-or-tie", 4: "rgv:transformed-war", 5: "rgv:war-ongoing", 6: "rgv:stalemate", 7: "rgv:below-war-level", 8: "rgv:changed-sides"}
_TYPES = {"extrasystemic": "rgv:extrasystemic", "interstate": "rgv:interstate", "intrastate": "rgv:intrastate", "II": "rgv:internationalized-intrastate"}
_INCOMPATIBILITIES = {"territory": "rgv:territory", "government": "rgv:government", "both": "rgv:government-and-territory"}
_INTENSITY = {1: "rgv:minor-conflict", 2: "rgv:war-intensity"}


_Day = tuple[str, tuple[int, int, int]]
"""A date as COW gives it (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) and its sort key (0 for an
unknown month or day)."""


def _cow_day(row: dict[str, str], which: str, spell: int, shown: str, line: int) -> _Day | None:
    """The start or end (*which*) of a spell of a participant-level row, or ``None`` where COW
    gives no year (-8: no such spell, -7: ongoing, -9: unknown)."""
    columns = [f"{which}{part}{spell}" for part in ("Year", "Month", "Day")]
    try:
        year, month, day = (int(row[c]) for c in columns)
    except (KeyError, ValueError):
        raise InputError(shown, f"columns {', '.join(columns)}: expected whole numbers, found {[row.get(c) for c in columns]}", line=line) from None
    if year < 1:
        return None
    try:
        if month < 1:
            return f"{year:04d}", (year, 0, 0)
        if day < 1:
            dt.date(year, month, 1)
            return f"{year:04d}-{month:02d}", (year, month, 0)
        dt.date(year, month, day)
    except ValueError:
        raise InputError(shown, f"columns {', '.join(columns)}: {year}-{month}-{day} is not a possible date", line=line) from None
    return f"{year:04d}-{month:02d}-{day:02d}", (year, month, day)


def _war_days(datasets: Path) -> tuple[dict[int, str], dict[tuple[int, int], list[dict[str, object]]]]:
    """From COW's participant-level file: war number → name, and (war, COW code) → the state's
    spells in it, in date order, each with its side, initiator flag, outcome, start, end and line
    (a row's second spell is a spell of its own)."""
    shown = f"graph/datasets/{WAR_PARTICIPANTS_FILE}"
    names: dict[int, str] = {}
    spells: dict[tuple[int, int], list[dict[str, object]]] = {}
    for line, r in enumerate(read_csv_rows(datasets / WAR_PARTICIPANTS_FILE, shown), start=2):
        try:
            war, code, side, initiator, outcome = (int(r[c]) for c in ("WarNum", "ccode", "Side", "Initiator", "Outcome"))
        except (KeyError, ValueError):
            found = ", ".join(repr(r.get(c)) for c in ("WarNum", "ccode", "Side", "Initiator", "Outcome"))
            raise InputError(shown, f"columns WarNum, ccode, Side, Initiator, Outcome: expected whole numbers, found {found}", line=line) from None
        names.setdefault(war, r["WarName"].strip())
        for spell in (1, 2):
            begin, finish = _cow_day(r, "Start", spell, shown, line), _cow_day(r, "End", spell, shown, line)
            if begin and finish:
                # COW's Initiator is 1 (yes) or 2 (no), its Outcome the codes of the dyad-year copy
                spells.setdefault((war, code), []).append({"side": side, "initiator": {1: 1, 2: 0}.get(initiator), "outcome": outcome, "start": begin, "end": finish, "line": line})
    for found in spells.values():
        found.sort(key=lambda s: (s["start"][1], s["line"]))
    return names, spells


def _latest(day: _Day) -> tuple[int, int, int]:
    year, month, d = day[1]
    return year, month or 13, d or 32


def _wars(datasets: Path) -> dict[str, list[dict[str, str]]]:
    frame = read_r_table(datasets / WARS_FILE, "cow_war_inter", f"graph/datasets/{WARS_FILE}")
    names, spans = _war_days(datasets)
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
    both = f"{WARS_SOURCE}|{WAR_PARTICIPANTS_SOURCE}"
    file_name = WAR_PARTICIPANTS_FILE.rsplit("/", 1)[1]
    participants = []
    days: dict[int, list[tuple[_Day, _Day]]] = {}
    for (war, state), p in sorted(parts.items()):
        base = {
            "type": "rg:Participation", "conflict": f"rgid:cow-war-{war}", "agent": f"rgid:{state}", "role": "rgv:belligerent",
            "rank": "wikibase:NormalRank",
        }
        own = [s for s in spans.get((war, p["code"]), []) if s["side"] == p["side"]]
        others = [s for s in spans.get((war, p["code"]), []) if s["side"] != p["side"]]
        if not own:  # not in the participant-level file: the dyad-year copy's years
            participants.append({**base, "id": f"rgid:cow-war-{war}-{state}", "side": _SIDES.get(p["side"], ""),
                                 "initiator": {1: "true", 0: "false"}.get(p["initiator"], ""), "outcome": _OUTCOMES.get(p["outcome"], ""),
                                 "start": str(p["first"]), "end": str(p["last"]), "source": WARS_SOURCE, "locator": f"warnum {war}, ccode {p['code']}"})
            continue
        # the spells on its side of the dyad-year copy, then those on the other side, which that
        # copy does not have (a state that changed sides): each a participation of its own
        for n, spell in enumerate(own + others, start=1):
            on_own_side = spell["side"] == p["side"]
            participants.append({
                **base, "id": f"rgid:cow-war-{war}-{state}" + (f"-{n}" if n > 1 else ""), "side": _SIDES.get(spell["side"], ""),
                "initiator": {1: "true", 0: "false"}.get(p["initiator"] if on_own_side else spell["initiator"], ""),
                "outcome": _OUTCOMES.get(p["outcome"] if on_own_side else spell["outcome"], ""),
                "start": spell["start"][0], "end": spell["end"][0], "source": both if on_own_side else WAR_PARTICIPANTS_SOURCE,
                "locator": (f"warnum {war}, ccode {p['code']}; " if on_own_side else "") + f"{file_name} line {spell['line']}"
                + ("" if len(own + others) == 1 else f" (spell {n} of {len(own + others)})"),
            })
            days.setdefault(war, []).append((spell["start"], spell["end"]))
    conflicts = []
    for war in sorted(wars):
        entry = wars[war]
        years = f"{entry['first']}–{entry['last']}" if entry["first"] != entry["last"] else f"{entry['first']}"
        row = {
            "id": f"rgid:cow-war-{war}", "type": "rg:War", "label": f"COW inter-state war {war} ({years})",
            "cow_war": str(war), "start": str(entry["first"]), "end": str(entry["last"]), "involves": "|".join(f"rgid:{s}" for s in sorted(entry["states"])),
            "rank": "wikibase:NormalRank", "source": WARS_SOURCE, "locator": f"warnum {war}",
        }
        if war in names:
            row["label"] = f"{names[war]} (COW inter-state war {war}, {years})"
            row["source"], row["locator"] = both, f"warnum {war}; WarName in {file_name}"
        if war in days:
            row["start"] = min((start for start, _ in days[war]), key=lambda d: d[1])[0]
            row["end"] = max((end for _, end in days[war]), key=_latest)[0]
        conflicts.append(row)
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
