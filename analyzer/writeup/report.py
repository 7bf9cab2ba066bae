"""The report as one plain dictionary (lists, dicts, str, float, None), ready for JSON.

Every output (PDF, HTML, JSON, CSV) is drawn from this one dictionary; its keys are stable and
described in docs/report-json.md. Amounts are rounded for reading but never invented: an amount
nobody knows is None, never 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nutrigap.analyzer import statuses as st
from nutrigap.analyzer.logs import LogInfo
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS, NUTRIENTS
from nutrigap.analyzer.options import Options
from nutrigap.analyzer.scoring import Profile, Triggers
from nutrigap.analyzer.scoring.scores import counted_days
from nutrigap.analyzer.writeup.text import (
    DISCLAIMER,
    methods,
    nutrient_info,
    source_titles,
    sources,
)
from nutrigap.analyzer.writeup.triggers import trigger_section

SCHEMA = "nutrigap-report/1"


@dataclass(frozen=True, eq=False)  # its tables are compared by identity
class Analysis:
    """What the stages made of one log, as the write-up takes it."""

    profile: Profile
    info: LogInfo
    items: pd.DataFrame  # with grams resolved (portions)
    matches: pd.DataFrame
    intake: pd.DataFrame
    targets: pd.DataFrame
    daily: pd.DataFrame
    status: pd.DataFrame
    warnings: pd.DataFrame  # days over an upper limit
    contributors: pd.DataFrame
    missing: pd.DataFrame  # the items behind each unknown amount
    suggestions: dict
    plan: dict
    short_log: list[str]  # notes on a log too short to judge
    food_sources: frozenset[str] = frozenset()  # `source` of every food the log used
    #: `{kind, message}` and optionally `nutrients`, `foods`, `dates`: first in the notes
    extra_notes: tuple[dict, ...] = ()
    triggers: Triggers | None = None  # caffeine, alcohol, water and sodium; never scored
    #: servings heavier than their kind of food usually weighs (portions.questioned_weights)
    questioned: pd.DataFrame | None = None


def build_report(analysis: Analysis, options: Options) -> dict:
    """The report dictionary from the stages' outputs and the report's options."""
    a = analysis
    statuses = _statuses(a.status)
    triggers = trigger_section(a.triggers) if a.triggers is not None else None
    averages = _averages(a.daily)
    if triggers:  # over the days each is known on, never counting an unknown day as 0
        averages.update({k: t["average"] for k, t in triggers["nutrients"].items()})
    return _finite({
        "schema": SCHEMA,
        "tool": {"name": "nutrigap", "version": options.version},
        "generated": options.generated.isoformat(),
        "profile": _profile(a.profile, a.targets, options.diet, options.exclude),
        "log": _log(a.info, a.items, options.log_name),
        "period": _period(a.daily),
        "nutrients": [{"key": k, "name": NUTRIENTS.at[k, "name"], "unit": NUTRIENTS.at[k, "unit"],
                       "role": NUTRIENTS.at[k, "role"]} for k in NUTRIENT_KEYS],
        "days": _days(a.daily),
        "averages": averages,
        "targets": _targets(a.targets),
        "statuses": statuses,
        "contributions": _contributions(a.contributors),
        "suggestions": _suggestions(a.suggestions),
        "plan": _plan(a.plan, statuses),
        "unmatched": _unmatched(a.intake, a.matches),
        "unconverted": _unconverted(a.intake),
        "amounts_read": _amounts_read(a.intake),
        "estimates": _estimates(a.intake),
        "questioned": _questioned(a.questioned),
        "matches": _matches(a.matches, a.items),
        "warnings": _warnings(a.warnings),
        "triggers": triggers,
        "notes": (_target_notes(a.targets)
                  + _notes(a.info, a.short_log, a.status, a.missing, a.extra_notes)
                  + _amount_notes(a.intake, a.questioned)),
        "nutrient_info": nutrient_info(),
        "methods": methods(a.info, a.matches, a.targets, a.food_sources),
        "sources": sources(a.targets, a.info, a.food_sources, a.plan.get("sources", ())),
        "disclaimer": {**DISCLAIMER, "see_a_professional": list(DISCLAIMER["see_a_professional"])},
    })


# --- small helpers ----------------------------------------------------------------------------

def _num(value, digits: int = 3) -> float | None:
    """A JSON number: NaN and None become None; numpy scalars become floats."""
    if value is None or (isinstance(value, float | np.floating) and math.isnan(value)):
        return None
    if value is pd.NA:
        return None
    return round(float(value), digits)


def _finite(report: dict) -> dict:
    """The report, checked to hold no infinite or NaN number: the readers keep every number
    within its range (analyzer/limits.py), so one here is a bug, never something to draw."""
    stack: list[tuple[str, object]] = [("report", report)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{where}.{k}", v) for k, v in value.items())
        elif isinstance(value, list | tuple):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(value))
        elif isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{where} is {value}: a report holds finite numbers only")
    return report


def _percent(value) -> float | None:
    """A % of target to one decimal, cut rather than rounded up to a status edge (50, 100):
    99.96 -> 99.9, so the figure never says 100 beside "below"."""
    pct = _num(value, 1)
    if pct is not None:
        for edge in st.BANDS:
            if float(value) < edge <= pct:
                return math.floor(float(value) * 10) / 10
    return pct


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


# --- sections ---------------------------------------------------------------------------------

def _profile(profile, targets: pd.DataFrame, diet, exclude) -> dict:
    stage = "pregnant" if profile.pregnant else "lactating" if profile.lactating else "none"
    age = float(profile.age)
    return {"age": int(age) if age.is_integer() else age, "sex": profile.sex,
            "life_stage": stage, "weight_kg": _num(profile.weight_kg, 1),
            "group": str(targets["group"].iloc[0]),
            "diet": list(diet), "exclude": list(exclude)}


def _log(info, items: pd.DataFrame, log_name: str) -> dict:
    return {"name": log_name, "format": info.format, "format_title": info.title,
            "rows_read": int(info.rows_read), "rows_skipped": int(info.rows_skipped),
            "skipped_rows": [int(r) for r in info.skipped_rows], "items": int(len(items)),
            "supplement_items": int(items["kind"].eq("supplement").sum())}


def _period(daily: pd.DataFrame) -> dict:
    # days_logged counts the days the averages are over; a day on which no food could be
    # counted is listed in days_left_out instead
    if not len(daily):
        return {"first": None, "last": None, "days_logged": 0, "days_left_out": []}
    kept = counted_days(daily)
    return {"first": daily.index.min().date().isoformat(),
            "last": daily.index.max().date().isoformat(), "days_logged": int(len(kept)),
            "days_left_out": [d.date().isoformat() for d in daily.index.difference(kept.index)]}


def _days(daily: pd.DataFrame) -> list[dict]:
    rows = []
    for when, day in daily.iterrows():
        row = {"date": when.date().isoformat()}
        row.update({k: _num(day[k]) for k in NUTRIENT_KEYS})
        row.update({f"{k}_supplements": _num(day[f"{k}_supplement"])
                    for k in NUTRIENT_KEYS if k != "energy_kcal"})
        row["item_count"] = int(day["items"])
        row["incomplete"] = [k for k in NUTRIENT_KEYS if bool(day[f"{k}_incomplete"])]
        row["left_out"] = bool(day.get("left_out", False))
        rows.append(row)
    return rows


def _averages(daily: pd.DataFrame) -> dict:
    # known amounts over the counted days, as the scoring does: a floor when some are unknown
    daily = counted_days(daily)
    if not len(daily):
        return dict.fromkeys(NUTRIENT_KEYS)
    return {k: _num(daily[k].sum() / len(daily)) if daily[k].notna().any() else None
            for k in NUTRIENT_KEYS}


def _targets(targets: pd.DataFrame) -> dict:
    out = {}
    for key, t in targets.iterrows():
        kind = _text(t["target_kind"])
        out[key] = {"target": _num(t["target"]), "kind": None if kind in ("", "none") else kind,
                    "ul": _num(t["ul"]), "ul_applies_to": _text(t["ul_applies_to"]) or "none",
                    "overridden": bool(t["overridden"]), "dri_target": _num(t["dri_target"]),
                    "dri_ul": _num(t["dri_ul"]), "source": _text(t["source"]),
                    "note": _text(t["note"]), "warning": _text(t.get("warning", ""))}
    return out


def _statuses(status: pd.DataFrame) -> dict:
    out = {}
    for key, s in status.iterrows():
        code, known_code = s["status"], s["known_status"]
        target, average = _num(s["target"]), _num(s["average"])
        gap = None
        if target is not None and average is not None:
            gap = round(max(target - average, 0.0), 3)
        out[key] = {
            "average": average, "average_food": _num(s["average_food"]),
            "average_supplements": _num(s["average_supplement"]),
            "target": target, "percent_of_target": _percent(s["pct_of_target"]), "gap": gap,
            "days_met": _int(s["days_met"]), "days_over": int(s["days_above_ul"]),
            "days_logged": int(s["days_logged"]), "highest_ul_intake": _num(s["max_ul_intake"]),
            "status": code, "label": st.LABELS[code], "known_status": known_code,
            "known_label": st.LABELS[known_code], "incomplete": bool(s["incomplete"]),
            "unknown_items": int(s["unknown_items"]),
            "incomplete_reason": _text(s["incomplete_reason"]),
        }
    return out


def _contributions(contributors: pd.DataFrame) -> dict:
    out: dict[str, list] = {}
    for c in contributors.itertuples(index=False):
        out.setdefault(c.nutrient, []).append(
            {"food": str(c.food), "kind": c.kind, "amount": _num(c.amount),
             "share": _num(c.share_pct, 1), "item_count": int(c.items)})
    return out


def _suggestions(suggestions: dict) -> dict:
    out = {}
    for key, rows in suggestions.items():
        others = [k for k in NUTRIENT_KEYS if f"share_{k}" in rows.columns]
        out[key] = [{
            "food_id": str(r["food_id"]), "food": str(r["name"]), "serving": str(r["serving"]),
            "grams": _num(r["grams"], 1), "kcal": _num(r["kcal"], 1),
            "adds": {k: _num(r[k]) for k in others},
            "gap_share": _num(r["share_of_gap"] * 100, 1),
            "per_100kcal": _num(r["per_100_kcal"]),
            "fortified": bool(r["fortified"]),
            "yours": bool(r.get("own", False)),
            "helps_also": [k for k in others if k != key and r[f"share_{k}"] >= 0.05],
            "text": str(r["text"]),
        } for _, r in rows.iterrows()]
    return out


def _plan(plan: dict, statuses: dict) -> dict:
    needed = any(s["status"] in st.SHORT or s["known_status"] in st.SHORT
                 for s in statuses.values() if s["target"] is not None)
    additions = [{
        "food_id": a["food_id"], "food": a["name"], "servings": a["servings"],
        "serving": a["serving"], "grams": a["grams"], "text": a["text"],
        "adds": {**{k: _num(v) for k, v in a["nutrients"].items()},
                 "energy_kcal": _num(a["kcal"])},
        "not_counted": {k: _num(v) for k, v in a.get("not_counted", {}).items()},
        "fortified": a["fortified"], "yours": bool(a.get("own", False))}
        for a in plan["additions"]]
    titles = source_titles()
    return {
        "needed": needed, "feasible": not plan["unmet"], "additions": additions,
        "added_energy_kcal": _num(plan["added_kcal"], 1),
        "totals_after": {k: _num(t["after"]) for k, t in plan["totals"].items()},
        "met_after": dict(plan["met"]),
        "unmet": [{"nutrient": u["nutrient"], "short_by": _num(u["short_by"]),
                   "most_from_food": _num(u["most_from_food"]), "reason": u["reason"],
                   "message": u["explanation"]} for u in plan["unmet"]],
        "notes": list(plan["notes"]),
        "guidance": [{"nutrient": g["nutrient"], "note": g["note"],
                      "name": _in_sentence(NUTRIENTS.at[g["nutrient"], "name"]),
                      "points": [{"text": p["text"], "source": titles.get(p["source"], "")}
                                 for p in g["points"]]}
                     for g in plan.get("guidance", [])],
    }


def _in_sentence(name: str) -> str:
    """'Vitamin D' -> 'vitamin D', as it reads inside a sentence."""
    return name[:1].lower() + name[1:]


def _candidates(value) -> list[dict]:
    if not isinstance(value, list):
        return []
    return [{"food_id": str(c["food_id"]), "name": str(c["name"]), "score": _num(c["score"], 1)}
            for c in value]


def _unmatched(intake: pd.DataFrame, matches: pd.DataFrame) -> list[dict]:
    by_name = matches.drop_duplicates("name").set_index("name")
    rows = intake[intake["value_source"].eq("unmatched")]
    chosen = set(by_name.index[by_name["method"].eq("correction")])  # food_id none
    return [{"row": int(r["row"]), "date": r["date"].date().isoformat(), "food": str(r["food"]),
             "amount": _text(r["amount_text"]),
             "reason": ("left unmatched by your corrections file (food_id none)"
                        if r["food"] in chosen
                        else "no food in the food table is close enough to this name"),
             "candidates": _candidates(by_name["candidates"].get(r["food"]))}
            for _, r in rows.iterrows()]


def _unconverted(intake: pd.DataFrame) -> list[dict]:
    rows = intake[intake["value_source"].eq("unconverted")]
    return [{"row": int(r["row"]), "date": r["date"].date().isoformat(), "food": str(r["food"]),
             "amount": _text(r["amount_text"]), "food_id": _text(r["food_id"]) or None,
             "food_name": _text(r["food_name"]) or None,
             "reason": _text(r["conversion_problem"]) or "the amount could not be weighed"}
            for _, r in rows.iterrows()]


def _amounts_read(intake: pd.DataFrame) -> list[dict]:
    """The items whose amount was read from the food cell ("2 eggs scrambled")."""
    written = intake.get("food_written", pd.Series("", index=intake.index)).fillna("")
    rows = intake[written.ne("")]
    return [{"row": int(r["row"]), "date": r["date"].date().isoformat(),
             "written": str(r["food_written"]), "food": str(r["food"]),
             "amount": _text(r["amount_text"])} for _, r in rows.iterrows()]


def _estimates(intake: pd.DataFrame) -> list[dict]:
    """The items weighed by an estimate for a vague measure (a handful, a glass)."""
    flagged = intake.get("estimated", pd.Series(False, index=intake.index))
    rows = intake[flagged.fillna(False).astype(bool) & intake["grams"].notna()]
    return [{"row": int(r["row"]), "date": r["date"].date().isoformat(), "food": str(r["food"]),
             "amount": _text(r["amount_text"]), "grams": _num(r["grams"], 1),
             "food_name": _text(r["food_name"]) or None, "basis": _text(r["portion_used"])}
            for _, r in rows.iterrows()]


def _questioned(questioned: pd.DataFrame | None) -> list[dict]:
    """Servings heavier than their kind of food usually weighs; the figures are kept."""
    if questioned is None:
        return []
    return [{"row": int(q.row), "date": q.date.date().isoformat(), "food": str(q.food),
             "food_name": _text(q.food_name) or None, "amount": _text(q.amount),
             "grams": _num(q.grams, 1), "serving_grams": _num(q.serving_grams, 1),
             "bound_grams": _num(q.bound_grams, 1), "kind": str(q.kind),
             "reason": str(q.reason)}
            for q in questioned.itertuples(index=False)]


def _amount_notes(intake: pd.DataFrame, questioned: pd.DataFrame | None) -> list[dict]:
    """Notes saying which amounts were read from a food's name, which were estimated, and
    which weights are questioned."""
    out = []
    read = _amounts_read(intake)
    if read:
        shown = "; ".join(f'row {r["row"]}: "{r["written"]}" as {r["amount"]} of '
                          f'"{r["food"]}"' for r in read[:_SHOWN])
        out.append(_note("amount_in_name",
                         f"{_count(len(read), 'amount was', 'amounts were')} read from the food's "
                         f"name, amount and unit being empty ({shown}"
                         f"{_more(len(read))}); write them in the amount and unit columns to "
                         "be sure they are read as meant", [r["food"] for r in read]))
    estimated = _estimates(intake)
    if estimated:
        shown = "; ".join(f'row {r["row"]}: {r["amount"]} of {r["food"]} taken as '
                          f'{r["grams"]:.0f} g' for r in estimated[:_SHOWN])
        out.append(_note("estimate",
                         f"{_count(len(estimated), 'amount is', 'amounts are')} an estimate for "
                         f"a measure of no fixed size ({shown}{_more(len(estimated))}); weigh "
                         "or measure them once to know", [r["food"] for r in estimated]))
    for q in _questioned(questioned):
        out.append(_note("questioned", f'Row {q["row"]}, {q["food"]} ({q["amount"]}): '
                                       f'{q["reason"]}. The figures count it as written.',
                         [q["food"]]))
    return out


_SHOWN = 5


def _note(kind: str, message: str, foods: list[str]) -> dict:
    return {"kind": kind, "message": _sentence(message), "summary": "", "nutrients": [],
            "foods": list(dict.fromkeys(foods)), "dates": []}


def _count(n: int, one: str, several: str) -> str:
    return f"1 {one}" if n == 1 else f"{n} {several}"


def _more(n: int) -> str:
    return f" and {n - _SHOWN} more" if n > _SHOWN else ""


def _matches(matches: pd.DataFrame, items: pd.DataFrame) -> list[dict]:
    counts = items.loc[items["kind"].eq("food"), "food"].value_counts()
    return [{"name": str(m["name"]), "food_id": _text(m["food_id"]) or None,
             "food": _text(m["food_name"]) or None, "method": m["method"],
             "confidence": _num(m["confidence"], 1), "item_count": int(counts.get(m["name"], 0)),
             "candidates": _candidates(m["candidates"])}
            for _, m in matches.iterrows()]


def _warnings(warnings: pd.DataFrame) -> list[dict]:
    return [{"nutrient": w["nutrient"], "name": w["name"], "unit": w["unit"], "ul": _num(w["ul"]),
             "applies_to": w["ul_applies_to"], "source": w["source"], "days_over": int(w["days"]),
             "dates": list(w["dates"]), "highest": _num(w["max_amount"]),
             "highest_supplements": _num(w["max_supplement"]), "message": w["message"]}
            for _, w in warnings.iterrows()]


_CAUSES = [("unmatched", "not matched to a food"),
           ("unconverted", "with an amount that could not be weighed"),
           ("no value", "with no value in the food data"),
           ("not logged", "supplements that give no amount")]


def _notes(info, short_log: list[str], status: pd.DataFrame, missing: pd.DataFrame,
           extra_notes=()) -> list[dict]:
    notes = [{"kind": n["kind"], "message": n["message"], "summary": n.get("summary", ""),
              **{k: list(n.get(k, [])) for k in ("nutrients", "foods", "dates")}}
             for n in extra_notes]
    notes += [{"kind": "few_days", "message": m, "summary": "", "nutrients": [], "foods": [],
               "dates": []} for m in short_log]
    notes += [{"kind": "log", "message": _sentence(m), "summary": "", "nutrients": [],
               "foods": [], "dates": []} for m in info.notes]
    # nutrients whose unknown amounts come from the same items share one note
    groups: dict[tuple, list[str]] = {}
    for key in status.index[status["incomplete"].to_numpy(dtype=bool)]:
        rows = missing[missing["nutrient"] == key]
        groups.setdefault(tuple(zip(rows["row"], rows["cause"], strict=True)), []).append(key)
    for cases, keys in groups.items():
        rows = missing[(missing["nutrient"] == keys[0])]
        label = rows["food_name"].where(rows["food_name"].notna(), rows["food"]).astype(str)
        parts = []
        for cause, words in _CAUSES:
            names = list(dict.fromkeys(label[rows["cause"] == cause]))
            if names:
                shown = ", ".join(f"“{n}”" for n in names[:4]) + (
                    f" and {len(names) - 4} more" if len(names) > 4 else "")
                parts.append(f"{(rows['cause'] == cause).sum()} {words}: {shown}")
        which = _join([NUTRIENTS.at[k, "name"] for k in keys])
        count = len(cases)
        notes.append({
            "kind": "incomplete", "nutrients": keys, "foods": list(dict.fromkeys(label)),
            "dates": [], "summary": "",
            "message": f"{which} count{'s' if len(keys) == 1 else ''} only what is known: "
                       f"{count} item{'s' if count != 1 else ''} without an amount "
                       f"({'; '.join(parts)}). The true intake may be higher."})
    return notes


def _target_notes(targets: pd.DataFrame) -> list[dict]:
    """A dietitian's target that needs a second look (e.g. above an upper limit)."""
    if "warning" not in targets.columns:
        return []
    return [{"kind": "target", "message": str(t["warning"]), "summary": "", "nutrients": [key],
             "foods": [], "dates": []} for key, t in targets.iterrows() if t["warning"]]


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _sentence(text: str) -> str:
    text = str(text).strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
