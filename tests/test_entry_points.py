"""The ways relgraph is started keep working after the move into wings: the ``relgraph`` script
of ``[project.scripts]``, ``python -m relgraph``, and each hook of ``.pre-commit-hooks.yaml``
(run as pre-commit runs it: the entry, from the repository's root, the installed scripts on PATH)."""

from __future__ import annotations

import importlib.metadata
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import REPO


def test_the_console_script_points_at_the_cli() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"relgraph": "relgraph.cli:main"}
    (entry,) = [e for e in importlib.metadata.entry_points(group="console_scripts") if e.name == "relgraph"]
    assert entry.value == "relgraph.cli:main"
    from relgraph.cli import main

    assert entry.load() is main
    done = subprocess.run([str(Path(sys.executable).parent / "relgraph"), "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "relgraph, version 0.1.0"


def test_python_m_relgraph() -> None:
    done = subprocess.run([sys.executable, "-m", "relgraph", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "relgraph, version 0.1.0"


def test_every_pre_commit_hook_runs() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entries = dict(zip(re.findall(r"^- id: (\S+)$", text, flags=re.M), re.findall(r"^  entry: (.+)$", text, flags=re.M), strict=True))
    assert set(entries) == {"relgraph-validate", "relgraph-format"}
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    expected = {"relgraph-validate": "conforms", "relgraph-format": "in canonical form"}
    for hook, entry in entries.items():
        done = subprocess.run(shlex.split(entry), cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{hook}: {done.stderr}"
        assert expected[hook] in (done.stdout + done.stderr).lower(), f"{hook}: {done.stdout}{done.stderr}"
