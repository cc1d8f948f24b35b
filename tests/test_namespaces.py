"""The Python vocabulary equals the ontology's terms: one source of truth."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import OWL, RDF

from tests.conftest import REPO
from relgraph.namespaces import RG, compact


def test_rg_lists_exactly_the_terms_the_ontology_defines() -> None:
    graph = rdflib.Graph().parse(REPO / "ontology" / "relgraph.ttl")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    defined = {str(s)[len(RG.base):] for k in kinds for s in graph.subjects(RDF.type, k) if str(s).startswith(RG.base)}
    assert defined == set(RG.terms)


def test_a_misspelt_term_fails_at_once() -> None:
    assert RG.start == "https://w3id.org/relgraph/ontology#start"
    with pytest.raises(AttributeError):
        RG.startDate  # noqa: B018
    with pytest.raises(KeyError):
        RG["startDate"]


def test_compact_prefers_the_longest_namespace() -> None:
    assert compact("https://w3id.org/relgraph/id/russia") == "rgid:russia"
    assert compact("https://w3id.org/relgraph/ontology#State") == "rg:State"
    assert compact("http://example.org/x y") == "<http://example.org/x y>"
