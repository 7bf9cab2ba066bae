"""Helpers for the report tests: a week's report built once, an HTML tree, PDF text."""

from __future__ import annotations

import functools
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
WEEK_LOG = DATA / "report_week.csv"
EXAMPLE_LOG = Path(__file__).resolve().parent.parent / "examples" / "example-log.csv"
REPORT_DATE = date(2024, 3, 11)
REPORT_VERSION = "0.1.0"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


def report_options(**choices):
    """Options dated REPORT_DATE and naming a fixed version, so reports compare across runs."""
    from nutrigap.analyzer.pipeline import Options

    return Options(generated=REPORT_DATE, version=REPORT_VERSION, **choices)


def analyze_text(text: str, table, profile: dict | None = None, *, corrections=None,
                 **choices) -> dict:
    """The report dict for a meal log given as text, against `table` and `corrections`."""
    import io

    from nutrigap.analyzer.logs import read_meal_log
    from nutrigap.analyzer.pipeline import Analyzer

    items, info = read_meal_log(io.BytesIO(text.encode()))
    return Analyzer(table, corrections).analyze(
        items, info, profile or {"age": 40, "sex": "female"}, report_options(**choices))


def analyze_log(path: Path, *, corrections=None, **choices) -> dict:
    """The report dict for a meal log file, against the built-in food table."""
    from nutrigap.analyzer.logs import read_meal_log
    from nutrigap.analyzer.pipeline import Analyzer
    from nutrigap.foods.embedded import load_embedded

    profile = choices.pop("profile", {"age": 34, "sex": "female"})
    with open(path, "rb") as fp:
        items, info = read_meal_log(fp)
    return Analyzer(load_embedded(), corrections).analyze(
        items, info, profile, report_options(log_name=path.name, **choices))


@functools.cache
def week_report() -> dict:
    """The report of tests/data/report_week.csv for a 34-year-old woman (built once)."""
    return analyze_log(WEEK_LOG)


@functools.cache
def week_html() -> str:
    from nutrigap.reports.render import to_html

    return to_html(week_report())


@functools.cache
def week_pdf(paper: str = "a4") -> bytes:
    from nutrigap.reports.render import to_pdf

    return to_pdf(week_report(), paper=paper)


class Element:
    """One HTML element: tag, attributes, children, and its text."""

    def __init__(self, tag: str, attrs: dict[str, str | None]):
        self.tag, self.attrs, self.children, self.parts = tag, attrs, [], []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        """All text inside, whitespace collapsed."""
        out = []
        for part in self.parts:
            out.append(part.text() if isinstance(part, Element) else part)
        return " ".join(" ".join(out).split())

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def select(self, tag: str | None = None, cls: str | None = None,
               id: str | None = None) -> list[Element]:
        """Descendants (and self) with this tag, class and id, in document order."""
        return [e for e in self.iter() if (tag is None or e.tag == tag)
                and (cls is None or cls in e.classes) and (id is None or e.attrs.get("id") == id)]

    def one(self, tag: str | None = None, cls: str | None = None, id: str | None = None):
        found = self.select(tag, cls, id)
        assert len(found) == 1, f"expected one {tag}.{cls}#{id}, found {len(found)}"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        self.stack[-1].parts.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        self.stack[-1].parts.append(element)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].parts.append(data)


def parse_html(html: str) -> Element:
    """The document as a tree of Elements (stdlib parser; closes tags it can match)."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def pdf_text(pdf: bytes, tmp_path: Path, layout: bool = False) -> str:
    """The text of a PDF as poppler's pdftotext reads it (skips when poppler is missing)."""
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed")
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    args = [exe, "-enc", "UTF-8", *(["-layout"] if layout else []), str(source), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[dict]:
    """Per page: its size in points (pdfinfo), e.g. [{'width': 595.28, 'height': 841.89}]."""
    exe = shutil.which("pdfinfo")
    if exe is None:
        pytest.skip("pdfinfo (Debian package poppler-utils) is not installed")
    source = tmp_path / "sizes.pdf"
    source.write_bytes(pdf)
    out = subprocess.run([exe, "-f", "1", "-l", "9999", str(source)], check=True,
                         capture_output=True, text=True).stdout
    pages = []
    for line in out.splitlines():
        if line.startswith("Page") and "size:" in line:
            size = line.split("size:")[1].split("pts")[0].split("x")
            pages.append({"width": float(size[0]), "height": float(size[1])})
    return pages
