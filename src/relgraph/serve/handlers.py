"""What a ``relgraph serve`` worker does: answer one protocol request on the read-only store.

Runs inside the worker processes of :class:`relgraph.serve.pool.WorkerPool` (:func:`setup` once,
then :func:`handle` per request), never in the HTTP server's own process, so a query that runs
too long is stopped by killing its worker. Each request is a frozen dataclass and each answer an
:class:`Answer` (status, media type, body), so the HTTP layer only maps them to responses.

- :class:`QueryRequest`: a user query through the SPARQL 1.1 Protocol. It is checked as
  ``relgraph sparql`` checks it (:func:`relgraph.query.adhoc.check`: no update, no ``SERVICE`` unless
  allowed, ``FROM`` only selects among loaded graphs) and run with the protocol's
  ``default-graph-uri`` and ``named-graph-uri`` (SPARQL 1.1 Protocol §2.1.4).
- :class:`StoredRequest`: a stored query with parameters, bound exactly as by ``relgraph query``.
- :class:`DocumentRequest`: the description of one IRI (the stored ``describe`` query), one
  named graph, or the ontology, as RDF or as an HTML page (with the entity's picture, where one
  fits it: :mod:`relgraph.serve.pictures`).
- :class:`PictureRequest`: a picture of :mod:`relgraph.plots` (SVG or PNG).

Large answers come in pages: at most *limit* solutions (SELECT) or triples (CONSTRUCT,
DESCRIBE) from *offset*; :attr:`Answer.more` says whether another page follows.
"""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from relgraph.errors import ParameterError, QueryError, QueryRefused, RelgraphError
from relgraph.graph.dates import fix_today
from relgraph.graph.langtags import store_tags
from relgraph.graph.loading import ONTOLOGY_GRAPH_BASE, as_written
from relgraph.graph.store import query_store
from relgraph.namespaces import PREFIXES, compact
from relgraph.paths import Layout
from relgraph.publish.canonical import canonical_triples
from relgraph.publish.export import ONTOLOGY_IRI
from relgraph.publish.jsonld import to_json_ld
from relgraph.publish.serialize import serialize_triples
from relgraph.query import binding as stored
from relgraph.query.adhoc import check, engine_message
from relgraph.query.catalogue import find, load_catalogue
from relgraph.query.confirmation import CONFIRMATION_COLUMNS, split_stale, stale_note, unconfirmed_notes
from relgraph.query.describe import DESCRIBE_QUERY, describe
from relgraph.query.results import iris_in, serialize_solutions, solutions_from_rows
from relgraph.serve.pages import entity_page, results_page
from relgraph.serve.pictures import KINDS, MEDIA, available, draw, picture_href

__all__ = [
    "RESULT_MEDIA",
    "RDF_MEDIA",
    "Answer",
    "Page",
    "QueryRequest",
    "StoredRequest",
    "DocumentRequest",
    "ExistsRequest",
    "PictureRequest",
    "WorkerState",
    "setup",
    "handle",
]

RESULT_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
"""SPARQL 1.1 results formats (JSON, XML, CSV/TSV Recommendations) by format name."""

RDF_MEDIA = {
    "turtle": "text/turtle",
    "json-ld": "application/ld+json",
    "nt": "application/n-triples",
}
"""RDF serializations (Turtle, JSON-LD 1.1, N-Triples) by format name."""


