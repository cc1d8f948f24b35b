"""Every kind of worker process starts from its spawn target and answers: the ad-hoc query worker
(``python -m relgraph.workers``, one per query), the server's workers (the same entry point with
the handlers of :mod:`relgraph.serve.handlers`), and the processes that validate in parts
(``multiprocessing``'s spawn, started by :func:`relgraph.validate.parts.validate_store`). Each
test watches the children of the test's process while the work runs and checks what they ran."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable

import psutil

import relgraph.workers
from relgraph.paths import Layout
from relgraph.query.adhoc import run as run_adhoc
from relgraph.serve.handlers import Answer, QueryRequest
from relgraph.validate.parts import validate_store
from relgraph.workers import Worker
from tests.conftest import REPO, TODAY


def _children_while(work: Callable[[], object]) -> tuple[object, list[list[str]]]:
    """Run *work* while a thread records the command line of every child process of this one."""
    seen: dict[int, list[str]] = {}
    done = threading.Event()

    def watch() -> None:
        me = psutil.Process(os.getpid())
        while not done.is_set():
            for child in me.children(recursive=True):
                try:
                    seen.setdefault(child.pid, child.cmdline())
                except psutil.Error:
                    continue
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        result = work()
    finally:
        done.set()
        watcher.join()
    return result, list(seen.values())


def test_the_ad_hoc_query_worker_starts_and_answers(monkeypatch) -> None:
    # The worker may start, answer and end between two looks at this process's children, so its
    # command line is taken where it is started (watching children alone failed on a quiet machine)
    started: list[list[str]] = []
    popen = subprocess.Popen

    def recording_popen(args, *rest, **options):
        started.append([str(part) for part in args])
        return popen(args, *rest, **options)

    monkeypatch.setattr(relgraph.workers.subprocess, "Popen", recording_popen)
    result = run_adhoc(REPO, "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/relgraph/ontology#State> }", "csv", timeout=120)
    assert result.form == "SELECT" and result.rows == 1
    n = int(result.data.splitlines()[1])
    assert n >= 10
    assert [cmd[1:3] for cmd in started] == [["-m", "relgraph.workers"]], started


def test_a_server_worker_starts_and_answers() -> None:
    arguments = {"root": str(REPO), "store": None, "allow_service": (), "max_bytes": 1 << 20, "today": TODAY}
    worker = Worker("relgraph.serve.handlers.setup", "relgraph.serve.handlers.handle", arguments)
    try:
        command = psutil.Process(worker.process.pid).cmdline()
        assert command[1:3] == ["-m", "relgraph.workers"]
        worker.wait_ready(120)
        answer = worker.call(QueryRequest(text="ASK { ?s a <https://w3id.org/relgraph/ontology#State> }", format="json"), 60)
    finally:
        worker.kill()
    assert isinstance(answer, Answer)
    assert answer.status == 200 and answer.form == "ASK" and answer.count == 1
    assert b'"boolean":true' in answer.body.replace(b" ", b"")


def test_the_validation_parts_workers_start_and_validate() -> None:
    report, children = _children_while(lambda: validate_store(Layout(REPO), workers=2, part_size=200))
    assert report.conforms is True
    spawned = [cmd for cmd in children if any("multiprocessing.spawn" in part or "spawn_main" in part for part in cmd)]
    assert len(spawned) >= 2, children
