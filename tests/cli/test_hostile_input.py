"""Hostile and broken input: every case from the adversarial review gets a clear one-line error
with a documented exit code, never a traceback, never a network connection, never a damaged file."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time

import pytest
import rdflib

from tests.conftest import REPO, run_cli, WORLD_LAYER_FILES
from tests.utils.hostile import HIDDEN_SERVICE, Listener


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?a WHERE {{ ?s ?p ?o # \r SERVICE <http://127.0.0.1:{port}/x> {{ ?a ?b ?c }} \n }} LIMIT 1",
        "SELECT ?a WHERE {{ BIND('\\u0027' AS ?x) SERVICE <http://127.0.0.1:{port}/leak> {{ ?a ?b ?c }} BIND('\\u0027' AS ?y) }}",
        'SELECT ?a WHERE {{ BIND("\\u0022" AS ?x) SERVICE <http://127.0.0.1:{port}/leak> {{ ?a ?b ?c }} BIND("\\u0022" AS ?y) }}',
        "SELECT ?a WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/x> {{ ?a ?b ?c }} }}",
        "select ?a where {{ service silent <http://127.0.0.1:{port}/x> {{ ?a ?b ?c }} }}",
        "SELECT ?a WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?a ?b ?c }} }} }}",
    ],
)
def test_no_query_text_reaches_the_network(listener, query) -> None:
    result = run_cli("sparql", "--format", "csv", query.format(port=listener.port))
    time.sleep(0.2)
    assert listener.close() == 0
    assert "FROM-REMOTE" not in result.stdout
    assert result.code in (0, 2) and "Traceback" not in result.stderr




@pytest.mark.parametrize("template", HIDDEN_SERVICE)
def test_a_service_hidden_from_a_one_reading_lexer_is_refused(listener, template) -> None:
    import pyoxigraph as ox

    from relgraph.namespaces import PREFIXES

    query = template.format(port=listener.port)
    # the hazard is real: bare pyoxigraph calls the endpoint
    bare = ox.Store()
    bare.add(ox.Quad(ox.NamedNode("http://s"), ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal("x y")))
    bare.add(ox.Quad(ox.NamedNode("http://s"), ox.NamedNode("http://p"), ox.Literal(True)))
    with pytest.raises(OSError):
        list(bare.query(query, prefixes=PREFIXES))
    time.sleep(0.2)
    called = listener.connections
    assert called >= 1
    result = run_cli("sparql", "--format", "csv", query)
    time.sleep(0.2)
    assert result.code == 2 and "SERVICE is refused: relgraph never sends a user query to another endpoint" in result.stderr
    assert listener.connections == called


def test_a_root_query_with_service_is_refused_before_it_runs(tmp_path, listener) -> None:
    root = tmp_path / "root"
    for folder in ("ontology", "queries", "graph"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("tables", "datasets", *WORLD_LAYER_FILES))  # the hand-written graph
    (root / "queries" / "derive" / "leak.rq").write_text(
        f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?a ?b ?c }} }}", encoding="utf-8"
    )
    result = run_cli("--root", str(root), "validate")
    assert result.code == 2 and "leak.rq: uses SERVICE" in result.stderr
    assert listener.close() == 0


def test_broken_root_queries_name_their_file(tmp_path) -> None:
    root = tmp_path / "root"
    for folder in ("ontology", "queries", "graph"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("tables", "datasets", *WORLD_LAYER_FILES))  # the hand-written graph
    (root / "queries" / "broken.rq").write_text("# title: t\n# description: d\nSELECT * WHERE { ?s ?p }\n", encoding="utf-8")
    (root / "queries" / "qc" / "odd-violation.rq").write_text("# title: t\n# description: d\nASK { ?s ?p ?o }\n", encoding="utf-8")
    broken = run_cli("--root", str(root), "query", "broken")
    assert broken.code == 2 and "broken.rq: SPARQL error" in broken.stderr
    assert run_cli("--root", str(root), "query", "memberships", "-p", "state=RU", "--format", "csv").code == 0
    odd = run_cli("--root", str(root), "validate")
    assert odd.code == 2 and "odd-violation.rq: a quality check is a SELECT query that returns ?focus" in odd.stderr
    (root / "queries" / "qc" / "odd-violation.rq").unlink()
    shutil.rmtree(root / "ontology" / "shapes")
    (root / "ontology" / "shapes").mkdir()
    noshapes = run_cli("--root", str(root), "validate")
    assert noshapes.code == 2 and "no shapes" in noshapes.stderr


def test_export_never_replaces_a_device_or_pipe(tmp_path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in ("/dev/null", str(fifo)):
        result = run_cli("export", "--output", target)
        assert result.code == 2 and "is not a regular file" in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_export_follows_a_symlink_and_keeps_the_file_mode(tmp_path) -> None:
    real = tmp_path / "real.ttl"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o644)
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    assert run_cli("export", "--output", str(link)).code == 0
    assert link.is_symlink() and stat.S_IMODE(real.stat().st_mode) == 0o644
    assert len(rdflib.Graph().parse(real, format="turtle")) > 1000


def test_ill_typed_literals_are_results_not_tracebacks(tmp_path) -> None:
    bad = tmp_path / "dates.ttl"
    bad.write_text(
        "@prefix rg: <https://w3id.org/relgraph/ontology#> .\n@prefix rgid: <https://w3id.org/relgraph/id/> .\n"
        "@prefix prov: <http://www.w3.org/ns/prov#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        'rgid:membership-russia-cis rg:end "2013-02-30"^^xsd:date ; prov:wasDerivedFrom rgid:source-wp-rt-fn2 .\n'
        'rgid:observation-tajikistan-remittances-2012 rg:value "abc"^^xsd:decimal ; prov:wasDerivedFrom rgid:source-wp-rt-fn4 .\n',
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, "-m", "relgraph", "validate", "--format", "json", str(bad)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 1
    assert done.stderr == ""
    assert '"sourceConstraintComponent": "http://www.w3.org/ns/shacl#DatatypeConstraintComponent"' in done.stdout


@pytest.mark.parametrize(("value", "kind"), [("2013-13", "gYearMonth"), ("0000", "gYear"), ("2013-06", "gYear"), ("99999", "gYear")])
def test_impossible_partial_dates_are_reported(tmp_path, value, kind) -> None:
    bad = tmp_path / "date.ttl"
    bad.write_text(
        "@prefix rg: <https://w3id.org/relgraph/ontology#> .\n@prefix rgid: <https://w3id.org/relgraph/id/> .\n"
        "@prefix prov: <http://www.w3.org/ns/prov#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f'rgid:membership-russia-cis rg:end "{value}"^^xsd:{kind} ; prov:wasDerivedFrom rgid:source-wp-rt-fn2 .\n',
        encoding="utf-8",
    )
    result = run_cli("validate", str(bad))
    assert result.code == 1 and "rg:end" in result.stdout


def test_unreadable_inputs_exit_2_with_one_line(tmp_path) -> None:
    loop = tmp_path / "loop1"
    (tmp_path / "loop2").symlink_to(loop)
    loop.symlink_to(tmp_path / "loop2")
    result = run_cli("validate", str(loop))
    assert result.code == 2 and "symbolic link" in result.stderr
    relative = tmp_path / "relative.ttl"
    relative.write_text("<a> <b> <c> .\n", encoding="utf-8")
    result = run_cli("validate", str(relative))
    assert result.code == 2 and "relative.ttl:1: Turtle syntax error (column 1): a relative IRI" in result.stderr
    huge = tmp_path / "huge.ttl"
    with huge.open("w", encoding="utf-8") as out:
        out.write('<http://a.example/b> <http://a.example/c> "')
        out.write("a" * 17_000_000)
        out.write('" .\n')
    result = run_cli("validate", "--standalone", str(huge))
    assert result.code == 2 and "too large" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "memberships", "--param", "state=R\udcffU"], "not valid UTF-8"),
        (["sparql", "--timeout", "nan", "ASK {}"], "--timeout must be a number"),
        (["sparql", "--timeout", "inf", "ASK {}"], "--timeout must be a number"),
        (["sparql", ""], "no query found"),
        (["sparql", "# only a comment"], "no query found"),
        (["sparql", "missing.rq"], "missing.rq: no such file"),
        (["query", "memberships", "-p", "state=RU", "--as-of", "20100101"], "--as-of '20100101' is not a date"),
        (["query", "memberships", "-p", "state=RU", "--as-of", "2010-W01-1"], "is not a date"),
        (["validate", "--debug"], "No such option '--debug'"),
    ],
)
def test_odd_arguments_get_one_clear_line(args, message) -> None:
    result = run_cli(*args)
    assert result.code == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_bad_today_only_matters_to_time_aware_queries(monkeypatch) -> None:
    monkeypatch.setenv("RELGRAPH_TODAY", "20230101")
    assert run_cli("query", "memberships", "-p", "state=RU").code == 2
    assert run_cli("query", "remittances", "-p", "state=TJ", "--format", "csv").code == 0


def test_tables_show_data_never_interpret_it() -> None:
    result = run_cli("sparql", 'SELECT ?x ?y WHERE { BIND ("[/foo] [bold]b[/bold]" AS ?x) BIND ("a\\u001b[31mred" AS ?y) }')
    assert result.code == 0
    assert "[/foo] [bold]b[/bold]" in result.stdout
    assert "\x1b[31m" not in result.stdout and "\\x1b[31mred" in result.stdout


def test_an_ask_answered_no_is_not_called_a_negative_answer() -> None:
    result = run_cli("sparql", 'ASK { ?s ?p "nothing of the kind" }')
    assert result.stdout.strip() == "no"
    assert "absence of recorded facts, not proof that the answer is no" in result.stderr


def test_a_full_standard_output_is_an_error_not_a_traceback() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "relgraph", "export"], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 2 and "cannot write the output" in done.stderr and "Traceback" not in done.stderr


def test_the_worker_dies_with_its_parent() -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    parent = subprocess.Popen([sys.executable, "-m", "relgraph", "sparql", "--timeout", "0", slow], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker_pids: list[int] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not worker_pids:
        time.sleep(0.2)
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as f:
                        if b"relgraph.workers" in f.read():
                            with open(f"/proc/{pid}/stat") as s:
                                if int(s.read().split(")")[1].split()[1]) == parent.pid:
                                    worker_pids.append(int(pid))
                except OSError:
                    continue
    assert worker_pids, "the worker did not start"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") and "Z" not in open(f"/proc/{p}/stat").read().split(")")[1].split()[0] for p in worker_pids):
        time.sleep(0.2)
    alive = [p for p in worker_pids if os.path.exists(f"/proc/{p}") and open(f"/proc/{p}/stat").read().split(")")[1].split()[0] != "Z"]
    assert alive == []


def test_validation_reports_in_turtle_keep_values_as_terms() -> None:
    fixture = REPO / "tests" / "data" / "shapes" / "invalid" / "observation-value-is-a-double.ttl"
    report = rdflib.Graph().parse(data=run_cli("validate", "--standalone", "--format", "turtle", str(fixture)).stdout, format="turtle")
    value = next(report.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#value")))
    assert isinstance(value, rdflib.Literal) and value.datatype == rdflib.XSD.double and float(value) == 3.595e9
