"""relgraph validate --shapes SHAPES… DATA…: arbitrary RDF files in every format relgraph reads,
no root needed, with the same refusals as elsewhere: a JSON-LD context that names another
document is exit 2 with nothing fetched, and RDF/XML entity declarations are refused (a billion
laughs, an external entity) before anything is expanded."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.conftest import run_cli

SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:datatype <http://www.w3.org/2001/XMLSchema#string> ] .
"""

# the same data in each format: ex:alice has a name, ex:bob has none
DATA = {
    "data.ttl": '@prefix ex: <https://example.org/> .\nex:alice a ex:Person ; ex:name "Alice" .\nex:bob a ex:Person .\n',
    "data.nt": (
        '<https://example.org/alice> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/Person> .\n'
        '<https://example.org/alice> <https://example.org/name> "Alice" .\n'
        '<https://example.org/bob> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/Person> .\n'
    ),
    "data.nq": (
        '<https://example.org/alice> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/Person> <https://example.org/g1> .\n'
        '<https://example.org/alice> <https://example.org/name> "Alice" <https://example.org/g1> .\n'
        '<https://example.org/bob> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/Person> <https://example.org/g2> .\n'
    ),
    "data.trig": '@prefix ex: <https://example.org/> .\nex:g1 { ex:alice a ex:Person ; ex:name "Alice" . }\nex:g2 { ex:bob a ex:Person . }\n',
    "data.jsonld": json.dumps(
        {
            "@context": {"ex": "https://example.org/", "name": "ex:name"},
            "@graph": [{"@id": "ex:alice", "@type": "ex:Person", "name": "Alice"}, {"@id": "ex:bob", "@type": "ex:Person"}],
        }
    ),
    "data.rdf": (
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://example.org/">\n'
        '  <ex:Person rdf:about="https://example.org/alice"><ex:name>Alice</ex:name></ex:Person>\n'
        '  <ex:Person rdf:about="https://example.org/bob"/>\n</rdf:RDF>\n'
    ),
}