@dataclass(frozen=True)
class Answer:
    """A worker's answer to one request.

    Attributes:
        status: The HTTP status (200; 400 for a malformed query or parameter; 403 for a refused
            query; 404 for nothing to describe; 406 for a format that cannot hold the answer;
            507 for an answer larger than the byte limit).
        media_type: The body's media type (``text/plain`` for errors).
        body: The serialized answer, or a one-line message.
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` (empty for errors).
        count: Solutions or triples in this page (ASK: 1 for true, 0 for false).
        more: Whether a further page follows this one.
        notes: For a stored query's answer about a day: one line for each column that marks rows
            of this page resting on claims not confirmed on that day
            (:func:`relgraph.query.confirmation.unconfirmed_notes`); the server sends them in the
            ``Relgraph-Note`` header.
    """

    status: int
    media_type: str
    body: bytes
    form: str = ""
    count: int = 0
    more: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Page:
    """Which page of an answer to give, and what an HTML page needs (the fields every query request has).

    Attributes:
        offset: Solutions or triples to skip.
        limit: The page size.
        lang: For an HTML answer (``format`` ``html``): the label language.
        base: For an HTML answer: the base IRI the server answers for (links).
        next_href: For an HTML answer: the link to the next page, shown if there is one.
        here: For an HTML answer: this page's query string without ``lang`` (for the language links).
    """

    offset: int = 0
    limit: int = 10_000
    lang: str = "en"
    base: str = ""
    next_href: str = ""
    here: str = ""


@dataclass(frozen=True)
class QueryRequest(Page):
    """A query sent through the SPARQL 1.1 Protocol (and, by keyword, the :class:`Page` fields).

    Attributes:
        text: The query.
        format: A key of :data:`RESULT_MEDIA` or :data:`RDF_MEDIA`, or ``html``, chosen by content negotiation.
        default_graphs: ``default-graph-uri`` values (their merge is the default graph).
        named_graphs: ``named-graph-uri`` values.
    """

    text: str
    format: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredRequest(Page):
    """A stored query run as an HTTP resource, ``GET /queries/NAME?param=…`` (and the :class:`Page` fields).

    Attributes:
        name: The stored query's name.
        params: Parameter name → value as typed, in request order.
        as_of: ``YYYY-MM-DD`` for a time-aware query, or ``None`` for today.
        all_claims: Return claims of every rank.
        format: As :attr:`QueryRequest.format`.
        period_start: ``from=``, the period's first day as typed, or ``None``.
        period_end: ``to=``, the period's last day as typed, or ``None``.
        include_stale: ``include-stale=true``: keep the rows last confirmed more than five years
            before the day asked, which an answer otherwise leaves out as the command line does
            (:func:`relgraph.query.confirmation.split_stale`), counting them in a note.
    """

    name: str
    params: tuple[tuple[str, str], ...]
    as_of: str | None
    all_claims: bool
    format: str
    period_start: str | None = None
    period_end: str | None = None
    include_stale: bool = False


@dataclass(frozen=True)
class DocumentRequest:
    """The document about one IRI, for linked-data dereferencing.

    Attributes:
        iri: The IRI (an entity or claim, a named graph, or the ontology).
        format: A key of :data:`RDF_MEDIA`, or ``html``.
        lang: The label language for HTML (``en`` or ``ru``; English where none is recorded).
        base: The base IRI whose paths the server answers (for links in HTML).
        prefix: The server path that *base* maps to (for links in HTML), ending in ``/``.
    """

    iri: str
    format: str
    lang: str = "en"
    base: str = ""
    prefix: str = "/"


@dataclass(frozen=True)
class ExistsRequest:
    """Whether the graph says anything about an IRI as a subject (for a 303 or a 404)."""

    iri: str


@dataclass(frozen=True)
class PictureRequest:
    """A picture (``GET /pictures/KIND``).

    Attributes:
        kind: ``membership``, ``timeline`` or ``network`` (:data:`relgraph.serve.pictures.KINDS`).
        params: The request's parameters as (name, value) pairs, ``format`` and ``lang`` taken out.
        format: ``svg`` or ``png``.
        lang: The label language (``en`` or ``ru``).
    """

    kind: str
    params: tuple[tuple[str, str], ...]
    format: str = "svg"
    lang: str = "en"


@dataclass
class WorkerState:
    """What a worker holds: the read-only store, the layout and the stored-query catalogue.

    Attributes:
        store: The pyoxigraph store (read-only).
        layout: The relgraph root (for frames, the context and the stored queries).
        catalogue: Stored query name → :class:`relgraph.query.catalogue.StoredQuery`.
        graphs: The named graph IRIs of the store.
        allow_service: Endpoints that ``SERVICE`` may call.
        max_bytes: The largest body an answer may have.
    """

    store: ox.Store
    layout: object
    catalogue: dict
    graphs: frozenset[str]
    allow_service: tuple[str, ...]
    max_bytes: int


