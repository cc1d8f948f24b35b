"""The installed package carries the same ontology, shapes, facts and queries as the repository
(a plain, non-editable install works), and the README documents every command, option and query."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO, nonempty, run_cli
from relgraph.query.catalogue import load_catalogue
from relgraph.paths import resolve_layout, shipped_root

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", ["ontology", "graph", "queries"])
def test_the_package_ships_the_repositorys_assets(folder) -> None:
    def files(root):
        return {str(p.relative_to(root)): p.read_bytes() for p in (root / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts}

    repo = files(REPO)
    assert nonempty(list(repo))
    assert files(shipped_root()) == repo


def test_the_default_layout_is_the_enclosing_checkout_else_the_shipped_one(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("RELGRAPH_ROOT")
    monkeypatch.chdir(REPO / "graph")
    assert resolve_layout().root == REPO
    monkeypatch.chdir(tmp_path)
    assert resolve_layout().root == shipped_root().resolve()


def test_a_root_missing_a_required_folder_says_what_to_copy(tmp_path) -> None:
    from relgraph.errors import LayoutError

    for folder in ("ontology/shapes", "graph", "queries/qc"):
        (tmp_path / folder).mkdir(parents=True)
    with pytest.raises(LayoutError) as info:
        resolve_layout(tmp_path)
    assert "missing queries/derive/" in str(info.value) and "copy what is missing from the shipped root" in str(info.value)


def test_readme_starts_with_the_two_setup_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    first, second = blocks[0], blocks[1]
    assert README.index(first) < 1200
    assert "pip install ." in first and "relgraph query shared-memberships --param a=RU --param b=TJ" in first
    assert "pip install '.[test]'" in second and "pytest" in second
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- setup:test -->" in README and "setup:test" in ci and "relgraph\" validate" in ci


@pytest.mark.parametrize("name", nonempty(sorted(load_catalogue(sorted((REPO / "queries").glob("*.rq"))))))
def test_readme_documents_every_stored_query(name) -> None:
    assert f"`{name}`" in README


@pytest.mark.parametrize("command", ["validate", "queries", "query", "describe", "sparql", "load", "export", "format", "diff"])
def test_readme_documents_every_command_and_option(command) -> None:
    assert f"### `relgraph {command}" in README
    help_text = run_cli(command, "--help").stdout
    for option in nonempty(sorted(set(re.findall(r"(--[a-z][a-z-]+)", help_text)) - {"--help"})):
        assert option in README, f"README does not mention {command} {option}"


def test_readme_documents_the_exit_codes() -> None:
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert code in README
