"""summary.csv (one row per client), errors.csv, and the caseload overview built from them."""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path

from nutrigap.analyzer import statuses as st
from nutrigap.analyzer.nutrients import NUTRIENTS, SCORED_KEYS, TARGET_KEYS
from nutrigap.atomic import write_atomic
from nutrigap.batch.inputs import NOT_READ_RULE, Failure
from nutrigap.csv_out import csv_text

# A client's totals are shaky when this share of their items could not be counted.
UNCERTAIN_SHARE = 0.2
# Caffeine, alcohol, water and sodium: the name of each one's reference column (a limit, the
# CDRR, the AI) and of its days past it (over a limit or the CDRR, under the AI).
TRIGGER_COLUMNS = {"caffeine_mg": ("limit", "days_over"), "alcohol_g": ("limit", "days_over"),
                   "water_g": ("ai", "days_under"), "sodium_mg": ("cdrr", "days_over")}
# Past these a client is worth a dietitian's attention, whatever their nutrients.
ATTENTION_TRIGGERS = ("caffeine_mg", "alcohol_g")
OVER, OVER_SOME_DAYS = "over", "over_some_days"

SUMMARY_COLUMNS = [
    "client", "file", "age", "sex", "life_stage", "days_logged",
    *(f"{key}_percent" for key in TARGET_KEYS),
    *(f"{key}_status" for key in SCORED_KEYS),
    *(f"{key}_incomplete" for key in SCORED_KEYS),
    "items", "unmatched", "unconverted", "not_counted",
    *(f"{key}_unknown_items" for key in SCORED_KEYS),
    "unmatched_share", "not_counted_share", "unknown_share",
    "upper_limit_warnings", "upper_limit_days",
    *(f"{key}_{part}" for key, (reference, days) in TRIGGER_COLUMNS.items()
      for part in ("average", reference, days, "days_known", "status")),
]
ERROR_COLUMNS = ["client", "file", "message"]


def summary_row(client: str, file: str, report: dict) -> dict:
    """One client's line of summary.csv, from their report dict."""
    statuses = report["statuses"]
    items = report["log"]["items"]
    profile = report["profile"]
    row = {"client": client, "file": file, "age": profile["age"], "sex": profile["sex"],
           "life_stage": profile["life_stage"], "days_logged": report["period"]["days_logged"]}
    for key in TARGET_KEYS:
        pct = statuses.get(key, {}).get("percent_of_target")
        row[f"{key}_percent"] = None if _missing(pct) else round(float(pct), 1)
    for key in SCORED_KEYS:
        # the status of the known intake (a floor), with the incomplete mark beside it
        row[f"{key}_status"] = statuses.get(key, {}).get("status")
        row[f"{key}_incomplete"] = "yes" if statuses.get(key, {}).get("incomplete") else ""
    # names no food matched, whether or not the log's own values (a Cronometer export's)
    # counted the item's nutrients
    unmatched = sum(m["item_count"] for m in report["matches"] if m["method"] == "unmatched")
    unconverted = len(report["unconverted"])  # matched, not weighed, no values in the log
    # left out of every total (never counted as zero): nothing matched and no logged values,
    # or not weighed
    not_counted = len(report["unmatched"]) + unconverted
    row.update(items=items, unmatched=unmatched, unconverted=unconverted,
               not_counted=not_counted)
    # per nutrient, the items whose amount is unknown: what makes a nutrient incomplete
    unknown = {key: statuses.get(key, {}).get("unknown_items", 0) for key in SCORED_KEYS}
    row.update({f"{key}_unknown_items": n for key, n in unknown.items()})
    row["unmatched_share"] = _share(unmatched, items)
    row["not_counted_share"] = _share(not_counted, items)
    row["unknown_share"] = _share(max(unknown.values(), default=0), items)
    usual = [w for w in report["warnings"] if w.get("on_average")]
    row["upper_limit_warnings"] = len(usual)
    # single days over a limit: a note with the dates, not a ranking
    row["upper_limit_days"] = "; ".join(
        f"{w['name']}: {', '.join(w['dates'])}" for w in report["warnings"]
        if not w.get("on_average"))
    triggers = (report.get("triggers") or {}).get("nutrients", {})
    for key, (reference, days) in TRIGGER_COLUMNS.items():
        t = triggers.get(key, {})
        row.update({f"{key}_average": t.get("average"),
                    f"{key}_{reference}": (t.get("reference") or {}).get("amount"),
                    f"{key}_{days}": t.get("days_flagged"),
                    f"{key}_days_known": t.get("days_known"), f"{key}_status": t.get("status")})
    # the report's own sentence, for the caseload overview (not a column of summary.csv)
    row["trigger_reasons"] = [triggers[k]["text"] for k in ATTENTION_TRIGGERS
                              if triggers.get(k, {}).get("status") in (OVER, OVER_SOME_DAYS)]
    return row


