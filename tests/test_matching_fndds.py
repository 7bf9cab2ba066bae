"""Matching against SR28 with the FNDDS survey foods imported on top (and the built-in
foods' aliases), as a dietitian's database with both imports is loaded; plus the rules the
FNDDS names brought in, on small tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nutrigap.analyzer.food_table import FOOD_COLUMNS, FoodTable
from nutrigap.analyzer.matching.matcher import THRESHOLD, Matcher


@pytest.fixture(scope="module")
def fndds_table(fndds_dir):
    from nutrigap.foods.fndds import read_fndds

    return read_fndds(fndds_dir)


@pytest.fixture(scope="module")
def both_matcher(sr28_table, fndds_table, embedded_table):
    return Matcher(sr28_table.merged_with(fndds_table).merged_with(embedded_table))


# Names from real logs and NHANES descriptions, and the foods acceptable for them.
CASES = [
    ("Eggplant Parm", {"fndds:75412060"}),  # Eggplant parmesan casserole, regular
    ("Chicken or turkey parmigiana", {"fndds:27146300"}),
    ("Guacamole", {"fndds:63409010"}),
    ("Pizza, Homemade or Restaurant, Cheese, Thin Crust", {"fndds:58106220"}),
    ("Milk, Skim, Fat Free", {"fndds:11113000", "sr:01085", "sr:01151"}),
    # fruit on the bottom is not "flavors other than fruit"
    ("Chobani, Fruit On the Bottom Non-Fat Greek Yogurt, All Flavors", {"fndds:11434020"}),
    # a tossed salad is a lettuce salad, not salad dressing
    ("Tossed Salad, Plain, without Dressing", {"sr:11253", "fndds:75143000", "fndds:75143050"}),
    ("tossed salad", {"sr:11253", "fndds:75143000", "fndds:75143050"}),
]
# Foods neither table has: a food that has the typed word only in what it is made with is
# not the food ("Oatmeal, made with milk" is not oat milk).
NOT_IN_EITHER = ["Oatly, Oat Milk", "oat milk", "Boursin, Garlic & Herb"]


@pytest.mark.parametrize("name, acceptable", CASES, ids=[n for n, _ in CASES])
def test_names_against_sr28_and_fndds(both_matcher, name, acceptable):
    row = both_matcher.match([name]).iloc[0]
    assert row["food_id"] in acceptable, (row["food_name"], row["candidates"])


@pytest.mark.parametrize("name", NOT_IN_EITHER)
def test_foods_neither_table_has_are_unmatched(both_matcher, name):
    row = both_matcher.match([name]).iloc[0]
    assert row["method"] == "unmatched", (row["food_name"], row["confidence"])


def test_baby_foods_and_formula_are_left_out_unless_asked(both_matcher, fndds_table):
    groups = fndds_table.foods["food_group"]
    baby = set(fndds_table.foods.index[groups.str.startswith(("Baby", "Formula"))])
    assert baby  # FNDDS files baby foods and formula under these WWEIA categories
    everyday = both_matcher.match(["applesauce", "carrots, cooked", "chicken and rice",
                                   "oatmeal cereal"])
    assert not set(everyday["food_id"]) & baby, everyday[["name", "food_name"]]
    asked = both_matcher.match(["baby food applesauce", "infant formula, ready-to-feed"])
    assert set(asked["food_id"]) <= baby, asked[["name", "food_name"]]


def _table(names: dict[str, str]) -> FoodTable:
    foods = pd.DataFrame({"name": list(names.values()), "source": "fndds",
                          "usda_description": list(names.values()), "food_group": ""},
                         index=pd.Index(list(names), name="food_id"))
    for column in FOOD_COLUMNS:
        if column not in foods:
            foods[column] = np.nan
    foods["tags"] = ""
    return FoodTable(foods[FOOD_COLUMNS])


def test_what_a_food_is_made_with_does_not_name_it():
    matcher = Matcher(_table({"a": "Oatmeal, regular or quick, made with milk",
                              "b": "Oatmeal, regular or quick, made with water",
                              "c": "Milk, whole"}))
    rows = matcher.match(["oat milk", "oatmeal made with milk", "whole milk"])
    assert rows["food_id"].tolist() == [None, "a", "c"], rows[["name", "food_name"]]


def test_parm_is_the_dish_not_the_cheese():
    matcher = Matcher(_table({"a": "Cheese, Parmesan, dry grated",
                              "b": "Eggplant parmesan casserole, regular",
                              "c": "Eggplant, raw"}))
    rows = matcher.match(["eggplant parm", "Eggplant parmigiana", "grated parmesan"])
    assert rows["food_id"].tolist() == ["b", "b", "a"], rows[["name", "food_name"]]
    without_dish = Matcher(_table({"a": "Cheese, Parmesan, dry grated", "c": "Eggplant, raw"}))
    assert without_dish.match(["eggplant parm"]).loc[0, "method"] == "unmatched"


@pytest.mark.parametrize("name, acceptable", [
    ("Premier Protein, Protein Shake, Chocolate", {"fndds:95120010"}),
    ("Ian's, Bread Crumbs, Panko, Original", {"sr:18079"}),  # Bread crumbs, dry, plain
    ("Wholly Guacamole, Avocado Verde, Mild", {"fndds:63409010"}),
])
def test_a_maker_first_is_read_past(both_matcher, name, acceptable):
    row = both_matcher.match([name]).iloc[0]
    assert row["food_id"] in acceptable, (row["food_name"], row["candidates"])


def test_a_maker_the_table_lacks_costs_some_confidence_not_the_match():
    matcher = Matcher(_table({"a": "Bread crumbs, dry, grated, plain",
                              "b": "Bread, whole wheat",
                              "c": "Guacamole, NFS", "d": "Avocado, raw"}))
    rows = matcher.match(["Ian's, Bread Crumbs, Plain", "Bread Crumbs, Plain",
                          "Wholly Guacamole, Avocado Verde, Mild"]).set_index("name")
    branded, plain = rows.loc["Ian's, Bread Crumbs, Plain"], rows.loc["Bread Crumbs, Plain"]
    assert branded["food_id"] == plain["food_id"] == "a"
    assert THRESHOLD <= branded["confidence"] < plain["confidence"] - 5
    # "Wholly Guacamole" names the food, so what follows is not read as it
    assert rows.loc["Wholly Guacamole, Avocado Verde, Mild", "food_id"] in ("c", None)
