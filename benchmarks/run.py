#!/usr/bin/env python3
"""Run relgraph's benchmark suite: relgraph side by side with bare pyoxigraph and rdflib.

For each size, a graph from ``generate.py`` (cached in the work folder) is measured as follows,
every figure a wall-clock time of its own process (``cold``) or of the operation inside a warm
process (``warm``), the median of ``--repeat`` runs, with the peak resident memory of the
process and its children (the sampled sum of their resident memory, or the largest
high-water mark of one of them, whichever is larger):

- **load**: ``relgraph load DATA --store S`` (parse, index, derive); pyoxigraph's
  ``Store.bulk_load`` of the same Turtle; rdflib's in-memory ``Graph.parse``.
- **query NAME** for every stored query, with the generator's parameters and as-of date:
  ``relgraph query`` as a cold CLI process, and warm (bind, run, write TSV) in one process;
  bare pyoxigraph running the same bound SPARQL text on the same store, cold (a process that
  imports pyoxigraph, opens the store read-only, runs the query and writes TSV) and warm;
  rdflib's SPARQL engine warm, on a ``Dataset`` holding the same quads (the store's union
  graph: ontology, facts and derived triples).
- **validate**: ``relgraph validate --store S`` (parts in parallel processes, SPARQL-based
  constraints on Oxigraph) against pySHACL on the whole graph (``relgraph validate
  --standalone DATA``, the reference verdicts) and pyrudof; the verdicts (result keys) are
  compared with pySHACL's wherever it ran.
- **validate --changed-since** after adding a few facts to a git copy of the root holding the
  graph: the first run (which rebuilds the content-keyed cache) and a second one.
- **export FORMAT** for every export format: ``relgraph export --store S``; pyoxigraph's
  serializers over the same quads; rdflib's ``serialize`` (warm, after its load).
- **main job**: ``relgraph query shared-memberships --param a=RU --param b=TJ`` on the shipped
  graph with a warm cache, against its floor: a bare process that imports pyoxigraph, opens
  the same cached store read-only and runs the same SPARQL; then (with the ``queries`` part)
  every stored query with its example parameters on the shipped graph, the world layer
  included, cold and warm beside bare pyoxigraph and rdflib, as for the synthetic sizes
  (``--sizes ''`` measures the shipped graph alone).

Ratios are relgraph's time over the reference's (below 1: relgraph is faster). After the
per-size tables, a table gives the growth exponent of each measurement from size to size
(``log(t2/t1) / log(n2/n1)`` over the real triple counts; 1 is linear).

A reference engine is not run where it cannot finish on the machine: rdflib above
``--rdflib-max`` triples (its in-memory graph needs about 1.1 GB per million triples and its
engine minutes per query), pySHACL above ``--pyshacl-max`` (hours at 1M on relgraph's shapes),
pyrudof above ``--pyrudof-max`` (about 10 GB at 1M), and validation as a whole above
``--validate-max``; those cells say "not run" and why. A process that exceeds ``--timeout``
(one rdflib query or export: ``--rdflib-query-timeout``; rdflib cannot cancel a query, so each
runs in a forked copy of the loaded process) is killed and reported as such. Exports and cold
queries are whole processes for relgraph and pyoxigraph; rdflib's figures are warm (its load
is paid once and shown in the load row) and from one run each, in a fresh fork.

Usage::

    python benchmarks/run.py --sizes 10k,100k            # in CI-sized time
    python benchmarks/run.py --sizes 10k,100k,1M,10M --record BENCHMARKS.md

Needs the ``bench`` extra (psutil, pyrudof): ``pip install '.[bench]'``. Exit codes: 0 when
the suite ran (targets met or not: the table says), 2 on bad arguments or a failed
relgraph command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
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
EXPORT_FORMATS = ("turtle", "nt", "json-ld", "trig", "nquads")
NOT_RUN = "not run"
PARTS = ("load", "queries", "exports", "validate", "changed-since")
_LEFT_OUT = ("https://w3id.org/relgraph/graph/derived", "https://w3id.org/relgraph/graph/inferred")
DATA_DIR = "oxigraph"  # the Oxigraph folder inside a relgraph store (relgraph.graph.store.DATA_DIR)


# ------------------------------------------------------------------------------- measuring


@dataclass
class Run:
    """One measured process: wall seconds, peak resident bytes (process and children), exit
    code, standard output (bytes) and error (text); ``timed_out`` if it hit the limit."""

    seconds: float
    peak: int
    code: int
    stdout: bytes
    stderr: str
    timed_out: bool = False


def measure(command: list[str], *, env: dict[str, str], timeout: float, cwd: Path | None = None, stdout_to: Path | None = None) -> Run:
    """Run a command, sampling the resident memory of its process tree.

    The main thread blocks in ``wait4`` (so the time is not rounded up to a polling interval);
    a second thread samples the tree's memory every 10 ms, reads standard output and kills the
    tree at the time limit. The peak is the largest of the sampled sums of resident memory
    and of each process's own high-water mark (VmHWM), so a short process's peak is not missed
    between samples.

    Args:
        command: The argument vector.
        env: The environment.
        timeout: Seconds before the process tree is killed.
        cwd: The working folder.
        stdout_to: Write standard output to this file instead of keeping it.

    Returns:
        The measurement.
    """
    import threading

    import psutil

    sink = open(stdout_to, "wb") if stdout_to else subprocess.PIPE  # noqa: SIM115
    errors = tempfile.TemporaryFile()
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=sink, stderr=errors)
    state = {"peak": 0, "timed_out": False, "done": False}
    chunks: list[bytes] = []

    def read() -> None:
        if process.stdout is not None:
            for chunk in iter(lambda: process.stdout.read(1 << 20), b""):
                chunks.append(chunk)

    def watch() -> None:
        try:
            watched = psutil.Process(process.pid)
        except psutil.Error:
            return
        while not state["done"]:
            try:
                tree = [watched, *watched.children(recursive=True)]
                state["peak"] = max(state["peak"], sum(p.memory_info().rss for p in tree), *(_high_water(p.pid) for p in tree))
            except psutil.Error:
                pass
            if time.perf_counter() - started > timeout:
                state["timed_out"] = True
                for p in [*watched.children(recursive=True), watched]:
                    try:
                        p.kill()
                    except psutil.Error:
                        pass
                return
            time.sleep(0.01)

    reader = threading.Thread(target=read, daemon=True)
    watcher = threading.Thread(target=watch, daemon=True)
    reader.start()
    watcher.start()
    try:
        # wait4, not Popen.wait(): the exit status comes with the child's resource usage
        _, status, _usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keep Popen from waiting
        state["done"] = True
        reader.join()
        watcher.join()
        if process.stdout is not None:
            process.stdout.close()
    finally:
        if sink is not subprocess.PIPE:
            sink.close()
    errors.seek(0)
    # not wait4's ru_maxrss: it keeps the parent's peak across fork and exec
    return Run(seconds, state["peak"], process.returncode, b"".join(chunks), errors.read().decode("utf-8", "replace"), state["timed_out"])


def _high_water(pid: int) -> int:
    """The peak resident bytes of a live process since it started its program (VmHWM)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class Cell:
    """A figure: median seconds (or ``None``) with its peak bytes, or why there is none."""

    seconds: float | None = None
    peak: int | None = None
    note: str = ""
    samples: list[float] = field(default_factory=list)

    def text(self) -> str:
        if self.seconds is None:
            return self.note or "-"
        return _seconds(self.seconds)

    def to_json(self) -> dict:
        return {"seconds": self.seconds, "peak_bytes": self.peak, "note": self.note, "samples": self.samples}


