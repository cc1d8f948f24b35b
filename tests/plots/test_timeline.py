"""``relgraph plot timeline A B``: a dyad's lanes (relations, ambassadors, treaties, shared
organisations, conflicts) as the graph's claims date them, the picture's labels, languages, period
and determinism."""

from __future__ import annotations

import pytest

from relgraph.plots.drawing import year_fraction
from relgraph.plots.timeline import dyad_lanes
from relgraph.query.binding import run
from relgraph.query.catalogue import load_one
from tests.conftest import REPO, run_cli

ID = "https://w3id.org/relgraph/id/"


def svg(*args: str) -> str:
    result = run_cli("--root", str(REPO), "plot", "timeline", *args)
    assert result.code == 0, result.stderr
    return result.stdout


def lanes_by_label(world, a: str, b: str, **options) -> dict:
    return {lane.label: lane for lane in dyad_lanes(world.store, ID + a, ID + b, **options)}


def test_russia_georgia_lanes_end_where_the_sources_end_them(world) -> None:
    lanes = lanes_by_label(world, "russia", "georgia")
    # relations established 1992-07-01, broken off by Georgia on 2008-09-02 (Russian MFA's page)
    assert lanes["diplomatic relations"].bars == [(year_fraction("1992-07-01"), year_fraction("2008-09-02"))]
    # Kovalenko's posting in Tbilisi (Regnum): 2006-07-07 to 2009-07-08; none the other way
    assert lanes["ambassador of Russia in Georgia"].bars == [(year_fraction("2006-07-07"), year_fraction("2009-07-08"))]
    assert "ambassador of Georgia in Russia" not in lanes
    # the CIS from Georgia's accession ("December 1993", Kremlin: its earliest day) until its
    # withdrawal took effect (2009-08-18): the year-coded COW claim (1995-2007) lies within it
    assert lanes["Commonwealth of Independent States"].bars == [(year_fraction("1993-12-01"), year_fraction("2009-08-18"))]
    assert lanes["Commonwealth of Independent States"].kind == "organisation"
    # UCDP/PRIO conflict 393 on opposite sides: 1992 (Russia from 1992-05-12 to 1992-06-24) and
    # August 2008 (Russia's part 2008-08-07 to 2008-08-12, within Georgia's to 2008-08-15)
    war = lanes["UCDP/PRIO armed conflict 393 (opposite sides)"]
    assert war.kind == "conflict"
    assert war.bars == [(year_fraction("1992-05-12"), year_fraction("1992-06-24")), (year_fraction("2008-08-07"), year_fraction("2008-08-12"))]
    assert all(lane.sources for lane in lanes.values())


def test_only_the_chosen_organisations_get_lanes(world) -> None:
    lanes = lanes_by_label(world, "kazakhstan", "kyrgyzstan", organisations=[ID + "csto", ID + "eaeu"])
    organisations = sorted(label for label, lane in lanes.items() if lane.kind == "organisation")
    assert organisations == ["Collective Security Treaty Organization", "Eurasian Economic Union"]
    # Kyrgyzstan's accession treaty entered into force on 2015-08-06 (TASS, the preferred claim;
    # EUobserver's 12 August is ranked below it); Kazakhstan is a founder
    assert lanes["Eurasian Economic Union"].bars == [(year_fraction("2015-08-06"), None)]


def test_the_picture_names_its_lanes_events_and_sources(world) -> None:
    picture = svg("RU", "TJ", "--to", "2026")
    assert picture.startswith("<?xml") and ">Russia – Tajikistan<" in picture
    for label in ("events", "diplomatic relations", "ambassador of Russia in Tajikistan", "ambassador of Tajikistan in Russia", "Treaty on regulating dual citizenship", "Commonwealth of Independent States"):
        assert f">{label}<" in picture, label
    for kind in ("relations", "ambassador", "treaty", "organisation", "treaty action"):
        assert f">{kind}<" in picture, kind
    # the legend counts the distinct sources of the lanes and of the events drawn
    lanes = dyad_lanes(world.store, ID + "russia", ID + "tajikistan")
    events = run(world.store, load_one(world.layout.query_files(), "timeline"), {"a": ID + "russia", "b": ID + "tajikistan"})
    sources = {s for lane in lanes for s in lane.sources} | {s for row in events if row["sources"] is not None for s in row["sources"].value.split()}
    assert len(sources) > 20 and f">{len(sources)} sources<" in picture


def test_russian_labels_and_the_same_bytes_each_time() -> None:
    russian = svg("RU", "TJ", "--lang", "ru", "--to", "2026")
    assert ">Российская Федерация – Таджикистан<" in russian and ">события<" in russian and ">дипломатические отношения<" in russian
    assert svg("RU", "GE", "--to", "2026") == svg("RU", "GE", "--to", "2026")


def test_the_period_keeps_only_what_falls_within_it() -> None:
    picture = svg("RU", "GE", "--from", "2000", "--to", "2012")
    assert ">UCDP/PRIO armed conflict 393 (opposite" in picture  # August 2008 (the label wrapped after 40 characters)
    assert "armed conflict 392" not in picture  # 1992-1993 only


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("RU", "TJ", "--from", "1820", "--to", "1830"), "Error: the graph records nothing dated between Russia and Tajikistan from 1820 to 1830"),
        (("RU", "TJ", "--from", "2020", "--to", "2010"), "Error: the period is empty: from 2020 to 2010"),
        (("RU", "Atlantis"), "Error: B 'Atlantis' names no state"),
        (("RU", "TJ", "--organisation", "Atlantis Pact"), "Error: --organisation 'Atlantis Pact' names no organisation"),
        (("RU", "Q159"), "Error: both states are Russia: give two states"),
        (("RU", "US", "--organisation", "NATO"), "Error: Russia and United States of America never both belong to North Atlantic Treaty Org; leave it out of --organisation"),
        (("RU", "TJ", "--to", "2099"), "Error: --to 2099 is after this year (2026): the graph records no future; give --to 2026 or earlier"),
        (("RU", "TJ", "--output", "ru-tj.pdf"), "Error: --output ru-tj.pdf: the pictures are written as .svg, .png; name the file so, or give --format"),
        (("RU", "TJ", "--format", "svg", "--output", "ru-tj.png"), "Error: --output ru-tj.png names a .png file, but --format is svg: name it .svg, or leave --format out"),
    ],
)
def test_bad_requests(args: tuple[str, ...], message: str) -> None:
    result = run_cli("--root", str(REPO), "plot", "timeline", *args)
    assert result.code == 2 and result.stderr.startswith(message) and result.stderr.count("\n") == 1, result.stderr
