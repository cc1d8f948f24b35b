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


def make_hand_root(target: Path) -> Path:
    """A root with the repository's ontology, queries and hand-written facts (``graph/*.ttl``) but
    without the world layer's claim tables and the pages only they cite (:data:`WORLD_LAYER_FILES`):
    symbolic links to the checkout's files, so that messages name them as ``graph/….ttl``.

    The engine's tests (queries, validation, exports, the server) assert exact answers about the
    hand-written Russia–Tajikistan graph and run on this root; the world layer's tests name the
    checkout (:data:`REPO`) explicitly.
    """
    target.mkdir(parents=True, exist_ok=True)
    for folder in ("ontology", "queries"):
        (target / folder).symlink_to(REPO / folder, target_is_directory=True)
    (target / "graph").mkdir()
    for path in sorted((REPO / "graph").glob("*.ttl")):
        if path.name in WORLD_LAYER_FILES:
            continue
        (target / "graph" / path.name).symlink_to(path)
    return target


WORLD_LAYER_FILES = {"page-sources.ttl"}
"""The Turtle files of ``graph/`` that belong to the world layer: ``graph/page-sources.ttl`` holds
the pages that only the curated claim tables cite (800 sources and their publishers), left out of
the hand-written root as the tables are."""


_HAND_ROOT: list[Path] = []


def hand_root_path() -> Path:
    """This process's hand-written root (:func:`make_hand_root`), made on first use in a
    temporary folder removed at exit."""
    if not _HAND_ROOT:
        import atexit
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="relgraph-hand-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _HAND_ROOT.append(make_hand_root(folder / "root"))
    return _HAND_ROOT[0]


@pytest.fixture(scope="session")
def hand_root() -> Path:
    """The hand-written graph as a root of its own (:func:`hand_root_path`)."""
    return hand_root_path()


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store cache of this test run (never the user's own ~/.cache/relgraph)."""
    return tmp_path_factory.mktemp("relgraph-cache")


@pytest.fixture(autouse=True)
def _fixed_environment(monkeypatch: pytest.MonkeyPatch, cache_dir: Path, hand_root: Path) -> None:
    """Every test answers for the same day, uses the repository's hand-written graph (the
    :func:`hand_root`, unless it names another root) and a cache of its own run."""
    monkeypatch.setenv("RELGRAPH_TODAY", TODAY)
    monkeypatch.setenv("RELGRAPH_CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("RELGRAPH_ROOT", str(hand_root))
    monkeypatch.delenv("RELGRAPH_STORE", raising=False)
    monkeypatch.delenv("RELGRAPH_DEBUG", raising=False)


@pytest.fixture(scope="session")
def layout(hand_root: Path) -> Layout:
    """The hand-written graph as a relgraph root (:func:`hand_root`)."""
    return Layout(hand_root)


@pytest.fixture(scope="session")
def world_layout() -> Layout:
    """The repository checkout as a relgraph root: the hand-written graph and the world layer."""
    return Layout(REPO)


@pytest.fixture(scope="session")
def world(world_layout: Layout) -> LoadedGraph:
    """The whole shipped graph, loaded once."""
    return load(world_layout)


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


def copy_root(target: Path, folders: tuple[str, ...] = ("ontology", "graph", "queries"), *, tables: bool = False) -> Path:
    """Copy folders of the repository's root to *target* (a scratch root for tests that edit it);
    ``graph/`` without the world layer (its tables and data sets) unless *tables*."""
    import shutil

    for folder in folders:
        ignore = None if tables or folder != "graph" else shutil.ignore_patterns("tables", "datasets", *WORLD_LAYER_FILES)
        shutil.copytree(REPO / folder, target / folder, ignore=ignore)
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
    command = [sys.executable, "-m", "relgraph"]
    if root is None and "RELGRAPH_ROOT" not in env:
        root = hand_root_path()  # a module's server starts before the per-test environment
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
