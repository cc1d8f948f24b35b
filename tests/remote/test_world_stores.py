"""The world layer on real triple stores: the shipped graph (the data sets' 256,000 triples with
the hand-written graph, 415,000 triples pushed with the derived graph) pushed to Oxigraph's
server and to Virtuoso, and the stored queries about states, organisations and pairs other than
Russia–Tajikistan give the local rows there.

Virtuoso caps what a Graph Store read-back returns (``ResultSetMaxRows``, 100,000 on the test
server): the push counts each graph on the SPARQL endpoint instead (``--endpoint``).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import REPO, nonempty
from tests.remote.test_triple_stores import KINDS, _need, relgraph
from tests.utils.answers import CATALOGUE, comparable
from tests.utils.servers import running_oxigraph, running_virtuoso_server
from relgraph.graph.store import query_store
from relgraph.paths import Layout
from relgraph.query import binding as stored
from relgraph.remote.endpoint import Endpoint
import pyoxigraph as ox

# (query, parameters, as-of, period): answers that rest on the world layer
WORLD_CASES = nonempty([
    ("members", {"organisation": "UN"}, "1960-06-30", (None, None)),
    ("members", {"organisation": "CSTO"}, "2013-06-30", (None, None)),
    ("memberships", {"state": "KZ"}, "2005-06-30", (None, None)),
    ("shared-memberships", {"a": "KZ", "b": "KG"}, "2005-06-30", (None, None)),
    ("organisation-history", {"organisation": "CSTO"}, "2026-11-29", (None, None)),
    ("wars", {"state": "cow:365"}, "2026-11-29", ("1990-01-01", "2000-12-31")),
    ("wars", {"state": "TR"}, "1900-01-01", (None, None)),
    ("relations", {"a": "KZ", "b": "KG"}, "2005-06-30", (None, None)),
    ("timeline", {"a": "RU", "b": "TJ"}, None, ("1992-01-01", "2012-12-31")),
])


@pytest.fixture(scope="module")
def world_store():
    return query_store(Layout(REPO))


@pytest.fixture(scope="module", params=KINDS)
def world_pushed(request, tmp_path_factory):
    """A running server of each kind with the whole shipped graph pushed into it."""
    _need(request.param)
    workdir = tmp_path_factory.mktemp(f"world-{request.param}")
    cache = tmp_path_factory.mktemp("world-cache")
    starter = running_oxigraph if request.param == "oxigraph" else running_virtuoso_server
    with starter(workdir) as server:
        user = ["--user", server.user] if server.user else []
        result = relgraph("push", "--graph-store", server.graph_store_url, *user, "--endpoint", server.query_url, password=server.password, cache=cache, root=REPO)
        assert result.returncode == 0, result.stderr
        yield server, result


def test_the_world_graph_is_pushed_and_counted_in_full(world_pushed, world_store):
    server, result = world_pushed
    from relgraph.remote.graph_store import local_graphs

    sent = sum(len(t) for t in local_graphs(world_store).values())
    assert sent > 400_000
    # the table's last row: every triple sent was counted on the server
    assert f"all                {sent}" in result.stdout or f"│ all" in result.stdout
    assert result.stdout.count(str(sent)) >= 2


@pytest.mark.parametrize(("name", "params", "day", "period"), WORLD_CASES, ids=lambda x: x if isinstance(x, str) else "")
def test_world_queries_give_the_local_rows_on_the_servers(world_pushed, world_store, name, params, day, period):
    server, _ = world_pushed
    query = CATALOGUE[name]
    as_of = dt.date.fromisoformat(day) if day else None
    bounds = tuple(dt.date.fromisoformat(d) if d else None for d in period)
    local = comparable(name, stored.run(world_store, query, params, as_of, period=bounds))
    assert local[1], "a world case must have rows to compare"
    with Endpoint(server.query_url, timeout=120) as endpoint:
        remote = comparable(name, stored.run(endpoint, query, params, as_of, period=bounds))
    assert remote == local
