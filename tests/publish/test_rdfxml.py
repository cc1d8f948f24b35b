"""RDF/XML output (``--format rdfxml``) for export, sparql, query and describe: deterministic,
literals and language tags as written, read back by two independent parsers, and a clear
refusal for what RDF/XML cannot hold."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

from tests.conftest import run_cli
from relgraph.publish.canonical import canonical_triples
from relgraph.publish.export import export_triples

RUSSIA = "https://w3id.org/relgraph/id/russia"


def test_export_writes_rdf_xml_that_reads_back_as_the_export(loaded) -> None:
    first = run_cli("export", "--format", "rdfxml")
    assert first.code == 0, first.stderr
    assert first.raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF ')
    assert run_cli("export", "--format", "rdfxml").raw == first.raw  # deterministic
    back = [q.triple for q in ox.parse(first.raw, format=ox.RdfFormat.RDF_XML)]
    assert canonical_triples(back) == export_triples(loaded)
    independent = rdflib.Graph().parse(data=first.stdout, format="xml")
    reference = rdflib.Graph().parse(data=run_cli("export", "--format", "nt").stdout, format="nt")
    assert isomorphic(independent, reference)
    # literals exactly as written: the store would say "149"^^xsd:integer
    assert ' rdf:datatype="http://www.w3.org/2001/XMLSchema#nonNegativeInteger">149<' in first.stdout


def test_export_to_a_file_and_from_a_store(loaded, tmp_path) -> None:
    from relgraph.publish.export import dataset_description

    target = tmp_path / "graph.rdf"
    written = run_cli("export", "--format", "rdfxml", "--facts-only", "--output", str(target))
    assert written.code == 0 and f"Wrote {target}" in written.stderr
    facts = [q.triple for q in ox.parse(target.read_bytes(), format=ox.RdfFormat.RDF_XML)]
    store = tmp_path / "store"
    assert run_cli("load", "--store", str(store)).code == 0
    streamed = run_cli("export", "--store", str(store), "--format", "rdfxml", "--facts-only")
    assert streamed.code == 0, streamed.stderr
    from_store = {q.triple for q in ox.parse(streamed.raw, format=ox.RdfFormat.RDF_XML)}
    assert from_store == set(loaded.triples(facts_only=True))  # the facts as written, no generated description
    assert set(facts) == from_store | set(dataset_description(loaded))


def test_sparql_describe_and_query_write_rdf_xml() -> None:
    construct = run_cli("sparql", "--format", "rdfxml", f"CONSTRUCT {{ ?s ?p ?o }} FROM <https://w3id.org/relgraph/graph/facts/states> WHERE {{ ?s ?p ?o FILTER (?s = <{RUSSIA}>) }}")
    assert construct.code == 0, construct.stderr
    triples = [q.triple for q in ox.parse(construct.raw, format=ox.RdfFormat.RDF_XML)]
    assert len(triples) == 9 and {t.subject.value for t in triples} == {RUSSIA}
    assert f'rdf:about="{RUSSIA}"' in construct.stdout
    described = run_cli("describe", "russia", "--format", "rdfxml")
    as_turtle = run_cli("describe", "russia", "--format", "turtle")
    assert described.code == 0 and as_turtle.code == 0
    assert set(canonical_triples(q.triple for q in ox.parse(described.raw, format=ox.RdfFormat.RDF_XML))) == set(
        canonical_triples(q.triple for q in ox.parse(as_turtle.raw, format=ox.RdfFormat.TURTLE))
    )
    stored = run_cli("query", "describe", "-p", "entity=russia", "--format", "rdfxml")
    assert stored.code == 0 and b"<rdf:RDF" in stored.raw


def test_rdfxml_is_refused_where_it_cannot_hold_the_answer() -> None:
    select = run_cli("sparql", "--format", "rdfxml", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    assert select.code == 2 and "--format rdfxml cannot hold the answer to a SELECT query" in select.stderr
    stored_select = run_cli("query", "memberships", "-p", "state=RU", "--format", "rdfxml")
    assert stored_select.code == 2 and "--format rdfxml is for CONSTRUCT queries" in stored_select.stderr
    unsplittable = run_cli("sparql", "--format", "rdfxml", f"CONSTRUCT {{ <{RUSSIA}> <http://example.org/p/1> 1 }} WHERE {{}}")
    assert unsplittable.code == 2
    assert "RDF/XML cannot hold this graph: the predicate <http://example.org/p/1> does not end in an XML name" in unsplittable.stderr
    control = run_cli("sparql", "--format", "rdfxml", f'CONSTRUCT {{ <{RUSSIA}> rdfs:comment "a\\u0001b" }} WHERE {{}}')
    assert control.code == 2 and "holds the character U+0001, which XML 1.0 cannot hold; use --format turtle, nt or json-ld" in control.stderr
    assert "Traceback" not in unsplittable.stderr + control.stderr


def test_sparql_xml_still_means_sparql_results() -> None:
    result = run_cli("sparql", "--format", "xml", "SELECT ?s WHERE { ?s a rg:State } LIMIT 1")
    assert result.code == 0 and "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\"" in result.stdout
