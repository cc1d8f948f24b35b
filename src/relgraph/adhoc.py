"""Ad-hoc SPARQL over the graph, read-only and safe: ``relgraph sparql``.

What a user query may not do, checked on the parsed query before anything runs:

- **Updates** (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``,
  ``MOVE``, ``COPY``) are refused: the graph is read-only.
- **SERVICE** is refused: pyoxigraph would otherwise make the HTTP request itself (SPARQL 1.1
  Federated Query).
- ``FROM`` and ``FROM NAMED`` only select among the graphs already loaded (the files' named
  graphs, such as ``https://w3id.org/relgraph/graph/facts/states``); they never read a file or a
  URL. Without them, the default graph is the union of all loaded graphs.

The query runs in a separate worker process that is killed when the time limit passes: neither
rdflib nor pyoxigraph can cancel a running query in-process.
"""

from __future__ import annotations

import multiprocessing
import re
from dataclasses import dataclass, field
from pathlib import Path

from relgraph.errors import QueryError, QueryRefused, QueryTimeout

__all__ = ["QueryForm", "AdhocResult", "check", "run"]

QueryForm = str
"""One of ``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``."""

_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


@dataclass(frozen=True)
class CheckedQuery:
    """A parsed, allowed user query.

    Attributes:
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
        has_dataset: Whether it names graphs with ``FROM`` / ``FROM NAMED``.
        graphs: The IRIs it names with ``FROM`` / ``FROM NAMED``.
        warnings: Things worth telling the user before the answer (one line each).
    """

    form: QueryForm
    has_dataset: bool
    graphs: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _walk(node):
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple, ParseResults)):
        for value in node:
            yield from _walk(value)


