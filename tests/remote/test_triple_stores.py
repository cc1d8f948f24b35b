"""Integration with real triple stores: push the graph, then every stored query gives the local rows.

Oxigraph's server (PyPI ``oxigraph``) and Virtuoso Open Source (Debian ``virtuoso-opensource``,
installed by ``.ci/run``) run on free loopback ports with temporary databases. Where one is not
installed the tests that need it are skipped with the reason; with ``CI=true`` they fail.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pyoxigraph as ox
import pytest

from tests.utils.answers import cases, comparable, run_on
from tests.conftest import REPO, TODAY, copy_root, require, hand_root_path
from relgraph.paths import Layout
from relgraph.remote.graph_store import MANIFEST_GRAPH, local_graphs
from relgraph.remote.endpoint import Endpoint
from relgraph.graph.store import query_store
from tests.utils.servers import oxigraph_binary, running_oxigraph, running_virtuoso_server, virtuoso_binary

KINDS = ["oxigraph", "virtuoso"]


def _need(kind: str) -> None:
    if kind == "oxigraph":
        require(oxigraph_binary() is not None, "the Oxigraph server is not installed (pip install '.[test]' installs it)")
    else:
        require(virtuoso_binary() is not None, "Virtuoso is not installed (apt-get install virtuoso-opensource, as .ci/run does)")


def relgraph(*args: str, password: str | None = None, cache=None, root=None) -> subprocess.CompletedProcess:
    """Run the relgraph command in a process of its own (as a user would)."""
    env = dict(os.environ, RELGRAPH_TODAY=TODAY, COLUMNS="200")
    env.pop("RELGRAPH_PASSWORD", None)
    if password is not None:
        env["RELGRAPH_PASSWORD"] = password
    if cache is not None:
        env["RELGRAPH_CACHE_DIR"] = str(cache)
    # the hand-written graph unless a root is given: a module's servers start before the per-test
    # environment names it, and the world layer is too large to push to every server per run
    command = [sys.executable, "-m", "relgraph", "--root", str(root or hand_root_path())] + list(args)
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


def push(server, cache, root=None) -> subprocess.CompletedProcess:
    user = ["--user", server.user] if server.user else []
    return relgraph("push", "--graph-store", server.graph_store_url, *user, password=server.password, cache=cache, root=root)


@pytest.fixture(scope="module")
def local_store():
    return query_store(Layout(hand_root_path()))


@pytest.fixture(scope="module", params=KINDS)
def pushed(request, tmp_path_factory):
    """A running server of each kind with the shipped graph pushed into it."""
    _need(request.param)
    workdir = tmp_path_factory.mktemp(request.param)
    cache = tmp_path_factory.mktemp("cache")
    starter = running_oxigraph if request.param == "oxigraph" else running_virtuoso_server
    with starter(workdir) as server:
        result = push(server, cache)
        assert result.returncode == 0, result.stderr
        yield server, cache, result


def _remote_quads(server) -> set[tuple]:
    """Every quad under relgraph's graph IRIs on the server, blank nodes labelled canonically
    (RDFC-1.0, so two pushes of the same graph compare equal although the server names its
    blank nodes anew each time), as strings."""
    query = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS(STR(?g), 'https://w3id.org/relgraph/graph/')) }"
    with Endpoint(server.query_url) as endpoint:
        rows = endpoint.query(query)
    dataset = ox.Dataset([ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in rows])
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {(q.graph_name.value, str(q.subject), str(q.predicate), str(q.object)) for q in dataset}


def test_push_reports_the_triples_it_verified(pushed, local_store):
    server, _, result = pushed
    graphs = local_graphs(local_store)
    total = sum(len(t) for t in graphs.values())
    # the hand-written graph's store: 4714 quads, less the 8 that record written forms with RDF 1.2
    # reifiers (the literals themselves are sent as written)
    assert len(local_store) == 4714
    assert total == 4706
    last = next(line for line in result.stdout.splitlines() if "│ all" in line)
    cells = [c.strip() for c in last.strip("│ ").split("│")]
    assert cells[1:] == [str(total), str(total), "0"]  # sent, verified, left out
    for iri in graphs:
        assert iri in result.stdout


def test_literals_reach_the_store_as_the_sources_wrote_them(pushed, local_store):
    server, _, _ = pushed
    count = "https://w3id.org/relgraph/id/crocus-city-hall-attack-deaths-indictment-2025"
    sent = [t.object for t in local_graphs(local_store)["https://w3id.org/relgraph/graph/facts/incidents"] if t.subject.value == count and t.predicate.value.endswith("#count")]
    assert sent == [ox.Literal("149", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#nonNegativeInteger"))]
    query = f"SELECT ?n (DATATYPE(?n) AS ?type) WHERE {{ <{count}> <https://w3id.org/relgraph/ontology#count> ?n }}"
    with Endpoint(server.query_url) as endpoint:
        rows = [(r["n"].value, r["type"].value.rsplit("#", 1)[-1]) for r in endpoint.query(query)]
    # Virtuoso keeps the datatype as sent; Oxigraph holds it in canonical form, as the local store does
    assert rows == [("149", "nonNegativeInteger" if server.kind == "virtuoso" else "integer")]


# Where Virtuoso 7.2.5 (Debian 12) itself gives wrong answers. Each is asserted exactly, so the
# test fails when a Virtuoso release fixes it (and the exception can go) or when anything else differs.
VIRTUOSO_INCIDENTS_BUG = (
    "Virtuoso 7.2.5 returns no rows for the incidents query, which gives 5 on Oxigraph and rdflib: an "
    "optimizer bug that about 20 standard rewrites did not avoid (the class path replaced by a VALUES "
    "list, constants inlined, nested groups; simpler variants fail to compile: SP031 ssg_print_rvr_fixed_val)"
)
VIRTUOSO_CAPPED_ROWS = (
    "Virtuoso 7.2.5 with ResultSetMaxRows 7 answers timeline (RU, TJ) with 26 of the 34 solutions it gives "
    "uncapped, in its COUNT and in its OFFSET/LIMIT pages alike (relgraph reads the pages to a short one): "
    "the rows are lost on the server; left open in issue 14's note"
)
DURATION = "http://www.w3.org/2001/XMLSchema#duration"


@pytest.mark.parametrize("name", cases())
def test_every_stored_query_gives_the_local_rows(pushed, local_store, name):
    server, _, _ = pushed
    local = run_on(local_store, name)
    with Endpoint(server.query_url) as endpoint:
        remote = run_on(endpoint, name)
    if server.kind == "virtuoso" and name == "incidents":
        assert len(local[1]) == 5 and remote == (local[0], []), "Virtuoso's incidents bug changed; see VIRTUOSO_INCIDENTS_BUG"
        pytest.xfail(VIRTUOSO_INCIDENTS_BUG)
    if server.kind == "virtuoso" and name == "describe":
        # Virtuoso stores an xsd:duration as a number of months: "P10Y" comes back as "120"
        changed = {row: tuple(("literal", "120", DURATION) if cell == ("literal", "P10Y", DURATION) else cell for cell in row) for row in local[1]}
        assert sum(1 for row, new in changed.items() if row != new) == 1
        local = (local[0], sorted(changed.values()))
    assert remote == local


# Claims without a start hold from the day their own dates (else their sources) first confirm them:
# Armenia's CSTO membership is known only in 2022. (query, parameters, day, --all-claims, expected
# (organisation, unconfirmed_before) pairs of the local answer)
TIME_CASES = [
    ("memberships", {"state": "AM"}, "1990-01-01", False, []),
    ("memberships", {"state": "AM"}, "2022-06-01", False, [("csto", None)]),
    ("memberships", {"state": "AM"}, "1990-01-01", True, [("csto", "2022-01-01")]),
    ("shared-memberships", {"a": "AM", "b": "RU"}, "2021-12-31", False, []),
    ("shared-memberships", {"a": "AM", "b": "RU"}, "2022-01-01", False, [("csto", None)]),
    ("shared-memberships", {"a": "AM", "b": "RU"}, "2010-01-01", True, [("csto", "2022-01-01")]),
]


@pytest.mark.parametrize(("name", "params", "day", "all_claims", "expected"), TIME_CASES, ids=lambda x: x if isinstance(x, str) else "")
def test_claims_before_their_first_confirmation_are_left_out_remotely_too(pushed, local_store, name, params, day, all_claims, expected):
    from tests.utils.answers import CATALOGUE
    from relgraph.query import binding as stored

    server, _, _ = pushed
    query = CATALOGUE[name]
    when = stored.parse_date(day, "day ")
    local_answer = list(stored.run(local_store, query, params, when, all_claims))
    found = [(row["organisation"].value.rsplit("/", 1)[1], row["unconfirmed_before"].value if row["unconfirmed_before"] else None) for row in local_answer]
    assert found == expected
    local = comparable(name, stored.run(local_store, query, params, when, all_claims))
    with Endpoint(server.query_url) as endpoint:
        remote = comparable(name, stored.run(endpoint, query, params, when, all_claims))
    assert remote == local


def test_the_command_line_gives_the_same_table_remotely(pushed, tmp_path):
    server, cache, _ = pushed
    local = relgraph("query", "shared-memberships", "-p", "a=RU", "-p", "b=TJ", "--format", "csv", cache=cache)
    remote = relgraph("query", "shared-memberships", "-p", "a=RU", "-p", "b=TJ", "--format", "csv", "--endpoint", server.query_url, cache=cache)
    assert remote.returncode == 0, remote.stderr
    assert "rgid:cis" not in remote.stdout  # machine formats give full IRIs
    organisations = sorted(line.split(",")[0].rsplit("/", 1)[-1] for line in remote.stdout.splitlines()[1:])
    assert organisations == ["cis", "csto", "sco"]
    assert len(local.stdout.splitlines()) == len(remote.stdout.splitlines())


def test_pushing_twice_leaves_the_same_content(pushed):
    server, cache, _ = pushed
    before = _remote_quads(server)
    assert len(before) > 3000
    again = push(server, cache)
    assert again.returncode == 0, again.stderr
    assert _remote_quads(server) == before


def test_graphs_of_removed_sources_are_removed(pushed, tmp_path):
    server, cache, _ = pushed
    root = copy_root(tmp_path / "root")
    (root / "graph" / "policies.ttl").unlink()
    smaller = push(server, cache, root=root)
    policies = "https://w3id.org/relgraph/graph/facts/policies"
    try:
        assert smaller.returncode == 0, smaller.stderr
        assert f"Removed <{policies}>" in smaller.stderr
        graphs = {q[0] for q in _remote_quads(server)}
        assert policies not in graphs
        assert MANIFEST_GRAPH in graphs
        assert "https://w3id.org/relgraph/graph/facts/states" in graphs
    finally:
        restored = push(server, cache)
        assert restored.returncode == 0, restored.stderr
    assert policies in {q[0] for q in _remote_quads(server)}


@pytest.mark.parametrize("pushed", ["virtuoso"], indirect=True)  # Oxigraph's server has no authentication
def test_wrong_credentials_are_a_clear_error(pushed):
    server, cache, _ = pushed
    assert server.kind == "virtuoso"
    result = relgraph("push", "--graph-store", server.graph_store_url, "--user", "dba", password="wrong", cache=cache)
    assert result.returncode == 2
    assert "Error: " in result.stderr and "HTTP 401" in result.stderr
    assert "Traceback" not in result.stderr


def test_virtuoso_caps_are_detected(tmp_path_factory):
    """Virtuoso answers HTTP 200 with at most ResultSetMaxRows rows; relgraph notices and pages."""
    _need("virtuoso")
    workdir = tmp_path_factory.mktemp("virtuoso-cap")
    cache = tmp_path_factory.mktemp("cache")
    with running_virtuoso_server(workdir, max_rows=100_000) as server:
        assert push(server, cache).returncode == 0
        database = server.database
    with running_virtuoso_server(workdir, max_rows=7, database=database) as capped:
        # its Graph Store also returns a capped graph, which the push's read-back catches
        failed = push(capped, cache)
        assert failed.returncode == 2
        assert "triples after the push, but" in failed.stderr
        local = relgraph("query", "timeline", "-p", "a=RU", "-p", "b=TJ", "--format", "json", cache=cache)
        remote = relgraph("query", "timeline", "-p", "a=RU", "-p", "b=TJ", "--format", "json", "--endpoint", capped.query_url, cache=cache)
        assert remote.returncode == 0, remote.stderr
        assert re.search(r"returned 7 of \d+ solutions \(a server-side cap on result rows\); fetched the rest in pages of 7", remote.stderr), remote.stderr

        def rows(output: str):
            return comparable("timeline", ox.parse_query_results(output.encode(), format=ox.QueryResultsFormat.JSON))

        got = rows(remote.stdout)[1]
        assert len(rows(local.stdout)[1]) == 34
        if len(got) < 34:  # see VIRTUOSO_CAPPED_ROWS
            assert set(got) < set(rows(local.stdout)[1])
            pytest.xfail(VIRTUOSO_CAPPED_ROWS)
        assert rows(remote.stdout) == rows(local.stdout)


@pytest.mark.parametrize("name", cases())
def test_every_stored_query_through_the_command_line(pushed, name, monkeypatch):
    """relgraph query NAME --endpoint URL prints what relgraph query NAME prints, for every stored query."""
    from tests.utils.answers import CATALOGUE, comparable, example_params
    from tests.conftest import run_cli

    server, cache, _ = pushed
    monkeypatch.setenv("RELGRAPH_CACHE_DIR", str(cache))
    construct = CATALOGUE[name].form == "CONSTRUCT"
    args = ["query", name, *[f"--param={k}={v}" for k, v in example_params(name).items()], "--format", "nt" if construct else "json"]
    local, remote = run_cli(*args), run_cli(*args, "--endpoint", server.query_url)
    assert local.code == 0, local.stderr
    assert remote.code == 0, remote.stderr

    def parsed(output: str):
        if construct:
            return comparable(name, [q.triple for q in ox.parse(output.encode(), format=ox.RdfFormat.N_TRIPLES)])
        return comparable(name, ox.parse_query_results(output.encode(), format=ox.QueryResultsFormat.JSON))

    if server.kind == "virtuoso" and name in ("incidents", "describe"):
        assert parsed(remote.stdout) != parsed(local.stdout)  # see VIRTUOSO_INCIDENTS_BUG and the duration above
        return
    assert parsed(remote.stdout) == parsed(local.stdout)