def _share(count: int, items: int) -> float | None:
    return round(count / items, 3) if items else None


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def caseload(rows: list[dict], failures: list[Failure], not_read: list[str] = ()) -> dict:
    """The caseload overview: per nutrient how many clients are below target, the clients
    who need attention first (above an upper limit on average, then over the caffeine or
    alcohol limit on average, then most and furthest below target; over those two limits on
    some days also brings a client in), and the files in INPUT that were not read as logs.

    Clients are ranked and counted on their known intake, a floor when some values are
    unknown; the incomplete mark goes beside a figure, never instead of it."""
    names = NUTRIENTS["name"].to_dict()
    nutrients = []
    for key in TARGET_KEYS:
        below = sorted(r["client"] for r in rows if r.get(f"{key}_status") in st.SHORT)
        well = [r["client"] for r in rows if r.get(f"{key}_status") == st.WELL_BELOW]
        unsure = [r["client"] for r in rows if r.get(f"{key}_status") in st.SHORT
                  and r.get(f"{key}_incomplete")]
        nutrients.append({"key": key, "name": names[key], "below": len(below),
                          "well_below": len(well), "clients_below": below,
                          "below_incomplete": len(unsure),
                          "share_below": round(len(below) / len(rows), 3) if rows else None})
    attention = [a for a in (_attention(r, names) for r in rows) if a["reasons"]]
    attention.sort(key=lambda a: (-a["over_limit"], -a["over_on_average"], -a["well_below"],
                                  -a["below"], a["lowest_percent"] if a["lowest_percent"]
                                  is not None else math.inf, -len(a["trigger_reasons"]),
                                  -a["no_data"], a["client"]))
    for rank, entry in enumerate(attention, start=1):
        entry["rank"] = rank
    return {
        "generated": datetime.now().isoformat(timespec="seconds"),
        "clients": len(rows),
        "failed": len(failures),
        "failures": [f._asdict() for f in failures],
        "nutrients": nutrients,
        "attention": attention,
        "on_track": sorted(r["client"] for r in rows if _on_track(r)),
        "who": {r["client"]: who(r) for r in rows},
        "notes": {r["client"]: _day_notes(r) for r in rows if r.get("upper_limit_days")},
        "not_read": sorted(not_read),
        "not_read_rule": NOT_READ_RULE,
    }


def who(row: dict) -> str:
    """'female, 34, pregnant': the client's sex, age and life stage, as the overview shows."""
    parts = [str(row.get("sex") or ""), _age(row.get("age"))]
    if row.get("life_stage") in ("pregnant", "lactating"):
        parts.append("breastfeeding" if row["life_stage"] == "lactating" else "pregnant")
    return ", ".join(p for p in parts if p)


def _age(age) -> str:
    if age is None or age == "":
        return ""
    age = float(age)
    return f"{age:g}"


def _day_notes(row: dict) -> str:
    return "over an upper limit on single days (the average is within it): " + str(
        row["upper_limit_days"])


