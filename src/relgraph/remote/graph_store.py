"""Publishing the graph into a triple store: ``relgraph push --graph-store URL``.

What is pushed is exactly what relgraph queries locally: every named graph of the query store
(one per source file: ``…/graph/ontology/<stem>`` for ``ontology/*.ttl``, ``…/graph/facts/<stem>``
for ``graph/*.ttl``, and ``…/graph/derived`` for what relgraph derives when it loads the graph),
under the same graph IRIs, so the stored queries give the same rows on the server. It uses the
SPARQL 1.1 Graph Store HTTP Protocol (W3C Recommendation, 2013):

- each graph is replaced with ``PUT ?graph=IRI`` (§5.3), so pushing twice leaves the same content;
- a manifest graph (``…/graph/manifest``) lists the graphs relgraph pushed; graphs it listed
  that the project no longer has are removed with ``DELETE ?graph=IRI`` (§5.4). Only graphs
  relgraph pushed are ever removed;
- each graph is read back with ``GET ?graph=IRI`` (§5.2) and its triples counted; a count that
  differs from what was sent is an error. A server that caps what it returns (Virtuoso's
  ``ResultSetMaxRows`` applies to a Graph Store ``GET`` too) cannot give back a graph larger
  than its cap: given the server's SPARQL query endpoint, each graph is counted there instead
  (``SELECT (COUNT(*) AS ?n) WHERE { GRAPH <IRI> { ?s ?p ?o } }``, one row whatever the cap).

Credentials: a user name from ``--user`` or ``RELGRAPH_USER``, its password from
``RELGRAPH_PASSWORD`` or a prompt (never a command-line argument, which shell history and the
process list would keep); HTTP Basic or Digest authentication (RFC 7617, RFC 7616), chosen from
the server's challenge unless ``--auth`` says which (Virtuoso's ``/sparql-graph-crud-auth``
asks for Digest).

Literals go out as the files wrote them (:func:`local_graphs`). Triples with RDF 1.2 triple
terms in a graph of the user's own are sent too; a server that rejects them (Virtuoso 7 has no
RDF 1.2) gets that graph again without them, and the report says how many were left out.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx
import pyoxigraph as ox

from relgraph.errors import RelgraphError
from relgraph.graph.loading import as_written, is_derivation_only
from relgraph.namespaces import GRAPH_BASE
from relgraph.remote.endpoint import MAX_TERM_NESTING, Deadline, nesting_ok, summary
from relgraph.remote.http import MAX_ANSWER_BYTES, deadline, fetch, redact

__all__ = ["PushError", "PushedGraph", "PushReport", "MANIFEST_GRAPH", "local_graphs", "push"]

MANIFEST_GRAPH = GRAPH_BASE + "manifest"
"""The graph that lists what relgraph pushed (``dcterms:hasPart`` of the manifest IRI)."""

_HAS_PART = ox.NamedNode("http://purl.org/dc/terms/hasPart")
_MANIFEST = ox.NamedNode(MANIFEST_GRAPH)
_INFERRED = GRAPH_BASE + "inferred"


class PushError(RelgraphError):
    """The graph store refused a request, could not be reached, or the read-back did not match (exit 2)."""


@dataclass(frozen=True)
class PushedGraph:
    """One named graph as pushed.

    Attributes:
        iri: The graph IRI.
        sent: Triples sent.
        verified: Triples the server gave back when the graph was read afterwards.
        left_out: Triples with RDF 1.2 triple terms that the server refused, so were not sent.
    """

    iri: str
    sent: int
    verified: int
    left_out: int = 0


@dataclass
class PushReport:
    """What a push did.

    Attributes:
        graphs: The graphs pushed, with their verified triple counts.
        removed: The graphs removed because the project no longer has them.
        seconds: Wall-clock time of the whole push.
    """

    graphs: list[PushedGraph] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        """The total number of triples verified on the server."""
        return sum(g.verified for g in self.graphs)


def local_graphs(store: ox.Store) -> dict[str, list[ox.Triple]]:
    """The named graphs of a query store that a push publishes, with their triples as written.

    Literals the store canonicalised (``"149"^^xsd:nonNegativeInteger`` held as ``"149"^^xsd:integer``)
    are sent as the files wrote them (:func:`relgraph.graph.loading.as_written`), so the triple store
    says what the sources say; the RDF 1.2 reifications that record those written forms in the
    derived graph are therefore not sent (RDF 1.1 stores such as Virtuoso 7 could not hold them).

    Args:
        store: The query store (``relgraph.graph.store.query_store``).

    Returns:
        Graph IRI → triples, sorted by IRI; the inferred graph (``--infer``) is never pushed.
    """

    graphs: dict[str, list[ox.Triple]] = {}
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        if graph.value in (_INFERRED, MANIFEST_GRAPH):
            continue
        quads = store.quads_for_pattern(None, None, None, graph)
        graphs[graph.value] = as_written((q.triple for q in quads if not is_derivation_only(q)), store)
    return graphs


def _count(endpoint, iri: str) -> int:
    """The number of triples the server holds in graph *iri*, by a ``COUNT(*)`` query on its
    SPARQL endpoint.

    Raises:
        PushError: The answer is not one row with an integer count.
    """
    rows = list(endpoint.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}", use_default_graph_as_union=False))
    try:
        (row,) = rows
        return int(row["n"].value)
    except (ValueError, TypeError, KeyError, AttributeError):
        raise PushError(f"counting the triples of <{iri}> on the SPARQL endpoint gave no integer count") from None


def _reason(response) -> str:

    return f"HTTP {response.status_code} {response.reason_phrase}: {summary(response.content)}"


def _has_triple_term(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.Triple) or isinstance(triple.object, ox.Triple)


@dataclass(frozen=True)
class _Reply:
    """A Graph Store answer, read in full."""

    status_code: int
    reason_phrase: str
    headers: object
    content: bytes


class _GraphStore:
    def __init__(self, url: str, auth, timeout: float | None) -> None:

        self.url = url
        self.shown = redact(url)
        self.timeout = timeout
        self.client = httpx.Client(auth=auth, trust_env=False, follow_redirects=False, timeout=timeout)

    def request(self, method: str, graph: str, **kwargs):
        """One request, read in full within the time limit and the size limit of an answer."""

        doing = f" to {method} of <{graph}>"
        try:
            with deadline(self.timeout):
                response, body = fetch(
                    self.client, method, self.url, shown=self.shown, timeout=self.timeout, limit=MAX_ANSWER_BYTES, error=PushError, doing=doing, params={"graph": graph}, **kwargs
                )
        except Deadline:
            raise PushError(f"{self.shown}: no complete answer{doing} within {self.timeout:g} s (--timeout); raise --timeout or ask the server's operator") from None
        return _Reply(response.status_code, response.reason_phrase, response.headers, body)

    def put(self, graph: str, triples: Sequence[ox.Triple]):
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        # N-Triples is a subset of Turtle; text/turtle is the one type every Graph Store accepts
        return self.request("PUT", graph, content=body, headers={"Content-Type": "text/turtle; charset=utf-8"})

    def get(self, graph: str) -> list[ox.Triple] | None:

        response = self.request("GET", graph, headers={"Accept": "application/n-triples, text/turtle;q=0.9"})
        if response.status_code == 404:
            return None
        if response.status_code >= 300:
            raise PushError(f"{self.shown}: reading back <{graph}> failed: {_reason(response)}")
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        formats = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE}
        if media not in formats:
            raise PushError(f"{self.shown}: reading back <{graph}> gave {media or 'no media type'}, not N-Triples or Turtle")
        if not (nesting_ok(response.content, b"<<(", b")>>") and nesting_ok(response.content, b"<<", b">>")):
            raise PushError(f"{self.shown}: reading back <{graph}> gave RDF 1.2 triple terms nested more than {MAX_TERM_NESTING} deep")
        try:
            return [q.triple for q in ox.parse(response.content, format=formats[media])]
        except SyntaxError as exc:
            raise PushError(f"{self.shown}: reading back <{graph}> gave malformed {media}: {' '.join(str(exc).split())}") from None

    def delete(self, graph: str) -> None:
        response = self.request("DELETE", graph)
        if response.status_code >= 300 and response.status_code != 404:
            raise PushError(f"{self.shown}: removing <{graph}> failed: {_reason(response)}")


def push(
    url: str,
    graphs: dict[str, list[ox.Triple]],
    *,
    auth=None,
    timeout: float | None = 60.0,
    progress: Callable[[str], None] | None = None,
    count_endpoint=None,
) -> PushReport:
    """Publish named graphs to a SPARQL 1.1 Graph Store, remove stale ones, and verify.

    Args:
        url: The Graph Store Protocol endpoint (Oxigraph server: ``…/store``; Virtuoso:
            ``…/sparql-graph-crud-auth``).
        graphs: Graph IRI → triples (:func:`local_graphs`).
        auth: From :func:`make_auth`, or ``None``.
        timeout: Seconds for each HTTP request; ``None`` for no limit.
        progress: Called with a line for each step.
        count_endpoint: The server's SPARQL query endpoint (an object with ``query(text)``, as
            :class:`relgraph.remote.endpoint.Endpoint`), or ``None``: where given, each graph's
            triples are counted there with ``COUNT(*)`` instead of read back with ``GET``.

    Returns:
        What was pushed, verified and removed.

    Raises:
        PushError: A request was refused or failed, or a graph read back with another triple
            count than was sent (the message names the graph and both counts).
    """
    if not url.lower().startswith(("http://", "https://")):
        raise PushError(f"--graph-store {url!r}: give the http:// or https:// URL of a SPARQL 1.1 Graph Store endpoint")
    say = progress or (lambda line: None)
    started = time.monotonic()
    store = _GraphStore(url, auth, timeout)
    report = PushReport()
    try:
        previous = store.get(MANIFEST_GRAPH) or []
        # only graphs under relgraph's own graph IRIs are ever removed, whatever a manifest says
        listed = {
            t.object.value
            for t in previous
            if t.subject == _MANIFEST and t.predicate == _HAS_PART and isinstance(t.object, ox.NamedNode)
            and t.object.value.startswith(GRAPH_BASE) and t.object.value != MANIFEST_GRAPH
        }
        for iri, triples in graphs.items():
            say(f"PUT <{iri}> ({len(triples)} triples)")
            left_out = 0
            response = store.put(iri, triples)
            if response.status_code >= 400 and response.status_code not in (401, 403, 413) and any(_has_triple_term(t) for t in triples):
                kept = [t for t in triples if not _has_triple_term(t)]
                left_out = len(triples) - len(kept)
                say(f"  the server refused RDF 1.2 triple terms ({_reason(response)}); sending <{iri}> without the {left_out} triples that have them")
                triples = kept
                response = store.put(iri, triples)
            if response.status_code >= 300:
                raise PushError(f"{store.shown}: PUT of <{iri}> was refused: {_reason(response)}")
            held = _count(count_endpoint, iri) if count_endpoint is not None else len(store.get(iri) or [])
            if held != len(triples):
                hint = "" if count_endpoint is not None else (
                    " (a server that caps what it returns, such as Virtuoso's ResultSetMaxRows, reads back fewer:"
                    " give its SPARQL endpoint with --endpoint to count there)"
                )
                raise PushError(f"{store.shown}: <{iri}> holds {held} triples after the push, but {len(triples)} were sent{hint}")
            report.graphs.append(PushedGraph(iri, len(triples), held, left_out))
        for iri in sorted(listed - set(graphs)):
            say(f"DELETE <{iri}> (no longer in the project)")
            store.delete(iri)
            report.removed.append(iri)
        manifest = [ox.Triple(_MANIFEST, _HAS_PART, ox.NamedNode(iri)) for iri in graphs]
        response = store.put(MANIFEST_GRAPH, manifest)
        if response.status_code >= 300:
            raise PushError(f"{store.shown}: PUT of the manifest <{MANIFEST_GRAPH}> was refused: {_reason(response)}")
    finally:
        store.client.close()
    report.seconds = time.monotonic() - started
    return report
