"""ATOP (Alliance Treaty Obligations and Provisions) v4.01, member level: every alliance, each
member's entry and exit, and each member's obligations.

One row of ``atop-member-level.csv`` is one member in one phase of an alliance: ``member`` is
its COW code, ``yrent``/``moent``/``dayent`` its entry and ``yrexit``/``moexit``/``dayexit`` its
exit. A month or day of 0 is unknown (the date is stored at the precision given); an exit year of
0 is no exit (the membership is open, confirmed until the release's coverage end). ``defense``,
``offense``, ``neutral``, ``nonagg`` and ``consul`` (1 = the member took it on) are the member's
obligations, the notations of ``rgv:alliance-obligations``. A row whose member is not a COW
state code is left out (:func:`excluded_rows`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from relgraph.world.crosswalk import Crosswalk
from relgraph.world.rfiles import read_csv_rows
from relgraph.world.states import cow_spells, read_overrides

__all__ = ["ATOP_FILE", "ATOP_SOURCE", "OBLIGATIONS", "atop_tables", "excluded_rows"]

ATOP_FILE = "joshuaalley+arms-allies/data/atop-member-level.csv"
ATOP_SOURCE = "rgid:dataset-atop-4-01"
OBLIGATIONS = {"defense": "rgv:defence", "offense": "rgv:offence", "neutral": "rgv:neutrality", "nonagg": "rgv:non-aggression", "consul": "rgv:consultation"}
"""ATOP column → obligation concept."""


def _given(year: str, month: str, day: str) -> tuple[str, dt.date, dt.date] | None:
    """(the date as given, its first day, its last day), or None for year 0."""
    y, m, d = int(year or 0), int(month or 0), int(day or 0)
    if y == 0:
        return None
    if m == 0:
        return f"{y:04d}", dt.date(y, 1, 1), dt.date(y, 12, 31)
    if d == 0:
        last = (dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1))
        return f"{y:04d}-{m:02d}", dt.date(y, m, 1), last
    return f"{y:04d}-{m:02d}-{d:02d}", dt.date(y, m, d), dt.date(y, m, d)


def atop_tables(datasets: Path) -> dict[str, list[dict[str, str]]]:
    """Build the rows of the ``organisations`` (alliances) and ``memberships`` tables from ATOP.

    Args:
        datasets: The ``graph/datasets/`` folder.

    Returns:
        Table name → rows, in a stable order.

    Raises:
        InputError: The file cannot be read.
    """
    rows = read_csv_rows(datasets / ATOP_FILE, f"graph/datasets/{ATOP_FILE}")
    spells = cow_spells(datasets)
    crosswalk = Crosswalk("cow-ccode", read_overrides(datasets), spells, spells)
    alliances: dict[str, dict[str, str]] = {}
    members: dict[str, dict[str, str]] = {}
    known = {s.code for s in spells}
    for line, r in enumerate(rows, start=2):
        atopid = r["atopid"]
        if int(r["member"]) not in known:
            continue  # not a COW state code: see excluded_rows
        alliance = f"rgid:atop-{atopid}"
        alliances.setdefault(alliance, {"id": alliance, "type": "rg:Alliance", "label": f"ATOP alliance {atopid}", "atop_id": atopid, "source": ATOP_SOURCE})
        entry = _given(r["yrent"], r["moent"], r["dayent"])
        exit_ = _given(r["yrexit"], r["moexit"], r["dayexit"])
        if entry is None:
            continue
        obligations = "|".join(concept for column, concept in OBLIGATIONS.items() if r[column].strip() == "1")
        last = exit_[2] if exit_ else dt.date(2016, 12, 31)
        pieces = crosswalk.between(int(r["member"]), entry[1], last)
        for n, (lo, hi, state) in enumerate(pieces):
            start = entry[0] if n == 0 else lo.isoformat()
            end = (exit_[0] if exit_ else "") if n == len(pieces) - 1 else hi.isoformat()
            key = f"rgid:atop-{atopid}-{state}-{start}"
            note = f"ATOP codes member {r['member']} from {entry[0]}; split where the crosswalk changes entity." if len(pieces) > 1 else ""
            members.setdefault(key, {
                "id": key, "type": "rg:Membership", "member": f"rgid:{state}", "organisation": alliance, "role": "rgv:member",
                "start": start, "end": end, "obligations": obligations, "rank": "wikibase:NormalRank", "source": ATOP_SOURCE,
                "locator": f"line {line} (atopid {atopid}, member {r['member']})", "note": note,
            })
    return {"organisations": [alliances[k] for k in sorted(alliances)], "memberships": [members[k] for k in sorted(members)]}


def excluded_rows(datasets: Path) -> list[tuple[int, str, str]]:
    """The ATOP rows the import leaves out: a member code that is not a COW state code (v4.01
    codes member 8152 in alliance 1320, 1874-1883). Their state is unknown, so no claim is made.

    Returns:
        (line, atopid, member) for each such row.
    """
    known = {s.code for s in cow_spells(datasets)}
    rows = read_csv_rows(datasets / ATOP_FILE, f"graph/datasets/{ATOP_FILE}")
    return [(line, r["atopid"], r["member"]) for line, r in enumerate(rows, start=2) if int(r["member"]) not in known]
