"""Shared fixtures: the repository's root, its loaded graph, a fixed "today", and a CLI runner."""

from __future__ import annotations

import contextlib
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from relgraph.graph.loading import LoadedGraph, load
from relgraph.paths import Layout

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
TODAY = "2026-11-29"
RGID = "https://w3id.org/relgraph/id/"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store cache of this test run (never the user's own ~/.cache/relgraph)."""
    return tmp_path_factory.mktemp("relgraph-cache")


@pytest.fixture(autouse=True)
def _fixed_environment(monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    """Every test answers for the same day, uses the repository's own files and a cache of its own run."""
    monkeypatch.setenv("RELGRAPH_TODAY", TODAY)
    monkeypatch.setenv("RELGRAPH_CACHE_DIR", str(cache_dir))
    monkeypatch.delenv("RELGRAPH_ROOT", raising=False)
    monkeypatch.delenv("RELGRAPH_STORE", raising=False)
    monkeypatch.delenv("RELGRAPH_DEBUG", raising=False)


@pytest.fixture(scope="session")
def layout() -> Layout:
    """The repository checkout as a relgraph root."""
    return Layout(REPO)


@pytest.fixture(scope="session")
def loaded(layout: Layout) -> LoadedGraph:
    """The shipped ontology and facts, loaded once."""
    return load(layout)


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str
    raw: bytes


def run_cli(*args: str, stdin: str = "") -> CliResult:
    """Run ``relgraph ARGS`` in-process and capture its exit code and output."""
    from relgraph.cli import main

    out_bytes = io.BytesIO()
    err = io.StringIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", write_through=True)
    old_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
            out.flush()
    finally:
        sys.stdin = old_stdin
    raw = out_bytes.getvalue()
    return CliResult(code, raw.decode("utf-8"), err.getvalue(), raw)


def nonempty(items: list) -> list:
    """Fail at collection when a parametrised collection is empty: a test that checks nothing fails."""
    assert items, "this parametrised collection found nothing to check"
    return items


def copy_root(target: Path, folders: tuple[str, ...] = ("ontology", "graph", "queries")) -> Path:
    """Copy folders of the repository's root to *target* (a scratch root for tests that edit it)."""
    import shutil

    for folder in folders:
        shutil.copytree(REPO / folder, target / folder)
    return target


def require(available: bool, reason: str) -> None:
    """Skip a test that needs something absent on this machine, with the reason; in CI
    (``CI=true``) fail instead, since CI installs everything the tests need."""
    import os

    if available:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true, but {reason}")
    pytest.skip(reason)


@contextlib.contextmanager
def running_serve(*args: str, root: Path | None = None, cache: Path | None = None, timeout: float = 120.0):
    """Start ``relgraph serve --port 0 ARGS`` in a process of its own and yield its base URL.

    The server answers for the fixed day of the tests and uses the given cache folder; it is
    stopped (and its workers die with it) when the block ends.
    """
    import os
    import re
    import subprocess
    import time

    env = dict(os.environ, RELGRAPH_TODAY=TODAY, PYTHONUNBUFFERED="1")
    if cache is not None:
        env["RELGRAPH_CACHE_DIR"] = str(cache)
    env.pop("RELGRAPH_STORE", None)
    env.pop("RELGRAPH_ROOT", None)
    command = [sys.executable, "-m", "relgraph"]
    if root is not None:
        command += ["--root", str(root)]
    process = subprocess.Popen([*command, "serve", "--port", "0", *args], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True)
    try:
        deadline = time.monotonic() + timeout
        seen = []
        url = None
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break
            seen.append(line)
            m = re.search(r"(http://[^/\s]+)/sparql", line)
            if m:
                url = m.group(1)
                break
        if url is None:
            process.kill()
            raise AssertionError("relgraph serve did not start: " + "".join(seen)[-2000:])
        import threading

        threading.Thread(target=lambda: [None for _ in process.stderr], daemon=True).start()  # keep the pipe drained
        yield url
    finally:
        stop(process)


def stop(process) -> None:
    """Stop a server process: SIGTERM, then SIGKILL if it is still running after 10 s."""
    import subprocess

    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