def _seconds(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def _megabytes(value: int | None) -> str:
    return "" if value is None else f"{value / 1e6:,.0f} MB"


def repeated(command: list[str], *, env: dict[str, str], timeout: float, repeat: int, cwd: Path | None = None, check=None) -> Cell:
    """Median of ``repeat`` runs of a command (peak: the largest); a failure or time-out ends
    the series and is the cell's note."""
    runs: list[Run] = []
    for _ in range(repeat):
        run = measure(command, env=env, timeout=timeout, cwd=cwd)
        if run.timed_out:
            return Cell(note=f"> {timeout:.0f} s (killed)")
        if run.code != 0 or (check is not None and not check(run)):
            last = (run.stderr.strip().splitlines() or ["no message"])[-1]
            return Cell(note=f"failed ({run.code}): {last[:80]}")
        runs.append(run)
    times = [r.seconds for r in runs]
    return Cell(statistics.median(times), max(r.peak for r in runs), samples=times)


# ------------------------------------------------------------------------------- probes
# Small programs run as their own processes, so that each engine is measured alone.

PROBE_BARE_LOAD = """
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[1])
store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.TURTLE)
store.flush()
print(len(store))
"""

PROBE_RDFLIB_LOAD = """
import sys, rdflib
graph = rdflib.Graph()
graph.parse(sys.argv[1], format="turtle")
print(len(graph))
"""

PROBE_BARE_QUERY = """
import sys, pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
result = store.query(text, use_default_graph_as_union=True)
if isinstance(result, ox.QueryTriples):
    sys.stdout.buffer.write(result.serialize(format=ox.RdfFormat.N_TRIPLES))
else:
    sys.stdout.buffer.write(result.serialize(format=ox.QueryResultsFormat.TSV))
"""

PROBE_BARE_EXPORT = """
import sys, pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
fmt = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD,
       "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}[sys.argv[2]]
left_out = set(sys.argv[4:])  # the graphs relgraph never exports (derived, inferred)
quads = (q for q in store if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in left_out))
with open(sys.argv[3], "wb") as out:
    if fmt.supports_datasets:
        ox.serialize(quads, out, fmt)
    else:
        ox.serialize((q.triple for q in quads), out, fmt)
"""

PROBE_WARM = """
import json, statistics, sys, time
import pyoxigraph as ox
from relgraph.query.catalogue import load_catalogue
from relgraph.paths import Layout
from relgraph.query.binding import run
from relgraph.query.results import serialize_solutions
from relgraph.publish.serialize import serialize_triples
import datetime as dt

store = ox.Store.read_only(sys.argv[1])
layout = Layout(__import__("pathlib").Path(sys.argv[2]))
jobs = json.loads(open(sys.argv[3], encoding="utf-8").read())
repeat = int(sys.argv[4])
catalogue = load_catalogue(layout.query_files())
found = {}
for name, job in jobs.items():
    query = catalogue[name]
    as_of = dt.date.fromisoformat(job["as_of"]) if job.get("as_of") else None
    mine, bare = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run(store, query, job["params"], as_of)
        if isinstance(result, ox.QueryTriples):
            serialize_triples(list(result), "nt")
        else:
            serialize_solutions(result, "tsv")
        mine.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = store.query(job["text"], use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            result.serialize(format=ox.RdfFormat.N_TRIPLES)
        else:
            result.serialize(format=ox.QueryResultsFormat.TSV)
        bare.append(time.perf_counter() - started)
    found[name] = {"relgraph": mine, "pyoxigraph": bare}
print(json.dumps(found))
"""

PROBE_RDFLIB = """
import io, json, sys, time, warnings
warnings.simplefilter("ignore")  # rdflib's engine warns about its own deprecated calls per match
import rdflib
started = time.perf_counter()
dataset = rdflib.Dataset(default_union=True)
dataset.parse(sys.argv[1], format="nquads")
print(json.dumps({"what": "load", "seconds": time.perf_counter() - started}), flush=True)
dataset.query("ASK { ?s ?p ?o }").askAnswer  # build rdflib's SPARQL parser once, before the forks
jobs = json.loads(open(sys.argv[2], encoding="utf-8").read())
limit = float(sys.argv[3])
import os, signal

def timed(what, work):
    # rdflib cannot cancel a query: each runs in a forked copy of this process, killed at the limit
    child = os.fork()
    if child == 0:
        signal.alarm(int(limit) + 1)
        started = time.perf_counter()
        work()
        print(json.dumps({"what": what, "seconds": time.perf_counter() - started}), flush=True)
        os._exit(0)
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        pid, status = os.waitpid(child, os.WNOHANG)
        if pid:
            if status:
                print(json.dumps({"what": what, "failed": os.waitstatus_to_exitcode(status)}), flush=True)
            return
        time.sleep(0.01)
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    print(json.dumps({"what": what, "killed": limit}), flush=True)

for name, job in jobs.items():
    timed("query " + name, lambda: dataset.query(job["text"]).serialize(destination=io.BytesIO(), format="nt" if job["format"] == "nt" else "csv"))
merged = rdflib.Graph()
for triple in dataset.triples((None, None, None)):
    merged.add(triple)
for fmt in ("turtle", "nt", "json-ld", "trig", "nquads"):
    timed("export " + fmt, lambda: (dataset if fmt in ("trig", "nquads") else merged).serialize(destination=io.BytesIO(), format=fmt))
"""

PROBE_PYRUDOF = """
import sys, time, pyrudof
rudof = pyrudof.Rudof(pyrudof.RudofConfig())
rudof.read_data(sys.argv[1])
for extra in sys.argv[3:]:
    rudof.read_data(extra, merge=True)
rudof.read_shacl(sys.argv[2])
report = rudof.validate_shacl()
print(len(report.violations), report.conforms)
"""


# ------------------------------------------------------------------------------- the suite


@dataclass
class Size:
    """The measurements of one size: label, real triple count, rows of cells, target size."""

    label: str
    triples: int
    rows: dict[str, dict[str, Cell]] = field(default_factory=dict)
    target: int = 0  # the size asked for: what the --*-max limits compare (the real count differs by a few triples)

    def put(self, what: str, column: str, cell: Cell) -> None:
        self.rows.setdefault(what, {})[column] = cell


class Suite:
    """The benchmark runner; see the module docstring."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work: Path = args.work
        self.work.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "RELGRAPH_ROOT", "RELGRAPH_STORE")}
        self.env["RELGRAPH_CACHE_DIR"] = str(self.work / "cache")
        self.env["PYTHONWARNINGS"] = "ignore"
        script = Path(sys.executable).with_name("relgraph")
        self.relgraph = [str(script)] if script.exists() else [sys.executable, "-m", "relgraph"]
        self.python = sys.executable
        self.sizes: list[Size] = []

    # -- helpers

    def _relgraph(self, *args: str) -> list[str]:
        return [*self.relgraph, "--root", str(REPO), *args]

    def _probe(self, code: str, *args: str) -> list[str]:
        return [self.python, "-c", code, *args]

    def log(self, message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def _checked(self, command: list[str], what: str, timeout: float | None = None, env: dict[str, str] | None = None, **kwargs) -> Run:
        run = measure(command, env=env or self.env, timeout=timeout or self.args.timeout, **kwargs)
        if run.timed_out or run.code != 0:
            raise SystemExit(f"run.py: {what} failed ({'timed out' if run.timed_out else run.code}): {run.stderr.strip()[-400:]}")
        return run

    # -- data

    def data(self, target: int) -> tuple[Path, dict]:
        path = self.work / f"world-{target}-seed{SEED}.ttl"
        manifest = path.with_name(path.name + ".params.json")
        if not (path.exists() and manifest.exists()):
            self.log(f"generating {target:,} triples")
            self._checked([self.python, str(HERE / "generate.py"), "--triples", str(target), "--seed", str(SEED), "--out", str(path)], "generate.py")
        return path, json.loads(manifest.read_text(encoding="utf-8"))

    # -- one size

    def run_size(self, label: str, target: int) -> Size:
        args = self.args
        data, manifest = self.data(target)
        size = Size(label, manifest["triples"], target=target)
        self.sizes.append(size)
        repeat = args.repeat if size.target <= args.repeat_max else 1
        folder = self.work / f"size-{target}"
        folder.mkdir(exist_ok=True)
        store = folder / "relgraph-store"

        parts = set(args.parts)
        # load
        if "load" not in parts:
            if parts & {"queries", "exports", "validate"}:
                self._checked(self._relgraph("load", str(data), "--store", str(store), "--replace"), "relgraph load")
            self.optional_parts(size, data, store, folder, manifest, repeat, parts)
            return size
        self.log(f"{label}: load")
        runs = []
        for _ in range(repeat):
            runs.append(self._checked(self._relgraph("load", str(data), "--store", str(store), "--replace"), "relgraph load"))
        size.put("load", "relgraph", Cell(statistics.median(r.seconds for r in runs), max(r.peak for r in runs), samples=[r.seconds for r in runs]))
        bare_store = folder / "bare-store"

        def fresh_bare() -> None:
            shutil.rmtree(bare_store, ignore_errors=True)

        bare_runs = []
        for _ in range(repeat):
            fresh_bare()
            bare_runs.append(self._checked(self._probe(PROBE_BARE_LOAD, str(bare_store), str(data)), "pyoxigraph bulk load"))
        fresh_bare()
        size.put("load", "pyoxigraph", Cell(statistics.median(r.seconds for r in bare_runs), max(r.peak for r in bare_runs), samples=[r.seconds for r in bare_runs]))
        if size.target <= args.rdflib_max:
            size.put("load", "rdflib", repeated(self._probe(PROBE_RDFLIB_LOAD, str(data)), env=self.env, timeout=args.timeout, repeat=repeat))
        else:
            size.put("load", "rdflib", Cell(note=f"{NOT_RUN} (> {args.rdflib_max:,})"))
        self.optional_parts(size, data, store, folder, manifest, repeat, parts)
        return size

    def optional_parts(self, size: Size, data: Path, store: Path, folder: Path, manifest: dict, repeat: int, parts: set[str]) -> None:
        """The measurements after the load, as ``--parts`` chooses them."""
        args, label = self.args, size.label
        if "queries" in parts:
            self.queries(size, store, folder, manifest, repeat)
        if "exports" in parts:
            self.exports(size, store, folder, repeat)
        if "validate" in parts:
            if size.target <= args.validate_max:
                self.log(f"{label}: validation")
                self.validation(size, data, store)
            else:
                for engine in ("relgraph", "pySHACL", "pyrudof"):
                    size.put("validate", engine, Cell(note=f"{NOT_RUN} (> --validate-max {args.validate_max:,})"))
        if "changed-since" in parts:
            if size.target <= args.validate_max:
                self.log(f"{label}: validate --changed-since")
                self.changed_since(size, data, folder)
            else:
                size.put("validate --changed-since (first, rebuilds cache)", "relgraph", Cell(note=f"{NOT_RUN} (> --validate-max {args.validate_max:,})"))
        shutil.rmtree(store, ignore_errors=True)

    def queries(self, size: Size, store: Path, folder: Path, manifest: dict, repeat: int, *, shipped: bool = False) -> None:
        """Every stored query, cold and warm, beside bare pyoxigraph and rdflib.

        With *shipped*, *store* is the shipped graph's cached store, which ``relgraph query``
        opens itself (no ``--store``); ``--include-stale`` makes it print every row, as the
        bare engine does."""
        args, label = self.args, size.label
        jobs = self.bound_queries(store, manifest, folder)
        self.log(f"{label}: queries ({len(jobs)})")
        for name, job in jobs.items():
            command = ["query", name, "--include-stale", "--format", job["format"]] if shipped else ["query", name, "--store", str(store), "--format", job["format"]]
            for key, value in job["params"].items():
                command += ["--param", f"{key}={value}"]
            if job.get("as_of"):
                command += ["--as-of", job["as_of"]]
            size.put(f"query {name} (cold)", "relgraph", repeated(self._relgraph(*command), env=self.env, timeout=args.timeout, repeat=repeat))
            size.put(
                f"query {name} (cold)",
                "pyoxigraph",
                repeated(self._probe(PROBE_BARE_QUERY, str(store / DATA_DIR), job["file"]), env=self.env, timeout=args.timeout, repeat=repeat),
            )
        warm = self._checked(self._probe(PROBE_WARM, str(store / DATA_DIR), str(REPO), str(folder / "jobs.json"), str(max(repeat, 5))), "warm queries")
        for name, times in json.loads(warm.stdout).items():
            for engine, samples in times.items():
                size.put(f"query {name} (warm)", engine, Cell(statistics.median(samples), samples=samples))

        # rdflib: queries and exports, warm, from the store's quads
        if size.target <= args.rdflib_max:
            self.log(f"{label}: rdflib queries and exports")
            self.rdflib_side(size, store, folder)
        else:
            for name in jobs:
                size.put(f"query {name} (warm)", "rdflib", Cell(note=f"{NOT_RUN} (> {args.rdflib_max:,})"))
            for fmt in EXPORT_FORMATS:
                size.put(f"export {fmt}", "rdflib", Cell(note=f"{NOT_RUN} (> {args.rdflib_max:,})"))

    def exports(self, size: Size, store: Path, folder: Path, repeat: int) -> None:
        """Every export format, relgraph beside pyoxigraph's serializers."""
        args, label = self.args, size.label
        self.log(f"{label}: exports")
        for fmt in EXPORT_FORMATS:
            out = folder / f"export.{fmt}"
            size.put(f"export {fmt}", "relgraph", repeated(self._relgraph("export", "--store", str(store), "--format", fmt, "--output", str(out)), env=self.env, timeout=args.timeout, repeat=repeat))
            size.put(f"export {fmt}", "pyoxigraph", repeated(self._probe(PROBE_BARE_EXPORT, str(store / DATA_DIR), fmt, str(out), *_LEFT_OUT), env=self.env, timeout=args.timeout, repeat=repeat))
            out.unlink(missing_ok=True)

    def bound_queries(self, store: Path, manifest: dict, folder: Path) -> dict:
        """Bind every stored query the manifest names, with relgraph's own binder, into texts
        both engines run; writes ``jobs.json`` and one ``.rq`` per query."""
        import pyoxigraph as ox

        from relgraph.query.catalogue import load_catalogue
        from relgraph.paths import Layout
        from relgraph.query.binding import bind

        layout = Layout(REPO)
        catalogue = load_catalogue(layout.query_files())
        opened = ox.Store.read_only(str(store / DATA_DIR))
        jobs = {}
        for name, entry in sorted(manifest["queries"].items()):
            if name not in catalogue:
                continue
            as_of = dt.date.fromisoformat(entry["as_of"]) if entry.get("as_of") else None
            text = bind(opened, catalogue[name], entry["params"], as_of)
            path = folder / f"bound-{name}.rq"
            path.write_text(text, encoding="utf-8")
            form = "nt" if catalogue[name].form in ("CONSTRUCT", "DESCRIBE") else "tsv"
            jobs[name] = {"params": entry["params"], "as_of": entry.get("as_of"), "text": text, "file": str(path), "format": form}
        del opened
        (folder / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
        return jobs

    def rdflib_side(self, size: Size, store: Path, folder: Path) -> None:
        """rdflib's engine on the same quads (the store's graphs, derived triples included;
        the RDF 1.2 reifiers of written literal forms left out, as rdflib cannot hold them)."""
        import pyoxigraph as ox

        from relgraph.graph.loading import is_derivation_only

        dump = folder / "store.nq"
        opened = ox.Store.read_only(str(store / DATA_DIR))
        with dump.open("wb") as out:
            ox.serialize((q for q in opened if not is_derivation_only(q)), out, ox.RdfFormat.N_QUADS)
        del opened
        run = measure(self._probe(PROBE_RDFLIB, str(dump), str(folder / "jobs.json"), str(self.args.rdflib_query_timeout)), env=self.env, timeout=self.args.rdflib_timeout)
        seen = set()
        for line in run.stdout.decode().splitlines():
            record = json.loads(line)
            seen.add(record["what"])
            if record["what"] == "load":
                continue
            what = record["what"] + (" (warm)" if record["what"].startswith("query") else "")
            if "killed" in record:
                size.put(what, "rdflib", Cell(note=f"> {record['killed']:.0f} s (killed)"))
            elif "failed" in record:
                size.put(what, "rdflib", Cell(note=f"failed (exit code {record['failed']})"))
            else:
                size.put(what, "rdflib", Cell(record["seconds"], samples=[record["seconds"]]))
        jobs = json.loads((folder / "jobs.json").read_text(encoding="utf-8"))
        reason = f"> {self.args.rdflib_timeout:.0f} s (killed)" if run.timed_out else f"failed ({run.code})"
        for what in [f"query {n}" for n in jobs] + [f"export {f}" for f in EXPORT_FORMATS]:
            if what not in seen:
                size.put(what + (" (warm)" if what.startswith("query") else ""), "rdflib", Cell(note=reason))
        dump.unlink(missing_ok=True)

    def validation(self, size: Size, data: Path, store: Path) -> None:
        args = self.args
        mine = measure(self._relgraph("validate", "--store", str(store), "--format", "json", "--jobs", str(args.jobs)), env=self.env, timeout=args.timeout)
        verdict = _verdict(mine)
        size.put("validate", "relgraph", Cell(mine.seconds, mine.peak, note=verdict) if verdict.startswith(("conforms", "results")) else Cell(note=verdict))
        if size.target <= args.pyshacl_max:
            ref = measure(self._relgraph("validate", "--standalone", str(data), "--format", "json"), env=self.env, timeout=args.timeout)
            reference = _verdict(ref)
            same = "same verdicts" if _keys(ref) == _keys(mine) and _keys(ref) is not None else "verdicts DIFFER"
            cell = Cell(ref.seconds, ref.peak, note=f"{reference}; {same}") if reference.startswith(("conforms", "results")) else Cell(note=reference)
            size.put("validate", "pySHACL", cell)
        else:
            size.put("validate", "pySHACL", Cell(note=f"{NOT_RUN} (> {args.pyshacl_max:,}: hours)"))
        if size.target <= args.pyrudof_max:
            shapes = self.work / "shapes.ttl"
            shapes.write_text("\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "ontology" / "shapes").glob("*.ttl"))), encoding="utf-8")
            ontology = [str(p) for p in sorted((REPO / "ontology").glob("*.ttl"))]
            run = measure(self._probe(PROBE_PYRUDOF, str(data), str(shapes), *ontology), env=self.env, timeout=args.timeout)
            if run.timed_out:
                size.put("validate", "pyrudof", Cell(note=f"> {args.timeout:.0f} s (killed)"))
            elif run.code != 0:
                last = (run.stderr.strip().splitlines() or ["no message"])[-1]
                size.put("validate", "pyrudof", Cell(note=f"failed: {last[:80]}"))
            else:
                violations, conforms = run.stdout.decode().split()
                size.put("validate", "pyrudof", Cell(run.seconds, run.peak, note=f"{violations} results, conforms={conforms}"))
        else:
            size.put("validate", "pyrudof", Cell(note=f"{NOT_RUN} (> {args.pyrudof_max:,}: memory)"))

    def changed_since(self, size: Size, data: Path, folder: Path) -> None:
        """A git copy of the root with the data in graph/, then a new file adding a few facts."""
        root = folder / "root"
        shutil.rmtree(root, ignore_errors=True)
        for part in ("ontology", "queries"):
            shutil.copytree(REPO / part, root / part)
        (root / "graph").mkdir()
        shutil.copy(data, root / "graph" / "world.ttl")
        # a cache of its own, emptied: the first run after the change must really rebuild it
        env = dict(self.env, RELGRAPH_CACHE_DIR=str(folder / "cache-changed"))
        shutil.rmtree(folder / "cache-changed", ignore_errors=True)
        git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
        for step in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "world"]):
            subprocess.run([*git, *step], check=True, capture_output=True)
        # warm the cache of the committed state, as CI's cache of the base branch would be
        self._checked([*self.relgraph, "--root", str(root), "query", "memberships", "--param", "state=https://w3id.org/relgraph/id/synthetic/state-001"], "warming the cache", env=env)
        (root / "graph" / "zz-change.ttl").write_text(
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            "<https://w3id.org/relgraph/id/synthetic/state-001> rdfs:label \"Синтетическое государство 1\"@ru .\n"
            "<https://w3id.org/relgraph/id/synthetic/state-002> rdfs:label \"Синтетическое государство 2\"@ru .\n",
            encoding="utf-8",
        )
        command = [*self.relgraph, "--root", str(root), "validate", "--changed-since", "HEAD", "--format", "json"]
        first = measure(command, env=env, timeout=self.args.timeout)
        second = measure(command, env=env, timeout=self.args.timeout)
        size.put("validate --changed-since (first, rebuilds cache)", "relgraph", Cell(first.seconds, first.peak, note=_verdict(first)) if first.code in (0, 1) else Cell(note=_verdict(first)))
        size.put("validate --changed-since (again)", "relgraph", Cell(second.seconds, second.peak, note=_verdict(second)) if second.code in (0, 1) else Cell(note=_verdict(second)))
        shutil.rmtree(root, ignore_errors=True)

    # -- main job

    def main_job(self) -> Size:
        """The README's main job on the shipped graph against its floor."""
        import pyoxigraph as ox

        from relgraph.query.catalogue import load_catalogue
        from relgraph.paths import Layout
        from relgraph.query.binding import bind
        from relgraph.graph.store import cached_store_folder

        self.log("shipped graph: main job")
        size = Size("shipped graph", 0)
        command = [*self.relgraph, "query", "shared-memberships", "--param", "a=RU", "--param", "b=TJ"]
        self._checked(command, "warming the cache")
        os.environ["RELGRAPH_CACHE_DIR"] = self.env["RELGRAPH_CACHE_DIR"]
        layout = Layout(REPO)
        opened, folder = cached_store_folder(layout)
        size.triples = len(opened)
        query = load_catalogue(layout.query_files())["shared-memberships"]
        today = dt.date.today()
        text = bind(opened, query, {"a": "RU", "b": "TJ"}, today)
        del opened
        bound = self.work / "main-job.rq"
        bound.write_text(text, encoding="utf-8")
        repeat = max(self.args.repeat, 10)
        size.put("main job: table (the README's command)", "relgraph", repeated(command, env=self.env, timeout=60, repeat=repeat))
        size.put("main job: table (the README's command)", "pyoxigraph", repeated(self._probe(PROBE_BARE_QUERY, str(folder / DATA_DIR), str(bound)), env=self.env, timeout=60, repeat=repeat))
        size.put("main job: --format tsv", "relgraph", repeated([*command, "--format", "tsv", "--as-of", today.isoformat()], env=self.env, timeout=60, repeat=repeat))
        size.put("main job: --format tsv", "pyoxigraph", size.rows["main job: table (the README's command)"]["pyoxigraph"])
        size.put("python -c pass", "relgraph", repeated([self.python, "-c", "pass"], env=self.env, timeout=60, repeat=repeat))
        size.put("python -c 'import pyoxigraph'", "relgraph", repeated([self.python, "-c", "import pyoxigraph"], env=self.env, timeout=60, repeat=repeat))
        if "queries" in self.args.parts:
            # every stored query with its example parameters, on the shipped graph with the world layer
            catalogue = load_catalogue(layout.query_files())
            manifest = {"queries": {name: {"params": {p.name: p.example for p in q.parameters}, "as_of": today.isoformat() if q.time_aware else None} for name, q in catalogue.items()}}
            work = self.work / "shipped"
            work.mkdir(parents=True, exist_ok=True)
            self.queries(size, folder, work, manifest, self.args.repeat, shipped=True)
        self.sizes.append(size)
        return size


def _verdict(run: Run) -> str:
    if run.timed_out:
        return "killed (time limit)"
    if run.code not in (0, 1):
        last = (run.stderr.strip().splitlines() or ["no message"])[-1]
        return f"failed ({run.code}): {last[:80]}"
    try:
        report = json.loads(run.stdout)
    except ValueError:
        return "unreadable report"
    counts = report.get("counts", {})
    shown = ", ".join(f"{n} {k}s" for k, n in counts.items() if n)
    return "conforms" if report.get("conforms") and not shown else f"results: {shown or 'none'}"


def _keys(run: Run) -> list | None:
    try:
        report = json.loads(run.stdout)
    except ValueError:
        return None
    return sorted(
        tuple(str(r.get(k)) for k in ("focusNode", "resultPath", "value", "sourceConstraintComponent", "resultSeverity", "resultMessage", "sourceShape"))
        for r in report.get("results", [])
    )


# ------------------------------------------------------------------------------- printing

COLUMNS = ("relgraph", "pyoxigraph", "rdflib", "pySHACL", "pyrudof")


def size_table(size: Size):
    """One size's table (a ``rich.table.Table``)."""
    from rich.table import Table

    title = f"{size.label}: {size.triples:,} triples" if size.triples else size.label
    table = Table(title=title, title_justify="left")
    table.add_column("measurement")
    table.add_column("relgraph", justify="right")
    table.add_column("peak", justify="right")
    table.add_column("reference", justify="left")
    table.add_column("reference time", justify="right")
    table.add_column("peak", justify="right")
    table.add_column("relgraph / reference", justify="right")
    table.add_column("note")
    for what, cells in size.rows.items():
        mine = cells.get("relgraph", Cell(note="-"))
        references = [c for c in COLUMNS[1:] if c in cells] or [""]
        for i, name in enumerate(references):
            ref = cells.get(name, Cell())
            ratio = f"{mine.seconds / ref.seconds:.2f}" if mine.seconds and ref.seconds else ""
            notes = "; ".join(n for n in ((mine.note if i == 0 and mine.seconds else ""), (ref.note if ref.seconds else "")) if n)
            table.add_row(
                what if i == 0 else "",
                mine.text() if i == 0 else "",
                _megabytes(mine.peak) if i == 0 else "",
                name,
                ref.text() if name else "",
                _megabytes(ref.peak),
                ratio,
                notes,
            )
    return table


def growth_table(sizes: list[Size]):
    """Growth exponents from size to size (a ``rich.table.Table``)."""
    from rich.table import Table

    measured = [s for s in sizes if s.label != "shipped graph"]
    table = Table(title="growth exponent from size to size (1 = linear)", title_justify="left")
    table.add_column("measurement")
    table.add_column("engine")
    pairs = list(zip(measured, measured[1:]))
    for a, b in pairs:
        table.add_column(f"{a.label} → {b.label}", justify="right")
    for what in measured[0].rows if measured else []:
        for engine in COLUMNS:
            cells = [s.rows.get(what, {}).get(engine) for s in measured]
            if not any(c and c.seconds for c in cells):
                continue
            exponents = []
            for (a, b), (ca, cb) in zip(pairs, zip(cells, cells[1:])):
                if ca and cb and ca.seconds and cb.seconds and a.triples != b.triples:
                    exponents.append(f"{math.log(cb.seconds / ca.seconds) / math.log(b.triples / a.triples):.2f}")
                else:
                    exponents.append("")
            table.add_row(what, engine, *exponents)
    return table


def machine() -> str:
    """The machine and package versions, as BENCHMARKS.md records them."""
    from importlib.metadata import PackageNotFoundError, version

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        import psutil

        memory = f"{psutil.virtual_memory().total / 2**30:.0f} GiB"
    except ImportError:
        pass
    versions = []
    for package in ("relgraph", "pyoxigraph", "rdflib", "pyshacl", "pyrudof", "click", "rich"):
        try:
            versions.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    return (
        f"{platform.platform()}; {os.cpu_count()} CPUs ({cpu}); {memory} memory; "
        f"Python {platform.python_version()}; " + ", ".join(versions)
    )


def parse_size(text: str) -> int:
    """``10k`` → 10000, ``1M`` → 1000000, ``2500`` → 2500."""
    text = text.strip()
    factor = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    try:
        return int(float(text[:-1] if factor != 1 else text) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use 10k, 100k, 1M, 10M or a number)") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated target sizes (default 10k,100k; the issue's full run: 10k,100k,1M,10M)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement, the median reported (default 3)")
    parser.add_argument("--repeat-max", type=parse_size, default=parse_size("1M"), help="above this size, one run per measurement (default 1M)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "relgraph-bench", help="folder for data, stores and caches")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a measured process is killed (default 1800)")
    parser.add_argument("--rdflib-max", type=parse_size, default=parse_size("1M"), help="largest size rdflib runs at (default 1M)")
    parser.add_argument("--rdflib-timeout", type=float, default=7200, help="seconds for all of rdflib's queries and exports at one size (default 7200)")
    parser.add_argument("--rdflib-query-timeout", type=float, default=300, help="seconds for one rdflib query or export (default 300)")
    parser.add_argument("--pyshacl-max", type=parse_size, default=parse_size("100k"), help="largest size pySHACL runs at (default 100k)")
    parser.add_argument("--pyrudof-max", type=parse_size, default=parse_size("1M"), help="largest size pyrudof runs at (default 1M)")
    parser.add_argument("--validate-max", type=parse_size, default=parse_size("1M"), help="largest size validation runs at (default 1M)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for relgraph validate (default: CPUs)")
    parser.add_argument(
        "--parts",
        type=lambda text: [p.strip() for p in text.split(",") if p.strip()],
        default=list(PARTS),
        help=f"comma-separated measurements to run (default all: {','.join(PARTS)}); rdflib's queries and exports go with queries",
    )
    parser.add_argument("--no-main-job", action="store_true", help="leave out the main job on the shipped graph")
    parser.add_argument("--record", type=Path, help="also write the tables, the machine and the command to this Markdown file")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON")
    args = parser.parse_args(argv)
    try:
        targets = [(label.strip(), parse_size(label)) for label in args.sizes.split(",") if label.strip()]
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    if not targets and args.no_main_job:
        parser.error("--sizes names no size (--sizes '' measures only the shipped graph)")
    unknown = [p for p in args.parts if p not in PARTS]
    if unknown or not args.parts:
        parser.error(f"--parts: unknown {', '.join(unknown) or 'nothing'}; choose from {', '.join(PARTS)}")
    try:
        import psutil  # noqa: F401
        import rich  # noqa: F401
    except ImportError as exc:
        print(f"run.py: {exc.name} is missing: pip install '.[bench]'", file=sys.stderr)
        return 2

    suite = Suite(args)
    started = time.perf_counter()
    command = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    if not args.no_main_job:
        suite.main_job()
    for label, target in targets:
        suite.run_size(label, target)
        # what is measured so far is kept, should a later size fail or be stopped
        report(suite, args, command, time.perf_counter() - started, final=False)
    report(suite, args, command, time.perf_counter() - started, final=True)
    return 0


