"""The published register in a real browser: Debian's headless Chromium driven by Selenium.

The site is served from a local HTTP server on 127.0.0.1 (nothing else is reached). The tests
open the index and a modification page, use the filter and the sort, read the browser's console,
and run axe-core's accessibility rules on each kind of page.

Needs ``chromium`` and ``chromium-driver`` (apt-get) and axe-core (``make browser-tools``, which
npm-installs it into ``.browser/``). Under CI (CI=true) a missing one fails the test; elsewhere the
test is skipped and says what to install.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import DATA, ROOT
from site_support import build, need, scratch_site, shipped_site

pytestmark = pytest.mark.slow  # a real browser, on sites whose report archive holds PDFs

AXE = Path(os.environ.get("AXE_CORE_JS", ROOT / ".browser" / "node_modules" / "axe-core" / "axe.min.js"))
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1024",
)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test's output is the assertions, not an access log
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The site of the shipped register as at 2 May 2019, served on 127.0.0.1; yields its base URL."""
    yield from serve(shipped_site(tmp_path_factory))


def serve(site: Path):
    """Serve the folder ``site`` on 127.0.0.1 while the generator runs; yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def scratch_server(tmp_path_factory):
    """The scratch register's site (consultations, the SEC pages' fields) as at 2 May 2019, served on 127.0.0.1."""
    yield from serve(scratch_site(tmp_path_factory))


@pytest.fixture(scope="module")
def browser():
    """A fresh headless Chromium (its own profile folder) with its console log readable."""
    yield from chromium()


@pytest.fixture(scope="module")
def scriptless():
    """A headless Chromium that runs no script, as a reader who turned it off."""
    yield from chromium({"profile.managed_default_content_settings.javascript": 2})


def chromium(preferences: dict | None = None):
    """A fresh headless Chromium (its own profile folder, ``preferences`` set) with its console log readable."""
    binary = need("chromium", shutil.which("chromium"), "apt-get install chromium chromium-driver")
    driver_path = need("chromedriver", shutil.which("chromedriver"), "apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="secstatus-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if preferences:
        options.add_experimental_option("prefs", preferences)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def console_errors(driver) -> list[dict]:
    """The console messages at error level since the last call (reading the log empties it)."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def visible_ids(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    return [
        row.find_element(By.CSS_SELECTOR, "th a").text
        for row in driver.find_elements(By.CSS_SELECTOR, "#register tbody tr")
        if row.is_displayed()
    ]


def test_index_filters_and_sorts_without_console_errors(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server + "index.html")
    assert browser.find_element(By.ID, "filters").is_displayed()  # the script revealed the controls
    assert len(visible_ids(browser)) == 75
    assert browser.find_element(By.ID, "filter-count").text == "75 of 75 modifications shown"

    browser.find_element(By.ID, "filter-text").send_keys("force majeure")
    assert visible_ids(browser) == ["SECMP0043"]
    browser.find_element(By.ID, "filter-text").clear()
    browser.find_element(By.ID, "filter-text").send_keys(" ")  # clear() fires no input event; a key does
    Select(browser.find_element(By.ID, "filter-stage")).select_by_value("define")
    assert visible_ids(browser) == ["DP071", "DP072", "DP073", "DP074", "DP075"]
    assert browser.find_element(By.ID, "filter-count").text == "5 of 75 modifications shown"
    Select(browser.find_element(By.ID, "filter-stage")).select_by_value("open")
    assert len(visible_ids(browser)) == 23  # the paper's "Modifications open (pre-decision): 23"

    id_header = browser.find_element(By.CSS_SELECTOR, "#register th[data-sort='id']")
    id_header.find_element(By.TAG_NAME, "button").click()
    assert id_header.get_attribute("aria-sort") == "ascending"
    id_header.find_element(By.TAG_NAME, "button").click()
    assert id_header.get_attribute("aria-sort") == "descending"
    assert visible_ids(browser)[0] == "DP075" and visible_ids(browser)[-1] == "SECMP0007"  # the register's id order
    id_header.find_element(By.TAG_NAME, "button").click()
    assert visible_ids(browser)[:7] == [
        "SECMP0007",
        "SECMP0010",
        "SECMP0012",
        "SECMP0013",
        "SECMP0015",
        "SECMP0024",
        "SECMP0028",
    ]
    next_header = browser.find_element(By.CSS_SELECTOR, "#register th[data-sort='next']")
    next_header.find_element(By.TAG_NAME, "button").click()
    assert visible_ids(browser)[0] == "SECMP0055"  # its report goes to the Panel on 10 May 2019, the earliest
    assert console_errors(browser) == []


