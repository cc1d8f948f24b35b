"""``relgraph sparql --data FILE``: ad-hoc queries over arbitrary RDF files, as Jena's ``arq
--data`` runs them, without a relgraph root, with the refusals relgraph makes everywhere
(nothing fetched, no XML entity expanded) and errors that name the file and line."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.conftest import run_cli
from relgraph.errors import InputError
from relgraph.graph.parsing import load_rdf_files
from tests.utils.hostile import Listener

NAME = "http://ex.org/name"
FILES = {
    "a.ttl": '@prefix ex: <http://ex.org/> .\nex:a ex:name "from Turtle" ; ex:knows [ ex:name "a blank node" ] .\n',
    "b.nt": '<http://ex.org/b> <http://ex.org/name> "from N-Triples" .\n',
    "c.nq": '<http://ex.org/c> <http://ex.org/name> "from N-Quads, graph g1" <http://ex.org/g1> .\n'
    '<http://ex.org/c2> <http://ex.org/name> "from N-Quads, default graph" .\n',
    "d.trig": '@prefix ex: <http://ex.org/> .\nex:g2 { ex:d ex:name "from TriG, graph g2" . }\nex:d2 ex:name "from TriG, default graph" .\n',
    "e.jsonld": json.dumps({"@context": {"name": NAME}, "@id": "http://ex.org/e", "name": "from JSON-LD"}),
    "f.rdf": '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">\n'
    ' <rdf:Description rdf:about="http://ex.org/f"><ex:name>from RDF/XML</ex:name></rdf:Description>\n</rdf:RDF>\n',
}
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY a "aaaaaaaaaa">\n'
    + "".join(f' <!ENTITY {n} "{("&" + p + ";") * 10}">\n' for p, n in zip("abcdefgh", "bcdefghi"))
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">\n'
    ' <rdf:Description rdf:about="http://ex.org/s"><ex:name>&i;</ex:name></rdf:Description>\n</rdf:RDF>\n'
)


def _write(folder: Path, files: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


def _data_args(paths: list[Path]) -> list[str]:
    return [arg for path in paths for arg in ("--data", str(path))]


def test_every_format_is_queried_in_its_graph_without_a_root(tmp_path) -> None:
    paths = _write(tmp_path, FILES)
    query = f"SELECT ?g ?o WHERE {{ GRAPH ?g {{ ?s <{NAME}> ?o }} }} ORDER BY ?o"
    # the root named here does not exist: --data needs none
    result = run_cli("--root", str(tmp_path / "no-root"), "sparql", *_data_args(paths), "--format", "json", query)
    assert result.code == 0, result.stderr
    found = [(b["g"]["value"], b["o"]["value"]) for b in json.loads(result.stdout)["results"]["bindings"]]
    uri = {p.name: p.resolve().as_uri() for p in paths}
    assert found == [
        (uri["a.ttl"], "a blank node"),
        (uri["e.jsonld"], "from JSON-LD"),
        (uri["c.nq"], "from N-Quads, default graph"),
        ("http://ex.org/g1", "from N-Quads, graph g1"),
        (uri["b.nt"], "from N-Triples"),
        (uri["f.rdf"], "from RDF/XML"),
        (uri["d.trig"], "from TriG, default graph"),
        ("http://ex.org/g2", "from TriG, graph g2"),
        (uri["a.ttl"], "from Turtle"),
    ]
    # the default graph is the union of all graphs, as for the graph relgraph loads
    union = run_cli("sparql", *_data_args(paths), "--format", "csv", f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{NAME}> ?o }}")
    assert union.code == 0 and union.stdout.split() == ["n", "9"]
    chosen = run_cli("sparql", *_data_args(paths), "--format", "csv", f"SELECT ?o FROM <{uri['b.nt']}> WHERE {{ ?s ?p ?o }}")
    assert chosen.code == 0 and chosen.stdout.split("\r\n")[:2] == ["o", "from N-Triples"]


def test_an_environment_store_does_not_replace_the_files(tmp_path, monkeypatch) -> None:
    paths = _write(tmp_path, {"b.nt": FILES["b.nt"]})
    monkeypatch.setenv("RELGRAPH_STORE", str(tmp_path / "no-store"))
    result = run_cli("sparql", *_data_args(paths), "ASK { <http://ex.org/b> ?p ?o }")
    assert result.code == 0 and result.stdout.strip() == "yes"


def test_data_leaves_out_store_and_infer(tmp_path) -> None:
    paths = _write(tmp_path, {"b.nt": FILES["b.nt"]})
    with_store = run_cli("sparql", *_data_args(paths), "--store", str(tmp_path / "s"), "ASK {}")
    assert with_store.code == 2 and "--data queries the files it names; leave out --store" in with_store.stderr
    with_infer = run_cli("sparql", *_data_args(paths), "--infer", "rdfs", "ASK {}")
    assert with_infer.code == 2 and "--infer works on a root's graph with its ontology; leave it out with --data" in with_infer.stderr


def test_updates_and_service_are_refused_over_files_too(tmp_path) -> None:
    paths = _write(tmp_path, {"b.nt": FILES["b.nt"]})
    update = run_cli("sparql", *_data_args(paths), "DELETE WHERE { ?s ?p ?o }")
    assert update.code == 2 and "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP…) is refused" in update.stderr
    service = run_cli("sparql", *_data_args(paths), "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert service.code == 2 and "SERVICE is refused" in service.stderr


@pytest.mark.parametrize("kind", ["http", "relative", "file", "import"])
def test_a_json_ld_context_from_elsewhere_is_refused_and_nothing_is_fetched(tmp_path, kind) -> None:
    listener = Listener()
    try:
        (tmp_path / "ctx.jsonld").write_text(json.dumps({"@context": {"name": NAME}}), encoding="utf-8")
        context = {
            "http": f"http://127.0.0.1:{listener.port}/ctx.jsonld",
            "relative": "ctx.jsonld",
            "file": (tmp_path / "ctx.jsonld").as_uri(),
            "import": {"@import": f"http://127.0.0.1:{listener.port}/ctx.jsonld"},
        }[kind]
        paths = _write(tmp_path, {"doc.jsonld": json.dumps({"@context": context, "@id": "http://ex.org/x", "name": "x"})})
        result = run_cli("sparql", *_data_args(paths), "--format", "csv", "SELECT * WHERE { ?s ?p ?o }")
        assert result.code == 2
        assert f"{paths[0]}: a JSON-LD @context (or @import) names another document, remote or relative; relgraph never loads JSON-LD documents" in result.stderr
        time.sleep(0.2)
    finally:
        assert listener.close() == 0


def test_rdf_xml_entities_are_never_expanded(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-5c1e", encoding="utf-8")
    (tmp_path / "evil.dtd").write_text(f'<!ENTITY secret SYSTEM "{secret.as_uri()}">', encoding="utf-8")
    body = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">\n <rdf:Description rdf:about="http://ex.org/s"><ex:name>&secret;</ex:name></rdf:Description>\n</rdf:RDF>\n'
    files = {
        "laughs.rdf": LAUGHS,
        "external.rdf": f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY secret SYSTEM "{secret.as_uri()}">\n]>\n{body}',
        "parameter.owl": f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY % dtd SYSTEM "{(tmp_path / "evil.dtd").as_uri()}">\n %dtd;\n]>\n{body}',
        "subset.rdf": f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM "{(tmp_path / "evil.dtd").as_uri()}">\n{body}',
    }
    paths = _write(tmp_path, files)
    refused = ": this RDF/XML file declares XML entities (<!ENTITY …>), which relgraph never expands"
    expected = {
        "laughs.rdf": "laughs.rdf:3" + refused,
        "external.rdf": "external.rdf:3" + refused,
        "parameter.owl": "parameter.owl:3" + refused,
        "subset.rdf": "subset.rdf: RDF/XML syntax error: it uses an XML entity that the file does not declare (relgraph reads no external DTD)",
    }
    for path in paths:
        result = run_cli("sparql", "--timeout", "60", "--data", str(path), "--format", "csv", "SELECT ?o WHERE { ?s ?p ?o }")
        assert result.code == 2, (path.name, result.stderr)
        assert expected[path.name] in result.stderr
        assert "TOP-SECRET" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.ttl", "@prefix ex: <http://ex.org/> .\nex:a ex:name 'x' .\nex:a ex:name .\n", "bad.ttl:3: Turtle syntax error (column 14): "),
        ("bad.ttl.gz", "not gzip", "bad.ttl.gz: not a valid gzip file"),
        ("utf16.rdf", '<?xml version="1.0" encoding="UTF-16"?>\n<rdf:RDF', "utf16.rdf:1: RDF/XML syntax error (column "),
        ("bad.nt", '<http://ex.org/a> <http://ex.org/b> "c" .\n<http://ex.org/a> <http://ex.org/b> .\n', "bad.nt:2: N-Triples syntax error (column 37): "),
        ("bad.nq", '<http://ex.org/a> <http://ex.org/b> "c" <g> .\n', "bad.nq:1: N-Quads syntax error"),
        ("bad.jsonld", '{"@id": "http://ex.org/a",\n "http://ex.org/p": [1,\n }', "bad.jsonld:3: JSON-LD syntax error (column 2): "),
        ("bad.rdf", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description>\n<x></rdf:Description></rdf:RDF>\n', "bad.rdf:4: RDF/XML syntax error (column 6): mismatched tag; fix the XML at this line"),
        ("data.csv", "a,b\n", "data.csv: unknown RDF format; name the file with one of the extensions .ttl, .turtle, .nt, .nq, .trig, .jsonld, .json, .rdf, .owl, .xml (optionally followed by .gz)"),
    ],
)
def test_a_file_that_does_not_parse_is_named_with_its_line(tmp_path, name, text, message) -> None:
    paths = _write(tmp_path, {name: text})
    result = run_cli("sparql", "--data", str(paths[0]), "ASK {}")
    assert result.code == 2
    assert f"{tmp_path}/{message}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_relative_iris_resolve_against_the_file_and_gzip_is_read(tmp_path) -> None:
    import gzip

    paths = _write(tmp_path, {"relative.ttl": '<a> <http://ex.org/name> "relative" .\n'})
    packed = tmp_path / "packed.nt.gz"
    packed.write_bytes(gzip.compress(FILES["b.nt"].encode("utf-8")))
    result = run_cli("sparql", *_data_args([*paths, packed]), "--format", "csv", f"SELECT ?s ?o WHERE {{ ?s <{NAME}> ?o }} ORDER BY ?o")
    assert result.code == 0, result.stderr
    assert result.stdout.split("\r\n")[1:3] == ["http://ex.org/b,from N-Triples", f"{(tmp_path / 'a').as_uri()},relative"]


def test_a_missing_file_or_folder_is_a_clear_error(tmp_path) -> None:
    missing = run_cli("sparql", "--data", str(tmp_path / "none.ttl"), "ASK {}")
    assert missing.code == 2 and f"{tmp_path / 'none.ttl'}: no such file" in missing.stderr
    folder = tmp_path / "folder.ttl"
    folder.mkdir()
    assert f"{folder}: not a file" in run_cli("sparql", "--data", str(folder), "ASK {}").stderr


def test_blank_nodes_of_two_files_stay_apart_and_a_file_is_read_once(tmp_path) -> None:
    one = tmp_path / "one" / "x.ttl"
    two = tmp_path / "two" / "x.ttl"
    for path in (one, two):
        path.parent.mkdir()
        path.write_text('_:b <http://ex.org/name> "n" .\n', encoding="utf-8")
    parsed = load_rdf_files([one, two, one])
    assert [p.path for p in parsed] == [one, two]
    subjects = {q.subject for p in parsed for q in p.quads}
    assert len(subjects) == 2 and all(str(s).startswith("_:x_") for s in subjects)
    assert [q.graph_name.value for p in parsed for q in p.quads] == [one.resolve().as_uri(), two.resolve().as_uri()]
    with pytest.raises(InputError, match="^shown.jsonld: a JSON-LD @context"):
        (tmp_path / "c.jsonld").write_text('{"@context": "https://example.org/c", "@id": "http://ex.org/a"}', encoding="utf-8")
        load_rdf_files([tmp_path / "c.jsonld"], ["shown.jsonld"])
