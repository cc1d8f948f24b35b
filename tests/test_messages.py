"""Messages and exits that say what is true (issue 12, item 8): the FROM / FROM NAMED note, values
shown as written in validation reports, language tags kept as written, a closed pipe, and the
README's diff example."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli

FACTS = "https://w3id.org/relgraph/graph/facts/"


# ------------------------------------------------------------------ FROM / FROM NAMED note


def _count(result) -> int:
    assert result.code == 0, result.stderr
    return int(json.loads(result.stdout)["results"]["bindings"][0]["n"]["value"])


def test_from_named_a_loaded_graph_gives_no_note_and_contributes() -> None:
    result = run_cli("sparql", "--format", "json", f"SELECT (COUNT(*) AS ?n) FROM NAMED <{FACTS}states> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert _count(result) > 50
    assert "Note:" not in result.stderr and "<default>" not in result.stderr


def test_from_named_an_unloaded_graph_is_named_in_the_note() -> None:
    result = run_cli("sparql", "--format", "json", f"SELECT (COUNT(*) AS ?n) FROM NAMED <{FACTS}nowhere> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert _count(result) == 0
    note = [line for line in result.stderr.splitlines() if line.startswith("Note:")]
    assert len(note) == 1
    assert note[0].startswith(f"Note: FROM NAMED <{FACTS}nowhere> names no loaded graph, so it contributes nothing; loaded graphs: ")
    assert f"{FACTS}states" in note[0] and "<default>" not in note[0]


def test_the_note_names_exactly_the_clauses_whose_graph_is_not_loaded() -> None:
    query = (
        f"PREFIX f: <{FACTS}> SELECT (COUNT(*) AS ?n) FROM f:states FROM <http://example.org/absent> "
        f"FROM NAMED <{FACTS}memberships> FROM NAMED f:gone WHERE {{ ?s ?p ?o }}"
    )
    result = run_cli("sparql", "--format", "json", query)
    assert _count(result) > 50  # the default graph is the loaded states graph
    note = next(line for line in result.stderr.splitlines() if line.startswith("Note:"))
    named = note.split(" name no loaded graph")[0]
    assert named == f"Note: FROM <http://example.org/absent>, FROM NAMED <{FACTS}gone>"
    assert "they contribute nothing" in note


def test_prefixed_names_and_base_are_resolved_before_the_note() -> None:
    for query in (
        f"BASE <{FACTS}> SELECT (COUNT(*) AS ?n) FROM <states> WHERE {{ ?s ?p ?o }}",
        "PREFIX g: <https://w3id.org/relgraph/graph/> SELECT (COUNT(*) AS ?n) FROM NAMED g:derived WHERE { GRAPH ?x { ?s ?p ?o } }",
    ):
        result = run_cli("sparql", "--format", "json", query)
        assert _count(result) > 50 and "Note:" not in result.stderr, result.stderr


def test_dataset_iris_reads_the_parse_tree() -> None:
    from rdflib.plugins.sparql.parser import parseQuery

    from relgraph.adhoc import dataset_iris

    tree = parseQuery("BASE <http://b/> PREFIX ex: <http://e/> SELECT * FROM <x> FROM rgid:a FROM NAMED ex:c FROM NAMED <http://d> WHERE { ?s ?p ?o }")
    assert dataset_iris(tree) == (("http://b/x", "https://w3id.org/relgraph/id/a"), ("http://e/c", "http://d"))
    assert dataset_iris(parseQuery("SELECT * WHERE { ?s ?p ?o }")) == ((), ())
    assert dataset_iris(parseQuery("SELECT * FROM nope:x WHERE { ?s ?p ?o }")) == ((), ())


# --------------------------------------------------- validation shows values as written

DOUBLE_OBSERVATION = """@prefix rg: <https://w3id.org/relgraph/ontology#> .
@prefix rgid: <https://w3id.org/relgraph/id/> .
@prefix rgv: <https://w3id.org/relgraph/vocab/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix wikibase: <http://wikiba.se/ontology#> .

rgid:observation-test-double a rg:Observation ;
	wikibase:rank wikibase:NormalRank ;
	prov:wasDerivedFrom rgid:source-wp-rt-fn4 ;
	rg:area rgid:tajikistan ;
	rg:indicator rgv:money-transfers-from-counterpart ;
	rg:period "2012"^^xsd:gYear ;
	rg:unit rgv:us-dollar ;
	rg:value "1000"^^xsd:double .
"""
DOUBLE = '"1000"^^<http://www.w3.org/2001/XMLSchema#double>'


@pytest.fixture(scope="module")
def double_root(tmp_path_factory):
    from conftest import copy_root

    root = copy_root(tmp_path_factory.mktemp("double"))
    (root / "graph" / "zz-double.ttl").write_text(DOUBLE_OBSERVATION, encoding="utf-8")
    return root


@pytest.mark.parametrize("mode", [[], ["--jobs", "2"]], ids=["whole", "in-parts"])
def test_the_validation_report_shows_values_as_written(double_root, mode) -> None:
    import pyoxigraph as ox

    text = run_cli("--root", str(double_root), "validate", *mode)
    assert text.code == 1
    assert f"    value: {DOUBLE}" in text.stdout and "1000.0" not in text.stdout and "1e+03" not in text.stdout
    report = json.loads(run_cli("--root", str(double_root), "validate", *mode, "--format", "json").stdout)
    values = [r["value"] for r in report["results"] if r["focusNode"].endswith("observation-test-double")]
    assert values == [DOUBLE]
    turtle = run_cli("--root", str(double_root), "validate", *mode, "--format", "turtle").stdout
    found = [q.object for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE) if q.predicate.value == "http://www.w3.org/ns/shacl#value"]
    assert found == [ox.Literal("1000", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#double"))]
    assert "1e+03" not in turtle and "1000.0" not in turtle
