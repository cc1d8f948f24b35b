"""Worker processes that can be killed: time limits for query engines that cannot cancel.

Neither pyoxigraph nor rdflib can stop a running query, so relgraph runs a user's query in a
separate process and kills it (``SIGKILL``) when its time limit passes. This is the one
mechanism for that, used by the ad-hoc query of ``relgraph sparql`` (:func:`run_once`: one
worker for one request), by the server's pool (:class:`relgraph.serve.pool.WorkerPool`: a
fixed number of workers, each answering requests one at a time) and by validation in parts
(:func:`map_in_workers`: a batch of requests shared out among a few workers).

A worker is ``python -m relgraph.workers FD PARENT``, a fresh interpreter that inherits no
state of its parent but its environment; it speaks with its parent over one end of a socket
pair (file descriptor FD), as pickled messages (:class:`multiprocessing.connection.Connection`):

1. the parent sends ``(setup, handler, arguments)``: dotted names of two module-level
   functions and the keyword arguments of the first;
2. the worker calls ``state = setup(**arguments)`` once (no setup: ``state`` is ``None``) and
   answers ``("ready", None)``;
3. then, for each request the parent sends, it answers ``("ok", handler(state, request))``, or
   ``("error", "Type: message")`` when the handler raised; until the parent closes its end.

A worker dies with its parent (Linux ``PR_SET_PDEATHSIG``, checked against a parent that died
before it was set) and ignores the terminal's Ctrl-C, which is for its parent to handle. An
*offline* worker has every proxy variable of its environment pointed at a closed port
(:func:`blank_proxies`): should any HTTP client in it honour them, it reaches nothing.
"""

from __future__ import annotations

import importlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import MutableMapping, Sequence
from multiprocessing.connection import Connection
from typing import Any

__all__ = [
    "WorkerTimeout",
    "WorkerCrashed",
    "Worker",
    "run_once",
    "map_in_workers",
    "die_with_parent",
    "blank_proxies",
    "PROXY_VARIABLES",
    "main",
]

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
"""The environment variables through which HTTP clients find a proxy."""

_NOWHERE = "http://127.0.0.1:9"
"""A proxy that cannot be reached (the discard port, on loopback)."""


class WorkerTimeout(Exception):
    """The request passed its time limit; its worker was killed."""


class WorkerCrashed(Exception):
    """The worker stopped while answering or starting (for example, out of memory), or its handler
    raised; the message says which, with the worker's exit code or signal."""


def die_with_parent() -> None:
    """In a child process: ask Linux to kill it when its parent dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``).

    Does nothing on other systems.
    """
    if sys.platform.startswith("linux"):
        import ctypes  # only on Linux, in the child: ctypes is 4 ms to import and no parent needs it

        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except OSError:
            pass


def blank_proxies(environment: MutableMapping[str, str]) -> None:
    """Point every proxy variable of an environment at a port that answers nothing, and drop the
    exceptions to them (``no_proxy``): defence in depth for processes that must reach no network.

    Args:
        environment: ``os.environ``, or the environment of a process to start.
    """
    for name in PROXY_VARIABLES:
        environment[name] = _NOWHERE
    environment.pop("no_proxy", None)
    environment.pop("NO_PROXY", None)


def _how_it_ended(process: subprocess.Popen) -> str:
    code = process.poll()
    if code is None:
        return "still running"
    return f"signal {-code}" if code < 0 else f"exit code {code}"


class Worker:
    """One worker process (see the module documentation), started at once.

    Args:
        setup: Dotted name of ``setup(**arguments) -> state``, or ``None`` for no state.
        handler: Dotted name of ``handler(state, request) -> reply``.
        arguments: Keyword arguments for *setup* (picklable).
        offline: Blank the worker's proxy variables (:func:`blank_proxies`).
        quiet: Send the worker's own standard output and error to ``/dev/null`` (else it shares
            its parent's).
    """

    def __init__(self, setup: str | None, handler: str, arguments: dict[str, Any] | None = None, *, offline: bool = True, quiet: bool = False) -> None:
        parent, child = socket.socketpair()
        environment = dict(os.environ)
        if offline:
            blank_proxies(environment)
        output = subprocess.DEVNULL if quiet else None
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "relgraph.workers", str(child.fileno()), str(os.getpid())],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                env=environment,
                pass_fds=(child.fileno(),),
            )
        finally:
            child.close()
        self.connection = Connection(parent.detach())
        self.connection.send((setup, handler, arguments or {}))

    def wait_ready(self, timeout: float | None) -> None:
        """Wait until the worker has set up.

        Args:
            timeout: Seconds, or ``None`` for no limit.

        Raises:
            WorkerTimeout: It did not set up in time (it was killed).
            WorkerCrashed: It stopped, or its setup raised (it was killed).
        """
        status, reply = self._receive(timeout)
        if status != "ready":
            self.kill()
            raise WorkerCrashed(f"the worker failed to start: {reply}")

    def call(self, request: Any, timeout: float | None) -> Any:
        """Answer a request in the worker.

        Args:
            request: The request for the handler (picklable).
            timeout: Seconds for the answer, or ``None`` for no limit.

        Returns:
            The handler's reply.

        Raises:
            WorkerTimeout: No answer in time (the worker was killed).
            WorkerCrashed: The worker stopped (it was killed), or the handler raised (the worker
                goes on).
        """
        try:
            self.connection.send(request)
        except OSError:
            self.kill()
            raise WorkerCrashed(f"the worker stopped ({_how_it_ended(self.process)})") from None
        status, reply = self._receive(timeout)
        if status != "ok":
            raise WorkerCrashed(reply)
        return reply

    def _receive(self, timeout: float | None) -> tuple[str, Any]:
        try:
            if not self.connection.poll(timeout):
                self.kill()
                raise WorkerTimeout()
            return self.connection.recv()
        except (EOFError, OSError):
            self.kill()
            raise WorkerCrashed(f"the worker stopped ({_how_it_ended(self.process)})") from None

    def is_alive(self) -> bool:
        """Whether the worker process is still running."""
        return self.process.poll() is None

    def kill(self) -> None:
        """Kill the worker (if it still runs), reap it and close the connection."""
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not refused
            pass
        self.connection.close()


