"""Entity pages in a real headless browser: Debian's Chromium driven by selenium (never a browser
downloaded at run time). Skipped with the reason where Chromium or ChromeDriver is absent; with
CI=true (where .ci/run installs them) a missing browser fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import require, running_serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_serve("--timeout", "20", cache=tmp_path_factory.mktemp("browser-cache")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    require(CHROMIUM.exists() and CHROMEDRIVER.exists(), "Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver, as .ci/run does)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--lang=en-GB",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _text(driver, css: str) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, css).text


def test_an_entity_iri_opens_its_page(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/id/tajikistan")  # 303 to /data/id/tajikistan, negotiated to HTML
    assert browser.current_url == server + "/data/id/tajikistan"
    assert browser.title == "Tajikistan · relgraph"
    assert _text(browser, "h1#title") == "Tajikistan"
    assert _text(browser, "#iri") == "https://w3id.org/relgraph/id/tajikistan"
    statements = _text(browser, "#statements")
    assert "ISO 3166-1 alpha-2 code" in statements and "TJ" in statements
    # claims that name it, each with its rank and its sources
    claims = browser.find_elements(By.CSS_SELECTOR, "#claims article.claim")
    assert len(claims) >= 10
    ranks = {c.find_element(By.CSS_SELECTOR, ".rank").text for c in claims if c.find_elements(By.CSS_SELECTOR, ".rank")}
    assert {"normal rank", "preferred rank"} <= ranks
    assert any("was derived from" in c.text.lower() or "prov:wasDerivedFrom" in c.text for c in claims)
    sources = browser.find_elements(By.CSS_SELECTOR, "#sources article.source")
    assert len(sources) >= 5


def test_links_lead_to_related_entities(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/data/id/tajikistan")
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "#claims a") if a.get_attribute("href") == server + "/id/csto")
    link.click()
    assert browser.current_url == server + "/data/id/csto"
    assert _text(browser, "h1#title") == "Collective Security Treaty Organization"
    # a dated claim shows its date with its datatype
    assert "xsd:date" in _text(browser, "#claims")


def test_language_switch(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/data/id/russia-tajikistan-relations")
    assert _text(browser, "h1#title") == "Russia–Tajikistan relations"
    browser.find_element(By.CSS_SELECTOR, 'header a[hreflang="ru"]').click()
    assert _text(browser, "h1#title") == "Российско-таджикские отношения"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ru"


def test_alternate_formats_are_linked(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/data/id/tajikistan")
    hrefs = {a.text: a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "footer a")}
    assert hrefs == {
        "Turtle": server + "/data/id/tajikistan.ttl",
        "JSON-LD": server + "/data/id/tajikistan.jsonld",
        "N-Triples": server + "/data/id/tajikistan.nt",
    }




def test_stored_queries_open_as_tables_from_the_catalogue(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/queries")
    browser.find_element(By.LINK_TEXT, "shared-memberships").click()
    assert browser.current_url == server + "/queries/shared-memberships?a=RU&b=TJ"
    assert _text(browser, "h1#title") == "Shared memberships"
    rows = browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")
    organisations = sorted(r.find_elements(By.TAG_NAME, "td")[1].text for r in rows)
    assert organisations == ["Collective Security Treaty Organization", "Commonwealth of Independent States", "Shanghai Cooperation Organisation"]
    # an organisation links to its page
    rows[0].find_elements(By.TAG_NAME, "td")[1].find_element(By.TAG_NAME, "a").click()
    assert browser.current_url.startswith(server + "/data/id/")


def test_an_organisation_page_shows_its_membership_chart(server, browser):
    """A screenshot of the chart as the browser draws it on the CSTO's page: the picture loaded,
    its size, and the role colours of its bars (relgraph.plots.drawing.ROLE_COLOURS)."""
    import io

    from PIL import Image
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from relgraph.plots.drawing import ROLE_COLOURS

    browser.set_window_size(1280, 1800)
    browser.get(server + "/data/id/csto")
    image = browser.find_element(By.CSS_SELECTOR, "#picture img")
    WebDriverWait(browser, 60).until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image))
    assert image.get_attribute("alt") == "Collective Security Treaty Organization: membership chart"
    width, height = browser.execute_script("return [arguments[0].naturalWidth, arguments[0].naturalHeight]", image)
    assert width == 720 * 4 // 3  # 10 in = 720 pt = 960 CSS px
    shot = Image.open(io.BytesIO(image.screenshot_as_png)).convert("RGB")
    # shown at the page's width (at most 60rem), in the picture's proportions
    assert shot.width >= 800 and abs(shot.height / shot.width - height / width) < 0.02
    pixels = {colour: count for count, colour in shot.getcolors(maxcolors=shot.width * shot.height)}
    drawn = {role for role, colour in ROLE_COLOURS.items() if pixels.get(tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5)), 0) > 200}
    # the hand-written graph's CSTO: Russia and Tajikistan, founding members (2002) and members
    assert {"founding-member", "member"} <= drawn, drawn
    assert shot.getpixel((5, 5)) == (255, 255, 255)  # the figure's white background, not a broken image
