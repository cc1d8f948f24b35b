"""Time travel: --as-of at the edges of partial dates, open ends that are unconfirmed, a fact
file that changes the answers, treaty status derived on a date; inference; shortcuts; CI output."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from tests.conftest import DATA, REPO, RGID, run_cli, WORLD_LAYER_FILES

AMBASSADORS = DATA / "queries" / "ambassadors"


def rows(result) -> list[dict[str, str]]:
    assert result.code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.fixture
def fixture_root(tmp_path):
    """A root whose graph/ holds only one query fixture (the ambassadors one)."""
    root = tmp_path / "root"
    shutil.copytree(REPO / "ontology", root / "ontology")
    shutil.copytree(REPO / "queries", root / "queries")
    (root / "graph").mkdir()
    shutil.copy(AMBASSADORS / "data.ttl", root / "graph" / "ambassadors.ttl")
    return root


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2012-12-31", []),  # the day before a start known only as "2013"
        ("2013-01-01", ["envoy-one"]),  # its first day
        ("2014-06-01", ["envoy-one"]),  # inside
        ("2015-06-30", ["envoy-one"]),  # the last day of an end known only as "June 2015"
        ("2015-07-01", ["envoy-two"]),  # the day after: the successor
    ],
)
def test_as_of_at_the_edges_of_partial_dates(fixture_root, day, expected) -> None:
    result = run_cli("--root", str(fixture_root), "query", "--include-stale", "ambassadors", "-p", "sending=AL", "-p", "receiving=BE", "--as-of", day, "--format", "csv")
    assert [r["person"].rsplit("/", 1)[1] for r in rows(result)] == expected
    assert f"As of {day} (--as-of)." in result.stderr


def test_an_open_end_past_its_sources_is_unconfirmed_in_every_format() -> None:
    machine = rows(run_cli("query", "--include-stale", "ambassadors", "-p", "sending=TJ", "-p", "receiving=RU", "--format", "csv"))
    # Gulmahmadzoda, last confirmed by TASS of 8 September 2025 (the tests' day is 2026-11-29)
    assert [(r["person"], r["unconfirmed_after"]) for r in machine] == [(RGID + "davlatshoh-gulmahmadzoda", "2025-09-08")]
    json_rows = json.loads(run_cli("query", "--include-stale", "ambassadors", "-p", "sending=TJ", "-p", "receiving=RU", "--format", "json").stdout)["results"]["bindings"]
    assert json_rows[0]["unconfirmed_after"] == {"type": "literal", "value": "2025-09-08", "datatype": "http://www.w3.org/2001/XMLSchema#date"}
    assert "unconfirmed after 2025-09-08" in run_cli("query", "--include-stale", "ambassadors", "-p", "sending=TJ", "-p", "receiving=RU").stdout
    # within what the sources confirm, nothing is flagged
    assert rows(run_cli("query", "--include-stale", "ambassadors", "-p", "sending=TJ", "-p", "receiving=RU", "--as-of", "2025-06-01", "--format", "csv"))[0]["unconfirmed_after"] == ""


def test_memberships_confirmed_only_up_to_their_sources() -> None:
    flagged = {r["organisation"].rsplit("/", 1)[1]: r["unconfirmed_after"] for r in rows(run_cli("query", "--include-stale", "memberships", "-p", "state=TJ", "--format", "csv"))}
    # the sources confirm each membership up to their latest date: TRT World 2025-10-10, 24.kg 2025-11-27, Prensa Latina 2025-08-31
    assert flagged == {"cis": "2025-10-10", "csto": "2025-11-27", "sco": "2025-08-31"}


def test_adding_a_fact_file_changes_the_answers(tmp_path) -> None:
    root = tmp_path / "root"
    for folder in ("ontology", "queries", "graph"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("tables", "datasets", *WORLD_LAYER_FILES))  # the hand-written graph
    shutil.copy(DATA / "successor" / "successor.ttl", root / "graph" / "successor.ttl")
    assert run_cli("--root", str(root), "validate").code == 0

    def ambassador(day: str) -> list[str]:
        result = run_cli("--root", str(root), "query", "--include-stale", "ambassadors", "-p", "sending=RU", "-p", "receiving=TJ", "--as-of", day, "--format", "csv")
        return [r["person"].rsplit("/", 1)[1] for r in rows(result)]

    assert ambassador("2024-06-01") == ["semyon-grigoryev"]
    assert ambassador("2026-03-31") == ["semyon-grigoryev"]
    assert ambassador("2026-04-01") == ["test-successor"]
    assert ambassador("2026-11-29") == ["test-successor"]
    # and without the file, the shipped graph still answers with the first
    assert rows(run_cli("query", "--include-stale", "ambassadors", "-p", "sending=RU", "-p", "receiving=TJ", "--as-of", "2026-11-29", "--format", "csv"))[0]["person"] == RGID + "semyon-grigoryev"


@pytest.mark.parametrize(
    ("day", "russia", "tajikistan"),
    [
        ("1998-11-29", "not-signatory", "not-signatory"),
        ("2001-01-01", "signatory", "consented-not-in-force"),
        ("2010-01-01", "signatory", "state-party"),
        ("2017-01-01", "signature-withdrawn", "state-party"),
        ("2023-03-17", "signature-withdrawn", "state-party"),
    ],
)
def test_rome_statute_status_on_a_date(day, russia, tajikistan) -> None:
    statuses = {r["state"].rsplit("/", 1)[1]: r["status"].rsplit("/", 1)[1] for r in rows(
        run_cli("query", "--include-stale", "treaty-status", "-p", "treaty=Rome Statute", "--as-of", day, "--format", "csv"))}
    assert statuses == {"russia": russia, "tajikistan": tajikistan}


def test_all_claims_shows_the_articles_signatory_claim_ranked_below_the_derivation() -> None:
    best = rows(run_cli("query", "--include-stale", "treaty-status", "-p", "treaty=rome-statute", "--format", "csv"))
    assert {r["claimed_status"] for r in best} == {""}
    every = rows(run_cli("query", "--include-stale", "treaty-status", "-p", "treaty=rome-statute", "--all-claims", "--format", "csv"))
    tajikistan = [r for r in every if r["state"].endswith("tajikistan")]
    assert {(r["status"].rsplit("/", 1)[1], r["claimed_status"].rsplit("/", 1)[1], r["claim_rank"].rsplit("#", 1)[1], r["claim_disputed_by"]) for r in tajikistan} == {
        ("state-party", "signatory", "NormalRank", RGID + "rome-statute-status-tajikistan-state-party-pga"),
        ("state-party", "state-party", "PreferredRank", ""),
    }


def test_all_claims_brings_back_disputed_claims(tmp_path) -> None:
    root = tmp_path / "root"
    shutil.copytree(REPO / "ontology", root / "ontology")
    shutil.copytree(REPO / "queries", root / "queries")
    (root / "graph").mkdir()
    shutil.copy(DATA / "queries" / "memberships" / "data.ttl", root / "graph" / "m.ttl")
    best = {r["organisation"].rsplit("/", 1)[1] for r in rows(run_cli("--root", str(root), "query", "--include-stale", "memberships", "-p", "state=AL", "--format", "csv"))}
    every = rows(run_cli("--root", str(root), "query", "--include-stale", "memberships", "-p", "state=AL", "--all-claims", "--format", "csv"))
    assert best == {"union"}
    assert {(r["organisation"].rsplit("/", 1)[1], r["rank"].rsplit("#", 1)[1], r["disputed_by"].rsplit("/", 1)[-1]) for r in every} == {
        ("union", "NormalRank", ""), ("club", "DeprecatedRank", "alpha-club-never"), ("council", "NormalRank", "alpha-council-not")}


def test_as_of_and_all_claims_are_refused_where_they_mean_nothing() -> None:
    assert run_cli("query", "remittances", "-p", "state=TJ", "--as-of", "2010-01-01").code == 2
    assert run_cli("query", "treaties-between", "-p", "a=RU", "-p", "b=TJ", "--all-claims").code == 2


# --------------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ((), ["1992-04-08", "1992-04-08", "1992-04-08", "1992-05-04", "1993-05-25", "1993-05-25"]),
        (("--from", "1993-01-01", "--to", "1993-12-31"), ["1993-05-25", "1993-05-25"]),
        # a date known only as "2013" may fall on any of its days: it is in a period of one day of that year
        (("--from", "2013-06-01", "--to", "2013-06-01"), ["2013"]),
        # the attack on Crocus City Hall, the detention, the verdict (2026-03-12)
        (("--from", "2024-03-01"), ["2024-03-22", "2024-03-23", "2026-03-12"]),
        (("--to", "1992-04-30"), ["1992-04-08", "1992-04-08", "1992-04-08"]),
    ],
)
def test_timeline_takes_a_period(period, expected) -> None:
    found = [r["date"] for r in rows(run_cli("query", "timeline", "-p", "a=RU", "-p", "b=TJ", *period, "--format", "csv"))]
    assert found[: len(expected)] == expected
    if period:
        assert len(found) == len(expected)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("query", "memberships", "-p", "state=RU", "--from", "2000-01-01"), "Error: --from: the query 'memberships' takes no period (relgraph queries marks the queries that do)"),
        (("query", "timeline", "-p", "a=RU", "-p", "b=TJ", "--from", "2001-01-01", "--to", "2000-12-31"), "Error: --from 2001-01-01 is after --to 2000-12-31; the period's first day comes first"),
        (("query", "wars", "-p", "state=RU", "--to", "2001"), "Error: --to '2001' is not a date; write YYYY-MM-DD, for example 2020-06-01"),
    ],
)
def test_a_period_is_refused_where_it_means_nothing_or_is_not_one(args, message) -> None:
    result = run_cli(*args)
    assert result.code == 2
    assert result.stderr.strip().splitlines()[-1] == message


# ------------------------------------------------------------------------------ inference


def test_inference_is_visible_to_queries_and_never_exported(tmp_path) -> None:
    ask = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a org:Membership }"
    plain = json.loads(run_cli("sparql", "--format", "json", ask).stdout)["results"]["bindings"][0]["n"]["value"]
    inferred = json.loads(run_cli("sparql", "--format", "json", "--infer", "rdfs", ask).stdout)["results"]["bindings"][0]["n"]["value"]
    assert (plain, inferred) == ("0", "17")
    assert run_cli("query", "--include-stale", "memberships", "-p", "state=RU", "--infer", "owl-rl", "--format", "csv").code == 0
    export = run_cli("export", "--format", "nt").stdout
    assert f"<{RGID}membership-russia-cis> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/relgraph/ontology#Membership>" in export
    assert f"<{RGID}membership-russia-cis> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/org#Membership>" not in export


@pytest.mark.parametrize("mode", ["rdfs", "owl-rl"])
def test_the_shipped_graph_conforms_with_inference(mode) -> None:
    result = run_cli("validate", "--infer", mode)
    assert result.code == 0 and "0 violations, 0 warnings, 0 infos; conforms." in result.stdout


def test_inference_drops_owlrl_literal_artefacts(loaded) -> None:
    import pyoxigraph as ox

    from relgraph.graph.inference import infer

    new = infer(loaded.triples(), "owl-rl")
    assert new
    assert not any(t.predicate.value.endswith("#sameAs") and t.subject == t.object for t in new)
    china = [t for t in new if t.subject == ox.NamedNode(RGID + "china-org-cn") and isinstance(t.object, ox.Literal)]
    assert china == []
    # the caller's triples are untouched
    assert len(loaded.triples()) == len(loaded.triples())


# ------------------------------------------------------------------------------ shortcuts


def test_shortcut_triples_are_derived_from_best_ranked_claims() -> None:
    query = "SELECT ?o WHERE { rgid:tajikistan rg:memberOf ?o } ORDER BY ?o"
    found = [b["o"]["value"].rsplit("/", 1)[1] for b in json.loads(run_cli("sparql", "--format", "json", query).stdout)["results"]["bindings"]]
    assert found == ["cis", "csto", "sco", "shanghai-five"]
    both = "ASK { rgid:russia rg:hasDiplomaticRelationsWith rgid:tajikistan . rgid:tajikistan rg:hasDiplomaticRelationsWith rgid:russia }"
    assert run_cli("sparql", both).stdout.strip() == "yes"


# ---------------------------------------------------------------------------- CI formats


def test_github_annotations() -> None:
    fixture = DATA / "shapes" / "invalid" / "bilateral-relation-without-russian-label.ttl"
    out = run_cli("validate", "--standalone", "--format", "github", "--fail-on", "warning", str(fixture))
    assert out.code == 1
    assert out.stdout.startswith("::warning file=tests/data/shapes/invalid/bilateral-relation-without-russian-label.ttl,line=18,title=relgraph%3A Alpha–Beta relations::")
    clean = run_cli("validate", "--format", "github")
    assert clean.code == 0 and clean.stdout == ""


def test_pre_commit_hooks_are_defined() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: relgraph-validate" in text and "entry: relgraph validate" in text
    assert "- id: relgraph-format" in text and "entry: relgraph format --check" in text


# ------------------------------------------------------- claims without a start, stale answers


MEMBERSHIPS = DATA / "queries" / "memberships"


@pytest.fixture
def memberships_root(tmp_path):
    """A root whose graph/ holds only the memberships fixture (Gamma's memberships have no start)."""
    root = tmp_path / "root"
    shutil.copytree(REPO / "ontology", root / "ontology")
    shutil.copytree(REPO / "queries", root / "queries")
    (root / "graph").mkdir()
    shutil.copy(MEMBERSHIPS / "data.ttl", root / "graph" / "memberships.ttl")
    return root


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("1990-01-01", []),  # the CSTO did not exist; the claim is known only in 2022
        ("2021-12-31", []),  # the day before the earliest day of its point in time
        ("2022-01-01", ["csto"]),
        ("2022-06-01", ["csto"]),
    ],
)
def test_a_claim_known_only_at_a_point_in_time_holds_from_its_first_day(day, expected) -> None:
    result = run_cli("query", "--include-stale", "memberships", "-p", "state=AM", "--as-of", day, "--format", "csv")
    assert [r["organisation"].rsplit("/", 1)[1] for r in rows(result)] == expected
    assert [r["unconfirmed_before"] for r in rows(result)] == [""] * len(expected)
    if not expected:
        assert "No matching facts are recorded" in result.stderr


