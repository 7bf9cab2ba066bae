"""The upload page as a person uses it: `nutrigap serve` driven by a real Chromium."""

from __future__ import annotations

import io
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_LOG = ROOT / "examples" / "example-log.csv"
TEMPLATE = ROOT / "examples" / "template.csv"
# Row 3's amount is words: the reader refuses the file and names the row.
BAD_LOG = ("date,meal,food,amount,unit\n"
           "2024-05-06,breakfast,banana,1,medium\n"
           "2024-05-06,breakfast,whole milk,two cups,\n")

if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium (apt-get install "
                "chromium; `make test` installs it)", allow_module_level=True)
pytest.importorskip("flask", reason="the web page needs the web extra")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is a dev "
                               "dependency: pip install -e '.[dev]'")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`nutrigap serve` on a free port of 127.0.0.1, with the built-in foods only."""
    home = tmp_path_factory.mktemp("server")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # the session's empty user folders
    process = subprocess.Popen([sys.executable, "-m", "nutrigap", "serve", "--port", "0"],
                               cwd=home, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout],
                              daemon=True)
    reader.start()
    try:
        first = lines.get(timeout=60)
    except queue.Empty:
        process.kill()
        pytest.fail("nutrigap serve did not say where it listens within 60 s")
    assert first.startswith("nutrigap is serving http://127.0.0.1:"), first
    yield first.split()[3]
    process.terminate()
    assert process.wait(timeout=30) == 0
    reader.join(timeout=30)  # the pipe is at its end; closing it here, not when it is
    process.stdout.close()  # collected during some later test (an unclosed-file warning)


@pytest.fixture(scope="module")
def chromium():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def browser_profile(chromium):
    """A fresh browser profile that records console messages (CSP refusals show up there)."""
    context = chromium.new_context(accept_downloads=True)
    context.console = []
    context.on("console", lambda message: context.console.append(message))
    yield context
    context.close()


def problems_in_console(context) -> list[str]:
    return [m.text for m in context.console
            if m.type == "error" and "status of 400" not in m.text]


def fill_profile(page, age="34", sex="female"):
    page.fill("#age", age)
    page.select_option("#sex", sex)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


def test_the_example_log_comes_back_as_a_pdf_download(server, browser_profile, tmp_path):
    page = browser_profile.new_page()
    page.goto(server)
    # the stylesheet is the app's own file and the policy lets it apply
    colour = page.eval_on_selector("button.primary", "b => getComputedStyle(b).backgroundColor")
    assert colour == "rgb(31, 111, 92)"
    page.set_input_files("#log", str(EXAMPLE_LOG))
    fill_profile(page)
    page.check("input[name=diet][value=vegetarian]")
    with page.expect_download(timeout=120_000) as download:
        page.click("button.primary")
    assert download.value.suggested_filename == "example-log-report.pdf"
    saved = tmp_path / "report.pdf"
    download.value.save_as(saved)
    text = pdf_text(saved)
    assert "Nutrient check for twitching and" in text
    assert "example-log.csv" in text
    assert "Female, 34 years" in text
    assert "Diet: vegetarian" in text
    for nutrient in ("Magnesium", "Calcium", "Potassium", "Vitamin D", "Vitamin B12"):
        assert nutrient in text
    assert problems_in_console(browser_profile) == []


def test_view_in_browser_opens_the_same_report_in_a_new_tab(server, browser_profile):
    page = browser_profile.new_page()
    page.goto(server)
    page.set_input_files("#log", str(EXAMPLE_LOG))
    fill_profile(page, age="70", sex="male")
    with browser_profile.expect_page(timeout=120_000) as opened:
        page.click("text=View in browser")
    report = opened.value
    report.wait_for_load_state()
    assert report.inner_text("h1") == "Nutrient check for twitching and cramps"
    assert "Male, 70 years" in report.inner_text("header")
    # the report's own inline styles are allowed by their hashes, so they apply
    assert report.eval_on_selector("body", "b => getComputedStyle(b).fontFamily") != ""
    masthead = report.eval_on_selector("header", "h => getComputedStyle(h).display")
    assert masthead != "block", "the report's stylesheet was refused"
    assert problems_in_console(browser_profile) == []
    assert page.input_value("#age") == "70"  # the form stays as it was in the first tab


def test_a_bad_file_shows_the_row_message_with_the_form_still_filled_in(server, browser_profile,
                                                                        tmp_path):
    from nutrigap.analyzer.errors import BadMealLog
    from nutrigap.analyzer.logs.meal_log import read_meal_log

    with pytest.raises(BadMealLog) as refused:
        read_meal_log(io.BytesIO(BAD_LOG.encode()))
    bad = tmp_path / "bad-log.csv"
    bad.write_text(BAD_LOG, encoding="utf-8")
    page = browser_profile.new_page()
    page.goto(server)
    page.set_input_files("#log", str(bad))
    fill_profile(page, age="29")
    page.check("input[name=stage][value=lactating]")
    page.fill("#exclude", "liver")
    page.click("button.primary")
    page.wait_for_selector(".problems", timeout=60_000)
    assert page.inner_text(".problems h2") == "The file could not be used"
    shown = page.locator(".problem-list li").all_inner_texts()
    assert shown == [str(p) for p in refused.value.problems]
    assert shown[0].startswith("row 3")
    assert page.input_value("#age") == "29"
    assert page.input_value("#sex") == "female"
    assert page.is_checked("input[name=stage][value=lactating]")
    assert page.input_value("#exclude") == "liver"
    assert "bad-log.csv" in page.inner_text("form")


def test_the_template_link_downloads_the_csv_template(server, browser_profile, tmp_path):
    page = browser_profile.new_page()
    page.goto(server)
    with page.expect_download() as download:
        page.click("text=download the CSV template")
    saved = tmp_path / "template.csv"
    download.value.save_as(saved)
    assert saved.read_bytes() == TEMPLATE.read_bytes()
