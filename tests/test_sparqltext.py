"""The token pattern of ``relgraph.sparqltext`` in its two compiled forms: the ASCII form reads
every stored query exactly as the full Unicode form does, and a text with non-ASCII characters
outside whole-line comments gets the full form."""

from __future__ import annotations

from pathlib import Path

import pytest

from relgraph import sparqltext
from tests.conftest import REPO

QUERY_FILES = sorted((REPO / "queries").rglob("*.rq")) + sorted((REPO / "tests" / "data").rglob("*.rq"))


def _reading(text: str) -> list[tuple[str, str, int]]:
    return [(t.kind, t.text, t.start) for t in sparqltext.tokens(text)]


def test_the_collection_of_query_files_is_not_empty() -> None:
    assert len(QUERY_FILES) >= 20


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_ascii_form_reads_a_query_as_the_full_form_does(path: Path, monkeypatch) -> None:
    text = path.read_text(encoding="utf-8")
    assert sparqltext.names_are_ascii(text)  # stored queries write "…" only in comments
    ascii_reading = _reading(text)
    full = sparqltext.token_pattern(False)
    monkeypatch.setattr(sparqltext, "token_pattern", lambda ascii_only: full)
    assert _reading(text) == ascii_reading
    assert ascii_reading  # a query has tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * { ?s ?p ?o }", True),
        ("# the members…\nSELECT * { ?s ?p 'Москва' }", False),
        ("# the members…\nSELECT * { ?s ?p ?o }", True),
        ("SELECT * { ?s ?p '''a\n  # Москва''' }", True),
        ("SELECT * { ?s ?p ex:Москва }", False),
        ("SELECT * { ?s ?p <urn:x#a> . # Москва\n}", False),
    ],
)
def test_non_ascii_text_outside_whole_line_comments_needs_the_full_form(text: str, expected: bool) -> None:
    assert sparqltext.names_are_ascii(text) is expected


def test_a_text_with_non_ascii_names_is_read_with_the_full_form() -> None:
    text = "SELECT ?город WHERE { ex:Москва ex:p _:б·1 ; :名前 'Й' }"
    assert [(t.kind, t.text) for t in sparqltext.tokens(text)] == [
        ("word", "SELECT"), ("var", "?город"), ("word", "WHERE"), ("punct", "{"), ("pname", "ex:Москва"),
        ("pname", "ex:p"), ("bnode", "_:б·1"), ("punct", ";"), ("pname", ":名前"), ("string", "'Й'"), ("punct", "}"),
    ]


def test_each_form_is_compiled_once_per_process() -> None:
    assert sparqltext.token_pattern(True) is sparqltext.token_pattern(True)
    assert sparqltext.token_pattern(False) is sparqltext.token_pattern(False)
    assert sparqltext.token_pattern(True).pattern != sparqltext.token_pattern(False).pattern


@pytest.mark.parametrize(("query", "counted"), [
    ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", 3),
    # DISTINCT is counted with COUNT(DISTINCT *): Virtuoso 7.2.5's COUNT(*) over a DISTINCT
    # sub-query now and then counts repeats
    ("PREFIX ex: <http://example.org/>\nSELECT DISTINCT ?s WHERE { ?s ?p ?o } ORDER BY ?s", 2),
])
def test_a_count_query_counts_the_solutions_of_the_query(query: str, counted: int) -> None:
    import pyoxigraph as ox

    store = ox.Store()
    ex = "http://example.org/"
    store.extend(ox.Quad(ox.NamedNode(ex + s), ox.NamedNode(ex + p), ox.Literal(o)) for s, p, o in [("a", "p", "1"), ("a", "q", "2"), ("b", "p", "1")])
    text = sparqltext.count_query(query, "n")
    assert ("COUNT(DISTINCT *)" in text) == ("DISTINCT" in query)
    assert [int(row["n"].value) for row in store.query(text)] == [counted]
