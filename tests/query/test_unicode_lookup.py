"""Unicode normalisation: a lookup by label compares both sides in NFC (stored-query parameters,
describe, the server's parameters), and text not in NFC is a validation warning."""

from __future__ import annotations

import json
import unicodedata

import httpx

from tests.conftest import copy_root, run_cli, running_serve

RELATION = "https://w3id.org/relgraph/id/russia-tajikistan-relations"
RUSSIAN_NFC = "Российско-таджикские отношения"  # stored in NFC: "й" is one character
RUSSIAN_NFD = unicodedata.normalize("NFD", RUSSIAN_NFC)  # "и" + combining breve


def test_the_two_spellings_differ_only_in_normal_form() -> None:
    assert RUSSIAN_NFD != RUSSIAN_NFC
    assert "\u0306" in RUSSIAN_NFD and unicodedata.normalize("NFC", RUSSIAN_NFD) == RUSSIAN_NFC


def test_a_parameter_typed_in_nfd_finds_the_label_stored_in_nfc() -> None:
    result = run_cli("query", "sources", "--param", f"entity={RUSSIAN_NFD}", "--format", "json")
    assert result.code == 0, result.stderr
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert rows
    nfc = run_cli("query", "sources", "--param", f"entity={RUSSIAN_NFC}", "--format", "json")
    assert json.loads(nfc.stdout) == json.loads(result.stdout)


def test_describe_typed_in_nfd_finds_the_entity() -> None:
    result = run_cli("describe", RUSSIAN_NFD, "--format", "nt")
    assert result.code == 0, result.stderr
    assert f"<{RELATION}>" in result.stdout
    assert result.stdout == run_cli("describe", RUSSIAN_NFC, "--format", "nt").stdout


def test_a_label_stored_in_nfd_is_found_by_its_nfc_spelling_and_warned_about(tmp_path) -> None:
    root = copy_root(tmp_path / "root")
    diplomacy = root / "graph" / "diplomacy.ttl"
    text = diplomacy.read_text(encoding="utf-8")
    assert f'"{RUSSIAN_NFC}"@ru' in text
    diplomacy.write_text(text.replace(f'"{RUSSIAN_NFC}"@ru', f'"{RUSSIAN_NFD}"@ru'), encoding="utf-8")
    line = next(n for n, row in enumerate(diplomacy.read_text(encoding="utf-8").splitlines(), 1) if RUSSIAN_NFD in row)
    found = run_cli("--root", str(root), "describe", RUSSIAN_NFC, "--format", "nt")
    assert found.code == 0, found.stderr
    assert f"<{RELATION}>" in found.stdout
    queried = run_cli("--root", str(root), "query", "sources", "--param", f"entity={RUSSIAN_NFC}", "--format", "json")
    assert queried.code == 0, queried.stderr
    # validation warns, naming the file and line; a warning is below the default --fail-on
    report = run_cli("--root", str(root), "validate", "--format", "json")
    assert report.code == 0, report.stdout
    body = json.loads(report.stdout)
    assert [(r["focusNode"], r["resultPath"], r["resultSeverity"], r["file"].endswith("graph/diplomacy.ttl"), r["line"]) for r in body["results"]] == [
        (RELATION, "http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/ns/shacl#Warning", True, line)
    ]
    assert "Normalization Form C" in body["results"][0]["resultMessage"]
    text_report = run_cli("--root", str(root), "validate", "--fail-on", "warning")
    assert text_report.code == 1
    assert f"diplomacy.ttl:{line}: Warning: Russia–Tajikistan relations" in text_report.stdout


def test_a_name_that_matches_nothing_in_any_normal_form_still_names_nothing() -> None:
    result = run_cli("describe", unicodedata.normalize("NFD", "Йошкар-Ола"))
    assert result.code == 2
    assert "names no entity" in result.stderr


def test_the_server_resolves_a_parameter_typed_in_nfd(tmp_path) -> None:
    with running_serve(cache=tmp_path / "cache") as url, httpx.Client(base_url=url, timeout=60, trust_env=False) as client:
        nfd = client.get("/queries/sources", params={"entity": RUSSIAN_NFD}, headers={"Accept": "application/sparql-results+json"})
        nfc = client.get("/queries/sources", params={"entity": RUSSIAN_NFC}, headers={"Accept": "application/sparql-results+json"})
    assert nfd.status_code == 200, nfd.text
    assert nfd.json()["results"]["bindings"]
    assert nfd.json() == nfc.json()
