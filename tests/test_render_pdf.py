"""The PDF report: its text as pdftotext reads it, its paper sizes and its page breaks."""

from __future__ import annotations

import functools

import pytest
from report_samples import (
    EXAMPLE_LOG,
    analyze_log,
    pdf_pages,
    pdf_text,
    week_html,
    week_report,
)
from weasyprint.formatting_structure.boxes import TableRowGroupBox

from nutrigap.analyzer.nutrients import NUTRIENTS, TARGET_KEYS
from nutrigap.reports.pdf import BadPaper, page_css, render_document
from nutrigap.reports.render import to_pdf
from nutrigap.reports.templating import TEMPLATES, long_date, percent

A4 = (595.28, 841.89)  # points
LETTER = (612.0, 792.0)


@functools.cache
def _week_document():
    return render_document(week_html(), "a4")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _check_report_text(report: dict, text: str) -> None:
    """Nutrient names, percentages, suggestions and the plan all appear in the PDF text."""
    flat = _flat(text)
    for key in [*TARGET_KEYS, "vitamin_b6_mg"]:
        assert NUTRIENTS.at[key, "name"] in flat
    for key in TARGET_KEYS:
        assert percent(report["statuses"][key]["percent_of_target"]) in flat
    for key, rows in report["suggestions"].items():
        assert f"{NUTRIENTS.at[key, 'name']}: a gap of" in flat
        for row in rows:
            assert _flat(row["food"]) in flat
    for addition in report["plan"]["additions"]:
        assert _flat(addition["text"]) in flat
    assert "This is information, not a diagnosis" in flat


def test_week_report_text_as_pdftotext_reads_it(tmp_path):
    report = week_report()
    pdf = _week_document().write_pdf()
    text = pdf_text(pdf, tmp_path)
    _check_report_text(report, text)
    flat = _flat(text)
    pages = pdf_pages(pdf, tmp_path)
    assert f"Page 1 of {len(pages)}" in flat and f"Page {len(pages)} of {len(pages)}" in flat
    assert f"Report date: {long_date(report['generated'])}" in flat
    assert "grandma's stew" in flat  # the unmatched item is listed, with its row
    assert all((p["width"], p["height"]) == pytest.approx(A4, abs=0.5) for p in pages)


def _split_rows(document) -> list[str]:
    """Rows (other than repeated headers) that start on one page and go on to the next."""
    seen: dict[int, int] = {}
    split = []
    for number, page in enumerate(document.pages):
        for group in page._page_box.descendants():
            if not isinstance(group, TableRowGroupBox) or group.is_header:
                continue  # a table's header row is meant to repeat on each page
            for row in group.children:
                if seen.setdefault(id(row.element), number) != number:
                    split.append(f"row {row.element.get('id')} on page {number + 1}")
    return split


def test_no_table_row_is_split_across_pages():
    document = _week_document()
    assert len(document.pages) > 3 and _split_rows(document) == []
    # Tall rows straddle a page boundary unless the stylesheet keeps each row whole.
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    rows = "".join(f'<tr id="r{i}"><td>' + "<br>".join(["a line of a tall cell"] * (5 + i % 7))
                   + "</td></tr>" for i in range(30))
    html = f"<style>{css}</style><table><tbody>{rows}</tbody></table>"
    assert _split_rows(render_document(html)) == []
    loose = html.replace("tr { break-inside: avoid; }", "")
    assert _split_rows(render_document(loose)), "the check would not notice a split row"


def test_letter_paper(tmp_path):
    pdf = to_pdf(week_report(), paper="letter")
    assert all((p["width"], p["height"]) == pytest.approx(LETTER, abs=0.5)
               for p in pdf_pages(pdf, tmp_path))
    with pytest.raises(BadPaper, match="a4 or letter"):
        page_css("legal")


def test_example_log_report(tmp_path):
    if not EXAMPLE_LOG.exists():
        pytest.skip(f"{EXAMPLE_LOG} is not in this checkout")
    report = analyze_log(EXAMPLE_LOG)
    pdf = to_pdf(report)
    text = pdf_text(pdf, tmp_path)
    _check_report_text(report, text)
    assert EXAMPLE_LOG.name in text
    # the section on caffeine, alcohol, water and sodium, and its line on page 1
    flat = " ".join(text.split())
    assert "Other things in your diet linked with twitching" in flat
    for t in report["triggers"]["nutrients"].values():
        assert " ".join(t["text"].split()) in flat
    page_one = " ".join(text.split("\f")[0].split())
    assert report["triggers"]["line"][:-1] in page_one