def check(text: str, source: str = "query") -> CheckedQuery:
    """Parse a user query and refuse what relgraph never runs for a user.

    Args:
        text: The SPARQL text.
        source: How to name the query in messages (a file name, or ``query``).

    Returns:
        The query's form and whether it has a dataset clause.

    Raises:
        QueryRefused: It is an update, or it uses SERVICE.
        QueryError: It is not valid SPARQL (the message gives line and column).
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except ParseException:
            raise QueryError(f"{source}:{exc.lineno}:{exc.col}: SPARQL syntax error: {exc.msg}") from None
        raise QueryRefused(
            f"{source}: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP…) is refused: relgraph sparql is read-only; "
            "change the facts by editing graph/*.ttl"
        ) from None
    except RecursionError:
        raise QueryError(f"{source}: the query is nested too deeply to parse") from None
    if any(node.name == "ServiceGraphPattern" for node in _walk(tree)):
        raise QueryRefused(f"{source}: SERVICE is refused: relgraph never sends a user query to another endpoint; remove the SERVICE clause")
    query = tree[1]
    has_dataset = "datasetClause" in query.keys()
    graphs = tuple(str(clause.get("default") or clause.get("named")) for clause in query["datasetClause"]) if has_dataset else ()
    warnings = []
    if re.search(r"^#\s*param:", text, flags=re.M):
        warnings.append(f"{source} is a stored query with parameters, which are unbound here; run it with relgraph query NAME --param KEY=VALUE")
    return CheckedQuery(form=_FORMS.get(query.name, "SELECT"), has_dataset=has_dataset, graphs=graphs, warnings=tuple(warnings))


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

    form: QueryForm
    data: bytes
    format: str
    rows: int
    labels: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def _execute(root: str, text: str, fmt: str, lang: str, checked: CheckedQuery) -> AdhocResult:
    import dataclasses

    import pyoxigraph as ox

    from relgraph.loading import load
    from relgraph.namespaces import PREFIXES
    from relgraph.paths import Layout
    from relgraph.results import count_solutions, labels_for, serialize_solutions, serialize_triples

    loaded = load(Layout(Path(root)))
    warnings = list(checked.warnings)
    loaded_graphs = sorted(g.value for g in loaded.store.named_graphs())
    for graph in checked.graphs:
        if graph not in loaded_graphs:
            warnings.append(f"FROM <{graph}> names no loaded graph, so it contributes nothing; loaded graphs: {', '.join(loaded_graphs)}")
    answer = loaded.store.query(text, use_default_graph_as_union=not checked.has_dataset, prefixes=PREFIXES)
    if isinstance(answer, ox.QueryBoolean):
        wire = "json" if fmt == "table" else fmt
        result = AdhocResult("ASK", serialize_solutions(answer, wire), wire, 1 if bool(answer) else 0)
    elif isinstance(answer, ox.QueryTriples):
        triples = list(answer)
        rdf_format = "turtle" if fmt == "table" else fmt
        result = AdhocResult("CONSTRUCT", serialize_triples(triples, rdf_format), rdf_format, len(triples))
    else:
        wire = "json" if fmt == "table" else fmt
        data = serialize_solutions(answer, wire)
        labels = {}
        if fmt == "table":
            labels = labels_for(loaded.store, _iris(ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)), lang)
        result = AdhocResult("SELECT", data, wire, count_solutions(data, wire), labels)
    return dataclasses.replace(result, warnings=tuple(warnings))


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
        from relgraph.namespaces import PREFIXES

        return f"{line}:{column}: a prefixed name uses an undeclared prefix; declare it with PREFIX (predeclared: {', '.join(PREFIXES)})"
    if len(rest) > 160:
        rest = rest[:160].rsplit(",", 1)[0] + ", …"
    return f"{line}:{column}: {rest}"


def _iris(solutions) -> set[str]:
    import pyoxigraph as ox

    found = set()
    for solution in solutions:
        for term in solution:
            if isinstance(term, ox.NamedNode):
                found.add(term.value)
    return found


def _worker(connection, root: str, text: str, fmt: str, lang: str, checked: CheckedQuery) -> None:
    try:
        connection.send(("ok", _execute(root, text, fmt, lang, checked)))
    except SyntaxError as exc:
        connection.send(("error", f"SPARQL error at {engine_message(exc)}"))
    except Exception as exc:  # reported to the parent, which raises a clear error
        connection.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()


def run(root: Path, text: str, fmt: str, *, timeout: float | None, lang: str = "en", source: str = "query") -> AdhocResult:
    """Check and run an ad-hoc query in a worker process with a time limit.

    Args:
        root: The relgraph root whose graph the query runs on.
        text: The SPARQL query.
        fmt: ``table``, ``json``, ``xml``, ``csv``, ``tsv`` for SELECT and ASK (no ``csv`` or
            ``tsv`` for ASK); ``table``, ``turtle``, ``nt``, ``json-ld`` for CONSTRUCT and
            DESCRIBE (``table`` gives Turtle).
        timeout: Seconds before the worker is killed; ``None`` or 0 for no limit.
        lang: The label language for table output.
        source: How to name the query in messages.

    Returns:
        The answer.

    Raises:
        QueryRefused: An update or SERVICE.
        QueryError: Invalid SPARQL, a format that does not fit the query form, or a failure in
            the worker.
        QueryTimeout: The time limit passed; the worker was killed.
    """
    checked = check(text, source)
    select_formats = {"table", "json", "xml", "csv", "tsv"}
    graph_formats = {"table", "turtle", "nt", "json-ld"}
    allowed = {"SELECT": select_formats, "ASK": {"table", "json", "xml"}}.get(checked.form, graph_formats)
    if fmt not in allowed:
        raise QueryError(f"{source}: --format {fmt} cannot hold the answer to a {checked.form} query; use --format {' or '.join(sorted(allowed))}")
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_worker,
        args=(sender, str(root), text, fmt, lang, checked),
        daemon=True,
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout if timeout else None):
            raise QueryTimeout(
                f"{source}: stopped after {timeout:g} s (--timeout); narrow the query (LIMIT, more specific patterns) or raise --timeout"
            )
        try:
            status, payload = receiver.recv()
        except EOFError:
            process.join(5)
            raise QueryError(f"{source}: the query process ended without an answer (exit code {process.exitcode})") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    if status != "ok":
        raise QueryError(f"{source}: {payload}")
    return payload
