"""The report as one plain dictionary (lists, dicts, str, float, None), ready for JSON.

Every output (PDF, HTML, JSON, CSV) is drawn from this one dictionary; its keys are stable and
described in docs/report-json.md. Amounts are rounded for reading but never invented: an amount
nobody knows is None, never 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from nutrigap.analyzer import statuses as st
from nutrigap.analyzer.logs import LogInfo
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS, NUTRIENTS
from nutrigap.analyzer.options import Options
from nutrigap.analyzer.scoring import Profile, Triggers
from nutrigap.analyzer.scoring.scores import counted_days, counted_intake
from nutrigap.analyzer.writeup.items import (
    counting,
    food_groups,
    items_list,
    not_scored,
)
from nutrigap.analyzer.writeup.numbers import integer, num, percent, text
from nutrigap.analyzer.writeup.text import (
    DISCLAIMER,
    methods,
    nutrient_info,
    source_titles,
    sources,
)
from nutrigap.analyzer.writeup.triggers import trigger_section

SCHEMA = "nutrigap-report/2"


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
    #: items counted as written but worth a second look (scoring.questioned_items): a large
    #: amount, many portions, a serving heavier than its kind of food's, a weight that
    #: disagrees with the row's own energy
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
        "period": _period(a.daily, options.keep_all_days),
        "nutrients": [{"key": k, "name": NUTRIENTS.at[k, "name"], "unit": NUTRIENTS.at[k, "unit"],
                       "role": NUTRIENTS.at[k, "role"]} for k in NUTRIENT_KEYS],
        "days": _days(a.daily),
        "averages": averages,
        "days_known": _days_known(a.daily),
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
        "items": items_list(a.intake, a.matches),
        "foods": food_groups(counted_intake(a.intake, a.daily), a.matches),
        "counting": counting(a.intake, a.matches),
        "not_scored": not_scored(a.intake),
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


# --- sections ---------------------------------------------------------------------------------

def _profile(profile, targets: pd.DataFrame, diet, exclude) -> dict:
    stage = "pregnant" if profile.pregnant else "lactating" if profile.lactating else "none"
    age = float(profile.age)
    return {"age": int(age) if age.is_integer() else age, "sex": profile.sex,
            "life_stage": stage, "weight_kg": num(profile.weight_kg, 1),
            "group": str(targets["group"].iloc[0]),
            "diet": list(diet), "exclude": list(exclude)}


def _log(info, items: pd.DataFrame, log_name: str) -> dict:
    return {"name": log_name, "format": info.format, "format_title": info.title,
            "rows_read": int(info.rows_read), "rows_skipped": int(info.rows_skipped),
            "skipped_rows": [int(r) for r in info.skipped_rows], "items": int(len(items)),
            "supplement_items": int(items["kind"].eq("supplement").sum())}


def _period(daily: pd.DataFrame, keep_all_days: bool = False) -> dict:
    # days_logged counts the days the averages are over; a day on which no food could be
    # counted, or a half-logged day, is listed in days_left_out instead
    if not len(daily):
        return {"first": None, "last": None, "days_logged": 0, "days_left_out": [],
                "days_half_logged": [], "keep_all_days": keep_all_days}
    kept = counted_days(daily)
    half = (daily.index[daily["half_logged"].to_numpy(dtype=bool)]
            if "half_logged" in daily.columns else daily.index[:0])
    return {"first": daily.index.min().date().isoformat(),
            "last": daily.index.max().date().isoformat(), "days_logged": int(len(kept)),
            "days_left_out": [d.date().isoformat() for d in daily.index.difference(kept.index)],
            "days_half_logged": [d.date().isoformat() for d in half],
            "keep_all_days": keep_all_days}


def _days(daily: pd.DataFrame) -> list[dict]:
    rows = []
    for when, day in daily.iterrows():
        row = {"date": when.date().isoformat()}
        row.update({k: num(day[k]) for k in NUTRIENT_KEYS})
        row.update({f"{k}_supplements": num(day[f"{k}_supplement"])
                    for k in NUTRIENT_KEYS if k != "energy_kcal"})
        row["item_count"] = int(day["items"])
        row["incomplete"] = [k for k in NUTRIENT_KEYS if bool(day[f"{k}_incomplete"])]
        row["left_out"] = bool(day.get("left_out", False))
        row["half_logged"] = bool(day.get("half_logged", False))
        rows.append(row)
    return rows


def _averages(daily: pd.DataFrame) -> dict:
    # known amounts over the counted days each nutrient is known on, as the scoring does:
    # a floor when some are unknown, and an unknown day is never a zero
    daily = counted_days(daily)
    return {k: num(daily[k].mean()) if daily[k].notna().any() else None for k in NUTRIENT_KEYS}


def _days_known(daily: pd.DataFrame) -> dict:
    daily = counted_days(daily)
    return {k: int(daily[k].notna().sum()) for k in NUTRIENT_KEYS}


def _targets(targets: pd.DataFrame) -> dict:
    out = {}
    for key, t in targets.iterrows():
        kind = text(t["target_kind"])
        out[key] = {"target": num(t["target"]), "kind": None if kind in ("", "none") else kind,
                    "ul": num(t["ul"]), "ul_applies_to": text(t["ul_applies_to"]) or "none",
                    "overridden": bool(t["overridden"]), "dri_target": num(t["dri_target"]),
                    "dri_ul": num(t["dri_ul"]), "source": text(t["source"]),
                    "note": text(t["note"]), "warning": text(t.get("warning", ""))}
    return out


def _statuses(status: pd.DataFrame) -> dict:
    out = {}
    for key, s in status.iterrows():
        code, known_code = s["status"], s["known_status"]
        target, average = num(s["target"]), num(s["average"])
        gap = None
        if target is not None and average is not None:
            gap = round(max(target - average, 0.0), 3)
        out[key] = {
            "average": average, "average_food": num(s["average_food"]),
            "average_supplements": num(s["average_supplement"]),
            "target": target, "percent_of_target": percent(s["pct_of_target"]), "gap": gap,
            "days_met": integer(s["days_met"]), "days_over": int(s["days_above_ul"]),
            "days_logged": int(s["days_logged"]), "days_known": int(s["days_known"]),
            "highest_ul_intake": num(s["max_ul_intake"]), "ul_average": num(s["ul_average"]),
            "status": code, "label": st.LABELS[code], "known_status": known_code,
            "known_label": st.LABELS[known_code], "incomplete": bool(s["incomplete"]),
            "unknown_items": int(s["unknown_items"]),
            "incomplete_reason": text(s["incomplete_reason"]),
        }
    return out


def _contributions(contributors: pd.DataFrame) -> dict:
    out: dict[str, list] = {}
    for c in contributors.itertuples(index=False):
        out.setdefault(c.nutrient, []).append(
            {"food": str(c.food), "kind": c.kind, "amount": num(c.amount),
             "share": num(c.share_pct, 1), "item_count": int(c.items)})
    return out


def _suggestions(suggestions: dict) -> dict:
    out = {}
    for key, rows in suggestions.items():
        others = [k for k in NUTRIENT_KEYS if f"share_{k}" in rows.columns]
        out[key] = [{
            "food_id": str(r["food_id"]), "food": str(r["name"]), "serving": str(r["serving"]),
            "grams": num(r["grams"], 1), "kcal": num(r["kcal"], 1),
            "adds": {k: num(r[k]) for k in others},
            "gap_share": num(r["share_of_gap"] * 100, 1),
            "per_100kcal": num(r["per_100_kcal"]),
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
        "adds": {**{k: num(v) for k, v in a["nutrients"].items()},
                 "energy_kcal": num(a["kcal"])},
        "not_counted": {k: num(v) for k, v in a.get("not_counted", {}).items()},
        "fortified": a["fortified"], "yours": bool(a.get("own", False))}
        for a in plan["additions"]]
    titles = source_titles()
    return {
        "needed": needed, "feasible": not plan["unmet"], "additions": additions,
        "added_energy_kcal": num(plan["added_kcal"], 1),
        "totals_after": {k: num(t["after"]) for k, t in plan["totals"].items()},
        "met_after": dict(plan["met"]),
        "unmet": [{"nutrient": u["nutrient"], "short_by": num(u["short_by"]),
                   "most_from_food": num(u["most_from_food"]), "reason": u["reason"],
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
    return [{"food_id": str(c["food_id"]), "name": str(c["name"]), "score": num(c["score"], 1)}
            for c in value]


def _unmatched(intake: pd.DataFrame, matches: pd.DataFrame) -> list[dict]:
    by_name = matches.drop_duplicates("name").set_index("name")
    rows = intake[intake["value_source"].eq("unmatched")]
    chosen = set(by_name.index[by_name["method"].eq("correction")])  # food_id none
    return [{"row": int(r["row"]), "date": r["date"].date().isoformat(), "food": str(r["food"]),
             "amount": text(r["amount_text"]),
             "reason": ("left unmatched by your corrections file (food_id none)"
                        if r["food"] in chosen
                        else "no food in the food table is close enough to this name"),
             "candidates": _candidates(by_name["candidates"].get(r["food"]))}
            for _, r in rows.iterrows()]


def _unconverted(intake: pd.DataFrame) -> list[dict]:
    rows = intake[intake["value_source"].eq("unconverted")]
    return [{"row": int(r["row"]), "date": r["date"].date().isoformat(), "food": str(r["food"]),
             "amount": text(r["amount_text"]), "food_id": text(r["food_id"]) or None,
             "food_name": text(r["food_name"]) or None,
             "reason": text(r["conversion_problem"]) or "the amount could not be weighed"}
            for _, r in rows.iterrows()]


def _amounts_read(intake: pd.DataFrame) -> list[dict]:
    """The items whose amount was read from the food cell ("2 eggs scrambled")."""
    written = intake.get("food_written", pd.Series("", index=intake.index)).fillna("")
    rows = intake[written.ne("")]
    return [{"row": int(r["row"]), "date": r["date"].date().isoformat(),
             "written": str(r["food_written"]), "food": str(r["food"]),
             "amount": text(r["amount_text"])} for _, r in rows.iterrows()]


def _estimates(intake: pd.DataFrame) -> list[dict]:
    """The items weighed by an estimate for a vague measure (a handful, a glass)."""
    flagged = intake.get("estimated", pd.Series(False, index=intake.index))
    rows = intake[flagged.fillna(False).astype(bool) & intake["grams"].notna()]
    return [{"row": int(r["row"]), "date": r["date"].date().isoformat(), "food": str(r["food"]),
             "amount": text(r["amount_text"]), "grams": num(r["grams"], 1),
             "food_name": text(r["food_name"]) or None, "basis": text(r["portion_used"])}
            for _, r in rows.iterrows()]


def _questioned(questioned: pd.DataFrame | None) -> list[dict]:
    """The items counted as written but worth a second look (scoring.questioned_items)."""
    if questioned is None:
        return []
    return [{"row": int(q.row), "date": pd.Timestamp(q.date).date().isoformat(),
             "food": str(q.food), "food_name": text(q.food_name) or None,
             "amount": text(q.amount), "grams": num(q.grams, 1),
             "portion": text(q.portion_used), "serving_grams": num(q.serving_grams, 1),
             "bound_grams": num(q.bound_grams, 1), "kind": text(q.kind) or None,
             "question": str(q.question), "reason": str(q.reason)}
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
    # one note per food and reason (fourteen rows of the same peppers are one), at most
    # _SHOWN of them: the report's "Amounts to check" lists every one
    groups: dict[tuple[str, str], list[dict]] = {}
    for q in _questioned(questioned):
        groups.setdefault((q["food"], q["reason"]), []).append(q)
    for (food, reason), same in list(groups.items())[:_SHOWN]:
        rows = [q["row"] for q in same]
        where = (f"Row {rows[0]}" if len(rows) == 1 else
                 f"Rows {', '.join(map(str, rows[:_SHOWN]))}{_more(len(rows))}")
        amounts = ", ".join(dict.fromkeys(q["amount"] for q in same))
        out.append(_note("questioned", f"{where}, {food} ({amounts}): {reason}. The figures "
                                       "count it as written.", [food]))
    if len(groups) > _SHOWN:
        more = sum(len(same) for same in list(groups.values())[_SHOWN:])
        out.append(_note("questioned", f"{_count(more, 'more amount is', 'more amounts are')} "
                                       "worth a second look: every one is in the JSON report's "
                                       "questioned list", []))
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
    return [{"name": str(m["name"]), "food_id": text(m["food_id"]) or None,
             "food": text(m["food_name"]) or None, "method": m["method"],
             "confidence": num(m["confidence"], 1), "item_count": int(counts.get(m["name"], 0)),
             "candidates": _candidates(m["candidates"])}
            for _, m in matches.iterrows()]


def _warnings(warnings: pd.DataFrame) -> list[dict]:
    return [{"nutrient": w["nutrient"], "name": w["name"], "unit": w["unit"], "ul": num(w["ul"]),
             "applies_to": w["ul_applies_to"], "source": w["source"], "days_over": int(w["days"]),
             "dates": list(w["dates"]), "highest": num(w["max_amount"]),
             "highest_supplements": num(w["max_supplement"]),
             "on_average": bool(w["on_average"]), "average": num(w["average"]),
             "days_counted": int(w["days_counted"]), "message": w["message"]}
            for _, w in warnings.iterrows()]


_CAUSES = [("unmatched", "not matched to a food"),
           ("unconverted", "not weighed (the amount could not be turned into grams)"),
           ("not filled", "left blank in the log and not filled, as their weight disagrees with "
                          "their energy"),
           ("no value", "whose food has no value for {nutrients}"),
           ("not logged", "supplements that do not give {nutrients}")]


def _notes(info, short_log: list[str], status: pd.DataFrame, missing: pd.DataFrame,
           extra_notes=()) -> list[dict]:
    notes = [{"kind": n["kind"], "message": n["message"], "summary": n.get("summary", ""),
              **{k: list(n.get(k, [])) for k in ("nutrients", "foods", "dates")}}
             for n in extra_notes]
    notes += [{"kind": "few_days", "message": m, "summary": "", "nutrients": [], "foods": [],
               "dates": []} for m in short_log]
    notes += [{"kind": "log", "message": _sentence(m), "summary": "", "nutrients": [],
               "foods": [], "dates": []} for m in info.notes]
    incomplete = _incomplete_note(status, missing)
    return notes + ([incomplete] if incomplete else [])


def _incomplete_note(status: pd.DataFrame, missing: pd.DataFrame) -> dict | None:
    """One note for every unknown value: per nutrient how many items lack one, and why."""
    keys = list(status.index[status["incomplete"].to_numpy(dtype=bool)])
    if not keys:
        return None
    missing = missing[missing["nutrient"].isin(keys)]
    # the matched food where its lack of a value is the reason; else the name as logged
    label = missing["food_name"].where(missing["cause"].eq("no value")
                                       & missing["food_name"].notna(),
                                       missing["food"]).astype(str)
    counts = "; ".join(f"{NUTRIENTS.at[k, 'name']} {int(status.at[k, 'unknown_items'])}"
                       for k in keys)
    parts = []
    for cause, words in _CAUSES:
        rows = missing[missing["cause"] == cause]
        if not len(rows):
            continue
        names = list(dict.fromkeys(label[rows.index]))
        shown = ", ".join(f"“{n}”" for n in names[:4]) + (
            f" and {len(names) - 4} more" if len(names) > 4 else "")
        which = _join([_in_sentence(NUTRIENTS.at[k, "name"])
                       for k in dict.fromkeys(rows["nutrient"])])
        n = rows["row"].nunique()
        parts.append(f"{n} item{'s' if n != 1 else ''} {words.format(nutrients=which)}: "
                     f"{shown}")
    return {
        "kind": "incomplete", "nutrients": keys, "foods": list(dict.fromkeys(label)),
        "dates": [], "summary": "",
        "message": "Some values are unknown; they are left out of the totals, never counted "
                   "as zero, so the averages marked ? are floors and the true intake may be "
                   f"higher. Items without a value, by nutrient: {counts}. Why: "
                   + "; ".join(parts) + "."}


def _target_notes(targets: pd.DataFrame) -> list[dict]:
    """A dietitian's target that needs a second look (e.g. above an upper limit)."""
    if "warning" not in targets.columns:
        return []
    return [{"kind": "target", "message": str(t["warning"]), "summary": "", "nutrients": [key],
             "foods": [], "dates": []} for key, t in targets.iterrows() if t["warning"]]


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _sentence(words: str) -> str:
    words = str(words).strip()
    words = words[:1].upper() + words[1:]
    return words if words.endswith((".", "!", "?")) else words + "."
