"""``relgraph plot membership``: the picture's content (labels, roles, the sources' count), its
languages, formats and determinism."""

from __future__ import annotations

import struct

import pyoxigraph as ox
import pytest

from tests.conftest import REPO, run_cli

CSTO_MEMBERS = ["Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan", "Uzbekistan"]


def svg(*args: str) -> str:
    result = run_cli("--root", str(REPO), "plot", "membership", *args)
    assert result.code == 0, result.stderr
    return result.stdout


def test_the_chart_names_every_member_role_and_the_sources_count(world) -> None:
    picture = svg("CSTO", "--to", "2026")
    assert picture.startswith("<?xml") and "<svg" in picture
    for name in CSTO_MEMBERS:
        assert f">{name}<" in picture, name
    for role in ("founding member", "member", "observer", "participation frozen"):
        assert f">{role}<" in picture, role
    # the legend counts the distinct sources of the best-ranked membership claims drawn
    query = """PREFIX rg: <https://w3id.org/relgraph/ontology#> PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX wikibase: <http://wikiba.se/ontology#>
        SELECT (COUNT(DISTINCT ?source) AS ?n) WHERE { ?c a rg:Membership , wikibase:BestRank ; org:organization <https://w3id.org/relgraph/id/csto> ;
        prov:wasDerivedFrom ?source . FILTER EXISTS { ?c rg:startEarliest|rg:unconfirmedBefore ?d } }"""
    count = int(next(iter(world.store.query(query, use_default_graph_as_union=True)))["n"].value)
    assert count > 5 and f">{count} sources<" in picture
    assert ">Collective Security Treaty Organization<" in picture


def test_russian_labels_and_the_same_bytes_each_time() -> None:
    russian = svg("CSTO", "--lang", "ru", "--to", "2026")
    assert ">Казахстан<" in russian and ">Kazakhstan<" not in russian
    assert svg("CSTO", "--to", "2026") == svg("CSTO", "--to", "2026")
    assert "<dc:date>" not in russian  # no date in the metadata


def test_png_has_the_charts_size(tmp_path) -> None:
    out = tmp_path / "sco.png"
    result = run_cli("--root", str(REPO), "plot", "membership", "SCO", "--to", "2026", "--output", str(out))
    assert result.code == 0, result.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 1000 and height > 300  # 10 inches at 100 dpi; a row per member


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("CSTO", "--format", "png"), "Error: --format png writes a file: give --output PATH"),
        (("Atlantis Pact",), "Error: ORGANISATION 'Atlantis Pact' names no organisation"),
        (("NATO", "--to", "1900"), "Error: the chart would end in 1900, before the first membership (1949): give a later --to"),
    ],
)
def test_bad_requests(args: tuple[str, ...], message: str) -> None:
    result = run_cli("--root", str(REPO), "plot", "membership", *args)
    assert result.code == 2 and result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_without_matplotlib_the_command_says_how_to_install_it(monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if the extra were not installed
    result = run_cli("--root", str(REPO), "plot", "membership", "CSTO")
    assert result.code == 2
    assert result.stderr.strip() == "Error: the pictures need matplotlib: pip install 'relgraph[plots]'"


def test_dash_is_standard_output() -> None:
    assert svg("CSTO", "--to", "2026", "--output", "-") == svg("CSTO", "--to", "2026")
