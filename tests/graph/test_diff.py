"""relgraph diff: changes in the facts between git revisions of a fixture repository."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import REPO, RGID, run_cli, WORLD_LAYER_FILES


def _git(folder, *args) -> str:
    done = subprocess.run(["git", "-C", str(folder), "-c", "user.name=test", "-c", "user.email=test@example.org", *args],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def history(tmp_path):
    """A fixture repository with two commits: the shipped graph, then three changed claims."""
    root = tmp_path / "repo"
    for folder in ("ontology", "queries", "graph"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("tables", "datasets", *WORLD_LAYER_FILES))  # the hand-written graph
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "first")
    first = _git(root, "rev-parse", "HEAD")
    memberships = root / "graph" / "memberships.ttl"
    text = memberships.read_text(encoding="utf-8")
    # removed: the Armenian membership disappears; changed: the Russian SCO membership gets an
    # end and a source; added: a new membership
    start = text.index("rgid:membership-armenia-csto a rg:Membership")
    end = text.index("\n\n", start) + 2
    text = text[:start] + text[end:]
    text += (
        '\nrgid:membership-russia-sco rg:end "2030"^^xsd:gYear ; prov:wasDerivedFrom rgid:source-wp-rt-fn2 .\n'
        "\nrgid:membership-uzbekistan-eaeu a rg:Membership ; org:member rgid:uzbekistan ; org:organization rgid:eaeu ;\n"
        "    wikibase:rank wikibase:NormalRank ; prov:wasDerivedFrom rgid:source-chatham-house-eaeu-2022 .\n"
    )
    memberships.write_text(text, encoding="utf-8")
    _git(root, "commit", "-q", "-am", "second")
    return root, first, _git(root, "rev-parse", "HEAD")


def test_diff_lists_exactly_the_changed_claims(history) -> None:
    root, first, second = history
    result = run_cli("--root", str(root), "diff", first, second, "--format", "json")
    changes = json.loads(result.stdout)
    assert [(c["change"], c["node"].replace(RGID, ""), c["kind"]) for c in changes] == [
        ("added", "membership-uzbekistan-eaeu", "claim"),
        ("changed", "membership-russia-sco", "claim"),
        ("removed", "membership-armenia-csto", "claim"),
    ]
    changed = changes[1]
    assert sorted(changed["added"]) == [["prov:wasDerivedFrom", "rgid:source-wp-rt-fn2"], ["rg:end", '"2030"^^<http://www.w3.org/2001/XMLSchema#gYear>']]
    assert changed["removed"] == []
    assert result.code == 1 and "1 IRI(s) disappeared: https://w3id.org/relgraph/id/membership-armenia-csto" in result.stderr


def test_diff_against_the_working_tree_and_a_clean_history(history) -> None:
    root, first, second = history
    assert run_cli("--root", str(root), "diff", second).code == 0
    assert "No changes in the facts." in run_cli("--root", str(root), "diff", second).stderr
    markdown = run_cli("--root", str(root), "diff", first, "--format", "markdown").stdout
    assert markdown.startswith(f"## Changes in the facts from {first} to the working tree")
    assert "- added claim `https://w3id.org/relgraph/id/membership-uzbekistan-eaeu`" in markdown


def test_diff_of_an_unknown_revision_is_a_clear_error(history) -> None:
    root, _, _ = history
    result = run_cli("--root", str(root), "diff", "v9.9.9")
    assert result.code == 2 and "'v9.9.9' is not a revision of this git repository" in result.stderr