def _attention(row: dict, names: dict) -> dict:
    below = [k for k in TARGET_KEYS if row.get(f"{k}_status") in st.SHORT]
    well = [k for k in TARGET_KEYS if row.get(f"{k}_status") == st.WELL_BELOW]
    over = [k for k in SCORED_KEYS if row.get(f"{k}_status") == st.ABOVE_UL]
    unknown = [k for k in TARGET_KEYS if row.get(f"{k}_status") == st.NO_DATA]
    percents = [row.get(f"{k}_percent") for k in below]
    percents = [p for p in percents if p is not None]
    reasons = [f"{names[k]} above its upper limit on average" for k in over]
    triggers = list(row.get("trigger_reasons") or [])
    reasons += triggers
    reasons += [f"{names[k]} at {_pct(row.get(f'{k}_percent'))}"
                + ("?" if row.get(f"{k}_incomplete") else "") + " of target"
                + (" (at least: some values unknown)" if row.get(f"{k}_incomplete") else "")
                for k in below]
    reasons += [f"{names[k]}: no value known" for k in unknown]
    share = row.get("unknown_share")
    if reasons and share is not None and share >= UNCERTAIN_SHARE:
        counts = {k: row.get(f"{k}_unknown_items") or 0 for k in SCORED_KEYS}
        worst = [names[k] for k in SCORED_KEYS if counts[k] == max(counts.values())]
        what = "values" if len(worst) == len(SCORED_KEYS) else f"{_join(worst)} value"
        reasons.append(f"{share:.0%} of items with no known {what}, so totals may read low")
    if reasons and row.get("upper_limit_days"):
        reasons.append(_day_notes(row))
    over_on_average = sum(row.get(f"{k}_status") == OVER for k in ATTENTION_TRIGGERS)
    return {"client": row["client"], "who": who(row), "over_limit": len(over),
            "over_on_average": over_on_average, "trigger_reasons": triggers,
            "well_below": len(well), "below": len(below), "no_data": len(unknown),
            "lowest_percent": min(percents) if percents else None,
            "days_logged": row.get("days_logged"), "reasons": reasons}


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _on_track(row: dict) -> bool:
    return (all(row.get(f"{k}_status") == st.MEETS for k in TARGET_KEYS)
            and not any(row.get(f"{k}_status") == st.ABOVE_UL for k in SCORED_KEYS)
            and not row.get("trigger_reasons"))


def _pct(value) -> str:
    from nutrigap.reports.templating import percent  # 99.5 reads "99.5%", never "100%" below target

    return percent(value)


def batch_files(formats: tuple[str, ...]) -> list[str]:
    """The names of the caseload's own files in OUTDIR for the formats asked for (csv:
    summary.csv is the caseload as a table)."""
    return ["summary.csv", "errors.csv", *(f"caseload.{fmt}" for fmt in formats if fmt != "csv")]


def write_batch_files(out: Path, formats: tuple[str, ...], rows: list[dict],
                      failures: list[Failure], *, not_read: list[str] = ()) -> list[Path]:
    """Write summary.csv, errors.csv and caseload.<format> in `out` for the formats asked
    for; `not_read` names the files in INPUT passed over as not meal logs."""
    rows = sorted(rows, key=lambda r: r["client"])
    failures = sorted(failures, key=lambda f: (f.client, f.file))
    overview = caseload(rows, failures, not_read)
    written = [out / name for name in batch_files(formats)]
    for path in written:
        if path.name == "summary.csv":
            content = csv_text(SUMMARY_COLUMNS, [[r.get(c) for c in SUMMARY_COLUMNS]
                                                 for r in rows])
        elif path.name == "errors.csv":
            content = csv_text(ERROR_COLUMNS, [list(f) for f in failures])
        elif path.suffix == ".json":
            content = json.dumps(overview, indent=2, ensure_ascii=False) + "\n"
        else:
            from nutrigap.reports import caseload as caseload_report

            content = getattr(caseload_report, f"to_{path.suffix[1:]}")(overview)
        write_atomic(path, content)
    return written
