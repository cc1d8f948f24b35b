"""The check of an ad-hoc query (``relgraph.query.adhoc.check``) and the lexer under it
(``relgraph.sparqltext``): what it refuses, what it lets through, what it reports, and that it
never builds a parse tree with rdflib (which took 7.3 s on a 79 KB query)."""

from __future__ import annotations

import time

import pytest

from relgraph.query.adhoc import check
from relgraph.errors import QueryError, QueryRefused
from relgraph.sparqltext import MAX_NESTING, dataset_iris, normalize, scan, tokens
from tests.utils.hostile import HIDDEN_SERVICE, Listener

IN_LIST = "SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER (?label IN (" + ",".join(f'"l{i}"' for i in range(10_000)) + ")) }"


def test_the_large_in_query_is_checked_without_rdflibs_parser(monkeypatch) -> None:
    import rdflib.plugins.sparql.parser as rdflib_parser

    def forbidden(*args, **kwargs):
        raise AssertionError("rdflib's SPARQL parser was called")

    monkeypatch.setattr(rdflib_parser, "parseQuery", forbidden)
    monkeypatch.setattr(rdflib_parser, "parseUpdate", forbidden)
    checked = check(IN_LIST)
    assert checked.form == "SELECT" and checked.text == IN_LIST
    assert checked.has_dataset is False and checked.graphs == ()
    assert len(IN_LIST) > 78_000


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("PREFIX ex: <http://ex.org/> ASK { ex:a ?p ?o }", "ASK"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://ex.org/a>", "DESCRIBE"),
        ("# a comment\nselect (count(*) as ?n) { { SELECT ?s { ?s ?p ?o } } }", "SELECT"),
    ],
)
def test_every_query_form_is_read(text, form) -> None:
    assert check(text).form == form


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?service WHERE { ?service <http://example.org/service> "SERVICE" }',
        "SELECT * WHERE { ?s schema:serviceType ?o } # SERVICE <http://example.org/> { }",
        "SELECT * WHERE { ?s ?p '''SERVICE <http://example.org/> { ?a ?b ?c }''' }",
        'SELECT * WHERE { ?s ?p "x"@service }',
        "SELECT * WHERE { ?s ?p ?o FILTER (?o < 3 && ?s != <http://example.org/#SERVICE>) }",
        "SELECT $insert ?delete WHERE { ?insert ?delete rdfs:Class }",
    ],
)
def test_service_and_update_words_in_names_strings_iris_and_comments_are_not_keywords(text) -> None:
    assert scan(normalize(text)).keywords == frozenset()
    assert check(text).form == "SELECT"


@pytest.mark.parametrize(
    ("text", "keywords"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", {"INSERT"}),
        ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", {"WITH", "DELETE"}),
        ("load <file:///etc/passwd>", {"LOAD"}),
        ("SELECT * WHERE { SERVICE SILENT ?e { ?s ?p ?o } }", {"SERVICE"}),
        ("SELECT * WHERE { ?s ?p true.SERVICE <http://x/> { } }", {"SERVICE"}),
        ("SELECT * WHERE { ?s ?p ?o trueSERVICE <http://x/> { } }", {"SERVICE"}),
        ("SELECT * WHERE { SERVICE:x { } }", {"SERVICE"}),
        ("SELECT * WHERE { \\u005Cu0053ERVICE <http://x/> { } }", {"SERVICE"}),
    ],
)
def test_keywords_are_found_however_they_are_written(text, keywords) -> None:
    assert scan(normalize(text)).keywords == frozenset(keywords)
    with pytest.raises(QueryRefused, match="is refused"):
        check(text)


@pytest.mark.parametrize("template", HIDDEN_SERVICE)
def test_the_hidden_service_texts_show_their_endpoint(template) -> None:
    text = normalize(template.format(port=9))
    services = scan(text).services
    assert [s.endpoint for s in services] == ["http://127.0.0.1:9/x"]
    assert text[services[0].start : services[0].end] == "SERVICE"


def test_updates_refusal_names_the_command_and_the_endpoint_its_operator() -> None:
    with pytest.raises(QueryRefused, match=r"^q.rq: SPARQL Update \(INSERT, DELETE, LOAD, CLEAR, DROP…\) is refused: relgraph sparql is read-only; change the facts by editing graph/\*.ttl$"):
        check("DROP ALL", "q.rq")
    with pytest.raises(QueryRefused, match=r"^query: SPARQL Update .* is refused: this endpoint is read-only$"):
        check("CLEAR DEFAULT", endpoint=True)
    with pytest.raises(QueryRefused, match="^query: SERVICE is refused: relgraph never sends a user query to another endpoint; remove the SERVICE clause$"):
        check("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")