def test_the_first_confirmation_is_derived_at_load_time_for_claims_without_a_start() -> None:
    query = """SELECT ?claim ?day WHERE {
        VALUES ?claim { rgid:membership-armenia-csto rgid:membership-kazakhstan-csto rgid:membership-russia-cis }
        OPTIONAL { ?claim rg:unconfirmedBefore ?day } } ORDER BY ?claim"""
    found = rows(run_cli("sparql", "--format", "csv", query))
    assert [(r["claim"].rsplit("/", 1)[1], r["day"]) for r in found] == [
        ("membership-armenia-csto", "2022-01-01"),  # rg:pointInTime "2022"
        ("membership-kazakhstan-csto", "2022-01-01"),
        ("membership-russia-cis", ""),  # it has a start: it holds from its start
    ]
    # in the derived graph, never in a facts file
    where = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?c rg:unconfirmedBefore ?d } }"
    assert [r["g"] for r in rows(run_cli("sparql", "--format", "csv", where))] == ["https://w3id.org/relgraph/graph/derived"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2018-04-30", []),  # before the earliest source date (May 2018, the date of the document a cited part belongs to)
        ("2018-05-01", ["assembly"]),
        ("2021-03-01", ["assembly", "league"]),  # the League's earliest point in time is March 2021
    ],
)
def test_a_claim_with_no_date_holds_from_its_earliest_source_date(memberships_root, day, expected) -> None:
    result = run_cli("--root", str(memberships_root), "query", "--include-stale", "memberships", "-p", "state=GA", "--as-of", day, "--format", "csv")
    assert [r["organisation"].rsplit("/", 1)[1] for r in rows(result)] == expected


