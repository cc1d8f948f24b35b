"""The ``relgraph`` command: a thin layer that parses arguments, calls the library, prints.

Exit codes:

- 0: success; for ``validate``, no result at or above ``--fail-on``.
- 1: ``validate`` found results at or above ``--fail-on`` (default: violation).
- 2: usage error, unreadable or invalid input (a Turtle or SPARQL syntax error, an unknown
  query or parameter, a refused query, a timeout, a failed export); a remote endpoint or graph
  store that failed or answered something else than asked (``query --endpoint``, ``push``); an
  address ``serve`` cannot listen on.
- 3: an internal error in relgraph (a bug: please report it with ``--debug`` output).
- 141: standard output was closed by its reader (``relgraph … | head``): relgraph stops
  writing, quietly, with the status a shell shows for any tool ended by a closed pipe
  (128 + SIGPIPE).

Data goes to standard output, diagnostics to standard error. No traceback is shown unless
``--debug`` is given.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import re
import select
import sys
import time
from pathlib import Path

import click
import pyoxigraph as ox
from click.shell_completion import CompletionItem

from relgraph.errors import ParameterError, QueryError, RelgraphError
from relgraph.graph.dates import TODAY_ENV, fixed_today, today
from relgraph.graph.langtags import store_tags
from relgraph.graph.store import build_store, query_store
from relgraph.namespaces import BASE, compact
from relgraph.paths import Layout, resolve_layout
from relgraph.publish.output import atomic_file, write_atomically
from relgraph.publish.serialize import serialize_triples
from relgraph.query.binding import answer_day, answer_period, resolve
from relgraph.query.binding import run as run_stored
from relgraph.query.catalogue import load_catalogue, load_one
from relgraph.query.statehood import statehood_notes
from relgraph.query.confirmation import CONFIRMATION_COLUMNS, STALE_YEARS, result_rows, split_stale, stale_note, unconfirmed_notes
from relgraph.query.printing import make_console, print_table, printable, render_table
from relgraph.query.stats import graph_stats
from relgraph.query.results import ASK_NO_NOTICE, EMPTY_NOTICE, count_solutions, iris_in, labels_for, serialize_solutions, solutions_from_rows
from relgraph.version import __version__

__all__ = ["cli", "main"]

_DEBUG_ENV = "RELGRAPH_DEBUG"
CLOSED_PIPE = 141
"""The exit code when the reader of standard output closed it (128 + SIGPIPE, as a shell shows
for ``yes | head``); nothing is printed."""


def _stdout_reader_gone() -> bool:
    """Whether standard output is a pipe whose reader has closed it."""

    try:
        fd = sys.stdout.fileno()
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (AttributeError, ValueError, OSError):  # not a file descriptor (in-process callers)
        return False


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the flush at exit cannot fail again (the
    recipe of Python's documentation, "Note on SIGPIPE")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, ValueError, OSError):
        with _suppress():
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process


class _Commands(click.Group):
    """relgraph's command group: a closed standard output ends the command quietly with
    :data:`CLOSED_PIPE` (click itself would exit with 1, which means "validation failed")."""

    def invoke(self, ctx: click.Context):
        """Run the command; turn a write to a closed pipe on standard output into a quiet exit."""

        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno != errno.EPIPE or not _stdout_reader_gone():
                raise
            _silence_stdout()
            raise click.exceptions.Exit(CLOSED_PIPE) from None


def _layout(ctx: click.Context):

    return resolve_layout(ctx.obj.get("root"))


def _console():

    # the terminal's width (or COLUMNS); in a pipe or file, COLUMNS or 80 columns
    return make_console(sys.stdout)


def _write(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    if data and not data.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    sys.stdout.flush()


_INFER = click.option(
    "--infer",
    type=click.Choice(["none", "rdfs", "owl-rl"]),
    default="none",
    show_default=True,
    help="Also use what RDFS or OWL RL entails from the ontology and facts (owlrl); never exported.",
)
_LANG = click.option(
    "--lang", type=click.Choice(["en", "ru"]), default="en", show_default=True, help="Language of the labels in tables (English where none is recorded)."
)
def _standard_output_dash(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """``--output -`` means standard output, as it does for most tools."""
    return None if value is not None and str(value) == "-" else value


_OUTPUT = click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    callback=_standard_output_dash,
    help="Write the answer to this file (atomically) instead of standard output ('-': standard output).",
)


_STORE = click.option(
    "--store",
    "store_path",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="RELGRAPH_STORE",
    help="Use this store (built by relgraph load) instead of the root's graph/. Also RELGRAPH_STORE.",
)


def _query_store(layout, store_path: Path | None, infer: str = "none"):

    return query_store(layout, store_path, infer)


def _emit(data: bytes, output: Path | None) -> None:
    """Write an answer to standard output, or atomically to a file."""
    if output is None:
        _write(data)
    else:

        write_atomically(data, output)
        click.echo(f"Wrote {output} ({len(data)} bytes).", err=True)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="RELGRAPH_ROOT",
    help="A folder with the relgraph layout (ontology/, graph/, queries/) to use instead of the shipped graph. Also RELGRAPH_ROOT.",
)
@click.option("--debug", is_flag=True, help="Show a traceback when something fails.")
@click.version_option(__version__, prog_name="relgraph")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, debug: bool) -> None:
    """relgraph: a sourced, validated knowledge graph of relations between states.

    Ask the graph questions with stored queries (relgraph queries; relgraph query NAME),
    validate it against its SHACL shapes (relgraph validate), and export it for linked-data
    tools (relgraph export). Exit codes: 0 ok, 1 validation results at or above --fail-on,
    2 usage or input error, 3 internal error, 141 standard output closed by its reader.
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root
    if debug:
        os.environ[_DEBUG_ENV] = "1"


# --------------------------------------------------------------------------------- validate


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--standalone",
    is_flag=True,
    help="Validate the given files with the ontology only, without the shipped graph (as the test fixtures are).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["info", "warning", "violation"]),
    default="violation",
    show_default=True,
    help="The lowest severity that makes the exit code 1.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people; turtle for a W3C sh:ValidationReport; json for machines; github for GitHub Actions annotations.",
)
@_INFER
@click.option("--changed-since", "since", metavar="REV", help="Validate only what changed since this git revision and every node whose shapes read it (for pull requests).")
@click.option("--jobs", type=click.IntRange(min=1), help="Validate in parts in this many processes (default with --store, or for a root with claim tables: the number of CPUs).")
@_STORE
@click.option(
    "--shapes",
    "-s",
    "shapes_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Validate the PATHS (any RDF files) against these shapes files only, without a relgraph root, as pyshacl -s does; repeatable.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=600.0,
    show_default=True,
    help="Stop after this many seconds, naming the shape being checked (exit code 2); 0 for no limit.",
)
@click.pass_context
def validate(
    ctx: click.Context,
    paths: tuple[Path, ...],
    standalone: bool,
    fail_on: str,
    fmt: str,
    infer: str,
    since: str | None,
    jobs: int | None,
    store_path: Path | None,
    shapes_files: tuple[Path, ...],
    timeout: float,
) -> int:
    """Validate the graph against the SHACL shapes and quality checks.

    Without PATHS, validates the shipped graph (or the --root graph). With PATHS, validates
    those Turtle files together with the ontology and the graph, and reports the results whose
    focus nodes the files define. With --shapes, validates any RDF files (Turtle, N-Triples,
    N-Quads, TriG, JSON-LD, RDF/XML) against those shapes alone. Exit code: 0 below --fail-on,
    1 at or above it, 2 when a file cannot be read or parsed or the time limit passes.
    """

    if shapes_files:
        return _validate_files(shapes_files, paths, fail_on=fail_on, fmt=fmt, parts=jobs is not None, timeout=timeout, others=(standalone, infer != "none", since, store_path))

    if standalone and not paths:
        raise click.UsageError("--standalone needs the files to validate")
    alone = [name for name, given in (("PATHS", paths), ("--infer", infer != "none"), ("--changed-since", since), ("--store", store_path)) if given]
    if len(alone) > 1:
        raise click.UsageError(f"{' and '.join(alone)} cannot be combined; give one of them")
    layout = _layout(ctx)
    # validation (rdflib, pySHACL): 170 ms to import (python -X importtime, beyond what the main job imports)
    # imported here, off the main job's path: python -X importtime shows pySHACL, 1.5 to 3.7 s
    from relgraph.validate.deadline import time_limit

    with time_limit(timeout):
        if since is not None:
            # imported here, off the main job's path: python -X importtime shows pySHACL, 1.5 to 3.7 s
            from relgraph.validate.parts import validate_changed

            report, note = validate_changed(layout, since)
            click.echo(note, err=True)
        elif store_path is not None or jobs is not None:
            # imported here, off the main job's path: python -X importtime shows pySHACL, 1.5 to 3.7 s
            from relgraph.validate.parts import validate_store

            report = validate_store(layout, store_path, workers=jobs, timeout=timeout)
        else:
            # imported here, off the main job's path: python -X importtime shows pySHACL, 1.5 to 3.7 s
            from relgraph.validate.root import validate_root

            report = validate_root(layout, list(paths), standalone=standalone, infer=infer)
    _print_report(report, fmt, layout.display, fail_on, f"the shapes and checks of {layout.display(layout.root) or '.'}")
    return _exit_code(report, fail_on)


