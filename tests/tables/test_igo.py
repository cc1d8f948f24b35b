"""COW IGO's state-year table rebuilt from the graph's claims (``relgraph table igo-state-year``):
hand-checked cells across an accession, a withdrawal, a suspension and a succession; the data
set's own table rebuilt cell for cell from its claims; the formats, codebook and sources."""

from __future__ import annotations

import csv
import io

import pytest

from relgraph.tables.igo import igo_state_year
from relgraph.world.rfiles import read_r_table, whole
from tests.conftest import REPO, run_cli

RGID = "https://w3id.org/relgraph/id/"
COW_IGO = RGID + "dataset-cow-igo-3"


def cells(*args: str) -> dict[tuple[str, str, int], int]:
    result = run_cli("--root", str(REPO), "table", "igo-state-year", *args)
    assert result.code == 0, result.stderr
    # keyed by COW's abbreviation, else (an organisation COW IGO v3 does not hold) the local name
    return {(r["state"].removeprefix(RGID), r["igo"] or r["organisation"].removeprefix(RGID), int(r["year"])): int(r["status"]) for r in csv.DictReader(io.StringIO(result.stdout))}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # Georgia left the CIS on 2009-08-18: a member on 31 December 2008, not on 31 December 2009,
        # but a member on some day of 2009
        (("-O", "CIS", "--from", "2008", "--to", "2010"), {("georgia", "cis", 2008): 1, ("georgia", "cis", 2009): 0, ("georgia", "cis", 2010): 0}),
        (("-O", "CIS", "--from", "2009", "--to", "2009", "--year-rule", "any-day"), {("georgia", "cis", 2009): 1}),
        # Uzbekistan's return to the CSTO in June 2006 and its suspension decided on 2012-12-19
        # (TASS): no member on 31 December 2012, a member on some day of 2012
        (("-O", "CSTO", "--from", "2005", "--to", "2013"), {
            ("uzbekistan", "csto", 2005): 0, ("uzbekistan", "csto", 2006): 1, ("uzbekistan", "csto", 2011): 1, ("uzbekistan", "csto", 2012): 0, ("uzbekistan", "csto", 2013): 0,
        }),
        (("-O", "CSTO", "--from", "2012", "--to", "2012", "--year-rule", "any-day"), {("uzbekistan", "csto", 2012): 1}),
        # the EAEU exists from its treaty's entry into force on 2015-01-01 (Russian Embassy in
        # Thailand): -1 before, Kyrgyzstan a member from 2015-08-06
        (("-O", "EAEU", "--from", "2014", "--to", "2015"), {("russia", "eaeu", 2014): -1, ("russia", "eaeu", 2015): 1, ("kyrgyzstan", "eaeu", 2014): -1, ("kyrgyzstan", "eaeu", 2015): 1}),
        # the CSTO did not exist before COW's founding year 2002: -1
        (("-O", "CSTO", "--from", "2001", "--to", "2004"), {("russia", "csto", 2001): -1, ("russia", "csto", 2003): 1, ("armenia", "csto", 2003): 1}),
        # the USSR's seat, continued by Russia: the USSR's row ends in 1990, Russia's starts in 1991
        (("-O", "UN", "--from", "1990", "--to", "1992"), {("ussr", "un", 1990): 1, ("russia", "un", 1991): 1, ("russia", "un", 1992): 1, ("kazakhstan", "un", 1991): 0, ("kazakhstan", "un", 1992): 1}),
    ],
)
def test_hand_checked_cells(args: tuple[str, ...], expected: dict) -> None:
    found = cells(*args)
    assert {key: found.get(key) for key in expected} == expected


def test_the_ussr_has_no_row_after_its_end_and_russia_none_before() -> None:
    found = cells("-O", "UN", "--from", "1990", "--to", "1992")
    assert sorted(y for s, _, y in found if s == "ussr") == [1990]
    assert sorted(y for s, _, y in found if s == "russia") == [1991, 1992]