def test_modification_page_opens_from_the_index_without_console_errors(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "index.html")
    browser.find_element(By.LINK_TEXT, "SECMP0043").click()
    assert browser.current_url == server + "modifications/SECMP0043.html"
    assert browser.find_element(By.TAG_NAME, "h1").text == "SECMP0043 Modification to Services Force Majeure Provisions"
    timeline = browser.find_element(By.CSS_SELECTOR, ".timeline").text
    assert "Authority decision approved 5 April 2019" in timeline and "implemented 23 April 2019" in timeline
    assert console_errors(browser) == []


def run_axe(driver) -> list[dict]:
    """axe-core's violations on the page loaded in ``driver``."""
    axe = Path(need("axe-core", str(AXE), "run 'make browser-tools' (npm installs it into .browser/)"))
    driver.execute_script(axe.read_text(encoding="utf-8"))
    results = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done(String(e)));"
    )
    assert isinstance(results, list), results
    return results


def test_the_checks_see_a_broken_page(server, browser):
    """The harness is not blind: an image without a text alternative and a console error are found."""
    browser.get(server + "index.html")
    browser.execute_script(
        "const img = document.createElement('img'); img.src = 'favicon.ico';"
        "document.querySelector('main').appendChild(img); console.error('deliberate');"
    )
    assert any(v["id"] == "image-alt" and v["impact"] == "critical" for v in run_axe(browser))
    assert any("deliberate" in entry["message"] for entry in console_errors(browser))


