"""Thin renderers of the report dict: JSON, a per-day CSV, HTML and PDF."""

from __future__ import annotations

import json
import os
from pathlib import Path

from nutrigap.analyzer.errors import NutrigapError
from nutrigap.analyzer.statuses import MEETS
from nutrigap.atomic import CannotWrite, check_outputs, describe_os_error, write_atomic
from nutrigap.csv_out import csv_text


class BadTemplate(NutrigapError):
    """A clinic template that cannot be used to draw the report."""


def to_json(report: dict) -> str:
    """The report as indented JSON (UTF-8 text; unknown amounts are null)."""
    return json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def day_columns(report: dict) -> list[str]:
    """The columns of the per-day CSV, in order."""
    keys = [n["key"] for n in report["nutrients"]]
    supplements = [f"{k}_supplements" for k in keys if k != "energy_kcal"]
    return ["date", *keys, *supplements, "item_count", "incomplete", "left_out", "half_logged"]


def to_csv(report: dict) -> str:
    """One row per logged day: totals, the supplement part of each, incomplete nutrients,
    whether the day is left out of the averages (no food on it could be counted, or
    half-logged) and whether it is half-logged."""
    columns = day_columns(report)
    rows = []
    for day in report["days"]:
        row = []
        for column in columns:
            value = day.get(column)
            if column == "incomplete":
                value = ";".join(value or [])
            elif column in ("left_out", "half_logged"):
                value = "yes" if value else ""
            row.append(value)
        rows.append(row)
    return csv_text(columns, rows)


ITEM_COLUMNS = ["row", "date", "meal", "food", "kind", "amount", "grams", "portion", "food_id",
                "matched_to", "match", "values_from", "filled", "note"]


def item_columns(report: dict) -> list[str]:
    """The columns of the items CSV, in order."""
    return [*ITEM_COLUMNS, *(n["key"] for n in report["nutrients"])]


def items_csv(report: dict) -> str:
    """One row per logged item: its weight, the portion that weighed it, the food it was
    matched to, where its values came from (and which were filled from the food table), why
    any is unknown, and its amounts (nutrigap.csv_out makes every cell safe to open)."""
    rows = []
    for item in report["items"]:
        row = [item.get(c) for c in ITEM_COLUMNS]
        row[ITEM_COLUMNS.index("filled")] = ";".join(item["filled"])
        rows.append(row + [item["amounts"].get(n["key"]) for n in report["nutrients"]])
    return csv_text(item_columns(report), rows)


def to_html(report: dict, *, template_dir: str | Path | None = None, logo: str | None = None,
            paper: str = "a4", medium: str = "html") -> str:
    """The report as one self-contained HTML page (styles inline, logo as a data: URL).

    `medium` "pdf" draws the page to be printed: a long log's days by week or month, the
    foods grouped by name and the longest lists cut, where the HTML shows every day and
    every item (the printed report says so)."""
    import jinja2

    from nutrigap.reports.templating import make_environment

    env = make_environment(template_dir)
    try:
        template = env.get_template("report.html")
        return template.render(report=report, logo=logo, paper=paper.lower(), medium=medium)
    except jinja2.TemplateError as exc:
        raise _template_error(exc) from None
    except UnicodeDecodeError:
        raise BadTemplate("a template the report uses is not UTF-8 text; save the templates "
                          "in --template-dir as UTF-8") from None
    except Exception as exc:
        if template_dir is None:
            raise
        # a clinic template's own mistake, or what the sandbox refuses (a range too big)
        raise BadTemplate(f"template problem: {type(exc).__name__}: {exc}; check the templates "
                          "in --template-dir against docs/report-json.md (what a clinic "
                          "template may use)") from None


def check_templates(template_dir: str | Path | None) -> None:
    """Compile the report templates, so a broken clinic template stops before the analysis."""
    import jinja2

    from nutrigap.reports.templating import make_environment

    if template_dir is not None:
        check_template_folder(Path(template_dir))
    env = make_environment(template_dir)
    name = ""
    try:
        for name in env.list_templates(filter_func=lambda n: n.endswith((".html", ".css"))):
            env.get_template(name)
    except jinja2.TemplateError as exc:
        raise _template_error(exc) from None
    except UnicodeDecodeError:
        raise BadTemplate(f"template {name} is not UTF-8 text; save it as UTF-8, or leave it "
                          "out of --template-dir to use the built-in one") from None