def test_cow_igo_v3s_table_rebuilt_from_its_claims_equals_the_original(world) -> None:
    """Built from COW IGO v3's claims only (any rank), the table equals state_year_format3 cell for
    cell for the CIS, the UN, the CSTO and NATO from 1965 (annual) to 2014, -9 cells excluded; the
    one row COW has that relgraph's rule (a system member on 31 December) does not is South
    Vietnam's 1975 (it ended on 1975-04-30), where COW's table is not consistent with its own rows
    for the Germanys and Yemens that ended in 1990."""
    frame = read_r_table(REPO / "graph/datasets/dieghernan+igoR/data/state_year_format3.rda", "state_year_format3")
    built = igo_state_year(world.store, [RGID + o for o in ("cis", "un", "csto", "nato")], 1965, 2014, "december-31", COW_IGO)
    for igo in ("cis", "un", "csto", "nato"):
        rows = built.rows[built.rows["igo"] == igo]
        ours: dict[tuple[int, int], set[int]] = {}
        for r in rows.itertuples():
            for code in r.ccode.split("|"):
                ours.setdefault((int(code), r.year), set()).add(r.status)
        original = {(whole(r.ccode), whole(r.year)): whole(getattr(r, igo)) for r in frame.itertuples() if whole(r.year) >= 1965 and whole(getattr(r, igo)) != -9}
        assert len(original) > 8000
        assert set(original) - set(ours) == {(817, 1975)} and set(ours) <= set(original)
        assert {k: {v} for k, v in original.items() if k in ours} == ours
    # every coded cell rests on at least one claim and source
    coded = built.rows[built.rows["status"] > 0]
    behind = built.sources.groupby(["state", "organisation", "year"]).size()
    assert len(coded) > 5000
    assert all(behind.get((r.state, r.organisation, r.year), 0) >= 1 for r in coded.itertuples())
    assert set(built.sources["source"]) == {COW_IGO}


def test_csv_parquet_codebook_and_sources_are_written_together(tmp_path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "cis.parquet"
    result = run_cli("--root", str(REPO), "table", "igo-state-year", "-O", "CIS", "--from", "2008", "--to", "2010", "--format", "parquet", "--output", str(out), "--with-sources")
    assert result.code == 0, result.stderr
    # no stale cell: Ukraine's founding-state claim, once confirmed only in 1991, now runs to
    # 2018-05-19 (the recall of its representatives from the CIS's bodies, pages of that day)
    assert result.stderr.splitlines() == [f"Wrote {out}, {tmp_path / 'cis.codebook.csv'}, {tmp_path / 'cis.sources.csv'} (582 rows)."]
    table = pq.read_table(out).to_pandas()
    as_csv = run_cli("--root", str(REPO), "table", "igo-state-year", "-O", "CIS", "--from", "2008", "--to", "2010")
    assert table.to_csv(index=False, lineterminator="\n") == as_csv.stdout
    assert [int(s) for s in table[table["iso3"] == "UKR"]["status"]] == [1, 1, 1]
    book = list(csv.DictReader((tmp_path / "cis.codebook.csv").open(encoding="utf-8")))
    assert [r["name"] for r in book if r["kind"] == "column"] == ["ccode", "gwcode", "iso3", "state", "state_name", "organisation", "igo", "year", "status"]
    assert {r["name"]: r["meaning"] for r in book if r["kind"] == "rule"}["year rule"] == "a state's status on 31 December of the year"
    sources = list(csv.DictReader((tmp_path / "cis.sources.csv").open(encoding="utf-8")))
    georgia_2008 = {r["source"].removeprefix(RGID) for r in sources if r["state"] == RGID + "georgia" and r["year"] == "2008"}
    assert georgia_2008 and COW_IGO.removeprefix(RGID) not in georgia_2008  # the curated claim, preferred to COW's


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-O", "Comonwealth of Independent States"), "Error: --organisation 'Comonwealth of Independent States' names no organisation; did you mean"),
        (("-O", "CIS", "--from", "2010", "--to", "2000"), "Error: the period ends (2000) before it starts (2010)"),
        (("-O", "CIS", "--format", "parquet"), "Error: --format parquet and --with-sources write files: give --output PATH"),
        (("--from", "2010"), "Error: igo-state-year needs at least one --organisation (-O CIS)"),
    ],
)
def test_bad_requests_are_one_line_errors(args: tuple[str, ...], message: str) -> None:
    result = run_cli("--root", str(REPO), "table", "igo-state-year", *args)
    assert result.code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_without_pandas_the_command_says_how_to_install_it(monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)  # as if the extra were not installed
    result = run_cli("--root", str(REPO), "table", "igo-state-year", "-O", "CIS")
    assert result.code == 2
    assert result.stderr.strip() == "Error: the tables need pandas: pip install 'relgraph[tables]'"


