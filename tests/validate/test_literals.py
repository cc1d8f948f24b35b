"""Literals as written: every XSD-typed literal is checked against its datatype's lexical space
(XSD 1.1 Part 2, no white space processing), and text not in Unicode NFC is a warning, wherever
the literal appears and whether or not a shape names its property; in memory and on a store."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import REPO, copy_root, nonempty, run_cli
from relgraph.validate.literals import LEXICAL_FORM_COMPONENT, NFC_COMPONENT, lexical_problem

XSD = "http://www.w3.org/2001/XMLSchema#"
RG = "https://w3id.org/relgraph/ontology#"


def _datatypes_in_the_project() -> list[str]:
    """Every XSD datatype named by the ontology, the shapes or the facts."""
    found = set()
    for path in [*REPO.glob("ontology/**/*.ttl"), *REPO.glob("graph/*.ttl")]:
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            for term in (quad.object,):
                if isinstance(term, ox.Literal) and term.datatype.value.startswith(XSD):
                    found.add(term.datatype.value[len(XSD):])
                if isinstance(term, ox.NamedNode) and term.value.startswith(XSD):
                    found.add(term.value[len(XSD):])
    return sorted(found)


# datatype → (a valid lexical form, an ill-typed one)
CASES = {
    "string": ("any text, even  spaced ", None),
    "boolean": ("1", "yes"),
    "decimal": ("-12.50", "1e3"),
    "integer": ("+007", "1.0"),
    "nonNegativeInteger": ("0", "-5"),
    "positiveInteger": ("1", "0"),
    "nonPositiveInteger": ("-3", "3"),
    "negativeInteger": ("-1", "0"),
    "long": ("-9223372036854775808", "9223372036854775808"),
    "int": ("2147483647", "2147483648"),
    "short": ("-32768", "32768"),
    "byte": ("127", "128"),
    "unsignedLong": ("18446744073709551615", "-1"),
    "unsignedInt": ("4294967295", "4294967296"),
    "unsignedShort": ("65535", "65536"),
    "unsignedByte": ("255", "256"),
    "double": ("1e3", "1,5"),
    "float": ("-INF", "infinity"),
    "date": ("2024-02-29", "2022-02-30"),
    "dateTime": ("2022-02-24T05:00:00+03:00", "2022-02-24 05:00:00"),
    "time": ("23:59:59.5", "25:00:00"),
    "gYear": ("-0044", "22"),
    "gYearMonth": ("2013-12", "2013-13"),
    "gMonthDay": ("--02-29", "--02-30"),
    "duration": ("P1Y2M3DT4H", "P"),
    "dayTimeDuration": ("PT36H", "P1Y"),
    "yearMonthDuration": ("P10Y", "P1D"),
    "anyURI": ("https://example.org/a?b#c", None),
    "language": ("en-GB", "en_GB"),
    "hexBinary": ("0FB7", "0FB"),
    "base64Binary": ("aGVsbG8=", "aGVsbG8"),
    "token": ("a b", "a  b"),
    "NCName": ("abc", "a:b"),
}


def test_the_cases_cover_every_datatype_the_project_uses() -> None:
    used = nonempty(_datatypes_in_the_project())
    assert set(used) - set(CASES) == set()
    # the facts and shapes use at least these
    assert {"date", "gYear", "gYearMonth", "decimal", "nonNegativeInteger", "boolean", "string", "duration", "anyURI"} <= set(used)


@pytest.mark.parametrize("name", sorted(CASES))
def test_valid_and_ill_typed_lexical_forms(name: str) -> None:
    valid, invalid = CASES[name]
    assert lexical_problem(valid, XSD + name) is None
    if invalid is not None:
        reason = lexical_problem(invalid, XSD + name)
        assert reason is not None and reason.strip()


@pytest.mark.parametrize(
    ("lexical", "datatype", "reason"),
    [
        ("1e3", "decimal", "invalid value '1e3' for xs:decimal"),
        (" 12 ", "decimal", "leading, trailing or doubled spaces"),
        ("12\n", "integer", "tab or line break"),
        ("-5", "nonNegativeInteger", "value must be"),
        ("2022-02-30", "date", "day is out of range for month"),
        ("2023-02-29", "date", "day is out of range for month"),
        (" true", "boolean", "leading, trailing or doubled spaces"),
        ("1", "dateTim", "xsd:dateTim is not an XSD datatype"),
    ],
)
def test_the_reasons_rdflib_misses(lexical: str, datatype: str, reason: str) -> None:
    """rdflib 7.6 calls "1e3"^^xsd:decimal and " 12 "^^xsd:decimal well-typed; XSD 1.1 does not."""
    found = lexical_problem(lexical, XSD + datatype)
    assert found is not None and reason in found


def test_other_vocabularies_and_lang_strings_are_not_checked() -> None:
    assert lexical_problem("anything", "https://example.org/myType") is None
    assert lexical_problem("anything", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString") is None
    assert lexical_problem("ex:a", XSD + "QName") is None  # needs an XML context


HEADER = """@prefix rg: <https://w3id.org/relgraph/ontology#> .
@prefix ex: <https://example.org/fixture/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _fixture(folder: Path) -> tuple[Path, list[tuple[str, str, str, int]]]:
    """A facts file with one literal per line: the ill-typed ones and where they are, as the
    report must name them: (focus node, path, value as written, line)."""
    lines = [HEADER, "ex:thing rdfs:label \"Thing\"@en ;"]
    expected = []
    number = HEADER.count("\n") + 2
    for index, name in enumerate(sorted(CASES)):
        valid, invalid = CASES[name]
        predicate = f"ex:p{index}"
        lines.append(f'    {predicate} "{valid}"^^xsd:{name} ;')
        number += 1
        if invalid is not None:
            lines.append(f'    {predicate} "{invalid}"^^xsd:{name} ;')
            number += 1
            expected.append(("https://example.org/fixture/thing", f"https://example.org/fixture/p{index}", f'"{invalid}"^^<{XSD}{name}>', number))
    lines.append('    ex:spaced " 12 "^^xsd:decimal .')
    number += 1
    expected.append(("https://example.org/fixture/thing", "https://example.org/fixture/spaced", f'" 12 "^^<{XSD}decimal>', number))
    path = folder / "literals.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, sorted(expected)


