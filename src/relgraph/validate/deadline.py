"""The time limit of ``relgraph validate``, and what was running when it passed.

A shape written by a user can make validation run for hours (a ``sh:pattern`` with nested
quantifiers such as ``^(a+)+$`` backtracks exponentially). :func:`time_limit` stops the work of
the calling process when its deadline passes, with a ``SIGALRM`` timer whose handler raises
:class:`ValidationTimeout`: Python's regular expression engine, rdflib and pySHACL all check for
signals while they run, so the exception interrupts them. (A single Oxigraph query, which runs
in Rust without checking signals, is stopped when it returns.) The timer works in the main
thread of a process only; elsewhere no limit is set.

What is running is kept as a stack of descriptions (:func:`running`), and pySHACL's
``Shape.validate`` is wrapped for the time of :func:`tracking_pyshacl` so that the stack names
the shape being checked (pySHACL has no progress hook). The error names the innermost shape and
the IRI-named shape that holds it.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator

import rdflib
from pyshacl.shape import Shape

from relgraph.errors import RelgraphError
from relgraph.namespaces import compact
from relgraph.validate.report import path_text

__all__ = ["ValidationTimeout", "time_limit", "running", "tracking_pyshacl", "current", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 600.0
"""Seconds ``relgraph validate`` may take by default: a graph of about 500,000 triples takes a
few minutes on a CI machine (``benchmarks/``), so ten minutes stops only a runaway shape."""

_STACK: list = []


class ValidationTimeout(RelgraphError):
    """Validation passed its time limit and was stopped (exit code 2).

    Args:
        seconds: The limit.
        activity: What was running, in words.
    """

    def __init__(self, seconds: float, activity: str) -> None:
        self.seconds = seconds
        self.activity = activity
        super().__init__(
            f"validation stopped after {seconds:g} s (the --timeout) while checking {activity}; "
            "simplify that shape (a sh:pattern with nested quantifiers such as (a+)+ backtracks without end) "
            "or give a larger --timeout (0 for none)"
        )

    def __reduce__(self):
        return (ValidationTimeout, (self.seconds, self.activity))


@contextlib.contextmanager
def running(description: str) -> Iterator[None]:
    """Record what is running for the error message of a timeout.

    Args:
        description: What, in words (``the quality check qc/x.rq``).
    """
    _STACK.append(description)
    try:
        yield
    finally:
        _STACK.pop()


def _describe(entry) -> str:
    if isinstance(entry, str):
        return entry
    return _shape_text(entry)


def _shape_text(shape) -> str:

    def name(node) -> str:
        return compact(str(node)) if isinstance(node, rdflib.URIRef) else f"_:{node}"

    text = f"the shape {name(shape.node)}"
    if getattr(shape, "is_property_shape", False):
        path = shape.path()

        shown = path_text(shape.sg.graph, path)
        text = f"the property shape {name(shape.node)} (sh:path {compact(shown) if isinstance(path, rdflib.URIRef) else shown})"
    return text


def current() -> str:
    """What is running now, in words: the innermost shape or step, and the IRI-named shape that
    holds it; ``"validation"`` when nothing is recorded."""
    if not _STACK:
        return "validation"
    inner = _describe(_STACK[-1])

    outer = next((e for e in _STACK if not isinstance(e, str) and isinstance(e.node, rdflib.URIRef)), None)
    if outer is not None and outer is not _STACK[-1]:
        return f"{inner} in {_shape_text(outer)}"
    return inner


@contextlib.contextmanager
def tracking_pyshacl() -> Iterator[None]:
    """Wrap pySHACL's ``Shape.validate`` so that :func:`current` names the shape being checked."""

    original = Shape.validate
    if getattr(original, "_relgraph_tracked", False):
        yield
        return

    def validate(self, *args, **kwargs):
        _STACK.append(self)
        try:
            return original(self, *args, **kwargs)
        finally:
            _STACK.pop()

    validate._relgraph_tracked = True  # type: ignore[attr-defined]
    Shape.validate = validate
    try:
        yield
    finally:
        Shape.validate = original


@contextlib.contextmanager
def time_limit(seconds: float | None, *, deadline: float | None = None, shown: float | None = None) -> Iterator[None]:
    """Stop the work in the block when the time limit passes.

    Args:
        seconds: The limit in seconds from now; ``None`` or ``0`` for none.
        deadline: Instead of *seconds*, the wall-clock time (``time.time()``) at which to stop,
            for worker processes that share their parent's limit.
        shown: The limit to name in the error (default: *seconds*).

    Raises:
        ValidationTimeout: The limit passed; the message names what was running.
    """
    if deadline is not None:
        remaining = deadline - time.time()
    else:
        remaining = seconds or 0
    limit = shown if shown is not None else (seconds or 0)
    if (not seconds and deadline is None) or threading.current_thread() is not threading.main_thread():
        with tracking_pyshacl():
            yield
        return

    def expire(signum, frame) -> None:
        raise ValidationTimeout(limit, current())

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        with tracking_pyshacl():
            if remaining <= 0:
                raise ValidationTimeout(limit, current())
            signal.setitimer(signal.ITIMER_REAL, remaining)
            yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
