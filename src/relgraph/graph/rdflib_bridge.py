"""Converting pyoxigraph terms into rdflib terms, for the libraries that need rdflib (pySHACL).

Literals are converted from their lexical form as written and keep it (rdflib would otherwise
normalise ``"1000"^^xsd:double`` to ``"1000.0"``), so an ill-typed literal stays ill-typed
(rdflib flags it and the SHACL ``sh:datatype`` check reports it) and validation reports show
values as written.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
import rdflib

from relgraph.namespaces import XSD

__all__ = ["to_rdflib_term", "to_rdflib_graph"]

_XSD_STRING = XSD + "string"


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Identifier:
    """Convert one pyoxigraph term.

    Args:
        term: A pyoxigraph IRI, blank node or literal.

    Returns:
        The rdflib ``URIRef``, ``BNode`` or ``Literal`` with the same lexical form, language tag
        and datatype.
    """
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value), normalize=False)


def to_rdflib_graph(triples: Iterable[ox.Triple | ox.Quad], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """Add triples (or the triples of quads) to an rdflib graph.

    Args:
        triples: pyoxigraph triples or quads; the graph name of quads is dropped.
        graph: The graph to add to; a new one if ``None``.

    Returns:
        The rdflib graph.
    """
    target = graph if graph is not None else rdflib.Graph()
    for t in triples:
        target.add((to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object)))
    return target
