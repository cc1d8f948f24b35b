"""The W3C SHACL test suite (core and SPARQL, pre-binding included; tests/data/w3c-shacl, see its
README) through ``relgraph validate --shapes``: whole, and in parts on an Oxigraph store (where
SPARQL-based constraints run on Oxigraph). Each test's report is compared on structure with the
suite's expected report, as pySHACL's own test runner does: ``sh:conforms``, and the multiset of
results by focus node, result path, value, source shape, constraint component and severity
(blank nodes by their description, as pySHACL compares them). relgraph's own literal checks
(``rgsh:LexicalFormConstraintComponent``, ``rgsh:NormalFormCConstraintComponent``) are not part
of SHACL and are left out of the comparison. A test pySHACL itself fails is a strict expected failure, with the reason."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, BNode, Literal, URIRef

from tests.conftest import DATA, nonempty, run_cli
from relgraph.errors import InputError
from relgraph.validate.literals import LEXICAL_FORM_COMPONENT, NFC_COMPONENT
from relgraph.validate.shapes_only import validate_files
from relgraph.namespaces import SH
from relgraph.validate.report import path_text

# the suite's or-datatypes-001 writes "none"^^xsd:boolean on purpose; rdflib warns as it parses it
pytestmark = pytest.mark.filterwarnings("ignore:Parsing weird boolean:UserWarning")

SUITE = DATA / "w3c-shacl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
SHN = rdflib.Namespace(SH)


_GRAPHS: dict[Path, rdflib.Graph] = {}


def _tests() -> list[tuple[str, Path, Path, Path, object]]:
    """(name, test file, data file, shapes file, expected result node) for every sht:Validate test."""
    found = []
    pending = [SUITE / "manifest.ttl"]
    while pending:
        manifest = pending.pop(0)
        graph = _GRAPHS[manifest] = rdflib.Graph().parse(manifest, format="turtle")
        for include in graph.objects(None, MF.include):
            pending.append(Path(str(include).removeprefix("file://")))
        for test in graph.subjects(RDF.type, SHT.Validate):
            action = graph.value(test, MF.action)
            data = Path(str(graph.value(action, SHT.dataGraph)).removeprefix("file://"))
            shapes = Path(str(graph.value(action, SHT.shapesGraph)).removeprefix("file://"))
            name = manifest.relative_to(SUITE).parent.as_posix() + "/" + manifest.stem
            found.append((name, manifest, data, shapes, graph.value(test, MF.result)))
    return sorted(found, key=lambda t: t[0])


TESTS = nonempty(_tests())

# Tests pySHACL 0.40 itself fails (checked with pyshacl.validate and its own report comparison,
# test_known_failures_are_failures_of_pyshacl_itself): relgraph's verdicts are pySHACL's.
KNOWN_FAILURES: dict[str, str] = {
    "core/property/uniqueLang-002": (
        'pySHACL 0.40 activates sh:uniqueLang for "1"^^xsd:boolean and reports a violation; SHACL activates it only for true, '
        "so the suite expects the data to conform"
    ),
    "sparql/pre-binding/shapesGraph-001": (
        "pySHACL 0.40 does not support $shapesGraph in SPARQL-based constraints (it raises NotImplementedError; relgraph "
        "refuses such a shape with exit code 2 instead)"
    ),
}


def _signature(graph: rdflib.Graph, node, depth: int = 0):
    """A blank node by its description (its predicates and objects, recursively), an IRI or a
    literal by itself: how pySHACL's runner compares the shapes and paths of two reports."""
    if isinstance(node, BNode):
        if depth > 8:
            return ("BNode",)
        return ("BNode", tuple(sorted((str(p), repr(_signature(graph, o, depth + 1))) for p, o in graph.predicate_objects(node))))
    if isinstance(node, Literal):
        return ("Literal", node.n3())
    return ("IRI", str(node))