def setup(root: str, store: str | None, allow_service: tuple[str, ...], max_bytes: int, today: str | None = None) -> WorkerState:
    """Open the store for a worker (read-only; the cache entry is built by the server first).

    Args:
        root: The relgraph root.
        store: A store folder (``relgraph load``), or ``None`` for the root's graph.
        allow_service: Endpoints ``SERVICE`` may call.
        max_bytes: The byte limit of an answer.
        today: ``RELGRAPH_TODAY`` of the server, so its workers answer for the same day.

    Returns:
        The worker's state.
    """

    fix_today(today)
    layout = Layout(Path(root))
    graph_store = query_store(layout, Path(store) if store else None)
    catalogue = load_catalogue(layout.query_files(), layout.display)
    graphs = frozenset(g.value for g in graph_store.named_graphs())
    return WorkerState(graph_store, layout, catalogue, graphs, tuple(allow_service), max_bytes)


def _error(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (" ".join(message.split()) + "\n").encode("utf-8"))


def handle(state: WorkerState, request) -> Answer:
    """Answer one request (see the module documentation).

    Args:
        state: From :func:`setup`.
        request: A :class:`QueryRequest`, :class:`StoredRequest`, :class:`DocumentRequest`,
            :class:`ExistsRequest` or :class:`PictureRequest`.

    Returns:
        The answer; errors of the request are answers with a 4xx status, never exceptions.
    """
    try:
        if isinstance(request, QueryRequest):
            return _query(state, request)
        if isinstance(request, StoredRequest):
            return _stored(state, request)
        if isinstance(request, DocumentRequest):
            return _document(state, request)
        if isinstance(request, ExistsRequest):
            return _exists(state, request.iri)
        if isinstance(request, PictureRequest):
            return _picture(state, request)
    except QueryRefused as exc:
        return _error(403, exc.message)
    except (ParameterError, QueryError) as exc:
        return _error(400, exc.message)
    except RelgraphError as exc:
        return _error(400, exc.message)
    except MemoryError:
        return _error(507, "the query needs more memory than the server has; narrow it (LIMIT, more specific patterns)")
    except RecursionError:
        return _error(400, "the query is nested too deeply; simplify it")
    raise TypeError(f"unknown request {type(request).__name__}")


def _page(
    state: WorkerState, answer, fmt: str, offset: int, limit: int, form: str, request=None, title: str = "", list_columns: tuple[str, ...] = (), day=None
) -> Answer:
    """Serialize one page of an answer, noting whether more follows and, for an answer about
    *day* (a ``datetime.date``), which of its rows rest on claims not confirmed on that day."""

    if isinstance(answer, ox.QueryBoolean):
        if fmt not in ("json", "xml"):
            return _error(406, f"an ASK answer has no {fmt} form (SPARQL 1.1 CSV/TSV hold only solutions); ask for JSON or XML")
        return Answer(200, RESULT_MEDIA[fmt], serialize_solutions(answer, fmt), "ASK", int(bool(answer)))
    items = []
    more = False
    for number, item in enumerate(answer):
        if number < offset:
            continue
        if len(items) == limit:
            more = True
            break
        items.append(item)
    notes: tuple[str, ...] = ()
    if day is not None and not isinstance(answer, ox.QueryTriples):

        marked = [c for c in CONFIRMATION_COLUMNS if c in {v.value for v in answer.variables}]
        if marked:
            notes = tuple(unconfirmed_notes([{c: row[c] for c in marked} for row in items], day))
    if fmt == "html":

        if isinstance(answer, ox.QueryTriples):
            variables = ["subject", "predicate", "object"]
            rows = [{"subject": t.subject, "predicate": t.predicate, "object": t.object} for t in items]
        else:
            variables = [v.value for v in answer.variables]
            rows = [{v: row[v] for v in variables} for row in items]
        body = results_page(
            state.store,
            title or f"{form} answer",
            variables,
            rows,
            offset=offset,
            next_href=request.next_href if more else "",
            here=request.here,
            lang=request.lang,
            base=request.base,
            list_columns=list_columns,
        )
        return Answer(200, "text/html; charset=utf-8", body, form, len(items), more, notes)
    if isinstance(answer, ox.QueryTriples):
        if fmt not in RDF_MEDIA:
            return _error(406, f"a {form} answer is RDF; ask for Turtle, N-Triples or JSON-LD, not {fmt}")
        if fmt == "json-ld":

            if any(isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple) for t in items):
                return _error(406, "the answer holds RDF 1.2 triple terms, which JSON-LD 1.1 cannot write; ask for Turtle or N-Triples")
            body = to_json_ld(items, state.layout, language_tags=store_tags(state.store))
        else:
            body = serialize_triples(items, fmt, store_tags(state.store))
        media = RDF_MEDIA[fmt]
    else:
        if fmt not in RESULT_MEDIA:
            return _error(406, f"a SELECT answer is a table of solutions; ask for SPARQL results JSON, XML, CSV or TSV, not {fmt}")
        variables = [v.value for v in answer.variables]
        page = solutions_from_rows(variables, [[row[v] for v in variables] for row in items])
        body = serialize_solutions(page, fmt)
        media = RESULT_MEDIA[fmt]
    if len(body) > state.max_bytes:
        return _error(507, f"this page of the answer is {len(body)} bytes, more than the server's limit of {state.max_bytes} (--max-bytes); ask for smaller pages (limit=)")
    return Answer(200, media, body, form, len(items), more, notes)


