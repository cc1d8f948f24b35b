"""Throw-away Virtuoso Open Source server for integration tests.

Stdlib + httpx only. Tested against Debian 12 ``virtuoso-opensource``
7.2.5.1+dfsg1-0.3 (``/usr/bin/virtuoso-t``, Version 07.20.3229).

Usage::

    with running_virtuoso(tmp_path, max_rows=10000) as v:
        httpx.put(v.graph_store_url, params={"graph": g}, content=ttl,
                  headers={"Content-Type": "text/turtle"},
                  auth=httpx.DigestAuth(v.user, v.password))
        httpx.get(v.sparql_url, params={"query": q},
                  headers={"Accept": "application/sparql-results+json"})

Every call creates a *fresh* database directory under ``workdir``
(``workdir/virtuoso-XXXXXX``), picks free loopback ports for the SQL/ISQL
listener and for HTTP, binds both to 127.0.0.1 only, runs ``virtuoso-t
+foreground`` as a child process, and waits until /sparql answers and digest
auth on /sparql-graph-crud-auth works. The server is stopped with SIGTERM at
exit (SIGKILL if it does not exit within ``stop_timeout``). The system
database in /var/lib/virtuoso-opensource-7 and the system service are never
touched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import Iterator, Mapping, Optional

import httpx

__all__ = ["VirtuosoServer", "VirtuosoStartError", "running_virtuoso", "find_virtuoso_binary"]

DEFAULT_USER = "dba"
DEFAULT_PASSWORD = "dba"  # fresh database default
_CANDIDATE_BINARIES = ("/usr/bin/virtuoso-t", "virtuoso-t")
# Used only to probe that digest auth works; never created.
_PROBE_GRAPH = "urn:x-relgraph-test:readiness-probe"


class VirtuosoStartError(RuntimeError):
    """Server did not come up; the message contains the tail of its log."""


@dataclasses.dataclass(frozen=True)
class VirtuosoServer:
    http_port: int
    isql_port: int
    base_url: str
    sparql_url: str             # anonymous query endpoint (read-only for SPARQL)
    sparql_auth_url: str        # digest-protected query+update endpoint
    graph_store_url: str        # digest-protected SPARQL 1.1 Graph Store endpoint
    graph_store_url_anon: str   # anonymous GSP endpoint (GET works, writes -> 403)
    user: str
    password: str
    dbdir: pathlib.Path
    log_path: pathlib.Path
    pid: int

    @property
    def auth(self) -> httpx.DigestAuth:
        """Digest auth for graph_store_url / sparql_auth_url (basic auth is rejected)."""
        return httpx.DigestAuth(self.user, self.password)


def find_virtuoso_binary() -> Optional[str]:
    for cand in _CANDIDATE_BINARIES:
        path = cand if os.path.isabs(cand) else shutil.which(cand)
        if path and os.access(path, os.X_OK):
            return path
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _render_ini(dbdir: pathlib.Path, isql_port: int, http_port: int, max_rows: int,
                max_execution_time: int, max_cost_estimation_time: int,
                extra: Optional[Mapping[str, Mapping[str, object]]]) -> str:
    d = str(dbdir)
    sections: dict[str, dict[str, object]] = {
        "Database": {
            "DatabaseFile": f"{d}/virtuoso.db",
            "ErrorLogFile": f"{d}/virtuoso.log",
            "LockFile": f"{d}/virtuoso.lck",
            "TransactionFile": f"{d}/virtuoso.trx",
            "xa_persistent_file": f"{d}/virtuoso.pxa",
            "ErrorLogLevel": 7,
            "FileExtend": 200,
            "MaxCheckpointRemap": 2000,
            "Striping": 0,
            "TempStorage": "TempDatabase",
        },
        "TempDatabase": {
            "DatabaseFile": f"{d}/virtuoso-temp.db",
            "TransactionFile": f"{d}/virtuoso-temp.trx",
            "MaxCheckpointRemap": 2000,
            "Striping": 0,
        },
        "Parameters": {
            # host:port form binds to loopback only
            "ServerPort": f"127.0.0.1:{isql_port}",
            "DisableUnixSocket": 1,
            "DisableTcpSocket": 0,
            "MaxClientConnections": 20,
            "CheckpointInterval": 60,
            "CaseMode": 2,
            # Only our own dir: for DB.DBA.TTLP_MT(file_to_string(...)), ld_dir bulk load.
            "DirsAllowed": f"., {d}",
            # No VADInstallDir: avoids auto-installing the Conductor VAD (saves ~4 s).
            "NumberOfBuffers": 10000,
            "MaxDirtyBuffers": 6000,
            "MaxQueryMem": "256M",
            "ThreadsPerQuery": 4,
        },
        "HTTPServer": {
            "ServerPort": f"127.0.0.1:{http_port}",
            "ServerRoot": d,
            "MaxClientConnections": 20,
            "ServerThreads": 20,
            "Charset": "UTF-8",
            "EnabledGzipContent": 0,
        },
        "SPARQL": {
            "ResultSetMaxRows": int(max_rows),
            "MaxQueryCostEstimationTime": int(max_cost_estimation_time),  # seconds
            "MaxQueryExecutionTime": int(max_execution_time),  # seconds
        },
    }
    for sec, kv in (extra or {}).items():
        sections.setdefault(sec, {}).update(kv)
    out = []
    for sec, kv in sections.items():
        out.append(f"[{sec}]")
        out.extend(f"{k} = {v}" for k, v in kv.items())
        out.append("")
    return "\n".join(out)


def _tail(path: pathlib.Path, n: int = 40) -> str:
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError as e:
        return f"<could not read {path}: {e}>"
    return "\n".join(lines[-n:])


def _preexec_die_with_parent() -> None:  # pragma: no cover - runs in the child
    # Linux: SIGKILL the server if the process (strictly: the thread) that
    # started it dies, so a crashed/killed test runner leaves no orphan.
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except Exception:
        pass


def _stop(proc: subprocess.Popen, timeout: float) -> None:
    if proc.poll() is not None:
        return
    try:
        proc.send_signal(signal.SIGTERM)  # virtuoso: "Initiating quick shutdown", ~50 ms
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


def _wait_ready(proc: subprocess.Popen, srv: VirtuosoServer, deadline: float) -> Optional[str]:
    """Return None when ready, or a short reason string on failure."""
    last = "no attempt"
    with httpx.Client(timeout=5.0, trust_env=False) as c:
        while time.monotonic() < deadline:
            rc = proc.poll()
            if rc is not None:
                return f"virtuoso-t exited with code {rc} during startup"
            try:
                r = c.get(srv.sparql_url,
                          params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"},
                          headers={"Accept": "application/sparql-results+json"})
                if r.status_code == 200:
                    r2 = c.get(srv.graph_store_url, params={"graph": _PROBE_GRAPH},
                               headers={"Accept": "text/turtle"}, auth=srv.auth)
                    if r2.status_code in (200, 404):  # 404 = graph does not exist: auth ok
                        return None
                    last = f"graph store probe returned HTTP {r2.status_code}"
                else:
                    last = f"/sparql returned HTTP {r.status_code}"
            except httpx.HTTPError as e:
                last = f"{type(e).__name__}: {e}"
            time.sleep(0.1)
    return f"not ready within timeout (last: {last})"


@contextlib.contextmanager
def running_virtuoso(
    workdir: pathlib.Path,
    max_rows: int = 10000,
    *,
    max_execution_time: int = 60,
    max_cost_estimation_time: int = 400,
    startup_timeout: float = 60.0,
    stop_timeout: float = 30.0,
    binary: Optional[str] = None,
    extra_ini: Optional[Mapping[str, Mapping[str, object]]] = None,
    port_attempts: int = 3,
    die_with_parent: bool = True,
    database: Optional[pathlib.Path] = None,
) -> Iterator[VirtuosoServer]:
    """Start a private virtuoso-t in a fresh DB dir under ``workdir``; yield a VirtuosoServer.

    ``extra_ini`` lets a test override/add ini keys, e.g. ``{"SPARQL": {"DefaultGraph": ...}}``.
    Raises VirtuosoStartError (with the server log tail) if it is not up within
    ``startup_timeout`` seconds. Retries with new ports if a port was taken
    between choosing it and binding it (virtuoso logs "Failed HTTP listen" and exits 255).
    ``database`` reopens the database folder of an earlier server (``VirtuosoServer.dbdir``)
    instead of a fresh one, for example with another ``max_rows``.
    """
    binary = binary or find_virtuoso_binary()
    if not binary:
        raise VirtuosoStartError("virtuoso-t not found (apt-get install virtuoso-opensource)")
    workdir = pathlib.Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    errors = []
    for attempt in range(1, port_attempts + 1):
        dbdir = pathlib.Path(database).resolve() if database is not None else pathlib.Path(tempfile.mkdtemp(prefix="virtuoso-", dir=workdir)).resolve()
        isql_port, http_port = _free_port(), _free_port()
        while http_port == isql_port:
            http_port = _free_port()
        ini = dbdir / "virtuoso.ini"
        ini.write_text(_render_ini(dbdir, isql_port, http_port, max_rows, max_execution_time,
                                   max_cost_estimation_time, extra_ini))
        log_path = dbdir / "virtuoso.stdout.log"
        base = f"http://127.0.0.1:{http_port}"
        logf = open(log_path, "wb")
        proc = None
        try:
            proc = subprocess.Popen(
                [binary, "+foreground", "+configfile", str(ini)],
                cwd=dbdir, stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C of the test runner is handled by us, not the server
                preexec_fn=_preexec_die_with_parent if (die_with_parent and sys.platform.startswith("linux")) else None,
            )
            srv = VirtuosoServer(
                http_port=http_port, isql_port=isql_port, base_url=base,
                sparql_url=f"{base}/sparql",
                sparql_auth_url=f"{base}/sparql-auth",
                graph_store_url=f"{base}/sparql-graph-crud-auth",
                graph_store_url_anon=f"{base}/sparql-graph-crud",
                user=DEFAULT_USER, password=DEFAULT_PASSWORD,
                dbdir=dbdir, log_path=log_path, pid=proc.pid,
            )
            t0 = time.monotonic()
            reason = _wait_ready(proc, srv, t0 + startup_timeout)
            if reason is not None:
                _stop(proc, 5.0)
                logf.flush()
                tail = _tail(log_path)
                msg = (f"Virtuoso did not start (attempt {attempt}/{port_attempts}): {reason}\n"
                       f"ini: {ini}\n--- tail of {log_path} ---\n{tail}")
                port_clash = "Failed HTTP listen" in tail or "Failed to start listening" in tail \
                    or "Address already in use" in tail
                if port_clash and attempt < port_attempts:
                    errors.append(msg)
                    continue
                raise VirtuosoStartError("\n\n".join(errors + [msg]))
        except BaseException:
            if proc is not None:
                _stop(proc, 5.0)
            logf.close()
            raise
        # ready
        try:
            yield srv
        finally:
            _stop(proc, stop_timeout)
            logf.close()
        return


if __name__ == "__main__":  # noqa: SIM102  # quick manual check: python virtuoso_fixture.py [workdir]
    wd = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="vt-"))
    t = time.monotonic()
    with running_virtuoso(wd, max_rows=5) as v:
        print(f"up in {time.monotonic() - t:.2f}s pid={v.pid} http={v.http_port} isql={v.isql_port}")
        r = httpx.put(v.graph_store_url, params={"graph": "http://example.org/g"},
                      content=b"<http://example.org/a> <http://example.org/p> 1, 2, 3, 4, 5, 6, 7 .",
                      headers={"Content-Type": "text/turtle"}, auth=v.auth)
        print("PUT", r.status_code)
        r = httpx.get(v.sparql_url, params={"query": "SELECT ?o WHERE { ?s <http://example.org/p> ?o }"},
                      headers={"Accept": "application/sparql-results+json"})
        print("SELECT", r.status_code, len(r.json()["results"]["bindings"]), "rows, X-SPARQL-MaxRows =",
              r.headers.get("x-sparql-maxrows"))
        t = time.monotonic()
    print(f"stopped in {time.monotonic() - t:.2f}s")