def _validate_files(shapes_files, paths, *, fail_on: str, fmt: str, parts: bool, timeout: float, others) -> int:
    """``validate --shapes``: arbitrary RDF files against shapes files, no root."""
    # validation (rdflib, pySHACL): 170 ms to import (python -X importtime, beyond what the main job imports)
    # imported here, off the main job's path: python -X importtime shows pySHACL, 1.5 to 3.7 s
    from relgraph.validate.deadline import time_limit
    from relgraph.validate.shapes_only import validate_files

    standalone, infer, since, store_path = others
    given = [name for name, on in (("--standalone", standalone), ("--infer", infer), ("--changed-since", since), ("--store", store_path)) if on]
    if given:
        raise click.UsageError(f"--shapes validates the given files alone; leave out {', '.join(given)}")
    if not paths:
        raise click.UsageError("--shapes needs the data files to validate: relgraph validate --shapes SHAPES.ttl DATA.ttl")
    display = Layout(Path.cwd()).display
    with time_limit(timeout):
        report = validate_files(list(shapes_files), list(paths), parts=parts, display=display)
    _print_report(report, fmt, display, fail_on, "the shapes of " + ", ".join(display(p) for p in shapes_files))
    return _exit_code(report, fail_on)


def _print_report(report, fmt: str, display, fail_on: str, source: str) -> None:
    for warning in report.warnings:
        click.echo(f"relgraph: warning: the report is incomplete: {warning}", err=True)
    if fmt == "json":
        click.echo(report.to_json(display), nl=False)
    elif fmt == "github":
        click.echo(report.to_github(display), nl=False)
    elif fmt == "turtle":
        click.echo(report.to_turtle(), nl=False)
    else:
        click.echo(report.to_text(display, fail_on, source), nl=False)


def _exit_code(report, fail_on: str) -> int:
    return 1 if report.fails(fail_on) else 0


# ---------------------------------------------------------------------------------- queries


@cli.command("queries")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="How to list them.")
@click.pass_context
def list_queries(ctx: click.Context, fmt: str) -> int:
    """List the stored queries: name, title, parameters and columns."""

    layout = _layout(ctx)
    catalogue = load_catalogue(layout.query_files(), layout.display)
    if fmt == "json":
        body = [q.as_json() for q in catalogue.values()]
        click.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return 0

    rows = []
    for q in catalogue.values():
        params = "\n".join(f"{p.name} ({p.type}, e.g. {p.example})" for p in q.parameters) or "—"
        if q.time_aware:
            params += "\n(time-aware: --as-of)"
        if q.period:
            params += "\n(period: --from, --to)"
        if q.all_claims:
            params += "\n(--all-claims)"
        columns = ", ".join(c.name for c in q.columns) if q.form in ("SELECT", "ASK") else f"RDF ({q.form}: --format turtle, nt, json-ld)"
        rows.append([printable(cell) for cell in (q.name, q.title, params, columns)])
    print_table(_console(), ["name", "title", "parameters", "columns"], rows, title="Stored queries (relgraph query NAME --param KEY=VALUE)")
    return 0


# ------------------------------------------------------------------------------------ query

def _credentials() -> tuple[str | None, str | None]:
    """The user and password from RELGRAPH_USER and RELGRAPH_PASSWORD (never from arguments)."""
    return os.environ.get("RELGRAPH_USER") or None, os.environ.get("RELGRAPH_PASSWORD")


def _endpoint(url: str, timeout: float | None):
    # the endpoint client (its HTTP limits): 6 ms to import (python -X importtime, beyond what the main job imports); only with --endpoint
    # imported here, off the main job's path: python -X importtime shows httpx, 0.6 s
    from relgraph.remote.endpoint import DEFAULT_TIMEOUT, Endpoint
    from relgraph.remote.http import make_auth

    user, password = _credentials()
    return Endpoint(url, timeout=DEFAULT_TIMEOUT if timeout is None else timeout, auth=make_auth(user, password))


class _CompletingCommand(click.Command):
    """A command whose option completions see the arguments typed before them.

    Shell completion parses the words typed so far; when they end with an option still waiting
    for its value (``relgraph query NAME -p <TAB>``), click's parse stops there and leaves NAME
    unset (pallets/click#2184). While completing, that last option is left out of the parse.
    """

    def make_context(self, info_name, args, parent=None, **extra):
        """As click's, but ignore a trailing option that waits for a value when completing."""
        if extra.get("resilient_parsing") and args:
            waiting = next((p for p in self.params if isinstance(p, click.Option) and args[-1] in (*p.opts, *p.secondary_opts)), None)
            if waiting is not None and not waiting.is_flag:
                args = args[:-1]
        return super().make_context(info_name, args, parent=parent, **extra)


def _completion_queries(ctx: click.Context) -> dict:
    """The stored queries of the root a command line names, for shell completion (empty when
    the root cannot be read: completion never fails)."""

    try:
        layout = resolve_layout(ctx.find_root().params.get("root"))
        return load_catalogue(layout.query_files(), layout.display)
    except (RelgraphError, OSError):
        return {}