@functools.lru_cache(maxsize=1024)
def _checked(text: str, allow_service: tuple[str, ...]):
    """:func:`relgraph.query.adhoc.check`, remembered per worker: clients repeat their queries
    (pages, polling, a dashboard), and a check costs a lexical scan and a parse by Oxigraph."""

    return check(text, "query", allow_service, endpoint=True)


def _query(state: WorkerState, request: QueryRequest) -> Answer:

    # only short texts are remembered, so the cache stays small (1,024 × 16 KiB at most)
    checked = _checked(request.text, state.allow_service) if len(request.text) <= 16_384 else _checked.__wrapped__(request.text, state.allow_service)
    options: dict = {"prefixes": PREFIXES}
    if request.default_graphs or request.named_graphs:
        # the protocol's dataset replaces the query's FROM / FROM NAMED (SPARQL 1.1 Protocol §2.1.4)
        if request.default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
        if request.named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    else:
        options["use_default_graph_as_union"] = not checked.has_dataset
    try:
        answer = state.store.query(checked.text, **options)
        return _page(state, answer, request.format, request.offset, request.limit, checked.form, request, "SPARQL query")
    except SyntaxError as exc:
        return _error(400, f"SPARQL error at {engine_message(exc)}")
    except OSError as exc:  # SERVICE to an allowed endpoint that failed
        return _error(502, f"a SERVICE request failed: {' '.join(str(exc).split())}")


def _stored(state: WorkerState, request: StoredRequest) -> Answer:

    query = find(state.catalogue, request.name)
    params = dict(request.params)
    day = stored.answer_day(query, request.as_of, request.all_claims, style="http")
    period = stored.answer_period(query, request.period_start, request.period_end, style="http")
    answer = stored.run(state.store, query, params, day, request.all_claims, param_style="http", period=period)
    lists = tuple(c.name for c in query.columns if c.kind == "iri-list")
    stale_line = None
    if query.drops_stale and day is not None and not request.include_stale:
        variables = [v.value for v in answer.variables]
        kept, stale = split_stale([{v: solution[v] for v in variables} for solution in answer], day)
        if stale:
            columns = [c.name for c in query.columns if c.kind == "iri-list" and c.name.startswith("sources")]
            # a header holds ASCII: the sources by their prefixed names, not by labels in any script
            labels = {iri: compact(iri) for iri in iris_in(stale, set(columns))}
            stale_line = stale_note(stale, labels, columns, how="include-stale=true", none_kept=not kept)
        answer = solutions_from_rows(variables, [[row[v] for v in variables] for row in kept])
    page = _page(state, answer, request.format, request.offset, request.limit, query.form, request, query.title, lists, day)
    if stale_line and page.status == 200:
        page = dataclasses.replace(page, notes=(*page.notes, _header_text(stale_line)))
    return page


