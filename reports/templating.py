"""The Jinja environment the HTML and PDF reports are drawn with, and its filters.

Templates are looked up first in a clinic's own folder (``--template-dir``), then in the
built-in ``reports/templates``. The built-in templates can also be named with a ``default/``
prefix, so a clinic's ``report.html`` may start with ``{% extends "default/report.html" %}``
and replace only the blocks it wants to change.

A clinic's templates are drawn in Jinja's sandbox: they see the report dict, the filters and
functions below and Jinja's own, and nothing of Python itself (no attribute starting with an
underscore, so no way from an object to its module, ``os`` or ``open``). docs/templates.md
says what a clinic template may use.
"""

from __future__ import annotations

import functools
import math
from datetime import date
from pathlib import Path

import jinja2
import jinja2.sandbox

from nutrigap.analyzer import statuses as st
from nutrigap.analyzer.dates import MONTHS, day_month_year
from nutrigap.reports import charts, periods

TEMPLATES = Path(__file__).resolve().parent / "templates"

# How each status reads in colour, in grey print (the symbol and the bar pattern) and in words.
STATUSES = {
    st.MEETS: {"symbol": "✓", "css": "meets", "pattern": "solid"},
    st.WITHIN_UL: {"symbol": "✓", "css": "meets", "pattern": "solid"},
    st.BELOW: {"symbol": "▽", "css": "below", "pattern": "hatch"},
    st.WELL_BELOW: {"symbol": "▼", "css": "well-below", "pattern": "dots"},
    st.ABOVE_UL: {"symbol": "▲", "css": "above", "pattern": "cross"},
    st.NO_DATA: {"symbol": "–", "css": "incomplete", "pattern": "hatch"},
}

_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, digits: int | None = None) -> str:
    """A nutrient amount as a person would write it: 1,234 / 255 / 4.2 / 0.35; '–' if unknown."""
    if _missing(value):
        return "–"
    value = float(value)
    if digits is None:
        size = abs(value)
        digits = 0 if size >= 100 or value == 0 else 1 if size >= 1 else 2
    text = f"{value:,.{digits}f}"
    return "0" if text.strip("-0.,") == "" else text


def amount(value, unit: str) -> str:
    """'255 mg'; '–' when unknown."""
    return "–" if _missing(value) else f"{number(value)} {unit}"


def shown(value, unit: dict) -> str:
    """An amount in the unit a trigger is shown in (`{"unit", "per"}` of the report):
    '359 mg', '2.0 drinks', '1.6 L'; '–' when unknown."""
    if _missing(value):
        return "–"
    amount_in = float(value) / float(unit["per"])
    if unit["unit"] == "drinks":
        return f"{amount_in:.1f} drink{'' if round(amount_in, 1) == 1 else 's'}"
    if unit["unit"] == "L":
        return f"{number(amount_in, 1 if amount_in >= 0.95 else 2)} L"
    return f"{number(amount_in)} {unit['unit']}"


def percent(value) -> str:
    """'80%'; '–' when there is no target to compare with; 'over 10×' from 1000 %, where the
    digits say nothing more. A figure just under a band edge keeps a decimal rather than
    rounding up into it: 99.5 -> '99.5%', never '100%', since a '100%' next to "Below target"
    reads as a contradiction (the bands are those of analyzer.statuses)."""
    if _missing(value):
        return "–"
    value = float(value)
    if value >= 1000:
        return "over 10×"
    for edge in (*st.BANDS, 1000):
        if value < edge <= round(value):
            return f"{math.floor(value * 10) / 10:.1f}%"
    return f"{value:.0f}%"


_FRACTIONS = {0.25: "¼", 0.5: "½", 0.75: "¾"}


def servings(value) -> str:
    """A count of servings with kitchen fractions: 0.5 -> '½', 1.5 -> '1½', 2.0 -> '2'."""
    if _missing(value):
        return "–"
    whole, part = divmod(round(float(value) * 4) / 4, 1)
    if part == 0:
        return f"{whole:.0f}"
    return f"{whole:.0f}{_FRACTIONS[part]}" if whole else _FRACTIONS[part]


def long_date(iso: str | None) -> str:
    """'2024-05-06' -> '6 May 2024'."""
    if not iso:
        return "–"
    return day_month_year(date.fromisoformat(str(iso)[:10]))


def short_date(iso: str) -> str:
    """'2024-05-06' -> 'Mon 6 May'."""
    d = date.fromisoformat(str(iso)[:10])
    return f"{_WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1][:3]}"


def period_text(period: dict) -> str:
    """'6–12 May 2024' style span of the logged dates."""
    first, last = period.get("first"), period.get("last")
    if not first:
        return "no dates"
    a, b = date.fromisoformat(first[:10]), date.fromisoformat(last[:10])
    if a == b:
        return long_date(first)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {MONTHS[b.month - 1]} {b.year}"
    if a.year == b.year:
        return f"{a.day} {MONTHS[a.month - 1]} – {long_date(last)}"
    return f"{long_date(first)} – {long_date(last)}"


def status_style(status: str) -> dict:
    """Symbol, CSS class and bar pattern of a status word."""
    return STATUSES.get(status, STATUSES[st.NO_DATA])


def day_level(value, target) -> str:
    """CSS level of one day's amount against the target (same bands as the statuses)."""
    if _missing(value) or _missing(target) or not target:
        return "none"
    return STATUSES[st.band(float(value) / float(target) * 100.0)]["css"]


def same_problem(items: list[dict]) -> list[dict]:
    """Items with the same food and reason as one entry listing all their rows and amounts."""
    groups: dict[tuple, dict] = {}
    for item in items:
        key = (item["food"], item["reason"])
        group = groups.setdefault(key, {**item, "rows": [], "amounts": []})
        group["rows"].append(item["row"])
        if item["amount"] not in group["amounts"]:
            group["amounts"].append(item["amount"])
    return list(groups.values())


def some(values: list, shown: int) -> str:
    """The first `shown` values joined by commas, and how many more: '2, 5, 9 and 14 more'."""
    text = ", ".join(str(v) for v in values[:shown])
    return text + (f" and {len(values) - shown} more" if len(values) > shown else "")


def make_environment(template_dir: str | Path | None = None) -> jinja2.Environment:
    """A Jinja environment with autoescaping on and a clinic's templates, if any, first (and
    then sandboxed: a template from outside the package cannot reach Python).

    Environments are kept per folder: compiling the templates costs ten times more than
    drawing a report with them, and Jinja still notices a template file that changed.
    """
    return _environment(None if template_dir is None else str(Path(template_dir).resolve()))


@functools.lru_cache(maxsize=16)
def _environment(template_dir: str | None) -> jinja2.Environment:
    default = jinja2.FileSystemLoader(str(TEMPLATES))
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(template_dir)))
    loaders += [jinja2.PrefixLoader({"default": default}), default]
    kind = jinja2.Environment if template_dir is None else jinja2.sandbox.SandboxedEnvironment
    env = kind(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,  # every template, whatever its extension: food names come from users
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(number=number, amount=amount, percent=percent, long_date=long_date,
                       servings=servings, same_problem=same_problem, some=some, shown=shown,
                       short_date=short_date, period_text=period_text)
    env.globals.update(status_style=status_style, day_level=day_level,
                       bar_geometry=charts.bar_geometry, day_marks=charts.day_marks,
                       day_strip=charts.day_strip, label_anchor=charts.label_anchor,
                       period_rows=periods.period_rows, by_day=periods.by_day,
                       medium="html")
    return env
