"""Food names and templates cannot make a report fetch, run or reveal anything."""

from __future__ import annotations

import base64
import http.server
import threading
import urllib.request

import pytest
from report_samples import analyze_log, parse_html, pdf_text, week_report
from test_render_html import _png

from nutrigap.reports.pdf import safe_fetcher
from nutrigap.reports.render import to_html, to_pdf

EVIL_IMG = '<img src="file:///etc/passwd">'
EVIL_STYLE = "</style><script>alert(1)</script>"


@pytest.fixture(scope="module")
def evil_report(tmp_path_factory):
    log = tmp_path_factory.mktemp("evil") / "evil.csv"
    log.write_text("date,meal,food,amount,unit\n"
                   f'2024-01-01,lunch,"{EVIL_IMG.replace(chr(34), chr(34) * 2)}",1,piece\n'
                   f"2024-01-01,lunch,{EVIL_STYLE},100,g\n"
                   "2024-01-01,lunch,banana,1,medium\n", encoding="utf-8")
    return analyze_log(log)


@pytest.fixture
def counting_server():
    """A web server on 127.0.0.1 that counts the requests it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server calls)
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(_png())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_food_names_are_text_in_the_html(evil_report):
    names = {m["name"] for m in evil_report["matches"]}
    assert {EVIL_IMG, EVIL_STYLE} <= names
    html = to_html(evil_report)
    assert EVIL_IMG not in html and "<script>" not in html
    doc = parse_html(html)
    assert not doc.select("img") and not doc.select("script")
    rows = [r.select("td")[0].text() for r in doc.one("table", id="matches").select("tr")[1:]]
    assert EVIL_IMG in rows and EVIL_STYLE in rows


def test_food_names_are_text_in_the_pdf(evil_report, tmp_path):
    pdf = to_pdf(evil_report)
    text = pdf_text(pdf, tmp_path)
    assert EVIL_IMG in text and "alert(1)" in text
    assert "root:" not in text  # nothing of /etc/passwd made it in
    assert b"/Subtype /Image" not in pdf


def test_the_fetcher_takes_data_urls_only_and_follows_no_redirects(counting_server):
    base, hits = counting_server
    fetcher = safe_fetcher()
    png = _png()
    response = fetcher(f"data:image/png;base64,{base64.b64encode(png).decode()}")
    assert response.read() == png
    for url in ("file:///etc/passwd", f"{base}/logo.png", "https://example.org/x.css"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher(url)
    assert hits == []
    assert not any(isinstance(h, urllib.request.HTTPRedirectHandler) for h in fetcher.handlers)


def test_a_template_cannot_pull_in_files_or_web_resources(tmp_path, counting_server):
    base, hits = counting_server
    png = base64.b64encode(_png()).decode()
    (tmp_path / "report.html").write_text(
        "<html><head>"
        f'<link rel="stylesheet" href="{base}/style.css">'
        f"<style>@import url({base}/more.css); body {{ background: url(file:///etc/passwd) }}"
        "</style></head><body>"
        f'<img src="{base}/tracker.png"><img src="file:///etc/hostname">'
        "<p>{{ report.matches[0].name }}</p></body></html>", encoding="utf-8")
    report = {**week_report(), "matches": [{"name": EVIL_IMG}]}
    html = to_html(report, template_dir=tmp_path)
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html  # autoescaped in any template
    pdf = to_pdf(report, template_dir=tmp_path)
    assert hits == []
    assert b"/Subtype /Image" not in pdf
    # the same template with an embedded image does get it, so the check above can fail
    (tmp_path / "report.html").write_text(
        f'<html><body><img src="data:image/png;base64,{png}"></body></html>', encoding="utf-8")
    assert b"/Subtype /Image" in to_pdf(report, template_dir=tmp_path)


@pytest.mark.parametrize("expression", [
    "cycler.__init__.__globals__.os.popen('echo pwned').read()",
    "report.__class__.__mro__[1].__subclasses__()",
    "status_style.__globals__['__builtins__']['open']('/etc/hostname').read()",
    "range(10 ** 9) | list | length",
])
def test_a_clinic_template_cannot_reach_python(tmp_path, expression):
    from nutrigap.reports.render import BadTemplate

    (tmp_path / "report.html").write_text(
        '{% extends "default/report.html" %}{% block disclaimer %}<p>{{ ' + expression
        + " }}</p>{% endblock %}", encoding="utf-8")
    with pytest.raises(BadTemplate, match=r"^template problem: .*(unsafe|Range too big)"):
        to_html(week_report(), template_dir=tmp_path)


def test_a_clinic_template_extending_the_built_in_one_still_draws_the_report(tmp_path):
    (tmp_path / "report.html").write_text(
        '{% extends "default/report.html" %}{% block disclaimer %}{{ super() }}'
        "<p>Call the clinic: {{ report.period.days_logged }} days, "
        "{{ report.statuses.magnesium_mg.percent_of_target | percent }}.</p>"
        "{% endblock %}", encoding="utf-8")
    report = week_report()
    html = to_html(report, template_dir=tmp_path)
    assert f"Call the clinic: {report['period']['days_logged']} days," in html
    assert html.count("<section") == to_html(report).count("<section")
