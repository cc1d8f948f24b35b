"""Serializations of the graph for linked-data consumers: ``relgraph export``.

The export holds the ontology and the facts (or the facts only), merged into one graph, as
written in the files: it is serialized from the parsed triples with pyoxigraph's serializers,
which keep every literal's lexical form (the query store and rdflib's parser would normalise
some). Derived triples (date bounds, best ranks) are never exported.

Formats: Turtle (``text/turtle``), N-Triples (``application/n-triples``) and JSON-LD
(``application/ld+json``, expanded form, no remote context).

``--output`` files are written atomically (:func:`relgraph.output.write_atomically`).
"""

from __future__ import annotations

from relgraph.errors import ExportError
from relgraph.loading import LoadedGraph
from relgraph.results import RDF_FORMATS, serialize_triples

__all__ = ["EXPORT_FORMATS", "serialize_graph"]

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
