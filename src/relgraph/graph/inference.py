"""Optional inference for queries and validation: ``--infer rdfs`` or ``--infer owl-rl`` (owlrl).

Inference runs on a copy of the ontology and facts and returns only the new triples; they go to
their own named graph (``https://w3id.org/relgraph/graph/inferred``) of the query store, or into
the validation's private data graph. They never reach ``graph/``, an export, or a graph a
caller passed in. Dropped from what owlrl returns:

- statements whose subject is a literal (the rules derive them; no RDF graph may hold them);
- ``x owl:sameAs x`` (true of everything, and it would trip the check that forbids owl:sameAs);
- a literal value of ``(s, p)`` that equals one ``s`` already has for ``p`` but is not the same
  term: owlrl compares literals by their Python value, so ``"a"`` and ``"a"@en``, or ``true`` and
  ``"1"``, pass for each other (OWL-RL issue #61), and it copies them across.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import pyoxigraph as ox

from relgraph.errors import RelgraphError

__all__ = ["INFERENCE_MODES", "infer"]

INFERENCE_MODES = ("none", "rdfs", "owl-rl")
"""The values of ``--infer``."""


def _to_oxigraph(term):
    # imported here, only when inference is asked for: python -X importtime shows rdflib and owlrl, 0.8 s
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def infer(triples: Sequence[ox.Triple], mode: str) -> list[ox.Triple]:
    """Compute what RDFS or OWL RL entails from the triples, beyond the triples themselves.

    Args:
        triples: The ontology and facts (they are copied, never changed).
        mode: ``rdfs``, ``owl-rl`` or ``none``.

    Returns:
        The entailed triples that are not among the input and are valid RDF (no literal
        subjects, IRI predicates), without the axiomatic triples of RDF, RDFS and OWL.

    Raises:
        RelgraphError: An unknown mode.
    """
    if mode == "none":
        return []
    if mode not in INFERENCE_MODES:
        raise RelgraphError(f"--infer {mode!r}: use one of {', '.join(INFERENCE_MODES)}")

    # rdflib (which the bridge imports) and owlrl: 70 ms to import (python -X importtime), on the
    # main job's path when it builds its cache entry (loading.py imports this module); only --infer needs them
    import owlrl
    import rdflib

    from relgraph.graph.rdflib_bridge import to_rdflib_graph

    graph = to_rdflib_graph(triples)
    before = set(graph)
    semantics = owlrl.RDFS_Semantics if mode == "rdfs" else owlrl.OWLRL_Semantics
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    values: dict[tuple, set] = {}
    for s, p, o in before:
        if isinstance(o, rdflib.Literal):
            values.setdefault((s, p), set()).add(o)
    same_as = rdflib.OWL.sameAs
    new = []
    for s, p, o in graph:
        if (s, p, o) in before or isinstance(s, rdflib.Literal) or not isinstance(p, rdflib.URIRef):
            continue
        if p == same_as and s == o:
            continue
        if isinstance(o, rdflib.Literal) and any(_same_value(o, had) for had in values.get((s, p), ())):
            continue
        new.append(ox.Triple(_to_oxigraph(s), _to_oxigraph(p), _to_oxigraph(o)))
    return sorted(new, key=str)


def _same_value(a, b) -> bool:
    """owlrl's idea of literal equality: Python values, whatever the datatype or language."""
    try:
        return a.toPython() == b.toPython()
    except Exception:  # values that cannot be compared are not equal
        return False
