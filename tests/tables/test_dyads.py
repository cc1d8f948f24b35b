"""The dyad-year tables of bilateral treaties and of diplomatic relations, against facts checked
by hand in the curated tables (treaties' entry into force and denunciation, relations broken
off, ambassadors across a change)."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import REPO, run_cli

RGID = "https://w3id.org/relgraph/id/"


def table(name: str, *args: str) -> dict[tuple[int, int, int], dict[str, str]]:
    result = run_cli("--root", str(REPO), "table", name, *args)
    assert result.code == 0, result.stderr
    return {(int(r["ccode1"]), int(r["ccode2"]), int(r["year"])): r for r in csv.DictReader(io.StringIO(result.stdout))}


def test_treaties_in_force_between_russia_and_ukraine() -> None:
    """The 1997 friendship treaty in force from 1999-04-01 until Ukraine's denunciation took
    effect on 2019-04-01; the 1997 Black Sea Fleet agreement until Russia's denunciation of
    2014-04-02; the Kharkiv agreement from 2010-05-14 (the registry card; Wikipedia's 27 April is
    ranked below it) until Russia's denunciation of 2014-04-02."""
    rows = table("treaty-dyad-year", "--from", "1998", "--to", "2020")
    ru_ua = {year: (int(r["treaties"]), int(r["friendship"])) for (a, b, year), r in rows.items() if (a, b) == (365, 369)}
    assert ru_ua[1999] == (2, 1) and ru_ua[2009] == (2, 1)
    assert ru_ua[2010] == (3, 1) and ru_ua[2013] == (3, 1)
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
    assert result.stderr.strip() == "Error: treaty-dyad-year takes no --organisation, --source or --include-stale: it counts the best-ranked claims of every pair"


def _written(tmp_path, name: str, *args: str) -> tuple[list[dict], list[dict]]:
    out = tmp_path / f"{name}.csv"
    result = run_cli("--root", str(REPO), "table", name, *args, "--output", str(out), "--with-sources")
    assert result.code == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    sources = list(csv.DictReader((tmp_path / f"{name}.sources.csv").open(encoding="utf-8")))
    return rows, sources


def _coded_cells(rows: list[dict], first_value_column: str) -> set[tuple[str, str, str, str]]:
    columns = list(rows[0])[list(rows[0]).index(first_value_column):]
    return {(r["state1"], r["state2"], r["year"], c) for r in rows for c in columns if int(r[c]) >= 1}


def test_every_coded_treaty_cell_has_its_claims_and_sources(tmp_path) -> None:
    rows, sources = _written(tmp_path, "treaty-dyad-year", "--from", "2013", "--to", "2014")
    assert {(s["state1"], s["state2"], s["year"], s["column"]) for s in sources} == _coded_cells(rows, "treaties")
    ru_ua = {(s["year"], s["column"]): set() for s in sources}
    for s in sources:
        if (s["state1"], s["state2"]) == (RGID + "russia", RGID + "ukraine"):
            ru_ua[(s["year"], s["column"])].add(s["claim"].rsplit("/", 1)[-1])
    # three treaties in force in 2013 (the friendship treaty, the Black Sea Fleet agreement and
    # the Kharkiv agreement: each rests on its entry into force), one in 2014 after Russia's
    # denunciations of the two fleet agreements took effect
    assert ru_ua[("2013", "treaties")] == {
        "treaty-russia-ukraine-friendship-1997-entry-into-force",
        "agreement-russia-ukraine-black-sea-fleet-status-1997-entry-into-force",
        "agreement-russia-ukraine-kharkiv-2010-entry-into-force",
    }
    assert len(ru_ua[("2014", "treaties")]) == 1
    assert ru_ua[("2014", "treaties")] == ru_ua[("2014", "friendship")]
    assert all(s["source"].startswith(RGID) for s in sources)


def test_every_coded_relations_cell_has_its_claims_and_sources(tmp_path) -> None:
    rows, sources = _written(tmp_path, "relations-dyad-year", "--from", "2008", "--to", "2008")
    assert {(s["state1"], s["state2"], s["year"], s["column"]) for s in sources} == _coded_cells(rows, "relations")
    ru_ge = {(s["column"], s["claim"], s["source"]) for s in sources if (s["state1"], s["state2"]) == (RGID + "russia", RGID + "georgia")}
    # relations broken off in 2008: only Kovalenko's posting (Regnum) codes a cell that year
    assert ru_ge == {("ambassador_1_in_2", RGID + "posting-vyacheslav-kovalenko-georgia", RGID + "page-regnum-3271f8fe")}


def test_treaties_without_an_entry_into_force_are_named_in_a_note(world) -> None:
    result = run_cli("--root", str(REPO), "table", "treaty-dyad-year", "--from", "2020", "--to", "2020")
    assert result.code == 0
    query = """PREFIX rg: <https://w3id.org/relgraph/ontology#> PREFIX rgv: <https://w3id.org/relgraph/vocab/> PREFIX wikibase: <http://wikiba.se/ontology#>
        SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a rg:BilateralTreaty FILTER NOT EXISTS { ?e rg:treaty ?t ; rg:actionType rgv:entry-into-force ; a wikibase:BestRank FILTER NOT EXISTS { ?e rg:actor ?x } } }"""
    count = int(next(iter(world.store.query(query, use_default_graph_as_union=True)))["n"].value)
    assert count > 0
    assert result.stderr.startswith(f"Note: {count} bilateral treaties have no recorded entry into force and are counted in no year (") and result.stderr.count("\n") == 1
    # the kinds' columns as statistics packages read them
    header = result.stdout.splitlines()[0].split(",")
    assert "friendship" in header and all("-" not in column for column in header)


@pytest.mark.parametrize(
    ("pair", "before", "year"),
    [
        # Moldova (359): the 2001 friendship treaty in force from 2002-05-13 (lex.justice.md)
        ((359, 365), 2001, 2002),
        # Turkmenistan (701): the 2017 strategic partnership from 2018-08-11 (RIA Novosti)
        ((365, 701), 2017, 2018),
    ],
)
def test_a_treaty_counts_from_its_entry_into_force(pair: tuple[int, int], before: int, year: int) -> None:
    rows = table("treaty-dyad-year", "--from", str(before), "--to", str(year))
    assert (*pair, before) not in rows
    assert int(rows[(*pair, year)]["treaties"]) == 1
