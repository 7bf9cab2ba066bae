"""Daily totals, status against the targets, upper limits, top contributors and notes."""

from __future__ import annotations

import csv
import math
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from test_intake import item, matches_for, small_food_table

from nutrigap.analyzer.nutrients import NUTRIENT_KEYS
from nutrigap.analyzer.scoring.intake import item_nutrients
from nutrigap.analyzer.scoring.scores import (
    daily_totals,
    notes,
    score,
    top_contributors,
    upper_limit_warnings,
)
from nutrigap.analyzer.scoring.targets import Profile, targets_for

NAN = math.nan

# Per 100 g, from USDA SR28: Mg, Ca, K, vitamin D (µg), B12 (µg), B6 (mg), kcal,
# caffeine (mg), alcohol (g), water (g), sodium (mg)
FOODS = {
    "sr:11457": ("Spinach, raw", 79, 99, 558, 0.0, 0.0, 0.195, 23, 0, 0.0, 91.40, 79),
    "sr:01077": ("Milk, whole", 10, 113, 132, 1.3, 0.45, 0.036, 61, 0, 0.0, 88.13, 43),
    "sr:12061": ("Nuts, almonds", 270, 269, 733, 0.0, 0.0, 0.137, 579, 0, 0.0, 4.41, 1),
    "sr:15236": ("Fish, salmon, Atlantic, farmed, raw", 27, 9, 363, 11.0, 3.23, 0.636, 208,
                 0, 0.0, 64.89, 59),
    "sr:09040": ("Bananas, raw", 27, 5, 358, 0.0, 0.0, 0.367, 89, 0, 0.0, 74.91, 1),
    "sr:19904": ("Chocolate, dark, 70-85% cacao solids", 228, 73, 715, NAN, 0.28, 0.038, 598,
                 80, NAN, 1.37, 20),
}
NAMES = {"spinach": "sr:11457", "whole milk": "sr:01077", "almonds": "sr:12061",
         "salmon": "sr:15236", "banana": "sr:09040", "dark chocolate": "sr:19904",
         "mystery bar": None}
D1, D2, D3 = "2024-03-04", "2024-03-05", "2024-03-06"


def supplement(row, name, date, **dose):
    return item(row, name, date=date, kind="supplement", amount_text="1 tablet", **dose)


def three_days(magnesium_kind="supplement"):
    """Three days for a woman of 34. Every day: 400 mg magnesium and 150 mg B6 as separate
    items; `magnesium_kind="food"` logs the same 400 mg as a food (a mineral water whose label
    gives its magnesium) instead of a supplement."""
    if magnesium_kind == "supplement":
        mg = [supplement(r, "magnesium glycinate", d, magnesium_mg=400.0) for r, d in
              ((4, D1), (8, D2), (12, D3))]
    else:
        mg = [item(r, "magnesium-rich mineral water", 400, date=d, magnesium_mg=400.0,
                   calcium_mg=0.0, potassium_mg=0.0, vitamin_d_ug=0.0, vitamin_b12_ug=0.0,
                   vitamin_b6_mg=0.0, energy_kcal=0.0) for r, d in ((4, D1), (8, D2), (12, D3))]
    rows = [
        item(2, "spinach", 200, date=D1), item(3, "whole milk", 500, date=D1), mg[0],
        supplement(5, "vitamin b6", D1, vitamin_b6_mg=150.0),
        item(6, "almonds", 50, date=D2), item(7, "salmon", 150, date=D2), mg[1],
        supplement(9, "vitamin b6", D2, vitamin_b6_mg=150.0),
        item(10, "banana", 100, date=D3), item(11, "whole milk", 250, date=D3), mg[2],
        supplement(13, "vitamin b6", D3, vitamin_b6_mg=150.0),
    ]
    return pd.DataFrame(rows)


