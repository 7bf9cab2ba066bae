"""HTML to PDF with WeasyPrint, fetching nothing but data: URLs."""

from __future__ import annotations

from analyzer.errors import NutrigapError

PAPER_SIZES = {"a4": "A4", "letter": "letter"}


class BadPaper(NutrigapError):
    """A paper size the report has no layout for."""


def safe_fetcher():
    """A WeasyPrint URL fetcher that accepts data: URLs only and follows no redirects.

    The report embeds everything it shows (styles inline, logo as a data: URL), so any other
    URL in the HTML, such as a file:// path hidden in a food name or a template, is refused.
    """
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def page_css(paper: str) -> str:
    """The @page size rule for 'a4' or 'letter'."""
    try:
        size = PAPER_SIZES[paper.lower()]
    except KeyError:
        raise BadPaper(f'paper "{paper}" is not known; use a4 or letter') from None
    return f"@page {{ size: {size}; }}"


def render_document(html: str, paper: str = "a4"):
    """Lay out report HTML on A4 or US Letter pages (a WeasyPrint Document)."""
    from weasyprint import CSS, HTML

    fetcher = safe_fetcher()
    document = HTML(string=html, url_fetcher=fetcher, base_url=None)
    return document.render(stylesheets=[CSS(string=page_css(paper), url_fetcher=fetcher)])


def html_to_pdf(html: str, paper: str = "a4") -> bytes:
    """Lay out report HTML on A4 or US Letter pages and return the PDF bytes."""
    return render_document(html, paper).write_pdf()
