"""Messages and exits that say what is true (issue 12, item 8): the FROM / FROM NAMED note, values
shown as written in validation reports, language tags kept as written, a closed pipe, and the
README's diff example."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

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


def test_dataset_iris_reads_the_dataset_clause() -> None:
    from relgraph.sparqltext import dataset_iris

    found = dataset_iris("BASE <http://b/> PREFIX ex: <http://e/> SELECT * FROM <x> FROM rgid:a FROM NAMED ex:c FROM NAMED <http://d> WHERE { ?s ?p ?o }")
    assert (found.default, found.named) == (("http://b/x", "https://w3id.org/relgraph/id/a"), ("http://e/c", "http://d"))
    empty = dataset_iris("SELECT * WHERE { ?s ?p ?o }")
    assert (empty.default, empty.named) == ((), ()) and not empty
    undeclared = dataset_iris("SELECT * FROM nope:x WHERE { ?s ?p ?o }")
    assert (undeclared.default, undeclared.named) == ((), ())


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
    from tests.conftest import copy_root

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


# ---------------------------------------------------------- language tags as written

TAGGED = r'''@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rgid: <https://w3id.org/relgraph/id/> .

rgid:russia skos:altLabel "Russian Federation (a British label)"@en-GB , "Rússia"@pt-BR , "not a tag: \"@de-DE\" ^^<urn:relgraph:language-tag:x-Y>"@de-CH-1901 .
'''
WRITTEN_TAGS = ("en-GB", "pt-BR", "de-CH-1901")
TRICKY_TEXT = r'"not a tag: \"@de-DE\" ^^<urn:relgraph:language-tag:x-Y>"'
PARSERS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "json-ld": "JSON_LD", "trig": "TRIG", "nquads": "N_QUADS"}


@pytest.fixture(scope="module")
def tagged_root(tmp_path_factory):
    from tests.conftest import copy_root

    root = copy_root(tmp_path_factory.mktemp("tags"))
    (root / "graph" / "zz-tags.ttl").write_text(TAGGED, encoding="utf-8")
    assert run_cli("--root", str(root), "format", str(root / "graph" / "zz-tags.ttl")).code == 0
    return root


def _assert_tags_as_written(data: str, fmt: str) -> None:
    import pyoxigraph as ox

    for tag in WRITTEN_TAGS:
        if fmt == "json-ld":
            assert f'"@language": "{tag}"' in data or f'"@language":"{tag}"' in data, tag
        else:
            assert f'"@{tag} ' in data or f'"@{tag}\n' in data or f'"@{tag},' in data, tag
        assert tag.lower() not in data, f"{tag} was lower-cased"
    assert "language-tag:en" not in data and "language-tags" not in data  # no placeholder or bookkeeping left
    if fmt != "json-ld":
        assert TRICKY_TEXT in data  # text that looks like a tag or a placeholder is left alone
    parsed = {q.object for q in ox.parse(data.encode(), format=getattr(ox.RdfFormat, PARSERS.get(fmt, "TURTLE"))) if isinstance(q.object, ox.Literal) and q.object.language}
    assert ox.Literal("Rússia", language="pt-br") in parsed
    assert ox.Literal('not a tag: "@de-DE" ^^<urn:relgraph:language-tag:x-Y>', language="de-ch-1901") in parsed


def test_format_keeps_language_tags_and_check_accepts_them(tagged_root) -> None:
    text = (tagged_root / "graph" / "zz-tags.ttl").read_text(encoding="utf-8")
    _assert_tags_as_written(text, "turtle")
    check = run_cli("--root", str(tagged_root), "export", "--check")
    assert check.code == 0 and "in canonical form" in check.stderr


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "trig", "nquads"])
def test_every_export_format_keeps_language_tags_as_written(tagged_root, fmt) -> None:
    result = run_cli("--root", str(tagged_root), "export", "--format", fmt)
    assert result.code == 0, result.stderr
    _assert_tags_as_written(result.stdout, fmt)


def test_framed_json_ld_and_describe_keep_language_tags(tagged_root) -> None:
    framed = run_cli("--root", str(tagged_root), "export", "--format", "json-ld", "--frame", "state")
    assert framed.code == 0 and '"@language": "en-GB"' in framed.stdout and "en-gb" not in framed.stdout
    for fmt in ("turtle", "nt", "json-ld"):
        described = run_cli("--root", str(tagged_root), "describe", "russia", "--format", fmt)
        assert described.code == 0, described.stderr
        _assert_tags_as_written(described.stdout, fmt)


def test_sparql_construct_keeps_language_tags(tagged_root) -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER (LANGMATCHES(LANG(?o), 'pt')) }"
    result = run_cli("--root", str(tagged_root), "sparql", "--format", "nt", query)
    assert result.code == 0 and result.stdout.strip().endswith('"Rússia"@pt-BR .'), result.stdout


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "trig", "nquads"])
def test_exports_of_a_loaded_store_keep_language_tags(tagged_root, tmp_path, fmt) -> None:
    store = tmp_path / "store"
    assert run_cli("--root", str(tagged_root), "load", "--store", str(store)).code == 0
    result = run_cli("--root", str(tagged_root), "export", "--store", str(store), "--format", fmt)
    assert result.code == 0, result.stderr
    _assert_tags_as_written(result.stdout, fmt)


@pytest.mark.parametrize("fmt", ["TURTLE", "N_QUADS", "JSON_LD", "RDF_XML"])
def test_tags_are_restored_in_a_stream_cut_anywhere(fmt) -> None:
    import io

    import pyoxigraph as ox

    from relgraph.graph.langtags import RestoringWriter, iter_disguised, restore

    tags = {"en-gb": "en-GB", "sr-latn-rs": "sr-Latn-RS"}
    quads = [ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal("x\\" * i + f"text {i}", language=["en-gb", "sr-latn-rs", "ru"][i % 3])) for i in range(40)]
    items = quads if fmt == "N_QUADS" else [q.triple for q in quads]
    whole = restore(ox.serialize(iter_disguised(items, tags), format=getattr(ox.RdfFormat, fmt)), getattr(ox.RdfFormat, fmt))
    assert b"en-GB" in whole and b"sr-Latn-RS" in whole and b"urn:relgraph" not in whole and b"en-gb" not in whole
    for size in (1, 7, 61):
        out = io.BytesIO()
        writer = RestoringWriter(out, getattr(ox.RdfFormat, fmt))
        disguised = ox.serialize(iter_disguised(items, tags), format=getattr(ox.RdfFormat, fmt))
        for start in range(0, len(disguised), size):  # the same bytes written in small pieces
            writer.write(disguised[start : start + size])
        writer.finish()
        assert out.getvalue() == whole, f"pieces of {size} bytes"


# ------------------------------------------------------------------------- closed pipe

CLOSED_PIPE_COMMANDS = [
    ("sparql", "--format", "json", "SELECT * WHERE { ?s ?p ?o }"),
    ("query", "shared-memberships", "-p", "a=RU", "-p", "b=TJ"),
    ("describe", "russia"),
    ("export", "--format", "nt"),
]


def _relgraph(*args: str, **kwargs):
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-m", "relgraph", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


@pytest.mark.parametrize("args", CLOSED_PIPE_COMMANDS, ids=lambda a: a[0])
def test_a_pipe_closed_before_the_answer_ends_quietly_with_141(args) -> None:
    from relgraph.cli import CLOSED_PIPE

    process = _relgraph(*args)
    process.stdout.close()  # the reader is gone before anything is written: every write fails
    error = process.stderr.read().decode()
    assert process.wait(timeout=180) == CLOSED_PIPE == 141
    assert error == "" or error.startswith("As of "), error  # no message, no traceback


def test_head_c_300_on_a_large_answer_ends_quietly_with_141() -> None:
    process = _relgraph("sparql", "SELECT * WHERE { ?s ?p ?o }", "--format", "json")
    head = process.stdout.read(300)
    process.stdout.close()
    error = process.stderr.read().decode()
    assert head.startswith(b'{"head":{"vars":[') and b'"results":{"bindings":[' in head
    assert process.wait(timeout=180) == 141 and error == ""


def test_the_exit_code_for_a_closed_pipe_is_documented() -> None:
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "| 141 |" in readme and "closed" in readme.split("| 141 |")[1].split("\n")[0]


# ------------------------------------------------------------- the README's diff example


def test_the_readmes_release_diff_example_runs(tmp_path) -> None:
    """The Releases block of the README, line by line, in a fresh repository holding this root:
    the tag it creates is the release, then a fact is added and the changelog names it."""
    import re
    import shutil
    import subprocess
    import sys

    from tests.conftest import REPO, copy_root, require

    require(shutil.which("git") is not None, "git is not installed")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- release:diff -->\n```\n(.*?)```", readme, re.DOTALL)
    assert block, "the README's Releases section lost its example"
    lines = [line for line in block.group(1).splitlines() if line.strip()]
    assert [line.split()[0] for line in lines] == ["git", "relgraph"]
    root = copy_root(tmp_path / "release")

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "release")
    tag = subprocess.run(lines[0].split(), cwd=root, capture_output=True, text=True)  # git tag v0.1.0
    assert tag.returncode == 0, tag.stderr
    (root / "graph" / "zz-new.ttl").write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix rg: <https://w3id.org/relgraph/ontology#> .\n"
        "@prefix rgid: <https://w3id.org/relgraph/id/> .\n"
        'rgid:source-a-new-one a rg:Source ; rdfs:label "A source added after the release"@en ; <https://schema.org/url> <https://example.org/fixture/page/source-a-new-one> .\n',
        encoding="utf-8",
    )
    words = lines[1].split()
    import os

    env = {k: v for k, v in os.environ.items() if k != "RELGRAPH_ROOT"}  # the repository's root, as for a reader
    done = subprocess.run([sys.executable, "-m", "relgraph", *words[1:]], cwd=root, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    changelog = (root / "CHANGES-facts.md").read_text(encoding="utf-8")
    assert changelog.startswith("## Changes in the facts from v0.1.0 to the working tree")
    assert "- added source A source added after the release (`https://w3id.org/relgraph/id/source-a-new-one`)" in changelog
