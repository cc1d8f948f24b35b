"""Cold commands of two relgraph installs side by side: the time a user waits for a whole process.

Usage::

    python benchmarks/side_by_side.py --before /tmp/base/.venv/bin/relgraph --before-root /tmp/base \
        --after .venv/bin/relgraph --after-root . --runs 15

Each command runs first once per side to fill that side's store cache (a cache of its own, in a
temporary folder), then ``--runs`` times per side, the two sides alternating run by run so that
the load of the machine falls on both alike. Printed with rich: the median and the fastest run
of each side in milliseconds, and after/before of the medians (below 1, "after" is faster); then
the median CPU time (user + system) of each side's processes, which a loaded machine disturbs
far less than the wall-clock time, with its spread (the first and third quartiles).
The commands are the README's first command (the main job, as a table and as TSV) and stored
queries. Every run must exit 0 (else the script stops with the command's standard error).

Also prints, per side, the ``relgraph.cli`` import as ``python -X importtime`` reports it
(cumulative microseconds, median of ``--runs``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

__all__ = ["COMMANDS", "main"]

COMMANDS: list[tuple[str, list[str]]] = [
    ("main job: table (the README's command)", ["query", "shared-memberships", "--param", "a=RU", "--param", "b=TJ"]),
    ("main job: --format tsv", ["query", "shared-memberships", "--param", "a=RU", "--param", "b=TJ", "--format", "tsv"]),
    ("query memberships", ["query", "memberships", "--param", "state=RU", "--format", "tsv"]),
    ("query treaty-status", ["query", "treaty-status", "--param", "treaty=rome-statute", "--format", "tsv"]),
    ("query timeline", ["query", "timeline", "--param", "a=RU", "--param", "b=TJ", "--format", "tsv"]),
]
"""(label, arguments of ``relgraph``) of each measured command."""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(binary: str, root: str, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run one command; returns (wall-clock ms, CPU ms of the process: user + system)."""
    cpu = _cpu()
    start = time.perf_counter()
    done = subprocess.run([binary, *args], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{binary} {' '.join(args)} (in {root}) exited {done.returncode}: {done.stderr.strip()}")
    return elapsed * 1000, (_cpu() - cpu) * 1000


def _quartiles(values: list[float]) -> str:
    """The first and third quartiles of ``values`` (milliseconds) as text, e.g. ``"140–152 ms"``."""
    q1, _, q3 = statistics.quantiles(values, n=4)
    return f"{q1:.0f}–{q3:.0f} ms"


def _import_time(binary: str, env: dict[str, str]) -> int:
    python = str(Path(binary).parent / "python")
    done = subprocess.run([python, "-X", "importtime", "-c", "import relgraph.cli"], env=env, capture_output=True, text=True, timeout=120)
    line = next(line for line in reversed(done.stderr.splitlines()) if line.rstrip().endswith("| relgraph.cli"))
    return int(line.split("|")[1])


def main(argv: list[str] | None = None) -> int:
    """Measure and print the table; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--before", required=True, help="relgraph executable of the earlier install")
    parser.add_argument("--before-root", required=True, help="the earlier checkout (the root it answers from)")
    parser.add_argument("--after", required=True, help="relgraph executable of the later install")
    parser.add_argument("--after-root", required=True, help="the later checkout")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", default="", help="measure only the commands whose label contains this text (default: all)")
    options = parser.parse_args(argv)
    sides = [("before", options.before, options.before_root), ("after", options.after, options.after_root)]
    console = Console()
    with tempfile.TemporaryDirectory() as work:
        envs = {}
        for name, _, _ in sides:
            env = dict(os.environ, RELGRAPH_CACHE_DIR=str(Path(work) / name), RELGRAPH_TODAY="2026-11-29")
            env.pop("RELGRAPH_ROOT", None)
            env.pop("RELGRAPH_STORE", None)
            # The first run of each command writes each side's bytecode: a side without .pyc files
            # would pay for compiling its modules on every run.
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            envs[name] = env
        table = Table(title=f"cold processes, {options.runs} runs per side, alternating")
        for column in ("command", "before median", "before min", "after median", "after min", "after / before", "CPU before", "CPU before q1–q3", "CPU after", "CPU after q1–q3", "CPU after / before"):
            table.add_column(column, justify="left" if column == "command" else "right")
        for label, args in [(label, args) for label, args in COMMANDS if options.only in label]:
            for name, binary, root in sides:
                _run(binary, root, args, envs[name])  # fills the side's cache
            times: dict[str, list[float]] = {"before": [], "after": []}
            cpus: dict[str, list[float]] = {"before": [], "after": []}
            for _ in range(options.runs):
                for name, binary, root in sides:
                    wall, cpu = _run(binary, root, args, envs[name])
                    times[name].append(wall)
                    cpus[name].append(cpu)
            b, a = statistics.median(times["before"]), statistics.median(times["after"])
            cb, ca = statistics.median(cpus["before"]), statistics.median(cpus["after"])
            table.add_row(label, f"{b:.1f} ms", f"{min(times['before']):.1f} ms", f"{a:.1f} ms", f"{min(times['after']):.1f} ms", f"{a / b:.3f}", f"{cb:.0f} ms", _quartiles(cpus["before"]), f"{ca:.0f} ms", _quartiles(cpus["after"]), f"{ca / cb:.3f}")
        imports: dict[str, list[int]] = {"before": [], "after": []}
        for _ in range(options.runs):
            for name, binary, _root in sides:
                imports[name].append(_import_time(binary, envs[name]))
        b, a = statistics.median(imports["before"]), statistics.median(imports["after"])
        table.add_row("import relgraph.cli (-X importtime)", f"{b / 1000:.1f} ms", f"{min(imports['before']) / 1000:.1f} ms", f"{a / 1000:.1f} ms", f"{min(imports['after']) / 1000:.1f} ms", f"{a / b:.3f}", "", "", "", "", "")
    console.print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