def _complete_query_name(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    """Shell completion of ``relgraph query NAME``: the stored queries' names, with their titles."""
    return [CompletionItem(name, help=q.title) for name, q in _completion_queries(ctx).items() if name.startswith(incomplete)]


def _complete_param(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    """Shell completion of ``--param``/``-p``: ``NAME=`` for each parameter of the stored query
    not given yet, with its type and example."""
    stored = _completion_queries(ctx).get(ctx.params.get("name") or "")
    if stored is None or "=" in incomplete:
        return []
    given = {value.partition("=")[0].strip() for value in ctx.params.get("param_values") or ()}
    return [
        CompletionItem(f"{p.name}=", help=f"{p.type}, e.g. {p.example}")
        for p in stored.parameters
        if p.name not in given and f"{p.name}=".startswith(incomplete)
    ]


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"--param {item!r}: write KEY=VALUE, for example --param state=RU")
        if key.strip() in params:
            raise click.UsageError(f"--param {key.strip()} is given twice")
        params[key.strip()] = value
    return params


@cli.command(cls=_CompletingCommand)
@click.argument("name", shell_complete=_complete_query_name)
@click.option("--param", "-p", "param_values", multiple=True, metavar="KEY=VALUE", shell_complete=_complete_param, help="A parameter value; repeat for each parameter.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="For time-aware queries: answer for this day instead of today.")
@click.option("--from", "period_start", metavar="YYYY-MM-DD", help="For queries with a period (timeline, wars, organisation-history): leave out what ended or happened before this day.")
@click.option("--to", "period_end", metavar="YYYY-MM-DD", help="For queries with a period: leave out what began or happened after this day.")
@click.option("--all-claims", is_flag=True, help="Return claims of every rank, with rank, source and what disputes them, not only the best-ranked.")
@click.option(
    "--include-stale",
    is_flag=True,
    help=f"Also list rows last confirmed more than {STALE_YEARS} years before the day asked (left out by default, and counted on standard error).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "nt", "json-ld", "rdfxml"]),
    default="table",
    show_default=True,
    help="SELECT: table, csv, tsv, json, xml (W3C SPARQL results); CONSTRUCT: turtle, nt, json-ld, rdfxml (RDF/XML).",
)
@_LANG
@_INFER
@_OUTPUT
@_STORE
@click.option(
    "--endpoint",
    metavar="URL",
    envvar="RELGRAPH_ENDPOINT",
    help="Run the query on this SPARQL 1.1 endpoint instead of the local graph (parameters are resolved there too). "
    "Credentials: RELGRAPH_USER and RELGRAPH_PASSWORD. Also RELGRAPH_ENDPOINT.",
)
@click.option("--timeout", type=float, default=None, help="With --endpoint: seconds for each request in all (default 60; 0: no limit).")
@click.pass_context
def query(
    ctx: click.Context,
    name: str,
    param_values: tuple[str, ...],
    as_of: str | None,
    period_start: str | None,
    period_end: str | None,
    all_claims: bool,
    include_stale: bool,
    fmt: str,
    lang: str,
    infer: str,
    output: Path | None,
    store_path: Path | None,
    endpoint: str | None,
    timeout: float | None,
) -> int:
    """Run the stored query NAME (see relgraph queries).

    Parameters take ISO codes (RU, RUS), Wikidata ids (Q159), IRIs, local names or exact
    labels. Time-aware queries answer for today unless --as-of says otherwise; timeline, wars
    and organisation-history take a period (--from, --to). An empty answer
    means no matching facts are recorded, not "no". With --endpoint, the same query with the
    same parameter binding runs on a remote SPARQL endpoint; its failures exit with code 2.
    """
    layout = _layout(ctx)
    stored_query = load_one(layout.query_files(), name, layout.display)
    _check_answer_format(stored_query.form, fmt, output)
    params = _parse_params(param_values)
    try:
        day = answer_day(stored_query, as_of, all_claims)
        period = answer_period(stored_query, period_start, period_end)
    except ParameterError as exc:  # a usage error on the command line: its usage is shown
        raise click.UsageError(exc.message) from None
    if endpoint is not None:
        if store_path is not None or infer != "none":
            raise click.UsageError("--endpoint runs the query on the remote graph; it does not combine with --store or --infer")
        if timeout is not None and not (0 <= timeout <= 7 * 24 * 3600):
            raise click.UsageError("--timeout must be a number of seconds from 0 (no limit) to 604800")
        store = _endpoint(endpoint, timeout)
    elif timeout is not None:
        raise click.UsageError("--timeout is for --endpoint; local stored queries have no time limit")
    else:
        store = _query_store(layout, store_path, infer)
    answer = run_stored(store, stored_query, params, day, all_claims, period=period)
    for warning in getattr(store, "warnings", ()):
        click.echo(f"warning: {warning}", err=True)
    if stored_query.time_aware:
        how = "--as-of" if as_of is not None else f"today, fixed by {TODAY_ENV}" if fixed_today() else "today"
        click.echo(f"As of {day.isoformat()} ({how}).", err=True)
        for note in statehood_notes(store, stored_query, params, day, period):
            click.echo(note, err=True)
    if isinstance(answer, (ox.QueryTriples, list)):  # a remote endpoint gives a list of triples
        return _print_graph(list(answer), fmt, output, layout, store)
    if isinstance(answer, ox.QueryBoolean):
        return _print_boolean(answer, fmt, output)
    return _print_solutions(answer, fmt, output, store, lang, {c.name: c.kind for c in stored_query.columns}, stored_query.title, day, include_stale=include_stale or not stored_query.drops_stale)


def _check_answer_format(form: str, fmt: str, output: Path | None) -> None:
    """Refuse a --format (or --output) that cannot hold the answer of a query of this form,
    before anything is run or printed.

    Raises:
        QueryError: The format is for another form of query, or a table is to go to a file.
    """
    if form == "SELECT" and fmt in ("turtle", "nt", "json-ld", "rdfxml"):
        raise QueryError(f"--format {fmt} is for CONSTRUCT queries; this one is a SELECT: use table, csv, tsv, json or xml")
    if form == "ASK" and fmt not in ("table", "json", "xml"):
        raise QueryError(f"--format {fmt} cannot hold the answer to an ASK query; use table, json or xml")
    if form in ("CONSTRUCT", "DESCRIBE") and fmt in ("csv", "tsv", "json", "xml"):
        raise QueryError(f"--format {fmt} is for SELECT queries; this one is a {form}: use turtle, nt, json-ld or rdfxml")
    if fmt == "table" and output is not None and form in ("SELECT", "ASK"):
        machine = "csv, tsv, json or xml" if form == "SELECT" else "json or xml"
        raise QueryError(f"--output needs a machine format: --format {machine}")


def _print_solutions(solutions, fmt: str, output: Path | None, store, lang: str, kinds: dict[str, str], title: str | None, day=None, *, include_stale: bool = True) -> int:
    """Print SELECT solutions as a table or write them in a W3C results format; for an answer
    about a day (*day*, a ``datetime.date``), also a note on standard error for each column that
    marks rows resting on claims not confirmed on that day (:mod:`relgraph.query.confirmation`),
    and, unless *include_stale*, leave out the stale rows with a note that counts them."""

    noted = day is not None and any(c in kinds for c in CONFIRMATION_COLUMNS)
    stale_line = None
    if noted and not include_stale and "unconfirmed_after" in kinds:
        variables = [v.value for v in solutions.variables]
        every = [{v: solution[v] for v in variables} for solution in solutions]
        kept, stale = split_stale(every, day)
        if stale:
            columns = [n for n, k in kinds.items() if k == "iri-list" and n.startswith("sources")]
            sources = labels_for(store, iris_in(stale, set(columns)), lang)
            stale_line = stale_note(stale, sources, columns, none_kept=not kept)
        solutions = solutions_from_rows(variables, [[row[v] for v in variables] for row in kept])
    if fmt == "table":
        variables = [v.value for v in solutions.variables]
        rows = [{v: solution[v] for v in variables} for solution in solutions]
        labels = labels_for(store, iris_in(rows, {n for n, k in kinds.items() if k == "iri-list"}), lang)
        if rows or not stale_line:  # an answer whose rows are all stale says so below, not that nothing is recorded
            _print_rows(variables, rows, labels, kinds, title)
    else:
        data = serialize_solutions(solutions, fmt)
        _emit(data, output)
        rows = result_rows(data, fmt) if noted else []
        if (len(rows) if noted else count_solutions(data, fmt)) == 0 and not stale_line:
            click.echo(EMPTY_NOTICE, err=True)
    for note in unconfirmed_notes(rows, day) if noted else ():
        click.echo(note, err=True)
    if stale_line:
        click.echo(stale_line, err=True)
    return 0


def _print_rows(variables: list[str], rows: list[dict], labels: dict[str, str], kinds: dict[str, str] | None = None, title: str | None = None) -> None:
    """Print the rows of a SELECT answer as a table, or say on standard error that none is recorded
    (``relgraph query`` and ``relgraph sparql``)."""
    if rows:
        render_table(_console(), variables, rows, labels, kinds, title=title)
    else:
        click.echo(EMPTY_NOTICE, err=True)


def _print_yes_no(answer: bool) -> None:
    """Print the answer to an ASK query as a table shows it (``yes`` or ``no``), a ``no`` with what
    it means on standard error (``relgraph query`` and ``relgraph sparql``)."""
    click.echo("yes" if answer else "no")
    if not answer:
        click.echo(ASK_NO_NOTICE, err=True)


def _print_boolean(answer, fmt: str, output: Path | None) -> int:
    if fmt == "table":  # the format was checked before the query ran (_check_answer_format)
        _print_yes_no(bool(answer))
        return 0
    _emit(serialize_solutions(answer, fmt), output)
    if not bool(answer):
        click.echo(ASK_NO_NOTICE, err=True)
    return 0


def _print_graph(triples, fmt: str, output: Path | None, layout, store=None) -> int:
    # canonical Turtle and JSON-LD (pyld's context handling): 6 ms to import (python -X importtime, beyond what the main job imports); only for RDF answers
    # imported here, off the main job's path: python -X importtime shows 28 ms
    from relgraph.publish.canonical import canonical_turtle
    from relgraph.publish.jsonld import to_json_ld


    tags = store_tags(store)  # language tags as the files wrote them (none from a remote endpoint)

    if fmt in ("table", "turtle"):  # the format was checked before the query ran (_check_answer_format)
        data = canonical_turtle(triples, tags)
    elif fmt == "json-ld":
        data = to_json_ld(triples, layout, language_tags=tags)
    else:
        data = serialize_triples(triples, fmt, tags)
    _emit(data, output)
    if not triples:
        click.echo(EMPTY_NOTICE, err=True)
    return 0


# --------------------------------------------------------------------------------- describe

@cli.command()
@click.argument("entity")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "turtle", "nt", "json-ld", "rdfxml"]),
    default="table",
    show_default=True,
    help="table for people; turtle, nt, rdfxml (RDF/XML), or json-ld framed for the entity's type (state, organisation, treaty, incident).",
)
@_LANG
@_OUTPUT
@_STORE
@click.pass_context
def describe(ctx: click.Context, entity: str, fmt: str, lang: str, output: Path | None, store_path: Path | None) -> int:
    """Show everything the graph says about ENTITY, with the claims that name it and their sources.

    ENTITY takes the same forms as entity parameters: an IRI, a local name (tajikistan), a
    prefixed name (rgid:tajikistan), a Wikidata id (Q863) or an exact label. Runs the stored
    CONSTRUCT query describe.
    """
    # the describe pipeline and JSON-LD: 8 ms to import (python -X importtime, beyond what the main job imports)
    # imported here, off the main job's path: python -X importtime shows 105 ms (describe and pyld)
    from relgraph.publish.jsonld import to_json_ld
    from relgraph.query.describe import DESCRIBE_QUERY
    from relgraph.query.describe import describe as describe_entity

    layout = _layout(ctx)
    describe_query = load_one(layout.query_files(), DESCRIBE_QUERY, layout.display)
    store = _query_store(layout, store_path)
    node = resolve(store, describe_query, "entity", entity, shown="ENTITY ")
    description = describe_entity(store, describe_query, node.value)
    triples = description.triples
    if fmt == "json-ld":
        _emit(to_json_ld(triples, layout, frame=description.frame, language_tags=store_tags(store)), output)
        return 0
    if fmt != "table":
        return _print_graph(triples, fmt, output, layout, store)
    if output is not None:
        raise click.UsageError("--output needs --format turtle, nt, json-ld or rdfxml")
    own = [t for t in triples if t.subject == node]
    others = [t for t in triples if t.subject != node]
    rows = [{"node": t.subject, "property": t.predicate, "value": t.object} for t in [*own, *others]]
    labels = labels_for(store, iris_in(rows, set()), lang)
    title = labels.get(node.value, node.value)
    render_table(
        _console(),
        ["node", "property", "value"],
        rows,
        labels,
        title=f"{title}: {len(own)} statements of its own, {len({t.subject for t in others if isinstance(t.subject, ox.NamedNode)})} nodes that name it or are cited",
        group="node",
    )
    return 0


