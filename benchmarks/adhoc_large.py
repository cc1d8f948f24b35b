#!/usr/bin/env python3
"""A large ad-hoc query through relgraph beside bare pyoxigraph: the cost of relgraph's check.

The query is the one of issue 12: a SELECT whose ``FILTER`` holds an ``IN`` list of
``--values`` literals (10,000 by default, about 79 KB of text), matched against every
``rdfs:label`` of the graph. A few of the values are labels the graph has (taken from the store,
spread over the list), so the answer has rows and every target's row count is compared. The
query runs on two graphs: the shipped graph (relgraph's cached store of the repository's root)
and a synthetic graph from ``generate.py`` (``--synthetic`` triples, loaded with ``relgraph
load --store``). On each, side by side, each figure the median of ``--repeat`` runs:

- **relgraph sparql**: ``relgraph sparql --format csv --timeout 0 FILE`` (``--store S`` for the
  synthetic graph), a whole process: start-up, the check (:func:`relgraph.query.adhoc.check`: a
  lexical scan and a parse by Oxigraph on an empty store), the worker process, the query, CSV;
  against **pyoxigraph, cold**: a process that imports pyoxigraph, opens the same store
  read-only, runs the same text and writes CSV.
- **serve /sparql**: ``POST /sparql`` with the text as ``application/sparql-query`` and
  ``Accept: text/csv`` to a running ``relgraph serve --workers 1`` (after one warm-up request,
  so the worker has opened the store), timed from sending to having read the whole answer;
  against **pyoxigraph, warm**: the same text run a second time on a store open in a process
  (query and CSV), which is what the server's worker does besides the check.
- **the check alone** (:func:`relgraph.query.adhoc.check`, in that warm process) against the same
  warm query: the check's share, which must stay below the query's own cost.

The figures are measured in rounds, each measuring every target once (so load from elsewhere on
the machine slows relgraph and its reference alike), and each figure is the median of its rounds.
- **rdflib's parser alone** (``parseQuery``, what relgraph's check ran before), one run in its
  own process, for the record.

The target is a ratio of at most 2 for ``relgraph sparql`` and ``serve /sparql`` (the table
says met or missed). Usage::

    python benchmarks/adhoc_large.py                       # shipped graph and 100k triples
    python benchmarks/adhoc_large.py --synthetic 10k --repeat 5

Needs the ``bench`` extra (psutil) and httpx. Exit codes: 0 when the benchmark ran (targets met
or not: the table says), 2 on bad arguments or a failed command.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = 1
TARGET_RATIO = 2.0
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ANNOUNCE = re.compile(r"relgraph serve: http://(?P<host>[^\s/]+):(?P<port>\d+)/sparql")


def _run_module():
    """``benchmarks/run.py`` (its process measuring and table helpers), imported by path."""
    spec = importlib.util.spec_from_file_location("relgraph_bench_run", HERE / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["relgraph_bench_run"] = module
    spec.loader.exec_module(module)
    return module


bench = _run_module()

PROBE_BARE_COLD = """
import sys, pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
sys.stdout.buffer.write(store.query(text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.CSV))
"""

PROBE_WARM = """
import json, sys, time
import pyoxigraph as ox
from relgraph.query.adhoc import check
store = ox.Store.read_only(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
repeat = int(sys.argv[3])
query, checking, rows = [], [], None
for _ in range(repeat):
    started = time.perf_counter()
    data = store.query(text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.CSV)
    query.append(time.perf_counter() - started)
    rows = data.count(b"\\n") - 1
    started = time.perf_counter()
    check(text)
    checking.append(time.perf_counter() - started)
print(json.dumps({"query": query, "check": checking, "rows": rows}))
"""

PROBE_RDFLIB_PARSE = """
import json, sys, threading, time
from rdflib.plugins.sparql.parser import parseQuery
text = open(sys.argv[1], encoding="utf-8").read()
found = {}
def work():
    sys.setrecursionlimit(200_000)
    started = time.perf_counter()
    parseQuery(text)
    found["seconds"] = time.perf_counter() - started
threading.stack_size(512 * 1024 * 1024)  # as relgraph's former check ran it
thread = threading.Thread(target=work)
thread.start()
thread.join()
print(json.dumps(found))
"""


def in_query(values: int, labels: list[str]) -> str:
    """The issue's query: ``rdfs:label`` values in an ``IN`` list of *values* literals.

    Args:
        values: How many literals the list holds (≥ 1).
        labels: Labels of the graph in N-Triples syntax (``"Russia"@en``), spread over the list
            so that the answer has rows; at most *values* of them are used.

    Returns:
        The SPARQL text; the other literals are ``"l0"``, ``"l1"``, … (no label of the graph).
    """
    items = [f'"l{i}"' for i in range(values)]
    chosen = labels[:values]
    for n, label in enumerate(chosen):
        items[(n * values) // max(len(chosen), 1)] = label
    return f"SELECT ?s ?label WHERE {{ ?s <{RDFS_LABEL}> ?label FILTER (?label IN ({','.join(items)})) }}"


def csv_rows(data: bytes) -> int:
    """The number of solutions in a SPARQL CSV answer (lines after the header)."""
    return max(data.count(b"\n") - 1, 0)


def verdict(ratio: float | None) -> str:
    """``met`` when *ratio* is at most :data:`TARGET_RATIO`, ``missed`` above, ``""`` without one."""
    if ratio is None:
        return ""
    return "met" if ratio <= TARGET_RATIO else "missed"


@dataclass
class Row:
    """One line of the table: relgraph's figure, the reference's, and what they are."""

    what: str
    mine: float | None
    reference_name: str
    reference: float | None
    note: str = ""
    target: bool = False

    @property
    def ratio(self) -> float | None:
        return self.mine / self.reference if self.mine and self.reference else None


@dataclass
class Graph:
    """One graph measured: its name, triples, Oxigraph folder (inside the relgraph store) and
    the rows measured on it."""

    label: str
    triples: int
    store: Path
    rows: list[Row] = field(default_factory=list)


class Benchmark:
    """The benchmark; see the module docstring."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work: Path = args.work
        self.work.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if k not in ("RELGRAPH_ROOT", "RELGRAPH_STORE")}
        self.env["RELGRAPH_CACHE_DIR"] = str(self.work / "cache")
        self.env["PYTHONWARNINGS"] = "ignore"
        script = Path(sys.executable).with_name("relgraph")
        self.relgraph = [str(script)] if script.exists() else [sys.executable, "-m", "relgraph"]

    def log(self, message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def checked(self, command: list[str], what: str) -> bench.Run:
        run = bench.measure(command, env=self.env, timeout=self.args.timeout)
        if run.timed_out or run.code != 0:
            raise SystemExit(f"adhoc_large.py: {what} failed ({'timed out' if run.timed_out else run.code}): {run.stderr.strip()[-400:]}")
        return run

    # -- graphs

    def shipped(self) -> Graph:
        self.log("shipped graph: building the cached store")
        self.checked([*self.relgraph, "--root", str(REPO), "sparql", "ASK {}"], "relgraph sparql (warming the cache)")
        os.environ["RELGRAPH_CACHE_DIR"] = self.env["RELGRAPH_CACHE_DIR"]
        from relgraph.paths import Layout
        from relgraph.graph.store import cached_store_folder

        store, folder = cached_store_folder(Layout(REPO))
        triples = len(store)
        del store
        return Graph("shipped graph", triples, folder / bench.DATA_DIR)

    def synthetic(self, target: int) -> Graph:
        data = self.work / f"world-{target}-seed{SEED}.ttl"
        manifest = data.with_name(data.name + ".params.json")
        if not (data.exists() and manifest.exists()):
            self.log(f"generating {target:,} triples")
            self.checked([sys.executable, str(HERE / "generate.py"), "--triples", str(target), "--seed", str(SEED), "--out", str(data)], "generate.py")
        store = self.work / f"store-{target}"
        self.log(f"loading {data.name}")
        self.checked([*self.relgraph, "--root", str(REPO), "load", str(data), "--store", str(store), "--replace"], "relgraph load")
        triples = json.loads(manifest.read_text(encoding="utf-8"))["triples"]
        return Graph(f"synthetic {bench_label(target)}", triples, store / bench.DATA_DIR)

    # -- measuring

    def measure(self, graph: Graph) -> None:
        import pyoxigraph as ox

        args = self.args
        store = ox.Store.read_only(str(graph.store))
        found = store.query(f"SELECT DISTINCT ?label WHERE {{ ?s <{RDFS_LABEL}> ?label }} ORDER BY STR(?label) LIMIT {args.real_labels}", use_default_graph_as_union=True)
        labels = [str(solution["label"]) for solution in found]
        del store
        text = in_query(args.values, labels)
        path = self.work / f"in-query-{re.sub(r'[^a-z0-9]+', '-', graph.label)}.rq"
        path.write_text(text, encoding="utf-8")
        self.log(f"{graph.label}: the query is {len(text.encode()):,} bytes with {args.values:,} values")

        # one round measures every target once, and the rounds repeat: whatever else runs on the
        # machine then slows relgraph and its reference alike
        sparql = [*self.relgraph, *self.sparql_args(graph), "--format", "csv", "--timeout", "0", str(path)]
        bare_cold = [sys.executable, "-c", PROBE_BARE_COLD, str(graph.store), str(path)]
        figures: dict[str, list[float]] = {"sparql": [], "bare": [], "served": [], "warm": [], "check": []}
        notes: list[str] = []
        rows = None
        with self.server(graph, len(text.encode())) as server:
            for round_ in range(1, args.repeat + 1):
                self.log(f"{graph.label}: round {round_} of {args.repeat}")
                warm = json.loads(self.checked([sys.executable, "-c", PROBE_WARM, str(graph.store), str(path), "2"], "the warm probe").stdout)
                rows = warm["rows"] if rows is None else rows
                figures["warm"].append(warm["query"][-1])
                figures["check"].append(warm["check"][-1])
                for name, command in (("sparql", sparql), ("bare", bare_cold)):
                    run = bench.measure(command, env=self.env, timeout=args.timeout)
                    if run.timed_out or run.code != 0 or csv_rows(run.stdout) != rows:
                        notes.append(f"{name}: {'killed' if run.timed_out else run.code}, {csv_rows(run.stdout)} rows: {run.stderr.strip()[-80:]}")
                    else:
                        figures[name].append(run.seconds)
                served, note = server(text, rows)
                if served is None:
                    notes.append(f"serve: {note}")
                else:
                    figures["served"].append(served)

        def median(name: str) -> float | None:
            return statistics.median(figures[name]) if len(figures[name]) == args.repeat else None

        note = "; ".join(notes) or f"{rows} rows each"
        graph.rows.append(Row("relgraph sparql (cold process)", median("sparql"), "pyoxigraph (cold process)", median("bare"), note, True))
        graph.rows.append(Row("serve /sparql (warm server)", median("served"), "pyoxigraph (warm)", median("warm"), note, True))
        graph.rows.append(Row("the check alone (relgraph.query.adhoc.check, warm)", median("check"), "pyoxigraph (warm)", median("warm"), "its share of the query's cost"))
        if args.rdflib:
            self.log(f"{graph.label}: rdflib's parser alone")
            parsed = bench.measure([sys.executable, "-c", PROBE_RDFLIB_PARSE, str(path)], env=self.env, timeout=args.timeout)
            seconds = json.loads(parsed.stdout).get("seconds") if parsed.code == 0 and not parsed.timed_out else None
            graph.rows.append(Row("rdflib parseQuery alone (the former check)", seconds, "pyoxigraph (warm)", median("warm"), "one run" if seconds else "failed or killed"))

    def sparql_args(self, graph: Graph) -> list[str]:
        if graph.label == "shipped graph":
            return ["--root", str(REPO), "sparql"]
        return ["--root", str(REPO), "sparql", "--store", str(graph.store.parent)]

    @contextlib.contextmanager
    def server(self, graph: Graph, query_bytes: int):
        """Run ``relgraph serve --workers 1`` for the graph; yield a function that POSTs a query
        and returns (seconds, "") or (None, why). The server's process group is stopped after."""
        import httpx

        command = [*self.relgraph, "--root", str(REPO), "serve", "--port", "0", "--workers", "1", "--timeout", str(min(self.args.timeout, 3600)), "--max-request-bytes", str(query_bytes + 65536)]
        if graph.label != "shipped graph":
            command += ["--store", str(graph.store.parent)]
        log = self.work / "serve.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(command, env=self.env, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
        headers = {"Content-Type": "application/sparql-query", "Accept": "text/csv"}
        client = httpx.Client(timeout=self.args.timeout, trust_env=False)
        try:
            url = None
            deadline = time.monotonic() + 120
            while url is None:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"adhoc_large.py: relgraph serve did not start: {log.read_text(encoding='utf-8', errors='replace')[-400:]}")
                found = ANNOUNCE.search(log.read_text(encoding="utf-8", errors="replace"))
                url = f"http://{found['host']}:{found['port']}/sparql" if found else None
                time.sleep(0.05)
            deadline = time.monotonic() + 60
            while True:  # answered once the worker is up, with the store open
                with contextlib.suppress(httpx.HTTPError):
                    if client.post(url, content="ASK { ?s ?p ?o }", headers=headers | {"Accept": "application/sparql-results+json"}).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise SystemExit("adhoc_large.py: relgraph serve answered no warm-up query")
                time.sleep(0.1)

            def ask(text: str, rows: int) -> tuple[float | None, str]:
                started = time.perf_counter()
                try:
                    response = client.post(url, content=text.encode("utf-8"), headers=headers)
                    body = response.content
                except httpx.HTTPError as exc:
                    return None, f"{type(exc).__name__}: {exc}"
                elapsed = time.perf_counter() - started
                if response.status_code != 200 or csv_rows(body) != rows:
                    return None, f"HTTP {response.status_code}, {csv_rows(body)} rows: {response.text[:80]}"
                return elapsed, ""

            yield ask
        finally:
            client.close()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def bench_label(target: int) -> str:
    """``10k``, ``100k``, ``1M`` for round sizes, else the number."""
    for unit, size in (("M", 1_000_000), ("k", 1_000)):
        if target % size == 0:
            return f"{target // size}{unit}"
    return str(target)