def analyze(items, profile=None, overrides=None):
    table = small_food_table(FOODS)
    names = {n: NAMES.get(n) for n in items["food"].unique() if n in NAMES}
    intake = item_nutrients(items, matches_for(names, table), table)
    daily = daily_totals(intake)
    targets = targets_for(profile or Profile(age=34, sex="female"), overrides)
    return intake, daily, targets, score(daily, targets, intake)


def test_hand_computed_three_days():
    intake, daily, targets, result = analyze(three_days())
    # Targets for Females 31-50: Mg 320 (UL 350, supplements), Ca 1000 (UL 2500), K 2600 (AI),
    # vitamin D 15 µg (UL 100), B12 2.4 µg, B6 UL 100 mg (food + supplements).
    #
    # Magnesium (food = grams x mg per 100 g / 100):
    #   day 1: spinach 200 g x 79 = 158, milk 500 g x 10 = 50, supplement 400  -> 608
    #   day 2: almonds 50 g x 270 = 135, salmon 150 g x 27 = 40.5, suppl. 400  -> 575.5
    #   day 3: banana 100 g x 27 = 27, milk 250 g x 10 = 25, supplement 400    -> 452
    assert daily["magnesium_mg"].tolist() == pytest.approx([608, 575.5, 452])
    assert daily["magnesium_mg_food"].tolist() == pytest.approx([208, 175.5, 52])
    assert daily["magnesium_mg_supplement"].tolist() == pytest.approx([400, 400, 400])
    # Calcium: day 1: 200 x 0.99 + 500 x 1.13 = 198 + 565 = 763
    #          day 2: 50 x 2.69 + 150 x 0.09 = 134.5 + 13.5 = 148
    #          day 3: 100 x 0.05 + 250 x 1.13 = 5 + 282.5 = 287.5
    assert daily["calcium_mg"].tolist() == pytest.approx([763, 148, 287.5])
    # Potassium: 1116 + 660 = 1776; 366.5 + 544.5 = 911; 358 + 330 = 688
    assert daily["potassium_mg"].tolist() == pytest.approx([1776, 911, 688])
    # Vitamin D: milk 500 x 0.013 = 6.5; salmon 150 x 0.11 = 16.5; milk 250 x 0.013 = 3.25
    assert daily["vitamin_d_ug"].tolist() == pytest.approx([6.5, 16.5, 3.25])
    # B12: milk 500 x 0.0045 = 2.25; salmon 150 x 0.0323 = 4.845; milk 250 x 0.0045 = 1.125
    assert daily["vitamin_b12_ug"].tolist() == pytest.approx([2.25, 4.845, 1.125])
    # B6: 150 + spinach 0.39 + milk 0.18 = 150.57; 150 + almonds 0.0685 + salmon 0.954
    #     = 151.0225; 150 + banana 0.367 + milk 0.09 = 150.457
    assert daily["vitamin_b6_mg"].tolist() == pytest.approx([150.57, 151.0225, 150.457])
    assert daily["items"].tolist() == [4, 4, 4]
    assert not daily[[f"{k}_incomplete" for k in NUTRIENT_KEYS]].any().any()

    r = result
    # averages over 3 days and % of target:
    #   Mg  (608 + 575.5 + 452) / 3 = 1635.5 / 3 = 545.1667 -> 545.1667 / 320 = 170.36 %
    #   Ca  1198.5 / 3 = 399.5   -> 39.95 %   (< 50 %: well below)
    #   K   3375 / 3   = 1125    -> 43.27 %   (well below)
    #   D   26.25 / 3  = 8.75    -> 58.33 %   (50-99 %: below)
    #   B12 8.22 / 3   = 2.74    -> 114.17 %  (meets)
    assert r["average"].tolist()[:5] == pytest.approx([545.1667, 399.5, 1125, 8.75, 2.74],
                                                      rel=1e-5)
    assert r["pct_of_target"].tolist()[:5] == pytest.approx(
        [170.3646, 39.95, 43.2692, 58.3333, 114.1667], rel=1e-5)
    assert r.at["magnesium_mg", "average_supplement"] == pytest.approx(400)
    assert r.at["vitamin_b6_mg", "average"] == pytest.approx((150.57 + 151.0225 + 150.457) / 3)
    # days met: Mg all 3 (608, 575.5, 452 >= 320); Ca none; K none; D only day 2 (16.5 >= 15);
    # B12 only day 2 (4.845 >= 2.4), though the average meets it
    assert r["days_met"].tolist()[:5] == [3, 0, 0, 1, 1]
    assert pd.isna(r.at["vitamin_b6_mg", "days_met"])  # B6 has no target
    assert set(r["days_logged"]) == {3}
    # Mg supplements 400 > 350 on all 3 days; B6 total 150.x > 100 on all 3 days
    assert r["days_above_ul"].tolist() == [3, 0, 0, 0, 0, 3]
    assert r["status"].tolist() == ["above_ul", "well_below", "well_below", "below",
                                    "meets", "above_ul"]
    assert r.at["magnesium_mg", "known_status"] == "meets"
    assert not r["incomplete"].any()
    assert set(r["incomplete_reason"]) == {""}


