"""Amounts to grams through each matched food's own USDA portions."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyzer.food_table import FOOD_COLUMNS, PORTION_COLUMNS, FoodTable
from analyzer.meal_log import read_meal_log
from analyzer.portions import resolve_grams

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# Portions copied from SR28 WEIGHT.txt for five foods (NDB_No, Seq, Amount, Msre_Desc, Gm_Wgt).
SR28_PORTIONS = [
    ("sr:11457", 1, 1, "cup", 30), ("sr:11457", 2, 1, "bunch", 340),
    ("sr:11457", 3, 1, "leaf", 10), ("sr:11457", 4, 1, "package (10 oz)", 284),
    ("sr:01079", 1, 1, "cup", 244), ("sr:01079", 2, 1, "fl oz", 30.5),
    ("sr:01079", 3, 1, "quart", 976),
    ("sr:09040", 1, 1, "cup, mashed", 225), ("sr:09040", 2, 1, "cup, sliced", 150),
    ("sr:09040", 3, 1, 'extra small (less than 6" long)', 81),
    ("sr:09040", 4, 1, 'small (6" to 6-7/8" long)', 101),
    ("sr:09040", 5, 1, 'medium (7" to 7-7/8" long)', 118),
    ("sr:09040", 6, 1, 'large (8" to 8-7/8" long)', 136),
    ("sr:09040", 7, 1, 'extra large (9" or longer)', 152), ("sr:09040", 8, 1, "NLEA serving", 126),
    ("sr:11090", 1, 1, "cup chopped", 91), ("sr:11090", 2, 1, "bunch", 608),
    ("sr:11090", 3, 1, 'spear (about 5" long)', 31), ("sr:11090", 4, 1, "stalk", 151),
    ("sr:11090", 5, 0.5, "cup, chopped or diced", 44), ("sr:11090", 6, 1, "NLEA serving", 148),
    ("sr:01123", 1, 1, "large", 50), ("sr:01123", 2, 1, "extra large", 56),
    ("sr:01123", 3, 1, "jumbo", 63), ("sr:01123", 5, 1, "cup (4.86 large eggs)", 243),
    ("sr:01123", 6, 1, "medium", 44), ("sr:01123", 7, 1, "small", 38),
    ("sr:19095", 1, 1, "serving 1/2 cup", 66),
    ("sr:04053", 1, 1, "tablespoon", 13.5), ("sr:04053", 2, 1, "cup", 216),
    ("sr:04053", 3, 1, "tsp", 4.5),
]
NAMES = {"sr:11457": "Spinach, raw", "sr:01079": "Milk, reduced fat, 2%",
         "sr:09040": "Bananas, raw", "sr:11090": "Broccoli, raw", "sr:01123": "Egg, whole, raw",
         "sr:19095": "Ice creams, vanilla", "sr:04053": "Oil, olive"}
CUP_ML = 236.5882365


@pytest.fixture(scope="module")
def small_table() -> FoodTable:
    foods = pd.DataFrame({"name": list(NAMES.values())},
                         index=pd.Index(list(NAMES), name="food_id"))
    for column in FOOD_COLUMNS:
        if column not in foods:
            foods[column] = np.nan
    portions = pd.DataFrame(SR28_PORTIONS, columns=PORTION_COLUMNS)
    return FoodTable(foods[FOOD_COLUMNS], portions)


MATCHES = pd.DataFrame({"name": ["spinach", "milk", "banana", "broccoli", "egg", "ice cream",
                                 "olive oil", "mystery stew", "ghost"],
                        "food_id": ["sr:11457", "sr:01079", "sr:09040", "sr:11090", "sr:01123",
                                    "sr:19095", "sr:04053", np.nan, "sr:99999"]})


def weigh(rows: str, table: FoodTable, matches: pd.DataFrame = MATCHES) -> pd.DataFrame:
    text = "date,food,amount,unit\n" + "".join(f"2024-03-04,{row}\n" for row in rows.split(";"))
    items, _ = read_meal_log(io.BytesIO(text.encode("utf-8")))
    return resolve_grams(items, matches, table)


@pytest.mark.parametrize(("row", "grams"), [
    ("spinach,1,cup", 30),
    ("spinach,2,tbsp", 30 / 16 * 2),
    ("spinach,3,tsp", 30 / 48 * 3),
    ("spinach,2 leaves,", 20),
    ("spinach,1,bunch", 340),
    ("milk,1,cup", 244),
    ("milk,8,fl oz", 8 * 30.5),
    ("milk,250,ml", 250 * 244 / CUP_ML),
    ("milk,1,l", 1000 * 244 / CUP_ML),
    ("banana,2,medium", 236),
    ("banana,1,each", 118),
    ("banana,1,whole", 118),
    ("banana,1,large", 136),
    ("banana,1,extra large", 152),
    ("banana,1 cup sliced,", 150),
    ("banana,1,\"cup, mashed\"", 225),
    ("banana,1,serving", 126),
    ("broccoli,1 cup chopped,", 91),
    ("broccoli,1,cup", 91),
    ("broccoli,2,spears", 62),
    ("egg,2,eggs", 100),
    ("egg,1,jumbo", 63),
    ("ice cream,1,cup", 132),
    ("olive oil,1,Tbsp", 13.5),
    ("olive oil,2,tablespoons", 27),
    ("olive oil,1,tsp", 4.5),
    ("olive oil,1,fl oz", 27),
    ("banana,150,g", 150),
    ("egg,2,oz", 2 * 28.349523125),
])
def test_amounts_become_grams_through_the_foods_portions(row, grams, small_table):
    weighed = weigh(row, small_table)
    assert weighed.loc[0, "grams"] == pytest.approx(grams)
    assert weighed.loc[0, "conversion_problem"] == ""


@pytest.mark.parametrize(("row", "problem"), [
    ("spinach,3,slice", "no 'slice' portion known for Spinach, raw"),
    ("egg,1,slice", "no 'slice' portion known for Egg, whole, raw"),
    ("spinach,2,chop", "no 'chop' portion known for Spinach, raw"),
    ("mystery stew,1,cup", '"mystery stew" is not matched to a food, so "1 cup" cannot be '
                           "weighed"),
    ("ghost,1,cup", "food sr:99999 is not in the food table"),
])
def test_what_cannot_be_weighed_stays_unknown_with_the_reason(row, problem, small_table):
    weighed = weigh(row, small_table)
    assert math.isnan(weighed.loc[0, "grams"])
    assert weighed.loc[0, "conversion_problem"] == problem


def test_a_solid_without_a_volume_portion_is_not_given_water_density(small_table):
    table = FoodTable(small_table.foods,
                      small_table.portions[small_table.portions["description"] != "cup"])
    weighed = weigh("spinach,250,ml;spinach,1,cup", table)
    assert weighed["grams"].isna().all()
    assert set(weighed["conversion_problem"]) == {
        "no volume portion (cup, tbsp, fl oz) known for Spinach, raw"}


def test_masses_supplements_and_unmatched_masses_need_no_portion(small_table):
    weighed = weigh("mystery stew,200,g;supplement: magnesium,200,mg;banana,1,medium",
                    small_table)
    assert weighed["grams"].tolist()[0] == 200
    assert math.isnan(weighed.loc[1, "grams"])
    assert weighed["conversion_problem"].tolist() == ["", "", ""]
    assert weighed.loc[1, "magnesium_mg"] == 200


def test_a_count_with_its_volume_or_weight_written_beside_it(small_table):
    text = ("Day,Food Name,Amount,Magnesium (mg)\n"
            '2024-03-04,milk,"1.00 shake (11 fl oz)",\n'
            '2024-03-04,banana,"1.00 container - each 5.3 oz",\n')
    items, _ = read_meal_log(io.BytesIO(text.encode("utf-8")))
    weighed = resolve_grams(items, MATCHES, small_table)
    assert weighed.loc[0, "grams"] == pytest.approx(11 * 29.5735295625 * 244 / CUP_ML)
    assert weighed.loc[1, "grams"] == pytest.approx(5.3 * 28.349523125)


def test_the_items_keep_their_order_and_columns(small_table):
    weighed = weigh("banana,1,medium;spinach,1,cup;mystery stew,1,cup", small_table)
    assert weighed["food"].tolist() == ["banana", "spinach", "mystery stew"]
    assert list(weighed.columns[-1:]) == ["conversion_problem"]


# --- the built-in food table -------------------------------------------------------------


def test_builtin_table_weighs_spinach_and_milk_as_usda_does(embedded_table):
    matches = pd.DataFrame({"name": ["spinach", "milk"], "food_id": ["sr:11457", "sr:01079"]})
    weighed = weigh("spinach,1,cup;milk,1,cup;spinach,1,slice", embedded_table, matches)
    assert weighed["grams"].tolist()[:2] == [30, 244]
    assert weighed.loc[2, "conversion_problem"] == "no 'slice' portion known for Spinach, raw"


def test_every_item_of_the_bundled_example_is_matched_and_weighed(embedded_table):
    from analyzer.matching import Matcher

    with (EXAMPLES / "example-log.csv").open("rb") as fp:
        items, info = read_meal_log(fp)
    assert (info.days, info.rows_skipped) == (7, 0)
    names = items.loc[items["kind"] == "food", "food"].unique()
    matches = Matcher(embedded_table).match(names)
    assert matches["food_id"].notna().all()
    weighed = resolve_grams(items, matches, embedded_table)
    foods = weighed[weighed["kind"] == "food"]
    assert (foods["conversion_problem"] == "").all()
    assert (foods["grams"] > 0).all()
    supplements = weighed[weighed["kind"] == "supplement"]
    assert set(supplements["food"]) == {"magnesium", "B6"}


def test_the_template_reads_cleanly(embedded_table):
    with (EXAMPLES / "template.csv").open("rb") as fp:
        items, info = read_meal_log(fp)
    assert info.format == "nutrigap"
    assert len(items) == 5
