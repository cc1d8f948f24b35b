"""Serializations of the graph for linked-data consumers: ``relgraph export``.

The export holds the ontology and the facts (or the facts only), merged into one graph, as
written in the files: it is serialized from the parsed triples with pyoxigraph's serializers,
which keep every literal's lexical form (the query store and rdflib's parser would normalise
some). Derived triples (date bounds, best ranks) are never exported.

Formats: Turtle (``text/turtle``), N-Triples (``application/n-triples``) and JSON-LD
(``application/ld+json``, expanded form, no remote context).

Files are written atomically: to a temporary file beside the target, then renamed over it, so
a failed export leaves no partial file and never damages an existing one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from relgraph.errors import ExportError
from relgraph.loading import LoadedGraph
from relgraph.results import RDF_FORMATS, serialize_triples

__all__ = ["EXPORT_FORMATS", "serialize_graph", "write_atomically"]

EXPORT_FORMATS = tuple(RDF_FORMATS)
"""The ``--format`` names of export: ``turtle``, ``nt``, ``json-ld``."""


def serialize_graph(loaded: LoadedGraph, fmt: str, *, facts_only: bool = False) -> bytes:
    """Serialize the ontology and facts (or the facts only) as one graph.

    Args:
        loaded: The loaded graph.
        fmt: ``turtle``, ``nt`` or ``json-ld``.
        facts_only: Leave out the ontology.

    Returns:
        The serialization, UTF-8.

    Raises:
        ExportError: *fmt* is not an export format.
    """
    if fmt not in RDF_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    return serialize_triples(loaded.triples(facts_only=facts_only), fmt)


def write_atomically(data: bytes, path: Path) -> None:
    """Write *data* to *path* so that readers see the old file or the whole new one, never part.

    Args:
        data: The bytes to write.
        path: The target file; its folder must exist.

    Raises:
        ExportError: The folder does not exist, the target is a folder, or writing failed; no
            temporary file is left behind.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; give --output a file name")
    if not folder.is_dir():
        raise ExportError(f"{path}: the folder {folder} does not exist; create it first")
    handle = None
    temporary = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        temporary = Path(name)
        with os.fdopen(handle, "wb") as out:
            handle = None
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
        temporary = None
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    finally:
        if handle is not None:
            os.close(handle)
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