def test_magnesium_from_food_does_not_count_towards_its_upper_limit():
    _, daily, targets, from_food = analyze(three_days(magnesium_kind="food"))
    _, _, _, from_supplements = analyze(three_days())
    # the same 400 mg a day: identical totals, only the source differs
    assert from_food.at["magnesium_mg", "average"] == pytest.approx(
        from_supplements.at["magnesium_mg", "average"])
    assert from_food.at["magnesium_mg", "average_supplement"] == 0
    assert from_food.at["magnesium_mg", "status"] == "meets"
    assert from_food.at["magnesium_mg", "days_above_ul"] == 0
    assert from_supplements.at["magnesium_mg", "status"] == "above_ul"
    assert upper_limit_warnings(daily, targets)["nutrient"].tolist() == ["vitamin_b6_mg"]


def test_upper_limit_warnings_say_what_when_and_from_where():
    _, daily, targets, _ = analyze(three_days())
    warnings = upper_limit_warnings(daily, targets).set_index("nutrient")
    assert list(warnings.index) == ["magnesium_mg", "vitamin_b6_mg"]
    mg = warnings.loc["magnesium_mg"]
    assert (mg["source"], mg["days"], mg["max_amount"], mg["ul"]) == ("supplements", 3, 400, 350)
    assert mg["dates"] == [D1, D2, D3]
    assert mg["message"] == ("Magnesium from supplements: 400 mg on 3 days (2024-03-04, "
                             "2024-03-05, 2024-03-06), above the 350 mg upper limit for "
                             "supplements")
    b6 = warnings.loc["vitamin_b6_mg"]
    assert b6["source"] == "supplements"  # 150 mg of supplements alone is over 100
    assert b6["max_amount"] == pytest.approx(151.0225)
    assert b6["max_supplement"] == 150
    assert b6["message"] == ("Vitamin B6 from food and supplements: up to 151 mg on 3 days "
                             "(2024-03-04, 2024-03-05, 2024-03-06), above the 100 mg upper "
                             "limit; supplements gave 150 mg of it")


def test_one_day_over_is_enough_and_the_limit_itself_is_not_over():
    items = pd.DataFrame([
        item(2, "spinach", 300, date=D1), supplement(3, "magnesium citrate", D1,
                                                     magnesium_mg=350.0),
        item(4, "spinach", 300, date=D2), supplement(5, "magnesium citrate", D2,
                                                     magnesium_mg=500.0),
        item(6, "spinach", 300, date=D3)])
    _, daily, targets, result = analyze(items)
    # supplements: 350 (at the limit, not above), 500 (above), 0 -> one day above
    assert result.at["magnesium_mg", "days_above_ul"] == 1
    assert result.at["magnesium_mg", "max_ul_intake"] == 500
    assert result.at["magnesium_mg", "status"] == "above_ul"
    warning = upper_limit_warnings(daily, targets).iloc[0]
    assert warning["dates"] == [D2]
    assert warning["message"].startswith("Magnesium from supplements: 500 mg on 1 day (2024-03-05)")


