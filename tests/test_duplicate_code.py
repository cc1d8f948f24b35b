"""No rule is written twice: pylint's duplicate-code check (``R0801``, settings in pyproject.toml's
``[tool.pylint.similarities]``: 6 or more similar lines, comments, docstrings, imports and
signatures ignored) finds nothing in ``src/relgraph``."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

PYLINT = [sys.executable, "-m", "pylint", "--rcfile", str(REPO / "pyproject.toml"), "--disable=all", "--enable=duplicate-code", "--score=n"]


def test_no_duplicate_code_in_the_package() -> None:
    done = subprocess.run([*PYLINT, "src/relgraph"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "R0801" not in done.stdout


def test_the_check_finds_a_copied_rule(tmp_path) -> None:
    # the check can fail: a package where one function is written twice
    package = tmp_path / "twice"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    body = "".join(f"    total = total * {n} + {n}\n" for n in range(8))
    for name in ("one", "two"):
        (package / f"{name}.py").write_text(f"def rule_{name}(total):\n{body}    return total\n", encoding="utf-8")
    done = subprocess.run([*PYLINT, str(package)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode != 0
    assert "R0801" in done.stdout and "Similar lines in 2 files" in done.stdout