def test_all_claims_shows_a_claim_before_its_first_confirmation_with_that_day(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    machine = run_cli("query", "--include-stale", "memberships", "-p", "state=AM", "--as-of", "1990-01-01", "--all-claims", "--format", "csv")
    assert [(r["organisation"].rsplit("/", 1)[1], r["unconfirmed_before"], r["unconfirmed_after"]) for r in rows(machine)] == [("csto", "2022-01-01", "")]
    note = "Note: 1 of 1 row rests on a claim first confirmed after 1990-01-01 (on 2022-01-01); see the unconfirmed_before column."
    assert machine.stderr.splitlines() == ["As of 1990-01-01 (--as-of).", note]
    table = run_cli("query", "--include-stale", "memberships", "-p", "state=AM", "--as-of", "1990-01-01", "--all-claims")
    assert table.code == 0 and "unconfirmed before 2022-01-01" in table.stdout
    assert note in table.stderr.splitlines()
    # once confirmed, the column is empty and nothing is noted
    later = run_cli("query", "--include-stale", "memberships", "-p", "state=AM", "--as-of", "2022-06-01", "--all-claims", "--format", "csv")
    assert [r["unconfirmed_before"] for r in rows(later)] == [""]
    assert "Note:" not in later.stderr


def test_a_stale_answer_says_so_on_standard_error(monkeypatch) -> None:
    monkeypatch.setenv("RELGRAPH_TODAY", "2026-12-06")
    one = "Note: 1 of 1 row rests on a claim last confirmed before 2026-12-06 (on 2025-12-26); see the unconfirmed_after column."
    for fmt in ("table", "csv", "tsv", "json", "xml"):
        result = run_cli("query", "--include-stale", "ambassadors", "-p", "sending=RU", "-p", "receiving=TJ", "--format", fmt)
        assert result.code == 0, result.stderr
        assert result.stderr.splitlines() == ["As of 2026-12-06 (today, fixed by RELGRAPH_TODAY).", one], fmt
    several = run_cli("query", "--include-stale", "memberships", "-p", "state=TJ", "--format", "csv")
    assert [r["organisation"].rsplit("/", 1)[1] for r in rows(several) if r["unconfirmed_after"]] == ["csto", "cis", "sco"]
    assert several.stderr.splitlines()[-1] == (
        "Note: 3 of 3 rows rest on claims last confirmed before 2026-12-06 (the oldest on 2025-08-31); see the unconfirmed_after column."
    )
    # within what the sources confirm, no note
    fresh = run_cli("query", "--include-stale", "ambassadors", "-p", "sending=RU", "-p", "receiving=TJ", "--as-of", "2025-06-01", "--format", "csv")
    assert rows(fresh)[0]["unconfirmed_after"] == "" and "Note:" not in fresh.stderr


def test_the_note_goes_to_standard_error_when_the_answer_goes_to_a_file(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RELGRAPH_TODAY", "2026-12-06")
    target = tmp_path / "answer.json"
    result = run_cli("query", "--include-stale", "ambassadors", "-p", "sending=RU", "-p", "receiving=TJ", "--format", "json", "--output", str(target))
    assert result.code == 0 and result.stdout == ""
    assert "Note: 1 of 1 row rests on a claim last confirmed before 2026-12-06 (on 2025-12-26); see the unconfirmed_after column." in result.stderr.splitlines()
    assert json.loads(target.read_text(encoding="utf-8"))["results"]["bindings"][0]["unconfirmed_after"]["value"] == "2025-12-26"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("memberships", "-p", "state=RU", "--format", "turtle"), "Error: --format turtle is for CONSTRUCT queries; this one is a SELECT: use table, csv, tsv, json or xml"),
        (("memberships", "-p", "state=RU", "--format", "json-ld", "--as-of", "2020-01-01"), "Error: --format json-ld is for CONSTRUCT queries; this one is a SELECT: use table, csv, tsv, json or xml"),
        (("describe", "-p", "entity=TJ", "--format", "csv"), "Error: --format csv is for SELECT queries; this one is a CONSTRUCT: use turtle, nt, json-ld or rdfxml"),
        (("memberships", "-p", "state=RU", "--output", "answer.txt"), "Error: --output needs a machine format: --format csv, tsv, json or xml"),
    ],
)
def test_a_format_the_answer_cannot_take_is_refused_before_anything_is_printed(tmp_path, monkeypatch, args, message) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("query", *args)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [message]
    assert not (tmp_path / "answer.txt").exists()