def test_the_index_filters_by_impacted_party_and_affected_document_kept_in_its_address(scratch_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(scratch_server + "index.html?party=Large+Suppliers")  # a shared view opens filtered
    assert visible_ids(browser) == ["DP073", "SECMP0007"]
    assert Select(browser.find_element(By.ID, "filter-party")).first_selected_option.text == "Large Suppliers"
    assert browser.find_element(By.ID, "filter-count").text == "2 of 75 modifications shown"
    Select(browser.find_element(By.ID, "filter-stage")).select_by_value("refine")
    assert visible_ids(browser) == ["SECMP0007"]
    assert browser.current_url == scratch_server + "index.html?stage=refine&party=Large+Suppliers"
    Select(browser.find_element(By.ID, "filter-party")).select_by_value("")
    Select(browser.find_element(By.ID, "filter-document")).select_by_visible_text("Appendix AB")
    assert visible_ids(browser) == ["SECMP0007"]  # DP073 changes Appendix AB too, but is in Define
    Select(browser.find_element(By.ID, "filter-stage")).select_by_value("")
    assert visible_ids(browser) == ["DP073", "SECMP0007"]
    browser.find_element(By.ID, "filter-text").send_keys("smki")
    shared = browser.current_url
    assert shared == scratch_server + "index.html?q=smki&document=Appendix+AB"
    browser.get(scratch_server + "releases/index.html")
    browser.get(shared)  # the address alone brings the view back
    assert visible_ids(browser) == ["DP073"]
    assert browser.find_element(By.ID, "filter-text").get_attribute("value") == "smki"
    browser.get(scratch_server + "index.html?party=Nobody&stage=nowhere")  # values the index does not know: ignored
    assert len(visible_ids(browser)) == 75
    assert console_errors(browser) == []


def test_without_script_the_index_is_complete_and_every_page_reads(scratch_server, scriptless):
    from selenium.webdriver.common.by import By

    scriptless.get(scratch_server + "index.html?party=Large+Suppliers")
    assert not scriptless.find_element(By.ID, "filters").is_displayed()  # no control that cannot work
    assert len(visible_ids(scriptless)) == 75  # the table is whole, filters or not
    row = scriptless.find_element(By.CSS_SELECTOR, "#register tbody tr[data-stage='refine'] td.parties")
    assert row.text  # who a modification impacts is in the table itself
    scriptless.find_element(By.LINK_TEXT, "SECMP0007").click()
    assert "Who is impacted?" in scriptless.find_element(By.TAG_NAME, "main").text
    scriptless.find_element(By.LINK_TEXT, "Consultations").click()
    assert "Refinement Consultation" in scriptless.find_element(By.CSS_SELECTOR, "table.consultations").text


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "modifications/SECMP0007.html",
        "modifications/DP073.html",
        "consultations.html",
        "statistics.html",
        "key-dates.html",
    ],
)
def test_no_serious_or_critical_accessibility_violations_with_the_new_fields(scratch_server, browser, page):
    """The pages the scratch register fills: filters by party and document, the SEC pages' fields,
    open and closed consultations."""
    browser.get(scratch_server + page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in run_axe(browser)
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert console_errors(browser) == []


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "modifications/SECMP0043.html",
        "modifications/SECMP0062.html",
        "releases/index.html",
        "releases/2019-06.html",
        "reports/index.html",
        "statistics.html",
        "key-dates.html",
        "consultations.html",
        "reports/2019-05.html",
    ],
)
def test_no_serious_or_critical_accessibility_violations(server, browser, page):
    browser.get(server + page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in run_axe(browser)
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert console_errors(browser) == []


INJECTED = (
    '<img src="x" alt="" onerror="document.title = \'PWNED\'">'
    '<script>document.documentElement.dataset.pwned = "inline script"</script>'
)
"""Script a page must not run: an inline event handler and an inline script."""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """A site whose register's own index template writes INJECTED into the page (a template is
    code, and may write any markup), with INJECTED also edited into its archived report."""
    register = tmp_path_factory.mktemp("hostile-register")
    shutil.copytree(DATA, register / "data")
    index = (ROOT / "src" / "secstatus" / "templates" / "site" / "index.html").read_text()
    (register / "templates" / "site").mkdir(parents=True)
    (register / "templates" / "site" / "index.html").write_text(
        index.replace("<h1>Modifications</h1>", "<h1>Modifications</h1>" + INJECTED)
    )
    site = build(tmp_path_factory.mktemp("hostile-site") / "site", register / "data").path
    report = site / "reports" / "2019-05.html"
    report.write_text(report.read_text().replace("<body>", "<body>" + INJECTED, 1))
    yield from serve(site)


def csp_violations(entries: list[dict]) -> list[str]:
    return [e["message"] for e in entries if "Content Security Policy" in e["message"]]


def test_the_policy_stops_injected_script_and_the_site_script_still_works(hostile_server, browser):
    from selenium.webdriver.common.by import By

    browser.get(hostile_server + "index.html")
    assert INJECTED.split(">")[0] in browser.page_source  # the markup is in the page
    assert browser.title == "Modifications – SEC Modification Register"
    assert browser.execute_script("return document.documentElement.dataset.pwned") is None
    violations = csp_violations(console_errors(browser))
    assert len(violations) == 2 and all("script-src 'self'" in v for v in violations), violations
    # The site's own script, a file of the site, still filters and sorts.
    assert browser.find_element(By.ID, "filters").is_displayed()
    browser.find_element(By.ID, "filter-text").send_keys("force majeure")
    assert visible_ids(browser) == ["SECMP0043"]
    header = browser.find_element(By.CSS_SELECTOR, "#register th[data-sort='id']")
    header.find_element(By.TAG_NAME, "button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert console_errors(browser) == []


def test_the_policy_stops_injected_script_in_an_archived_report_and_keeps_its_style(hostile_server, browser):
    browser.get(hostile_server + "reports/2019-05.html")
    assert browser.title == "Change Status Report – May 2019"
    assert browser.execute_script("return document.documentElement.dataset.pwned") is None
    violations = csp_violations(console_errors(browser))
    assert violations and all("default-src 'none'" in v for v in violations), violations
    refused = ("Executing inline event handler", "Executing inline script", "Loading the image")
    assert [v for v in violations if not any(r in v for r in refused)] == []
    heading = "return getComputedStyle(document.querySelector('#summary h1')).color"
    assert browser.execute_script(heading) == "rgb(18, 53, 91)"  # report.css's --navy: its inline style sheet
    # is allowed by its hash; the policy refused the script (and the image) and nothing else


@pytest.fixture(scope="module")
def followed_server(tmp_path_factory):
    """The site, as at 4 June 2019, of the register where SECMP0062 has the SEC pages' fields, two
    documents and a plan that slips (tests/followed_register.py), served on 127.0.0.1."""
    from click.testing import CliRunner
    from followed_register import follow

    from secstatus.cli import main

    data = tmp_path_factory.mktemp("followed-register") / "data"
    shutil.copytree(DATA, data)
    follow(lambda *args: CliRunner().invoke(main, list(args), catch_exceptions=False), data)
    import datetime as dt

    yield from serve(build(tmp_path_factory.mktemp("followed-site") / "site", data, dt.date(2019, 6, 4)).path)


@pytest.mark.parametrize("page", ["modifications/SECMP0062.html", "reports/2019-06.html", "index.html"])
def test_the_followed_modifications_pages_have_no_serious_accessibility_violations(followed_server, browser, page):
    """The page fields, the documents and the plan table (issue 21), and the report's documents and
    progression against plan, pass axe as the shipped pages do."""
    browser.get(followed_server + page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in run_axe(browser)
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert console_errors(browser) == []
