"""Stored queries on a remote SPARQL 1.1 endpoint: ``relgraph query NAME --endpoint URL``.

:class:`Endpoint` answers ``query(text)`` as a pyoxigraph store does (solutions, a boolean or
triples), so the parameter resolution and binding of :mod:`relgraph.query.binding` run unchanged
against a remote server: each parameter value is resolved by the same SPARQL lookups, sent to
the server, and bound with the same ``VALUES`` block. The same query with the same parameters
therefore gives the same rows locally and remotely.

Requests follow the SPARQL 1.1 Protocol (W3C Recommendation, 2013, §2.1.2: query via POST with
URL-encoded parameters). Answers are checked before they are believed; each of these is a
:class:`RemoteError` (exit code 2), never an empty answer:

- an HTTP error status, with the first line of what the server said;
- an HTML page (a proxy's or the server's error page) or any media type other than the one
  asked for;
- a results document that does not parse (truncated JSON, a cut connection);
- no complete answer within the time limit (``--timeout``, covering connection, waiting and
  reading).

**Capped results.** Some servers return at most a fixed number of rows and still answer HTTP
200 (Virtuoso's ``ResultSetMaxRows``, 10,000 in its default configuration). For a SELECT
without its own ``LIMIT``, the number of solutions is checked with a ``COUNT(*)`` sub-query
(which the cap cannot shorten, as it is one row); when the server returned fewer rows, the rest
is fetched in pages of the cap's size with ``OFFSET``/``LIMIT`` after the query's own
``ORDER BY``, and a warning says so.

**Repeated solutions.** The solutions of a ``SELECT DISTINCT`` query are distinct (SPARQL 1.1
§18.5, Distinct). A server that returns one of them more than once (Virtuoso 7.2.5 does, now
and then, for the ``sources`` query) is answered with each solution once, in the server's
order, and a warning says how many repeats were dropped.

No proxy from the environment is used (``trust_env`` is off), and redirects are not followed
unless the server sends them for the same host.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import httpx
import pyoxigraph as ox

from relgraph.errors import QueryError
from relgraph.namespaces import XSD
from relgraph.query.printing import printable
from relgraph.query.results import solutions_from_rows
from relgraph.remote.http import MAX_ANSWER_BYTES, MAX_TERM_NESTING, Deadline, deadline, fetch, nesting_ok, redact, summary
from relgraph.sparqltext import count_query, page_query, query_form, top_level_modifiers

__all__ = [
    "Endpoint",
    "RemoteError",
    "RemoteSolutions",
    "DEFAULT_TIMEOUT",
    "MAX_PAGES",
    "canonical_term",
    "canonical_rows",
]

DEFAULT_TIMEOUT = 60.0
"""Seconds a remote query may take in all (every request of it, connection and reading included),
unless ``--timeout`` says."""


MAX_PAGES = 10_000
"""The most pages relgraph fetches for one answer."""


_SPARQL_JSON = "application/sparql-results+json"
_N_TRIPLES = "application/n-triples"
_DECIMALS = {
    XSD + name
    for name in (
        "decimal", "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
        "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    )
}


class RemoteError(QueryError):
    """A remote endpoint failed, timed out, or gave something that is not the answer asked for (exit 2)."""


@dataclass
class RemoteSolutions:
    """The solutions of a SELECT query answered by a remote endpoint, fully read and checked.

    Iterates like pyoxigraph's ``QuerySolutions`` (each item a ``QuerySolution`` that reads by
    variable name) and serializes with the same ``serialize(format=…)``, so the CLI's renderers
    take either.

    Attributes:
        variables: The result variables, as ``pyoxigraph.Variable``, in header order.
        rows: The solutions.
        warnings: One line each for standard error (a capped result that was paged).
    """

    variables: list[ox.Variable]
    rows: list[ox.QuerySolution]
    warnings: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[ox.QuerySolution]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def serialize(self, output=None, format: ox.QueryResultsFormat | None = None) -> bytes | None:  # noqa: A002 - pyoxigraph's name
        """Serialize with pyoxigraph's writer for *format* (W3C SPARQL results JSON, XML, CSV, TSV)."""

        names = [v.value for v in self.variables]
        solutions = solutions_from_rows(names, [[row[name] for name in names] for row in self.rows])
        return solutions.serialize(output, format=format)


