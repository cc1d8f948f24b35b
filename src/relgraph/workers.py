"""A pool of query worker processes that can be killed: time limits for engines that cannot cancel.

Neither pyoxigraph nor rdflib can stop a running query, so ``relgraph serve`` runs every query
in one of a fixed number of worker processes (``multiprocessing`` with the *spawn* start
method, so a worker inherits no server state). Each worker opens the read-only store once and
answers requests one at a time. When a request passes its time limit, its worker is killed
(``SIGKILL``) and a fresh one is started in its place, while the other workers go on answering.
A worker dies with the server (Linux ``PR_SET_PDEATHSIG``).

The request and the reply are any picklable objects; what a worker does with a request is the
*handler*, a module-level function ``handler(state, request) -> reply`` whose ``state`` comes
from ``setup(**arguments)`` once per worker.
"""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing
import signal
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

__all__ = ["WorkerPool", "WorkerTimeout", "WorkerBusy", "WorkerCrashed", "die_with_parent"]


class WorkerTimeout(Exception):
    """The request passed its time limit; its worker was killed and replaced."""


class WorkerBusy(Exception):
    """Every worker stayed busy for the whole time limit; the request never started."""


class WorkerCrashed(Exception):
    """The worker died while answering (for example, out of memory); it was replaced."""


def die_with_parent() -> None:
    """In a child process: ask Linux to kill it when its parent dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``).

    Does nothing on other systems.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except OSError:
            pass


def _main(connection, setup: str, handler: str, arguments: dict[str, Any]) -> None:
    """The worker's loop: set up once, then answer requests until the pipe closes."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server's Ctrl-C is for the server to handle
    module_name, _, function = setup.rpartition(".")
    state = getattr(importlib.import_module(module_name), function)(**arguments)
    module_name, _, function = handler.rpartition(".")
    handle = getattr(importlib.import_module(module_name), function)
    connection.send(("ready", None))
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", handle(state, request))
        except BaseException as exc:  # reported to the server, which answers 500
            reply = ("error", f"{type(exc).__name__}: {exc}")
        connection.send(reply)


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Any

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


class WorkerPool:
    """A fixed number of worker processes, each answering one request at a time.

    Args:
        size: The number of workers (≥ 1).
        setup: Dotted name of the function that builds a worker's state from *arguments*.
        handler: Dotted name of ``handler(state, request) -> reply``.
        arguments: Keyword arguments for *setup* (picklable).
        start_timeout: Seconds a new worker may take to set up.

    Raises:
        RuntimeError: A worker failed to start (the message gives its error).
    """

    def __init__(self, size: int, setup: str, handler: str, arguments: dict[str, Any], start_timeout: float = 120.0) -> None:
        self._context = multiprocessing.get_context("spawn")
        self._setup, self._handler, self._arguments = setup, handler, arguments
        self._start_timeout = start_timeout
        self._idle: asyncio.Queue[_Worker] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.size = size
        self.replaced = 0
        workers = [self._spawn() for _ in range(size)]
        self._ready = [self._wait_ready(w) for w in workers]

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_main, args=(child, self._setup, self._handler, self._arguments), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.add(worker)
        return worker

    def _wait_ready(self, worker: _Worker) -> _Worker:
        if not worker.connection.poll(self._start_timeout):
            worker.kill()
            raise RuntimeError(f"a query worker did not start within {self._start_timeout:g} s")
        try:
            status, _ = worker.connection.recv()
        except (EOFError, OSError):
            worker.kill()
            raise RuntimeError(f"a query worker stopped while starting (exit code {worker.process.exitcode})") from None
        if status != "ready":
            raise RuntimeError("a query worker failed to start")
        return worker

    async def start(self) -> None:
        """Make the started workers available to :meth:`run` (call once, inside the event loop)."""
        self._idle = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        for worker in self._ready:
            self._idle.put_nowait(worker)
        self._ready = []

    def _call(self, worker: _Worker, request: Any, timeout: float | None) -> Any:
        worker.connection.send(request)
        if not worker.connection.poll(timeout):
            raise WorkerTimeout()
        return worker.connection.recv()

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
            if worker.process.is_alive():
                break
            # a worker that died while idle (killed from outside, out of memory) is replaced, and
            # the request goes to another: it never saw the request, so nothing is lost
            asyncio.get_running_loop().run_in_executor(None, self._replace, worker)
        healthy = False
        try:
            status, reply = await asyncio.to_thread(self._call, worker, request, timeout)
            healthy = True
        except WorkerTimeout:
            raise
        except (EOFError, OSError, BrokenPipeError):
            raise WorkerCrashed(f"the query worker stopped (exit code {worker.process.exitcode})") from None
        finally:
            if healthy:
                self._idle.put_nowait(worker)
            else:
                asyncio.get_running_loop().run_in_executor(None, self._replace, worker)
        if status != "ok":
            raise WorkerCrashed(reply)
        return reply

    def _replace(self, worker: _Worker) -> None:
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