def _value_key(node) -> tuple:
    """A focus node or value: blank nodes are only "a blank node" (pySHACL's runner: they differ
    between the data and the report), literals by value."""
    if isinstance(node, BNode):
        return ("BNode",)
    if isinstance(node, Literal):
        return ("Literal", node.n3())
    return ("IRI", str(node))


def _expected(test_file: Path, result) -> tuple[bool, Counter]:
    graph = _GRAPHS[test_file]
    conforms = bool(graph.value(result, SHN.conforms).toPython())
    rows = Counter()
    for r in graph.objects(result, SHN.result):
        path = graph.value(r, SHN.resultPath)
        rows[
            (
                _value_key(graph.value(r, SHN.focusNode)),
                path_text(graph, path) if path is not None else None,
                _value_key(graph.value(r, SHN.value)) if graph.value(r, SHN.value) is not None else None,
                _signature(graph, graph.value(r, SHN.sourceShape)),
                str(graph.value(r, SHN.sourceConstraintComponent)),
                str(graph.value(r, SHN.resultSeverity) or SHN.Violation),
            )
        ] += 1
    return conforms, rows


def _shapes_graph(shapes_file: Path) -> rdflib.Graph:
    """The shapes graph with relgraph's blank node names (to describe a blank source shape)."""
    from relgraph.graph.parsing import parse_rdf_file
    from relgraph.graph.rdflib_bridge import to_rdflib_graph

    return to_rdflib_graph(parse_rdf_file(shapes_file).triples)


def _term_from_text(text: str):
    """An rdflib term from a value as a result writes it (an IRI, ``_:id`` or an N-Triples
    literal), to compare with the suite's expected report."""
    from rdflib.util import from_n3

    if text.startswith("_:"):
        return BNode(text[2:])
    if text.startswith('"'):
        return from_n3(text)
    return URIRef(text)


def _actual(report, shapes: rdflib.Graph) -> tuple[bool, Counter]:
    rows = Counter()
    shacl = [r for r in report.results if r.constraint_component not in (LEXICAL_FORM_COMPONENT, NFC_COMPONENT)]
    for r in shacl:
        shape = r.source_shape
        shape_node = BNode(shape[2:]) if shape and shape.startswith("_:") else URIRef(shape) if shape else None
        rows[
            (
                _value_key(_term_from_text(r.focus_node)),
                r.result_path,
                _value_key(_term_from_text(r.value)) if r.value is not None else None,
                _signature(shapes, shape_node),
                r.constraint_component,
                r.severity_iri,
            )
        ] += 1
    return not shacl, rows


def _run(name: str, test_file: Path, data: Path, shapes: Path, result, parts: bool) -> None:
    if result == SHT.Failure:
        with pytest.raises(InputError):
            validate_files([shapes], [data], parts=parts, part_size=2)
        return
    report = validate_files([shapes], [data], parts=parts, part_size=2)
    expected = _expected(test_file, result)
    actual = _actual(report, _shapes_graph(shapes))
    assert actual[0] == expected[0], f"{name}: conforms {actual[0]}, expected {expected[0]}"
    assert actual[1] == expected[1], f"{name}: results differ"


def _params():
    return [
        pytest.param(*t, marks=pytest.mark.xfail(reason=KNOWN_FAILURES[t[0]], strict=True)) if t[0] in KNOWN_FAILURES else pytest.param(*t)
        for t in TESTS
    ]


@pytest.mark.parametrize(("name", "test_file", "data", "shapes", "result"), _params(), ids=[t[0] for t in TESTS])
def test_whole(name, test_file, data, shapes, result) -> None:
    _run(name, test_file, data, shapes, result, parts=False)


@pytest.mark.parametrize(("name", "test_file", "data", "shapes", "result"), _params(), ids=[t[0] for t in TESTS])
def test_in_parts_on_a_store(name, test_file, data, shapes, result) -> None:
    _run(name, test_file, data, shapes, result, parts=True)


