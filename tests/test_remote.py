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

from conftest import REPO, run_cli
from relgraph.paths import Layout
from relgraph.remote import Endpoint, RemoteError, canonical_term
from relgraph.store import query_store

XSD = "http://www.w3.org/2001/XMLSchema#"


def _app():
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, RedirectResponse, Response
    from starlette.routing import Route

    local = query_store(Layout(REPO))

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
        from relgraph.results import solutions_from_rows

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

    routes = [
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
    return Starlette(routes=routes)


@pytest.fixture(scope="module")
def fake():
    """The misbehaving endpoint's base URL (uvicorn in a thread on a free loopback port)."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(_app(), log_level="error"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        threading.Event().wait(0.05)
    yield f"http://127.0.0.1:{port}"
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


