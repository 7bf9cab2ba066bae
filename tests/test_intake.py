"""Nutrient amounts per logged item: logged cells, grams x per-100 g values, supplements, and
amounts nobody knows (kept as NaN and listed with a reason)."""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest

from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS
from nutrigap.analyzer.scoring.intake import item_nutrients, missing_values

NAN = math.nan

# Per 100 g, from USDA SR28 (NUT_DATA): Mg, Ca, K, vitamin D (µg), B12, B6, kcal,
# caffeine, alcohol, water, sodium.
# SR28 has no vitamin D or alcohol value at all for the dark chocolate.
SR28_ROWS = {
    "sr:11457": ("Spinach, raw", 79, 99, 558, 0.0, 0.0, 0.195, 23, 0, 0.0, 91.40, 79),
    "sr:01077": ("Milk, whole, 3.25% milkfat, with added vitamin D", 10, 113, 132, 1.3, 0.45,
                 0.036, 61, 0, 0.0, 88.13, 43),
    "sr:19904": ("Chocolate, dark, 70-85% cacao solids", 228, 73, 715, NAN, 0.28, 0.038, 598,
                 80, NAN, 1.37, 20),
    "sr:12061": ("Nuts, almonds", 270, 269, 733, 0.0, 0.0, 0.137, 579, 0, 0.0, 4.41, 1),
}


def small_food_table(rows=SR28_ROWS) -> FoodTable:
    foods = pd.DataFrame(
        [{"food_id": fid, "name": name, "source": "sr28", **dict(zip(NUTRIENT_KEYS, values,
                                                                     strict=True))}
         for fid, (name, *values) in rows.items()]).set_index("food_id")
    return FoodTable(foods)


def item(row, food, grams=NAN, *, date="2022-11-04", kind="food", amount_text=None,
         problem="", **logged):
    """One row of the items table as the meal-log reader and portions step leave it."""
    values = {k: (0.0 if kind == "supplement" else NAN) for k in NUTRIENT_KEYS}
    values.update(logged)
    return {"row": row, "client": "", "date": pd.Timestamp(date), "meal": "", "food": food,
            "kind": kind, "amount_text": amount_text or f"{grams} g", "quantity": grams,
            "unit": "g", "grams": grams, "ml": NAN, **values, "portion_text": "",
            "conversion_problem": problem}


def matches_for(pairs: dict[str, str | None], table: FoodTable) -> pd.DataFrame:
    """The matcher's output: one row per distinct name."""
    return pd.DataFrame([
        {"name": name, "food_id": fid if fid else NAN,
         "food_name": table.foods.at[fid, "name"] if fid else NAN,
         "confidence": 100.0 if fid else 40.0, "method": "exact" if fid else "unmatched",
         "candidates": []}
        for name, fid in pairs.items()],
        columns=["name", "food_id", "food_name", "confidence", "method", "candidates"])


@pytest.fixture
def table():
    return small_food_table()


def test_grams_times_the_matched_foods_values(table):
    items = pd.DataFrame([item(2, "spinach", 200), item(3, "whole milk", 250)])
    intake = item_nutrients(items, matches_for({"spinach": "sr:11457",
                                                "whole milk": "sr:01077"}, table), table)
    # spinach: 200 g x 79 mg / 100 g = 158 mg Mg; 200 x 0.195 / 100 = 0.39 mg B6
    # milk:    250 g x 113 mg / 100 g = 282.5 mg Ca; 250 x 1.3 / 100 = 3.25 µg vitamin D
    assert intake.loc[0, ["magnesium_mg", "calcium_mg", "potassium_mg", "vitamin_d_ug",
                          "vitamin_b12_ug", "vitamin_b6_mg", "energy_kcal"]].tolist() == \
        pytest.approx([158, 198, 1116, 0, 0, 0.39, 46])
    assert intake.loc[1, ["calcium_mg", "vitamin_d_ug", "vitamin_b12_ug"]].tolist() == \
        pytest.approx([282.5, 3.25, 1.125])
    assert intake["value_source"].tolist() == ["matched", "matched"]
    assert intake["food_id"].tolist() == ["sr:11457", "sr:01077"]
    assert intake.loc[0, "food_name"] == "Spinach, raw"
    assert missing_values(intake).empty


def test_cells_the_log_gives_are_used_as_they_are(table):
    # a Cronometer row: its own values win over SR28's, blank cells are looked up
    row = item(5, "Spinach", 100, magnesium_mg=80.0, calcium_mg=100.0, potassium_mg=560.0,
               vitamin_b12_ug=0.0, vitamin_b6_mg=0.2, energy_kcal=23.0)
    intake = item_nutrients(pd.DataFrame([row]), matches_for({"Spinach": "sr:11457"}, table),
                            table)
    got = intake.iloc[0]
    assert got["magnesium_mg"] == 80.0 and got["calcium_mg"] == 100.0
    assert got["vitamin_b6_mg"] == 0.2
    assert got["vitamin_d_ug"] == 0.0  # blank in the export: 100 g x 0.0 µg / 100 g
    assert got["value_source"] == "logged"