# ---- igo-dyad-year -------------------------------------------------------------------------


def dyads(*args: str) -> list[dict[str, str]]:
    result = run_cli("--root", str(REPO), "table", "igo-dyad-year", *args)
    assert result.code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_dyadigos_rebuilt_from_cow_igo_claims_equals_the_count_in_cows_table(world) -> None:
    """COW's dyadigos counts the organisations in which both states are full members: from COW IGO
    v3's claims alone it equals that count in state_year_format3 for dyads across the world."""
    from relgraph.tables.igo import igo_dyad_year

    frame = read_r_table(REPO / "graph/datasets/dieghernan+igoR/data/state_year_format3.rda", "state_year_format3")
    columns = [c for c in frame.columns if c not in ("ccode", "year", "state")]

    def cows(one: int, two: int, year: int) -> int:
        a = frame[(frame.ccode == one) & (frame.year == year)][columns].iloc[0]
        b = frame[(frame.ccode == two) & (frame.year == year)][columns].iloc[0]
        return int(((a == 1) & (b == 1)).sum())

    table = igo_dyad_year(world.store, [], 2005, 2014, source=COW_IGO).rows
    checked = 0
    for one, two in [(2, 200), (2, 365), (220, 255), (365, 702), (703, 705), (710, 740)]:
        for year in (2005, 2010, 2014):
            row = table[(table.ccode1 == one) & (table.ccode2 == two) & (table.year == year)]
            assert int(row.dyadigos.iloc[0]) == cows(one, two, year), (one, two, year)
            checked += 1
    assert checked == 18


def test_dyads_in_the_fields_order_with_their_joint_memberships() -> None:
    rows = dyads("-O", "CIS", "-O", "CSTO", "--from", "2001", "--to", "2009")
    assert all(int(r["ccode1"]) < int(r["ccode2"]) and int(r["dyadid"]) == 1000 * int(r["ccode1"]) + int(r["ccode2"]) for r in rows)
    by_year: dict[str, int] = {}
    for r in rows:
        by_year[r["year"]] = by_year.get(r["year"], 0) + 1
    states_2009 = len({r["state1"] for r in rows if r["year"] == "2009"} | {r["state2"] for r in rows if r["year"] == "2009"})
    assert by_year["2009"] == states_2009 * (states_2009 - 1) // 2  # every pair of system members once

    def cell(a: int, b: int, year: int, column: str) -> str:
        return next(r[column] for r in rows if (int(r["ccode1"]), int(r["ccode2"]), int(r["year"])) == (a, b, year))

    # Russia (365) and Tajikistan (702) in the CSTO: not yet in existence in 2001 (COW's founding
    # year 2002), no joint membership in 2002, joint from the Charter's entry into force in 2003
    assert [cell(365, 702, y, "csto") for y in (2001, 2002, 2003)] == ["-1", "0", "1"]
    # Russia and Georgia (372) in the CIS: joint until Georgia's withdrawal took effect in 2009
    assert [cell(365, 372, y, "cis") for y in (2008, 2009)] == ["1", "0"]
    # an associate member and a full member are no joint membership: Turkmenistan (701), an
    # associate member of the CIS from 2005
    assert cell(365, 701, 2006, "cis") == "0" and cell(365, 701, 2004, "cis") == "1"


