"""The shapes: every fixture gives exactly its expected results; the shapes are themselves valid
SHACL, cover every class, and avoid the known traps (subclasses need the ontology, labels are
rdf:langString, SPARQL-based constraints declare their prefixes)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib import RDF, URIRef

from tests.conftest import DATA, REPO, nonempty, run_cli
from relgraph.namespaces import PREFIXES
from relgraph.paths import Layout
from relgraph.validate.whole import validate

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
RG = "https://w3id.org/relgraph/ontology#"
VALID = nonempty(sorted((DATA / "shapes" / "valid").glob("*.ttl")))
INVALID = nonempty(sorted((DATA / "shapes" / "invalid").glob("*.ttl")))
QC = "https://w3id.org/relgraph/qc/"


def _expand(name: str) -> str:
    if name.startswith("<"):
        return name[1:-1]
    if name.startswith("qc:"):
        return QC + name[3:]
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local


def expected_results(fixture: Path) -> list[tuple[str, str, str, str]]:
    rows = []
    for line in fixture.with_suffix(".expected.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        focus, path, component, severity = line.split("\t")
        rows.append(("_:" if focus == "_:" else _expand(focus), "" if path == "-" else _expand(path), _expand(component), severity))
    return sorted(rows)


def actual_results(layout: Layout, fixture: Path) -> list[tuple[str, str, str, str]]:
    report = validate(layout, [fixture], standalone=True)
    return sorted(("_:" if r.focus_node.startswith("_:") else r.focus_node, *r.key()[1:]) for r in report.results)


def _shapes_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted((REPO / "ontology" / "shapes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.mark.parametrize("fixture", VALID, ids=lambda p: p.stem)
def test_valid_fixture_conforms(layout, fixture) -> None:
    assert actual_results(layout, fixture) == []
    result = run_cli("validate", "--standalone", "--fail-on", "info", str(fixture))
    assert result.code == 0, result.stdout


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_gives_exactly_its_expected_results(layout, fixture) -> None:
    expected = expected_results(fixture)
    assert expected, f"{fixture.name} has no expected results"
    assert actual_results(layout, fixture) == expected


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_fails_validation_from_the_cli(fixture) -> None:
    severities = {row[3] for row in expected_results(fixture)}
    lowest = min(severities, key=["info", "warning", "violation"].index)
    failing = run_cli("validate", "--standalone", "--fail-on", lowest, str(fixture))
    assert failing.code == 1, failing.stdout + failing.stderr
    assert "does not conform" in failing.stdout
    if "violation" not in severities:
        assert run_cli("validate", "--standalone", str(fixture)).code == 0


def test_every_invalid_fixture_has_expectations_and_no_orphans() -> None:
    folder = DATA / "shapes" / "invalid"
    assert {p.name.removesuffix(".expected.tsv") for p in folder.glob("*.expected.tsv")} == {p.stem for p in INVALID}


def test_text_output_names_label_iri_path_message_severity_and_line() -> None:
    fixture = DATA / "shapes" / "invalid" / "state-alpha2-code-lowercase.ttl"
    out = run_cli("validate", "--standalone", str(fixture)).stdout
    assert "state-alpha2-code-lowercase.ttl:18: Violation: Gamma (<https://example.org/fixture/gamma>)" in out
    assert "path: rg:iso3166Alpha2" in out
    assert 'value: "ga"' in out
    assert "message: A state has exactly one ISO 3166-1 alpha-2 code" in out
    assert "constraint: sh:PatternConstraintComponent" in out


def test_shapes_are_valid_shacl() -> None:
    conforms, _, text = pyshacl.validate(rdflib.Graph(), shacl_graph=_shapes_graph(), meta_shacl=True)
    assert conforms, text


def test_the_shacl_shacl_check_can_fail() -> None:
    broken = _shapes_graph()
    shape = URIRef("https://w3id.org/relgraph/shapes#StateShape")
    prop = rdflib.BNode()
    broken.add((shape, SH.property, prop))
    broken.add((prop, SH.path, URIRef(RG + "iso3166Alpha2")))
    broken.add((prop, SH.minCount, rdflib.Literal("one")))
    with pytest.raises(pyshacl.errors.ReportableRuntimeError):
        pyshacl.validate(rdflib.Graph(), shacl_graph=broken, meta_shacl=True)


def test_every_ontology_class_has_a_shape_and_every_target_exists() -> None:
    ontology = rdflib.Graph().parse(REPO / "ontology" / "relgraph.ttl")
    classes = {str(c) for c in ontology.subjects(RDF.type, rdflib.OWL.Class) if str(c).startswith(RG)}
    targets = {str(t) for t in _shapes_graph().objects(None, SH.targetClass)}
    assert classes - targets == set()
    assert {t for t in targets if t.startswith(RG)} - classes == set()


def test_every_shape_reference_resolves() -> None:
    graph = _shapes_graph()
    defined = set(graph.subjects())
    for prop in (SH.node, SH.property, SH.sparql, SH.prefixes, SH.qualifiedValueShape):
        for target in graph.objects(None, prop):
            if isinstance(target, URIRef):
                assert target in defined, f"{prop} points to undefined {target}"


def test_subclass_instances_need_the_ontology() -> None:
    """Without the ontology a rg:MilitaryAlliance is not a rg:IntergovernmentalBody: the trap is real."""
    fixture = DATA / "shapes" / "valid" / "membership-in-military-alliance.ttl"
    data = rdflib.Graph().parse(fixture)
    conforms, report, _ = pyshacl.validate(data, shacl_graph=_shapes_graph())
    components = set(report.objects(None, SH.sourceConstraintComponent))
    assert not conforms and SH.ClassConstraintComponent in components


def test_sparql_constraints_work_when_the_shapes_lose_their_prefixes(layout, tmp_path) -> None:
    """Re-serialized as N-Triples (no prefix declarations), the SPARQL constraints still fire."""
    root = tmp_path / "root"
    shutil.copytree(REPO / "ontology", root / "ontology", ignore=shutil.ignore_patterns("shapes"))
    shutil.copytree(REPO / "queries", root / "queries")
    (root / "graph").mkdir()
    (root / "ontology" / "shapes").mkdir()
    (root / "ontology" / "shapes" / "all.shapes.ttl").write_text(_shapes_graph().serialize(format="nt"), encoding="utf-8")
    assert "@prefix" not in (root / "ontology" / "shapes" / "all.shapes.ttl").read_text(encoding="utf-8")
    for name in ("ratification-before-signature", "membership-end-before-start", "states-sharing-an-alpha3-code", "suspect-also-perpetrator"):
        fixture = DATA / "shapes" / "invalid" / f"{name}.ttl"
        assert actual_results(Layout(root), fixture) == expected_results(fixture)


ADDITIONS = nonempty(sorted((DATA / "additions").glob("*.ttl")))


@pytest.mark.parametrize("fixture", ADDITIONS, ids=lambda p: p.stem)
def test_an_addition_to_a_shipped_claim_must_name_its_source(layout, fixture) -> None:
    """Files that add to claims of the shipped graph, validated together with it."""
    report = validate(layout, [fixture])
    actual = sorted(r.key() for r in report.results)
    expected = expected_results(fixture) if fixture.with_suffix(".expected.tsv").exists() else []
    assert actual == expected
    if expected:
        assert all(f"(in {fixture.relative_to(REPO)})" in r.message or str(fixture) in r.message for r in report.results)
