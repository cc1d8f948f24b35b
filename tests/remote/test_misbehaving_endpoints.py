"""relgraph query --endpoint and push against endpoints that misbehave, and the term comparison.

A small Starlette application on loopback plays a broken SPARQL endpoint: an HTTP error, an HTML
error page, a cut-off JSON document, another format than asked for, an answer too slow for
--timeout, a redirect, Virtuoso's partial "anytime" answer, and a server that silently caps its
rows. Each failure is exit code 2 with one line that says what happened, never an empty answer.
"""

from __future__ import annotations

import asyncio
import socket
import threading

import pyoxigraph as ox
import pytest

from tests.conftest import REPO, run_cli, hand_root_path
from relgraph.paths import Layout
from relgraph.remote.endpoint import Endpoint, RemoteError, canonical_term
from relgraph.graph.store import query_store

XSD = "http://www.w3.org/2001/XMLSchema#"


def _app():
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, RedirectResponse, Response
    from starlette.routing import Route

    local = query_store(Layout(hand_root_path()))

    async def answer(request: Request, cap: int | None = None, headers: dict | None = None) -> Response:
        from urllib.parse import parse_qs

        text = parse_qs((await request.body()).decode())["query"][0]
        result = local.query(text, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryBoolean):
            return Response(result.serialize(format=ox.QueryResultsFormat.JSON), media_type="application/sparql-results+json")
        if isinstance(result, ox.QueryTriples):
            return Response(ox.serialize(list(result), format=ox.RdfFormat.N_TRIPLES), media_type="application/n-triples")
        variables = [v.value for v in result.variables]
        rows = [[row[v] for v in variables] for row in result]
        if cap is not None:
            rows = rows[:cap]
        from relgraph.query.results import solutions_from_rows

        body = solutions_from_rows(variables, rows).serialize(format=ox.QueryResultsFormat.JSON)
        return Response(body, media_type="application/sparql-results+json", headers=headers)

    async def good(request):
        return await answer(request)

    async def capped(request):
        return await answer(request, cap=2)

    async def error(request):
        return PlainTextResponse("Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error", status_code=500)

    async def html(request):
        return Response("<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>", media_type="text/html")

    async def truncated(request):
        return Response(b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"uri","value":"http://ex', media_type="application/sparql-results+json")

    async def wrong_format(request):
        return Response("x\r\n1\r\n", media_type="text/csv")

    async def slow(request):
        await asyncio.sleep(5)
        return await answer(request)

    async def redirect(request):
        return RedirectResponse("http://127.0.0.1:9/elsewhere", status_code=301)

    async def partial(request):
        return await answer(request, cap=1, headers={"X-SQL-State": "S1TAT"})

    async def basic_only(request):
        import base64

        if request.headers.get("authorization") != "Basic " + base64.b64encode(b"reader:s3cret").decode():
            return PlainTextResponse("who are you?", status_code=401, headers={"WWW-Authenticate": 'Basic realm="sparql"'})
        return await answer(request)

    async def link_loop(request):
        return Response(b'{"head":{"vars":["x"]},"results":{"bindings":[]}}', media_type="application/sparql-results+json", headers={"Link": '</link-loop>; rel="next"'})

    async def endless(request):
        from starlette.responses import StreamingResponse

        async def forever():
            yield b'{"head":{"vars":["x"]},"results":{"bindings":['
            while True:
                yield b'{"x":{"type":"literal","value":"' + b"x" * 65536 + b'"}},'
                await asyncio.sleep(0)  # a point where the disconnect of the client stops the stream

        return StreamingResponse(forever(), media_type="application/sparql-results+json")

    async def count_lie(request):
        from urllib.parse import parse_qs

        text = parse_qs((await request.body()).decode())["query"][0]
        if "relgraphRowCount" in text:
            body = b'{"head":{"vars":["relgraphRowCount"]},"results":{"bindings":[{"relgraphRowCount":{"type":"literal","value":"1000000","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}'
        else:
            body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"uri","value":"http://example.org/a"}},{"x":{"type":"uri","value":"http://example.org/b"}}]}}'
        return Response(body, media_type="application/sparql-results+json")

    async def nested(request):
        depth = 6000
        term = '{"type":"uri","value":"http://example.org/s"}'
        for _ in range(depth):
            term = '{"type":"triple","value":{"subject":{"type":"uri","value":"http://example.org/s"},"predicate":{"type":"uri","value":"http://example.org/p"},"object":' + term + "}}"
        return Response(('{"head":{"vars":["x"]},"results":{"bindings":[{"x":' + term + "}]}}").encode(), media_type="application/sparql-results+json")

    graph_store: dict[str, bytes] = {
        "https://w3id.org/relgraph/graph/manifest": (
            b"<https://w3id.org/relgraph/graph/manifest> <http://purl.org/dc/terms/hasPart> <http://victim.example/graph/important> .\n"
            b"<https://w3id.org/relgraph/graph/manifest> <http://purl.org/dc/terms/hasPart> <https://w3id.org/relgraph/graph/manifest> .\n"
            b"<https://w3id.org/relgraph/graph/manifest> <http://purl.org/dc/terms/hasPart> <https://w3id.org/relgraph/graph/facts/gone> .\n"
        ),
        "http://victim.example/graph/important": b"<http://victim.example/a> <http://victim.example/b> <http://victim.example/c> .\n",
        "https://w3id.org/relgraph/graph/facts/gone": b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n",
    }

    async def gsp(request):
        graph = request.query_params["graph"]
        if request.method == "PUT":
            graph_store[graph] = await request.body()
            return Response(status_code=201)
        if request.method == "DELETE":
            return Response(status_code=200 if graph_store.pop(graph, None) is not None else 404)
        if graph not in graph_store:
            return Response(status_code=404)
        return Response(graph_store[graph], media_type="application/n-triples")

    routes = [
        Route("/gsp", gsp, methods=["GET", "PUT", "DELETE"]),
        Route("/link-loop", link_loop, methods=["GET", "POST"]),
        Route("/endless", endless, methods=["POST"]),
        Route("/count-lie", count_lie, methods=["POST"]),
        Route("/nested", nested, methods=["POST"]),
        Route("/good", good, methods=["POST"]),
        Route("/capped", capped, methods=["POST"]),
        Route("/error", error, methods=["POST"]),
        Route("/html", html, methods=["POST"]),
        Route("/truncated", truncated, methods=["POST"]),
        Route("/wrong-format", wrong_format, methods=["POST"]),
        Route("/slow", slow, methods=["POST"]),
        Route("/redirect", redirect, methods=["POST"]),
        Route("/partial", partial, methods=["POST"]),
        Route("/basic", basic_only, methods=["POST"]),
    ]
    app = Starlette(routes=routes)
    app.state.graph_store = graph_store
    return app


