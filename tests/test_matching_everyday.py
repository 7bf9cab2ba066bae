"""Everyday names: qualifiers that change the food agree with it (diet, zero, decaf, light,
unsweetened), a dish is matched to a dish and never to its dressing or an ingredient, what a
name says a food comes with does not name it, and the words people use for dishes (toast,
mac and cheese, stir fry, chili) find them. Against SR28 + FNDDS as a dietitian's database
with both imports is loaded, and against the built-in foods."""

from __future__ import annotations

import pytest

from nutrigap.analyzer.food_kinds import kinds_of
from nutrigap.analyzer.matching.matcher import Matcher


@pytest.fixture(scope="module")
def both(sr28_table, fndds_dir, embedded_table):
    from nutrigap.foods.fndds import read_fndds

    table = read_fndds(fndds_dir).merged_with(sr28_table).merged_with(embedded_table)
    return Matcher(table), table


@pytest.fixture(scope="module")
def built_in(embedded_table):
    return Matcher(embedded_table), embedded_table


def matched(matcher_table, name: str):
    matcher, table = matcher_table
    row = matcher.match([name]).iloc[0]
    food = None if row["food_id"] is None else table.foods.loc[row["food_id"]]
    if food is not None and food.ndim > 1:
        food = food.iloc[0]
    return row, food


@pytest.mark.parametrize("name, words", [
    # diet, zero and decaf are other foods than the regular ones
    ("diet coke", ["cola", "diet"]),
    ("coke zero", ["cola", "diet"]),
    ("diet ginger ale", ["ginger ale", "diet"]),
    ("decaf coffee", ["coffee", "decaffeinated"]),
    ("decaf", ["coffee", "decaffeinated"]),
    ("light mayo", ["mayonnaise", "light"]),
    ("unsweetened iced tea", ["tea", "unsweetened"]),
    ("sweet tea", ["tea", "sweetened with sugar"]),
    # FNDDS's latte, not cafe con leche; milk in coffee is milk
    ("latte", ["coffee, latte"]),
    ("milk in coffee", ["milk"]),
    # everyday words for dishes
    ("whole wheat toast", ["bread", "whole wheat", "toasted"]),
    ("grilled cheese", ["grilled cheese sandwich"]),
    ("leftover chili", ["chili con carne"]),
    ("meatloaf", ["meat loaf"]),
    ("2 eggs over easy".split(" ", 1)[1], ["egg", "fried"]),
    ("tofu stir fry", ["tofu", "vegetables"]),
    ("veggie burger patty", ["vegetarian burger"]),
    ("applesauce", ["applesauce"]),
])
def test_everyday_names_find_the_food_they_name(both, name, words):
    row, food = matched(both, name)
    assert food is not None, (name, row["candidates"])
    description = food["usda_description"].lower()
    assert all(w in description for w in words), (name, description)


@pytest.mark.parametrize("name, kind", [
    # a dish is never its dressing, nor one of its ingredients
    ("chicken caesar salad", "mixed dish"),
    ("coleslaw", "vegetable"),
    ("spaghetti with meat sauce", "mixed dish"),
    ("chicken stir fry", "mixed dish"),
    ("bean and cheese burrito", "mixed dish"),
])
def test_a_dish_is_matched_to_a_dish(both, name, kind):
    row, food = matched(both, name)
    assert food is not None, (name, row["candidates"])
    assert kind in kinds_of(food["food_group"]), (name, food["name"], food["food_group"])


def test_curry_powder_is_a_spice_not_a_curry(both):
    _, food = matched(both, "Curry Powder")
    assert food["name"].lower().startswith("spices, curry powder")


def test_a_qualifier_the_built_in_foods_cannot_meet_leaves_the_name_unmatched(built_in):
    # the built-in table has a cola and a mayonnaise, neither diet nor light
    for name in ("diet coke", "light mayo"):
        row, food = matched(built_in, name)
        assert food is None or "cola" not in food["name"].lower() or "diet" in food[
            "usda_description"].lower(), (name, food["name"])


def test_a_dish_the_built_in_foods_lack_is_not_counted_as_its_ingredient(built_in):
    for name in ("tuna salad sandwich", "turkey sandwich", "ham and cheese sandwich"):
        row, food = matched(built_in, name)
        assert food is None, (name, food["name"])