_PUNCTUATION = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _header_text(text: str) -> str:
    """*text* in ASCII for an HTTP header field (RFC 9110 §5.5 allows only visible ASCII safely):
    dashes and quotes as their ASCII forms, "…" as "..." (compatibility decomposition, NFKD),
    accents dropped, and letters without an ASCII form left out."""
    return unicodedata.normalize("NFKD", text.translate(_PUNCTUATION)).encode("ascii", "ignore").decode("ascii")


def _exists(state: WorkerState, iri: str) -> Answer:
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return Answer(404, "text/plain", b"")
    found = next(iter(state.store.quads_for_pattern(node, None, None)), None) is not None
    return Answer(200 if found else 404, "text/plain", b"")


def _document(state: WorkerState, request: DocumentRequest) -> Answer:

    iri = request.iri
    frame = None
    if iri in state.graphs:
        triples = [q.triple for q in state.store.quads_for_pattern(None, None, None, ox.NamedNode(iri))]
        kind = "graph"
    elif iri.rstrip("#") == ONTOLOGY_IRI:
        graph = ox.NamedNode(ONTOLOGY_GRAPH_BASE + "relgraph")
        triples = [q.triple for q in state.store.quads_for_pattern(None, None, None, graph)]
        kind = "ontology"
    else:
        if _exists(state, iri).status != 200:
            return _error(404, f"the graph says nothing about <{iri}>")
        description = describe(state.store, find(state.catalogue, DESCRIBE_QUERY), iri)
        triples, frame = description.triples, description.frame
        kind = "entity"
    if kind != "entity":
        triples = canonical_triples(as_written(triples, state.store))
    if request.format == "html" and kind == "ontology":
        # pyLODE's documentation of the ontology, its concept schemes and its shapes, where the
        # optional extra is installed (pip install 'relgraph[docs]'); else the page of its triples
        # imported here: rdflib is 77 ms to import (python -X importtime), which only the ontology's page needs
        from relgraph.publish.ontology_docs import DocsUnavailable, cached_ontology_html  # noqa: PLC0415

        try:
            return Answer(200, "text/html; charset=utf-8", cached_ontology_html(state.layout).encode("utf-8"), "DESCRIBE", len(triples))
        except DocsUnavailable:
            pass
    if request.format == "html":

        picture = picture_href(state.store, iri, request.prefix, request.lang) if kind == "entity" else None
        body = entity_page(state.store, iri, triples, kind=kind, lang=request.lang, base=request.base, prefix=request.prefix, picture=picture)
        return Answer(200, "text/html; charset=utf-8", body, "DESCRIBE", len(triples))
    if request.format == "json-ld":
        if any(isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple) for t in triples):
            return _error(406, "this document holds RDF 1.2 triple terms, which JSON-LD 1.1 cannot write; ask for Turtle or N-Triples")
        body = to_json_ld(triples, state.layout, frame=frame, language_tags=store_tags(state.store))
    else:

        body = serialize_triples(triples, request.format, store_tags(state.store))
    return Answer(200, RDF_MEDIA[request.format], body, "DESCRIBE", len(triples))



def _picture(state: WorkerState, request: PictureRequest) -> Answer:
    if request.kind not in KINDS:
        return _error(404, f"no picture {request.kind!r}; the pictures: {', '.join(KINDS)}")
    if not available():
        return _error(501, "the pictures need matplotlib and networkx: pip install 'relgraph[plots]'")
    params: dict[str, list[str]] = {}
    for name, value in request.params:
        params.setdefault(name, []).append(value)
    body = draw(state.store, state.catalogue, request.kind, params, request.format, request.lang)
    return Answer(200, MEDIA[request.format], body, "", 1)
