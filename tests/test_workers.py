"""Every kind of worker process starts from its spawn target and answers: the ad-hoc query worker
(``python -m relgraph.workers``, one per query), the server's workers (the same entry point with
the handlers of :mod:`relgraph.serve.handlers`), and the workers that validate in parts (the same
entry point with :func:`relgraph.validate.parts.worker_start` and ``worker_part``). A worker may
start, answer and end between two looks at this process's children, so the tests record each
worker's command line and set-up where it is started."""

from __future__ import annotations

import pickle
import subprocess

import psutil
import pytest

import relgraph.workers
from relgraph.errors import InputError
from relgraph.paths import Layout
from relgraph.query.adhoc import run as run_adhoc
from relgraph.serve.handlers import Answer, QueryRequest
from relgraph.validate.parts import validate_store
from relgraph.workers import Worker
from tests.conftest import REPO, TODAY, hand_root_path
from tests.utils.workers import recording_workers


def _recording_popen(monkeypatch) -> list[list[str]]:
    """Record the command line of every process relgraph.workers starts."""
    started: list[list[str]] = []
    popen = subprocess.Popen

    def recording_popen(args, *rest, **options):
        started.append([str(part) for part in args])
        return popen(args, *rest, **options)

    monkeypatch.setattr(relgraph.workers.subprocess, "Popen", recording_popen)
    return started


def test_the_ad_hoc_query_worker_starts_and_answers(monkeypatch) -> None:
    started = _recording_popen(monkeypatch)
    result = run_adhoc(hand_root_path(), "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/relgraph/ontology#State> }", "csv", timeout=120)
    assert result.form == "SELECT" and result.rows == 1
    n = int(result.data.splitlines()[1])
    assert n >= 10
    assert [cmd[1:3] for cmd in started] == [["-m", "relgraph.workers"]], started


def test_a_server_worker_starts_and_answers() -> None:
    arguments = {"root": str(hand_root_path()), "store": None, "allow_service": (), "max_bytes": 1 << 20, "today": TODAY}
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


def test_the_validation_parts_workers_start_and_validate(monkeypatch) -> None:
    started = _recording_popen(monkeypatch)
    workers = recording_workers(monkeypatch)
    report = validate_store(Layout(hand_root_path()), workers=2, part_size=200)
    assert report.conforms is True
    assert [cmd[1:3] for cmd in started] == [["-m", "relgraph.workers"]] * 2, started
    assert [(w.setup, w.handler, sorted(w.arguments)) for w in workers] == [("relgraph.validate.parts.worker_start", "relgraph.validate.parts.worker_part", ["limit", "root", "store_dir"])] * 2


def test_map_in_workers_answers_in_the_order_of_the_requests_and_leaves_no_worker(monkeypatch) -> None:
    started = _recording_popen(monkeypatch)
    replies = relgraph.workers.map_in_workers("builtins.dict", "operator.getitem", {"a": 1, "b": 2}, ["a", "b", "b", "a", "b"], 2)
    assert replies == [1, 2, 2, 1, 2]
    assert len(started) == 2
    assert relgraph.workers.map_in_workers(None, "operator.is_", None, [], 3) == []


def test_map_in_workers_raises_the_handlers_error_and_kills_every_worker(monkeypatch) -> None:
    workers = recording_workers(monkeypatch)
    with pytest.raises(relgraph.workers.WorkerCrashed, match=r"^KeyError: 'c'$"):
        relgraph.workers.map_in_workers("builtins.dict", "operator.getitem", {"a": 1}, ["a", "c", "a"], 3)
    assert len(workers) == 3
    assert [w.is_alive() for w in workers] == [False, False, False]


def test_an_input_error_crosses_from_a_worker_whole() -> None:
    # worker_part hands pySHACL's InputError to the parent as a pickled value
    error = InputError("ontology/shapes.ttl", "a SPARQL constraint has no prefix rg", line=7)
    restored = pickle.loads(pickle.dumps(error))
    assert type(restored) is InputError and str(restored) == "ontology/shapes.ttl:7: a SPARQL constraint has no prefix rg"
    assert (restored.path, restored.problem, restored.line) == ("ontology/shapes.ttl", "a SPARQL constraint has no prefix rg", 7)