def _literal_results(body: dict, component: str) -> list[tuple]:
    return sorted(
        (r["focusNode"], r["resultPath"], r["value"], r["line"])
        for r in body["results"]
        if r["sourceConstraintComponent"] == component
    )


def test_each_ill_typed_literal_is_a_violation_naming_file_line_node_property_and_value(tmp_path) -> None:
    path, expected = _fixture(tmp_path)
    result = run_cli("validate", "--standalone", "--format", "json", str(path))
    assert result.code == 1, result.stderr
    body = json.loads(result.stdout)
    assert _literal_results(body, LEXICAL_FORM_COMPONENT) == expected
    found = [r for r in body["results"] if r["sourceConstraintComponent"] == LEXICAL_FORM_COMPONENT]
    assert {r["resultSeverity"] for r in found} == {"http://www.w3.org/ns/shacl#Violation"}
    assert {Path(r["file"]).name for r in found} == {"literals.ttl"}
    decimal = next(r for r in found if r["value"] == f'"1e3"^^<{XSD}decimal>')
    assert decimal["resultMessage"].startswith("Ill-typed literal: '1e3' is not in the lexical space of xsd:decimal (XSD 1.1 Part 2)")
    text = run_cli("validate", "--standalone", str(path)).stdout
    assert re.search(r"literals\.ttl:\d+: Violation: ", text)
    assert f'value: "2022-02-30"^^<{XSD}date>' in text
    assert "constraint: rgsh:LexicalFormConstraintComponent" in text


def test_an_ill_typed_value_that_a_shape_names_is_reported_too() -> None:
    """The issue's case: rg:value "1e3"^^xsd:decimal conformed; "1000"^^xsd:double is caught by
    the shape by design (money is exact: xsd:decimal, never a float), and is well-typed."""
    fixture = REPO / "tests" / "data" / "shapes" / "invalid" / "observation-value-is-a-double.ttl"
    body = json.loads(run_cli("validate", "--standalone", "--format", "json", str(fixture)).stdout)
    assert [(r["resultPath"], r["sourceConstraintComponent"]) for r in body["results"]] == [(RG + "value", "http://www.w3.org/ns/shacl#DatatypeConstraintComponent")]
    assert "never a float" in body["results"][0]["resultMessage"]


def test_the_ill_typed_decimal_of_the_issue(tmp_path) -> None:
    fixture = REPO / "tests" / "data" / "shapes" / "invalid" / "observation-value-is-a-double.ttl"
    bad = tmp_path / "observation.ttl"
    bad.write_text(fixture.read_text(encoding="utf-8").replace('"3.595E9"^^xsd:double', '"1e3"^^xsd:decimal'), encoding="utf-8")
    line = next(n for n, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if '"1e3"' in text)
    result = run_cli("validate", "--standalone", "--format", "json", str(bad))
    assert result.code == 1
    body = json.loads(result.stdout)
    assert [(r["focusNode"], r["resultPath"], r["value"], r["sourceConstraintComponent"], Path(r["file"]).name, r["line"]) for r in body["results"]] == [
        ("https://example.org/fixture/observation", RG + "value", f'"1e3"^^<{XSD}decimal>', LEXICAL_FORM_COMPONENT, "observation.ttl", line)
    ]


NFD = "И\u0306"  # И + combining breve: Й in NFD


