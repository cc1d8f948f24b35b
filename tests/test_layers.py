"""The architecture holds: import-linter's contracts of pyproject.toml (``[tool.importlinter]``)
are kept. The command line imports the wings, the wings import the core, never upwards, and no
module of any package takes part in a circle of imports."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def _lint_imports() -> str:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert found, "lint-imports is not installed: pip install -e '.[test]' (import-linter)"
    return found


def test_the_layers_and_acyclic_contracts_are_kept() -> None:
    done = subprocess.run([_lint_imports(), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "cli -> wings -> core KEPT" in done.stdout
    assert "no circle of imports between the modules of any package KEPT" in done.stdout
    assert "Contracts: 2 kept, 0 broken." in done.stdout


def test_an_upward_import_breaks_the_layers_contract(tmp_path) -> None:
    # the check can fail: a copy of the package where the core imports the command line
    package = tmp_path / "relgraph"
    shutil.copytree(REPO / "src" / "relgraph", package, ignore=shutil.ignore_patterns("__pycache__", "_data"))
    errors = package / "errors.py"
    errors.write_text(errors.read_text(encoding="utf-8") + "\nimport relgraph.cli  # noqa\n", encoding="utf-8")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    done = subprocess.run(
        [_lint_imports(), "--no-cache", "--config", str(tmp_path / "pyproject.toml")],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)},
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "cli -> wings -> core BROKEN" in done.stdout
    assert "relgraph.errors -> relgraph.cli" in done.stdout
