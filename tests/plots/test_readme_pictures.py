"""The README's pictures say what ``relgraph plot`` draws from the shipped graph today: each SVG
of ``graph/pictures/`` has the texts (labels, legend, title) of a fresh run of its command, in
the same order. (Texts, not bytes: another matplotlib release may place them otherwise.)"""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO, run_cli

PICTURES = {
    "csto-membership.svg": ("membership", "CSTO", "--to", "2026"),
    "russia-kazakhstan-timeline.svg": ("timeline", "RU", "KZ", "--organisation", "CIS", "--organisation", "CSTO", "--organisation", "EAEU", "--organisation", "SCO", "--to", "2026"),
    "eurasia-network-2026-01-01.svg": ("network", "--organisation", "CSTO", "--organisation", "CIS", "--organisation", "SCO", "--organisation", "EAEU", "--as-of", "2026-01-01"),
}


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)<", svg)


def test_every_picture_of_the_readme_is_checked() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\(graph/pictures/([^)]+\.svg)\)", readme))
    assert shown == set(PICTURES) == {p.name for p in (REPO / "graph" / "pictures").glob("*.svg")}


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_the_picture_says_what_a_fresh_run_draws(name: str) -> None:
    result = run_cli("--root", str(REPO), "plot", *PICTURES[name])
    assert result.code == 0, result.stderr
    fresh = texts(result.stdout)
    assert len(fresh) > 10
    assert texts((REPO / "graph" / "pictures" / name).read_text(encoding="utf-8")) == fresh, f"graph/pictures/{name} is out of date: relgraph plot {' '.join(PICTURES[name])} --output graph/pictures/{name}"