# ------------------------------------------------------------------------------------- diff


@cli.command("diff")
@click.argument("old")
@click.argument("new", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True, help="table for people; json for tools; markdown for a changelog.")
@_LANG
@_OUTPUT
@click.pass_context
def diff_command(ctx: click.Context, old: str, new: str | None, fmt: str, lang: str, output: Path | None) -> int:
    """List the claims and entities added, removed and changed between git revisions.

    Compares graph/*.ttl at revision OLD with revision NEW (default: the files as they are now).
    Exit code 1 when an IRI disappeared: retire it instead, keeping the node with owl:deprecated
    true and dcterms:isReplacedBy its successor.
    """
    # the git diff of the facts and the loader (parsers): 11 ms to import (python -X importtime, beyond what the main job imports)
    # imported here, off the main job's path: python -X importtime shows 78 ms
    from relgraph.graph.diff import diff
    from relgraph.graph.loading import load


    layout = _layout(ctx)
    changes = diff(layout, load(layout), old, new)
    retired = [c for c in changes if c.retired]
    if fmt == "json":
        _emit((json.dumps([c.as_json() for c in changes], indent=2, ensure_ascii=False) + "\n").encode("utf-8"), output)
    elif fmt == "markdown":
        lines = [f"## Changes in the facts from {old} to {new or 'the working tree'}", ""]
        for change in changes:
            name = f"{change.label} (`{change.node}`)" if change.label else f"`{change.node}`"
            lines.append(f"- {change.change} {change.kind} {name}")
            lines += [f"  - added `{p}` {o}" for p, o in change.added] if change.change == "changed" else []
            lines += [f"  - removed `{p}` {o}" for p, o in change.removed] if change.change == "changed" else []
        _emit(("\n".join(lines) + "\n").encode("utf-8"), output)
    else:
        if output is not None:
            raise click.UsageError("--output needs --format json or markdown")

        rows = [
            {
                "change": ox.Literal(c.change),
                "node": ox.NamedNode(c.node),
                "kind": ox.Literal(c.kind),
                "details": ox.Literal("\n".join([f"+ {p} {o}" for p, o in c.added] + [f"- {p} {o}" for p, o in c.removed]) if c.change == "changed" else ""),
            }
            for c in changes
        ]
        labels = {c.node: c.label for c in changes if c.label}
        if rows:
            render_table(_console(), ["change", "node", "kind", "details"], rows, labels, title=f"Changes in the facts from {old} to {new or 'the working tree'}")
        else:
            click.echo("No changes in the facts.", err=True)
    if retired:
        click.echo(
            f"{len(retired)} IRI(s) disappeared: {', '.join(c.node for c in retired[:10])}; keep retired nodes with owl:deprecated true and dcterms:isReplacedBy their successor.",
            err=True,
        )
        return 1
    return 0


# ----------------------------------------------------------------------------------- sparql


def _read_query_argument(source: str) -> tuple[str, str]:
    """The query text of ``relgraph sparql QUERY|FILE|-``, and how to name it in messages."""
    if source == "-":
        data, shown = sys.stdin.buffer.read(), "<stdin>"
    else:
        looks_like_a_path = bool(re.fullmatch(r"[^\s{}]+\.(rq|sparql|txt)", source)) or (os.sep in source and not re.search(r"[\s{}]", source))
        path = Path(source)
        try:
            exists = bool(source.strip()) and len(source) < 4096 and "\n" not in source and path.exists()
        except (OSError, ValueError):
            exists = False
        if exists and path.is_dir():
            raise QueryError(f"{source}: is a folder; give a query text, a file holding one, or - for standard input")
        if not exists:
            if looks_like_a_path:
                raise QueryError(f"{source}: no such file; give a query text, a file holding one, or - for standard input")
            return source, "query"
        try:
            data, shown = path.read_bytes(), source
        except (OSError, RuntimeError) as exc:
            raise QueryError(f"{source}: cannot read: {getattr(exc, 'strerror', None) or exc}") from exc
    try:
        return data.decode("utf-8"), shown
    except UnicodeDecodeError as exc:
        raise QueryError(f"{shown}: not UTF-8 text (byte {exc.start}); save the query as UTF-8") from None



@cli.command()
@click.argument("source", metavar="QUERY|FILE|-")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "nt", "json-ld", "rdfxml"]),
    default="table",
    show_default=True,
    help="SELECT/ASK: table, csv, tsv, json, xml (SPARQL XML results). CONSTRUCT/DESCRIBE: turtle, nt, json-ld, rdfxml (RDF/XML); table gives turtle.",
)
@_LANG
@click.option("--timeout", type=click.FloatRange(min=0), default=30.0, show_default=True, help="Seconds before the query is stopped; 0 for no limit.")
@_INFER
@_OUTPUT
@_STORE
@click.option(
    "--data",
    "data",
    multiple=True,
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="Query this RDF file (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) instead of the graph, no root needed; repeat for more files.",
)
@click.pass_context
def sparql(
    ctx: click.Context, source: str, fmt: str, lang: str, timeout: float, infer: str, output: Path | None, store_path: Path | None, data: tuple[Path, ...]
) -> int:
    """Run an ad-hoc, read-only SPARQL query over the graph, or over RDF files (--data).

    QUERY is the query text, FILE a file holding it, - reads standard input. Updates and
    SERVICE are refused before anything runs; FROM and FROM NAMED select among the loaded
    graphs and never read a file or URL.
    """
    # the ad-hoc query and its worker processes: 15 ms to import (python -X importtime, beyond what the main job imports)
    # imported here, off the main job's path: python -X importtime shows 160 ms
    from relgraph.query import adhoc


    root = None
    if data:
        if store_path is not None and ctx.get_parameter_source("store_path") == click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError("--data queries the files it names; leave out --store")
        if infer != "none":
            raise click.UsageError("--infer works on a root's graph with its ontology; leave it out with --data")
        store_path = None  # RELGRAPH_STORE names the graph's store, not these files
    else:
        root = _layout(ctx).root
    if output is not None and fmt == "table":
        raise click.UsageError("--output needs a machine format: --format csv, tsv, json, xml, turtle, nt, json-ld or rdfxml")
    text, shown = _read_query_argument(source)
    result = adhoc.run(
        root, text, fmt, timeout=timeout or None, lang=lang, source=shown, infer=infer, store=store_path and store_path.absolute(), data=data, data_shown=[str(p) for p in data]
    )
    for warning in result.warnings:
        click.echo(f"Note: {warning}", err=True)
    if result.form == "ASK" and fmt == "table":
        _print_yes_no(json.loads(result.data)["boolean"])
        return 0
    if result.form == "SELECT" and fmt == "table":
        solutions = ox.parse_query_results(result.data, format=ox.QueryResultsFormat.JSON)
        variables = [v.value for v in solutions.variables]
        _print_rows(variables, [{v: solution[v] for v in variables} for solution in solutions], result.labels)
        return 0
    _emit(result.data, output)
    if result.rows == 0:
        click.echo(ASK_NO_NOTICE if result.form == "ASK" else EMPTY_NOTICE, err=True)
    return 0


