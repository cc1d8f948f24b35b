"""Writing RDF: the serializations relgraph gives (Turtle, N-Triples, JSON-LD, RDF/XML).

One writer for every RDF answer and export: pyoxigraph's serializers, with the prefixes of
:data:`relgraph.namespaces.PREFIXES` that the triples use, language tags as the files wrote them
(:mod:`relgraph.graph.langtags`), and RDF/XML refused where it cannot hold the graph
(:mod:`relgraph.publish.rdfxml`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from relgraph.graph.langtags import serialize
from relgraph.namespaces import PREFIXES
from relgraph.publish import rdfxml

__all__ = ["RDF_FORMATS", "serialize_triples", "used_prefixes"]


RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "json-ld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
"""RDF serializations by their ``--format`` name (``rdfxml`` is RDF/XML; ``xml`` names the
SPARQL XML results format)."""


def serialize_triples(triples: Sequence[ox.Triple], fmt: str, language_tags: Mapping[str, str] | None = None) -> bytes:
    """Serialize triples, declaring only the prefixes of :data:`PREFIXES` that they use.

    Args:
        triples: The triples, with literals as they should be written.
        fmt: ``turtle``, ``nt``, ``json-ld`` or ``rdfxml``.
        language_tags: Language tags to write as the files wrote them, lower case → written
            (:mod:`relgraph.graph.langtags`); pyoxigraph alone writes them in lower case.

    Returns:
        The serialization, UTF-8 (empty for no triples in N-Triples).

    Raises:
        relgraph.errors.ExportError: RDF/XML cannot hold the triples (:mod:`relgraph.publish.rdfxml`).
    """

    if fmt == "rdfxml":

        triples = list(triples)
        rdfxml.check_writable(triples)
        data = serialize(triples, RDF_FORMATS[fmt], language_tags or {}, prefixes=used_prefixes(triples))
        rdfxml.check_round_trip(data, triples)
        return data
    if fmt == "nt":  # N-Triples has no prefixes: no pass over the triples to find them
        return serialize(triples, RDF_FORMATS[fmt], language_tags or {})
    return serialize(triples, RDF_FORMATS[fmt], language_tags or {}, prefixes=used_prefixes(triples))


def used_prefixes(triples: Sequence[ox.Triple]) -> dict[str, str]:
    """The prefixes of :data:`PREFIXES` whose namespaces the triples use.

    Args:
        triples: Triples.

    Returns:
        Prefix → namespace IRI.
    """
    wanted = dict(PREFIXES)
    used: dict[str, str] = {}
    for triple in triples:  # one pass, ending once every prefix is found
        for prefix, namespace in list(wanted.items()):
            if _uses(triple, namespace):
                used[prefix] = wanted.pop(prefix)
        if not wanted:
            break
    return {p: used[p] for p in PREFIXES if p in used}


def _uses(triple: ox.Triple, namespace: str) -> bool:
    terms = (triple.subject, triple.predicate, triple.object)
    if any(isinstance(term, ox.NamedNode) and term.value.startswith(namespace) for term in terms):
        return True
    return isinstance(triple.object, ox.Literal) and triple.object.datatype.value.startswith(namespace)
