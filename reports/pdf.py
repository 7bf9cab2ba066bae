"""HTML to PDF with WeasyPrint, fetching nothing but data: URLs."""

from __future__ import annotations

import functools
import re
import threading

from nutrigap.analyzer.errors import NutrigapError

PAPER_SIZES = {"a4": "A4", "letter": "letter"}

# The report's own stylesheet: a bare <style> element (food names are escaped, so none can
# open one). Its parsed form is kept, since parsing it again costs on every report.
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)

_fonts = threading.local()


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


def font_config():
    """This thread's WeasyPrint font configuration, made once.

    A fresh one reloads Fontconfig and starts with empty glyph caches, which costs on every
    report a batch or the web app draws. Pango is not thread-safe, hence one per thread.
    """
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


@functools.lru_cache(maxsize=16)
def _stylesheet(text: str):
    """A parsed stylesheet; the same text gives the same (read-only) object."""
    from weasyprint import CSS

    return CSS(string=text, url_fetcher=safe_fetcher(), font_config=font_config())


def render_document(html: str, paper: str = "a4"):
    """Lay out report HTML on A4 or US Letter pages (a WeasyPrint Document)."""
    from weasyprint import HTML

    sheets = []
    found = _STYLE.search(html)
    if found:
        sheets.append(_stylesheet(found.group(1)))
        html = html[:found.start()] + html[found.end():]
    sheets.append(_stylesheet(page_css(paper)))
    document = HTML(string=html, url_fetcher=safe_fetcher(), base_url=None)
    return document.render(stylesheets=sheets, font_config=font_config())


def html_to_pdf(html: str, paper: str = "a4", *, two_processes: bool = False) -> bytes:
    """Lay out report HTML on A4 or US Letter pages and return the PDF bytes.

    With `two_processes`, a long report is laid out in two halves at once, in this process and
    a forked copy (reports.pdf_split): for a process that renders one report at a time.
    """
    if two_processes:
        from nutrigap.reports.pdf_split import SplitFailed, render_split

        try:
            pdf = render_split(html, paper, render_document)
        except SplitFailed:
            pdf = None
        if pdf is not None:
            return pdf
    return render_document(html, paper).write_pdf()