# ------------------------------------------------------------------------------------- load


@cli.command("load")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--store", "store_path", required=True, type=click.Path(file_okay=False, path_type=Path), help="The store folder to create.")
@click.option("--replace", is_flag=True, help="Rebuild the store if it exists (readers keep seeing the old one until the new one is in place).")
@click.pass_context
def load_command(ctx: click.Context, files: tuple[Path, ...], store_path: Path, replace: bool) -> int:
    """Build an on-disk store from large data files, for queries at scale (--store PATH).

    FILES are Turtle (.ttl), N-Triples (.nt), N-Quads (.nq) or TriG (.trig), each optionally
    gzip-compressed (.gz); without FILES, the root's graph/*.ttl. The store also holds the
    root's ontology and what relgraph derives (date bounds, best ranks). Built in a temporary
    folder and moved into place, so a failed load leaves nothing behind.
    """

    layout = _layout(ctx)
    chosen = list(files) or layout.graph_files()
    started = time.perf_counter()
    total = 0
    for path in chosen:
        with _suppress():
            total += path.stat().st_size
    if sys.stderr.isatty() and total:
        # rich's progress bar: 5 ms to import (python -X importtime, beyond what the main job imports); only on a terminal
        # imported here, off the main job's path: python -X importtime shows rich.progress, 33 ms
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

        columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("Loading", total=total)
            info = build_store(
                store_path,
                layout,
                chosen,
                replace=replace,
                progress=lambda n: bar.advance(task, n),
                on_file=lambda path, size: bar.update(task, description=f"Loading {path.name}"),
            )
    else:
        info = build_store(store_path, layout, chosen, replace=replace)
    seconds = time.perf_counter() - started
    click.echo(f"Loaded {len(chosen)} files ({total:,} bytes) into {store_path}: {info.quads:,} quads, derived ones included, in {seconds:.1f} s.", err=True)
    return 0


# ----------------------------------------------------------------------------------- export


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "nt", "json-ld", "rdfxml", "trig", "nquads"]),
    default="turtle",
    show_default=True,
    help="turtle, nt, json-ld, rdfxml (RDF/XML): one merged graph; trig, nquads: one named graph per source.",
)
@click.option("--frame", help="With json-ld: framed, nested documents per type, from ontology/frames/ (state, organisation, treaty, incident).")
@click.option("--context-url", help="With json-ld: reference this context URL instead of embedding the context (only if consumers can reach it).")
@_OUTPUT
@click.option("--facts-only", is_flag=True, help="Leave out the ontology.")
@click.option("--check", is_flag=True, help="Export nothing; check that the graph/ files are in canonical form (exit 1 naming those that are not).")
@_STORE
@click.pass_context
def export(ctx: click.Context, fmt: str, frame: str | None, context_url: str | None, output: Path | None, facts_only: bool, check: bool, store_path: Path | None) -> int:
    """Export the ontology, the facts and a generated data set description.

    Deterministic (the same graph gives the same bytes), with literals exactly as written; derived
    triples are never exported. A failed export leaves no partial file. With --store, the store's
    triples stream out in its own order (see the README: statements unsorted, literals in
    canonical form, no frames).
    """
    # the exports (JSON-LD, canonical forms) and the loader: 12 ms to import (python -X importtime, beyond what the main job imports)
    # imported here, off the main job's path: python -X importtime shows 37 ms
    from relgraph.graph.loading import load
    from relgraph.publish.export import serialize_graph

    layout = _layout(ctx)
    if check:
        return _check_canonical(layout, ())
    if store_path is not None:
        return _export_store(layout, store_path, fmt, frame, context_url, output, facts_only)

    data = serialize_graph(load(layout), fmt, facts_only=facts_only, frame=frame, context_url=context_url)
    _emit(data, output)
    return 0


def _export_store(layout, store_path: Path, fmt: str, frame: str | None, context_url: str | None, output: Path | None, facts_only: bool) -> int:
    # the exports (JSON-LD, canonical forms): 9 ms to import (python -X importtime, beyond what the main job imports)
    # imported here, off the main job's path: python -X importtime shows 102 ms
    from relgraph.publish.export import export_store

    if frame or context_url:
        raise click.UsageError("--frame and --context-url work on the root's graph, not with --store")
    store = _query_store(layout, store_path)
    if output is None:
        count = export_store(store, fmt, sys.stdout.buffer, facts_only=facts_only)
        sys.stdout.flush()
    else:
        with atomic_file(output) as out:
            count = export_store(store, fmt, out, facts_only=facts_only)
        click.echo(f"Wrote {output} ({count:,} statements).", err=True)
    return 0


# ------------------------------------------------------------------------------------ serve


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on; only loopback unless told otherwise.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="The TCP port (0: any free port, printed at start).")
@click.option("--base", default=BASE, show_default=True, help="The IRI prefix whose paths this server answers for (IRI BASE+PATH is served at /PATH).")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=10.0, show_default=True, help="Seconds per request; a query still running then is stopped (its worker is killed) and answered 503.")
@click.option("--max-rows", type=click.IntRange(1, 10_000_000), default=10_000, show_default=True, help="Solutions or triples per page, at most; larger answers come in pages (limit=, offset=, Link rel=next).")
@click.option("--max-bytes", type=click.IntRange(1024), default=64 * 1024 * 1024, show_default=True, help="Bytes of one answer, at most (507 beyond).")
@click.option("--max-request-bytes", type=click.IntRange(1024), default=256 * 1024, show_default=True, help="Bytes of a request body or query, at most (413 beyond).")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True, help="Query worker processes (queries answered at once).")
@click.option("--allow-service", "allow_service", multiple=True, metavar="URL", help="An endpoint that SERVICE may call; repeat for each. Without it, SERVICE is refused.")
@click.option("--no-cors", is_flag=True, help="Send no CORS headers (browser clients on other origins cannot query).")
@_STORE
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    base: str,
    timeout: float,
    max_rows: int,
    max_bytes: int,
    max_request_bytes: int,
    workers: int,
    allow_service: tuple[str, ...],
    no_cors: bool,
    store_path: Path | None,
) -> int:
    """Serve the graph read-only: a SPARQL 1.1 endpoint, the stored queries and linked-data pages.

    /sparql answers the SPARQL 1.1 Protocol (GET and POST; JSON, XML, CSV, TSV, Turtle,
    N-Triples, JSON-LD by Accept) and gives its Service Description. /queries lists the stored
    queries and /queries/NAME?PARAM=VALUE&as-of=YYYY-MM-DD runs one (also from=, to=,
    all-claims=true, include-stale=true, as relgraph query takes them). IRIs under --base
    dereference (303 to /data/PATH, Turtle, JSON-LD or HTML). Updates, LOAD and SERVICE are
    refused; FROM never reads a file or URL. Stop with Ctrl-C.
    """
    # the server (Starlette, uvicorn, Jinja2): 60 ms to import (python -X importtime, beyond what the main job imports)
    # imported here, off the main job's path: python -X importtime shows Starlette and uvicorn, 1.6 s
    from relgraph.serve.app import ServeConfig
    from relgraph.serve.app import serve as run_server

    if not base.startswith(("http://", "https://")) or not base.endswith(("/", "#")):
        raise click.UsageError(f"--base {base!r}: give an http(s) IRI prefix ending in / (for example https://w3id.org/relgraph/)")
    for url in allow_service:
        if not url.startswith(("http://", "https://")):
            raise click.UsageError(f"--allow-service {url!r}: give the http(s) URL of a SPARQL endpoint")
    if host not in ("127.0.0.1", "::1", "localhost"):
        click.echo(f"warning: listening on {host}, reachable from other machines; the endpoint is read-only but answers anyone who can connect", err=True)
    layout = _layout(ctx)
    config = ServeConfig(
        root=layout.root,
        store=store_path,
        host=host,
        port=port,
        base=base,
        timeout=timeout,
        max_rows=max_rows,
        max_bytes=max_bytes,
        max_request_bytes=max_request_bytes,
        workers=workers,
        allow_service=allow_service,
        cors=not no_cors,
    )
    run_server(config, announce=lambda line: click.echo(line, err=True))
    return 0