COVERAGE = DATA / "confirmation" / "coverage-end.ttl"


@pytest.fixture
def coverage_root(tmp_path):
    """A root whose graph/ holds only claims citing a data set with a coverage end."""
    root = tmp_path / "root"
    shutil.copytree(REPO / "ontology", root / "ontology")
    shutil.copytree(REPO / "queries", root / "queries")
    (root / "graph").mkdir()
    shutil.copy(COVERAGE, root / "graph" / "coverage.ttl")
    return root


def test_a_data_set_confirms_its_claims_until_its_coverage_end_not_its_release(coverage_root) -> None:
    assert run_cli("--root", str(coverage_root), "validate", "--fail-on", "info").code == 0
    query = "SELECT ?claim ?day WHERE { ?claim rg:confirmedUntil ?day } ORDER BY ?claim"
    found = rows(run_cli("--root", str(coverage_root), "sparql", "--format", "csv", query))
    assert [(r["claim"].rsplit("/", 1)[1], r["day"]) for r in found] == [
        ("alpha-council", "2017-12-31"),  # a source without a coverage end: its date, "2017"
        ("alpha-forum", "2018-12-31"),  # its own point in time is later than the data set's coverage
        ("alpha-league", "2016-12-31"),  # a row (source part) of the data set counts with its coverage end
        ("alpha-pact", "2024-05-02"),  # also cites a later page
        ("alpha-union", "2016-12-31"),  # only the data set: released 2017, data to 2016-12-31
    ]


@pytest.mark.parametrize(("day", "expected"), [("2016-12-31", ""), ("2017-01-01", "2016-12-31")])
def test_a_day_after_a_data_sets_coverage_is_unconfirmed(coverage_root, day, expected) -> None:
    result = run_cli("--root", str(coverage_root), "query", "--include-stale", "memberships", "-p", "state=AL", "--as-of", day, "--format", "csv")
    flagged = {r["organisation"].rsplit("/", 1)[1]: r["unconfirmed_after"] for r in rows(result)}
    assert flagged["union"] == expected
    assert flagged["league"] == expected
    assert flagged["pact"] == ""
    assert flagged["council"] == ""