@pytest.fixture
def shapes(tmp_path) -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text(SHAPES, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(DATA))
@pytest.mark.parametrize("mode", [[], ["--jobs", "1"]], ids=["whole", "parts"])
def test_each_format_validates_without_a_root(tmp_path, monkeypatch, shapes, name, mode) -> None:
    data = tmp_path / name
    data.write_text(DATA[name], encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # no relgraph root at or above the working directory
    monkeypatch.setenv("RELGRAPH_ROOT", str(tmp_path / "no-such-root"))  # and none used
    result = run_cli("validate", "--shapes", str(shapes), str(data), "--format", "json", *mode)
    assert result.code == 1, result.stderr
    body = json.loads(result.stdout)
    assert [(r["focusNode"], r["resultPath"], r["sourceConstraintComponent"]) for r in body["results"]] == [
        ("https://example.org/bob", "https://example.org/name", "http://www.w3.org/ns/shacl#MinCountConstraintComponent")
    ]
    text = run_cli("validate", "--shapes", str(shapes), str(data), *mode)
    assert f"1 file validated with the shapes of {shapes.name}: 1 violation" in text.stdout


def test_several_shapes_and_data_files_are_merged(tmp_path) -> None:
    (tmp_path / "a.shapes.ttl").write_text(SHAPES, encoding="utf-8")
    (tmp_path / "b.shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <https://example.org/> .\n"
        "ex:NameShape a sh:NodeShape ; sh:targetSubjectsOf ex:name ; sh:property [ sh:path ex:name ; sh:maxLength 3 ] .\n",
        encoding="utf-8",
    )
    (tmp_path / "one.ttl").write_text('@prefix ex: <https://example.org/> .\nex:alice a ex:Person .\n', encoding="utf-8")
    (tmp_path / "two.nt").write_text('<https://example.org/alice> <https://example.org/name> "Alice" .\n', encoding="utf-8")
    result = run_cli("validate", "-s", str(tmp_path / "a.shapes.ttl"), "-s", str(tmp_path / "b.shapes.ttl"), str(tmp_path / "one.ttl"), str(tmp_path / "two.nt"), "--format", "json")
    body = json.loads(result.stdout)
    assert [(r["focusNode"], r["sourceConstraintComponent"]) for r in body["results"]] == [
        ("https://example.org/alice", "http://www.w3.org/ns/shacl#MaxLengthConstraintComponent")
    ]


def test_a_json_ld_context_that_names_another_document_is_refused(tmp_path, shapes) -> None:
    for name, context in (("remote.jsonld", "https://example.org/context.jsonld"), ("relative.jsonld", "context.jsonld")):
        (tmp_path / "context.jsonld").write_text('{"@context": {"name": "https://example.org/name"}}', encoding="utf-8")
        data = tmp_path / name
        data.write_text(json.dumps({"@context": context, "@id": "https://example.org/a", "name": "A"}), encoding="utf-8")
        started = time.monotonic()
        result = run_cli("validate", "--shapes", str(shapes), str(data))
        assert result.code == 2
        assert f"{name}: a JSON-LD @context (or @import) names another document, remote or relative" in result.stderr
        assert "never loads JSON-LD documents from the file system or the network" in result.stderr
        assert time.monotonic() - started < 30  # nothing was fetched (no network here to wait on)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://example.org/">
  <rdf:Description rdf:about="https://example.org/a"><ex:name>&lol9;</ex:name></rdf:Description>
</rdf:RDF>
"""


def test_a_billion_laughs_is_refused_before_any_expansion(tmp_path, shapes) -> None:
    data = tmp_path / "laughs.rdf"
    data.write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.monotonic()
    result = run_cli("validate", "--shapes", str(shapes), str(data))
    assert result.code == 2
    assert "laughs.rdf:3: this RDF/XML file declares XML entities (<!ENTITY …>), which relgraph never expands" in result.stderr
    assert time.monotonic() - started < 30  # pyoxigraph's parser alone would expand it for minutes


def test_an_external_entity_is_refused_and_the_file_never_read(tmp_path, shapes) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    data = tmp_path / "xxe.rdf"
    data.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY xxe SYSTEM "{secret.as_uri()}"> ]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://example.org/">\n'
        '  <rdf:Description rdf:about="https://example.org/a"><ex:name>&xxe;</ex:name></rdf:Description>\n</rdf:RDF>\n',
        encoding="utf-8",
    )
    result = run_cli("validate", "--shapes", str(shapes), str(data), "--format", "json")
    assert result.code == 2
    assert "xxe.rdf:2: this RDF/XML file declares XML entities" in result.stderr
    assert "SECRET-CONTENT" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.ttl", "@prefix ex: <https://example.org/> .\nex:a ex:b .\n", "bad.ttl:2: Turtle syntax error"),
        ("data.csv", "a,b\n", "data.csv: unknown RDF format; name the file with one of the extensions .ttl"),
        ("broken.rdf", "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><x", "broken.rdf"),
    ],
)
def test_bad_data_files_are_input_errors(tmp_path, shapes, name, text, message) -> None:
    data = tmp_path / name
    data.write_text(text, encoding="utf-8")
    result = run_cli("validate", "--shapes", str(shapes), str(data))
    assert result.code == 2, result.stderr
    assert message in result.stderr and "internal error" not in result.stderr


def test_usage_errors(tmp_path, shapes) -> None:
    assert run_cli("validate", "--shapes", str(shapes)).code == 2
    assert "--shapes needs the data files" in run_cli("validate", "--shapes", str(shapes)).stderr
    data = tmp_path / "d.ttl"
    data.write_text("", encoding="utf-8")
    combined = run_cli("validate", "--shapes", str(shapes), "--standalone", str(data))
    assert combined.code == 2 and "leave out --standalone" in combined.stderr
    missing = run_cli("validate", "--shapes", str(tmp_path / "nope.ttl"), str(data))
    assert missing.code == 2 and "nope.ttl: no such file" in missing.stderr