# ------------------------------------------------------------------------------------- push


@cli.command()
@click.option("--graph-store", "graph_store", required=True, metavar="URL", help="The SPARQL 1.1 Graph Store endpoint (Oxigraph: …/store; Virtuoso: …/sparql-graph-crud-auth).")
@click.option("--user", envvar="RELGRAPH_USER", help="The user to authenticate as; its password comes from RELGRAPH_PASSWORD or a prompt. Also RELGRAPH_USER.")
@click.option("--auth", "scheme", type=click.Choice(["auto", "basic", "digest"]), default="auto", show_default=True, help="HTTP authentication scheme; auto answers the server's challenge.")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds for each HTTP request (0: no limit).")
@click.option(
    "--endpoint",
    metavar="URL",
    help="The server's SPARQL query endpoint: each graph's triples are counted there (COUNT) instead of read back, "
    "for a server that caps what a read-back returns (Virtuoso's ResultSetMaxRows).",
)
@_STORE
@click.pass_context
def push(ctx: click.Context, graph_store: str, user: str | None, scheme: str, timeout: float, endpoint: str | None, store_path: Path | None) -> int:
    """Publish the ontology and the facts to a triple store, one named graph per source file.

    Uses the SPARQL 1.1 Graph Store HTTP Protocol: each graph is replaced (PUT), graphs that
    relgraph pushed before and the project no longer has are removed (DELETE), and every graph
    is read back (GET) to verify its triple count, or counted on the SPARQL endpoint that
    --endpoint names (for graphs larger than what the server returns at once). Pushing twice
    leaves the same content. The
    graph IRIs are those relgraph queries locally, so stored queries run with --endpoint give
    the same rows. Exit code 2 when a request fails or a count does not match.
    """
    # the Graph Store client: 13 ms to import (python -X importtime, beyond what the main job imports)
    # imported here, off the main job's path: python -X importtime shows httpx, 0.6 s
    from relgraph.remote.graph_store import local_graphs
    from relgraph.remote.graph_store import push as push_graphs
    from relgraph.remote.http import make_auth

    if not (0 <= timeout <= 7 * 24 * 3600):
        raise click.UsageError("--timeout must be a number of seconds from 0 (no limit) to 604800")
    password = os.environ.get("RELGRAPH_PASSWORD")
    if user and password is None:
        if not sys.stdin.isatty():
            raise click.UsageError(f"--user {user}: set RELGRAPH_PASSWORD to its password (or run on a terminal to be asked)")
        password = click.prompt(f"Password for {user}", hide_input=True, err=True)
    layout = _layout(ctx)
    graphs = local_graphs(_query_store(layout, store_path))
    counter = _endpoint(endpoint, timeout) if endpoint is not None else None
    try:
        report = push_graphs(
            graph_store, graphs, auth=make_auth(user, password, scheme), timeout=timeout or None, progress=lambda line: click.echo(line, err=True), count_endpoint=counter
        )
    finally:
        if counter is not None:
            counter.close()

    columns = ["graph", "triples sent", "triples verified", "left out (RDF 1.2)"]
    rows = [[graph.iri, str(graph.sent), str(graph.verified), str(graph.left_out)] for graph in report.graphs]
    rows.append(["all", str(sum(g.sent for g in report.graphs)), str(report.triples), str(sum(g.left_out for g in report.graphs))])
    print_table(_console(), columns, rows, title=f"Pushed to {graph_store} in {report.seconds:.1f} s", right=set(columns[1:]))
    for iri in report.removed:
        click.echo(f"Removed <{iri}>: its source is no longer in the project.", err=True)
    return 0


# ----------------------------------------------------------------------------------- format


def _check_canonical(layout, paths: tuple[Path, ...]) -> int:
    # the Turtle parser and canonical Turtle: 7 ms to import (python -X importtime, beyond what the main job imports)
    # imported here, off the main job's path: python -X importtime shows 28 ms
    from relgraph.publish.canonical import is_canonical
    from relgraph.graph.parsing import parse_turtle


    files = list(paths) or layout.graph_files()
    stale = []
    for path in files:
        parse_turtle(path, path.absolute().as_uri(), layout.display(path))  # a clear error for bad Turtle
        if not is_canonical(path):
            stale.append(layout.display(path))
    if stale:
        click.echo(f"Not in canonical form: {', '.join(stale)}; run relgraph format to rewrite them.", err=True)
        return 1
    click.echo(f"All {len(files)} files are in canonical form.", err=True)
    return 0


@cli.command("format")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Only report the files that are not in canonical form; exit 1 if any.")
@click.pass_context
def format_files(ctx: click.Context, paths: tuple[Path, ...], check: bool) -> int:
    """Rewrite Turtle files in canonical form (default: the graph/ files).

    Canonical form: blank nodes named by RDFC-1.0, statements sorted (rdf:type first), the
    prefixes they use, a blank line between subjects, literals exactly as written, no comments.
    Files are rewritten atomically; a file already canonical is left untouched.
    """
    # the Turtle parser and canonical Turtle: 7 ms to import (python -X importtime, beyond what the main job imports)
    # imported here, off the main job's path: python -X importtime shows 28 ms
    from relgraph.publish.canonical import canonical_turtle
    from relgraph.graph.parsing import parse_turtle


    layout = _layout(ctx)
    if check:
        return _check_canonical(layout, paths)
    files = list(paths) or layout.graph_files()
    changed = []
    for path in files:
        parsed = parse_turtle(path, path.absolute().as_uri(), layout.display(path))
        data = canonical_turtle(parsed.triples, parsed.language_tags)
        if data != path.read_bytes():
            write_atomically(data, path)
            changed.append(layout.display(path))
    click.echo(f"Rewrote {len(changed)} of {len(files)} files" + (f": {', '.join(changed)}." if changed else "."), err=True)
    return 0


@cli.command("stats")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True, help="table for people; csv (section,key,value) or json for machines.")
@_OUTPUT
@_STORE
@click.pass_context
def stats(ctx: click.Context, fmt: str, output: Path | None, store_path: Path | None) -> int:
    """Count what the graph holds: entities and claims by class, claims by source, date
    precision and rank, the states known only by their codes, and for each organisation the
    newest day its membership claims' sources confirm."""
    layout = _layout(ctx)
    store = _query_store(layout, store_path)
    counted = graph_stats(store)
    if fmt == "json":
        _emit((json.dumps(counted.as_json(), indent=2, ensure_ascii=False) + "\n").encode("utf-8"), output)
        return 0
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["section", "key", "value"])
        for name, rows in counted.sections.items():
            writer.writerows([name, key, value] for key, value in rows)
        _emit(buffer.getvalue().encode("utf-8"), output)
        return 0
    if output is not None:
        raise QueryError("--output needs a machine format: --format csv or json")
    console = _console()
    labels = labels_for(store, [key for rows in counted.sections.values() for key, _ in rows])
    for name, rows in counted.sections.items():
        shown = [[f"{labels[key]} ({compact(key)})" if key in labels else compact(key), str(value)] for key, value in rows]
        key_header = {"claims by source": "source", "claims by date precision": "precision", "claims by rank": "rank"}.get(name, "class")
        if name == "states known only by their codes":
            print_table(console, ["state"], [[row[0]] for row in shown], title=f"{name} ({len(rows)})")
        elif name == "newest confirmation by organisation":
            print_table(console, ["organisation", "confirmed until"], shown, title=name)
        else:
            print_table(console, [key_header, "count"], shown, title=name, right={"count"})
    return 0


@cli.command("docs")
@_OUTPUT
@click.pass_context
def docs(ctx: click.Context, output: Path | None) -> int:
    """Write the HTML documentation of the ontology for publishing: every class and property with
    its label, comment, domain and range, the concept schemes, and the SHACL shapes that
    constrain each term (pyLODE; pip install 'relgraph[docs]'). relgraph serve gives the same
    page at /ontology to browsers."""
    # imported here: rdflib, which it reads the ontology with, is 77 ms (python -X importtime) that no other command needs
    from relgraph.publish.ontology_docs import ontology_html  # noqa: PLC0415

    _emit(ontology_html(_layout(ctx)).encode("utf-8"), output)
    return 0