class Fake(str):
    """The fake server's base URL, with the content of its Graph Store."""

    def __new__(cls, url: str, graphs: dict):
        self = super().__new__(cls, url)
        self.graphs = graphs
        return self


@pytest.fixture(scope="module")
def fake():
    """The misbehaving endpoint's base URL (uvicorn in a thread on a free loopback port)."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = _app()
    server = uvicorn.Server(uvicorn.Config(app, log_level="error"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        threading.Event().wait(0.05)
    yield Fake(f"http://127.0.0.1:{port}", app.state.graph_store)
    server.should_exit = True
    thread.join(10)


SHARED = ("query", "shared-memberships", "-p", "a=RU", "-p", "b=TJ", "--format", "csv")


def test_a_good_endpoint_gives_the_local_answer(fake):
    local = run_cli(*SHARED)
    remote = run_cli(*SHARED, "--endpoint", fake + "/good")
    assert remote.code == 0, remote.stderr
    assert remote.stdout == local.stdout
    assert len(remote.stdout.splitlines()) == 4


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/error", "HTTP 500 Internal Server Error: Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error"),
        ("/html", "answered with an HTML page instead of application/sparql-results+json: 502 Bad Gateway"),
        ("/truncated", "the SPARQL JSON results are malformed or cut short"),
        ("/wrong-format", "answered with text/csv instead of application/sparql-results+json"),
        ("/slow", "no complete answer within 1 s (--timeout)"),
        ("/redirect", "HTTP 301 redirect to http://127.0.0.1:9/elsewhere; use that URL as --endpoint"),
        ("/partial", "sent a partial answer (X-SQL-State: S1TAT)"),
        ("/basic", "HTTP 401 Unauthorized: who are you?"),
    ],
)
def test_failures_are_exit_2_with_the_reason(fake, path, message):
    result = run_cli(*SHARED, "--endpoint", fake + path, "--timeout", "1")
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {fake}{path}: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_closed_port_is_a_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run_cli(*SHARED, "--endpoint", f"http://127.0.0.1:{port}/sparql")
    assert result.code == 2
    assert "ConnectError" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("url", ["ftp://example.org/sparql", "127.0.0.1:7878/sparql", "file:///etc/passwd"])
def test_only_http_endpoints(url):
    result = run_cli(*SHARED, "--endpoint", url)
    assert result.code == 2
    assert "give the http:// or https:// URL of a SPARQL endpoint" in result.stderr


def test_credentials_come_from_the_environment(fake, monkeypatch):
    monkeypatch.setenv("RELGRAPH_USER", "reader")
    monkeypatch.setenv("RELGRAPH_PASSWORD", "s3cret")
    result = run_cli(*SHARED, "--endpoint", fake + "/basic")
    assert result.code == 0, result.stderr
    assert result.stdout == run_cli(*SHARED).stdout


def test_a_silently_capped_server_is_detected_and_paged(fake):
    # the fake cap (2 rows) is below the answer (3 rows)
    result = run_cli(*SHARED, "--endpoint", fake + "/capped")
    assert result.code == 0, result.stderr
    assert "returned 2 of 3 solutions (a server-side cap on result rows); fetched the rest in pages of 2" in result.stderr
    assert result.stdout == run_cli(*SHARED).stdout


def test_options_that_do_not_combine_with_endpoint(fake):
    assert "does not combine with --store or --infer" in run_cli(*SHARED, "--endpoint", fake + "/good", "--infer", "rdfs").stderr
    assert "--timeout is for --endpoint" in run_cli(*SHARED, "--timeout", "3").stderr


def test_push_failures_are_clear(fake):
    refused = run_cli("push", "--graph-store", fake + "/error")
    assert refused.code == 2
    assert "Traceback" not in refused.stderr
    assert refused.stderr.strip().splitlines()[-1].startswith("Error: ")
    not_http = run_cli("push", "--graph-store", "file:///tmp/x")
    assert not_http.code == 2
    assert "SPARQL 1.1 Graph Store endpoint" in not_http.stderr


def test_push_asks_for_the_password_only_in_the_environment(fake, monkeypatch):
    monkeypatch.delenv("RELGRAPH_PASSWORD", raising=False)
    result = run_cli("push", "--graph-store", fake + "/good", "--user", "dba")
    assert result.code == 2
    assert "set RELGRAPH_PASSWORD" in result.stderr


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (ox.Literal("1.50", datatype=ox.NamedNode(XSD + "decimal")), ox.Literal("1.5", datatype=ox.NamedNode(XSD + "decimal"))),
        (ox.Literal("007", datatype=ox.NamedNode(XSD + "integer")), ox.Literal("7", datatype=ox.NamedNode(XSD + "integer"))),
        (ox.Literal("4", datatype=ox.NamedNode(XSD + "nonNegativeInteger")), ox.Literal("4", datatype=ox.NamedNode(XSD + "integer"))),
        (ox.Literal("1.0", datatype=ox.NamedNode(XSD + "decimal")), ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))),
        (ox.Literal("1", datatype=ox.NamedNode(XSD + "boolean")), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
        (ox.Literal("1e3", datatype=ox.NamedNode(XSD + "double")), ox.Literal("1000.0", datatype=ox.NamedNode(XSD + "double"))),
        (ox.Literal("Russia", language="EN-gb"), ox.Literal("Russia", language="en-GB")),
        (ox.Literal("x"), ox.Literal("x", datatype=ox.NamedNode(XSD + "string"))),
        (ox.BlankNode("a"), ox.BlankNode("b")),
    ],
)
def test_terms_equal_after_canonicalisation(a, b):
    assert canonical_term(a) == canonical_term(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (ox.Literal("1.5", datatype=ox.NamedNode(XSD + "decimal")), ox.Literal("1.5", datatype=ox.NamedNode(XSD + "double"))),
        (ox.Literal("2008", datatype=ox.NamedNode(XSD + "gYear")), ox.Literal("2008-01-01", datatype=ox.NamedNode(XSD + "date"))),
        (ox.Literal("Russia", language="en"), ox.Literal("Russia")),
        (ox.Literal("4", datatype=ox.NamedNode(XSD + "integer")), ox.Literal("4")),
        (ox.Literal("4", datatype=ox.NamedNode(XSD + "integer")), ox.Literal("5", datatype=ox.NamedNode(XSD + "integer"))),
        (ox.NamedNode("http://example.org/a"), ox.Literal("http://example.org/a")),
        (ox.BlankNode("a"), None),
    ],
)
def test_terms_that_differ_stay_different(a, b):
    assert canonical_term(a) != canonical_term(b)


def test_endpoint_refuses_a_next_page_on_another_host():
    import httpx

    def handler(request):
        return httpx.Response(200, headers={"Content-Type": "application/sparql-results+json", "Link": '<http://evil.example/next>; rel="next"'}, content=b'{"head":{"vars":["x"]},"results":{"bindings":[]}}')

    client = httpx.Client(transport=httpx.MockTransport(handler))
    with pytest.raises(RemoteError, match="another host"), Endpoint("http://127.0.0.1:1/sparql", client=client) as endpoint:
        endpoint.query("SELECT ?x WHERE { ?x ?p ?o }")




def _drip_server():
    """A raw TCP listener that answers with headers sent one byte every 0.3 s, forever."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=drip, args=(conn,), daemon=True).start()

    def drip(conn) -> None:
        import time

        try:
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000:
                conn.send(bytes([byte]))
                time.sleep(0.3)
        except OSError:
            pass

    threading.Thread(target=serve, daemon=True).start()
    return listener


