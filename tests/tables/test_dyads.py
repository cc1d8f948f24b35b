"""The dyad-year tables of bilateral treaties and of diplomatic relations, against facts checked
by hand in the curated tables (treaties' entry into force and denunciation, relations broken
off, ambassadors across a change)."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import REPO, run_cli


def table(name: str, *args: str) -> dict[tuple[int, int, int], dict[str, str]]:
    result = run_cli("--root", str(REPO), "table", name, *args)
    assert result.code == 0, result.stderr
    return {(int(r["ccode1"]), int(r["ccode2"]), int(r["year"])): r for r in csv.DictReader(io.StringIO(result.stdout))}


def test_treaties_in_force_between_russia_and_ukraine() -> None:
    """The 1997 friendship treaty in force from 1999-04-01 until Ukraine's denunciation took
    effect on 2019-04-01; the 1997 Black Sea Fleet agreement until Russia's denunciation of
    2014-04-02."""
    rows = table("treaty-dyad-year", "--from", "1998", "--to", "2020")
    ru_ua = {year: (int(r["treaties"]), int(r["friendship"])) for (a, b, year), r in rows.items() if (a, b) == (365, 369)}
    assert ru_ua[1999] == (2, 1) and ru_ua[2013] == (2, 1)
    assert ru_ua[2014] == (1, 1) and ru_ua[2018] == (1, 1)
    assert 1998 not in ru_ua and 2019 not in ru_ua and 2020 not in ru_ua  # no treaty in force: no row
    # under the any-day rule the friendship treaty still counts in 2019, its last months
    any_day = table("treaty-dyad-year", "--from", "2019", "--to", "2019", "--year-rule", "any-day")
    assert int(any_day[(365, 369, 2019)]["friendship"]) == 1
    assert all(a < b and int(r["dyadid"]) == 1000 * a + b for (a, b, _), r in rows.items())


@pytest.mark.parametrize(
    ("pair", "year", "expected"),
    [
        # Russia (365) and Georgia (372): relations broken off on 2008-09-02; Russia's ambassador
        # Kovalenko recalled in 2009
        ((365, 372), 2007, ("1", "1", "0")),
        ((365, 372), 2008, ("0", "1", "0")),
        ((365, 372), 2010, ("0", "0", "0")),
        # Russia and Uzbekistan (704): ambassadors each way in 2025 (Yerkhov from 2025-09-05)
        ((365, 704), 2025, ("1", "1", "1")),
    ],
)
def test_relations_and_ambassadors_each_way(pair: tuple[int, int], year: int, expected: tuple[str, str, str]) -> None:
    rows = table("relations-dyad-year", "--from", str(year), "--to", str(year))
    row = rows[(*pair, year)]
    assert (row["relations"], row["ambassador_1_in_2"], row["ambassador_2_in_1"]) == expected


def test_the_dyad_tables_take_no_organisation() -> None:
    result = run_cli("--root", str(REPO), "table", "treaty-dyad-year", "-O", "CIS")
    assert result.code == 2
    assert result.stderr.strip() == "Error: treaty-dyad-year takes no --organisation or --source: it counts the best-ranked claims of every pair"
