"""The description of one entity: what ``relgraph describe`` prints and the server's documents hold.

One pipeline for the command line and the server: the stored ``describe`` query (a CONSTRUCT
of the entity's own statements, the claims and entities that name it, and their sources) run
for the entity's IRI, its literals as the files wrote them
(:func:`relgraph.graph.loading.as_written`), in canonical order
(:func:`relgraph.publish.canonical.canonical_triples`), with the JSON-LD frame that fits the
entity's class (:func:`relgraph.publish.jsonld.frame_for`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from relgraph.graph.loading import as_written
from relgraph.publish.canonical import canonical_triples
from relgraph.publish.jsonld import frame_for
from relgraph.query.binding import run
from relgraph.query.catalogue import StoredQuery

__all__ = ["DESCRIBE_QUERY", "Description", "describe"]

DESCRIBE_QUERY = "describe"
"""The name of the stored query that describes an entity (``queries/describe.rq``)."""


@dataclass(frozen=True)
class Description:
    """Everything the graph says about one entity.

    Attributes:
        iri: The entity's IRI.
        triples: The triples of its description, literals as written, in canonical order.
        frame: The name of the committed JSON-LD frame that fits its class, or ``None``.
    """

    iri: str
    triples: list[ox.Triple]
    frame: str | None


def describe(store: ox.Store, query: StoredQuery, iri: str) -> Description:
    """Describe one entity.

    Args:
        store: The query store.
        query: The stored ``describe`` query of the root (:data:`DESCRIBE_QUERY`).
        iri: The entity's IRI (resolved already: :func:`relgraph.query.binding.resolve`).

    Returns:
        Its description.

    Raises:
        relgraph.errors.QueryError: The stored query is not valid SPARQL.
    """
    triples = canonical_triples(as_written(run(store, query, {"entity": iri}), store))
    return Description(iri, triples, frame_for(store, iri))
