"""``relgraph serve``: a read-only SPARQL 1.1 endpoint, stored queries and linked-data pages over HTTP.

The HTTP layer is Starlette on uvicorn; every query runs in a worker process of
:class:`relgraph.serve.pool.WorkerPool` (:mod:`relgraph.serve.handlers` says what a worker does), so a
query past its time limit is stopped by killing its worker while the others keep answering.

Resources:

- ``/sparql``: the SPARQL 1.1 Protocol (W3C Recommendation, 2013): ``GET ?query=``, ``POST``
  with ``application/x-www-form-urlencoded`` or ``application/sparql-query``, with
  ``default-graph-uri`` and ``named-graph-uri``. Without a query, the SPARQL 1.1 Service
  Description (Turtle, N-Triples or JSON-LD), or an HTML form for a browser. Updates
  (``update=``, ``application/sparql-update``, or an update in ``query=``) are refused with 403
  and change nothing.
- ``/queries``: the stored-query catalogue (JSON, or HTML); ``/queries/NAME?PARAM=…&as-of=…
  &all-claims=true&from=…&to=…&include-stale=true``: one stored query, its parameters resolved
  and bound as ``relgraph query`` binds them, its stale rows left out and counted in a
  ``Relgraph-Note`` header as the command line does.
- Linked data (Cool URIs for the Semantic Web, W3C Note 2008, §4.3): the server answers for the
  IRIs under ``--base`` (default ``https://w3id.org/relgraph/``), path for path. ``GET`` on the
  path of a thing (an entity, a claim, a source, a concept) answers ``303 See Other`` with the
  document ``/data/PATH``; that document is Turtle, JSON-LD, N-Triples or HTML by ``Accept``
  (or ``.ttl``, ``.jsonld``, ``.nt``, ``.html``). Named graphs and the ontology are documents
  themselves and answer ``200``.

Content negotiation follows RFC 9110 §12.5.1 (q-values, via ``python-mimeparse``); a
``format=`` parameter (``json``, ``xml``, ``csv``, ``tsv``, ``turtle``, ``nt``, ``json-ld``)
overrides ``Accept``. What cannot be given is ``406``; a request body of another media type
is ``415``.

Limits: ``--timeout`` seconds per request (503 when passed), at most ``--max-rows`` solutions
or triples per page (``limit=``, ``offset=``; a ``Link: <…>; rel="next"`` header and, in SPARQL
JSON results, ``head.link`` name the next page), at most ``--max-bytes`` per answer (507) and
``--max-request-bytes`` per request body (413). Responses carry an ``ETag`` derived from the
graph's content hash and the request, and answer ``If-None-Match`` with ``304``; CORS headers
let browser-based clients (YASGUI and the like) query from any origin.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import mimeparse
import pyoxigraph as ox
import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from relgraph.errors import RelgraphError
from relgraph.graph.dates import fixed_today, today
from relgraph.graph.store import INFO_FILE, cache_key, query_store
from relgraph.namespaces import BASE, FORMATS, RDF_TYPE, RDFS_COMMENT, SD
from relgraph.paths import Layout
from relgraph.publish.serialize import serialize_triples
from relgraph.query.catalogue import load_catalogue, unknown_query
from relgraph.serve.handlers import RDF_MEDIA, RESULT_MEDIA, Answer, DocumentRequest, ExistsRequest, PictureRequest, QueryRequest, StoredRequest
from relgraph.serve.pages import DOCUMENT_PREFIX, LANGUAGES, page
from relgraph.serve.pool import WorkerBusy, WorkerCrashed, WorkerPool, WorkerTimeout
from relgraph.sparqltext import query_form
from relgraph.version import __version__

__all__ = ["ServeConfig", "RESERVED", "create_app", "serve", "graph_etag"]

RESERVED = ("sparql", "queries", "data")
"""First path segments the server keeps for itself (IRIs under --base starting so are not served)."""

_FORM_MEDIA = "application/x-www-form-urlencoded"
_SELECT_OFFER = [RESULT_MEDIA[k] for k in ("json", "xml", "csv", "tsv")] + ["application/json", "text/plain", "text/html"]
_ASK_OFFER = [RESULT_MEDIA["json"], RESULT_MEDIA["xml"], "application/json"]
_GRAPH_OFFER = [RDF_MEDIA[k] for k in ("turtle", "json-ld", "nt")] + ["application/json", "text/plain", "text/html"]
_DOCUMENT_OFFER = [RDF_MEDIA[k] for k in ("turtle", "json-ld", "nt")] + ["text/html", "application/xhtml+xml"]
_FORMAT_OF = {v: k for k, v in {**RESULT_MEDIA, **RDF_MEDIA}.items()}
_FORMAT_OF.update({"text/html": "html", "application/xhtml+xml": "html"})
_EXTENSIONS = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt", ".html": "html"}


@dataclass(frozen=True)
class ServeConfig:
    """How ``relgraph serve`` runs.

    Attributes:
        root: The relgraph root.
        store: A store folder (``relgraph load``), or ``None`` for the root's graph.
        host: The address to bind (``127.0.0.1`` unless told otherwise).
        port: The TCP port (0: any free port).
        base: The IRI prefix whose paths the server answers for.
        timeout: Seconds per request (waiting for a worker, then answering).
        max_rows: Solutions or triples per page, at most (also the default page size).
        max_bytes: Bytes of an answer, at most.
        max_request_bytes: Bytes of a request body (and of a query in the URL), at most.
        workers: Worker processes.
        allow_service: Endpoints that SERVICE may call (none by default).
        cors: Send CORS headers that allow any origin.
    """

    root: Path
    store: Path | None = None
    host: str = "127.0.0.1"
    port: int = 7878
    base: str = BASE
    timeout: float = 10.0
    max_rows: int = 10_000
    max_bytes: int = 64 * 1024 * 1024
    max_request_bytes: int = 256 * 1024
    workers: int = 2
    allow_service: tuple[str, ...] = field(default_factory=tuple)
    cors: bool = True


def graph_etag(root: Path, store: Path | None) -> str:
    """A hash of everything the answers depend on: the graph's content and relgraph's version.

    Args:
        root: The relgraph root.
        store: A store folder, or ``None`` for the root's graph.

    Returns:
        Hex SHA-256 (the cache key of the root's graph, or of the store's description file).
    """

    digest = hashlib.sha256(__version__.encode())
    if store is not None:
        digest.update((store / INFO_FILE).read_bytes())
    else:
        digest.update(cache_key(Layout(root)).encode())
    return digest.hexdigest()


def _text(status: int, message: str, headers: dict[str, str] | None = None):

    return PlainTextResponse(" ".join(message.split()) + "\n", status_code=status, headers=headers)


def _negotiate(accept: str, offer: list[str]) -> str | None:
    """The best media type of *offer* for an Accept header (RFC 9110 §12.5.1), or ``None``."""

    try:
        best = mimeparse.best_match(list(reversed(offer)), accept or "*/*")
    except (ValueError, mimeparse.MimeTypeParseException):
        return None
    return best or None


def _format_for(request, form: str | None, params=None) -> str | None:
    """The format name for an answer of *form*: ``format=`` if given (in *params*, else the URL),
    else from Accept."""
    explicit = (params if params is not None else request.query_params).get("format")
    if explicit:
        return explicit
    offer = _ASK_OFFER if form == "ASK" else _GRAPH_OFFER if form in ("CONSTRUCT", "DESCRIBE") else _SELECT_OFFER
    media = _negotiate(request.headers.get("accept", "*/*"), offer)
    if media is None:
        return None
    if media in ("application/json",):
        return "json-ld" if form in ("CONSTRUCT", "DESCRIBE") else "json"
    if media == "text/plain":
        return "nt" if form in ("CONSTRUCT", "DESCRIBE") else "tsv"
    return _FORMAT_OF[media]


def _not_acceptable(form: str | None):
    offer = _ASK_OFFER if form == "ASK" else _GRAPH_OFFER if form in ("CONSTRUCT", "DESCRIBE") else _SELECT_OFFER
    what = form or "SELECT"
    article = "an" if what == "ASK" else "a"
    return _text(406, f"no acceptable format for {article} {what} answer; this server gives: {', '.join(offer)}", {"Vary": "Accept"})


class _App:
    """The request handlers, sharing the configuration, the worker pool and the graph's hash."""

    def __init__(self, config: ServeConfig, pool, etag: str, graphs: list[str]) -> None:

        layout = Layout(config.root)
        self.queries = load_catalogue(layout.query_files(), layout.display)
        self.config = config
        self.pool = pool
        self.etag = etag
        self.graphs = graphs

    # -------------------------------------------------------------------------- helpers

    def _tag(self, *parts: object) -> str:
        digest = hashlib.sha256(self.etag.encode())
        for part in parts:
            digest.update(b"\0" + repr(part).encode())
        return '"' + digest.hexdigest()[:32] + '"'

    @staticmethod
    def _matches(request, tag: str) -> bool:
        wanted = request.headers.get("if-none-match", "")
        # exact tags only: "*" would answer 304 to a request whose answer is an error
        return any(t.strip().removeprefix("W/") == tag for t in wanted.split(",")) if wanted else False

    def _paging(self, params) -> tuple[int, int]:

        def number(name: str, default: int) -> int:
            values = params.getlist(name)
            if not values:
                return default
            raw = values[0]
            if len(values) > 1:
                raise RelgraphError(f"{name}= is given twice")
            if not re.fullmatch(r"[0-9]{1,12}", raw):
                raise RelgraphError(f"{name}={raw!r}: give a whole number of rows")
            return int(raw)

        offset = number("offset", 0)
        limit = number("limit", self.config.max_rows)
        if not 1 <= limit <= self.config.max_rows:
            raise RelgraphError(f"limit={limit}: give 1 to {self.config.max_rows} (the server's --max-rows); page with offset=")
        return offset, limit

    def _html_context(self, request, params, fmt: str, offset: int, limit: int, text: str | None = None) -> dict:
        """For an HTML answer: the label language, the base IRI, and the URL of the next page."""
        if fmt != "html":
            return {}
        query = [(k, v) for k, v in params.multi_items() if k not in ("offset", "limit", "query")]
        if text is not None:
            query.append(("query", text))
        next_href = "?" + urlencode([*query, ("offset", str(offset + limit)), ("limit", str(limit))])
        here = urlencode([(k, v) for k, v in query if k != "lang"] + ([("offset", str(offset)), ("limit", str(limit))] if offset else []))
        return {"lang": _language(request), "base": self.config.base, "next_href": next_href, "here": here}

    async def _run(self, job, tag: str, request, *, vary: str = "Accept", params=None):

        if getattr(job, "format", "") == "html" and "Accept-Language" not in vary:
            vary = ", ".join(v for v in (vary, "Accept-Language") if v)  # the labels follow it
        headers = {"ETag": tag, "Cache-Control": "no-cache"}
        if vary:  # an empty Vary would become ", Origin" once the CORS middleware adds its own
            headers["Vary"] = vary
        if self._matches(request, tag):
            return Response(status_code=304, headers=headers)
        try:
            answer: Answer = await self.pool.run(job, self.config.timeout)
        except WorkerTimeout:
            return _text(503, f"the query was stopped after {self.config.timeout:g} s, this server's time limit (relgraph serve --timeout), before it finished")
        except WorkerBusy:
            return _text(503, f"every query worker stayed busy for {self.config.timeout:g} s; try again shortly", {"Retry-After": "2"})
        except WorkerCrashed as exc:
            return _text(500, f"the query worker failed: {exc}")
        if answer.status != 200:
            return Response(answer.body, status_code=answer.status, media_type=answer.media_type)
        body = answer.body
        if answer.more:
            offset = getattr(job, "offset", 0)
            limit = getattr(job, "limit", self.config.max_rows)
            # the next page repeats the request's parameters, a POSTed form's and query included
            query = [(k, v) for k, v in (params if params is not None else request.query_params).multi_items() if k not in ("offset", "limit", "query")]
            if isinstance(job, QueryRequest):
                query.append(("query", job.text))
            next_url = str(request.url.replace(query=urlencode([*query, ("offset", str(offset + limit)), ("limit", str(limit))])))
            headers["Link"] = f'<{next_url}>; rel="next"'
            if getattr(job, "format", "") == "json":
                document = json.loads(body)
                document["head"]["link"] = [next_url]
                body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if answer.notes:  # rows resting on claims not confirmed on the day asked (ASCII text)
            headers["Relgraph-Note"] = " ".join(answer.notes)
        media = answer.media_type
        if media.startswith("text/") and "charset" not in media:
            media += "; charset=utf-8"
        return Response(body, headers=headers, media_type=media)

    # ---------------------------------------------------------------------------- /sparql

    async def sparql(self, request):
        """``/sparql``: a query by the SPARQL 1.1 Protocol, or the Service Description without one."""

        params = request.query_params
        texts = params.getlist("query")
        if params.getlist("update"):
            return _text(403, "SPARQL Update is refused: this endpoint is read-only")
        if request.method == "POST":
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await self._body(request)
            if isinstance(body, Response):
                return body
            if media == "application/sparql-update":
                return _text(403, "SPARQL Update is refused: this endpoint is read-only")
            if media == "application/sparql-query":
                try:
                    texts = [*texts, body.decode("utf-8")]
                except UnicodeDecodeError:
                    return _text(400, "the query is not UTF-8 text")
            elif media == _FORM_MEDIA:

                try:
                    form = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
                except UnicodeDecodeError:
                    return _text(400, "the form is not UTF-8 text")
                if any(k == "update" for k, _ in form):
                    return _text(403, "SPARQL Update is refused: this endpoint is read-only")
                texts = [*texts, *(v for k, v in form if k == "query")]
                params = _merged(params, form)
            else:
                return _text(415, f"a query is sent as application/sparql-query or {_FORM_MEDIA}, not {media or 'no media type'}")
        if not texts:
            return self._service_description(request)
        if len(texts) > 1:
            return _text(400, "give exactly one query parameter")
        text = texts[0]
        if len(text.encode("utf-8")) > self.config.max_request_bytes:
            return _text(413, f"the query is longer than the server's limit of {self.config.max_request_bytes} bytes (--max-request-bytes)")
        form = query_form(text)
        if len(params.getlist("format")) > 1:
            return _text(400, "format= is given twice")
        fmt = _format_for(request, form, params)
        if fmt is None:
            return _not_acceptable(form)
        try:
            offset, limit = self._paging(params)
        except RelgraphError as exc:
            return _text(400, exc.message)
        dataset = []
        for name in ("default-graph-uri", "named-graph-uri"):
            iris = tuple(params.getlist(name))
            for iri in iris:
                if not _is_iri(iri):
                    return _text(400, f"{name}={iri!r} is not an absolute IRI")
            dataset.append(iris)
        job = QueryRequest(text, fmt, dataset[0], dataset[1], offset=offset, limit=limit, **self._html_context(request, params, fmt, offset, limit, text))
        return await self._run(job, self._tag("sparql", job), request, params=params)

    async def _body(self, request):
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.config.max_request_bytes:
                return _text(413, f"the request body is larger than the server's limit of {self.config.max_request_bytes} bytes (--max-request-bytes)")
            chunks.append(chunk)
        return b"".join(chunks)

    def _service_description(self, request):

        media = _negotiate(request.headers.get("accept", "*/*"), [*_GRAPH_OFFER[:3], "text/html"])
        if media == "text/html":
            return _html(page("sparql.html", title="SPARQL endpoint", endpoint=str(request.url_for("sparql"))), {"Vary": "Accept"})
        if media is None:
            return _text(406, f"the service description is given as {', '.join([*_GRAPH_OFFER[:3], 'text/html'])}", {"Vary": "Accept"})
        fmt = _FORMAT_OF[media]
        triples = service_description(str(request.url_for("sparql")), self.graphs, bool(self.config.allow_service), self.config.max_rows)
        if fmt == "json-ld":
            body = ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b""
        else:

            body = serialize_triples(triples, fmt)
        tag = self._tag("sd", fmt, str(request.url))
        if self._matches(request, tag):
            return Response(status_code=304, headers={"ETag": tag, "Vary": "Accept"})
        return Response(body, media_type=media, headers={"ETag": tag, "Vary": "Accept"})

    # --------------------------------------------------------------------------- /queries

    async def catalogue(self, request):
        """``GET /queries``: the stored-query catalogue, as JSON or HTML."""

        entries = []
        for query in self.queries.values():
            example = {p.name: p.example for p in query.parameters}
            entries.append(
                {
                    **query.as_json(),
                    "url": str(request.url_for("stored", name=query.name)),
                    "example": str(request.url_for("stored", name=query.name)) + ("?" + urlencode(example) if example else ""),
                }
            )
        media = _negotiate(request.headers.get("accept", "*/*"), ["application/json", "text/html"])
        if media == "text/html":
            return _html(page("catalogue.html", title="Stored queries", entries=entries), {"Vary": "Accept"})
        if media is None:
            return _text(406, "the catalogue is application/json or text/html", {"Vary": "Accept"})
        tag = self._tag("catalogue", str(request.base_url))
        if self._matches(request, tag):

            return Response(status_code=304, headers={"ETag": tag, "Vary": "Accept"})
        return JSONResponse({"queries": entries}, headers={"ETag": tag, "Vary": "Accept"})

    async def stored(self, request):
        """``GET /queries/NAME?PARAM=…``: one stored query, bound as ``relgraph query`` binds it."""

        name = request.path_params["name"]
        if name not in self.queries:
            return _text(404, unknown_query(name, self.queries, "see /queries").message)
        query = self.queries[name]
        fmt = _format_for(request, query.form)
        if fmt is None:
            return _not_acceptable(query.form)
        reserved = {"as-of", "all-claims", "from", "to", "include-stale", "format", "offset", "limit", "lang"}
        items = [(k, v) for k, v in request.query_params.multi_items() if k not in reserved]
        names = [k for k, _ in request.query_params.multi_items()]
        if len(set(names)) != len(names):
            return _text(400, "a parameter is given twice")
        all_claims = request.query_params.get("all-claims", "false").lower()
        if all_claims not in ("true", "false"):
            return _text(400, "all-claims= takes true or false")
        include_stale = request.query_params.get("include-stale", "false").lower()
        if include_stale not in ("true", "false"):
            return _text(400, "include-stale= takes true or false")
        try:
            offset, limit = self._paging(request.query_params)
        except RelgraphError as exc:
            return _text(400, exc.message)
        job = StoredRequest(
            name,
            tuple(items),
            request.query_params.get("as-of"),
            all_claims == "true",
            fmt,
            request.query_params.get("from"),
            request.query_params.get("to"),
            include_stale == "true",
            offset=offset,
            limit=limit,
            **self._html_context(request, request.query_params, fmt, offset, limit),
        )

        day = today().isoformat()
        # a time-aware answer changes with the day, so the day is part of its tag
        return await self._run(job, self._tag("stored", job, day if query.time_aware else ""), request)

    # ------------------------------------------------------------------------ linked data

    def _iri(self, path: str) -> str:
        return self.config.base + path

    async def document(self, request):
        """``GET /data/PATH[.ttl|.jsonld|.nt|.html]``: the document about the IRI ``--base`` + PATH."""
        path = request.path_params["path"]
        fmt = None
        for extension, name in _EXTENSIONS.items():
            if path.endswith(extension):
                path, fmt = path[: -len(extension)], name
                break
        if fmt is None:
            media = _negotiate(request.headers.get("accept", "*/*"), _DOCUMENT_OFFER)
            if media is None:
                return _text(406, f"a document is given as {', '.join(_DOCUMENT_OFFER)}")
            fmt = _FORMAT_OF[media]
        negotiated = not any(request.url.path.endswith(e) for e in _EXTENSIONS)
        return await self._document(request, path, fmt, vary="Accept" if negotiated else "")

    async def _document(self, request, path: str, fmt: str, vary: str):
        lang = _language(request) if fmt == "html" else "en"  # only the HTML page has labels
        job = DocumentRequest(self._iri(path), fmt, lang, self.config.base, "/")
        response = await self._run(job, self._tag("document", job), request, vary=vary)
        if response.status_code == 200:
            response.headers["Content-Location"] = DOCUMENT_PREFIX + path + {v: k for k, v in _EXTENSIONS.items()}[fmt]
        return response

    async def thing(self, request):
        """``GET /PATH``: 303 to the document about ``--base`` + PATH, or the named graph or ontology itself."""

        path = request.path_params["path"]
        iri = self._iri(path)
        if iri in self.graphs or iri.rstrip("/") == self.config.base + "ontology":
            # a named graph or the ontology is itself a document: 200, negotiated
            media = _negotiate(request.headers.get("accept", "*/*"), _DOCUMENT_OFFER)
            if media is None:
                return _text(406, f"a document is given as {', '.join(_DOCUMENT_OFFER)}")
            return await self._document(request, path.rstrip("/"), _FORMAT_OF[media], vary="Accept")

        try:
            answer = await self.pool.run(ExistsRequest(iri), self.config.timeout)
        except (WorkerBusy, WorkerTimeout):
            return _text(503, "the server is busy; try again shortly", {"Retry-After": "2"})
        if answer.status != 200:
            return _text(404, f"the graph says nothing about <{iri}>")
        target = DOCUMENT_PREFIX + path + (("?" + request.url.query) if request.url.query else "")
        return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})

    # --------------------------------------------------------------------------- pictures

    async def picture(self, request):
        """``GET /pictures/KIND?…``: a picture of ``relgraph plot`` (:mod:`relgraph.serve.pictures`),
        SVG unless ``format=png``, labels in ``lang=`` (en, ru)."""
        params = request.query_params
        names = [k for k, _ in params.multi_items() if k in ("format", "lang")]
        if len(set(names)) != len(names):
            return _text(400, "a parameter is given twice")
        fmt = params.get("format", "svg")
        if fmt not in ("svg", "png"):
            return _text(400, "format= takes svg or png")
        lang = params.get("lang", "en")
        if lang not in ("en", "ru"):
            return _text(400, "lang= takes en or ru")
        job = PictureRequest(request.path_params["kind"], tuple((k, v) for k, v in params.multi_items() if k not in ("format", "lang")), fmt, lang)
        # a picture of open memberships runs to this year, so the day is part of its tag
        return await self._run(job, self._tag("picture", job, today().isoformat()), request, vary="")

    async def home(self, request):
        """``GET /``: a page with links to the endpoint, the stored queries and two entities."""
        return _html(page("home.html", title="Relations between states", base=self.config.base))