def check_template_folder(folder: Path) -> None:
    """Refuse a template folder that is not a folder of a few templates (`/`, a home folder)
    before Jinja walks all of it, and template files too large to be templates."""
    from nutrigap.analyzer.limits import MAX_TEMPLATE_BYTES, MAX_TEMPLATE_ENTRIES

    seen = 0
    folders = [folder]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except OSError:
            continue  # Jinja skips what it cannot read too
        for entry in entries:
            seen += 1
            if seen > MAX_TEMPLATE_ENTRIES:
                raise BadTemplate(f"--template-dir {folder} holds more than "
                                  f"{MAX_TEMPLATE_ENTRIES:,} files and folders; give the folder "
                                  "that holds the clinic's templates alone")
            if entry.is_dir():
                folders.append(Path(entry.path))
            elif entry.name.endswith((".html", ".css")) and _size(entry) > MAX_TEMPLATE_BYTES:
                raise BadTemplate(f"template {entry.path} is larger than "
                                  f"{MAX_TEMPLATE_BYTES // 1024 ** 2} MB, too large to be a "
                                  "template; leave it out of --template-dir")


def _size(entry: os.DirEntry) -> int:
    try:
        return entry.stat().st_size
    except OSError:
        return 0


def _template_error(exc) -> BadTemplate:
    import jinja2

    message = str(exc.message or exc).rstrip(".")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return BadTemplate(f"template {exc.filename or exc.name}, line {exc.lineno}: "
                           f"{message}; fix the template or leave it out of --template-dir "
                           "to use the built-in one")
    return BadTemplate(f"template problem: {message}; check the templates in --template-dir "
                       "against docs/report-json.md (what a clinic template may use)")


def to_pdf(report: dict, *, paper: str = "a4", template_dir: str | Path | None = None,
           logo: str | None = None) -> bytes:
    """The report as a PDF on A4 or US Letter paper."""
    from nutrigap.reports.pdf import html_to_pdf, page_css

    page_css(paper)  # refuse an unknown paper size before the slow part
    return html_to_pdf(to_html(report, template_dir=template_dir, logo=logo, paper=paper,
                               medium="pdf"), paper)


