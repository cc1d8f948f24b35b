"""Claim tables (relgraph.graph.tables): a CSV in the manner of ROBOT templates becomes triples,
and a bad row is refused with the table, the line and the column."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph.errors import InputError
from relgraph.graph.tables import date_literal, parse_table
from tests.conftest import copy_root, run_cli

XSD = "http://www.w3.org/2001/XMLSchema#"
HEADER = "id,type,member,organisation,start,approximate,source\nID,TYPE,I org:member,I org:organization,D rg:start,S rg:approximate^^xsd:boolean,I prov:wasDerivedFrom\n"


def table(tmp_path: Path, rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "memberships.csv"
    path.write_text(header + rows, encoding="utf-8")
    return path


def test_a_row_becomes_the_triples_of_its_template(tmp_path: Path) -> None:
    path = table(tmp_path, "rgid:m1,rg:Membership,rgid:tajikistan,rgid:cis,1993-04,true,rgid:source-a|rgid:source-b\n")
    parsed = parse_table(path, "https://w3id.org/relgraph/graph/facts/tables/memberships")
    got = sorted((t.predicate.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1], str(t.object)) for t in parsed.parsed.triples)
    assert got == [
        ("approximate", f'"true"^^<{XSD}boolean>'),
        ("member", "<https://w3id.org/relgraph/id/tajikistan>"),
        ("organization", "<https://w3id.org/relgraph/id/cis>"),
        ("start", f'"1993-04"^^<{XSD}gYearMonth>'),
        ("type", "<https://w3id.org/relgraph/ontology#Membership>"),
        ("wasDerivedFrom", "<https://w3id.org/relgraph/id/source-a>"),
        ("wasDerivedFrom", "<https://w3id.org/relgraph/id/source-b>"),
    ]
    assert {t.subject for t in parsed.parsed.triples} == {ox.NamedNode("https://w3id.org/relgraph/id/m1")}
    assert [(c.iri.rsplit("/", 1)[1], c.line, c.column) for c in parsed.references] == [("tajikistan", 3, "member"), ("cis", 3, "organisation"), ("source-a", 3, "source"), ("source-b", 3, "source")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1992", "1992^^gYear"), ("1992-02", "1992-02^^gYearMonth"), ("1992-02-29", "1992-02-29^^date"), ("1993-02-29", None), ("1992-13", None), ("92", None), ("1992-2-1", None)],
)
def test_dates_keep_the_precision_written_and_impossible_days_are_refused(text: str, expected: str | None) -> None:
    literal = date_literal(text)
    assert (None if literal is None else f"{literal.value}^^{literal.datatype.value.rsplit('#', 1)[1]}") == expected


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("rgid:m1,rg:Membership,rgid:tajikistan,rgid:cis,1993-02-30,,rgid:source-a\n", "memberships.csv:3: column 'start': '1993-02-30' is not a possible date; write YYYY, YYYY-MM or YYYY-MM-DD as the source gives it"),
        ("rgid:m1,rg:Membership,rgid:tajikistan,rgid:cis,1993,,\n", "memberships.csv:3: column 'source': no source; every claim names the source it was read from"),
        ("rgid:m1,rg:Membership,tajikistan,rgid:cis,1993,,rgid:s\n", "memberships.csv:3: column 'member': 'tajikistan' is not a prefixed name of a known prefix (rdf, rdfs, xsd, skos, rg, rgv, rgid, prov, wikibase, org, dcterms, wd)"),
        ("rgid:m1,rg:Membership,rgid:tajikistan,rgid:cis,1993,yes,rgid:s\n", "memberships.csv:3: column 'approximate': 'yes' is not an xsd:boolean"),
        ("\nrgid:m1,rg:Membership,rgid:tajikistan\n", "memberships.csv:4: 3 cells where the header has 7; quote cells that hold commas"),
    ],
)
def test_a_bad_row_names_the_table_the_line_and_the_column(tmp_path: Path, rows: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_table(table(tmp_path, rows), "urn:x:g", "memberships.csv")
    assert caught.value.message == message


def test_a_template_without_a_source_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        parse_table(table(tmp_path, "", header="id,type\nID,TYPE\n"), "urn:x:g", "t.csv")
    assert caught.value.message == "t.csv:2: no 'I prov:wasDerivedFrom' column; every claim needs its source"


def test_a_row_naming_an_unknown_state_fails_the_load_with_its_table_line_and_column(tmp_path: Path) -> None:
    root = copy_root(tmp_path / "root")
    (root / "graph" / "tables").mkdir()
    (root / "graph" / "tables" / "memberships.csv").write_text(
        HEADER + "rgid:m1,rg:Membership,rgid:tajikistan,rgid:cis,1993,,rgid:source-wikidata\nrgid:m2,rg:Membership,rgid:tajikstan,rgid:cis,1993,,rgid:source-wikidata\n",
        encoding="utf-8",
    )
    result = run_cli("--root", str(root), "query", "memberships", "--param", "state=TJ")
    assert result.code == 2
    assert result.stderr.strip().endswith("graph/tables/memberships.csv:4: column 'member': rgid:tajikstan names nothing in the graph (no rdf:type); add it, or correct the name")
    assert "Traceback" not in result.stderr


def test_a_table_row_is_queried_like_a_turtle_fact(tmp_path: Path) -> None:
    root = copy_root(tmp_path / "root")
    (root / "graph" / "tables").mkdir()
    (root / "graph" / "tables" / "memberships.csv").write_text(
        "id,type,member,organisation,role,start,end,rank,source\nID,TYPE,I org:member,I org:organization,I org:role,D rg:start,D rg:end,I wikibase:rank,I prov:wasDerivedFrom\n"
        "rgid:m1,rg:Membership,rgid:tajikistan,rgid:shanghai-five,rgv:member,1996,2000,wikibase:NormalRank,rgid:source-wikidata\n",
        encoding="utf-8",
    )
    result = run_cli("--root", str(root), "query", "memberships", "--param", "state=TJ", "--as-of", "1998-06-01", "--format", "csv")
    assert result.code == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.endswith("/id/source-wikidata")]
    assert [line.split(",")[:4] for line in rows] == [["https://w3id.org/relgraph/id/shanghai-five", "https://w3id.org/relgraph/vocab/member", "1996", "2000"]]
