"""A long log's days drawn by period for the PDF: one row per week (or month, or year), so the
printed report keeps its length whatever the log's. The HTML and the per-day CSV keep every
day."""

from __future__ import annotations

import math
from datetime import date, timedelta

from nutrigap.analyzer.dates import MONTHS

#: the most rows a period table has: a week a row up to 40 weeks, then a month a row
MAX_ROWS = 40
#: a log of up to this many days is printed day by day
DAY_ROWS = 31


def _known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def by_day(days: list[dict]) -> bool:
    """Whether the PDF prints one row per day."""
    return len(days) <= DAY_ROWS


def period_rows(days: list[dict], keys: list[str], targets: dict) -> dict:
    """The days grouped by week, month or year (the first that gives at most MAX_ROWS rows):
    `{"unit": "week"|"month"|"year", "rows": [...]}`, each row with its `label`, `days`
    (days counted), `left_out`, and per nutrient the average over the counted days it is
    known on and, where there is a target, the days met."""
    dated = [(date.fromisoformat(d["date"]), d) for d in days]
    for unit, start_of in (("week", _week), ("month", _month), ("year", _year)):
        groups: dict[date, list[dict]] = {}
        for when, day in dated:
            groups.setdefault(start_of(when), []).append(day)
        if len(groups) <= MAX_ROWS or unit == "year":
            break
    rows = []
    year = None
    for start, members in groups.items():
        counted = [d for d in members if not d.get("left_out")]
        label = _label(unit, start, members)
        ends = date.fromisoformat(members[-1]["date"]).year
        if unit == "week" and ends != year:  # the year, where a new one starts
            label += f" {ends}"
        year = ends
        row = {"label": label, "days": len(counted),
               "left_out": len(members) - len(counted), "averages": {}, "met": {},
               "known": {}}
        for key in keys:
            values = [d[key] for d in counted if _known(d.get(key))]
            row["averages"][key] = sum(values) / len(values) if values else None
            row["known"][key] = len(values)
            target = (targets.get(key) or {}).get("target")
            if target is not None:
                row["met"][key] = sum(v >= target for v in values)
        rows.append(row)
    return {"unit": unit, "rows": rows}


def _week(when: date) -> date:
    return when - timedelta(days=when.weekday())


def _month(when: date) -> date:
    return when.replace(day=1)


def _year(when: date) -> date:
    return when.replace(month=1, day=1)


def _label(unit: str, start: date, members: list[dict]) -> str:
    first = date.fromisoformat(members[0]["date"])
    last = date.fromisoformat(members[-1]["date"])
    if unit == "year":
        return str(start.year)
    if unit == "month":
        return f"{MONTHS[start.month - 1][:3]} {start.year}"
    if first == last:
        return f"{first.day} {MONTHS[first.month - 1][:3]}"
    if first.month == last.month:
        return f"{first.day}–{last.day} {MONTHS[last.month - 1][:3]}"
    return f"{first.day} {MONTHS[first.month - 1][:3]} – {last.day} {MONTHS[last.month - 1][:3]}"
