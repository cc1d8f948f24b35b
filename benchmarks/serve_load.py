#!/usr/bin/env python3
"""Load benchmark of ``relgraph serve``: a stored query under concurrent clients, beside bare Oxigraph.

Two servers are started on loopback, each on a free port, and stopped at the end (each in a
process group of its own, killed whole, so no worker outlives the run):

- ``relgraph serve --root ROOT --port 0 --workers N --timeout S`` on the root's graph;
- ``oxigraph serve --location TMP --bind 127.0.0.1:PORT --union-default-graph`` (the PyPI
  package ``oxigraph``, a Rust server), into which ``relgraph push --graph-store …/store``
  publishes the same graph: the same named graphs and quads relgraph queries.

The stored query is bound once, in this process, with relgraph's own binder
(``relgraph.query.binding.bind``: its parameters resolved, ``?asOf`` set to ``--as-of``), so the three
measured targets answer the same question from the same quads:

- **relgraph /queries/NAME**: the stored query as an HTTP resource,
  ``GET /queries/NAME?PARAM=VALUE&as-of=DAY&include-stale=true`` (the server binds it on every
  request, and gives every row, as the bound text gives them to the other two);
- **relgraph /sparql**: the bound SPARQL text, ``POST /sparql`` with ``query=`` as a form;
- **oxigraph /query**: the same text, ``POST /query`` with ``query=`` as a form.

Every request asks for ``application/sparql-results+json`` (N-Triples for a CONSTRUCT or
DESCRIBE query) and sends no ``If-None-Match``, so each one is answered in full (relgraph would
answer a revalidation with 304). Each target is measured alone, one after the other:
``--clients`` concurrent clients (asyncio tasks in this process, each with an
``httpx.AsyncClient`` of its own, so one keep-alive connection each) send one request after
another, first for ``--warmup`` seconds (not counted: connections opened, lazy imports done,
pages in cache), then until ``--duration`` seconds have passed or ``--max-requests`` requests
have been started, whichever comes first; a request started in time is waited for. A response
counts as answered only if its status is 200 and it has as many result rows (solutions,
triples, or the one ASK answer) as the target's first response, sent before the warm-up (or,
if that one failed, its first good one); anything else (another status, another row count, an
unreadable body, a client time-out after ``--request-timeout``, a refused connection) is a
failure, counted by kind and never as a success.

Figures per target: answered requests, failures, throughput (answered requests per second of
the measured wall time), latency percentiles (nearest rank, of answered requests, from sending
the request to having read the whole body), the server's CPU time per answered request (for
relgraph, the HTTP process and its query worker processes apart) and this client's own CPU use
(near 100 % means one core was busy sending requests, so throughput may be bounded by the
client rather than the server: on a small machine client and server share the cores). Ratios
are relgraph's figure over Oxigraph's: for throughput below 1 means relgraph answers fewer
requests per second; for latency above 1 means relgraph is slower.

Usage::

    python benchmarks/serve_load.py                                      # 8 clients, 10 s each
    python benchmarks/serve_load.py --clients 8 --duration 15 --json     # and JSON on stdout
    python benchmarks/serve_load.py --clients 2 --duration 2 --warmup 0.5  # seconds, for tests

Exit codes: 0 when every request was answered and the three targets gave the same number of
rows, 1 when some request failed or the row counts differ (the table says which), 2 on bad
arguments, a query that cannot be bound, a server that would not start or a failed push.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
ANNOUNCE = re.compile(r"relgraph serve: http://(?P<host>[^\s/]+):(?P<port>\d+)/sparql")
RELGRAPH_QUERIES, RELGRAPH_SPARQL, OXIGRAPH_QUERY = "relgraph /queries/{name}", "relgraph /sparql", "oxigraph /query"


class BenchError(Exception):
    """A server would not start or the query could not be bound (exit code 2)."""


# ------------------------------------------------------------------------------- servers


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (for servers that cannot take port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process in a process group of its own, its standard error in a file.

    Stopping it sends SIGTERM to the whole group, then SIGKILL to what is left after a few
    seconds, so worker processes go with it.
    """

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.command = command
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True)
        self.url = ""

    def output(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def failed(self, why: str) -> BenchError:
        tail = " | ".join(self.output().strip().splitlines()[-5:])
        return BenchError(f"{self.name}: {why}" + (f"; its output: {tail}" if tail else ""))

    def wait_for(self, ready, timeout: float) -> None:
        """Poll *ready()* until it is true; a server that exits or takes too long is an error."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise self.failed(f"exited with code {self.process.returncode} while starting")
            if ready():
                return
            time.sleep(0.05)
        raise self.failed(f"not listening after {timeout:.0f} s")

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds (user and system) used so far: the server's own process and its children."""
        import psutil

        try:
            main = psutil.Process(self.process.pid)
            own = sum(main.cpu_times()[:2])
            children = 0.0
            for child in main.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    children += sum(child.cpu_times()[:2])
        except psutil.Error:
            return {"server": math.nan, "workers": math.nan}
        return {"server": own, "workers": children}

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                pass
        # whatever is left of the group (workers of a server that did not wait for them)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self._log_file.close()


def _http_ok(url: str) -> bool:
    import httpx

    try:
        return httpx.get(url, timeout=1.0, trust_env=False).status_code < 500
    except httpx.HTTPError:
        return False


def start_relgraph(relgraph: list[str], root: Path, args: argparse.Namespace, env: dict[str, str], work: Path) -> Server:
    """``relgraph serve --port 0``, waiting for the line that says where it listens."""
    command = [*relgraph, "--root", str(root), "serve", "--port", "0", "--workers", str(args.workers), "--timeout", str(args.server_timeout)]
    server = Server("relgraph serve", command, env, work / "relgraph-serve.log")

    def announced() -> bool:
        found = ANNOUNCE.search(server.output())
        if found:
            server.url = f"http://{found['host']}:{found['port']}"
        return bool(found) and _http_ok(server.url + "/queries")

    server.wait_for(announced, args.start_timeout)
    return server


def start_oxigraph(oxigraph: str, relgraph: list[str], root: Path, args: argparse.Namespace, env: dict[str, str], work: Path) -> Server:
    """``oxigraph serve`` on a free port with an empty store, then ``relgraph push`` into it."""
    port = free_port()
    location = work / "oxigraph-store"
    command = [oxigraph, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    server = Server("oxigraph serve", command, env, work / "oxigraph-serve.log")
    server.url = f"http://127.0.0.1:{port}"
    server.wait_for(lambda: _http_ok(server.url + "/query?query=ASK%7B%7D"), args.start_timeout)
    push = subprocess.run(
        [*relgraph, "--root", str(root), "push", "--graph-store", server.url + "/store"],
        env=env,
        capture_output=True,
        text=True,
        timeout=args.start_timeout,
    )
    if push.returncode != 0:
        raise BenchError(f"relgraph push into oxigraph failed ({push.returncode}): {push.stderr.strip()[-400:]}")
    return server


# ------------------------------------------------------------------------------- the query


@dataclass
class Job:
    """The stored query to measure: its name, parameters, day, form and bound text."""

    name: str
    params: dict[str, str]
    as_of: dt.date | None
    form: str
    text: str

    @property
    def accept(self) -> str:
        return NTRIPLES if self.form in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON


def bind_job(root: Path, name: str, given: dict[str, str], as_of: dt.date | None) -> Job:
    """Bind the stored query *name* as ``relgraph serve`` would, with relgraph's own binder.

    Parameters not given take the example values of the query's header. The store comes from
    the same cache the server uses (``RELGRAPH_CACHE_DIR``), built here if missing.
    """
    from relgraph.query import binding as queries
    from relgraph.query.catalogue import load_one
    from relgraph.errors import RelgraphError
    from relgraph.paths import resolve_layout
    from relgraph.graph.store import query_store

    try:
        layout = resolve_layout(str(root))
        query = load_one(layout.query_files(), name, layout.display)
        params = {p.name: given.get(p.name, p.example) for p in query.parameters}
        unknown = sorted(set(given) - set(params))
        if unknown:
            raise BenchError(f"--param {unknown[0]}: the query {name!r} has no such parameter; its parameters: {', '.join(params) or 'none'}")
        day = (as_of or queries.today()) if query.time_aware else None
        store = query_store(layout)
        text = queries.bind(store, query, params, day)
        del store
    except RelgraphError as exc:
        raise BenchError(exc.message) from None
    return Job(name, params, day, query.form, text)


@dataclass
class Target:
    """One measured endpoint: how to send the request and which server answers it."""

    label: str
    server: Server
    method: str
    url: str
    form: dict[str, str] | None = None


def count_rows(body: bytes, accept: str) -> int:
    """Result rows of a body: solutions (or 1 for an ASK answer) in SPARQL JSON, lines of N-Triples.

    Raises:
        ValueError: The body is not what was asked for.
    """
    if accept == NTRIPLES:
        return sum(1 for line in body.splitlines() if line.strip() and not line.startswith(b"#"))
    document = json.loads(body)
    if "boolean" in document:
        return 1 if document["boolean"] else 0
    return len(document["results"]["bindings"])


# ------------------------------------------------------------------------------- the load


@dataclass
class Result:
    """What one target did under load (see the module docstring for each figure)."""

    label: str
    clients: int
    rows: int | None = None
    answered: int = 0
    failures: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    server_cpu: dict[str, float] = field(default_factory=dict)
    client_cpu: float = 0.0
    warmup_requests: int = 0
    note: str = ""

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    @property
    def throughput(self) -> float | None:
        return self.answered / self.seconds if self.seconds > 0 and self.answered else None

    def percentile(self, p: float) -> float | None:
        """The nearest-rank percentile *p* (0–100) of the answered requests' latencies."""
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    def cpu_per_request(self, part: str) -> float | None:
        value = self.server_cpu.get(part)
        return value / self.answered if self.answered and value is not None and not math.isnan(value) else None

    def to_json(self) -> dict:
        return {
            "target": self.label,
            "clients": self.clients,
            "rows": self.rows,
            "answered": self.answered,
            "failed": self.failed,
            "failures": dict(self.failures),
            "seconds": self.seconds,
            "requests_per_second": self.throughput,
            "latency_seconds": {"p50": self.percentile(50), "p90": self.percentile(90), "p99": self.percentile(99), "max": max(self.latencies, default=None), "mean": (sum(self.latencies) / len(self.latencies)) if self.latencies else None},
            "server_cpu_seconds": self.server_cpu,
            "server_cpu_seconds_per_request": {k: self.cpu_per_request(k) for k in self.server_cpu},
            "client_cpu_share": self.client_cpu,
            "warmup_requests": self.warmup_requests,
            "note": self.note,
        }


async def _one(client, target: Target) -> tuple[int | None, bytes, str]:
    """Send one request; returns (status, body, failure kind or '')."""
    import httpx

    try:
        if target.method == "GET":
            response = await client.get(target.url)
        else:
            response = await client.post(target.url, data=target.form)
    except httpx.TimeoutException:
        return None, b"", "client time-out"
    except httpx.HTTPError as exc:
        return None, b"", f"{type(exc).__name__}"
    return response.status_code, response.content, ""


def _check(status: int | None, body: bytes, kind: str, accept: str, expected: int | None) -> tuple[str, int | None]:
    """The failure kind of a response ('' if answered) and its row count."""
    if kind:
        return kind, None
    if status != 200:
        return f"HTTP {status}", None
    try:
        rows = count_rows(body, accept)
    except (ValueError, KeyError, TypeError):
        return "unreadable body", None
    if expected is not None and rows != expected:
        return f"{rows} rows, not {expected}", rows
    return "", rows


async def _phase(clients: list, target: Target, accept: str, seconds: float, max_requests: int | None, result: Result, measured: bool) -> None:
    """Each client sends one request after another to *target* for *seconds*, or until
    *max_requests* have been started in all; a request started in time is waited for."""
    deadline = time.perf_counter() + seconds
    started = 0

    async def client_loop(client) -> None:
        nonlocal started
        while time.perf_counter() < deadline and (max_requests is None or started < max_requests):
            started += 1
            begun = time.perf_counter()
            status, body, kind = await _one(client, target)
            elapsed = time.perf_counter() - begun
            failure, rows = _check(status, body, kind, accept, result.rows)
            if result.rows is None and not failure:
                result.rows = rows  # only if the very first answer failed: the first good one sets it
            if not measured:
                result.warmup_requests += 1
                continue
            if failure:
                result.failures[failure] += 1
            else:
                result.answered += 1
                result.latencies.append(elapsed)

    await asyncio.gather(*(client_loop(c) for c in clients))


async def _load(target: Target, job: Job, args: argparse.Namespace) -> Result:
    """Warm up, then measure one target; the clients keep their connections from one to the other."""
    import httpx

    result = Result(target.label, args.clients)
    headers = {"Accept": job.accept, "User-Agent": "relgraph-serve-load"}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with contextlib.AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(httpx.AsyncClient(headers=headers, timeout=args.request_timeout, limits=limits, trust_env=False)) for _ in range(args.clients)]
        # the first answer sets the row count every later answer must have
        status, body, kind = await _one(clients[0], target)
        failure, result.rows = _check(status, body, kind, job.accept, None)
        if failure:
            result.note = f"first answer failed: {failure}" + (f" ({' '.join(body[:100].decode('utf-8', 'replace').split())})" if body and status != 200 else "")
        if args.warmup > 0:
            await _phase(clients, target, job.accept, args.warmup, None, result, measured=False)
        cpu_before = target.server.cpu_seconds()
        client_before = time.process_time()
        started = time.perf_counter()
        await _phase(clients, target, job.accept, args.duration, args.max_requests, result, measured=True)
        result.seconds = time.perf_counter() - started
        result.client_cpu = (time.process_time() - client_before) / result.seconds if result.seconds else 0.0
        cpu_after = target.server.cpu_seconds()
    result.server_cpu = {k: cpu_after[k] - cpu_before[k] for k in cpu_before}
    if target.server.name == "oxigraph serve":  # one process (threads); no workers to tell apart
        result.server_cpu = {"server": result.server_cpu["server"] + result.server_cpu["workers"]}
    return result


def measure_target(target: Target, job: Job, args: argparse.Namespace) -> Result:
    """Warm up, then measure one target under ``--clients`` concurrent clients."""
    return asyncio.run(_load(target, job, args))


# ------------------------------------------------------------------------------- printing


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value * 1000:.1f} ms"


