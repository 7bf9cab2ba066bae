"""The caseload overview of a batch as HTML or PDF (the dict comes from batch.summary)."""

from __future__ import annotations


def to_html(caseload: dict, *, paper: str = "a4") -> str:
    """The caseload overview as one self-contained HTML page."""
    from nutrigap.reports.templating import make_environment

    template = make_environment().get_template("caseload.html")
    # base.html reads the tool and date from `report`; the overview has no single report
    page = {"tool": {"name": "nutrigap", "version": _version()},
            "generated": caseload["generated"][:10]}  # a date, as in a client's report
    return template.render(caseload=caseload, report=page, paper=paper.lower())


def to_pdf(caseload: dict, *, paper: str = "a4") -> bytes:
    """The caseload overview as a PDF on A4 or US Letter paper."""
    from nutrigap.reports.pdf import html_to_pdf

    return html_to_pdf(to_html(caseload, paper=paper), paper)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nutrigap")
    except PackageNotFoundError:
        return "unreleased"
