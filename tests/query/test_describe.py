"""relgraph describe: the stored CONSTRUCT and its framed JSON-LD, the forms of an entity
parameter, tables, unknown and retired entities."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from tests.conftest import REPO, RGID, run_cli, WORLD_LAYER_FILES


def _graph(data: bytes, fmt: ox.RdfFormat) -> rdflib.Graph:
    """Read with pyoxigraph (independent of pyld, which wrote the JSON-LD), compare with rdflib."""
    nt = ox.serialize([q.triple for q in ox.parse(data, format=fmt)], format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return rdflib.Graph().parse(data=nt, format="nt")


def test_framed_json_ld_of_tajikistan_equals_its_construct() -> None:
    framed = run_cli("describe", "tajikistan", "--format", "json-ld")
    construct = run_cli("describe", "tajikistan", "--format", "nt")
    assert framed.code == construct.code == 0
    document = json.loads(framed.stdout)
    assert [node["@id"] for node in document["@graph"]] == ["rgid:tajikistan"]
    assert "memberships" not in framed.stdout and "member_of" in framed.stdout  # claims nested under their reverse properties
    a, b = _graph(framed.raw, ox.RdfFormat.JSON_LD), _graph(construct.raw, ox.RdfFormat.N_TRIPLES)
    assert len(a) == len(b) > 500 and isomorphic(a, b)


def test_describe_gathers_the_entity_its_claims_and_their_sources() -> None:
    graph = _graph(run_cli("describe", "TJ", "--format", "nt").raw, ox.RdfFormat.N_TRIPLES)
    subjects = {str(s) for s in graph.subjects()}
    for node in ("tajikistan", "membership-tajikistan-cis", "posting-imomuddin-sattorov", "rome-statute-status-tajikistan-signatory-article",
                 "crocus-suspected-gunmen", "dushanbe", "source-pga-rome-statute", "source-wikipedia-russia-tajikistan-relations"):
        assert RGID + node in subjects, node
    assert RGID + "membership-russia-cis" not in subjects
    assert not any("Earliest" in str(p) or "BestRank" in str(o) for _, p, o in graph)


@pytest.mark.parametrize("name", ["Q863", "rgid:tajikistan", "Tajikistan", f"{RGID}tajikistan", "tajikistan"])
def test_describe_takes_the_forms_of_entity_parameters(name) -> None:
    result = run_cli("describe", name, "--format", "nt")
    assert result.code == 0 and f"<{RGID}tajikistan> <http://www.w3.org/2000/01/rdf-schema#label> \"Tajikistan\"@en" in result.stdout


def test_describe_as_a_table_and_unknown_entities() -> None:
    table = run_cli("describe", "csto")
    assert table.code == 0 and "Collective Security Treaty Organization" in table.stdout and "rgid:membership-tajikistan-csto" in table.stdout
    unknown = run_cli("describe", "Atlantis")
    assert unknown.code == 2 and "ENTITY 'Atlantis' names no entity" in unknown.stderr


def test_a_retired_iri_points_to_its_successor(tmp_path) -> None:
    root = tmp_path / "root"
    for folder in ("ontology", "queries", "graph"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("tables", "datasets", *WORLD_LAYER_FILES))  # the hand-written graph
    (root / "graph" / "retired.ttl").write_text(
        "@prefix rg: <https://w3id.org/relgraph/ontology#> . @prefix rgid: <https://w3id.org/relgraph/id/> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix prov: <http://www.w3.org/ns/prov#> .\n"
        'rgid:tadjikistan a rg:Place ; rdfs:label "Tadjikistan (misspelt identifier)"@en ; owl:deprecated true ;\n'
        "    dcterms:isReplacedBy rgid:tajikistan ; prov:wasDerivedFrom rgid:source-iso-3166-1 .\n",
        encoding="utf-8",
    )
    result = run_cli("--root", str(root), "describe", "tadjikistan")
    assert result.code == 2 and "tadjikistan, which is retired (owl:deprecated); use tajikistan instead" in result.stderr