def test_the_time_limit_covers_the_whole_answer_even_when_headers_drip():
    import time

    listener = _drip_server()
    try:
        started = time.monotonic()
        result = run_cli(*SHARED, "--endpoint", f"http://127.0.0.1:{listener.getsockname()[1]}/sparql", "--timeout", "2")
        took = time.monotonic() - started
    finally:
        listener.close()
    assert result.code == 2
    assert "no complete answer within 2 s (--timeout)" in result.stderr
    assert took < 8


def test_a_next_page_loop_is_an_error(fake):
    result = run_cli(*SHARED, "--endpoint", fake + "/link-loop", "--timeout", "5")
    assert result.code == 2
    assert "lead back to a page already read" in result.stderr


def test_an_endless_answer_is_cut_at_the_size_limit(fake, monkeypatch):
    monkeypatch.setattr("relgraph.remote.endpoint.MAX_ANSWER_BYTES", 5 * 1024**2)
    result = run_cli(*SHARED, "--endpoint", fake + "/endless", "--timeout", "30")
    assert result.code == 2
    assert "the answer is larger than 5 MiB" in result.stderr


def test_a_count_the_pages_do_not_hold_is_an_error(fake):
    result = run_cli(*SHARED, "--endpoint", fake + "/count-lie", "--timeout", "30")
    assert result.code == 2
    assert "gave the same page again for a later OFFSET; the server's pages and its count of 1000000 disagree" in result.stderr


