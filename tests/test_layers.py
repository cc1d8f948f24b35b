"""The architecture holds: import-linter's contracts of pyproject.toml (``[tool.importlinter]``)
are kept. The command line imports the wings, the wings import the core, never upwards, and no
module of any package takes part in a circle of imports."""

from __future__ import annotations

import ast
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


def _modules() -> list[Path]:
    modules = sorted((REPO / "src" / "relgraph").rglob("*.py"))
    assert len(modules) > 40
    return modules


def test_no_private_name_is_imported_across_modules() -> None:
    imported = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("relgraph"):
                imported += [f"{path.relative_to(REPO)}:{node.lineno} {node.module}.{a.name}" for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
    assert imported == []


def test_every_import_inside_a_function_says_why() -> None:
    # a local import stays only where python -X importtime shows >= 2 ms on the main job's path,
    # with a comment (on its line or in the comment block above) that says so
    unexplained = []
    for path in _modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inner in ast.walk(node):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)):
                        above = inner.lineno - 2
                        while above >= 0 and (lines[above].strip().startswith(("import ", "from ")) or not lines[above].strip()):
                            above -= 1
                        block = [lines[inner.lineno - 1]]
                        while above >= 0 and lines[above].strip().startswith("#"):
                            block.append(lines[above])
                            above -= 1
                        if not any("importtime" in line or " ms to import" in line for line in block):
                            unexplained.append(f"{path.relative_to(REPO)}:{inner.lineno} {lines[inner.lineno - 1].strip()}")
    assert unexplained == []