def test_text_not_in_nfc_is_a_warning_naming_file_and_line(tmp_path) -> None:
    path = tmp_path / "labels.ttl"
    path.write_text(HEADER + f'\nex:a rdfs:label "A"@en ;\n    skos:altLabel "{NFD}ошкар-Ола"@ru .\n', encoding="utf-8")
    result = run_cli("validate", "--standalone", "--format", "json", str(path))
    body = json.loads(result.stdout)
    found = [r for r in body["results"] if r["sourceConstraintComponent"] == NFC_COMPONENT]
    assert [(r["focusNode"], r["resultPath"], r["value"], r["resultSeverity"], r["line"]) for r in found] == [
        ("https://example.org/fixture/a", "http://www.w3.org/2004/02/skos/core#altLabel", f'"{NFD}ошкар-Ола"@ru', "http://www.w3.org/ns/shacl#Warning", 8)
    ]
    assert "Йошкар-Ола" in found[0]["resultMessage"] and "Normalization Form C" in found[0]["resultMessage"]
    # a warning: below the default --fail-on
    assert run_cli("validate", "--standalone", str(path)).code == 0
    assert run_cli("validate", "--standalone", "--fail-on", "warning", str(path)).code == 1


def _literal_keys(body: dict) -> list[tuple]:
    return sorted(
        (r["focusNode"], r["resultPath"], r["value"], r["sourceConstraintComponent"], r["resultSeverity"], Path(r["file"]).name if r["file"] else None, r["line"])
        for r in body["results"]
        if r["sourceConstraintComponent"] in (LEXICAL_FORM_COMPONENT, NFC_COMPONENT)
    )


def test_the_same_results_in_memory_in_parts_and_on_a_loaded_store(tmp_path) -> None:
    """A root whose graph/ holds ill-typed and non-NFC literals: validating it whole, in parts
    (--jobs, on the cached store, which holds "-5"^^xsd:nonNegativeInteger as an xsd:integer)
    and on a store built by relgraph load gives the same results, values as written."""
    root = copy_root(tmp_path / "root")
    bad = root / "graph" / "zz-literals.ttl"
    bad.write_text(
        HEADER
        + "\nex:thing rdfs:label \"Thing\"@en ;\n"
        + '    ex:count "-5"^^xsd:nonNegativeInteger ;\n'
        + '    ex:amount "1e3"^^xsd:decimal ;\n'
        + '    ex:day "2022-02-30"^^xsd:date ;\n'
        + f'    skos:altLabel "{NFD}"@ru .\n',
        encoding="utf-8",
    )
    expected = [
        ("https://example.org/fixture/thing", "http://www.w3.org/2004/02/skos/core#altLabel", f'"{NFD}"@ru', NFC_COMPONENT, "http://www.w3.org/ns/shacl#Warning", "zz-literals.ttl", 11),
        ("https://example.org/fixture/thing", "https://example.org/fixture/amount", f'"1e3"^^<{XSD}decimal>', LEXICAL_FORM_COMPONENT, "http://www.w3.org/ns/shacl#Violation", "zz-literals.ttl", 9),
        ("https://example.org/fixture/thing", "https://example.org/fixture/count", f'"-5"^^<{XSD}nonNegativeInteger>', LEXICAL_FORM_COMPONENT, "http://www.w3.org/ns/shacl#Violation", "zz-literals.ttl", 8),
        ("https://example.org/fixture/thing", "https://example.org/fixture/day", f'"2022-02-30"^^<{XSD}date>', LEXICAL_FORM_COMPONENT, "http://www.w3.org/ns/shacl#Violation", "zz-literals.ttl", 10),
    ]
    whole = run_cli("--root", str(root), "validate", "--format", "json")
    assert whole.code == 1
    assert _literal_keys(json.loads(whole.stdout)) == expected
    parts = run_cli("--root", str(root), "validate", "--jobs", "1", "--format", "json")
    assert parts.code == 1
    assert _literal_keys(json.loads(parts.stdout)) == expected
    store = tmp_path / "store"
    assert run_cli("--root", str(root), "load", "--store", str(store)).code == 0
    loaded = run_cli("--root", str(root), "validate", "--store", str(store), "--format", "json")
    assert loaded.code == 1
    assert _literal_keys(json.loads(loaded.stdout)) == expected


def test_changed_since_checks_the_literals_of_the_changed_files(tmp_path) -> None:
    import subprocess

    root = copy_root(tmp_path / "repo")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), "-c", "user.name=test", "-c", "user.email=test@example.org", *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "the shipped graph")
    statistics = root / "graph" / "statistics.ttl"
    lines = statistics.read_text(encoding="utf-8").splitlines()
    assert lines[19] == '\trg:value "3651000000"^^xsd:decimal .'
    lines[19] = '\trg:value "3.651e9"^^xsd:decimal .'
    statistics.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("--root", str(root), "validate", "--changed-since", "HEAD", "--format", "json")
    assert result.code == 1, result.stderr
    found = [r for r in json.loads(result.stdout)["results"] if r["sourceConstraintComponent"] == LEXICAL_FORM_COMPONENT]
    assert [(r["resultPath"], r["value"], r["file"].endswith("graph/statistics.ttl"), r["line"]) for r in found] == [
        (RG + "value", f'"3.651e9"^^<{XSD}decimal>', True, 20)
    ]
