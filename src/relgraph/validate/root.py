"""Validating a root: at once, or in parts when it holds the world layer's claim tables (one
place for that choice, for the command line and the Python API)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from relgraph.paths import Layout
from relgraph.validate.parts import validate_store
from relgraph.validate.report import ValidationReport
from relgraph.validate.whole import validate

__all__ = ["in_parts", "validate_root"]


def in_parts(layout: Layout, paths: Sequence[Path] = (), *, standalone: bool = False, infer: str = "none") -> bool:
    """Whether a validation of *layout* runs in parts: the root's own graph (no files given, no
    inference) when it has claim tables (``graph/tables/*.csv``). pySHACL over the whole world
    layer at once takes more than 10 minutes; in parts, about a minute on 2 CPUs."""
    return not paths and not standalone and infer == "none" and bool(layout.table_files())


def validate_root(layout: Layout, paths: Sequence[Path] = (), *, standalone: bool = False, infer: str = "none") -> ValidationReport:
    """Validate a root's graph (and any further files) against its shapes and quality checks.

    Args:
        layout: The root.
        paths: Further Turtle files to validate with the graph (reported on their own focus nodes).
        standalone: Validate *paths* with the ontology only.
        infer: ``none``, ``rdfs`` or ``owl-rl``.

    Returns:
        The report: the same results at once or in parts (:func:`in_parts` decides).

    Raises:
        InputError: A file cannot be read or parsed.
    """
    if in_parts(layout, paths, standalone=standalone, infer=infer):
        return validate_store(layout, None)
    return validate(layout, list(paths), standalone=standalone, infer=infer)
