"""Real triple stores for the integration tests: Oxigraph's server (PyPI ``oxigraph``) and
Virtuoso Open Source (Debian ``virtuoso-opensource``, see :mod:`virtuoso`), each on free
loopback ports with a temporary database, stopped when the block ends.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import stop
from tests.utils.virtuoso import find_virtuoso_binary, running_virtuoso

__all__ = ["Server", "oxigraph_binary", "virtuoso_binary", "running_oxigraph", "running_virtuoso_server"]


@dataclass(frozen=True)
class Server:
    """A running triple store: its SPARQL query endpoint, its Graph Store endpoint, credentials."""

    kind: str
    query_url: str
    graph_store_url: str
    user: str | None = None
    password: str | None = None
    database: Path | None = None


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` server command (the PyPI package's binary beside this Python, or on PATH)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    return shutil.which("oxigraph")


def virtuoso_binary() -> str | None:
    """Debian's ``virtuoso-t``, if installed."""
    return find_virtuoso_binary()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_oxigraph(workdir: Path, timeout: float = 30.0):
    """Start ``oxigraph serve --union-default-graph`` on a free loopback port; yield a :class:`Server`."""
    binary = oxigraph_binary()
    assert binary, "the oxigraph server is not installed (pip install oxigraph)"
    port = _free_port()
    log = open(workdir / "oxigraph.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [binary, "serve", "--location", str(workdir / "oxigraph-db"), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=2, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("oxigraph serve did not start: " + (workdir / "oxigraph.log").read_text(errors="replace")[-2000:])
            time.sleep(0.05)
        yield Server("oxigraph", base + "/query", base + "/store")
    finally:
        stop(process)
        log.close()


@contextlib.contextmanager
def running_virtuoso_server(workdir: Path, max_rows: int = 100_000, database: Path | None = None):
    """Start Virtuoso with a temporary database (or *database* again); yield a :class:`Server`.

    Its authenticated Graph Store endpoint (``/sparql-graph-crud-auth``) takes HTTP Digest as
    ``dba``; its query endpoint is ``/sparql``. *max_rows* is its ``ResultSetMaxRows``.
    """
    with running_virtuoso(workdir, max_rows=max_rows, database=database) as v:
        yield Server("virtuoso", v.sparql_url, v.graph_store_url, v.user, v.password, v.dbdir)
