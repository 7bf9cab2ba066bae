"""Everyday amounts weighed: a count with no unit, a handful, a glass, a bowl, a serving, and
"oz" written for a drink. Portions copied from FNDDS 2017-18 Portions and Weights."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

from nutrigap.analyzer.food_table import FOOD_COLUMNS, PORTION_COLUMNS, FoodTable
from nutrigap.analyzer.logs.meal_log import read_meal_log
from nutrigap.analyzer.portions.grams import resolve_grams

FOODS = {  # food_id: (name, WWEIA category)
    "fndds:27540310": ("Turkey sandwich, with spread", "Chicken/turkey sandwiches (single code)"),
    "fndds:93101000": ("Beer", "Beer"),
    "fndds:42100100": ("Almonds, NFS", "Nuts and seeds"),
    "fndds:72125100": ("Spinach, raw", "Spinach"),
    "fndds:93401010": ("Wine, table, red", "Wine"),
    "fndds:61210000": ("Orange juice, 100%, NFS", "Citrus juice"),
    "fndds:95120010": ("Nutritional drink or shake, high protein, ready-to-drink, NFS",
                       "Nutritional beverages"),
    "fndds:58403010": ("Chicken or turkey noodle soup, canned or ready-to-serve", "Soups"),
    "fndds:92101000": ("Coffee, brewed", "Coffee"),
    "fndds:14104100": ("Cheese, Cheddar", "Cheese"),
}
PORTIONS = [
    ("fndds:27540310", 1, 1, "sandwich", 143),
    ("fndds:93101000", 1, 1, "fl oz", 30),
    ("fndds:93101000", 2, 1, "can or bottle (12 fl oz)", 360),
    ("fndds:93101000", 3, 1, "can or bottle (16 fl oz)", 480),
    ("fndds:93101000", 4, 1, "bottle (40 fl oz)", 1200),
    ("fndds:42100100", 1, 1, "nut", 1.2), ("fndds:42100100", 2, 1, "cup", 141),
    ("fndds:42100100", 3, 1, "package", 50), ("fndds:42100100", 5, 1, "oz", 28.35),
    ("fndds:72125100", 1, 1, "cup", 25), ("fndds:72125100", 2, 1, "leaf", 10),
    ("fndds:93401010", 1, 1, "fl oz", 30), ("fndds:93401010", 2, 1, "glass", 180),
    ("fndds:93401010", 3, 0.5, "bottle", 375),
    ("fndds:61210000", 1, 1, "fl oz (no ice)", 31),
    ("fndds:61210000", 2, 1, "fl oz (with ice)", 23),
    ("fndds:61210000", 5, 1, "juice box/pouch (6.75 fl oz)", 209),
    ("fndds:95120010", 1, 1, "cup", 256), ("fndds:95120010", 2, 1, "fl oz", 32),
    ("fndds:95120010", 4, 1, "bottle or box, NFS", 544),
    ("fndds:95120010", 7, 1, "single serving box (17 fl oz) Myoplex", 544),
    ("fndds:58403010", 1, 1, "cup", 241), ("fndds:58403010", 5, 1, "microwave bowl", 434),
    ("fndds:92101000", 1, 1, "fl oz", 30), ("fndds:92101000", 2, 1, "cup (8 fl oz)", 240),
    ("fndds:92101000", 4, 1, "medium", 480),
    ("fndds:14104100", 1, 1, "slice", 21), ("fndds:14104100", 2, 1, "cup, shredded", 113),
]
NAMES = {"turkey sandwich": "fndds:27540310", "beer": "fndds:93101000",
         "almonds": "fndds:42100100", "spinach": "fndds:72125100", "red wine": "fndds:93401010",
         "orange juice": "fndds:61210000", "protein shake": "fndds:95120010",
         "chicken noodle soup": "fndds:58403010", "coffee": "fndds:92101000",
         "cheddar": "fndds:14104100"}
MATCHES = pd.DataFrame({"name": list(NAMES), "food_id": list(NAMES.values())})


@pytest.fixture(scope="module")
def table() -> FoodTable:
    foods = pd.DataFrame({"name": [n for n, _ in FOODS.values()],
                          "food_group": [g for _, g in FOODS.values()]},
                         index=pd.Index(list(FOODS), name="food_id"))
    foods["usda_description"] = foods["name"]
    for column in FOOD_COLUMNS:
        if column not in foods:
            foods[column] = np.nan
    return FoodTable(foods[FOOD_COLUMNS], pd.DataFrame(PORTIONS, columns=PORTION_COLUMNS))


def weigh(row: str, table: FoodTable) -> pd.Series:
    text = f"date,food,amount,unit\n2024-03-04,{row}\n"
    items, _ = read_meal_log(io.BytesIO(text.encode("utf-8")))
    return resolve_grams(items, MATCHES, table).iloc[0]


@pytest.mark.parametrize(("row", "grams", "used"), [
    # a number with no unit: whole items through the food's own portion
    ("turkey sandwich,1,", 143, "sandwich"),
    ("beer,2,", 720, "can or bottle (12 fl oz)"),
    # a measure the food has a portion of
    ("red wine,1,glass", 180, "glass"),
    ("red wine,1,bottle", 750, "bottle"),
    # "oz" of a drink USDA measures in fluid ounces is fluid ounces; of a cheese, a weight
    ("orange juice,8,oz", 8 * 31, "oz of a drink read as fl oz: fl oz (no ice)"),
    ("cheddar,8,oz", 8 * 28.349523125, ""),
])
def test_counts_and_measures_weigh_by_the_foods_own_portions(row, grams, used, table):
    item = weigh(row, table)
    assert item["grams"] == pytest.approx(grams)
    assert item["portion_used"] == used
    assert not item["estimated"]


@pytest.mark.parametrize(("row", "grams", "basis"), [
    ("almonds,1,handful", 28.349523125, "one handful (nuts/seeds) taken as 1 oz"),
    ("spinach,1,big handful", 37.5, "one big handful (vegetable) taken as 1.5 cup"),
    ("coffee,1,mug", 360, "one mug (drink) taken as 12 fl oz"),
    # a bowl of soup is not the packaged microwave bowl FNDDS lists
    ("chicken noodle soup,1,bowl", 361.5, "one bowl (mixed dish) taken as 1.5 cup"),
    # a serving is never a package portion, even one USDA calls a single serving box
    ("protein shake,1,serving", 256, "one serving (drink) taken as 8 fl oz"),
])
def test_vague_measures_are_estimated_for_the_kind_of_food_and_say_so(row, grams, basis, table):
    item = weigh(row, table)
    assert item["grams"] == pytest.approx(grams, rel=0.01)
    assert item["estimated"]
    assert item["portion_used"].startswith(basis)
    assert "an estimate: " in item["portion_used"]


def test_a_vague_measure_with_no_estimate_for_the_food_is_not_weighed_and_says_why(table):
    item = weigh("chicken noodle soup,1,handful", table)
    assert math.isnan(item["grams"])
    assert item["conversion_problem"] == (
        '"handful" of Chicken or turkey noodle soup, canned or ready-to-serve cannot be '
        "weighed for this food, since hands and foods differ; weigh it, or write it in g (a "
        "handful of nuts is about 30 g, 1 oz)")


def test_a_count_of_a_food_with_one_countable_portion_is_that_portion(table):
    item = weigh("almonds,2,", table)  # the package is not an almond
    assert (item["grams"], item["portion_used"]) == (pytest.approx(2.4), "nut")


def test_a_count_of_a_food_with_no_whole_item_is_not_weighed_and_says_what_to_write(table):
    item = weigh("cheddar,2,", table)  # a slice is a part of a cheese, not one of it
    assert math.isnan(item["grams"])
    assert item["conversion_problem"] == (
        "a number with no unit counts whole items, and USDA lists no whole Cheese, Cheddar; "
        "write it in g or oz, or as one of USDA's portions: 'slice', 'cup, shredded'")


@pytest.mark.parametrize(("row", "fl_oz", "kind"), [
    ("red wine,1,glass", 5, "wine"),
    ("beer,1,glass", 12, "beer"),
    ("beer,1,bottle", 12, "beer"),
    ("whiskey,1,glass", 1.5, "spirits"),
    ("orange juice,1,glass", 8, "drink"),  # no alcohol: the drink's own estimate
])
def test_a_glass_of_an_alcoholic_drink_is_one_standard_drink_of_its_kind(row, fl_oz, kind):
    """A drink's alcohol, not its food group, says whether a glass is of wine, beer or a
    spirit; the estimate is the US standard drink of that kind (NIAAA)."""
    drinks = {"sr:14096": ("Alcoholic beverage, wine, table, red", 10.6),
              "sr:14003": ("Alcoholic beverage, beer, regular, all", 3.9),
              "sr:14037": ("Alcoholic beverage, distilled, all (gin, rum, vodka, whiskey)", 33.4),
              "sr:09206": ("Orange juice, raw", 0.0)}
    foods = pd.DataFrame({"name": [n for n, _ in drinks.values()],
                          "alcohol_g": [a for _, a in drinks.values()],
                          "food_group": "Beverages"},
                         index=pd.Index(list(drinks), name="food_id"))
    foods["usda_description"] = foods["name"]
    for column in FOOD_COLUMNS:
        if column not in foods:
            foods[column] = np.nan
    portions = pd.DataFrame([(fid, 1, 1, "fl oz", 29.6) for fid in drinks],
                            columns=PORTION_COLUMNS)
    own = FoodTable(foods[FOOD_COLUMNS], portions)
    names = {"red wine": "sr:14096", "beer": "sr:14003", "whiskey": "sr:14037",
             "orange juice": "sr:09206"}
    matches = pd.DataFrame({"name": list(names), "food_id": list(names.values())})
    text = f"date,food,amount,unit\n2024-03-04,{row}\n"
    items, _ = read_meal_log(io.BytesIO(text.encode("utf-8")))
    item = resolve_grams(items, matches, own).iloc[0]
    assert item["grams"] == pytest.approx(fl_oz * 29.6)
    assert item["estimated"]
    assert f"({kind}) taken as {fl_oz:g} fl oz" in item["portion_used"]
