"""One ordinary serving per food, and the items that are never a serving."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS
from nutrigap.analyzer.suggestions.servings import (
    MAX_SERVING_GRAMS,
    MAX_SERVING_KCAL,
    amount_words,
    choose_servings,
    count_words,
    serving_exclusions,
)


@pytest.mark.parametrize(("count", "words"), [
    (1, "1"), (3, "3"), (0.5, "1/2"), (1.5, "1 1/2"), (0.25, "1/4"), (2.25, "2 1/4"),
    (0.333, "1/3"), (0.667, "2/3"), (2.2, "2.2"), (0.98, "1"),
])
def test_counts_read_as_kitchen_fractions(count, words):
    assert count_words(count) == words


def test_amounts_use_the_plural_only_above_one():
    assert amount_words(1, "cup", "cups") == "1 cup"
    assert amount_words(1.5, "cup", "cups") == "1 1/2 cups"
    assert amount_words(0.5, "cup", "cups") == "1/2 cup"
    assert amount_words(6, "oz", "oz") == "6 oz"


@pytest.mark.parametrize(("food_id", "serving", "grams"), [
    ("sr:11458", "1 cup", 180.0),     # spinach, cooked
    ("sr:12061", "1 oz", 28.35),      # almonds
    ("sr:15086", "3 oz", 85.0),       # sockeye salmon, cooked
    ("sr:09040", "1 medium", 118.0),  # banana
    ("sr:01129", "1 large", 50.0),    # egg, hard-boiled
    ("sr:18075", "1 slice", 32.0),    # whole-wheat bread
    ("sr:16126", "1/2 cup", 126.0),   # tofu, firm
    ("sr:01009", "1 1/2 oz", 42.525),  # cheddar cheese
    ("sr:16098", "2 tbsp", 32.0),     # peanut butter
])
def test_everyday_foods_get_the_serving_people_eat(embedded_table, food_id, serving, grams):
    chosen = choose_servings(embedded_table).loc[food_id]
    assert chosen["serving"] == serving
    assert chosen["grams"] == pytest.approx(grams)


def test_a_single_strawberry_is_not_a_serving_of_fruit(embedded_table):
    chosen = choose_servings(embedded_table).loc["sr:09316"]  # listed with "1 medium" = 12 g
    assert chosen["unit"] == "cup"
    assert chosen["grams"] > 100


def test_no_serving_is_more_than_a_meal(embedded_table):
    chosen = choose_servings(embedded_table).dropna(subset=["grams"])
    kcal = embedded_table.foods.loc[chosen.index, "energy_kcal"] * chosen["grams"] / 100
    assert (chosen["grams"] <= MAX_SERVING_GRAMS).all()
    assert (kcal.dropna() <= MAX_SERVING_KCAL + 1e-9).all()


def _table(rows: list[dict], portions: list[tuple]) -> FoodTable:
    foods = pd.DataFrame(rows).set_index("food_id")
    for key in NUTRIENT_KEYS:
        if key not in foods:
            foods[key] = np.nan
    for column in ("source", "ndb_no", "fdc_id"):
        foods[column] = ""
    foods["usda_description"] = foods["name"]
    portions = pd.DataFrame(portions, columns=["food_id", "seq", "amount", "description",
                                               "grams"])
    return FoodTable(foods, portions)


def test_a_portion_too_big_for_a_meal_gives_way_to_the_next_rule():
    table = _table(
        [{"food_id": "x:1", "name": "Granola", "food_group": "Breakfast Cereals",
          "energy_kcal": 470.0, "tags": "vegan"}],
        [("x:1", 1, 1.0, "cup", 122.0), ("x:1", 2, 1.0, "oz", 28.35)])
    chosen = choose_servings(table).loc["x:1"]
    assert chosen["portion"] == "oz"  # a cup is 573 kcal
    assert chosen["grams"] == pytest.approx(28.35)


def test_meat_without_portions_gets_three_ounces_and_other_foods_get_none():
    table = _table(
        [{"food_id": "x:1", "name": "Bison, roasted", "food_group": "Beef Products",
          "energy_kcal": 143.0, "tags": "meat"},
         {"food_id": "x:2", "name": "Mystery mix", "food_group": "Meals, Entrees, and Side Dishes",
          "energy_kcal": 100.0, "tags": ""}],
        [])
    chosen = choose_servings(table)
    assert chosen.loc["x:1", "serving"] == "3 oz"
    assert chosen.loc["x:1", "grams"] == pytest.approx(85.05)
    assert pd.isna(chosen.loc["x:2", "grams"])  # no household measure known: not guessed


def test_items_nobody_eats_as_a_serving_are_left_out(sr28_table):
    reasons = serving_exclusions(sr28_table.foods)
    names = sr28_table.foods["name"]

    def reason(name: str) -> str:
        return reasons[names == name].iloc[0]

    assert reason("Spices, cumin seed").startswith("spice or herb")
    assert reason("Leavening agents, baking powder, low-sodium") == "baking ingredient"
    assert reason("Babyfood, cereal, oatmeal, dry fortified") == "baby food"
    assert reason("Cocoa, dry powder, unsweetened") == "dried powder or mix"
    assert reason("Chicken, broilers or fryers, breast, meat and skin, raw").startswith("raw meat")
    assert reason("Fish oil, cod liver").startswith("taken as a supplement")
    for kept in ("Spinach, cooked, boiled, drained, without salt", "Nuts, almonds",
                 "Fish, salmon, sockeye, cooked, dry heat", "Bananas, raw",
                 "Tofu, raw, firm, prepared with calcium sulfate",
                 "Peanuts, all types, dry-roasted, without salt", "Mustard greens, raw"):
        assert reason(kept) == "", kept
    # whole groups that are never a serving
    for group in ("Spices and Herbs", "Baby Foods", "Fast Foods", "Restaurant Foods"):
        assert (reasons[sr28_table.foods["food_group"] == group] != "").all(), group
    # branded items, written in capitals, give way to their generic foods
    branded = names.str.contains(r"\bKELLOGG'S\b")
    assert branded.any() and (reasons[branded] != "").all()


def test_the_everyday_table_keeps_its_everyday_foods(embedded_table):
    reasons = serving_exclusions(embedded_table.foods)
    kept = embedded_table.foods.loc[reasons == "", "name"]
    for name in ("Spinach, cooked", "Almonds", "Flour tortilla", "Orange juice",
                 "Dark chocolate, 70-85% cacao", "Peanuts, dry roasted", "Mustard greens, raw"):
        assert name in set(kept), name
    left_out = set(embedded_table.foods.loc[reasons != "", "name"])
    assert {"Salt", "Sugar", "Water, tap", "Chicken breast, raw", "Beer"} <= left_out