def _is_iri(text: str) -> bool:
    """Whether *text* is an absolute IRI that pyoxigraph accepts (RFC 3987)."""

    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return ":" in text


def _merged(params, form: list[tuple[str, str]]):

    return QueryParams([*params.multi_items(), *form])


def _language(request) -> str:
    """The label language: ``lang=`` if given, else the best of Accept-Language (RFC 9110 §12.5.4), else English."""

    codes = [code for code, _ in LANGUAGES]
    chosen = request.query_params.get("lang")
    if chosen in codes:
        return chosen
    ranked = []
    for position, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, rest = part.strip().partition(";")
        quality = 1.0
        if rest.strip().startswith("q="):
            try:
                quality = float(rest.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.split("-")[0].lower()
        if primary in codes and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else "en"


def _html(body: str, headers: dict[str, str] | None = None):

    return HTMLResponse(body, headers=headers)


def service_description(endpoint: str, graphs: list[str], federated: bool, max_rows: int):
    """The SPARQL 1.1 Service Description (W3C Recommendation, 2013) of the endpoint, as triples.

    Args:
        endpoint: The endpoint's URL.
        graphs: The named graph IRIs of the dataset.
        federated: Whether ``SERVICE`` is allowed (``sd:BasicFederatedQuery``).
        max_rows: The page size (as an ``rdfs:comment``).

    Returns:
        ``pyoxigraph.Triple`` list.
    """

    rdf_type = ox.NamedNode(RDF_TYPE)
    service = ox.NamedNode(endpoint + "#service")
    dataset = ox.NamedNode(endpoint + "#dataset")
    default_graph = ox.NamedNode(endpoint + "#default-graph")

    def n(local: str, ns: str = SD) -> ox.NamedNode:
        return ox.NamedNode(ns + local)

    triples = [
        ox.Triple(service, rdf_type, n("Service")),
        ox.Triple(service, n("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, n("supportedLanguage"), n("SPARQL11Query")),
        ox.Triple(service, n("feature"), n("UnionDefaultGraph")),
        ox.Triple(service, n("defaultDataset"), dataset),
        ox.Triple(service, ox.NamedNode(RDFS_COMMENT), ox.Literal(f"Read-only. Answers come in pages of at most {max_rows} rows (limit=, offset=; Link rel=next).", language="en")),
        ox.Triple(dataset, rdf_type, n("Dataset")),
        ox.Triple(dataset, n("defaultGraph"), default_graph),
        ox.Triple(default_graph, rdf_type, n("Graph")),
    ]
    if federated:
        triples.append(ox.Triple(service, n("feature"), n("BasicFederatedQuery")))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD"):
        triples.append(ox.Triple(service, n("resultFormat"), n(name, FORMATS)))
    for number, graph in enumerate(sorted(graphs)):
        named = ox.NamedNode(f"{endpoint}#named-graph-{number}")
        triples += [ox.Triple(dataset, n("namedGraph"), named), ox.Triple(named, rdf_type, n("NamedGraph")), ox.Triple(named, n("name"), ox.NamedNode(graph))]
    return triples


def create_app(config: ServeConfig, pool=None, *, etag: str | None = None, graphs: list[str] | None = None):
    """Build the Starlette application.

    Args:
        config: The configuration.
        pool: A started-or-not :class:`relgraph.serve.pool.WorkerPool`; a new one when ``None``
            (started with the application, closed when it stops).
        etag: The graph's hash (:func:`graph_etag`), computed when ``None``.
        graphs: The named graphs of the store, read when ``None``.

    Returns:
        The ASGI application.

    Raises:
        relgraph.errors.RelgraphError: The graph or store cannot be loaded (its one-line message).
    """

    store = query_store(Layout(config.root), config.store)  # builds the cache entry once, before the workers open it
    graph_names = graphs if graphs is not None else sorted(g.value for g in store.named_graphs())
    del store
    own_pool = pool is None
    if own_pool:

        pool = WorkerPool(
            config.workers,
            "relgraph.serve.handlers.setup",
            "relgraph.serve.handlers.handle",
            {
                "root": str(config.root),
                "store": str(config.store) if config.store else None,
                "allow_service": tuple(config.allow_service),
                "max_bytes": config.max_bytes,
                "today": fixed_today(),
            },
            # defence in depth: without an allowed SERVICE endpoint, a worker's proxies lead nowhere
            offline=not config.allow_service,
        )
    handlers = _App(config, pool, etag or graph_etag(config.root, config.store), graph_names)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await pool.start()
        try:
            yield
        finally:
            if own_pool:
                pool.close()

    routes = [
        Route("/", handlers.home, methods=["GET", "HEAD"]),
        Route("/sparql", handlers.sparql, methods=["GET", "POST", "HEAD"], name="sparql"),
        Route("/queries", handlers.catalogue, methods=["GET", "HEAD"]),
        Route("/queries/{name}", handlers.stored, methods=["GET", "HEAD"], name="stored"),
        Route("/pictures/{kind}", handlers.picture, methods=["GET", "HEAD"]),
        Route(DOCUMENT_PREFIX + "{path:path}", handlers.document, methods=["GET", "HEAD"]),
        Route("/{path:path}", handlers.thing, methods=["GET", "HEAD"]),
    ]
    middleware = []
    if config.cors:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                allow_headers=["Accept", "Content-Type", "If-None-Match"],
                expose_headers=["ETag", "Link", "Content-Location", "Retry-After", "Relgraph-Note"],
                max_age=3600,
            )
        )
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def serve(config: ServeConfig, *, announce=print) -> None:
    """Serve until interrupted (uvicorn on one socket bound to ``config.host:config.port``).

    Args:
        config: The configuration.
        announce: Called with the line that says where the server listens (its real port,
            also when *config.port* is 0).

    Raises:
        relgraph.errors.RelgraphError: The address cannot be bound, or the graph cannot be loaded.
    """

    app = create_app(config)
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted connections only for a TCP socket,
    # and without it Nagle's algorithm holds each response body ~40 ms for the client's delayed ACK
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((config.host, config.port))
    except OSError as exc:
        sock.close()
        raise RelgraphError(f"cannot listen on {config.host}:{config.port}: {exc.strerror}; choose another --port or --host") from None
    sock.listen(2048)  # connections wait in the backlog from now on, until uvicorn accepts them
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    announce(f"relgraph serve: http://{shown}:{port}/sparql (SPARQL), http://{shown}:{port}/queries (stored queries), IRIs under {config.base} at http://{shown}:{port}/")
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=2, h11_max_incomplete_event_size=config.max_request_bytes + 16 * 1024))
    server.run(sockets=[sock])
