"""Supplements in a Cronometer servings export: kept apart from food by what each row is (a
supplement's name, a dose unit, Cronometer's Supplements category without a food's energy),
never by the diary group a user named, with the export's values."""

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
# "Supplements" (a food: 160 kcal), tablets logged in a diary group the user called
# "Supplements" (one with no category) or named like a supplement in any group, and foods the
# user logged in that group.
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
    '2022-11-04,8:20 AM,"Supplements","Walnuts","1.00 oz",185.00,0.15,0.00,0.00,27.7,44.8,'
    '125.0,"Nut and Seed Products"',
    '2022-11-04,8:21 AM,"Supplements","Cinnamon, Ground","1.00 tsp",6.42,,,,26.05,1.56,'
    '11.21,"Spices and Herbs"',
]) + "\n"


def read(text: str):
    return read_meal_log(io.BytesIO(text.encode("utf-8")))


def test_supplement_rows_are_supplements_with_the_exports_values_and_blanks_as_none():
    items, info = read(EXPORT)
    kinds = dict(zip(items["food"], items["kind"], strict=True))
    assert kinds == {"Eggs, Cooked": "food",
                     "Premier Protein, Protein Shake, Chocolate": "food",
                     "Magnesium Glycinate, Doctor's Best": "supplement",
                     "Vitamin D3, NOW Foods": "supplement",
                     "Vitamin B6, Pyridoxine HCl": "supplement",
                     "Walnuts": "food", "Cinnamon, Ground": "food"}
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
    assert eggs["magnesium_mg"] == 17.60
    assert math.isnan(by_food.loc["Cinnamon, Ground", "vitamin_d_ug"])  # a food's blank: unknown
    assert info.skipped_rows == [7]
    assert any(note.startswith("3 rows are counted as supplements") and
               "Magnesium Glycinate, Doctor's Best (1 row)" in note for note in info.notes)


@pytest.mark.parametrize(("name", "amount", "kcal", "category", "kind"), [
    # a dose unit makes a supplement, whatever the name or the category
    ("Nature's Way, Alive!", "2.00 tablet", "10.00", "", "supplement"),
    ("Sleep Aid", "1.00 softgel", "", "Snacks", "supplement"),
    ("D-Drops", "2.00 drops", "0.00", "", "supplement"),
    ("Vitamin K2", "100.00 mcg", "0.00", "", "supplement"),
    # a supplement's name, alone or followed by a dose, scored or not
    ("Vitamin D3 2000 IU", "1.00 each", "0.00", "", "supplement"),
    ("Creatine Monohydrate, Powder", "5.00 g", "0.00", "Snacks", "supplement"),
    ("Fish Oil 1000 mg, Softgel", "2.00 each", "20.00", "", "supplement"),
    # Cronometer's Supplements category: a supplement without a food's energy...
    ("Greens Blend", "1.00 scoop", "20.00", "Supplements", "supplement"),
    ("Collagen Peptides", "1.00 scoop", "", "Supplements", "supplement"),
    # ...and a food with it: a protein powder's magnesium is the food's own
    ("Whey Protein Powder, Vanilla", "1.00 scoop", "120.00", "Supplements", "food"),
    ("Premier Protein, Shake", "1.00 shake (11 fl oz)", "160.00", "Supplements", "food"),
    # a diary group's name says nothing, nor a food's own word "ground"
    ("Turmeric, Ground", "1.00 tsp", "9.36", "Spices and Herbs", "food"),
    ("Banana, Raw", "1.00 medium", "105.02", "Fruits and Fruit Juices", "food"),
])
def test_a_row_is_a_supplement_by_what_it_is(name, amount, kcal, category, kind):
    row = (f'2024-01-02,9:00 AM,"Supplements","{name}","{amount}",{kcal},,,,,40.00,,'
           f'"{category}"')
    items, _ = read(HEADER + "\n" + row + "\n")
    assert items["kind"].tolist() == [kind]


def test_a_supplements_blank_water_stays_unknown_and_blank_caffeine_is_none():
    # a label lists sodium, caffeine and alcohol when there are any, but never its water; a
    # protein shake (160 kcal) is a food, whose blanks stay unknown like any food's
    export = ("Day,Time,Group,Food Name,Amount,Energy (kcal),Alcohol (g),Caffeine (mg),"
              "Water (g),Magnesium (mg),Sodium (mg),Category\n"
              '2022-11-03,9:52 AM,"Breakfast","Magnesium Drink Mix","1.00 scoop",15.00,,,,'
              '90.00,,"Supplements"\n'
              '2022-11-03,9:53 AM,"Breakfast","Caffeine Tablet","1.00 tablet",0.00,,200.00,,'
              ',,"Supplements"\n'
              '2022-11-03,9:54 AM,"Breakfast","Premier Protein, Protein Shake, Chocolate",'
              '"1.00 shake (11 fl oz)",160.00,,,,90.00,,"Supplements"\n')
    items, _ = read(export)
    mix, tablet, shake = items.set_index("food").loc[[
        "Magnesium Drink Mix", "Caffeine Tablet",
        "Premier Protein, Protein Shake, Chocolate"]].itertuples()
    assert (mix.kind, mix.sodium_mg, mix.magnesium_mg) == ("supplement", 0, 90)
    assert (mix.caffeine_mg, mix.alcohol_g) == (0, 0)
    assert math.isnan(mix.water_g)
    assert (tablet.kind, tablet.caffeine_mg, tablet.sodium_mg) == ("supplement", 200, 0)
    assert shake.kind == "food" and math.isnan(shake.sodium_mg) and math.isnan(shake.water_g)


def test_a_magnesium_supplement_in_cronometer_reaches_the_supplement_upper_limit(
        embedded_table):
    from nutrigap.analyzer.scoring.intake import item_nutrients

    items, _ = read(EXPORT)
    matches = pd.DataFrame({"name": ["Eggs, Cooked"], "food_id": [math.nan],
                            "food_name": [math.nan]})
    intake = item_nutrients(items, matches, embedded_table)
    daily = daily_totals(intake)
    # the tablet's 400 mg; the shake's 90 mg is a food's, beside the eggs' 17.6
    assert daily.loc[pd.Timestamp("2022-11-03"), "magnesium_mg_supplement"] == 400.0
    assert daily.loc[pd.Timestamp("2022-11-03"), "magnesium_mg_food"] == pytest.approx(107.6)
    warnings = upper_limit_warnings(daily, targets_for(Profile(age=50, sex="male")))
    assert "magnesium_mg" in set(warnings["nutrient"])


def test_the_real_exports_protein_shakes_are_foods_with_the_exports_values(cronometer_dir):
    path = cronometer_dir / "dhjelmar_Diabetes" / "servings.csv"
    with path.open(encoding="utf-8", newline="") as fp:
        rows = {i + 2: r for i, r in enumerate(csv.DictReader(fp))}
    filed = {n for n, r in rows.items() if r["Category"] == "Supplements"
             and not r["Amount"].startswith("0.00 ")}
    assert len(filed) == 9  # the Premier Protein shakes this export files under Supplements
    with path.open("rb") as fp:
        items, _ = read_meal_log(fp)
    assert not items["kind"].eq("supplement").any()  # 160 kcal each: eaten as a food
    shakes = items[items["row"].isin(filed)]
    assert len(shakes) == 9
    for item in shakes.itertuples():
        assert item.magnesium_mg == float(rows[item.row]["Magnesium (mg)"])
        assert item.calcium_mg == float(rows[item.row]["Calcium (mg)"])
        assert item.vitamin_d_ug == pytest.approx(float(rows[item.row]["Vitamin D (IU)"]) / 40)
