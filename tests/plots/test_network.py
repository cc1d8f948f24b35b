"""``relgraph plot network``: who is linked on a day (shared memberships as the stored query
``members`` answers, bilateral treaties in force as the treaty-dyad-year table codes them), the
picture's labels, legend and determinism."""

from __future__ import annotations

import datetime as _dt
import itertools

import pytest

from relgraph.plots.network import network
from relgraph.query.catalogue import load_one
from relgraph.tables.dyads import treaty_dyad_year
from tests.conftest import REPO, run_cli

ID = "https://w3id.org/relgraph/id/"
CSTO_2024 = {"armenia", "belarus", "kazakhstan", "kyrgyzstan", "russia", "tajikistan"}


def local(iris) -> set:
    return {i.rsplit("/", 1)[-1] for i in iris}


def test_csto_and_eaeu_members_on_a_day(world) -> None:
    members = load_one(world.layout.query_files(), "members")
    found = network(world.store, members, _dt.date(2024, 1, 1), "memberships", [ID + "csto", ID + "eaeu"])
    # the EAEU's observers (Moldova, Uzbekistan, Cuba) are not members: no node, no link
    assert local(found.nodes) == CSTO_2024
    assert {tuple(sorted(local(pair))) for pair in found.links} == {tuple(sorted(p)) for p in itertools.combinations(CSTO_2024, 2)}
    assert found.links[(ID + "kazakhstan", ID + "russia")] == {ID + "csto", ID + "eaeu"}
    assert found.links[(ID + "russia", ID + "tajikistan")] == {ID + "csto"}  # Tajikistan is not in the EAEU
    assert len(found.sources) >= 6


def test_the_treaty_network_is_the_treaty_table_of_the_year(world) -> None:
    members = load_one(world.layout.query_files(), "members")
    found = network(world.store, members, _dt.date(2024, 12, 31), "treaties")
    table = treaty_dyad_year(world.store, 2024, 2024).rows
    in_table = {tuple(sorted((a, b))) for a, b in zip(table["state1"], table["state2"])}
    # the table has rows only for members of the COW state system; the network draws the parties
    # as the treaties name them (the RSFSR's treaties of 1991 with Estonia and Lithuania)
    assert {pair for pair in found.links if all("russian-sfsr" not in s for s in pair)} == in_table
    assert local(s for pair in in_table for s in pair) == {"armenia", "belarus", "china", "kazakhstan", "moldova", "russia", "tajikistan", "turkmenistan"}
    ego = network(world.store, members, _dt.date(2024, 12, 31), "treaties", states=[ID + "tajikistan"])
    assert set(ego.links) == {(ID + "russia", ID + "tajikistan")} and local(ego.nodes) == {"russia", "tajikistan"}


def test_the_picture_names_states_links_and_sources() -> None:
    result = run_cli("--root", str(REPO), "plot", "network", "--organisation", "CSTO", "--organisation", "EAEU", "--as-of", "2024-01-01")
    assert result.code == 0, result.stderr
    picture = result.stdout
    assert ">CSTO, EAEU: 2024-01-01<" in picture
    for name in ("Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan"):
        assert f">{name}<" in picture, name
    assert ">Uzbekistan<" not in picture
    assert ">1 shared organisation<" in picture and ">2 shared organisations<" in picture
    assert " sources<" in picture
    again = run_cli("--root", str(REPO), "plot", "network", "--organisation", "CSTO", "--organisation", "EAEU", "--as-of", "2024-01-01")
    assert again.stdout == picture


def test_russian_labels() -> None:
    result = run_cli("--root", str(REPO), "plot", "network", "--link", "treaties", "--state", "RU", "--as-of", "2024-12-31", "--lang", "ru")
    assert result.code == 0, result.stderr
    assert ">Казахстан<" in result.stdout and ">двусторонние договоры в силе: 2024-12-31<" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Error: a network of memberships needs the organisations: name one or more (relgraph plot network --organisation ORG; organisation= at /pictures/network)"),
        (("--link", "treaties", "--as-of", "1900-01-01"), "Error: no two states are linked by treaties on 1900-01-01"),
        (("--organisation", "Atlantis Pact"), "Error: --organisation 'Atlantis Pact' names no organisation"),
        (("--link", "treaties", "--state", "Atlantis"), "Error: --state 'Atlantis' names no state"),
        (("--link", "treaties", "--organisation", "CSTO"), "Error: organisations are for a network of memberships: a network of treaties links states by their bilateral treaties (relgraph plot network --link memberships; link=memberships at /pictures/network)"),
    ],
)
def test_bad_requests(args: tuple[str, ...], message: str) -> None:
    result = run_cli("--root", str(REPO), "plot", "network", *args)
    assert result.code == 2 and result.stderr.startswith(message) and result.stderr.count("\n") == 1, result.stderr


def test_stale_memberships_are_left_out_as_the_members_query_leaves_them_out(world) -> None:
    """The network shows whom `relgraph query members` shows for the day: a membership last
    confirmed more than five years before is not a link (the SCO's members are confirmed by
    Kazinform's list of 2025-08-27, so in 2026 all ten are linked)."""
    members = load_one(world.layout.query_files(), "members")
    sco = network(world.store, members, _dt.date(2026, 1, 1), "memberships", [ID + "sco"])
    assert local(sco.nodes) == {"belarus", "china", "india", "iran", "kazakhstan", "kyrgyzstan", "pakistan", "russia", "tajikistan", "uzbekistan"}
    # the Council of Europe in 2026: COW's claims (confirmed to 2014) are all stale, no link left
    coe = network(world.store, members, _dt.date(2026, 1, 1), "memberships", [ID + "council-of-europe"])
    assert coe.links == {}
