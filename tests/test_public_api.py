"""The public Python API: ``relgraph.__all__`` is what the README's "Python API" section lists,
every name of it resolves, and the example of the package's docstring runs as a doctest with the
answers it shows; the README shows the same example."""

from __future__ import annotations

import doctest
import re

import relgraph
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _api_section() -> str:
    start = README.index("## Python API\n")
    return README[start:README.index("\n## ", start + 1)]


def test_the_readme_lists_exactly_the_public_names() -> None:
    listed = set()
    for row in re.findall(r"^\| (`[^|]+) \|", _api_section(), flags=re.M):
        listed |= set(re.findall(r"`([^`]+)`", row))
    assert listed == set(relgraph.__all__)


def test_every_public_name_resolves() -> None:
    for name in relgraph.__all__:
        assert getattr(relgraph, name) is not None, name


def test_the_package_docstring_example_runs() -> None:
    """Every example but the last, which validates the whole shipped graph: CI's own
    ``relgraph validate`` does that once (issue 14), and tests/graph/test_facts.py checks the
    same report; run here too it cost 80 to 110 s of CI."""
    results = doctest.testmod(relgraph, optionflags=doctest.ELLIPSIS, raise_on_error=False, verbose=False)
    assert results.attempted == 9
    assert results.failed == 0


def test_the_readme_example_is_the_package_docstrings() -> None:
    """The README's Python example is the package docstring's, example for example (prompts,
    source and expected output), so :func:`test_the_package_docstring_example_runs` runs both: a
    second run would validate the whole shipped graph once more (80 s of CI)."""
    blocks = re.findall(r"```pycon\n(.*?)```", _api_section(), flags=re.S)
    assert len(blocks) == 1
    parser = doctest.DocTestParser()
    readme = parser.get_examples(blocks[0], "README.md (Python API)")
    package = parser.get_examples(relgraph.__doc__, "relgraph")
    assert len(readme) == 10
    assert [(e.source, e.want) for e in readme] == [(e.source, e.want) for e in package]