def test_deeply_nested_triple_terms_are_an_error_not_a_crash(fake, tmp_path):
    import os
    import subprocess
    import sys

    # in a process of its own: a crash inside pyoxigraph would take the test runner with it
    env = dict(os.environ, RELGRAPH_CACHE_DIR=str(tmp_path / "cache"), RELGRAPH_TODAY="2026-11-29")
    result = subprocess.run([sys.executable, "-m", "relgraph", *SHARED, "--endpoint", fake + "/nested"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert "nests too deeply to read" in result.stderr


def test_push_removes_only_graphs_relgraph_pushed(fake):
    result = run_cli("push", "--graph-store", fake + "/gsp")
    assert result.code == 0, result.stderr
    assert "Removed <https://w3id.org/relgraph/graph/facts/gone>" in result.stderr
    assert "victim" not in result.stderr
    assert "http://victim.example/graph/important" in fake.graphs  # never relgraph's to remove
    assert "https://w3id.org/relgraph/graph/facts/gone" not in fake.graphs
    manifest = fake.graphs["https://w3id.org/relgraph/graph/manifest"].decode()
    assert "victim" not in manifest and "facts/states" in manifest
    assert "<https://w3id.org/relgraph/graph/manifest> <http://purl.org/dc/terms/hasPart> <https://w3id.org/relgraph/graph/manifest>" not in manifest


def test_passwords_in_urls_are_never_printed():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run_cli(*SHARED, "--endpoint", f"http://reader:s3cret@127.0.0.1:{port}/sparql")
    assert result.code == 2
    assert "s3cret" not in result.stderr
    assert "reader:…@127.0.0.1" in result.stderr


class _CappedStore:
    """A fake endpoint over a local store: it returns at most *cap* rows per answer and says
    *count* when asked how many solutions a query has (a server that caps rows and miscounts)."""

    def __init__(self, rows: int, cap: int, count: int) -> None:
        import pyoxigraph as ox

        self.store = ox.Store()
        self.store.extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i:03d}"), ox.NamedNode("http://example.org/p"), ox.Literal(str(i))) for i in range(rows))
        self.cap, self.count = cap, count

    def select(self, text: str):
        if "relgraphRowCount" in text:
            answer = self.store.query(f'SELECT ({self.count} AS ?relgraphRowCount) {{}}')
        else:
            answer = self.store.query(text)
        variables = list(answer.variables)
        return variables, list(answer)[: self.cap]


@pytest.mark.parametrize(("rows", "count", "returned", "note"), [
    # a server that counts fewer solutions than its pages hold: every page is read, to a short one
    (20, 12, 20, "fake returned 7 of 12 solutions (a server-side cap on result rows); fetched the rest in pages of 7; its pages held 20 solutions, more than it counted, all returned"),
    (20, 20, 20, "fake returned 7 of 20 solutions (a server-side cap on result rows); fetched the rest in pages of 7"),
    (14, 14, 14, "fake returned 7 of 14 solutions (a server-side cap on result rows); fetched the rest in pages of 7"),
])
def test_a_capped_answer_is_read_to_its_last_page_whatever_the_count(rows, count, returned, note):
    server = _CappedStore(rows, 7, count)
    endpoint = Endpoint.__new__(Endpoint)
    endpoint.shown = "fake"
    endpoint._select = server.select
    text = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s"
    first = server.select(text)[1]
    assert endpoint._complete(text, first) == [note]
    assert [s["s"].value for s in first] == [f"http://example.org/s{i:03d}" for i in range(returned)]


def test_a_count_its_pages_fall_short_of_is_an_error():
    server = _CappedStore(10, 7, 30)
    endpoint = Endpoint.__new__(Endpoint)
    endpoint.shown = "fake"
    endpoint._select = server.select
    text = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s"
    with pytest.raises(RemoteError, match=r"^fake: returned 10 of the 30 solutions it counted; the server's pages and its count disagree$"):
        endpoint._complete(text, server.select(text)[1])


class _RepeatingStore(_CappedStore):
    """A fake endpoint that returns the solutions at *repeat* positions twice, even to SELECT
    DISTINCT, and counts them (as Virtuoso 7.2.5 now and then does for the sources query)."""

    def __init__(self, rows: int, repeat: tuple[int, ...]) -> None:
        super().__init__(rows, cap=10_000, count=rows + len(repeat))
        self.repeat = repeat

    def select(self, text: str):
        variables, rows = super().select(text)
        if "relgraphRowCount" in text:
            return variables, rows
        return variables, [twice for i, row in enumerate(rows) for twice in ([row, row] if i in self.repeat else [row])]


@pytest.mark.parametrize(("query", "values", "warnings"), [
    ("SELECT DISTINCT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s", ["0", "1", "2", "3", "4"],
     ["fake returned 2 solutions of a SELECT DISTINCT query more than once; each is kept once"]),
    # without DISTINCT, repeats are solutions of their own (SPARQL 1.1 §18.5) and stay
    ("SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s", ["0", "1", "1", "2", "3", "3", "4"], []),
])
def test_repeated_solutions_of_a_distinct_query_are_kept_once(query, values, warnings):
    server = _RepeatingStore(5, repeat=(1, 3))
    endpoint = Endpoint.__new__(Endpoint)
    endpoint.shown, endpoint.warnings, endpoint._select = "fake", [], server.select
    answer = endpoint._answer(query, "SELECT")
    assert [row["o"].value for row in answer] == values
    assert endpoint.warnings == warnings