def test_allowed_service_endpoints_pass_and_are_never_called_by_the_check() -> None:
    listener = Listener()
    allowed = f"http://127.0.0.1:{listener.port}/sparql"
    try:
        for text in (f"ASK {{ SERVICE <{allowed}> {{ ?s ?p ?o }} }}", f"ASK {{ SERVICE SILENT <{allowed}> {{ ?s ?p ?o }} }}"):
            checked = check(text, allow_service=(allowed,), endpoint=True)
            assert checked.form == "ASK" and checked.text == text
        with pytest.raises(QueryRefused, match=r"SERVICE <http://127.0.0.1:9/> is refused; allowed endpoints \(write the IRI in full\): " + allowed):
            check(f"SELECT * WHERE {{ SERVICE <{allowed}> {{ }} SERVICE <http://127.0.0.1:9/> {{ }} }}", allow_service=(allowed,), endpoint=True)
        with pytest.raises(QueryRefused, match="SERVICE written into another word or name is refused"):
            check(f"SELECT * WHERE {{ ?s ?p true.xSERVICE <{allowed}> {{ }} }}", allow_service=(allowed,), endpoint=True)
        time.sleep(0.2)
    finally:
        assert listener.close() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * WHERE {\n ?s ?p }", r"^q.rq:2:9: SPARQL syntax error: expected "),
        ("SELEC * WHERE { ?s ?p ?o }", r"^q.rq:1:\d+: SPARQL syntax error: expected CONSTRUCT$"),
        ("SELECT * WHERE {\n  ?s ex:p ?o }", r"^q.rq:2:6: SPARQL syntax error: the prefix ex: is not declared; declare it with PREFIX ex: <…> \(predeclared: rg, rgv, "),
        ("", r"^q.rq: no query found; write a SELECT, ASK, CONSTRUCT or DESCRIBE query$"),
        ("# only a comment\nPREFIX ex: <http://ex.org/>\nBASE <http://ex.org/>", r"^q.rq: no query found"),
    ],
)
def test_syntax_errors_name_line_and_column(text, message) -> None:
    with pytest.raises(QueryError, match=message):
        check(text, "q.rq")


def test_nesting_deeper_than_the_limit_is_refused_before_oxigraph_parses_it() -> None:
    inside = "SELECT * WHERE " + "{ " * MAX_NESTING + "?s ?p ?o" + " }" * MAX_NESTING
    assert check(inside).form == "SELECT"
    for deep in ("SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000, "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"):
        with pytest.raises(QueryError, match=rf"^query: the query is nested too deeply \(\d+ levels of brackets, at most {MAX_NESTING}\); simplify it$"):
            check(deep)


def test_codepoint_escapes_are_expanded_until_none_is_left() -> None:
    assert normalize("SELECT ('\\u005Cu0041' AS ?x) {}") == "SELECT ('A' AS ?x) {}"
    assert normalize("a\r\nb\rc") == "a\nb\nc"
    with pytest.raises(QueryError, match="not a valid code point"):
        normalize("'\\uD800'")


def test_dataset_iris_reads_from_and_from_named_as_oxigraph_does() -> None:
    text = (
        "BASE <http://base.org/dir/> PREFIX ex: <http://ex.org/> PREFIX rel: <sub/>\n"
        "SELECT * FROM <g1> FROM NAMED ex:g2 FROM rel:g3 FROM rg:g4 FROM:g5 FROM NAMED:g6 "
        "WHERE { { SELECT * WHERE { ?s ?p ?o } } }"
    )
    found = dataset_iris(text, {"": "http://empty.org/", "rg": "https://w3id.org/relgraph/ontology#"})
    assert found.default == ("http://base.org/dir/g1", "http://base.org/dir/sub/g3", "https://w3id.org/relgraph/ontology#g4", "http://empty.org/g5")
    assert found.named == ("http://ex.org/g2", "http://empty.org/g6")
    assert not dataset_iris("SELECT * WHERE { GRAPH <urn:g> { ?s ?p ?o } }")
    checked = check("SELECT * FROM <urn:a> FROM NAMED <urn:b> WHERE { ?s ?p ?o }")
    assert checked.has_dataset and checked.graphs == ("urn:a",) and checked.named_graphs == ("urn:b",)


def test_tokens_follow_the_terminals_of_sparql() -> None:
    text = "SELECT ?x $y WHERE { _:b rdf:type ex:a\\'b ; :p 'it''s'@en-GB , \"\"\"x\"y\"\"\"^^xsd:string , -1.5e3 . FILTER(?x<=2 && ?y != <urn:x>) } # done"
    assert [(t.kind, t.text) for t in tokens(text)] == [
        ("word", "SELECT"), ("var", "?x"), ("var", "$y"), ("word", "WHERE"), ("punct", "{"), ("bnode", "_:b"),
        ("pname", "rdf:type"), ("pname", "ex:a\\'b"), ("punct", ";"), ("pname", ":p"), ("string", "'it'"), ("string", "'s'"),
        ("langtag", "@en-GB"), ("punct", ","), ("string", '"""x"y"""'), ("punct", "^^"), ("pname", "xsd:string"), ("punct", ","),
        ("punct", "-"), ("number", "1.5e3"), ("punct", "."), ("word", "FILTER"), ("punct", "("), ("var", "?x"), ("punct", "<="),
        ("number", "2"), ("punct", "&&"), ("var", "?y"), ("punct", "!="), ("iri", "<urn:x>"), ("punct", ")"), ("punct", "}"),
    ]
