"""The report dictionary: plain JSON, documented keys, and numbers that follow from the log."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path

import pytest
from report_samples import REPORT_DATE, WEEK_LOG, analyze_log, week_report

from nutrigap.analyzer.errors import BadDiet
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS, TARGET_KEYS
from nutrigap.reports.render import day_columns, summary_lines, to_csv, to_json

DOCS = Path(__file__).resolve().parent.parent / "docs" / "report-json.md"
STATUS_CODES = {"well_below", "below", "meets", "above_ul", "incomplete", "within_ul", "no_data"}
SCORED = [*TARGET_KEYS, "vitamin_b6_mg"]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_report_is_plain_json_and_its_top_level_keys_are_documented():
    report = week_report()
    assert json.loads(to_json(report)) == report  # no NaN, no numpy or pandas objects
    table = DOCS.read_text(encoding="utf-8").split("## Top level")[1].split("\n### ")[0]
    documented = re.findall(r"^\| `(\w+)` \|", table, flags=re.M)
    assert documented == list(report)


def test_days_are_the_logged_dates_and_supplements_are_kept_apart():
    report = week_report()
    with open(WEEK_LOG, encoding="utf-8") as fp:
        dates = sorted({row["date"] for row in csv.DictReader(fp)})
    assert [d["date"] for d in report["days"]] == dates
    assert report["period"] == {"first": dates[0], "last": dates[-1], "days_logged": len(dates),
                                "days_left_out": [], "days_half_logged": [],
                                "keep_all_days": False}
    monday = report["days"][0]
    assert monday["magnesium_mg_supplements"] == 400.0
    assert monday["magnesium_mg"] > 400.0  # food on top of the supplement
    assert report["days"][1]["magnesium_mg_supplements"] == 0.0
    assert set(day_columns(report)) == set(monday)


def test_gram_amounts_give_totals_from_the_food_table(tmp_path, embedded_table):
    foods = embedded_table.foods
    log = _write(tmp_path, "date,meal,food,amount,unit\n"
                           "2024-01-01,lunch,Cheddar cheese,30,g\n"
                           "2024-01-01,lunch,Almonds,28,g\n"
                           "2024-01-01,pills,supplement: magnesium,250,mg\n"
                           "2024-01-02,lunch,Banana,118,g\n")
    report = analyze_log(log)
    cheddar = foods[foods["name"] == "Cheddar cheese"].iloc[0]
    almonds = foods[foods["name"] == "Almonds"].iloc[0]
    banana = foods[foods["name"] == "Banana"].iloc[0]
    day1, day2 = report["days"]
    for key in ("magnesium_mg", "calcium_mg", "potassium_mg", "energy_kcal"):
        food = cheddar[key] * 0.30 + almonds[key] * 0.28
        supplement = 250.0 if key == "magnesium_mg" else 0.0
        assert day1[key] == pytest.approx(food + supplement, abs=0.01)
        assert day2[key] == pytest.approx(banana[key] * 1.18, abs=0.01)
        average = (day1[key] + day2[key]) / 2
        assert report["averages"][key] == pytest.approx(average, abs=0.01)
    mg = report["statuses"]["magnesium_mg"]
    assert mg["average_supplements"] == pytest.approx(125.0)
    assert mg["percent_of_target"] == pytest.approx(mg["average"] / 320 * 100, abs=0.05)
    assert mg["days_met"] == sum(d["magnesium_mg"] >= 320 for d in report["days"])
    assert any(n["kind"] == "few_days" for n in report["notes"])  # two days say little


def test_targets_say_rda_or_ai_and_what_each_upper_limit_counts():
    report = week_report()
    targets = report["targets"]
    assert report["profile"]["group"] == "Females 31-50"
    assert {k: targets[k]["kind"] for k in TARGET_KEYS} == {
        "magnesium_mg": "RDA", "calcium_mg": "RDA", "potassium_mg": "AI",
        "vitamin_d_ug": "RDA", "vitamin_b12_ug": "RDA"}
    assert targets["magnesium_mg"]["ul_applies_to"] == "supplements"
    assert targets["vitamin_b6_mg"] == {**targets["vitamin_b6_mg"], "target": None,
                                        "kind": None, "ul": 100.0, "ul_applies_to": "total"}
    assert targets["potassium_mg"]["ul"] is None


def test_statuses_follow_from_the_days():
    report = week_report()
    for key in SCORED:
        status = report["statuses"][key]
        assert status["status"] in STATUS_CODES and status["known_status"] in STATUS_CODES
        target = report["targets"][key]["target"]
        if target is None:
            assert status["days_met"] is None and status["percent_of_target"] is None
            continue
        days = [d[key] for d in report["days"]]
        assert status["days_met"] == sum(v is not None and v >= target for v in days)
        assert status["percent_of_target"] == pytest.approx(status["average"] / target * 100,
                                                            abs=0.05)
        assert status["gap"] == pytest.approx(max(target - status["average"], 0), abs=0.001)


def test_upper_limits_flag_supplement_magnesium_and_b6():
    report = week_report()
    warnings = {w["nutrient"]: w for w in report["warnings"]}
    assert set(warnings) == {"magnesium_mg", "vitamin_b6_mg"}
    assert warnings["magnesium_mg"]["applies_to"] == "supplements"
    assert warnings["magnesium_mg"]["dates"] == ["2024-03-04"]
    assert warnings["vitamin_b6_mg"]["dates"] == ["2024-03-06"]
    assert warnings["vitamin_b6_mg"]["highest_supplements"] == 100.0
    # one day over, of seven: a dated note; the status is the average's band
    assert not any(w["on_average"] for w in warnings.values())
    assert report["statuses"]["magnesium_mg"]["status"] == report["statuses"]["magnesium_mg"][
        "known_status"]
    assert report["statuses"]["magnesium_mg"]["days_over"] == 1


def test_items_not_counted_are_listed_never_counted_as_zero():
    report = week_report()
    (stew,) = report["unmatched"]
    assert (stew["row"], stew["food"], stew["amount"]) == (14, "grandma's stew", "1 bowl")
    assert 1 <= len(stew["candidates"]) <= 3
    spinach = next(u for u in report["unconverted"] if u["row"] == 23)
    assert spinach["food_name"] == "Spinach, raw" and "slice" in spinach["reason"]
    tuesday = next(d for d in report["days"] if d["date"] == stew["date"])
    assert set(TARGET_KEYS) <= set(tuesday["incomplete"])
    for key in TARGET_KEYS:
        assert report["statuses"][key]["incomplete"]
    noted = [n for n in report["notes"] if n["kind"] == "incomplete"]
    assert {k for n in noted for k in n["nutrients"]} == set(SCORED)
    assert all("grandma's stew" in n["foods"] for n in noted)


def test_every_distinct_food_name_says_how_it_was_matched():
    report = week_report()
    with open(WEEK_LOG, encoding="utf-8") as fp:
        foods = [r["food"] for r in csv.DictReader(fp) if not r["food"].startswith("supplement")]
    matches = {m["name"]: m for m in report["matches"]}
    assert list(matches) == list(dict.fromkeys(foods))
    assert sum(m["item_count"] for m in matches.values()) == len(foods)
    assert matches["grandma's stew"]["method"] == "unmatched"
    assert matches["grandma's stew"]["food"] is None
    assert matches["greek yoghurt"]["food"].startswith("Greek yogurt")


def test_plan_additions_add_up_to_the_totals_after():
    report = week_report()
    plan = report["plan"]
    assert plan["needed"] and plan["additions"]
    for key in TARGET_KEYS:
        added = sum(a["adds"][key] or 0 for a in plan["additions"])
        assert plan["totals_after"][key] == pytest.approx(
            report["statuses"][key]["average"] + added, abs=0.01)
        if plan["feasible"]:
            assert plan["totals_after"][key] >= report["targets"][key]["target"] - 0.01
    assert plan["added_energy_kcal"] == pytest.approx(
        sum(a["adds"]["energy_kcal"] for a in plan["additions"]), abs=0.1)


def test_suggestions_are_for_the_short_nutrients_only():
    report = week_report()
    short = {k for k in TARGET_KEYS if report["statuses"][k]["gap"]}
    assert set(report["suggestions"]) == short
    for key, rows in report["suggestions"].items():
        assert rows and all(r["adds"][key] > 0 for r in rows)
        gap = report["statuses"][key]["gap"]
        for r in rows:
            assert r["gap_share"] == pytest.approx(r["adds"][key] / gap * 100, rel=0.01)


def test_overridden_targets_and_diet_are_reported(tmp_path):
    report = analyze_log(WEEK_LOG, overrides={"magnesium_mg": 400}, diet=["Vegan"],
                         exclude=["tofu"])
    mg = report["targets"]["magnesium_mg"]
    assert (mg["target"], mg["dri_target"], mg["overridden"]) == (400.0, 320.0, True)
    assert not report["targets"]["calcium_mg"]["overridden"]
    assert any("Magnesium" in line and "dietitian" in line for line in report["methods"])
    assert report["profile"]["diet"] == ["vegan"] and report["profile"]["exclude"] == ["tofu"]
    with pytest.raises(BadDiet, match="paleo"):
        analyze_log(WEEK_LOG, diet=["paleo"])


def test_nutrient_info_sources_and_disclaimer_are_filled():
    report = week_report()
    assert set(report["nutrient_info"]) == set(SCORED)
    assert all(info["does"] and info["good_sources"] for info in report["nutrient_info"].values())
    assert "neuropathy" in report["nutrient_info"]["vitamin_b6_mg"]["excess"]
    titles = " ".join(s["title"] for s in report["sources"])
    assert "Dietary Reference Intakes for Calcium and Vitamin D" in titles
    assert "Standard Reference, Release 28" in titles
    assert "Cronometer" not in titles and "FoodData Central" not in titles
    assert report["disclaimer"]["see_a_professional"]
    assert report["generated"] == REPORT_DATE.isoformat()


def test_cronometer_values_are_noted_and_credited(cronometer_dir):
    report = analyze_log(cronometer_dir / "davidgma_cron-csv" / "servings.csv",
                         profile={"age": 45, "sex": "male"})
    assert report["log"]["format"] == "cronometer-servings"
    assert any(n["kind"] == "log" and "Cronometer" in n["message"] for n in report["notes"])
    assert any("Cronometer" in s["title"] for s in report["sources"])
    assert any("Cronometer" in line for line in report["methods"])
    assert json.loads(to_json(report)) == report


def test_csv_has_one_row_per_day_with_blank_for_unknown():
    report = week_report()
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert len(rows) == len(report["days"])
    for row, day in zip(rows, report["days"], strict=True):
        for key in NUTRIENT_KEYS:
            expected = day[key]
            assert (row[key] == "") if expected is None else math.isclose(float(row[key]),
                                                                           expected)
        assert row["incomplete"].split(";") == (day["incomplete"] or [""])


def test_summary_names_the_period_the_gaps_and_what_needs_a_look():
    report = week_report()
    first, gaps, extra = summary_lines(report)
    assert first == "7 days logged (4–10 March 2024)"
    calcium = report["statuses"]["calcium_mg"]["percent_of_target"]
    assert f"Calcium {calcium:.0f}%" in gaps
    assert "over an upper limit on single days: Magnesium (1), Vitamin B6 (1)" in extra
    assert f"{len(report['unmatched']) + len(report['unconverted'])} items not counted" in extra


def test_a_target_to_check_is_a_note_on_the_first_page():
    from nutrigap.reports.render import to_html

    report = analyze_log(WEEK_LOG, overrides={"magnesium": 1000})
    notes = [n for n in report["notes"] if n["kind"] == "target"]
    assert [n["nutrients"] for n in notes] == [["magnesium_mg"]]
    assert report["targets"]["magnesium_mg"]["warning"] == notes[0]["message"]
    assert report["targets"]["calcium_mg"]["warning"] == ""
    assert "1 target to check" in summary_lines(report)[2]
    key_points = to_html(report).split('id="key-points"')[1].split("</div>")[0]
    assert "The Magnesium target of 1,000 mg is above the 350 mg upper limit" in key_points


def test_cronometer_contributions_are_named_as_logged(cronometer_dir):
    path = cronometer_dir / "dhjelmar_Diabetes" / "servings.csv"
    with path.open(encoding="utf-8-sig", newline="") as fp:
        logged = {row["Food Name"] for row in csv.DictReader(fp)}
    report = analyze_log(path, profile={"age": 50, "sex": "male"})
    matched = {m["food"] for m in report["matches"] if m["food"]} - logged
    named = {c["food"] for rows in report["contributions"].values() for c in rows}
    # the export's own values belong to what was logged, not to the food it was matched to
    assert named <= logged
    assert not named & matched
    b12 = [c["food"] for c in report["contributions"]["vitamin_b12_ug"]]
    assert "Cheesesteak Stuffed Peppers" in b12
    assert "Green bell pepper" not in b12


def test_the_summary_never_says_every_item_was_counted_while_amounts_are_unknown(cronometer_dir):
    # the davidgma export hides its vitamin D column, so vitamin D comes from matched foods,
    # several of which have no vitamin D value in the food data
    report = analyze_log(cronometer_dir / "davidgma_cron-csv" / "servings.csv",
                         profile={"age": 50, "sex": "male"})
    unsure = [key for key, s in report["statuses"].items() if s["incomplete"]]
    assert unsure
    extra = summary_lines(report)[2]
    assert "every item was counted" not in extra
    names = {n["key"]: n["name"] for n in report["nutrients"]}
    assert f"some values unknown for {', '.join(names[k] for k in unsure)}" in extra


def test_a_name_left_unmatched_by_the_corrections_says_so_in_the_report(tmp_path):
    import pandas as pd

    corrections = pd.DataFrame({"name": ["broccoli"], "food_id": ["none"]})
    log = _write(tmp_path, "date,meal,food,amount,unit\n2024-03-04,lunch,broccoli,1,cup\n"
                 "2024-03-04,lunch,kombucha,1,cup\n")
    report = analyze_log(log, corrections=corrections)
    reasons = {u["food"]: u["reason"] for u in report["unmatched"]}
    assert reasons["broccoli"] == "left unmatched by your corrections file (food_id none)"
    assert reasons["kombucha"] == "no food in the food table is close enough to this name"
