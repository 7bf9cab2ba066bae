"""A long report laid out on two cores (reports/pdf_split.py) reads exactly like the one laid
out in one piece: same pages, page numbers, running header and bookmarks."""

from __future__ import annotations

import csv
import io
import os
from datetime import date, timedelta

import pytest
from report_samples import WEEK_LOG, analyze_log, pdf_text, week_html

from nutrigap.reports import pdf as pdf_module
from nutrigap.reports import pdf_split
from nutrigap.reports.pdf import html_to_pdf, render_document
from nutrigap.reports.pdf_split import render_split, split_html
from nutrigap.reports.render import to_html


def _month_log(path) -> None:
    """30 days: the test week's real meals, repeated with the dates moved on a week at a time."""
    with open(WEEK_LOG, newline="", encoding="utf-8") as fp:
        rows = list(csv.DictReader(fp))
    first = date.fromisoformat(rows[0]["date"])
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        for week in range(5):
            for row in rows:
                day = date.fromisoformat(row["date"]) + timedelta(weeks=week)
                if (day - first).days < 30:
                    writer.writerow({**row, "date": day.isoformat()})


@pytest.fixture(scope="module")
def month_html(tmp_path_factory) -> str:
    log = tmp_path_factory.mktemp("month") / "month.csv"
    _month_log(log)
    return to_html(analyze_log(log), medium="pdf")  # the page a PDF is laid out from


def _pages(pdf: bytes, tmp_path) -> list[str]:
    return pdf_text(pdf, tmp_path, layout=True).split("\f")[:-1]


def _bookmarks(pdf: bytes) -> list[tuple[int, str, int]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    out = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item)))
    walk(reader.outline, 0)
    return out


def test_a_month_is_cut_after_the_day_table(month_html):
    first, second = split_html(month_html)
    assert "Day by day" in first and "Where your nutrients came from" not in first
    assert "Where your nutrients came from" in second and "Day by day" not in second
    # the second part opens with the masthead, whose page is dropped when the two are joined
    assert second.index('class="masthead"') < second.index('id="contributions"')


def test_a_month_laid_out_in_two_halves_reads_like_one(month_html, tmp_path):
    if pdf_split._usable_cores() < 2:
        pytest.skip("this process may use only one core, so reports are laid out in one piece")
    whole = html_to_pdf(month_html)
    joined = render_split(month_html, "a4", render_document)
    assert joined is not None, "the month's report was not split"
    pages, joined_pages = _pages(whole, tmp_path), _pages(joined, tmp_path)
    assert len(joined_pages) == len(pages) >= 5
    assert joined_pages == pages
    total = len(pages)
    for number, text in enumerate(joined_pages, start=1):
        assert f"Page {number} of {total}" in text
        # the running header (log name and period) is on every page but the first
        assert ("month.csv ·" in text.split("\n", 1)[0]) == (number > 1)
    assert _bookmarks(joined) == _bookmarks(whole)
    assert any(title == "Where your nutrients came from" for _, title, _ in _bookmarks(joined))


def _fail_in_child(how):
    parent = os.getpid()

    def render(html, paper="a4"):
        if os.getpid() != parent:
            if how == "dies":
                os._exit(3)
            raise RuntimeError("layout failed")
        return render_document(html, paper)
    return render


def test_a_template_without_a_masthead_loses_no_page(month_html, tmp_path):
    if pdf_split._usable_cores() < 2:
        pytest.skip("this process may use only one core, so reports are laid out in one piece")
    start, end = month_html.index('<header class="masthead">'), month_html.index("</header>")
    html = month_html[:start] + month_html[end + len("</header>"):]
    joined = render_split(html, "a4", render_document)
    assert joined is not None
    assert _pages(joined, tmp_path) == _pages(html_to_pdf(html), tmp_path)


@pytest.mark.parametrize("how", ["raises", "dies"])
def test_a_failed_second_half_gives_the_report_laid_out_in_one_piece(month_html, tmp_path,
                                                                      monkeypatch, how):
    monkeypatch.setattr(pdf_module, "render_document", _fail_in_child(how))
    pdf = html_to_pdf(month_html, two_processes=True)
    assert _pages(pdf, tmp_path) == _pages(html_to_pdf(month_html), tmp_path)


def test_a_report_without_a_page_break_is_not_split():
    html = week_html().replace("new-page", "")
    assert split_html(html) is None
    assert render_split(html, "a4", render_document) is None


def test_a_cut_that_would_leave_a_sliver_is_not_made():
    body = "<p>words</p>" * 100
    html = (f'<html><body><main>{body}<section class="new-page"><p>end</p></section>'
            "</main></body></html>")
    assert split_html(html) is None
    html = html.replace("<p>end</p>", body)
    first, second = split_html(html)
    assert first.endswith("</main></body></html>") and "end" not in first


def test_only_a_long_day_table_pushes_what_follows_to_a_new_page(month_html):
    assert 'id="contributions" class="new-page"' in month_html
    assert 'id="contributions" class="new-page"' not in week_html()


def test_one_core_lays_the_report_out_in_one_piece(month_html, monkeypatch):
    monkeypatch.setattr(pdf_split, "_usable_cores", lambda: 1)
    assert split_html(month_html) is not None
    assert render_split(month_html, "a4", render_document) is None
