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