def test_logged_values_need_no_match_and_no_grams(table):
    row = item(7, "Publix, Cottage Cheese, Fat Free", NAN, amount_text="1.00 cup",
               magnesium_mg=18.0, calcium_mg=178.57, potassium_mg=290.0, vitamin_d_ug=0.0,
               vitamin_b12_ug=1.1, vitamin_b6_mg=0.1, energy_kcal=160.0,
               problem="\"Publix, Cottage Cheese, Fat Free\" is not matched to a food")
    intake = item_nutrients(pd.DataFrame([row]),
                            matches_for({"Publix, Cottage Cheese, Fat Free": None}, table), table)
    assert intake.loc[0, "value_source"] == "logged"
    assert intake.loc[0, "calcium_mg"] == 178.57
    assert pd.isna(intake.loc[0, "food_id"]) and pd.isna(intake.loc[0, "food_name"])
    assert missing_values(intake).empty


def test_supplements_keep_their_values_even_when_the_name_matches_a_food(table):
    rows = [item(2, "magnesium glycinate", kind="supplement", amount_text="400 mg",
                 magnesium_mg=400.0),
            item(3, "almonds", kind="supplement", amount_text="1 capsule", magnesium_mg=50.0)]
    intake = item_nutrients(pd.DataFrame(rows),
                            matches_for({"magnesium glycinate": None, "almonds": "sr:12061"},
                                        table), table)
    assert intake["value_source"].tolist() == ["supplement", "supplement"]
    assert intake["magnesium_mg"].tolist() == [400.0, 50.0]
    assert intake["calcium_mg"].tolist() == [0.0, 0.0]
    assert intake["food_id"].isna().all()
    assert intake["food_name"].tolist() == ["magnesium glycinate", "almonds"]


def test_unmatched_and_unweighed_items_are_unknown_not_zero(table):
    rows = [item(2, "grandma's stew", 300), item(3, "almonds", NAN, amount_text="1 handful",
                                                 problem="no 'handful' portion known for "
                                                         "Nuts, almonds")]
    intake = item_nutrients(pd.DataFrame(rows),
                            matches_for({"grandma's stew": None, "almonds": "sr:12061"}, table),
                            table)
    assert intake["value_source"].tolist() == ["unmatched", "unconverted"]
    assert np.isnan(intake[NUTRIENT_KEYS].to_numpy()).all()
    assert intake.loc[1, "food_id"] == "sr:12061"
    missing = missing_values(intake)
    # five target nutrients + B6 for each of the two items
    assert len(missing) == 12
    stew = missing[missing["row"] == 2]
    assert set(stew["cause"]) == {"unmatched"}
    assert stew["reason"].iloc[0] == "no food matched \"grandma's stew\""
    nuts = missing[missing["row"] == 3]
    assert set(nuts["cause"]) == {"unconverted"}
    assert nuts["reason"].iloc[0] == "no 'handful' portion known for Nuts, almonds"
    assert list(missing["nutrient"].unique()) == ["magnesium_mg", "calcium_mg", "potassium_mg",
                                                  "vitamin_d_ug", "vitamin_b12_ug",
                                                  "vitamin_b6_mg"]


def test_a_food_without_a_value_is_unknown_for_that_nutrient_only(table):
    intake = item_nutrients(pd.DataFrame([item(4, "dark chocolate", 50)]),
                            matches_for({"dark chocolate": "sr:19904"}, table), table)
    # 50 g x 228 mg / 100 g = 114 mg Mg; SR28 gives no vitamin D for it
    assert intake.loc[0, "magnesium_mg"] == pytest.approx(114)
    assert math.isnan(intake.loc[0, "vitamin_d_ug"])
    assert intake.loc[0, "value_source"] == "matched"
    missing = missing_values(intake)
    assert missing[["nutrient", "row", "cause", "food_id"]].values.tolist() == [
        ["vitamin_d_ug", 4, "no value", "sr:19904"]]
    assert missing.loc[0, "reason"] == "Chocolate, dark, 70-85% cacao solids has no Vitamin D value"


