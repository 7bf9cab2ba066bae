"""The report's section on caffeine, alcohol, water and sodium, and its line for page 1.

Numbers stay numbers in the dictionary (rounded, None when unknown); the sentences are made
here once, so the PDF, HTML, terminal and caseload all say the same thing.
"""

from __future__ import annotations

import math

import pandas as pd

from nutrigap.analyzer.scoring import Triggers
from nutrigap.analyzer.scoring.triggers import (
    BELOW,
    LABELS,
    MEETS,
    NO_DATA,
    NOT_JUDGED,
    OVER,
    OVER_KINDS,
    SOME_DAYS_OVER,
    WITHIN,
    trigger_info,
)
from nutrigap.analyzer.writeup.text import source_titles

TITLE = "Other things in your diet linked with twitching"


def trigger_section(triggers: Triggers) -> dict:
    """The `triggers` key of the report (see docs/report-json.md)."""
    titles = source_titles()
    nutrients = {key: _one(key, triggers) for key in triggers.summary.index}
    keys = list(dict.fromkeys(k for ref in triggers.references["sources"] for k in ref))
    return {"title": TITLE, "line": page_one_line(nutrients), "nutrients": nutrients,
            "sources": [{"key": k, "title": titles.get(k, k)} for k in keys]}


def _one(key: str, triggers: Triggers) -> dict:
    ref = triggers.references.loc[key]
    row = triggers.summary.loc[key]
    flag = "over" if ref["kind"] in OVER_KINDS else "under"
    out = {
        "name": ref["name"], "unit": ref["unit"],
        "reference": {"kind": ref["kind"], "name": ref["reference"], "amount": _num(ref["amount"]),
                      "who": ref["who"], "per_kg": _num(ref["per_kg"]),
                      "judged": bool(ref["judged"]), "reason": ref["reason"],
                      "text": reference_text(ref), "sources": list(ref["sources"])},
        "shown": {"unit": ref["shown_unit"], "per": _num(ref["shown_per"])},
        "days": int(row["days"]), "days_known": int(row["days_known"]),
        "average": _num(row["average"]), "highest": _num(row["highest"]),
        "highest_date": _date(row["highest_date"]) if row["highest"] > 0 else None,
        "flag": flag, "days_flagged": int(row["days_flagged"]),
        "dates_flagged": [_date(d) for d in row["dates_flagged"]],
        "status": row["status"], "label": LABELS[row["status"]],
        "incomplete": bool(row["incomplete"]), "unknown_items": int(row["unknown_items"]),
        "unknown_note": _unknown_note(key, ref["name"], triggers.missing),
        "sources": _sources(triggers.contributors, key),
        "about": trigger_info().at[key, "about"],
    }
    out["text"] = _sentence(out, ref)
    return out


def reference_text(ref: pd.Series) -> str:
    """'up to 400 mg a day for healthy adults', 'none during pregnancy', '2.7 L a day for
    women', 'under 2,300 mg a day from age 14'."""
    if not ref["judged"]:
        return f"{_fmt(ref['per_kg'])} {ref['unit']} per kg of body weight a day {ref['who']}"
    amount = _limit(ref)
    if ref["kind"] == "limit":
        return (f"none {ref['who']}" if ref["amount"] == 0
                else f"up to {amount} a day {ref['who']}")
    if ref["kind"] == "cdrr":
        return f"under {amount} a day {ref['who']}"
    return f"{amount} a day {ref['who']}"


def _sentence(t: dict, ref: pd.Series) -> str:
    """One sentence on a trigger, as the section and the terminal give it."""
    name = t["name"]
    if t["status"] == NO_DATA:
        return f"{name}: no logged item gives an amount, so it is not known."
    average = _shown(t["average"], ref["shown_unit"], ref["shown_per"])
    known = _days(t["days_known"], t["days"])
    text = f"{name}: {average} a day on average ({known})"
    if t["status"] == NOT_JUDGED:
        return f"{text}; the limit cannot be judged: {ref['reason']}."
    if t["status"] == WITHIN and t["highest"] == 0:
        return f"{name}: none on any of the {t['days_known']} days with a known amount."
    if t["status"] in (OVER, SOME_DAYS_OVER, WITHIN):
        limit = "none" if ref["amount"] == 0 else _limit(ref)
        over = (f"any {name.lower()} on {_days(t['days_flagged'], t['days_known'])}"
                if ref["amount"] == 0
                else f"over {limit} on {_days(t['days_flagged'], t['days_known'])}")
        if t["status"] == OVER:
            return f"{text}, above the {ref['reference']} of {limit}; {over}."
        if t["status"] == SOME_DAYS_OVER:
            return f"{text}, within the {ref['reference']} of {limit} on average; {over}."
        if ref["amount"] == 0:
            return f"{text}; none on any day, as advised {ref['who']}."
        return f"{text}, within the {ref['reference']} of {limit} on every day."
    target = _limit(ref)
    if t["status"] == BELOW:
        return f"{text}, under the {ref['reference']} of {target}."
    return f"{text}, at or above the {ref['reference']} of {target}."