def test_calcium_from_food_alone_can_pass_its_limit():
    # 2300 g of whole milk a day is 2599 mg calcium, over the 2500 mg limit for the total
    items = pd.DataFrame([item(2, "whole milk", 2300, date=D1)])
    _, daily, targets, result = analyze(items)
    assert result.at["calcium_mg", "status"] == "above_ul"
    warning = upper_limit_warnings(daily, targets).set_index("nutrient").loc["calcium_mg"]
    assert warning["source"] == "food"
    assert warning["message"] == ("Calcium from food and supplements: 2,599 mg on 1 day "
                                  "(2024-03-04), above the 2,500 mg upper limit")


def test_an_overridden_upper_limit_is_used():
    items = pd.DataFrame([supplement(2, "b complex", D1, vitamin_b6_mg=25.0),
                          item(3, "banana", 100, date=D1)])
    _, _, _, standard = analyze(items)
    _, _, targets, efsa = analyze(items, overrides={"vitamin_b6_mg_ul": 12})
    assert standard.at["vitamin_b6_mg", "status"] == "within_ul"
    assert efsa.at["vitamin_b6_mg", "status"] == "above_ul"
    assert efsa.at["vitamin_b6_mg", "overridden"]


def test_an_overridden_target_changes_the_status():
    _, _, _, result = analyze(three_days(), overrides={"calcium": 400})
    # 399.5 / 400 = 99.875 % -> below, not meets
    assert result.at["calcium_mg", "pct_of_target"] == pytest.approx(99.875)
    assert result.at["calcium_mg", "status"] == "below"
    _, _, _, result = analyze(three_days(), overrides={"calcium": 399.5})
    assert result.at["calcium_mg", "status"] == "meets"


# --- incomplete data ------------------------------------------------------------------------


def test_an_unmatched_food_leaves_a_shortfall_undecided():
    items = pd.concat([three_days(), pd.DataFrame([item(14, "mystery bar", 60, date=D2)])])
    _, daily, _, result = analyze(items.reset_index(drop=True))
    # the bar adds nothing known: the totals are those of the hand-computed example
    assert daily["calcium_mg"].tolist() == pytest.approx([763, 148, 287.5])
    assert daily["calcium_mg_unknown"].tolist() == [0, 1, 0]
    assert daily["calcium_mg_incomplete"].tolist() == [False, True, False]
    # Ca was "well_below" on what is known; the bar could lift it, so the answer is open
    assert result.at["calcium_mg", "known_status"] == "well_below"
    assert result.at["calcium_mg", "status"] == "incomplete"
    assert result.at["calcium_mg", "incomplete"]
    assert result.at["calcium_mg", "incomplete_reason"] == (
        "1 item with no known Calcium amount; the figures count only what is known: "
        "1 not matched to a food (mystery bar)")
    # B12 already meets its target on what is known: missing amounts can only add to it
    assert result.at["vitamin_b12_ug", "status"] == "meets"
    assert result.at["vitamin_b12_ug", "incomplete"]
    # Mg over its supplement limit stays flagged whatever the bar holds
    assert result.at["magnesium_mg", "status"] == "above_ul"


