"""The exception tree of relgraph.

Every error the library raises on purpose is a :class:`RelgraphError`. Its message is one line
that names the file (and line, where known) and says what to fix. The command-line interface
prints that line and exits with :attr:`RelgraphError.exit_code`, which is 2 for every error in
this tree: exit code 1 is reserved for validation results at or above ``--fail-on``.

The base class derives from :class:`click.ClickException` so that click shows the message
without a traceback; a plain ``ClickException`` would exit with 1.
"""

from __future__ import annotations

import click

__all__ = [
    "RelgraphError",
    "LayoutError",
    "InputError",
    "QueryError",
    "QueryRefused",
    "QueryTimeout",
    "ParameterError",
    "ExportError",
]


class RelgraphError(click.ClickException):
    """Base of all relgraph errors: a one-line message and exit code 2.

    Args:
        message: What went wrong and how to fix it, on one line.
    """

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


class LayoutError(RelgraphError):
    """The root folder (``--root`` / ``RELGRAPH_ROOT``) lacks ``ontology/``, ``graph/`` or ``queries/``."""


class InputError(RelgraphError):
    """An input file cannot be read or is not valid Turtle (or SPARQL).

    Args:
        path: The file, as the user named it.
        problem: What is wrong.
        line: The 1-based line of the problem, where known.
    """

    def __init__(self, path: object, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")

    def __reduce__(self):
        # pickled as its arguments, so that a worker process can hand it to its parent
        return (type(self), (self.path, self.problem, self.line))


class QueryError(RelgraphError):
    """A query is unknown, malformed, or cannot be answered in the requested format."""


class QueryRefused(QueryError):
    """A query asks for something relgraph never does for a user query: an update, SERVICE."""


class QueryTimeout(QueryError):
    """A query ran longer than its time limit and was stopped."""


class ParameterError(RelgraphError):
    """A stored-query parameter is unknown, missing, or names nothing or several things."""


class ExportError(RelgraphError):
    """An export could not be written; no partial file is left behind."""
