"""Recording the worker processes relgraph starts (:class:`relgraph.workers.Worker`)."""

from __future__ import annotations

import pytest

import relgraph.workers


def recording_workers(monkeypatch: pytest.MonkeyPatch) -> list[relgraph.workers.Worker]:
    """Record every :class:`relgraph.workers.Worker` created while the test runs.

    Returns:
        The list the workers are appended to as they start (each has ``setup``, ``handler``
        and ``arguments`` as it was given them).
    """
    workers: list[relgraph.workers.Worker] = []
    made = relgraph.workers.Worker.__init__

    def recording_init(self, setup, handler, arguments=None, **options):
        made(self, setup, handler, arguments, **options)
        self.setup, self.handler, self.arguments = setup, handler, dict(arguments or {})
        workers.append(self)

    monkeypatch.setattr(relgraph.workers.Worker, "__init__", recording_init)
    return workers
