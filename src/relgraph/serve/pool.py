"""The server's pool of query workers: a fixed number of killable worker processes.

``relgraph serve`` runs every query in one of a fixed number of workers
(:class:`relgraph.workers.Worker`: a fresh process each, so a worker inherits no server state).
Each worker opens the read-only store once and answers requests one at a time. When a request
passes its time limit, its worker is killed (``SIGKILL``) and a fresh one is started in its
place, while the other workers go on answering; a worker that died while idle is replaced too.
Workers die with the server.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from relgraph.workers import Worker, WorkerCrashed, WorkerTimeout

__all__ = ["WorkerPool", "WorkerTimeout", "WorkerBusy", "WorkerCrashed"]


class WorkerBusy(Exception):
    """Every worker stayed busy for the whole time limit; the request never started."""


class WorkerPool:
    """A fixed number of worker processes, each answering one request at a time.

    Args:
        size: The number of workers (≥ 1).
        setup: Dotted name of the function that builds a worker's state from *arguments*.
        handler: Dotted name of ``handler(state, request) -> reply``.
        arguments: Keyword arguments for *setup* (picklable).
        start_timeout: Seconds a new worker may take to set up.
        offline: Blank the workers' proxy variables (:func:`relgraph.workers.blank_proxies`).

    Raises:
        RuntimeError: A worker failed to start (the message gives its error).
    """

    def __init__(self, size: int, setup: str, handler: str, arguments: dict[str, Any], start_timeout: float = 120.0, *, offline: bool = True) -> None:
        self._setup, self._handler, self._arguments = setup, handler, arguments
        self._start_timeout = start_timeout
        self._offline = offline
        self._idle: asyncio.Queue[Worker] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self.size = size
        self.replaced = 0
        workers = [self._spawn() for _ in range(size)]
        self._ready = [self._wait_ready(w) for w in workers]

    def _spawn(self) -> Worker:
        worker = Worker(self._setup, self._handler, self._arguments, offline=self._offline)
        with self._lock:
            self._all.add(worker)
        return worker

    def _wait_ready(self, worker: Worker) -> Worker:
        try:
            worker.wait_ready(self._start_timeout)
        except WorkerTimeout:
            raise RuntimeError(f"a query worker did not start within {self._start_timeout:g} s") from None
        except WorkerCrashed as exc:
            raise RuntimeError(f"a query worker failed to start: {exc}") from None
        return worker

    async def start(self) -> None:
        """Make the started workers available to :meth:`run` (call once, inside the event loop)."""
        self._idle = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        for worker in self._ready:
            self._idle.put_nowait(worker)
        self._ready = []

    async def run(self, request: Any, timeout: float | None) -> Any:
        """Answer a request in a worker, within a time limit.

        Args:
            request: The request for the handler.
            timeout: Seconds for waiting for a free worker, and again for the answer; ``None``
                for no limit.

        Returns:
            The handler's reply.

        Raises:
            WorkerBusy: No worker became free in time.
            WorkerTimeout: The answer took longer than *timeout* (the worker was replaced).
            WorkerCrashed: The worker died or its handler raised (the worker was replaced if dead).
        """
        assert self._idle is not None, "call start() first"
        waited = time.monotonic()
        while True:
            remaining = None if timeout is None else max(0.0, timeout - (time.monotonic() - waited))
            try:
                worker = await asyncio.wait_for(self._idle.get(), remaining)
            except (asyncio.TimeoutError, TimeoutError):
                raise WorkerBusy() from None
            if worker.is_alive():
                break
            # a worker that died while idle (killed from outside, out of memory) is replaced, and
            # the request goes to another: it never saw the request, so nothing is lost
            asyncio.get_running_loop().run_in_executor(None, self._replace, worker)
        try:
            return await asyncio.to_thread(worker.call, request, timeout)
        finally:
            if worker.is_alive():  # answered, or its handler raised: it goes on
                self._idle.put_nowait(worker)
            else:  # killed at the time limit, or died while answering
                asyncio.get_running_loop().run_in_executor(None, self._replace, worker)

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        self.replaced += 1
        for attempt in range(3):
            try:
                fresh = self._wait_ready(self._spawn())
                break
            except RuntimeError:
                time.sleep(1 + attempt)
        else:
            return
        self._loop.call_soon_threadsafe(self._idle.put_nowait, fresh)

    def close(self) -> None:
        """Kill every worker."""
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()