def summary_lines(report: dict) -> list[str]:
    """Three lines for a terminal: the period, the gaps, and what else needs a look."""
    from nutrigap.reports.templating import percent, period_text

    period = report["period"]
    days = period["days_logged"]
    line1 = f"{days} day{'s' if days != 1 else ''} logged ({period_text(period)})"
    left_out = period.get("days_left_out") or []
    half = set(period.get("days_half_logged") or []) & set(left_out)
    empty = [d for d in left_out if d not in half]
    if left_out:
        parts = []
        if empty:
            parts.append(f"{_dates(empty)} left out of the averages: no food on "
                         f"{'it' if len(empty) == 1 else 'them'} could be counted")
        if half:
            parts.append(f"{len(half)} half-logged day{'s' if len(half) != 1 else ''} left out "
                         "of the averages (--keep-all-days keeps them)")
        line1 = f"{days + len(left_out)} days logged ({period_text(period)}); " + "; ".join(
            parts)
    names = {n["key"]: n["name"] for n in report["nutrients"]}
    short, met = [], []
    for key, status in report["statuses"].items():
        if status.get("target") is None:
            continue
        text = f"{names[key]} {percent(status['percent_of_target'])}"
        if status["incomplete"] and status["known_status"] != MEETS:
            text += "?"  # unknown amounts could still lift it
        (met if status["known_status"] == MEETS else short).append(text)
    usual = [w for w in report["warnings"] if w.get("on_average")]
    line2 = ("Below target: " + ", ".join(short)) if short else "All targets met on average"
    if met:
        line2 += "; meets: " + ", ".join(met)
    extra = []
    if usual:
        extra.append("above the upper limit on average: " + ", ".join(w["name"] for w in usual))
    single = [w for w in report["warnings"] if not w.get("on_average")]
    if single:
        extra.append("over an upper limit on single days: "
                     + ", ".join(f"{w['name']} ({w['days_over']})" for w in single))
    checks = [n for n in report["notes"] if n["kind"] == "target"]
    if checks:
        extra.append(f"{len(checks)} target{'s' if len(checks) != 1 else ''} to check "
                     "(see the report)")
    clashes = sum(len(n["foods"]) for n in report["notes"] if n["kind"] == "diet_conflict")
    if clashes:
        extra.append(f"{clashes} food match{'es' if clashes != 1 else ''} to check against "
                     "the diet (see the report)")
    if any(n["kind"] == "b6_lower_limit" for n in report["notes"]):
        extra.append("vitamin B6 above the European upper level (see the report)")
    odd = [n for n in report["notes"] if n["kind"] == "implausible_day"]
    if odd:
        days_text = _dates([d for n in odd for d in n["dates"]])
        extra.append(f"check the amounts on {days_text} (over "
                     f"{_kcal_limit():,.0f} kcal a day)")
    triggers = (report.get("triggers") or {}).get("nutrients", {})
    for t in triggers.values():
        if t["status"] in ("over", "over_some_days") and t["reference"]["kind"] == "limit":
            days = t["days_flagged"]
            extra.append(f"{t['name'].lower()} over its limit on {days} "
                         f"day{'s' if days != 1 else ''} (see the report)")
    problems = len(report["unmatched"]) + len(report["unconverted"])
    if problems:
        extra.append(f"{problems} item{'s' if problems != 1 else ''} not counted "
                     "(see the report)")
    questioned = len(report.get("questioned", []))
    if questioned:
        extra.append(f"{questioned} amount{'s' if questioned != 1 else ''} to check "
                     "(see the report)")
    unsure = [names[k] for k, status in report["statuses"].items() if status.get("incomplete")]
    if unsure:
        extra.append(f"some values unknown for {', '.join(unsure)} (totals marked ?)")
    line3 = "; ".join(extra) if extra else "No upper-limit warnings; every item was counted"
    return [line1, line2, line3]


def _dates(isos: list[str]) -> str:
    """'2 May' / '2 May and 3 May 2024' style list of dates."""
    from nutrigap.reports.templating import long_date

    return ", ".join(long_date(d) for d in isos)


def _kcal_limit() -> float:
    from nutrigap.analyzer.scoring import MAX_PLAUSIBLE_DAY_KCAL

    return MAX_PLAUSIBLE_DAY_KCAL


def write_reports(report: dict, *, pdf: str | Path | None = None, html: str | Path | None = None,
                  json: str | Path | None = None, csv: str | Path | None = None,
                  items: str | Path | None = None, paper: str = "a4",
                  template_dir: str | Path | None = None, logo: str | None = None,
                  two_processes: bool = False) -> list[Path]:
    """Write each asked-for format of the report; returns the paths written. `csv` is the
    per-day table, `items` the items table.

    `two_processes`: lay a long PDF out on two cores (reports.pdf_split), for a process that
    renders one report at a time.
    """
    check_outputs({"pdf": pdf, "html": html, "json": json, "csv": csv, "items": items})
    outputs = []
    if pdf:
        from nutrigap.reports.pdf import html_to_pdf

        page = to_html(report, template_dir=template_dir, logo=logo, paper=paper, medium="pdf")
        outputs.append((pdf, html_to_pdf(page, paper, two_processes=two_processes)))
    if html:
        page = to_html(report, template_dir=template_dir, logo=logo, paper=paper)
        outputs.append((html, page.encode("utf-8")))
    if json:
        outputs.append((json, to_json(report).encode("utf-8")))
    if csv:
        outputs.append((csv, to_csv(report).encode("utf-8")))
    if items:
        outputs.append((items, items_csv(report).encode("utf-8")))
    for path, data in outputs:
        write_bytes(path, data)
    return [Path(path) for path, _ in outputs]


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write a file whole (nutrigap.atomic), creating its folder."""
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise CannotWrite(f"cannot write {path} ({describe_os_error(exc)}); choose a folder "
                          "you can write to") from None