@cli.command("table")
@click.argument("name", type=click.Choice(["igo-state-year", "igo-dyad-year", "treaty-dyad-year", "relations-dyad-year"]))
@click.option("--organisation", "-O", "organisations", multiple=True, help="An organisation (acronym, COW abbreviation, name, IRI); repeat for each. igo-dyad-year: a column of joint membership each.")
@click.option("--from", "first", type=click.IntRange(1816, 9999), default=1816, show_default=True, help="The first year.")
@click.option("--to", "last", type=click.IntRange(1816, 9999), help="The last year (default: this year).")
@click.option("--year-rule", type=click.Choice(["december-31", "any-day"]), default="december-31", show_default=True, help="Which day of a year counts: its last, or any.")
@click.option("--source", help="Use the claims of this source (a data set such as dataset-cow-igo-3), of any rank, instead of the best-ranked claims.")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), help="csv, or parquet (pyarrow: pip install 'relgraph[tables]'); default: from --output's suffix (.csv, .parquet), else csv.")
@_OUTPUT
@click.option("--with-sources", is_flag=True, help="Also write PATH-stem.sources.csv beside --output: the claims and sources of each coded cell (igo-dyad-year: of the --organisation columns).")
@click.option("--include-stale", is_flag=True, help=f"igo-state-year, igo-dyad-year: code a year by an open membership last confirmed more than {STALE_YEARS} years before it (else -9, missing data).")
@_STORE
@click.pass_context
def table(ctx: click.Context, name: str, organisations: tuple[str, ...], first: int, last: int | None, year_rule: str, source: str | None,
          fmt: str | None, output: Path | None, with_sources: bool, include_stale: bool, store_path: Path | None) -> int:
    """Write a table in a political-science format, built from the graph's claims.

    igo-state-year: COW IGO's state-year coding (0 no membership, 1 full, 2 associate, 3
    observer, -1 the organisation not in existence), one row per state, organisation and year.
    igo-dyad-year: one row per pair of states and year, lower COW code first, with the number of
    organisations in which both are full members (dyadigos) and a joint-membership column per
    --organisation. treaty-dyad-year: the pairs bound by bilateral treaties in force, by treaty
    kind. relations-dyad-year: diplomatic relations and ambassadors posted each way. With
    --output, the table's codebook goes beside it (PATH-stem.codebook.csv). A cell that only a
    membership last confirmed more than five years before its year would code is -9 (missing
    data), as the stored queries leave such answers out; --include-stale codes it."""
    # imported here: the tables need pandas, 250 ms to import (python -X importtime), which no other command needs
    from relgraph.tables.dyads import RELATIONS_COLUMNS, TREATY_COLUMNS, relations_dyad_year, treaty_dyad_year  # noqa: PLC0415
    from relgraph.tables.igo import COLUMNS, DYAD_COLUMNS, JOINT, igo_dyad_year, igo_state_year  # noqa: PLC0415
    from relgraph.tables.writing import codebook_bytes, table_bytes, write_table  # noqa: PLC0415

    fmt = _file_format(fmt, output, ("csv", "parquet"), "csv", "tables")
    if output is None and (fmt != "csv" or with_sources):
        raise QueryError("--format parquet and --with-sources write files: give --output PATH")
    if name == "igo-state-year" and not organisations:
        raise QueryError("igo-state-year needs at least one --organisation (-O CIS)")
    if name == "igo-dyad-year" and with_sources and not organisations:
        raise QueryError("igo-dyad-year --with-sources lists the claims behind the --organisation columns: choose one or more (-O CIS)")
    if name in ("treaty-dyad-year", "relations-dyad-year") and (organisations or source or include_stale):
        raise QueryError(f"{name} takes no --organisation, --source or --include-stale: it counts the best-ranked claims of every pair")
    this_year = today().year
    if last is not None and last > this_year:
        raise QueryError(f"--to {last} is after this year ({this_year}): the graph records no future; give --to {this_year} or earlier")
    if last is None and first > this_year:
        raise QueryError(f"--from {first} is after this year ({this_year}): give --from {this_year} or earlier")
    layout = _layout(ctx)
    store = _query_store(layout, store_path)
    # the parameter rules of the stored queries that take an organisation and an entity
    members_query = load_one(layout.query_files(), "members", layout.display)
    resolved = [resolve(store, members_query, "organisation", value, shown="--organisation ").value for value in organisations]
    chosen = resolve(store, load_one(layout.query_files(), "sources", layout.display), "entity", source, shown="--source ").value if source else None
    if chosen and not store.query(f"ASK {{ ?claim a <https://w3id.org/relgraph/ontology#Membership> ; <http://www.w3.org/ns/prov#wasDerivedFrom> <{chosen}> }}", use_default_graph_as_union=True):
        raise QueryError(f"--source {source}: no membership claim cites <{chosen}>; give a source of memberships, such as dataset-cow-igo-3")
    rules = [
        ("year rule", {"december-31": "a state's status on 31 December of the year", "any-day": "a membership that holds on any day of the year counts"}[year_rule]),
        ("claims", f"those of the source <{chosen}>, of any rank" if chosen else "the best-ranked claims"),
        ("rows", "the state-years in which the state is a member of the COW state system on 31 December" if name == "igo-state-year"
         else "the pairs of states both members of the COW state system on 31 December of the year"
         + ("" if name == "igo-dyad-year" else ", for the pairs the graph records a treaty in force (treaty-dyad-year) or relations or a posting (relations-dyad-year) about")),
    ]
    sources = None
    if name == "igo-state-year":
        built = igo_state_year(store, resolved, first, last or this_year, year_rule, chosen, include_stale=include_stale)
        rows, columns = built.rows, COLUMNS
        sources = built.sources if with_sources else None
        notes = built.notes
    else:
        if name == "igo-dyad-year":
            dyads = igo_dyad_year(store, resolved, first, last or this_year, year_rule, chosen, with_sources=with_sources, include_stale=include_stale)
            columns = (*DYAD_COLUMNS, *((column, "integer", JOINT) for column in dyads.rows.columns[len(DYAD_COLUMNS):]))
        elif name == "treaty-dyad-year":
            dyads = treaty_dyad_year(store, first, last or this_year, year_rule, with_sources=with_sources)
            columns = (*TREATY_COLUMNS, *((kind, "integer", f"The treaties of kind rgv:{kind.replace('_', '-')} among them.") for kind in dyads.rows.columns[len(TREATY_COLUMNS):]))
        else:
            dyads = relations_dyad_year(store, first, last or this_year, year_rule, with_sources=with_sources)
            columns = RELATIONS_COLUMNS
        rows, sources, notes = dyads.rows, dyads.sources, dyads.notes
    if name in ("igo-state-year", "igo-dyad-year"):
        rules.append(("stale claims", "coded by them" if include_stale else f"a cell that only an open membership last confirmed more than {STALE_YEARS} years before its year would code is -9 (missing data)"))
    for note in notes:
        click.echo(note, err=True)
    if output is None:
        _write(table_bytes(rows, "csv"))
        return 0
    written = write_table(rows, fmt, output, codebook_bytes(columns, rules), sources)
    click.echo(f"Wrote {', '.join(str(p) for p in written)} ({len(rows)} rows).", err=True)
    return 0


@cli.group("plot")
def plot() -> None:
    """Draw a picture with matplotlib (pip install 'relgraph[plots]'): an organisation's
    membership, a dyad's timeline, the network of a day. SVG output is the same bytes for the
    same graph; PNG needs --output."""


_PICTURE_FORMAT = click.option("--format", "fmt", type=click.Choice(["svg", "png"]), help="svg or png (default: from --output's suffix, else svg).")
_PICTURE_LANG = click.option("--lang", type=click.Choice(["en", "ru"]), default="en", show_default=True, help="The language of the labels (English where no Russian one is recorded).")


def _file_format(fmt: str | None, output: Path | None, formats: tuple[str, ...], default: str, what: str) -> str:
    """A file's format: --format, else --output's suffix, else *default*. A suffix that names
    another of *formats* than --format does, or (without --format) none of them, is refused:
    the file's name must not lie about its content.

    Raises:
        QueryError: Naming the suffixes to use.
    """
    suffix = output.suffix.lstrip(".").lower() if output is not None else ""
    known = ", ".join(f".{f}" for f in formats)
    if fmt is not None:
        if suffix in formats and suffix != fmt:
            raise QueryError(f"--output {output} names a .{suffix} file, but --format is {fmt}: name it .{fmt}, or leave --format out")
        return fmt
    if output is None or suffix in formats:
        return suffix or default
    raise QueryError(f"--output {output}: the {what} are written as {known}; name the file so, or give --format")


