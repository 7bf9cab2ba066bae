"""Supplements in a Cronometer servings export: kept apart from food, with the export's values."""

from __future__ import annotations

import csv
import io
import math

import pandas as pd
import pytest

from nutrigap.analyzer.logs.meal_log import read_meal_log
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS
from nutrigap.analyzer.scoring.scores import daily_totals, upper_limit_warnings
from nutrigap.analyzer.scoring.targets import Profile, targets_for

HEADER = ("Day,Time,Group,Food Name,Amount,Energy (kcal),B6 (Pyridoxine) (mg),"
          "B12 (Cobalamin) (µg),Vitamin D (IU),Calcium (mg),Magnesium (mg),Potassium (mg),"
          "Category")
# The nutrient columns a user hid in Cronometer: absent from the header.
HIDDEN = ["caffeine_mg", "alcohol_g", "water_g", "sodium_mg"]
# Rows as Cronometer writes them: a food, a fortified shake Cronometer files under
# "Supplements", and tablets logged in a diary group the user called "Supplements" (one with
# no category) or named like a supplement in any group.
EXPORT = HEADER + "\n" + "\n".join([
    '2022-11-03,9:51 AM,"Breakfast","Eggs, Cooked","4.00 medium",272.80,0.21,1.95,153.12,'
    '88.00,17.60,221.76,"Dairy and Egg Products"',
    '2022-11-03,9:52 AM,"Breakfast","Premier Protein, Protein Shake, Chocolate",'
    '"1.00 shake (11 fl oz)",160.00,0.40,0.60,240.00,650.00,90.00,320.00,"Supplements"',
    '2022-11-03,9:53 AM,"Supplements","Magnesium Glycinate, Doctor\'s Best","2.00 tablet",'
    '0.00,,,,,400.00,,""',
    '2022-11-03,9:53 AM,"Breakfast","Vitamin D3, NOW Foods","1.00 softgel",,,,5000.00,,,,',
    '2022-11-04,8:10 AM,"Snacks","Vitamin B6, Pyridoxine HCl","1.00 capsule",0.00,100.00,,,,'
    ',,"supplements"',
    '2022-11-04,8:15 AM,"Breakfast","Magnesium Citrate","0.00 tablet",0.00,,,,,0.00,,'
    '"Supplements"',
]) + "\n"


def read(text: str):
    return read_meal_log(io.BytesIO(text.encode("utf-8")))


def test_supplement_rows_are_supplements_with_the_exports_values_and_blanks_as_none():
    items, info = read(EXPORT)
    kinds = dict(zip(items["food"], items["kind"], strict=True))
    assert kinds == {"Eggs, Cooked": "food",
                     "Premier Protein, Protein Shake, Chocolate": "supplement",
                     "Magnesium Glycinate, Doctor's Best": "supplement",
                     "Vitamin D3, NOW Foods": "supplement",
                     "Vitamin B6, Pyridoxine HCl": "supplement"}
    by_food = items.set_index("food")
    glycinate = by_food.loc["Magnesium Glycinate, Doctor's Best"]
    assert glycinate["magnesium_mg"] == 400.0
    others = [k for k in NUTRIENT_KEYS if k != "magnesium_mg" and k not in HIDDEN]
    assert (glycinate[others] == 0).all()
    assert glycinate[HIDDEN].isna().all()  # columns the export lacks stay unknown
    assert (glycinate["quantity"], glycinate["unit"]) == (2, "tablet")
    assert by_food.loc["Vitamin D3, NOW Foods", "vitamin_d_ug"] == pytest.approx(125.0)
    assert by_food.loc["Vitamin B6, Pyridoxine HCl", "vitamin_b6_mg"] == 100.0
    shake = by_food.loc["Premier Protein, Protein Shake, Chocolate"]
    assert (shake["magnesium_mg"], shake["calcium_mg"], shake["energy_kcal"]) == (90, 650, 160)
    eggs = by_food.loc["Eggs, Cooked"]
    assert eggs["magnesium_mg"] == 17.60  # a food keeps its blanks unknown, as before
    assert info.skipped_rows == [7]
    assert any(note.startswith("4 rows are counted as supplements") and
               "Magnesium Glycinate, Doctor's Best (1 row)" in note for note in info.notes)


def test_a_supplements_blank_water_stays_unknown_and_blank_caffeine_is_none():
    # a label lists sodium, caffeine and alcohol when there are any, but never its water: an
    # 11 fl oz shake is mostly water
    export = ("Day,Time,Group,Food Name,Amount,Energy (kcal),Alcohol (g),Caffeine (mg),"
              "Water (g),Magnesium (mg),Sodium (mg),Category\n"
              '2022-11-03,9:52 AM,"Breakfast","Premier Protein, Protein Shake, Chocolate",'
              '"1.00 shake (11 fl oz)",160.00,,,,90.00,,"Supplements"\n'
              '2022-11-03,9:53 AM,"Breakfast","Caffeine Tablet","1.00 tablet",0.00,,200.00,,'
              ',,"Supplements"\n')
    items, _ = read(export)
    shake, tablet = items.set_index("food").loc[["Premier Protein, Protein Shake, Chocolate",
                                                 "Caffeine Tablet"]].itertuples()
    assert shake.sodium_mg == 0 and shake.magnesium_mg == 90
    assert (shake.caffeine_mg, shake.alcohol_g) == (0, 0)
    assert math.isnan(shake.water_g)
    assert (tablet.kind, tablet.caffeine_mg, tablet.sodium_mg) == ("supplement", 200, 0)


def test_a_magnesium_supplement_in_cronometer_reaches_the_supplement_upper_limit(
        embedded_table):
    from nutrigap.analyzer.scoring.intake import item_nutrients

    items, _ = read(EXPORT)
    matches = pd.DataFrame({"name": ["Eggs, Cooked"], "food_id": [math.nan],
                            "food_name": [math.nan]})
    intake = item_nutrients(items, matches, embedded_table)
    daily = daily_totals(intake)
    assert daily.loc[pd.Timestamp("2022-11-03"), "magnesium_mg_supplement"] == 490.0
    assert daily.loc[pd.Timestamp("2022-11-03"), "magnesium_mg_food"] == pytest.approx(17.6)
    warnings = upper_limit_warnings(daily, targets_for(Profile(age=50, sex="male")))
    assert "magnesium_mg" in set(warnings["nutrient"])


def test_the_real_exports_supplements_category_is_read_as_supplements(cronometer_dir):
    path = cronometer_dir / "dhjelmar_Diabetes" / "servings.csv"
    with path.open(encoding="utf-8", newline="") as fp:
        rows = {i + 2: r for i, r in enumerate(csv.DictReader(fp))}
    filed = {n for n, r in rows.items() if r["Category"] == "Supplements"
             and not r["Amount"].startswith("0.00 ")}
    assert len(filed) == 9  # the Premier Protein shakes this export files under Supplements
    with path.open("rb") as fp:
        items, _ = read_meal_log(fp)
    supplements = items[items["kind"] == "supplement"]
    assert set(supplements["row"]) == filed
    for item in supplements.itertuples():
        assert item.magnesium_mg == float(rows[item.row]["Magnesium (mg)"])
        assert item.calcium_mg == float(rows[item.row]["Calcium (mg)"])
        assert item.vitamin_d_ug == pytest.approx(float(rows[item.row]["Vitamin D (IU)"]) / 40)
