"""Shell completion: stored-query names and parameter names, through click's completion API
and through the environment variable a shell sets, with the real queries of queries/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from click.shell_completion import ShellComplete

from tests.conftest import REPO, copy_root, nonempty, run_cli
from relgraph.query.catalogue import load_catalogue
from relgraph.cli import cli

CATALOGUE = load_catalogue(sorted((REPO / "queries").glob("*.rq")))
NAMES = sorted(p.stem for p in (REPO / "queries").glob("*.rq"))


def complete(args: list[str], incomplete: str) -> list[tuple[str, str | None]]:
    completer = ShellComplete(cli, {}, "relgraph", "_RELGRAPH_COMPLETE")
    return [(item.value, item.help) for item in completer.get_completions(args, incomplete)]


def test_query_names_complete_from_the_queries_folder() -> None:
    assert len(NAMES) >= 10
    assert complete(["query"], "") == [(name, CATALOGUE[name].title) for name in NAMES]
    assert [v for v, _ in complete(["query"], "tr")] == ["treaties-between", "treaty-status"]
    assert complete(["query"], "shared") == [("shared-memberships", "Shared memberships")]
    assert complete(["query"], "nothing-like-this") == []


@pytest.mark.parametrize("name", nonempty([n for n in NAMES if CATALOGUE[n].parameters]))
def test_parameter_names_complete_for_every_stored_query(name) -> None:
    expected = [(f"{p.name}=", f"{p.type}, e.g. {p.example}") for p in CATALOGUE[name].parameters]
    assert complete(["query", name, "--param"], "") == expected
    assert complete(["query", name, "-p"], "") == expected
    first = CATALOGUE[name].parameters[0]
    rest = [item for item in expected if item[0] != f"{first.name}="]
    assert complete(["query", name, "-p", f"{first.name}={first.example}", "-p"], "") == rest  # those not given yet
    assert complete(["query", name, "-p"], first.name[:1]) == [item for item in expected if item[0].startswith(first.name[:1])]


def test_nothing_is_offered_after_the_equals_sign_or_for_an_unknown_query() -> None:
    assert complete(["query", "shared-memberships", "-p"], "a=R") == []
    assert complete(["query", "no-such-query", "-p"], "") == []
    assert complete(["query", "-p"], "") == []


def test_completion_follows_root(tmp_path) -> None:
    root = copy_root(tmp_path / "mine")
    shutil.copy(root / "queries" / "memberships.rq", root / "queries" / "my-memberships.rq")
    assert ("my-memberships", "Memberships of a state") in complete(["--root", str(root), "query"], "my")
    assert complete(["--root", str(root), "query", "my-memberships", "-p"], "") == [("state=", "state, e.g. RU")]
    assert complete(["--root", str(tmp_path / "missing"), "query"], "") == []  # never an error while completing


def test_a_shell_gets_completions_through_the_environment() -> None:
    env = dict(os.environ, _RELGRAPH_COMPLETE="bash_complete", COMP_WORDS="relgraph query shared-memberships -p a=RU -p ", COMP_CWORD="6")
    done = subprocess.run([sys.executable, "-m", "relgraph"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and done.stdout.split() == ["plain,b="], done.stderr
    env.update(COMP_WORDS="relgraph query sha", COMP_CWORD="2")
    done = subprocess.run([sys.executable, "-m", "relgraph"], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.split() == ["plain,shared-memberships"]
    for shell, marker in (("bash_source", "complete -o nosort -F _relgraph_completion relgraph"), ("zsh_source", "#compdef relgraph"), ("fish_source", "complete --no-files --command relgraph")):
        source = subprocess.run([sys.executable, "-m", "relgraph"], capture_output=True, text=True, env=dict(os.environ, _RELGRAPH_COMPLETE=shell), timeout=60)
        assert source.returncode == 0 and marker in source.stdout, shell


def test_a_missing_parameter_value_is_still_a_usage_error() -> None:
    result = run_cli("query", "shared-memberships", "-p")
    assert result.code == 2 and "Option '-p' requires an argument" in result.stderr


def test_the_readme_documents_completion() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- completion -->", 1)[1].split("```", 2)[1]
    for shell in ("bash_source", "zsh_source", "fish_source"):
        assert f"_RELGRAPH_COMPLETE={shell} relgraph" in block