def _not_after_this_year(last: int | None) -> None:
    """Refuse a picture's last year after this one: the graph records no future."""
    if last is not None and last > today().year:
        raise QueryError(f"--to {last} is after this year ({today().year}): the graph records no future; give --to {today().year} or earlier")


def _picture_format(fmt: str | None, output: Path | None) -> str:
    """The picture's format: --format, else --output's suffix, else svg; PNG only to a file."""
    chosen = _file_format(fmt, output, ("svg", "png"), "svg", "pictures")
    if output is None and chosen == "png":
        raise QueryError("--format png writes a file: give --output PATH")
    return chosen


@plot.command("membership")
@click.argument("organisation")
@_PICTURE_FORMAT
@_PICTURE_LANG
@click.option("--to", "last", type=click.IntRange(1816, 9999), help="The chart's last year, where open memberships end (default: this year).")
@_OUTPUT
@_STORE
@click.pass_context
def plot_membership(ctx: click.Context, organisation: str, fmt: str | None, lang: str, last: int | None, output: Path | None, store_path: Path | None) -> int:
    """An organisation's members over time: one bar per state over the years of its best-ranked
    membership claims, roles in colours, the number of sources in the legend."""
    # imported here: matplotlib.pyplot is 340 ms to import (python -X importtime), which no other command needs
    from relgraph.plots.membership import membership_chart  # noqa: PLC0415

    chosen = _picture_format(fmt, output)
    _not_after_this_year(last)
    layout = _layout(ctx)
    store = _query_store(layout, store_path)
    iri = resolve(store, load_one(layout.query_files(), "members", layout.display), "organisation", organisation, shown="ORGANISATION ").value
    title = labels_for(store, [iri], lang).get(iri, iri.rsplit("/", 1)[-1])
    _emit(membership_chart(store, iri, title, chosen, lang, last or today().year), output)
    return 0


@plot.command("timeline")
@click.argument("a")
@click.argument("b")
@_PICTURE_FORMAT
@_PICTURE_LANG
@click.option("--from", "first", type=click.IntRange(1816, 9999), help="The first year shown (default: the year before the earliest bar or event).")
@click.option("--to", "last", type=click.IntRange(1816, 9999), help="The last year shown, where open bars end (default: this year).")
@click.option("--organisation", "organisations", multiple=True, metavar="ORG", help="Draw only this organisation's lane among those both belong to (repeat for more; default: all).")
@_OUTPUT
@_STORE
@click.pass_context
def plot_timeline(
    ctx: click.Context, a: str, b: str, fmt: str | None, lang: str, first: int | None, last: int | None, organisations: tuple[str, ...], output: Path | None, store_path: Path | None
) -> int:
    """A dyad's timeline: diplomatic relations, ambassadors each way, bilateral treaties in
    force, organisations both belong to and conflicts both took part in as bars, the dated
    events of the stored query timeline as points. States as the queries take them (ISO code,
    COW or GW code, Wikidata id, IRI or label)."""
    # imported here: matplotlib.pyplot is 340 ms to import (python -X importtime), which no other command needs
    from relgraph.plots.timeline import timeline_chart  # noqa: PLC0415

    chosen = _picture_format(fmt, output)
    _not_after_this_year(last)
    layout = _layout(ctx)
    store = _query_store(layout, store_path)
    timeline = load_one(layout.query_files(), "timeline", layout.display)
    one = resolve(store, timeline, "a", a, shown="A ").value
    two = resolve(store, timeline, "b", b, shown="B ").value
    members = load_one(layout.query_files(), "members", layout.display)
    orgs = list(dict.fromkeys(resolve(store, members, "organisation", o, shown="--organisation ").value for o in organisations))
    _emit(timeline_chart(store, timeline, one, two, chosen, lang, first, last or today().year, orgs), output)
    return 0


@plot.command("network")
@click.option("--link", type=click.Choice(["memberships", "treaties"]), default="memberships", show_default=True, help="What links two states: shared memberships of the chosen organisations, or bilateral treaties in force.")
@click.option("--organisation", "organisations", multiple=True, metavar="ORG", help="For --link memberships: an organisation (repeat for more).")
@click.option("--state", "states", multiple=True, metavar="STATE", help="Draw only the links that touch this state (repeat for more).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The day (default: today).")
@_PICTURE_FORMAT
@_PICTURE_LANG
@_OUTPUT
@_STORE
@click.pass_context
def plot_network(
    ctx: click.Context, link: str, organisations: tuple[str, ...], states: tuple[str, ...], as_of: str | None, fmt: str | None, lang: str, output: Path | None, store_path: Path | None
) -> int:
    """The network of a day: states linked by shared memberships of the chosen organisations
    (as the stored query members answers for the day), or by bilateral treaties in force; a
    link's width counts them."""
    # imported here: matplotlib.pyplot is 340 ms to import (python -X importtime), which no other command needs
    from relgraph.plots.network import network_chart  # noqa: PLC0415

    chosen = _picture_format(fmt, output)
    layout = _layout(ctx)
    store = _query_store(layout, store_path)
    members = load_one(layout.query_files(), "members", layout.display)
    day = answer_day(members, as_of, False)
    orgs = list(dict.fromkeys(resolve(store, members, "organisation", o, shown="--organisation ").value for o in organisations))
    ambassadors = load_one(layout.query_files(), "ambassadors", layout.display)
    chosen_states = list(dict.fromkeys(resolve(store, ambassadors, "sending", s, shown="--state ").value for s in states))
    _emit(network_chart(store, members, day, link, orgs, chosen_states, chosen, lang), output)
    return 0


@cli.command("import")
@click.option("--check", is_flag=True, help="Write nothing; report the claim tables that differ from a fresh import, and exit 1 if any.")
@click.pass_context
def import_data(ctx: click.Context, check: bool) -> int:
    """Import the data sets under graph/datasets/ into the claim tables of graph/tables/.

    Reads the files MANIFEST.csv names (each checked against its SHA-256): the COW state system,
    Gleditsch and Ward's list, COW IGO v3, ATOP, the COW inter-state wars and the UCDP/PRIO Armed
    Conflict Dataset, with the sourced crosswalk (crosswalk.csv, igo-entities.csv). The same files
    always give the same bytes; nothing is fetched. Tables are written atomically.
    """
    # imported here, off the main job's path: python -X importtime shows relgraph.world at 90 ms (and rdata, read when a file is, 790 ms)
    from relgraph.world.build import write_tables

    layout = _layout(ctx)
    changed = write_tables(layout, check=check)
    shown = ", ".join(layout.display(p) for p in changed)
    if check:
        if changed:
            click.echo(f"{len(changed)} claim tables differ from a fresh import: {shown}; run relgraph import", err=True)
            return 1
        click.echo("The claim tables are what the import writes.", err=True)
        return 0
    click.echo(f"Wrote {len(changed)} claim tables" + (f": {shown}." if changed else " (all were up to date)."), err=True)
    return 0


# ------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (the console script ``relgraph``).

    Args:
        argv: The arguments after the program name; ``sys.argv[1:]`` if ``None``.

    Returns:
        The exit code: 0, 1, 2, 3 or 141 (see the module documentation).
    """
    args = sys.argv[1:] if argv is None else argv
    command_at = next((i for i, a in enumerate(args) if not a.startswith("-")), len(args))
    debug = "--debug" in args[:command_at] or bool(os.environ.get(_DEBUG_ENV))
    if sys.stdout is None:  # started with standard output closed
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    try:
        result = cli.main(args=args, prog_name="relgraph", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        if debug:
            # imported here, only with --debug: traceback is 3 to 5 ms (python -X importtime) on the main job's path
            import traceback

            traceback.print_exc()
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Interrupted.", err=True)
        return 130
    except BrokenPipeError:
        if not _stdout_reader_gone():
            raise
        _silence_stdout()
        return CLOSED_PIPE
    except OSError as exc:  # standard output or error failed (a full disk, a closed descriptor)
        with _suppress():
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        with _suppress():
            click.echo(f"Error: cannot write the output: {exc.strerror or exc}", err=True)
        return 2
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except Exception as exc:  # a bug: never a raw traceback for users
        if debug or os.environ.get(_DEBUG_ENV):
            # imported here, only with --debug: traceback is 3 to 5 ms (python -X importtime) on the main job's path
            import traceback

            traceback.print_exc()
        click.echo(
            f"relgraph: internal error: {type(exc).__name__}: {exc} (run again with --debug for a traceback, and please report it)",
            err=True,
        )
        return 3


def _suppress():

    return contextlib.suppress(Exception)


if __name__ == "__main__":
    sys.exit(main())
