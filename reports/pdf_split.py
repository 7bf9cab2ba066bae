"""A long report laid out on two cores at once, then joined into one PDF.

WeasyPrint lays a document out on one core, and a month of meals makes a report of eight or so
pages. When the report opens a new page part-way (the built-in one does after a long day-by-day
table), it can be cut there: this process lays out the first part while a forked copy of it
lays out the rest, and the two PDFs are joined. The joined PDF reads like the one-piece one:

- page numbers count through the whole report: once each part knows its own page count, the two
  processes tell each other, before any page footer is laid out;
- the second part starts with the report's masthead on a page of its own, which is dropped when
  the parts are joined, so the running header (set from the masthead) is there on its pages and
  first-page rules do not apply to them;
- the second part's bookmarks join the first part's, under the report's title.

Fork only where one report is rendered at a time (`nutrigap analyze`): a forked copy of a process
running other threads (the web app) could inherit a lock one of them holds. Whenever the split
cannot be made or the forked side fails, the whole report is laid out here instead.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import re
import threading

# A top-level section that starts on a new page: where the report can be cut.
_PAGE_BREAK_SECTION = re.compile(r'<section\b[^>]*\bclass="(?:[^"]*\s)?new-page(?:\s[^"]*)?"')
_MAIN_OPEN = re.compile(r"<main\b[^>]*>")
_MAIN_CLOSE = "</main>"
_LEAD = "<div></div>"
# Each part must hold at least this share of the report's main text to be worth a process.
MIN_SHARE = 0.2
# How long to wait for the other part's page count or PDF before laying out the whole report
# here. Generous: a year of meals lays out in a few seconds.
WAIT_SECONDS = 120

_numbering = threading.local()
_installed = threading.Lock()


class SplitFailed(Exception):
    """The forked side did not deliver; the report is laid out in one piece instead."""


def split_html(html: str) -> tuple[str, str] | None:
    """The report HTML cut in two at the new-page section nearest the middle of its main
    content: (first part, masthead page + the rest). None when there is no such section or
    either part would be small."""
    main = _MAIN_OPEN.search(html)
    end = html.rfind(_MAIN_CLOSE)
    if not main or end < main.end():
        return None
    length = end - main.end()
    middle = main.end() + length / 2
    cuts = [found.start() for found in _PAGE_BREAK_SECTION.finditer(html, main.end(), end)]
    cuts = [cut for cut in cuts
            if min(cut - main.end(), end - cut) >= MIN_SHARE * length]
    if not cuts:
        return None
    cut = min(cuts, key=lambda at: abs(at - middle))
    first = html[:cut] + html[end:]
    # the empty block keeps the lead page even in a clinic's template without a masthead
    second = html[:main.end()] + _LEAD + html[cut:]
    return first, second


def render_split(html: str, paper: str, render_document) -> bytes | None:
    """The PDF of `html` laid out in two processes, or None when it cannot be split.

    `render_document(html, paper)` lays out one part (reports.pdf.render_document). Raises
    SplitFailed when the forked side fails; the caller then lays out the whole report.
    """
    parts = split_html(html)
    if parts is None or _usable_cores() < 2:
        return None
    first, second = parts
    install_numbering()
    here, there = multiprocessing.Pipe()
    child = multiprocessing.get_context("fork").Process(
        target=_render_second, args=(there, second, paper, render_document), daemon=True)
    child.start()
    there.close()
    try:
        _numbering.part = _Numbering(here, child, first=True)
        try:
            first_pdf = render_document(first, paper).write_pdf()
        finally:
            _numbering.part = None
        second_pdf = _receive(here, child, "PDF")
        return join_pdfs(first_pdf, second_pdf)
    finally:
        here.close()
        child.join(timeout=1)
        if child.is_alive():
            child.kill()


def _usable_cores() -> int:
    """The cores this process may run on (fewer than the machine has under a CPU limit)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _render_second(conn, html: str, paper: str, render_document) -> None:
    """In the forked process: lay out the second part, swap page counts, send its PDF."""
    # Everything inherited outlives this short process: the collector need not scan it (and
    # scanning would copy the pages it shares with the parent).
    gc.freeze()
    try:
        _numbering.part = _Numbering(conn, None, first=False)
        conn.send_bytes(render_document(html, paper).write_pdf())
    except BaseException as exc:  # the parent lays out the whole report instead
        try:
            conn.send(("failed", repr(exc)))
        except OSError:
            pass
    finally:
        conn.close()