def test_a_log_gap_that_the_food_table_cannot_fill_says_both(table):
    # an export with the vitamin D column hidden, for a food the table lacks vitamin D for,
    # and one for a food that did not match at all
    rows = [item(9, "Dark Chocolate 85%", 20, magnesium_mg=45.6, calcium_mg=14.6,
                 potassium_mg=143.0, vitamin_b12_ug=0.06, vitamin_b6_mg=0.01, energy_kcal=120.0),
            item(10, "Protein Bar", NAN, amount_text="1.00 bar", magnesium_mg=30.0,
                 calcium_mg=200.0, potassium_mg=150.0, vitamin_b12_ug=0.5, vitamin_b6_mg=0.2,
                 energy_kcal=200.0)]
    intake = item_nutrients(pd.DataFrame(rows),
                            matches_for({"Dark Chocolate 85%": "sr:19904", "Protein Bar": None},
                                        table), table)
    assert intake["value_source"].tolist() == ["logged", "logged"]
    missing = missing_values(intake)
    assert missing["nutrient"].tolist() == ["vitamin_d_ug", "vitamin_d_ug"]
    assert missing["cause"].tolist() == ["no value", "unmatched"]
    assert missing["reason"].tolist() == [
        "the log gives no Vitamin D and Chocolate, dark, 70-85% cacao solids has no Vitamin D "
        "value",
        'the log gives no Vitamin D and no food matched "Protein Bar"']


def test_the_items_index_and_columns_are_kept(table):
    items = pd.DataFrame([item(2, "spinach", 100), item(3, "spinach", 50)], index=[10, 11])
    intake = item_nutrients(items, matches_for({"spinach": "sr:11457"}, table), table)
    assert list(intake.index) == [10, 11]
    assert list(intake.columns[:len(items.columns)]) == list(items.columns)
    assert {"food_id", "food_name", "value_source"} <= set(intake.columns)
    assert intake["magnesium_mg"].tolist() == pytest.approx([79, 39.5])


def test_missing_values_for_chosen_nutrients(table):
    intake = item_nutrients(pd.DataFrame([item(2, "stew", 100)]), matches_for({"stew": None},
                                                                               table), table)
    assert missing_values(intake, ["energy_kcal"])["nutrient"].tolist() == ["energy_kcal"]


# --- real data ------------------------------------------------------------------------------

# Cronometer foods logged in grams whose values agree with one SR28 food (../shared README)
CRONOMETER_TO_SR28 = {"Mozzarella Cheese, Part Skim Milk": "sr:01029",
                      "Blackberries, Fresh": "sr:09042"}
CRONOMETER_COLUMNS = {"magnesium_mg": ("Magnesium (mg)", 1.0), "calcium_mg": ("Calcium (mg)", 1.0),
                      "potassium_mg": ("Potassium (mg)", 1.0),
                      "vitamin_d_ug": ("Vitamin D (IU)", 1 / 40),
                      "vitamin_b12_ug": ("B12 (Cobalamin) (µg)", 1.0),
                      "vitamin_b6_mg": ("B6 (Pyridoxine) (mg)", 1.0)}


def test_grams_times_sr28_agree_with_cronometer(cronometer_dir, sr28_table):
    """Cronometer's own per-item values are ground truth for grams x SR28 per 100 g."""
    path = cronometer_dir / "dhjelmar_Diabetes" / "servings.csv"
    with path.open(encoding="utf-8-sig", newline="") as fp:
        logged = [r for r in csv.DictReader(fp)
                  if r["Food Name"] in CRONOMETER_TO_SR28 and r["Amount"].endswith(" g")]
    assert len(logged) == 5
    rows = [item(i + 2, r["Food Name"], float(r["Amount"].removesuffix(" g")), date=r["Day"])
            for i, r in enumerate(logged)]
    matches = matches_for(CRONOMETER_TO_SR28, sr28_table)
    intake = item_nutrients(pd.DataFrame(rows), matches, sr28_table)
    assert set(intake["value_source"]) == {"matched"}
    for got, expected in zip(intake.to_dict("records"), logged, strict=True):
        for key, (column, factor) in CRONOMETER_COLUMNS.items():
            truth = float(expected[column]) * factor
            # the README's tolerance for this comparison: 2 %, or 0.6 for small values
            assert abs(got[key] - truth) <= max(0.02 * truth, 0.6), (expected["Food Name"], key)


def test_a_match_to_a_food_the_table_lacks_counts_as_unmatched(table):
    # e.g. a corrections file naming a food from a larger database than the one loaded
    intake = item_nutrients(pd.DataFrame([item(2, "kefir", 200)]),
                            pd.DataFrame({"name": ["kefir"], "food_id": ["sr:01289"],
                                          "food_name": ["Kefir, lowfat, plain"],
                                          "confidence": [100.0], "method": ["correction"],
                                          "candidates": [[]]}), table)
    assert intake.loc[0, "value_source"] == "unmatched"
    assert pd.isna(intake.loc[0, "food_id"]) and pd.isna(intake.loc[0, "food_name"])
    assert missing_values(intake)["cause"].unique().tolist() == ["unmatched"]