def test_a_food_without_a_value_and_an_unweighed_food():
    items = pd.DataFrame([
        item(2, "dark chocolate", 50, date=D1), item(3, "salmon", 100, date=D1),
        item(4, "almonds", NAN, date=D2, amount_text="1 handful",
             problem="no 'handful' portion known for Nuts, almonds"),
        item(5, "whole milk", 200, date=D2)])
    _, daily, _, result = analyze(items)
    # vitamin D: day 1 salmon 100 g x 0.11 = 11 (+ chocolate unknown); day 2 milk 200 x 0.013
    # = 2.6 (+ almonds unknown) -> known average (11 + 2.6) / 2 = 6.8 = 45.3 % of 15
    assert daily["vitamin_d_ug"].tolist() == pytest.approx([11, 2.6])
    assert result.at["vitamin_d_ug", "average"] == pytest.approx(6.8)
    assert result.at["vitamin_d_ug", "unknown_items"] == 2
    assert result.at["vitamin_d_ug", "status"] == "incomplete"
    assert result.at["vitamin_d_ug", "incomplete_reason"] == (
        "2 items with no known Vitamin D amount; the figures count only what is known: "
        "1 amount not in grams (Nuts, almonds); 1 food without a value "
        "(Chocolate, dark, 70-85% cacao solids)")
    # magnesium: only the handful of almonds is unknown
    assert result.at["magnesium_mg", "unknown_items"] == 1


def test_a_day_with_nothing_known_is_unknown_not_zero_and_left_out():
    items = pd.DataFrame([item(2, "spinach", 100, date=D1), item(3, "mystery bar", 50, date=D2)])
    _, daily, _, result = analyze(items)
    assert daily["magnesium_mg"].tolist()[0] == 79
    assert math.isnan(daily["magnesium_mg"].tolist()[1])
    assert math.isnan(daily.at[pd.Timestamp(D2), "magnesium_mg_food"])
    assert daily.at[pd.Timestamp(D2), "magnesium_mg_supplement"] == 0  # no supplements logged
    # no food on D2 could be counted: it stays out of the average like an unlogged day,
    # rather than halving it (79 / 2 = 39.5)
    assert daily["left_out"].tolist() == [False, True]
    assert result.at["magnesium_mg", "days_logged"] == 1
    assert result.at["magnesium_mg", "average"] == pytest.approx(79)
    assert result.at["magnesium_mg", "days_met"] == 0
    assert result.at["magnesium_mg", "status"] == "well_below"  # the day left out adds nothing
    assert not result.at["magnesium_mg", "incomplete"]


def test_a_day_with_some_food_counted_stays_in_as_a_floor():
    items = pd.DataFrame([item(2, "spinach", 100, date=D1), item(3, "spinach", 100, date=D2),
                          item(4, "mystery bar", 50, date=D2)])
    _, daily, _, result = analyze(items)
    assert daily["left_out"].tolist() == [False, False]
    assert daily["counted_food_items"].tolist() == [1, 1]
    assert result.at["magnesium_mg", "days_logged"] == 2
    assert result.at["magnesium_mg", "average"] == pytest.approx(79)
    assert result.at["magnesium_mg", "status"] == "incomplete"


def test_a_left_out_day_still_counts_towards_upper_limits():
    # D2: the food is unknown and 400 mg of magnesium come from a supplement
    items = pd.DataFrame([item(2, "spinach", 100, date=D1), item(3, "mystery bar", 50, date=D2),
                          supplement(4, "magnesium glycinate", D2, magnesium_mg=400.0)])
    _, daily, targets, result = analyze(items)
    assert daily["left_out"].tolist() == [False, True]
    assert result.at["magnesium_mg", "average"] == pytest.approx(79)
    assert result.at["magnesium_mg", "average_supplement"] == 0
    assert result.at["magnesium_mg", "days_above_ul"] == 1
    assert result.at["magnesium_mg", "status"] == "above_ul"
    warnings = upper_limit_warnings(daily, targets)
    assert warnings["dates"].tolist() == [[D2]]


def test_every_day_left_out_is_said_plainly():
    items = pd.DataFrame([item(2, "mystery bar", 50, date=D1)])
    _, daily, _, result = analyze(items)
    assert set(result["status"]) == {"no_data"}
    assert notes(daily)[0].startswith("No logged day has a food that could be counted")