def test_the_suite_holds_core_sparql_and_pre_binding_tests() -> None:
    names = [t[0] for t in TESTS]
    assert len(names) == 120
    assert sum(n.startswith("core/") for n in names) == 98
    assert sum(n.startswith("sparql/") for n in names) == 22
    assert sum(n.startswith("sparql/pre-binding/") for n in names) == 14
    assert sum(t[4] == SHT.Failure for t in TESTS) == 7
    assert set(KNOWN_FAILURES) <= set(names)


@pytest.mark.parametrize("name", sorted(KNOWN_FAILURES))
def test_known_failures_are_failures_of_pyshacl_itself(name) -> None:
    """Each known failure is one pySHACL fails on its own (its own report comparison, data and
    shapes parsed by rdflib), so relgraph adds no failure of its own."""
    import logging

    import pyshacl
    from pyshacl.validator_conformance import compare_validation_reports

    _, test_file, data, shapes, result = next(t for t in TESTS if t[0] == name)
    try:
        _, report, _ = pyshacl.validate(rdflib.Graph().parse(data), shacl_graph=rdflib.Graph().parse(shapes), inference="none")
    except NotImplementedError:
        return  # pySHACL cannot run the test at all
    assert isinstance(report, rdflib.Graph)
    expected = rdflib.Graph().parse(test_file)
    expected_result = next(expected.objects(next(expected.subjects(RDF.type, SHT.Validate)), MF.result))
    assert not compare_validation_reports(report, expected, expected_result, logging.getLogger("w3c-shacl"))


def test_shapes_graph_in_a_constraint_is_an_input_error() -> None:
    name, test_file, data, shapes, result = next(t for t in TESTS if t[0] == "sparql/pre-binding/shapesGraph-001")
    cli = run_cli("validate", "--shapes", str(shapes), str(data))
    assert cli.code == 2
    assert "uses $shapesGraph, which pySHACL does not support" in cli.stderr


def test_some_sparql_constraints_of_the_suite_run_on_oxigraph() -> None:
    """In parts, the SPARQL-based constraints that bind $this at the top run once over the store."""
    from relgraph.validate.parts import ShapeContext

    moved = [t[0] for t in TESTS if t[0].startswith("sparql/") and ShapeContext.of_shapes(_shapes_graph(t[3]), "x", walks=False).constraints]
    assert moved, "no SPARQL-based constraint of the suite runs on Oxigraph"


def test_the_cli_gives_the_same_report(tmp_path) -> None:
    name, test_file, data, shapes, result = next(t for t in TESTS if t[0] == "core/node/and-001")
    cli = run_cli("validate", "--shapes", str(shapes), str(data), "--format", "json")
    assert cli.code == 1
    body = json.loads(cli.stdout)
    assert sorted(r["focusNode"] for r in body["results"]) == [
        "http://datashapes.org/sh/tests/core/node/and-001.test#InvalidRectangle1",
        "http://datashapes.org/sh/tests/core/node/and-001.test#InvalidRectangle2",
    ]
    parts = run_cli("validate", "--shapes", str(shapes), str(data), "--jobs", "1", "--format", "json")
    assert json.loads(parts.stdout) == body


def test_the_copy_matches_its_sha256_manifest() -> None:
    import hashlib

    listed = {}
    for line in (SUITE / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name.removeprefix("./")] = digest
    present = {p.relative_to(SUITE).as_posix() for p in SUITE.rglob("*") if p.is_file() and p.name not in ("README.md", "SHA256SUMS")}
    assert set(listed) == present and len(present) == 150
    for name, digest in listed.items():
        assert hashlib.sha256((SUITE / name).read_bytes()).hexdigest() == digest, name
    readme = (SUITE / "README.md").read_text(encoding="utf-8")
    assert "ff9edb9c85375498b49391fb65ef3ff6525ebe08" in readme and "3-clause BSD License" in readme