def run_once(setup: str | None, handler: str, arguments: dict[str, Any] | None, request: Any, timeout: float | None, *, offline: bool = True) -> Any:
    """Answer one request in a worker of its own, within one time limit for all of it.

    The time limit covers starting the worker, its setup and the answer. A caller stopped by
    ``SIGTERM`` or ``SIGHUP`` meanwhile kills the worker first, then exits with ``128 + signal``.

    Args:
        setup: As :class:`Worker`.
        handler: As :class:`Worker`.
        arguments: As :class:`Worker`.
        request: The request.
        timeout: Seconds in all, or ``None`` for no limit.
        offline: As :class:`Worker`.

    Returns:
        The handler's reply.

    Raises:
        WorkerTimeout: The limit passed (the worker was killed).
        WorkerCrashed: The worker stopped without an answer, or the handler raised.
    """
    started = time.monotonic()
    worker = Worker(setup, handler, arguments, offline=offline, quiet=True)
    previous = {}

    def stop(signum, frame):  # a terminated caller takes its worker with it
        worker.kill()
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        try:
            previous[signum] = signal.signal(signum, stop)
        except (ValueError, OSError):  # not the main thread
            pass
    try:
        worker.wait_ready(timeout)
        remaining = None if timeout is None else max(0.0, timeout - (time.monotonic() - started))
        return worker.call(request, remaining)
    finally:
        worker.kill()
        for signum, handler_before in previous.items():
            signal.signal(signum, handler_before)


def map_in_workers(setup: str | None, handler: str, arguments: dict[str, Any] | None, requests: Sequence[Any], count: int, *, offline: bool = True) -> list[Any]:
    """Answer a batch of requests in a few workers that share them out, like ``Pool.map``.

    *count* workers are started at once, each sets up once, and each takes the next request
    not yet taken as soon as it has answered its last (one feeding thread per worker). The
    calling thread waits in short steps, so a signal handler of the caller (a ``SIGALRM`` time
    limit) interrupts it; every worker is killed when this returns or raises.

    Args:
        setup: As :class:`Worker`.
        handler: As :class:`Worker`.
        arguments: As :class:`Worker`.
        requests: The requests (picklable), any number.
        count: Workers to start (at least 1, at most one per request).
        offline: As :class:`Worker`.

    Returns:
        The replies, in the order of *requests*.

    Raises:
        WorkerCrashed: A worker failed to set up or stopped, or a handler raised (the first
            such error; the other workers are killed).
    """
    requests = list(requests)
    if not requests:
        return []
    workers = [Worker(setup, handler, arguments, offline=offline) for _ in range(max(1, min(count, len(requests))))]
    pending: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(requests)):
        pending.put(index)
    answered: queue.SimpleQueue[tuple[int, Any, Exception | None]] = queue.SimpleQueue()

    def feed(worker: Worker) -> None:
        try:
            worker.wait_ready(None)
            while True:
                try:
                    index = pending.get_nowait()
                except queue.Empty:
                    return
                answered.put((index, worker.call(requests[index], None), None))
        except (WorkerCrashed, WorkerTimeout) as exc:
            answered.put((-1, None, exc))

    threads = [threading.Thread(target=feed, args=(worker,), name="relgraph-feed", daemon=True) for worker in workers]
    replies: list[Any] = [None] * len(requests)
    try:
        for thread in threads:
            thread.start()
        for _ in requests:
            while True:
                try:
                    index, reply, error = answered.get(timeout=0.2)  # short steps: signals reach the caller
                    break
                except queue.Empty:
                    continue
            if error is not None:
                raise error
            replies[index] = reply
    finally:
        for worker in workers:  # a feeding thread waiting on a killed worker sees its end close and stops
            if worker.is_alive():
                worker.process.kill()
        for thread in threads:
            thread.join()
        for worker in workers:
            worker.kill()
    return replies


def _function(dotted: str):
    module_name, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), name)


def main(argv: list[str] | None = None) -> None:
    """The worker's loop (``python -m relgraph.workers FD PARENT``; see the module documentation).

    Args:
        argv: ``[FD, PARENT]``: the worker's end of the socket pair and its parent's process id
            (``sys.argv[1:]`` if ``None``).
    """
    fd, parent = (int(a) for a in (sys.argv[1:] if argv is None else argv))
    die_with_parent()
    if os.getppid() != parent:  # the parent died before PR_SET_PDEATHSIG was set
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the terminal's Ctrl-C is for the parent to handle
    connection = Connection(fd)
    try:
        setup, handler, arguments = connection.recv()
        state = _function(setup)(**arguments) if setup else None
        handle = _function(handler)
    except (EOFError, OSError):
        return
    except BaseException as exc:  # reported to the parent, which says the worker failed to start
        connection.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    connection.send(("ready", None))
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", handle(state, request))
        except BaseException as exc:  # reported to the parent, which decides what it means
            reply = ("error", f"{type(exc).__name__}: {exc}")
        connection.send(reply)


if __name__ == "__main__":
    main()