def canonical_term(term):
    """The canonical form of an RDF term, for comparing answers from different stores.

    Numbers of ``xsd:decimal`` and the types derived from it (``xsd:integer``,
    ``xsd:nonNegativeInteger``…) are compared by value (``1.50`` and ``1.5``; ``"4"^^xsd:integer``
    and ``"4"^^xsd:nonNegativeInteger``); literals of the other XSD types (double, boolean,
    date/time) in their canonical lexical form, as pyoxigraph's store writes them; language tags are lower-cased (BCP 47 tags are case-insensitive, and RDF 1.1
    §3.3 compares them so); an ``xsd:string`` and a simple literal are one term (RDF 1.1).
    Blank nodes are all alike (their labels are local to one answer).

    Args:
        term: A pyoxigraph term, or ``None`` for an unbound variable.

    Returns:
        A hashable, comparable key.
    """
    if term is None:
        return ("unbound",)
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.Triple):
        return ("triple", canonical_term(term.subject), canonical_term(term.predicate), canonical_term(term.object))
    if term.language:
        return ("literal", term.value, "lang", term.language.lower())
    datatype = term.datatype.value
    if datatype in _DECIMALS:
        # xsd:decimal and the types derived from it (xsd:integer, xsd:nonNegativeInteger…) share
        # one value space (XSD 1.1 Part 2 §3.3.3): "4"^^xsd:nonNegativeInteger equals "4"^^xsd:integer

        try:
            return ("decimal", Decimal(term.value.strip()).normalize())
        except InvalidOperation:
            return ("literal", term.value, datatype)
    if datatype.startswith(XSD) and datatype != XSD + "string":
        store = ox.Store()  # the store writes literals of known XSD types in canonical form
        s = ox.NamedNode("urn:relgraph:canonical")
        store.add(ox.Quad(s, s, term))
        term = next(iter(store)).object
    return ("literal", term.value, datatype)


def canonical_rows(variables: Sequence[str], rows, list_columns: Sequence[str] = ()) -> list[tuple]:
    """Canonical rows (see :func:`canonical_term`), sorted, for comparing two answers as multisets.

    Args:
        variables: The variable names to compare, in order.
        rows: Solutions that read by variable name.
        list_columns: Columns of kind ``iri-list`` (IRIs joined by spaces with ``GROUP_CONCAT``,
            whose order SPARQL leaves open): compared as sets, an empty one equal to an unbound one.

    Returns:
        One tuple of canonical terms per row, sorted.
    """

    def cell(row, variable: str):
        term = row[variable]
        if variable in list_columns and (term is None or isinstance(term, ox.Literal)):
            return ("iri-list", tuple(sorted(set((term.value if term is not None else "").split()))))
        return canonical_term(term)

    return sorted(tuple(cell(row, v) for v in variables) for row in rows)


def distinct_solutions(variables: Sequence[ox.Variable], rows: Sequence[ox.QuerySolution]) -> tuple[list[ox.QuerySolution], int]:
    """Each solution once, in the order first given (SPARQL 1.1 §18.5, Distinct).

    Args:
        variables: The answer's variables.
        rows: Its solutions, possibly with repeats.

    Returns:
        The solutions without repeats, and how many repeats were dropped (≥ 0).
    """
    seen: set[tuple] = set()
    kept: list[ox.QuerySolution] = []
    for row in rows:
        key = tuple(row[v] for v in variables)
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept, len(rows) - len(kept)


def _relabel_blank_nodes(body: bytes) -> bytes:
    """Give blank nodes labels that RDF allows, where a server's are not (Virtuoso: ``nodeID://b10000``).

    Labels are local to one results document (SPARQL 1.1 Query Results JSON §3.2.2), so a
    consistent relabelling changes no answer.
    """

    def relabel(term: dict) -> None:
        if term.get("type") == "bnode":
            term["value"] = "b" + hashlib.sha1(str(term.get("value")).encode()).hexdigest()[:24]
        elif term.get("type") == "triple" and isinstance(term.get("value"), dict):
            for part in term["value"].values():
                if isinstance(part, dict):
                    relabel(part)

    document = json.loads(body)
    for binding in document.get("results", {}).get("bindings", []):
        for term in binding.values():
            if isinstance(term, dict):
                relabel(term)
    return json.dumps(document).encode("utf-8")


def _parse_json_results(body: bytes):
    """Parse SPARQL JSON results fully (so a cut document fails here, not later)."""
    if b'"triple"' in body:

        json.loads(body)  # RecursionError long before pyoxigraph 0.5 would crash on deeply nested triple terms
    try:
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        return parsed if isinstance(parsed, ox.QueryBoolean) else _Read(parsed.variables, list(parsed))
    except SyntaxError as exc:
        if "bnode" not in str(exc):
            raise
        try:
            relabelled = _relabel_blank_nodes(body)
        except ValueError:
            raise exc from None
        parsed = ox.parse_query_results(relabelled, format=ox.QueryResultsFormat.JSON)
        return parsed if isinstance(parsed, ox.QueryBoolean) else _Read(parsed.variables, list(parsed))


@dataclass
class _Read:
    variables: list
    rows: list

    def __iter__(self):
        return iter(self.rows)


