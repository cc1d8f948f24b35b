"""``relgraph serve``'s pictures: ``GET /pictures/KIND`` gives the bytes ``relgraph plot`` writes
for the same graph, and the pages of an organisation, a bilateral relation and a state show the
picture that fits them."""

from __future__ import annotations

import re
import struct

import httpx
import pytest

from tests.conftest import TODAY, hand_root_path, run_cli, running_serve


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with running_serve("--timeout", "30", cache=tmp_path_factory.mktemp("pictures-cache")) as url:
        with httpx.Client(base_url=url, timeout=60, trust_env=False) as c:
            yield c


def plotted(*args: str) -> bytes:
    result = run_cli("--root", str(hand_root_path()), "plot", *args)
    assert result.code == 0, result.stderr
    return result.raw


@pytest.mark.parametrize(
    ("path", "args"),
    [
        ("/pictures/membership?organisation=CSTO", ("membership", "CSTO", "--to", TODAY[:4])),
        ("/pictures/membership?organisation=SCO&lang=ru", ("membership", "SCO", "--lang", "ru", "--to", TODAY[:4])),
        ("/pictures/timeline?a=RU&b=TJ", ("timeline", "RU", "TJ", "--to", TODAY[:4])),
        ("/pictures/network?organisation=CSTO&organisation=CIS&as-of=2020-01-01", ("network", "--organisation", "CSTO", "--organisation", "CIS", "--as-of", "2020-01-01")),
    ],
)
def test_a_picture_is_what_relgraph_plot_draws(client, path: str, args: tuple[str, ...]) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.content == plotted(*args)
    assert client.get(path, headers={"If-None-Match": response.headers["etag"]}).status_code == 304


def test_png(client) -> None:
    png = client.get("/pictures/timeline", params={"a": "RU", "b": "TJ", "format": "png"})
    assert png.status_code == 200 and png.headers["content-type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png.content[16:24])
    assert width == 1000 and height > 200  # 10 inches at 100 dpi; a lane per relation, treaty, organisation


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/pictures/membership", "the membership picture needs organisation=… (for example: organisation=CSTO)"),
        ("/pictures/timeline?a=RU", "the timeline picture needs a=… and b=… (for example: a=RU&b=TJ)"),
        ("/pictures/timeline?a=RU&b=TJ&colour=red", "the timeline picture has no parameter 'colour'; its parameters: a, b, from, organisation, to"),
        ("/pictures/timeline?a=RU&b=TJ&from=1700", f"from='1700': give a year from 1816 to this year ({TODAY[:4]})"),
        ("/pictures/timeline?a=RU&b=RU", "both states are Russia: give two states"),
        ("/pictures/network?link=treaties&organisation=CSTO", "organisations are for a network of memberships: a network of treaties links states by their bilateral treaties (relgraph plot network --link memberships; link=memberships at /pictures/network)"),
        ("/pictures/membership?organisation=CSTO&organisation=CIS", "organisation= is given twice"),
        ("/pictures/membership?organisation=CSTO&format=gif", "format= takes svg or png"),
        ("/pictures/membership?organisation=CSTO&lang=de", "lang= takes en or ru"),
        ("/pictures/network?link=treaties&as-of=1900-01-01", "no two states are linked by treaties on 1900-01-01"),
    ],
)
def test_bad_requests_get_one_line(client, path: str, message: str) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert response.text == message + "\n"


@pytest.mark.parametrize(
    ("entity", "picture"),
    [
        ("csto", "/pictures/membership?organisation=https%3A%2F%2Fw3id.org%2Frelgraph%2Fid%2Fcsto"),
        ("russia-tajikistan-relations", "/pictures/timeline?a=https%3A%2F%2Fw3id.org%2Frelgraph%2Fid%2Frussia&b=https%3A%2F%2Fw3id.org%2Frelgraph%2Fid%2Ftajikistan"),
        ("tajikistan", "/pictures/network?link=treaties&state=https%3A%2F%2Fw3id.org%2Frelgraph%2Fid%2Ftajikistan"),
        ("source-wikidata", None),
    ],
)
def test_each_page_shows_the_picture_that_fits_it(client, entity: str, picture: str | None) -> None:
    page = client.get(f"/data/id/{entity}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    found = re.findall(r'<figure id="picture">\s*<img src="([^"]+)"', page.text)
    assert found == ([picture.replace("&", "&amp;")] if picture else [])
    if picture:
        assert client.get(picture).headers["content-type"] == "image/svg+xml"


def test_without_the_plots_extra_no_page_shows_a_picture(monkeypatch) -> None:
    from relgraph.serve import handlers, pictures

    state = handlers.setup(str(hand_root_path()), None, (), 10_000_000)
    assert pictures.picture_href(state.store, "https://w3id.org/relgraph/id/csto") == "/pictures/membership?organisation=https%3A%2F%2Fw3id.org%2Frelgraph%2Fid%2Fcsto"
    monkeypatch.setattr(pictures.importlib.util, "find_spec", lambda name: None)  # as if matplotlib were not installed
    assert pictures.picture_href(state.store, "https://w3id.org/relgraph/id/csto") is None
    answer = handlers.handle(state, handlers.PictureRequest("membership", (("organisation", "CSTO"),)))
    assert (answer.status, answer.body) == (501, b"the pictures need matplotlib and networkx: pip install 'relgraph[plots]'\n")


def test_an_unknown_picture_is_not_found_and_headers_are_well_formed(client) -> None:
    missing = client.get("/pictures/chart")
    assert (missing.status_code, missing.text) == (404, "no picture 'chart'; the pictures: membership, timeline, network\n")
    found = client.get("/pictures/membership", params={"organisation": "CSTO"})
    assert found.headers["vary"] == "Origin"  # only what the CORS layer adds: no empty member
    long = client.get("/pictures/timeline", params={"a": "x" * 30_000, "b": "TJ"})
    assert long.status_code == 400 and len(long.text) < 500  # the value is not echoed whole