def test_the_dyad_table_writes_its_codebook_and_the_sources_of_its_chosen_columns(tmp_path) -> None:
    out = tmp_path / "dyads.csv"
    result = run_cli("--root", str(REPO), "table", "igo-dyad-year", "-O", "CSTO", "--from", "2010", "--to", "2010", "--output", str(out))
    assert result.code == 0, result.stderr
    book = {r["name"]: r for r in csv.DictReader((tmp_path / "dyads.codebook.csv").open(encoding="utf-8"))}
    assert book["csto"]["meaning"].startswith("COW's dyadic codebook, as igoR's documentation quotes it: 'No Joint Membership 0, Joint Full Membership 1")
    assert book["dyadigos"]["type"] == "integer"
    assert "it is a lower bound: the command's note says how many state-organisation-years it leaves out" in book["dyadigos"]["meaning"]
    refused = run_cli("--root", str(REPO), "table", "igo-dyad-year", "--from", "2010", "--to", "2010", "--output", str(out), "--with-sources")
    assert refused.code == 2
    assert refused.stderr == "Error: igo-dyad-year --with-sources lists the claims behind the --organisation columns: choose one or more (-O CIS)\n"
    # Russia and Georgia joint in the CIS in 2008: the cell rests on both states' CIS claims
    result = run_cli("--root", str(REPO), "table", "igo-dyad-year", "-O", "CIS", "--from", "2008", "--to", "2009", "--output", str(out), "--with-sources")
    assert result.code == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    sources = list(csv.DictReader((tmp_path / "dyads.sources.csv").open(encoding="utf-8")))
    assert list(sources[0]) == ["state1", "state2", "year", "column", "claim", "source"]
    cited = {(s["state1"], s["state2"], s["year"], s["column"]) for s in sources}
    coded = {(r["state1"], r["state2"], r["year"], "cis") for r in rows if r["cis"] == "1"}
    assert coded and cited == coded  # every coded cell, and only those, has its claims and sources
    ru_ge = {(s["claim"].rsplit("/", 1)[-1]) for s in sources if (s["state1"], s["state2"], s["year"]) == (RGID + "russia", RGID + "georgia", "2008")}
    assert ru_ge == {"cis-member-georgia", "membership-russia-cis"}
    assert not any((s["state1"], s["state2"], s["year"]) == (RGID + "russia", RGID + "georgia", "2009") for s in sources)


def test_a_source_that_no_membership_cites_is_refused() -> None:
    result = run_cli("--root", str(REPO), "table", "igo-dyad-year", "--from", "2000", "--to", "2000", "--source", "RU")
    assert result.code == 2
    assert result.stderr == "Error: --source RU: no membership claim cites <https://w3id.org/relgraph/id/russia>; give a source of memberships, such as dataset-cow-igo-3\n"