class Endpoint:
    """A remote SPARQL 1.1 query endpoint, used where a pyoxigraph store would be.

    Args:
        url: The endpoint's URL (``http`` or ``https``).
        timeout: Seconds for each request in all (connection, waiting, reading); 0 for no limit.
        auth: An ``httpx`` auth (``httpx.BasicAuth``, ``httpx.DigestAuth``), or ``None``.
        client: An ``httpx.Client`` to use instead of a new one (tests).

    Raises:
        RemoteError: The URL is not an http(s) URL.
    """

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT, auth=None, client=None) -> None:

        if not url.lower().startswith(("http://", "https://")):
            raise RemoteError(f"--endpoint {url!r}: give the http:// or https:// URL of a SPARQL endpoint")
        self.url = url
        self.shown = redact(url)
        self.timeout = timeout or None
        self.max_bytes = MAX_ANSWER_BYTES
        self.warnings: list[str] = []
        self._next: str | None = None
        self._client = client or httpx.Client(auth=auth, trust_env=False, follow_redirects=False, timeout=self.timeout)

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------------------ requests

    def _post(self, text: str, accept: str) -> list[bytes]:
        """POST one query (SPARQL 1.1 Protocol §2.1.2) and return the checked bodies of its pages.

        A server that pages its answers names the next page with ``Link: <…>; rel="next"``
        (RFC 8288, as ``relgraph serve`` does); pages on the endpoint's own host are followed.
        """
        bodies = [self._fetch("POST", self.url, text, accept)]
        seen: set[str] = set()
        while self._next:
            if self._next in seen or len(bodies) >= MAX_PAGES:
                raise RemoteError(f"{self.shown}: the pages of the answer lead back to a page already read; the server's paging is broken")
            seen.add(self._next)
            bodies.append(self._fetch("GET", self._next, None, accept))
        return bodies

    def _fetch(self, method: str, url: str, text: str | None, accept: str) -> bytes:

        self._next = None
        response, body = fetch(
            self._client,
            method,
            url,
            shown=self.shown,
            timeout=self.timeout,
            limit=self.max_bytes,
            error=RemoteError,
            hint="; narrow the query (LIMIT, more specific patterns)",
            data={"query": text} if text is not None else None,
            headers={"Accept": accept, "User-Agent": "relgraph"},
        )
        if response.is_redirect:
            raise RemoteError(f"{self.shown}: HTTP {response.status_code} redirect to {response.headers.get('location', '?')}; use that URL as --endpoint")
        if response.status_code >= 400:
            raise RemoteError(f"{self.shown}: HTTP {response.status_code} {printable(response.reason_phrase)}: {summary(body)}")
        if response.headers.get("x-sql-state", "").upper() == "S1TAT":
            # Virtuoso's anytime query: the time limit passed and it answers HTTP 200 with part of the result
            raise RemoteError(f"{self.shown}: the server stopped the query at its time limit and sent a partial answer (X-SQL-State: S1TAT); narrow the query")
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        wanted = {a.split(";")[0].strip() for a in accept.split(",")}
        if media not in wanted:
            what = "an HTML page" if "html" in media else f"{media or 'no media type'}"
            raise RemoteError(f"{self.shown}: answered with {what} instead of {' or '.join(sorted(wanted))}: {summary(body)}")
        try:
            link = response.links.get("next", {}).get("url")
            target = httpx.URL(url).join(link) if link else None
        except (httpx.InvalidURL, ValueError):
            raise RemoteError(f"{self.shown}: the link to the next page of the answer is not a URL") from None
        if target is not None:
            if (target.scheme, target.host, target.port) != (httpx.URL(self.url).scheme, httpx.URL(self.url).host, httpx.URL(self.url).port):
                raise RemoteError(f"{self.shown}: the next page of the answer is on another host ({target.host}); relgraph only follows pages on the endpoint's own host")
            self._next = str(target)
        return body

    def _select(self, text: str) -> tuple[list[ox.Variable], list[ox.QuerySolution]]:
        variables: list[ox.Variable] = []
        rows: list[ox.QuerySolution] = []
        for body in self._post(text, _SPARQL_JSON):
            try:
                parsed = _parse_json_results(body)
                if isinstance(parsed, ox.QueryBoolean):
                    raise RemoteError(f"{self.shown}: answered a SELECT query with a boolean")
                if variables and list(parsed.variables) != variables:
                    raise RemoteError(f"{self.shown}: the pages of the answer have different variables")
                variables = list(parsed.variables)
                rows.extend(parsed)
            except SyntaxError as exc:
                raise RemoteError(f"{self.shown}: the SPARQL JSON results are malformed or cut short ({' '.join(str(exc).split())})") from None
        return variables, rows

    # ----------------------------------------------------------------------------- the store API

    def query(self, text: str, *, use_default_graph_as_union: bool = True, prefixes: dict[str, str] | None = None, **_ignored):
        """Run a query on the endpoint, answering as ``pyoxigraph.Store.query`` does.

        Args:
            text: A SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE).
            use_default_graph_as_union: Accepted for compatibility; what the default graph is
                is the server's choice (Virtuoso: all graphs; Oxigraph server: the union when
                started with ``--union-default-graph``).
            prefixes: Prefixes to declare before the query (as pyoxigraph's ``prefixes``).

        Returns:
            :class:`RemoteSolutions` for SELECT, ``pyoxigraph.QueryBoolean`` for ASK, a list of
            ``pyoxigraph.Triple`` for CONSTRUCT and DESCRIBE.

        Raises:
            RemoteError: See the module documentation.
        """

        if prefixes:
            declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items())
            text = declared + text
        form = query_form(text) or "SELECT"
        try:
            with deadline(self.timeout):
                return self._answer(text, form)
        except Deadline:
            raise RemoteError(f"{self.shown}: no complete answer within {self.timeout:g} s (--timeout); raise --timeout or ask the server's operator") from None
        except RecursionError:
            raise RemoteError(f"{self.shown}: the answer nests too deeply to read") from None

    def _answer(self, text: str, form: str):
        if form in ("CONSTRUCT", "DESCRIBE"):
            triples = []
            for body in self._post(text, _N_TRIPLES):
                if not nesting_ok(body, b"<<(", b")>>"):
                    raise RemoteError(f"{self.shown}: the answer nests RDF 1.2 triple terms more than {MAX_TERM_NESTING} deep")
                try:
                    triples += [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
                except SyntaxError as exc:
                    raise RemoteError(f"{self.shown}: the N-Triples answer is malformed or cut short ({' '.join(str(exc).split())})") from None
            return triples
        if form == "ASK":
            body = self._post(text, _SPARQL_JSON)[0]
            try:
                parsed = _parse_json_results(body)
            except SyntaxError as exc:
                raise RemoteError(f"{self.shown}: the SPARQL JSON boolean is malformed ({' '.join(str(exc).split())})") from None
            if not isinstance(parsed, ox.QueryBoolean):
                raise RemoteError(f"{self.shown}: answered an ASK query with solutions")
            return parsed
        variables, rows = self._select(text)
        warnings = self._complete(text, rows)
        if "DISTINCT" in top_level_modifiers(text):
            rows, repeated = distinct_solutions(variables, rows)
            if repeated:
                warnings.append(f"{self.shown} returned {repeated} solution{'s' if repeated > 1 else ''} of a SELECT DISTINCT query more than once; each is kept once")
        self.warnings.extend(warnings)
        return RemoteSolutions(variables, rows, warnings)

    def _complete(self, text: str, rows: list[ox.QuerySolution], progress: Callable[[int], None] | None = None) -> list[str]:
        """Detect a silently capped answer and fetch the rest in pages (see the module docs)."""

        modifiers = top_level_modifiers(text)
        if not rows or modifiers & {"LIMIT", "OFFSET", "VALUES"}:
            return []
        count_var = "relgraphRowCount"
        _, counted = self._select(count_query(text, count_var))
        try:
            total = int(counted[0][count_var].value)
        except (IndexError, TypeError, ValueError, KeyError, AttributeError):
            raise RemoteError(f"{self.shown}: could not count the solutions to check for a capped result") from None
        if total <= len(rows):
            return []
        cap = len(rows)
        note = f"{self.shown} returned {cap} of {total} solutions (a server-side cap on result rows); fetched the rest in pages of {cap}"
        if "ORDER" not in modifiers:
            note += "; the query has no ORDER BY, so the pages may overlap or miss rows on a server that does not keep a stable order"
        # read pages until a short one, not up to the count: Virtuoso 7.2.5 with a cap counts fewer
        # solutions than its pages hold for some queries (25 of timeline's 32)
        previous: list = rows
        for _ in range(MAX_PAGES):
            _, page = self._select(page_query(text, len(rows), cap))
            if page and page == previous:
                raise RemoteError(f"{self.shown}: gave the same page again for a later OFFSET; the server's pages and its count of {total} disagree")
            previous = page
            rows.extend(page)
            if len(page) < cap:
                break
        else:
            raise RemoteError(f"{self.shown}: the answer did not end within {MAX_PAGES} pages of {cap} rows")
        if len(rows) < total:
            raise RemoteError(f"{self.shown}: returned {len(rows)} of the {total} solutions it counted; the server's pages and its count disagree")
        if len(rows) > total:
            note += f"; its pages held {len(rows)} solutions, more than it counted, all returned"
        return [note]