def table(graph: Graph):
    """One graph's table (a ``rich.table.Table``)."""
    from rich.table import Table

    result = Table(title=f"{graph.label}: {graph.triples:,} triples", title_justify="left")
    for name, justify in (("measurement", "left"), ("relgraph", "right"), ("reference", "left"), ("reference time", "right"), ("relgraph / reference", "right"), (f"target ≤ {TARGET_RATIO:g}×", "left"), ("note", "left")):
        result.add_column(name, justify=justify)
    for row in graph.rows:
        ratio = row.ratio
        result.add_row(
            row.what,
            bench._seconds(row.mine) if row.mine is not None else "-",
            row.reference_name,
            bench._seconds(row.reference) if row.reference is not None else "-",
            f"{ratio:.2f}" if ratio is not None else "",
            verdict(ratio) if row.target else "",
            row.note,
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--values", type=int, default=10_000, help="literals in the IN list (default 10,000, the issue's query)")
    parser.add_argument("--real-labels", type=int, default=10, help="labels of the graph among them, so the answer has rows (default 10)")
    parser.add_argument("--synthetic", default="100k", help="triples of the synthetic graph from generate.py (default 100k; 'none' to leave it out)")
    parser.add_argument("--no-shipped", action="store_true", help="leave out the shipped graph")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure, the median reported (default 3)")
    parser.add_argument("--no-rdflib", dest="rdflib", action="store_false", help="leave out the run of rdflib's parser")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "relgraph-bench-adhoc", help="folder for data, stores and caches")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a measured process is killed (default 600)")
    parser.add_argument("--record", type=Path, help="also write the tables, the machine and the command to this file")
    args = parser.parse_args(argv)
    if args.values < 1 or args.repeat < 1 or args.real_labels < 0:
        parser.error("--values and --repeat must be at least 1, --real-labels at least 0")
    synthetic = None
    if args.synthetic != "none":
        try:
            synthetic = bench.parse_size(args.synthetic)
        except argparse.ArgumentTypeError as exc:
            parser.error(str(exc))
    try:
        import httpx  # noqa: F401
        import psutil  # noqa: F401
    except ImportError as exc:
        print(f"adhoc_large.py: {exc.name} is missing: pip install '.[bench]'", file=sys.stderr)
        return 2
    started = time.perf_counter()
    runner = Benchmark(args)
    graphs = []
    if not args.no_shipped:
        graphs.append(runner.shipped())
    if synthetic is not None:
        graphs.append(runner.synthetic(synthetic))
    for graph in graphs:
        runner.measure(graph)
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(f"relgraph: a {args.values:,}-value IN query, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, median of {args.repeat}")
    console.print(bench.machine())
    for graph in graphs:
        console.print(table(graph))
    console.print(f"total {time.perf_counter() - started:.0f} s")
    if args.record:
        command = "python benchmarks/adhoc_large.py " + " ".join(argv if argv is not None else sys.argv[1:])
        bench._atomic_write(args.record, f"Recorded by `{command}`.\n\n```text\n{console.export_text()}```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
