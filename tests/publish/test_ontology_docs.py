"""The ontology's HTML documentation (pyLODE with relgraph's sections of concept schemes and
shapes): ``relgraph docs`` and the server's ``/ontology`` page for browsers."""

from __future__ import annotations

import sys

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, SKOS

from relgraph.paths import Layout
from relgraph.publish.ontology_docs import ontology_html, shapes_by_term
from tests.conftest import REPO, run_cli

RG = "https://w3id.org/relgraph/ontology#"
SHAPES = "https://w3id.org/relgraph/shapes#"


@pytest.fixture(scope="module")
def page() -> str:
    return ontology_html(Layout(REPO))


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in Layout(REPO).ontology_files():
        graph.parse(path)
    return graph


def _terms(graph: rdflib.Graph) -> list[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return sorted({str(s) for kind in kinds for s in graph.subjects(RDF.type, kind) if isinstance(s, rdflib.URIRef)})


def test_every_class_and_property_is_documented(page, ontology) -> None:
    terms = _terms(ontology)
    assert len(terms) > 150  # the collection is the ontology's, not empty
    assert [t for t in terms if t not in page] == []
    # the page is the ontology's, not a concept scheme's (pyLODE takes the last title it finds)
    assert "<title>relgraph ontology</title>" in page
    # pyLODE's entries carry their label, comment, domain and range
    assert 'id="Membership"' in page and "membership" in page.lower()
    assert "Domain" in page and "Range" in page


def test_every_concept_scheme_and_concept_is_documented(page, ontology) -> None:
    schemes = sorted(str(s) for s in ontology.subjects(RDF.type, SKOS.ConceptScheme))
    concepts = sorted({str(c) for c in ontology.subjects(SKOS.inScheme, None)})
    assert len(schemes) > 10 and len(concepts) > 50
    assert [s for s in [*schemes, *concepts] if f"<code>{s}</code>" not in page] == []
    assert "<td>treaty terminated</td>" in page  # a concept's English preferred label


def test_the_shapes_that_constrain_each_term_are_named(page) -> None:
    shapes = shapes_by_term(Layout(REPO))
    assert [n.shape for n in shapes[RG + "Membership"]] == [SHAPES + "MembershipShape"]
    assert SHAPES + "CitedSourceShape" not in {n.shape for notes in shapes.values() for n in notes}  # it targets objects of a property, not a class
    alpha2 = shapes[RG + "iso3166Alpha2"]
    # every shape is named, by its own IRI or that of the named shape it is part of
    assert [n.shape for n in alpha2] == [SHAPES + "StateCodesShape", SHAPES + "StateShape"] and alpha2[1].messages
    section = page[page.index('<div class="section" id="shapes">'):]
    assert '<td><a href="#Membership">rg:Membership</a></td><td><ul><li><code>rgsh:MembershipShape</code>' in section


def test_relgraph_docs_writes_the_same_page_each_time(tmp_path, page) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    for out in (first, second):
        result = run_cli("--root", str(REPO), "docs", "--output", str(out))
        assert result.code == 0, result.stderr
        assert f"Wrote {out} (" in result.stderr
    assert first.read_bytes() == second.read_bytes() == page.encode("utf-8")


def test_without_pylode_the_command_says_how_to_install_it(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pylode", None)  # as if the extra were not installed
    result = run_cli("--root", str(REPO), "docs")
    assert result.code == 2
    assert result.stderr.strip() == "Error: the ontology documentation needs pyLODE: pip install 'relgraph[docs]'"
    assert result.stdout == ""
