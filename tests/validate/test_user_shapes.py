"""Shapes written by users: a runaway sh:pattern stops at --timeout naming its shape, a SPARQL
constraint with an undeclared prefix or a dataset clause is an input error naming the shape,
and pySHACL's warnings (a recursive shape it backed out of) reach standard error and mark the
report incomplete in every format. In memory and in parts (--jobs)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

EX = "https://example.org/"


def _root(tmp_path: Path, shapes: str, facts: str) -> Path:
    """A root with the shipped ontology, queries and quality checks, and only these shapes and facts."""
    root = tmp_path / "root"
    shutil.copytree(REPO / "ontology", root / "ontology", ignore=shutil.ignore_patterns("shapes"))
    shutil.copytree(REPO / "queries", root / "queries")
    (root / "ontology" / "shapes").mkdir()
    (root / "ontology" / "shapes" / "user.shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <https://example.org/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" + shapes,
        encoding="utf-8",
    )
    (root / "graph").mkdir()
    (root / "graph" / "things.ttl").write_text("@prefix ex: <https://example.org/> .\n" + facts, encoding="utf-8")
    return root


RUNAWAY = 'ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;\n    sh:property [ sh:path ex:name ; sh:pattern "^(a+)+$" ] .\n'
THINGS = 'ex:a a ex:Thing ; ex:name "' + "a" * 32 + '!" .\n'


@pytest.mark.parametrize("mode", [[], ["--jobs", "2"]], ids=["whole", "parts"])
def test_a_runaway_pattern_stops_at_the_time_limit_naming_its_shape(tmp_path, mode) -> None:
    import time

    root = _root(tmp_path, RUNAWAY, THINGS)
    started = time.monotonic()
    result = run_cli("--root", str(root), "validate", "--timeout", "2", *mode)
    elapsed = time.monotonic() - started
    assert result.code == 2, result.stdout + result.stderr
    assert "validation stopped after 2 s (the --timeout) while checking the property shape" in result.stderr
    assert f"(sh:path <{EX}name>) in the shape <{EX}ThingShape>" in result.stderr
    assert "nested quantifiers" in result.stderr and "Traceback" not in result.stderr
    assert elapsed < 60  # the pattern alone would run for hours


def test_the_time_limit_is_documented_with_its_default() -> None:
    result = run_cli("validate", "--help")
    assert result.code == 0
    assert "--timeout" in result.stdout and "600" in result.stdout
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "`--timeout SECONDS` (default 600" in readme


def test_a_limit_of_zero_means_none(tmp_path) -> None:
    root = _root(tmp_path, 'ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:name ; sh:pattern "^a+!$" ] .\n', THINGS)
    result = run_cli("--root", str(root), "validate", "--timeout", "0")
    assert result.code == 0, result.stdout + result.stderr


SPARQL_SHAPE = (
    "ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;\n"
    '    sh:sparql [ sh:message "no name" ; sh:select """{query}""" {prefixes}] .\n'
    'ex:prefixes sh:declare [ sh:prefix "ex" ; sh:namespace "https://example.org/"^^xsd:anyURI ] .\n'
)


@pytest.mark.parametrize("mode", [[], ["--jobs", "2"]], ids=["whole", "parts"])
def test_a_prefix_declared_only_with_turtle_prefix_is_an_input_error(tmp_path, mode) -> None:
    shapes = SPARQL_SHAPE.format(query="SELECT $this WHERE { FILTER NOT EXISTS { $this ex:name ?n } }", prefixes="")
    root = _root(tmp_path, shapes, 'ex:a a ex:Thing .\n')
    result = run_cli("--root", str(root), "validate", *mode)
    assert result.code == 2, result.stdout + result.stderr
    assert "user.shapes.ttl:4: the SPARQL-based constraint of <https://example.org/ThingShape> uses the prefix ex: that its sh:prefixes do not declare" in result.stderr
    assert 'add sh:prefixes with sh:declare [ sh:prefix "ex" ; sh:namespace "https://example.org/"^^xsd:anyURI ]' in result.stderr
    assert "internal error" not in result.stderr


def test_the_same_constraint_with_its_prefixes_declared_runs(tmp_path) -> None:
    shapes = SPARQL_SHAPE.format(query="SELECT $this WHERE { FILTER NOT EXISTS { $this ex:name ?n } }", prefixes="; sh:prefixes ex:prefixes ")
    root = _root(tmp_path, shapes, 'ex:a a ex:Thing .\nex:b a ex:Thing ; ex:name "b" .\n')
    result = run_cli("--root", str(root), "validate", "--format", "json")
    assert result.code == 1, result.stderr
    assert [(r["focusNode"], r["resultMessage"]) for r in json.loads(result.stdout)["results"]] == [(EX + "a", "no name")]


@pytest.mark.parametrize("clause", ["FROM NAMED <https://example.org/g>", "FROM <https://example.org/g>"])
def test_a_dataset_clause_is_an_input_error(tmp_path, clause) -> None:
    shapes = SPARQL_SHAPE.format(query=f"SELECT $this {clause} WHERE {{ $this ex:name ?n }}", prefixes="; sh:prefixes ex:prefixes ")
    root = _root(tmp_path, shapes, 'ex:a a ex:Thing ; ex:name "a" .\n')
    for mode in ([], ["--jobs", "2"]):
        result = run_cli("--root", str(root), "validate", *mode)
        assert result.code == 2, result.stdout + result.stderr
        assert "the SPARQL-based constraint of <https://example.org/ThingShape> has a dataset clause (FROM or FROM NAMED); remove it" in result.stderr


def test_a_sparql_syntax_error_in_a_shape_names_it(tmp_path) -> None:
    shapes = SPARQL_SHAPE.format(query="SELECT $this WHERE { $this ex:name ?n ", prefixes="; sh:prefixes ex:prefixes ")
    root = _root(tmp_path, shapes, 'ex:a a ex:Thing .\n')
    result = run_cli("--root", str(root), "validate")
    assert result.code == 2
    assert "the SPARQL-based constraint of <https://example.org/ThingShape> is not valid SPARQL" in result.stderr


CHAIN = (
    "ex:ChainShape a sh:NodeShape ; sh:targetNode ex:n0 ;\n"
    "    sh:property [ sh:path ex:next ; sh:node ex:ChainShape ] ;\n"
    "    sh:property [ sh:path ex:name ; sh:minCount 1 ] .\n"
)
LINKS = "".join(f'ex:n{i} ex:next ex:n{i + 1} ; ex:name "n{i}" .\n' for i in range(30)) + "ex:n30 ex:next ex:n31 .\n"


def test_a_deep_recursive_shape_gives_an_incomplete_report_in_every_format(tmp_path) -> None:
    root = _root(tmp_path, CHAIN, LINKS)
    text = run_cli("--root", str(root), "validate")
    # ex:n31 has no name, 31 levels down: pySHACL backs out at 12 and never sees it
    assert text.code == 0, text.stdout + text.stderr
    assert "relgraph: warning: the report is incomplete: pySHACL: a recursive shape (https://example.org/ChainShape" in text.stderr
    assert "levels deep and pySHACL backed out" in text.stderr
    assert "the report is INCOMPLETE (1 pySHACL warning on standard error)" in text.stdout
    assert run_cli("--root", str(root), "validate", "--fail-on", "warning").code == 1
    body = json.loads(run_cli("--root", str(root), "validate", "--format", "json").stdout)
    assert body["complete"] is False and body["conforms"] is True
    assert len(body["warnings"]) == 1 and "backed out" in body["warnings"][0]
    turtle = run_cli("--root", str(root), "validate", "--format", "turtle")
    import rdflib

    report = rdflib.Graph().parse(data=turtle.stdout, format="turtle")
    assert (None, rdflib.URIRef("https://w3id.org/relgraph/shapes#complete"), rdflib.Literal(False)) in report
    assert any("backed out" in str(c) for c in report.objects(None, rdflib.RDFS.comment))
    github = run_cli("--root", str(root), "validate", "--format", "github")
    assert github.stdout.startswith("::warning title=relgraph%3A incomplete validation report::pySHACL: a recursive shape")
    assert "report is incomplete" in turtle.stderr and "report is incomplete" in github.stderr


def test_a_shallow_recursive_shape_gives_a_complete_report(tmp_path) -> None:
    root = _root(tmp_path, CHAIN, 'ex:n0 ex:next ex:n1 ; ex:name "n0" .\nex:n1 ex:next ex:n2 .\n')
    result = run_cli("--root", str(root), "validate", "--format", "json")
    body = json.loads(result.stdout)
    assert body["complete"] is True and body["warnings"] == []
    assert [(r["focusNode"], r["resultPath"]) for r in body["results"]] == [(EX + "n0", EX + "next")]


def test_in_worker_processes_a_runaway_pattern_stops_naming_its_shape_and_no_worker_is_left(tmp_path, monkeypatch) -> None:
    # one focus node per part and two workers: the pattern runs in the workers, not in this process
    import time

    from relgraph.paths import Layout
    from relgraph.validate.deadline import ValidationTimeout, time_limit
    from relgraph.validate.parts import validate_store
    from tests.utils.workers import recording_workers

    workers = recording_workers(monkeypatch)
    root = _root(tmp_path, RUNAWAY, THINGS + 'ex:b a ex:Thing ; ex:name "' + "a" * 32 + '!" .\n')
    started = time.monotonic()
    with pytest.raises(ValidationTimeout) as raised, time_limit(6):
        validate_store(Layout(root), workers=2, part_size=1, timeout=6)
    assert time.monotonic() - started < 60
    assert len(workers) == 2 and not any(w.is_alive() for w in workers)
    assert raised.value.seconds == 6
    activity = raised.value.activity  # the property shape is a blank node, its label pySHACL's
    assert activity.startswith("the property shape _:") and activity.endswith(f" (sh:path <{EX}name>) in the shape <{EX}ThingShape>")


def test_in_worker_processes_an_undeclared_prefix_is_the_same_input_error(tmp_path) -> None:
    from relgraph.errors import InputError
    from relgraph.paths import Layout
    from relgraph.validate.parts import validate_store

    shapes = SPARQL_SHAPE.format(query="SELECT $this WHERE { FILTER NOT EXISTS { $this ex:name ?n } }", prefixes="")
    root = _root(tmp_path, shapes, "ex:a a ex:Thing .\nex:b a ex:Thing .\n")
    with pytest.raises(InputError) as raised:
        validate_store(Layout(root), workers=2, part_size=1)
    assert raised.value.line == 4 and raised.value.path.endswith("user.shapes.ttl")
    assert "the SPARQL-based constraint of <https://example.org/ThingShape> uses the prefix ex: that its sh:prefixes do not declare" in str(raised.value)