def _ratio(mine: float | None, reference: float | None) -> str:
    return f"{mine / reference:.2f}" if mine and reference else ""


def results_table(results: list[Result], job: Job):
    """The table (a ``rich.table.Table``): one row per target, ratios against Oxigraph's row."""
    from rich.table import Table

    reference = next((r for r in results if r.label == OXIGRAPH_QUERY), None)
    table = Table(title=title(job, results[0].clients if results else 0), title_justify="left")
    for column, justify, *rest in (
        ("target", "left", True),
        ("answered", "right"),
        ("failed", "right"),
        ("req/s", "right"),
        ("p50", "right"),
        ("p99", "right"),
        ("req/s ÷ oxigraph", "right"),
        ("p50 ÷ oxigraph", "right"),
        ("p99 ÷ oxigraph", "right"),
        ("server CPU / req", "right"),
        ("client CPU", "right"),
        ("rows", "right"),
        ("note", "left"),
    ):
        table.add_column(column, justify=justify, no_wrap=bool(rest))
    for r in results:
        is_reference = r is reference
        cpu = _ms(r.cpu_per_request("server"))
        if r.cpu_per_request("workers") is not None and "workers" in r.server_cpu:
            cpu = f"{_ms(r.cpu_per_request('server'))} + {_ms(r.cpu_per_request('workers'))} workers"
        failures = "; ".join(f"{n} × {kind}" for kind, n in r.failures.most_common())
        table.add_row(
            r.label,
            f"{r.answered:,}",
            f"{r.failed:,}",
            f"{r.throughput:,.1f}" if r.throughput else "",
            _ms(r.percentile(50)),
            _ms(r.percentile(99)),
            "" if is_reference or reference is None else _ratio(r.throughput, reference.throughput),
            "" if is_reference or reference is None else _ratio(r.percentile(50), reference.percentile(50)),
            "" if is_reference or reference is None else _ratio(r.percentile(99), reference.percentile(99)),
            cpu,
            f"{r.client_cpu:.0%}",
            "" if r.rows is None else str(r.rows),
            "; ".join(n for n in (r.note, failures) if n),
        )
    return table