def page_one_line(nutrients: dict) -> str:
    """One line for page 1: what is over or under its reference, then what is within."""
    parts, within = [], []
    for t in nutrients.values():
        ref = t["reference"]
        lower = t["name"].lower()
        shown = (t["shown"]["unit"], t["shown"]["per"])
        limit = _shown(ref["amount"], *shown, exact=True) if ref["amount"] is not None else ""
        when = _days(t["days_flagged"], t["days_known"])
        if t["status"] in (OVER, SOME_DAYS_OVER):
            what = (f"{lower} on {when} ({ref['text']})" if ref["amount"] == 0
                    else f"{lower} over {limit} a day on {when}")
            if t["status"] == OVER:
                what += f", {_shown(t['average'], *shown)} on average"
            parts.append(what)
        elif t["status"] == BELOW:
            parts.append(f"{lower} {_shown(t['average'], *shown)} a day, under the {limit} "
                         f"{ref['name']} (plain water is often not logged)")
        elif t["status"] == NOT_JUDGED:
            parts.append(f"{lower} cannot be judged without a body weight")
        elif t["status"] == NO_DATA:
            parts.append(f"{lower} not known")
        elif t["status"] in (WITHIN, MEETS):
            within.append(lower)
    if within:
        parts.append(_join(within) + " within the amount" + ("s" if len(within) > 1 else "")
                     + " advised")
    return "; ".join(parts)[:1].upper() + "; ".join(parts)[1:] + "."


def _sources(contributors: pd.DataFrame, key: str) -> list[dict]:
    rows = contributors[contributors["nutrient"] == key]
    return [{"food": str(c.food), "kind": c.kind, "amount": _num(c.amount),
             "share": _num(c.share_pct, 1), "item_count": int(c.items)}
            for c in rows.itertuples(index=False)]


def _unknown_note(key: str, name: str, missing: pd.DataFrame) -> str:
    rows = missing[missing["nutrient"] == key]
    if rows.empty:
        return ""
    label = rows["food_name"].where(rows["food_name"].notna(), rows["food"]).astype(str)
    names = list(dict.fromkeys(label))
    # quoted: food names hold commas of their own
    shown = ", ".join(f"“{n}”" for n in names[:3]) + (f" and {len(names) - 3} more"
                                                      if len(names) > 3 else "")
    n = len(rows)
    return (f"{n} item{'s' if n != 1 else ''} without a known {name.lower()} amount "
            f"({shown}) {'is' if n == 1 else 'are'} not counted, so the true amount may be "
            "higher.")


def _limit(ref: pd.Series) -> str:
    return _shown(ref["amount"], ref["shown_unit"], ref["shown_per"], exact=True)


def _shown(value, unit: str, per: float, exact: bool = False) -> str:
    """An amount in the unit it is shown in: '359 mg', '2.0 drinks', '1.6 L'; `exact` for a
    reference amount, which drops a '.0' ('1 drink', '3 L')."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not known"
    shown = float(value) / float(per)
    if unit in ("drinks", "L"):
        text = f"{shown:.1f}"
        if exact and text.endswith(".0"):
            text = text[:-2]
        if unit == "L":
            return f"{text} L"
        return f"{text} drink{'' if text in ('1', '1.0') else 's'}"
    return f"{_fmt(round(shown))} {unit}" if shown >= 10 else f"{shown:.1f} {unit}"


def _days(n: int, of: int) -> str:
    return f"{n} of {of} day{'s' if of != 1 else ''}"


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _num(value, digits: int = 3) -> float | None:
    if value is None or pd.isna(value):
        return None
    return round(float(value), digits)


def _date(value) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()