def report(suite: Suite, args: argparse.Namespace, command: str, seconds: float, *, final: bool) -> None:
    """Print the tables (when *final*) and write ``--json`` and ``--record`` (always)."""
    from rich.console import Console

    console = Console(width=200, record=True, file=sys.stdout if final else open(os.devnull, "w"))  # noqa: SIM115
    console.print(f"relgraph benchmarks, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, seed {SEED}, median of {args.repeat} (one run above {args.repeat_max:,} triples)")
    console.print(machine())
    for size in suite.sizes:
        console.print(size_table(size))
    if len([s for s in suite.sizes if s.label != "shipped graph"]) > 1:
        console.print(growth_table(suite.sizes))
    console.print(f"total {seconds:.0f} s" + ("" if final else " (so far)"))
    if args.json:
        payload = {"machine": machine(), "sizes": [{"label": s.label, "triples": s.triples, "rows": {w: {e: c.to_json() for e, c in cells.items()} for w, cells in s.rows.items()}} for s in suite.sizes]}
        _atomic_write(args.json, json.dumps(payload, indent=1))
    if args.record:
        _atomic_write(args.record, f"# relgraph benchmarks\n\nRecorded by `{command}`.\n\n```text\n{console.export_text()}```\n")


def _atomic_write(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    sys.exit(main())
