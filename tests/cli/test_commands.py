"""The command line: exit codes, output formats, errors without tracebacks, safety of ad-hoc
queries, atomic exports, --root."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

import pyoxigraph as ox
import pytest
import rdflib

from tests.conftest import DATA, REPO, RGID, nonempty, run_cli, WORLD_LAYER_FILES
from relgraph.query.catalogue import load_catalogue

CATALOGUE = load_catalogue(sorted((REPO / "queries").glob("*.rq")))
COMMANDS = ["validate", "queries", "query", "describe", "sparql", "export", "format", "diff"]


def example_params(name: str) -> list[str]:
    args = []
    for p in CATALOGUE[name].parameters:
        args += ["--param", f"{p.name}={p.example}"]
    return args


# ------------------------------------------------------------------------------ help


def test_top_level_help_lists_every_command() -> None:
    result = run_cli("--help")
    assert result.code == 0
    for command in COMMANDS:
        assert command in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command) -> None:
    result = run_cli(command, "--help")
    assert result.code == 0
    assert len(result.stdout.split("\n\n", 2)[1].strip()) > 20, "the command's help has no description"


def test_every_stored_query_is_in_the_catalogue_with_help() -> None:
    result = run_cli("queries", "--format", "json")
    listed = json.loads(result.stdout)
    assert [q["name"] for q in listed] == sorted(CATALOGUE)
    for q in listed:
        assert q["title"] and len(q["description"]) > 40
        assert q["columns"] if q["form"] == "SELECT" else q["form"] == "CONSTRUCT" and not q["columns"]
    table = run_cli("queries").stdout
    for name in CATALOGUE:
        assert name in table


def test_version() -> None:
    assert run_cli("--version").stdout.strip() == "relgraph, version 0.1.0"


# -------------------------------------------------------------------------- validate


def test_validate_the_shipped_graph_exits_0() -> None:
    result = run_cli("validate")
    assert result.code == 0
    assert "0 violations, 0 warnings, 0 infos; conforms." in result.stdout


def test_validate_json_and_turtle_reports() -> None:
    body = json.loads(run_cli("validate", "--format", "json").stdout)
    assert body == {"conforms": True, "complete": True, "warnings": [], "counts": {"violation": 0, "warning": 0, "info": 0}, "results": []}
    fixture = DATA / "shapes" / "invalid" / "claim-without-source.ttl"
    report = rdflib.Graph().parse(data=run_cli("validate", "--standalone", "--format", "turtle", str(fixture)).stdout, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, sh.conforms, rdflib.Literal(False)) in report
    assert list(report.objects(None, sh.focusNode)) == [rdflib.URIRef("https://example.org/fixture/cooperation")]
    assert list(report.objects(None, sh.sourceConstraintComponent)) == [sh.MinCountConstraintComponent]


def test_validate_a_file_with_the_shipped_graph_reports_only_its_nodes(tmp_path) -> None:
    extra = tmp_path / "ending.ttl"
    extra.write_text(
        "@prefix rg: <https://w3id.org/relgraph/ontology#> .\n@prefix rgid: <https://w3id.org/relgraph/id/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix prov: <http://www.w3.org/ns/prov#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n"
        "# The posting began in 2022; an end in 2010 is before it.\n"
        'rgid:source-test a rg:Source ; rdfs:label "Test source"@en ; <https://schema.org/url> <https://example.org/fixture/page/source-test> .\n'
        'rgid:posting-semyon-grigoryev rg:end "2010"^^xsd:gYear ; prov:wasDerivedFrom rgid:source-test .\n',
        encoding="utf-8",
    )
    result = run_cli("validate", "--format", "json", str(extra))
    body = json.loads(result.stdout)
    assert result.code == 1
    assert [(r["focusNode"], r["resultPath"], r["sourceConstraintComponent"]) for r in body["results"]] == [
        (RGID + "posting-semyon-grigoryev", "https://w3id.org/relgraph/ontology#end", "http://www.w3.org/ns/shacl#SPARQLConstraintComponent")
    ]
    # where the node is defined: the file holding its rdf:type triple, at the first line naming it
    lines = (REPO / "graph" / "diplomacy.ttl").read_text(encoding="utf-8").splitlines()
    defined = 1 + next(i for i, line in enumerate(lines) if line.startswith("rgid:posting-semyon-grigoryev a rg:DiplomaticPosting"))
    assert body["results"][0]["file"].endswith("graph/diplomacy.ttl") and body["results"][0]["line"] == defined


def test_a_turtle_syntax_error_names_the_file_and_line(tmp_path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix rg: <https://w3id.org/relgraph/ontology#> .\n\n<https://w3id.org/relgraph/id/x> a rg:State\n<y> .\n", encoding="utf-8")
    result = run_cli("validate", str(bad))
    assert result.code == 2
    assert f"{bad}:4: Turtle syntax error" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_an_en_dash_in_a_prefixed_name_is_a_syntax_error(tmp_path) -> None:
    bad = tmp_path / "dash.ttl"
    bad.write_text("@prefix rgid: <https://w3id.org/relgraph/id/> .\nrgid:russia–tajikistan a rgid:x .\n", encoding="utf-8")
    result = run_cli("validate", "--standalone", str(bad))
    assert result.code == 2 and f"{bad}:2:" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "no-such-file.ttl"], "no-such-file.ttl: no such file"),
        (["validate", "--standalone"], "--standalone needs the files to validate"),
        (["validate", "--fail-on", "never"], "Invalid value for '--fail-on'"),
        (["query", "no-such-query"], "no stored query is called 'no-such-query'; choose one of: ambassadors,"),
        (["query", "member", "-p", "organisation=UN"], "no stored query is called 'member'; did you mean 'members'? choose one of: ambassadors,"),
        (["query", "memberships", "--param", "state=Atlantis"], "names no state; valid states: AF (Afghanistan)"),
        (["query", "memberships", "--param", "state"], "write KEY=VALUE"),
        (["query", "memberships"], "needs --param state="),
        (["query", "shared-memberships", "-p", "a=RU", "-p", "b=TJ", "-p", "c=KZ"], "has no parameter 'c'"),
        (["--root", "/no/such/folder", "queries"], "no such folder"),
        (["export", "--format", "xml"], "Invalid value for '--format'"),
    ],
)
def test_bad_input_gets_one_clear_line_and_exit_2(args, message) -> None:
    result = run_cli(*args)
    assert result.code == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_today_is_an_input_error(monkeypatch) -> None:
    monkeypatch.setenv("RELGRAPH_TODAY", "yesterday")
    result = run_cli("query", "memberships", "-p", "state=RU")
    assert result.code == 2 and "RELGRAPH_TODAY='yesterday' is not a date" in result.stderr


def test_no_traceback_from_the_real_command(tmp_path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "relgraph", "validate", str(bad)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and f"{bad}:1:" in done.stderr


def test_an_internal_error_exits_3_and_debug_shows_the_traceback(monkeypatch) -> None:
    import relgraph.validate.root

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(relgraph.validate.root, "validate", broken)
    quiet = run_cli("validate")
    assert quiet.code == 3 and "internal error: RuntimeError: simulated bug" in quiet.stderr and "Traceback" not in quiet.stderr
    loud = run_cli("--debug", "validate")
    assert loud.code == 3 and "Traceback" in loud.stderr


# ----------------------------------------------------------------------------- query


def _rows(fmt: str, raw: bytes) -> list[dict[str, str]]:
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    solutions = ox.parse_query_results(raw, format={"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV}[fmt])
    names = [v.value for v in solutions.variables]
    return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in solutions]


@pytest.mark.parametrize("name", nonempty(sorted(CATALOGUE)))
def test_every_stored_query_answers_in_every_format(name) -> None:
    if CATALOGUE[name].form == "CONSTRUCT":
        graphs = {}
        for fmt, parse in (("turtle", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("json-ld", ox.RdfFormat.JSON_LD)):
            result = run_cli("query", name, *example_params(name), "--format", fmt)
            assert result.code == 0, result.stderr
            graphs[fmt] = sorted(str(q.triple) for q in ox.parse(result.raw, format=parse))
        assert graphs["turtle"] and graphs["turtle"] == graphs["nt"] == graphs["json-ld"]
        return
    # on the whole shipped graph (the world layer too: wars), stale rows included so that every
    # query answers with its example parameters
    shipped = ("--root", str(REPO), "query", name, *example_params(name), *(["--include-stale"] if CATALOGUE[name].time_aware else []))
    answers = {}
    for fmt in ("json", "xml", "csv", "tsv"):
        result = run_cli(*shipped, "--format", fmt)
        assert result.code == 0, result.stderr
        answers[fmt] = _rows(fmt, result.raw)
    assert answers["json"], f"{name} answers nothing on the shipped graph with its example parameters"
    assert answers["json"] == answers["xml"] == answers["tsv"] == answers["csv"]
    table = run_cli(*shipped)
    assert table.code == 0 and CATALOGUE[name].title in table.stdout


def test_the_table_shows_labels_beside_iris_and_sources() -> None:
    out = run_cli("query", "shared-memberships", "-p", "a=RU", "-p", "b=TJ").stdout
    assert "Commonwealth of Independent States (rgid:cis)" in out
    assert "Shanghai Cooperation Organisation (rgid:sco)" in out
    assert "Collective Security Treaty Organization (rgid:csto)" in out
    assert "rgid:source-kremlin-3506" in out


def test_time_aware_queries_say_which_day_they_answer_for() -> None:
    assert "As of 2026-11-29 (today, fixed by RELGRAPH_TODAY)." in run_cli("query", "memberships", "-p", "state=RU").stderr
    assert "As of 2010-01-01 (--as-of)." in run_cli("query", "memberships", "-p", "state=RU", "--as-of", "2010-01-01").stderr
    assert "As of" not in run_cli("query", "remittances", "-p", "state=TJ").stderr


def test_labels_in_russian() -> None:
    out = run_cli("query", "sources", "-p", "entity=russia-tajikistan-relations", "--lang", "ru").stdout
    assert "Российско-таджикские отношения (rgid:russia-tajikistan-relations)" in out


def test_an_empty_answer_is_an_absence_of_facts_not_a_no() -> None:
    table = run_cli("query", "memberships", "-p", "state=AF")
    assert table.code == 0 and "No matching facts are recorded" in table.stderr and "not a negative answer" in table.stderr
    machine = run_cli("query", "memberships", "-p", "state=AF", "--format", "json")
    assert json.loads(machine.stdout)["results"]["bindings"] == []
    assert "No matching facts are recorded" in machine.stderr


def test_root_points_every_command_at_another_folder(tmp_path, monkeypatch) -> None:
    root = tmp_path / "mine"
    for folder in ("ontology", "queries", "graph"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("tables", "datasets", *WORLD_LAYER_FILES))  # the hand-written graph
    (root / "graph" / "ending.ttl").write_text(
        "@prefix rg: <https://w3id.org/relgraph/ontology#> .\n@prefix rgid: <https://w3id.org/relgraph/id/> .\n"
        "@prefix prov: <http://www.w3.org/ns/prov#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        'rgid:source-test a rg:Source ; rdfs:label "A test source (not a fact)"@en ; <https://schema.org/url> <https://example.org/fixture/page/source-test> .\n'
        'rgid:membership-tajikistan-sco rg:end "2020"^^xsd:gYear ; prov:wasDerivedFrom rgid:source-test .\n',
        encoding="utf-8",
    )
    args = ("query", "shared-memberships", "-p", "a=RU", "-p", "b=TJ", "--format", "csv")
    shipped = {r["organisation"] for r in _rows("csv", run_cli(*args).raw)}
    mine = {r["organisation"] for r in _rows("csv", run_cli("--root", str(root), *args).raw)}
    assert shipped - mine == {RGID + "sco"}
    monkeypatch.setenv("RELGRAPH_ROOT", str(root))
    assert {r["organisation"] for r in _rows("csv", run_cli(*args).raw)} == mine
    assert run_cli("validate").code == 0


# ---------------------------------------------------------------------------- sparql


def test_sparql_select_ask_construct() -> None:
    select = run_cli("sparql", "--format", "json", "SELECT ?c WHERE { ?s <https://w3id.org/relgraph/ontology#iso3166Alpha2> ?c } ORDER BY ?c")
    assert [b["c"]["value"] for b in json.loads(select.stdout)["results"]["bindings"]] == ["AF", "AM", "BY", "CN", "KG", "KZ", "RU", "TJ", "UA", "UZ"]
    assert run_cli("sparql", "ASK { <https://w3id.org/relgraph/id/russia> ?p ?o }").stdout.strip() == "yes"
    construct = run_cli("sparql", "--format", "nt", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER (?s = <https://w3id.org/relgraph/id/russia>) }")
    assert len(construct.stdout.strip().splitlines()) == 9 + 6  # its nine statements and six derived shortcuts
    asserted = run_cli("sparql", "--format", "nt", "CONSTRUCT { ?s ?p ?o } FROM <https://w3id.org/relgraph/graph/facts/states> WHERE { ?s ?p ?o FILTER (?s = <https://w3id.org/relgraph/id/russia>) }")
    assert len(asserted.stdout.strip().splitlines()) == 9
    table = run_cli("sparql", "SELECT ?s WHERE { ?s <https://w3id.org/relgraph/ontology#iso3166Alpha2> \"TJ\" }")
    assert "Tajikistan (rgid:tajikistan)" in table.stdout


def test_sparql_reads_a_file_or_standard_input(tmp_path) -> None:
    query = tmp_path / "q.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/relgraph/ontology#State> }", encoding="utf-8")
    assert json.loads(run_cli("sparql", "--format", "json", str(query)).stdout)["results"]["bindings"][0]["n"]["value"] == "10"
    piped = run_cli("sparql", "--format", "json", "-", stdin=query.read_text(encoding="utf-8"))
    assert json.loads(piped.stdout)["results"]["bindings"][0]["n"]["value"] == "10"


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://ex.org/a> <http://ex.org/b> <http://ex.org/c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <file:///etc/passwd>",
        "CLEAR ALL",
        "DROP GRAPH <https://w3id.org/relgraph/graph/facts/states>",
    ],
)
def test_updates_are_refused_and_change_nothing(update) -> None:
    result = run_cli("sparql", update)
    assert result.code == 2 and "SPARQL Update" in result.stderr and "refused" in result.stderr
    assert run_cli("validate").code == 0


def test_service_is_refused_before_any_request() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    seen = []

    def accept() -> None:
        try:
            connection, _ = listener.accept()
            seen.append(connection)
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    result = run_cli("sparql", f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
    thread.join()
    listener.close()
    assert result.code == 2 and "SERVICE is refused" in result.stderr
    assert seen == []


def test_from_never_reads_a_local_file(tmp_path) -> None:
    secret = tmp_path / "secret.ttl"
    secret.write_text('<http://ex.org/s> <http://ex.org/p> "the secret" .\n', encoding="utf-8")
    query = f'SELECT ?o FROM <{secret.as_uri()}> FROM NAMED <{secret.as_uri()}> WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }}'
    result = run_cli("sparql", "--format", "json", query)
    assert result.code == 0
    assert "the secret" not in result.stdout and json.loads(result.stdout)["results"]["bindings"] == []


def test_from_selects_among_the_loaded_graphs() -> None:
    query = "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/relgraph/graph/facts/states> WHERE { ?s ?p ?o }"
    assert json.loads(run_cli("sparql", "--format", "json", query).stdout)["results"]["bindings"][0]["n"]["value"] == "75"


def test_a_runaway_query_is_stopped_by_the_timeout() -> None:
    started = time.monotonic()
    result = run_cli("sparql", "--timeout", "1", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    assert result.code == 2 and "stopped after 1 s (--timeout) before the query finished; give it longer with --timeout SECONDS" in result.stderr
    assert "narrow" not in result.stderr
    assert time.monotonic() - started < 30


def test_sparql_syntax_errors_and_format_mismatches() -> None:
    syntax = run_cli("sparql", "SELECT * WHERE {\n ?s ?p }")
    assert syntax.code == 2 and "query:2:" in syntax.stderr and "SPARQL syntax error" in syntax.stderr
    mismatch = run_cli("sparql", "--format", "csv", "ASK { ?s ?p ?o }")
    assert mismatch.code == 2 and "--format csv cannot hold the answer to a ASK query" in mismatch.stderr


# ---------------------------------------------------------------------------- export


def test_a_failed_export_leaves_no_partial_file_and_keeps_the_old_one(tmp_path, monkeypatch) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("the previous export\n", encoding="utf-8")

    def failing_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    result = run_cli("export", "--output", str(target))
    assert result.code == 2 and "cannot write: No space left on device" in result.stderr
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_export_into_a_missing_folder_is_refused(tmp_path) -> None:
    result = run_cli("export", "--output", str(tmp_path / "missing" / "out.ttl"))
    assert result.code == 2 and "does not exist; create it first" in result.stderr
    assert not (tmp_path / "missing").exists()