class _Numbering:
    """Page numbers of one part within the whole report, known once both parts are laid out.

    The first part counts from 1; the second part's first page (the masthead page) is dropped,
    so its page n is page (pages of the first part) + n - 1 of the report.
    """

    def __init__(self, conn, child, *, first: bool):
        self.conn, self.child, self.first = conn, child, first
        self.resolved: tuple[int, int] | None = None

    def offset_and_total(self, own_pages: int) -> tuple[int, int]:
        if self.resolved is None:
            try:
                self.conn.send(("pages", own_pages))
            except OSError:  # the other side has gone
                raise SplitFailed("the second part stopped") from None
            kind, other_pages = _receive(self.conn, self.child, "page count", pickled=True)
            if kind != "pages":
                raise SplitFailed(f"the second part failed: {other_pages}")
            first_pages, second_pages = ((own_pages, other_pages) if self.first
                                         else (other_pages, own_pages))
            total = first_pages + second_pages - 1
            self.resolved = (0 if self.first else first_pages - 1, total)
        return self.resolved


def _receive(conn, child, what: str, *, pickled: bool = False):
    """The next message from the other process; SplitFailed if it dies or takes too long."""
    waited = 0.0
    while not conn.poll(0.25):
        waited += 0.25
        if (child is not None and not child.is_alive()) or waited > WAIT_SECONDS:
            raise SplitFailed(f"no {what} from the second part")
    try:
        if pickled:
            return conn.recv()
        data = conn.recv_bytes()
    except EOFError:
        raise SplitFailed(f"no {what} from the second part") from None
    if data[:4] != b"%PDF":
        raise SplitFailed("the second part failed")
    return data


def install_numbering() -> None:
    """Let page footers use the whole report's page numbers while a part is laid out.

    WeasyPrint lays out a page's margin boxes (header, footer) once all its pages are made,
    from each page's counters; this wraps that step so that, during a split render, the
    `page` and `pages` counters are shifted to the whole report's. Other renders pass through.
    """
    # WeasyPrint's internals, not its API: make_margin_boxes(context, page, state) in
    # weasyprint.layout, with the counter values at state[1]. This is why pyproject.toml pins
    # WeasyPrint exactly; tests/test_render_pdf_split.py checks the page numbers on an upgrade.
    import weasyprint.layout as layout

    with _installed:
        if getattr(layout.make_margin_boxes, "nutrigap_numbering", False):
            return
        original = layout.make_margin_boxes

        def make_margin_boxes(context, page, state):
            part = getattr(_numbering, "part", None)
            if part is not None:
                counters = state[1]
                offset, total = part.offset_and_total(counters["pages"][-1])
                counters = dict(counters, pages=[total])
                if counters.get("page"):
                    counters["page"] = [*counters["page"][:-1], counters["page"][-1] + offset]
                state = (state[0], counters, *state[2:])
            return original(context, page, state)

        make_margin_boxes.nutrigap_numbering = True
        layout.make_margin_boxes = make_margin_boxes


def join_pdfs(first: bytes, second: bytes) -> bytes:
    """The first part's pages, then the second's after its masthead page, with the first
    part's document information and the second part's bookmarks under the report title."""
    from pypdf import PdfReader, PdfWriter

    head, tail = PdfReader(io.BytesIO(first)), PdfReader(io.BytesIO(second))
    writer = PdfWriter()
    writer.append(head)
    pages_before = len(writer.pages)
    writer.append(tail, pages=list(range(1, len(tail.pages))), import_outline=False)
    # WeasyPrint makes the report title (h1) the one top-level bookmark, sections below it
    title = writer.get_outline_root().get("/First")
    _copy_bookmarks(writer, tail, tail.outline, title, pages_before)
    if head.metadata:
        writer.add_metadata(dict(head.metadata))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _copy_bookmarks(writer, reader, outline, parent, pages_before: int) -> None:
    """Add the second part's bookmarks that point past its masthead page; a bookmark on the
    masthead page (the report title again) is left out and its children move up."""
    last = parent
    for item in outline:
        if isinstance(item, list):
            _copy_bookmarks(writer, reader, item, last, pages_before)
            continue
        page = reader.get_destination_page_number(item)
        if page < 1:
            last = parent
            continue
        last = writer.add_outline_item(title=item.title, page_number=pages_before + page - 1,
                                       parent=parent)