def title(job: Job, clients: int) -> str:
    params = "&".join(f"{k}={v}" for k, v in job.params.items())
    day = f", as of {job.as_of.isoformat()}" if job.as_of else ""
    return f"{job.name}" + (f" ({params}{day})" if params or day else "") + f", {clients} concurrent clients"


def machine() -> str:
    """The machine and package versions, as BENCHMARKS.md records them."""
    from importlib.metadata import PackageNotFoundError, version

    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(ImportError):
        import psutil

        memory = f"{psutil.virtual_memory().total / 2**30:.0f} GiB memory; "
    versions = []
    for package in ("relgraph", "oxigraph", "pyoxigraph", "uvicorn", "starlette", "httpx"):
        try:
            versions.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    return f"{platform.platform()}; {os.cpu_count()} CPUs ({cpu}); {memory}Python {platform.python_version()}; " + ", ".join(versions)


# ------------------------------------------------------------------------------- main


def _param(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"--param {text!r}: write NAME=VALUE, for example a=RU")
    return name, value


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--as-of {text!r}: write YYYY-MM-DD") from None


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"{text}: give a number above 0")
        return value

    return parse


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--query", default="shared-memberships", help="the stored query (default shared-memberships)")
    p.add_argument("--param", action="append", type=_param, default=[], metavar="NAME=VALUE", help="a parameter of the query; repeat for each (default: the examples of its header, a=RU b=TJ)")
    p.add_argument("--as-of", type=_day, help="the day a time-aware query answers for (default: today, or RELGRAPH_TODAY)")
    p.add_argument("--clients", type=_positive(int), default=8, help="concurrent clients (default 8)")
    p.add_argument("--duration", type=_positive(float), default=10.0, help="measured seconds per target (default 10)")
    p.add_argument("--max-requests", type=_positive(int), default=None, help="at most this many requests per target (default: no limit, only --duration)")
    p.add_argument("--warmup", type=float, default=1.0, help="seconds of load per target before measuring, not counted (default 1)")
    p.add_argument("--workers", type=_positive(int), default=2, help="relgraph serve --workers (default 2)")
    p.add_argument("--server-timeout", type=_positive(float), default=10.0, help="relgraph serve --timeout, seconds per request (default 10)")
    p.add_argument("--request-timeout", type=_positive(float), default=30.0, help="seconds before a client gives up on one request, a failure (default 30)")
    p.add_argument("--start-timeout", type=_positive(float), default=120.0, help="seconds a server may take to start, or the push to finish (default 120)")
    p.add_argument("--root", type=Path, default=REPO, help="the relgraph root both servers serve (default: this checkout)")
    p.add_argument("--oxigraph", help="the oxigraph binary (default: next to this Python, else on PATH)")
    p.add_argument("--relgraph", help="the relgraph command (default: next to this Python, else python -m relgraph)")
    p.add_argument("--json", nargs="?", const="-", metavar="FILE", help="also write every figure as JSON, to FILE or (without one) to standard output after the table")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; see the module docstring. Returns the exit code."""
    args = parser().parse_args(argv)
    if args.warmup < 0:
        parser().error("--warmup: give 0 or more seconds")
    try:
        import httpx  # noqa: F401
        import psutil  # noqa: F401
        import rich  # noqa: F401
    except ImportError as exc:
        print(f"serve_load.py: {exc.name} is missing: pip install '.[bench]' httpx", file=sys.stderr)
        return 2
    oxigraph = args.oxigraph or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(oxigraph).exists():
        oxigraph = shutil.which("oxigraph") or ""
    if not oxigraph:
        print("serve_load.py: the oxigraph server is missing: pip install oxigraph (or give --oxigraph)", file=sys.stderr)
        return 2
    if args.relgraph and not Path(args.relgraph).exists():
        print(f"serve_load.py: --relgraph {args.relgraph}: no such file", file=sys.stderr)
        return 2
    script = Path(args.relgraph) if args.relgraph else Path(sys.executable).with_name("relgraph")
    relgraph = [str(script)] if script.exists() else [sys.executable, "-m", "relgraph"]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "RELGRAPH_ROOT", "RELGRAPH_STORE")}
    env["PYTHONWARNINGS"] = "ignore"
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env.pop(name, None)  # loopback only (relgraph push); this process's clients ignore proxies too
    command = "python benchmarks/serve_load.py " + " ".join(argv if argv is not None else sys.argv[1:])
    with contextlib.suppress(OSError, AttributeError):
        args.load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())

    try:
        previous = signal.signal(signal.SIGTERM, _terminate)  # so that a stopped run stops its servers
    except ValueError:  # not the main thread: the finally clause below still stops them
        previous = None
    servers: list[Server] = []
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="relgraph-serve-load-") as folder:
            work = Path(folder)
            try:
                job = bind_job(args.root.resolve(), args.query, dict(args.param), args.as_of)
                log(f"starting relgraph serve --workers {args.workers}")
                servers.append(start_relgraph(relgraph, args.root.resolve(), args, env, work))
                log("starting oxigraph serve and pushing the graph into it")
                servers.append(start_oxigraph(oxigraph, relgraph, args.root.resolve(), args, env, work))
            except BenchError as exc:
                print(f"serve_load.py: {exc}", file=sys.stderr)
                return 2
            mine, bare = servers
            from urllib.parse import urlencode

            # include-stale=true: the server then gives every row of the bound text, as /sparql and Oxigraph do
            stored = {**job.params, **({"as-of": job.as_of.isoformat()} if job.as_of else {}), "include-stale": "true"}
            targets = [
                Target(RELGRAPH_QUERIES.format(name=job.name), mine, "GET", f"{mine.url}/queries/{job.name}" + (f"?{urlencode(stored)}" if stored else "")),
                Target(RELGRAPH_SPARQL, mine, "POST", f"{mine.url}/sparql", {"query": job.text}),
                Target(OXIGRAPH_QUERY, bare, "POST", f"{bare.url}/query", {"query": job.text}),
            ]
            results = []
            for target in targets:
                log(f"{target.label}: {args.warmup:g} s warm-up, then {args.duration:g} s" + (f" or {args.max_requests:,} requests" if args.max_requests else "") + f" with {args.clients} clients")
                results.append(measure_target(target, job, args))
    finally:
        for server in reversed(servers):
            server.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)

    counts = {r.rows for r in results if r.rows is not None}
    same_rows = len(counts) == 1 and all(r.rows is not None for r in results)
    if len(counts) > 1:
        for r in results:
            r.note = "; ".join(n for n in (r.note, "row counts of the targets differ") if n)
    report(results, job, args, command, time.perf_counter() - started, same_rows)
    return 0 if same_rows and not any(r.failed for r in results) else 1


def report(results: list[Result], job: Job, args: argparse.Namespace, command: str, seconds: float, same_rows: bool) -> None:
    """Print the table, and the JSON if asked."""
    from rich.console import Console

    console = Console(width=200)
    load = f" (load average before: {args.load_before})" if getattr(args, "load_before", "") else ""
    console.print(f"relgraph serve under load, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC{load}: {args.clients} clients, {args.warmup:g} s warm-up, {args.duration:g} s" + (f" or {args.max_requests:,} requests" if args.max_requests else "") + f" per target; relgraph serve --workers {args.workers}")
    console.print(machine())
    console.print(results_table(results, job))
    console.print(f"total {seconds:.0f} s")
    if args.json:
        payload = {
            "command": command,
            "machine": machine(),
            "load_average_before": getattr(args, "load_before", None),
            "query": {"name": job.name, "params": job.params, "as_of": job.as_of.isoformat() if job.as_of else None, "text": job.text},
            "settings": {k: getattr(args, k) for k in ("clients", "duration", "max_requests", "warmup", "workers", "server_timeout", "request_timeout")},
            "same_rows": same_rows,
            "results": [r.to_json() for r in results],
        }
        text = json.dumps(payload, indent=1)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n", encoding="utf-8")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _terminate(signum, frame) -> None:
    raise SystemExit(128 + signum)  # so the servers are stopped on the way out


if __name__ == "__main__":
    sys.exit(main())