def test_days_without_items_are_not_zero_days():
    items = pd.DataFrame([item(2, "spinach", 500, date="2024-03-01"),
                          item(3, "spinach", 300, date="2024-03-08")])
    _, daily, _, result = analyze(items)
    # 500 g x 79 = 395 and 300 g x 79 = 237 over 2 logged days (not the 8 calendar days)
    assert list(daily.index) == [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-08")]
    assert result.at["magnesium_mg", "average"] == pytest.approx((395 + 237) / 2)
    assert result.at["magnesium_mg", "days_met"] == 1


def test_nothing_logged():
    items = pd.DataFrame([item(2, "spinach", 100)]).iloc[:0]
    _, daily, _, result = analyze(items)
    assert daily.empty
    assert set(result["status"]) == {"no_data"}
    assert notes(daily) == ["No days are logged, so there is nothing to compare with the "
                            "targets."]


# --- contributors and notes -----------------------------------------------------------------


def test_top_contributors_with_their_share():
    intake, *_ = analyze(three_days())
    top = top_contributors(intake, n=5)
    mg = top[top["nutrient"] == "magnesium_mg"]
    # period total 1635.5 mg: supplement 3 x 400 = 1200 (73.37 %), spinach 158 (9.66 %),
    # almonds 135 (8.25 %), milk 50 + 25 = 75 (4.59 %), salmon 40.5 (2.48 %); banana 27 is 6th
    assert mg["food"].tolist() == ["magnesium glycinate", "Spinach, raw", "Nuts, almonds",
                                   "Milk, whole", "Fish, salmon, Atlantic, farmed, raw"]
    assert mg["amount"].tolist() == pytest.approx([1200, 158, 135, 75, 40.5])
    assert mg["share_pct"].tolist() == pytest.approx([73.372, 9.6607, 8.2544, 4.5858, 2.4763],
                                                     rel=1e-4)
    assert mg["kind"].tolist() == ["supplement", "food", "food", "food", "food"]
    assert mg["items"].tolist() == [3, 1, 1, 2, 1]
    assert mg["rank"].tolist() == [1, 2, 3, 4, 5]
    # vitamin D comes from two foods only; foods giving none are not listed
    d = top[top["nutrient"] == "vitamin_d_ug"]
    assert d["food"].tolist() == ["Fish, salmon, Atlantic, farmed, raw", "Milk, whole"]
    assert d["share_pct"].sum() == pytest.approx(100)


def test_a_short_log_gets_a_note():
    _, daily, _, _ = analyze(three_days())
    assert notes(daily) == []
    assert len(notes(daily.iloc[:2])) == 1
    assert notes(daily.iloc[:2])[0].startswith("Only 2 days are logged.")
    assert notes(daily.iloc[:1])[0].startswith("Only 1 day is logged.")


# --- real data ------------------------------------------------------------------------------

COLUMNS = {"magnesium_mg": ("Magnesium (mg)", 1.0), "calcium_mg": ("Calcium (mg)", 1.0),
           "potassium_mg": ("Potassium (mg)", 1.0), "vitamin_d_ug": ("Vitamin D (IU)", 1 / 40),
           "vitamin_b12_ug": ("B12 (Cobalamin) (µg)", 1.0),
           "vitamin_b6_mg": ("B6 (Pyridoxine) (mg)", 1.0), "energy_kcal": ("Energy (kcal)", 1.0)}


def test_cronometer_days_add_up_and_blank_cells_are_counted(cronometer_dir):
    """The real export read by the meal-log reader, nothing matched: per-day totals equal the
    export's own filled cells summed by day, and each blank cell is one unknown item."""
    from nutrigap.analyzer.logs.meal_log import read_meal_log

    path = cronometer_dir / "dhjelmar_Diabetes" / "servings.csv"
    sums: dict = defaultdict(lambda: defaultdict(float))
    blanks: dict = defaultdict(lambda: defaultdict(int))
    with path.open(encoding="utf-8-sig", newline="") as fp:
        for row in csv.DictReader(fp):
            for key, (column, factor) in COLUMNS.items():
                if row[column].strip():
                    sums[row["Day"]][key] += float(row[column]) * factor
                else:
                    blanks[row["Day"]][key] += 1
    with path.open("rb") as fp:
        items, _ = read_meal_log(fp)
    table = small_food_table(FOODS)
    no_matches = matches_for({name: None for name in items["food"].unique()}, table)
    intake = item_nutrients(items, no_matches, table)
    daily = daily_totals(intake)
    assert [d.strftime("%Y-%m-%d") for d in daily.index] == sorted(sums)
    for day, expected in sums.items():
        got = daily.loc[pd.Timestamp(day)]
        for key in COLUMNS:
            assert got[key] == pytest.approx(expected[key], abs=1e-6), (day, key)
            assert got[f"{key}_unknown"] == blanks[day][key], (day, key)
    result = score(daily, targets_for(Profile(age=60, sex="male")), intake)
    assert (result["days_logged"] == 7).all()
    assert result.at["magnesium_mg", "incomplete"] == (daily["magnesium_mg_unknown"].sum() > 0)
    assert np.isfinite(result["average"]).all()


def test_a_log_through_the_whole_pipeline_with_the_built_in_foods(embedded_table):
    """Our CSV format read, matched against the built-in table, weighed, then scored."""
    import io

    from nutrigap.analyzer.logs.meal_log import read_meal_log
    from nutrigap.analyzer.matching.matcher import Matcher
    from nutrigap.analyzer.portions.grams import resolve_grams
    from nutrigap.analyzer.scoring.intake import missing_values

    log = ("date,meal,food,amount,unit\n"
           "2024-03-04,breakfast,Whole milk,500,g\n"
           '2024-03-04,lunch,"Spinach, raw",200,g\n'
           "2024-03-04,,supplement: magnesium,400,mg\n"
           "2024-03-05,snack,Almonds,50,g\n"
           '2024-03-05,dinner,"Salmon, farmed, raw",150,g\n'
           "2024-03-05,dinner,grandma's stew,300,g\n"
           "2024-03-06,snack,Banana,100,g\n"
           '2024-03-06,snack,"Dark chocolate, 70-85% cacao",30,g\n')
    items, _ = read_meal_log(io.BytesIO(log.encode()))
    foods = items.loc[items["kind"] == "food", "food"].unique()
    matches = Matcher(embedded_table).match(foods)
    items = resolve_grams(items, matches, embedded_table)
    intake = item_nutrients(items, matches, embedded_table)
    daily = daily_totals(intake)
    result = score(daily, targets_for(Profile(age=34, sex="female")), intake)

    per_100g = embedded_table.foods
    mg = per_100g["magnesium_mg"]
    vit_d = per_100g["vitamin_d_ug"]
    # day 1: milk 500 g + spinach 200 g from the table, and the 400 mg supplement
    assert daily["magnesium_mg"].iloc[0] == pytest.approx(
        5 * mg["sr:01077"] + 2 * mg["sr:11457"] + 400)
    assert daily["magnesium_mg_supplement"].tolist() == [400, 0, 0]
    # vitamin D: milk 500 g on day 1, salmon 150 g on day 2 (the stew is unmatched), the
    # banana's 0 on day 3, where the chocolate has no vitamin D value in the table
    assert math.isnan(vit_d["sr:19904"])
    assert daily["vitamin_d_ug"].tolist() == pytest.approx(
        [5 * vit_d["sr:01077"], 1.5 * vit_d["sr:15236"], vit_d["sr:09040"]])
    assert daily["vitamin_d_ug_unknown"].tolist() == [0, 1, 1]
    assert result.at["magnesium_mg", "status"] == "above_ul"
    assert result.at["vitamin_d_ug", "status"] == "incomplete"
    assert result.at["vitamin_d_ug", "incomplete_reason"].endswith(
        "1 not matched to a food (grandma's stew); 1 food without a value "
        "(Dark chocolate, 70-85% cacao)")
    missing = missing_values(intake)
    assert set(missing["food"]) == {"grandma's stew", "Dark chocolate, 70-85% cacao"}
    assert (missing["food"] == "grandma's stew").sum() == 6  # every scored nutrient
