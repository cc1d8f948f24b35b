"""Ad-hoc SPARQL over the graph, read-only and safe: ``relgraph sparql``.

What a user query may not do, checked before anything runs:

- **Updates** (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``,
  ``MOVE``, ``COPY``) are refused: the graph is read-only.
- **SERVICE** is refused: pyoxigraph would otherwise make the HTTP request itself (SPARQL 1.1
  Federated Query).
- ``FROM`` and ``FROM NAMED`` only select among the graphs already loaded; they never read a
  file or a URL.

The text is first normalized (:func:`relgraph.sparqltext.normalize`: codepoint escapes expanded
as SPARQL 1.1 prescribes, line ends unified), and the normalized text is both checked and run, so
no engine can read a different query from the one that was checked. The check costs a small part
of what the query does (it never builds a parse tree in Python):

- a lexical scan (:func:`relgraph.sparqltext.scan`) over the tokens Oxigraph reads, in every
  reading of an ambiguous ``<``, finds Update keywords and each ``SERVICE`` with its endpoint;
- Oxigraph's own parser then reads the query on an empty in-memory store, for syntax errors
  with line and column, before the store is opened. For ``SELECT``, ``CONSTRUCT`` and
  ``DESCRIBE`` that only parses (the answer is an iterator not yet read); an ``ASK`` is also
  answered, over no data. No ``SERVICE`` ever reaches that store: the text it reads has each
  allowed ``SERVICE`` (``SILENT``) written as ``GRAPH``, at the same offsets.

The check and the query run in a worker process of their own (:func:`relgraph.workers.run_once`,
which runs :func:`execute`) that is killed when the time limit passes, and that dies with its
parent: neither rdflib nor pyoxigraph can cancel a query in-process.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from relgraph.errors import QueryError, QueryRefused, QueryTimeout, RelgraphError
from relgraph.graph.langtags import store_tags
from relgraph.graph.parsing import load_rdf_files
from relgraph.graph.store import query_store
from relgraph.namespaces import PREFIXES
from relgraph.paths import Layout
from relgraph.publish.serialize import serialize_triples
from relgraph.query.results import count_solutions, labels_for, serialize_solutions
from relgraph.sparqltext import MAX_NESTING, UPDATE_KEYWORDS, dataset_iris, has_query_text, nesting_depth, normalize, scan, tokens
from relgraph.workers import WorkerCrashed, WorkerTimeout, run_once

__all__ = ["CheckedQuery", "AdhocResult", "check", "unloaded_graphs_note", "run", "engine_message", "syntax_error", "MAX_TIMEOUT"]

MAX_TIMEOUT = 7 * 24 * 3600.0
"""The longest time limit accepted, in seconds (a week); 0 means no limit."""


@dataclass(frozen=True)
class CheckedQuery:
    """A user query that passed :func:`check`.

    Attributes:
        text: The normalized text, which is what runs.
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        has_dataset: Whether it names graphs with ``FROM`` / ``FROM NAMED``.
        graphs: The IRIs it names with ``FROM`` (its default graph), in order.
        warnings: Things worth telling the user before the answer (one line each).
        named_graphs: The IRIs it names with ``FROM NAMED``, in order.
    """

    text: str
    form: str
    has_dataset: bool
    graphs: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def unloaded_graphs_note(checked: CheckedQuery, loaded: list[str]) -> str | None:
    """The note for standard error when ``FROM`` or ``FROM NAMED`` names graphs that are not loaded.

    Args:
        checked: The checked query.
        loaded: The IRIs of the loaded named graphs.

    Returns:
        One line naming exactly the clauses whose graph is not loaded (``FROM <a>``, ``FROM
        NAMED <b>``) and listing the loaded graphs; ``None`` when every named graph is loaded.
    """
    known = set(loaded)
    missing = [f"FROM <{iri}>" for iri in checked.graphs if iri not in known]
    missing += [f"FROM NAMED <{iri}>" for iri in checked.named_graphs if iri not in known]
    if not missing:
        return None
    verb, pronoun = ("names", "it contributes") if len(missing) == 1 else ("name", "they contribute")
    return f"{', '.join(missing)} {verb} no loaded graph, so {pronoun} nothing; loaded graphs: {', '.join(sorted(known))}"


def _refusal(source: str, keywords: set[str] | frozenset[str], endpoint: bool = False) -> QueryRefused:
    if "SERVICE" in keywords and not keywords & UPDATE_KEYWORDS:
        if endpoint:
            return QueryRefused(f"{source}: SERVICE is refused: this endpoint calls no other endpoint unless its operator allows it (relgraph serve --allow-service URL)")
        return QueryRefused(f"{source}: SERVICE is refused: relgraph never sends a user query to another endpoint; remove the SERVICE clause")
    if endpoint:
        return QueryRefused(f"{source}: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP…) is refused: this endpoint is read-only")
    return QueryRefused(
        f"{source}: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP…) is refused: relgraph sparql is read-only; "
        "change the facts by editing graph/*.ttl"
    )


def syntax_error(source: str, exc: BaseException) -> QueryError:
    """The one-line error for a query Oxigraph's parser refused.

    Args:
        source: How to name the query (a file name, or ``query``).
        exc: The :class:`SyntaxError` pyoxigraph raised.

    Returns:
        ``SOURCE:LINE:COLUMN: SPARQL syntax error: …``, the expected tokens cut short.
    """
    message = engine_message(exc)
    line_column = re.match(r"^(\d+:\d+): (.*)$", message)
    if line_column:
        return QueryError(f"{source}:{line_column.group(1)}: SPARQL syntax error: {line_column.group(2)}")
    return QueryError(f"{source}: SPARQL syntax error: {message}")


def _undeclared_prefix(lexed, predeclared: dict[str, str]):
    """The first prefixed name whose prefix neither the query nor relgraph declares, or ``None``."""
    declared = set(predeclared)
    after_prefix = False
    for token in lexed:
        if token.kind == "pname":
            name = token.text.split(":", 1)[0]
            if after_prefix:
                declared.add(name)
            elif name not in declared:
                return token
        after_prefix = token.kind == "word" and token.upper == "PREFIX"
    return None


def check(text: str, source: str = "query", allow_service: tuple[str, ...] = (), endpoint: bool = False) -> CheckedQuery:
    """Normalize a user query, check its syntax, and refuse what relgraph never runs for a user.

    The order: Update keywords and ``SERVICE`` (:func:`relgraph.sparqltext.scan`), an empty
    text, nesting deeper than :data:`relgraph.sparqltext.MAX_NESTING`, then Oxigraph's parser.

    Args:
        text: The SPARQL text as given.
        source: How to name the query in messages (a file name, or ``query``).
        allow_service: Endpoint IRIs that ``SERVICE`` may name (``relgraph serve
            --allow-service``); empty (the default) refuses every ``SERVICE``. A ``SERVICE``
            whose endpoint is a variable or a prefixed name is refused even then.
        endpoint: Word refusals for a client of ``relgraph serve`` rather than of ``relgraph sparql``.

    Returns:
        The normalized text with its form, dataset clause and warnings.

    Raises:
        QueryRefused: It is an update, or it uses SERVICE (other than an allowed endpoint).
        QueryError: It is empty, nested too deeply or not valid SPARQL (the message gives line
            and column).
    """

    text = normalize(text)
    found = scan(text)
    if found.keywords & UPDATE_KEYWORDS or (found.services and not allow_service):
        raise _refusal(source, found.keywords, endpoint)
    parsed = text
    for service in found.services:
        if service.endpoint is None or not service.exact or service.endpoint not in allow_service:
            if service.endpoint is not None and service.exact:
                shown = f"<{service.endpoint}>"
            elif service.exact:
                shown = "an endpoint given as a variable or prefixed name"
            else:
                shown = "written into another word or name"
            raise QueryRefused(f"{source}: SERVICE {shown} is refused; allowed endpoints (write the IRI in full): {', '.join(allow_service)}")
        # what Oxigraph's parser reads for syntax alone: the same pattern as a GRAPH, never a call
        parsed = parsed[: service.start] + "GRAPH  " + parsed[service.end :]
        if service.silent:
            parsed = parsed[: service.silent[0]] + " " * (service.silent[1] - service.silent[0]) + parsed[service.silent[1] :]
    lexed = list(tokens(text))
    if not has_query_text(lexed):
        raise QueryError(f"{source}: no query found; write a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    depth = nesting_depth(lexed)
    if depth > MAX_NESTING:
        raise QueryError(f"{source}: the query is nested too deeply ({depth} levels of brackets, at most {MAX_NESTING}); simplify it")
    try:
        ox.Store().query(parsed, prefixes=PREFIXES)
    except SyntaxError as exc:
        undeclared = _undeclared_prefix(lexed, PREFIXES)
        if undeclared is not None:  # Oxigraph often reports only the farthest point it reached
            line = text.count("\n", 0, undeclared.start) + 1
            column = undeclared.start - (text.rfind("\n", 0, undeclared.start) + 1) + 1
            name = undeclared.text.split(":", 1)[0]
            raise QueryError(
                f"{source}:{line}:{column}: SPARQL syntax error: the prefix {name}: is not declared; "
                f"declare it with PREFIX {name}: <…> (predeclared: {', '.join(PREFIXES)})"
            ) from None
        raise syntax_error(source, exc) from None
    form = next((t.upper for t in lexed if t.kind == "word" and t.upper in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")), "SELECT")
    dataset = dataset_iris(lexed)
    warnings = []
    if re.search(r"^#\s*param:", text, flags=re.M):
        warnings.append(f"{source} is a stored query with parameters, which are unbound here; run it with relgraph query NAME --param KEY=VALUE")
    return CheckedQuery(
        text=text,
        form=form,
        has_dataset=bool(dataset),
        graphs=dataset.default,
        warnings=tuple(warnings),
        named_graphs=dataset.named,
    )


@dataclass(frozen=True)
class AdhocResult:
    """The outcome of an ad-hoc query.

    Attributes:
        form: The query form.
        data: The serialized answer: SPARQL results (SELECT, ASK) or RDF (CONSTRUCT, DESCRIBE).
        format: The format of *data* (``json``, ``xml``, ``csv``, ``tsv``, ``turtle``, ``nt``,
            ``json-ld``).
        rows: The number of solutions (SELECT) or triples (CONSTRUCT, DESCRIBE); for ASK, 1 for
            yes and 0 for no.
        labels: IRI → label, for table output.
        warnings: Notes for standard error (a FROM graph that is not loaded, unbound parameters).
    """

    form: str
    data: bytes
    format: str
    rows: int
    labels: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def engine_message(exc: BaseException) -> str:
    """Turn a query engine's error into one readable line.

    Args:
        exc: The exception pyoxigraph raised while parsing or evaluating the query.

    Returns:
        The message, with the position first and long lists of expected tokens cut short.
    """
    message = " ".join(str(exc).split())
    m = re.match(r"^error at (\d+):(\d+): (.*)$", message)
    if not m:
        return message
    line, column, rest = m.groups()
    if "Prefix not found" in rest:

        return f"{line}:{column}: a prefixed name uses an undeclared prefix; declare it with PREFIX (predeclared: {', '.join(PREFIXES)})"
    if len(rest) > 160:
        rest = rest[:160].rsplit(",", 1)[0] + ", …"
    return f"{line}:{column}: {rest}"


def _iris(solutions) -> set[str]:

    found = set()
    for solution in solutions:
        for term in solution:
            if isinstance(term, ox.NamedNode):
                found.add(term.value)
    return found


def _data_store(paths: list[str], shown: list[str]):
    """An in-memory store of RDF files (``relgraph sparql --data``), parsed by :func:`relgraph.graph.parsing.load_rdf_files`."""

    store = ox.Store()
    for parsed in load_rdf_files([Path(p) for p in paths], shown):
        store.extend(parsed.quads)
    return store


def _execute(
    root: str, text: str, fmt: str, lang: str, source: str, infer: str = "none", store: str | None = None, data: list[str] | None = None, data_shown: list[str] | None = None
) -> AdhocResult:


    checked = check(text, source)
    select_formats = {"table", "json", "xml", "csv", "tsv"}
    graph_formats = {"table", "turtle", "nt", "json-ld", "rdfxml"}
    allowed = {"SELECT": select_formats, "ASK": {"table", "json", "xml"}}.get(checked.form, graph_formats)
    if fmt not in allowed:
        raise QueryError(f"{source}: --format {fmt} cannot hold the answer to a {checked.form} query; use --format {' or '.join(sorted(allowed))}")
    if data:
        graph_store = _data_store(data, data_shown or data)
    else:
        graph_store = query_store(Layout(Path(root)), Path(store) if store else None, infer)
    warnings = list(checked.warnings)
    note = unloaded_graphs_note(checked, [g.value for g in graph_store.named_graphs()])
    if note:
        warnings.append(note)
    try:
        answer = graph_store.query(checked.text, use_default_graph_as_union=not checked.has_dataset, prefixes=PREFIXES)
        if isinstance(answer, ox.QueryBoolean):
            wire = "json" if fmt == "table" else fmt
            result = AdhocResult("ASK", serialize_solutions(answer, wire), wire, 1 if bool(answer) else 0)
        elif isinstance(answer, ox.QueryTriples):
            triples = list(answer)
            rdf_format = "turtle" if fmt == "table" else fmt
            result = AdhocResult(checked.form, serialize_triples(triples, rdf_format, store_tags(graph_store)), rdf_format, len(triples))
        else:
            wire = "json" if fmt == "table" else fmt
            data = serialize_solutions(answer, wire)
            labels = {}
            if fmt == "table":
                labels = labels_for(graph_store, _iris(ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)), lang)
            result = AdhocResult("SELECT", data, wire, count_solutions(data, wire), labels)
    except SyntaxError as exc:
        raise QueryError(f"{source}: SPARQL error at {engine_message(exc)}") from None
    return replace(result, warnings=tuple(warnings))


def execute(state: None, request: dict) -> tuple[str, object]:
    """Check and run one ad-hoc query: the handler of its worker process (:func:`run`).

    Args:
        state: Unused (the worker has no setup).
        request: The arguments of :func:`run` (``root``, ``text``, ``fmt``, ``lang``, ``source``,
            ``infer``, ``store``, ``data``, ``data_shown``), as plain values.

    Returns:
        ``("ok", AdhocResult)``, ``("refused", message)`` for a refused query, or
        ``("error", message)``.
    """
    try:
        return (
            "ok",
            _execute(
                request["root"], request["text"], request["fmt"], request["lang"], request["source"], request["infer"], request["store"], request["data"], request["data_shown"]
            ),
        )
    except QueryRefused as exc:
        return ("refused", exc.message)
    except RelgraphError as exc:
        return ("error", exc.message)
    except MemoryError:
        return ("error", f"{request['source']}: the query needs more memory than is available; narrow it (LIMIT, more specific patterns)")
    except Exception as exc:  # reported to the caller, which raises a clear error
        return ("error", f"{request['source']}: {type(exc).__name__}: {exc}")


def run(
    root: Path | None,
    text: str,
    fmt: str,
    *,
    timeout: float | None,
    lang: str = "en",
    source: str = "query",
    infer: str = "none",
    store: Path | None = None,
    data: Sequence[Path] = (),
    data_shown: Sequence[str] | None = None,
) -> AdhocResult:
    """Check and run an ad-hoc query in a worker process with a time limit.

    Args:
        root: The relgraph root whose graph the query runs on (unused with *data*).
        text: The SPARQL query.
        fmt: ``table``, ``json``, ``xml``, ``csv``, ``tsv`` for SELECT and ASK (no ``csv`` or
            ``tsv`` for ASK); ``table``, ``turtle``, ``nt``, ``json-ld`` for CONSTRUCT and
            DESCRIBE (``table`` gives Turtle).
        timeout: Seconds before the worker is killed (covering parsing, checking and running);
            ``None`` or 0 for no limit; at most :data:`MAX_TIMEOUT`.
        lang: The label language for table output.
        source: How to name the query in messages.
        infer: ``rdfs`` or ``owl-rl`` to query what they entail as well.
        store: Query this store folder (built by ``relgraph load``) instead of the root's graph.
        data: Query these RDF files instead of a root (``relgraph sparql --data``): parsed in the
            worker, within the time limit, by :func:`relgraph.graph.parsing.load_rdf_files`, each
            file's triples in the named graph of its ``file:`` IRI, the union of all graphs as
            the default graph. Not with *store* or *infer*.
        data_shown: How to name the *data* files in messages (default: as given).

    Returns:
        The answer.

    Raises:
        QueryRefused: An update or SERVICE.
        QueryError: Invalid SPARQL, a format that does not fit the query form, an invalid time
            limit, *data* with *store* or *infer*, a *data* file that cannot be read or parsed or
            is refused (its message names the file and line), or a failure in the worker.
        QueryTimeout: The time limit passed; the worker was killed.
    """

    if data and (store is not None or infer != "none"):
        raise QueryError("--data queries the files it names; leave out --store and --infer")
    if timeout is not None and (math.isnan(timeout) or timeout < 0 or timeout > MAX_TIMEOUT):
        raise QueryError(f"--timeout must be a number of seconds from 0 (no limit) to {MAX_TIMEOUT:g}")
    request = {
        "root": str(root) if root is not None else None,
        "text": text,
        "fmt": fmt,
        "lang": lang,
        "source": source,
        "infer": infer,
        "store": str(store) if store else None,
        "data": [str(Path(p).absolute()) for p in data],
        "data_shown": list(data_shown) if data_shown is not None else [str(p) for p in data],
    }
    try:
        status, payload = run_once(None, "relgraph.query.adhoc.execute", None, request, timeout or None)
    except WorkerTimeout:
        raise QueryTimeout(f"{source}: stopped after {timeout:g} s (--timeout) before the query finished; give it longer with --timeout SECONDS (0: no limit)") from None
    except WorkerCrashed as exc:
        how = re.search(r"\((signal \d+|exit code -?\d+)\)", str(exc))
        raise QueryError(
            f"{source}: the query engine stopped without an answer ({how.group(1) if how else exc}); very large or deeply nested queries can crash it, so simplify the query"
        ) from None
    if status == "refused":
        raise QueryRefused(payload)
    if status != "ok":
        raise QueryError(payload)
    return payload