def test_stale_memberships_are_missing_data_unless_asked_for(tmp_path) -> None:
    """Armenia in the Council of Europe: COW IGO v3 codes it a member from 2001, confirmed until
    2014-12-31, and the graph has no later source: a member to 2019 (within five years), -9 from
    2020, as the members query leaves the answer out; --include-stale codes it 1 to 2025. Russia,
    whose expulsion on 2022-03-16 is curated (Interfax-Ukraine), is 1 to 2021 and 0 after."""

    def coe(*extra: str) -> tuple[dict[tuple[str, int], str], str]:
        result = run_cli("--root", str(REPO), "table", "igo-state-year", "-O", "coe", "--from", "2018", "--to", "2025", *extra)
        assert result.code == 0, result.stderr
        rows = csv.DictReader(io.StringIO(result.stdout))
        return {(r["state"].removeprefix(RGID), int(r["year"])): r["status"] for r in rows if r["state"] in (RGID + "armenia", RGID + "russia")}, result.stderr

    cells, notes = coe()
    assert {y: cells[("armenia", y)] for y in range(2018, 2026)} == {2018: "1", 2019: "1", **{y: "-9" for y in range(2020, 2026)}}
    assert {y: cells[("russia", y)] for y in range(2018, 2026)} == {**{y: "1" for y in range(2018, 2022)}, **{y: "0" for y in range(2022, 2026)}}
    assert notes.startswith("Note: ") and "last confirmed 2014; COW Intergovernmental Organizations v3 (igoR copy)" in notes and notes.count("\n") == 1
    cells, notes = coe("--include-stale")
    assert {y: cells[("armenia", y)] for y in range(2018, 2026)} == {y: "1" for y in range(2018, 2026)} and notes == ""
    # in the dyad table, a joint membership with a missing status is missing too
    result = run_cli("--root", str(REPO), "table", "igo-dyad-year", "-O", "coe", "--from", "2021", "--to", "2021")
    row = next(r for r in csv.DictReader(io.StringIO(result.stdout)) if (r["ccode1"], r["ccode2"]) == ("2", "371"))
    assert row["coe"] == "-9"  # the United States is no member (0); Armenia's status is missing
    # and its note counts state-organisation-years, which dyadigos leaves out (a new user read the
    # falling dyadigos after 2019 as an answer, and the count as one of the table's cells)
    note = result.stderr.splitlines()[0]
    assert note.startswith("Note: ") and " state-organisation-years rest only on claims last confirmed more than 5 years before their year (" in note
    assert note.endswith("dyadigos leaves them out, so it counts only confirmed joint memberships, and an organisation's column is -9 (missing data) "
                         "where either state's status is; --include-stale counts them by those claims.")


def test_no_year_after_this_one() -> None:
    result = run_cli("--root", str(REPO), "table", "igo-state-year", "-O", "UN", "--to", "2030")
    assert result.code == 2
    assert result.stderr == "Error: --to 2030 is after this year (2026): the graph records no future; give --to 2026 or earlier\n"


def test_columns_in_the_order_given_with_names_statistics_packages_read() -> None:
    result = run_cli("--root", str(REPO), "table", "igo-dyad-year", "-O", "SCO", "-O", "CIS", "-O", "atop-4220", "--from", "2024", "--to", "2024")
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[0].endswith(",dyadigos,sco,cis,atop_4220")


def test_a_failed_write_leaves_every_existing_file_as_it_was(tmp_path) -> None:
    out = tmp_path / "t.csv"
    out.write_text("KEEP\n", encoding="utf-8")
    (tmp_path / "t.codebook.csv").mkdir()  # where the codebook would go
    result = run_cli("--root", str(REPO), "table", "igo-state-year", "-O", "NATO", "--from", "2000", "--to", "2000", "--output", str(out))
    assert result.code == 2
    assert result.stderr == f"Error: {tmp_path / 't.codebook.csv'}: is a folder, where --output {out}'s codebook would go; move it or give --output another name\n"
    assert out.read_text(encoding="utf-8") == "KEEP\n" and sorted(p.name for p in tmp_path.iterdir()) == ["t.codebook.csv", "t.csv"]


def test_the_suffix_chooses_the_format_and_may_not_contradict_it(tmp_path) -> None:
    result = run_cli("--root", str(REPO), "table", "igo-state-year", "-O", "CIS", "--from", "2000", "--to", "2000", "--output", str(tmp_path / "a.parquet"))
    assert result.code == 0 and (tmp_path / "a.parquet").read_bytes()[:4] == b"PAR1"
    refused = run_cli("--root", str(REPO), "table", "igo-state-year", "-O", "CIS", "--format", "parquet", "--output", str(tmp_path / "a.csv"))
    assert refused.code == 2 and refused.stderr == f"Error: --output {tmp_path / 'a.csv'} names a .csv file, but --format is parquet: name it .parquet, or leave --format out\n"
    assert not (tmp_path / "a.csv").exists()
