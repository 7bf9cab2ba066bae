"""A state word in the unit ("1 cup cooked", "1 cup dry") weighs and counts the item as the
matched food in that state, or leaves it unweighed saying why; never ignored."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from nutrigap.analyzer.logs.meal_log import read_meal_log
from nutrigap.analyzer.pipeline import matcher_for
from nutrigap.analyzer.portions.grams import resolve_grams
from nutrigap.analyzer.scoring.intake import item_nutrients


def weigh(table, rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """(food, amount, unit) rows read, matched, weighed and counted as analyze does."""
    text = "date,meal,food,amount,unit\n" + "".join(
        f'2024-06-01,lunch,"{food}",{amount},"{unit}"\n' for food, amount, unit in rows)
    items, _ = read_meal_log(io.BytesIO(text.encode()))
    matches = matcher_for(table).match(items["food"].unique())
    return item_nutrients(resolve_grams(items, matches, table), matches, table)


def per_100g(table, food_id: str, key: str) -> float:
    return float(table.foods.at[food_id, key])


@pytest.mark.parametrize(("food", "unit", "counted_as", "cup_grams"), [
    # the finding: a cup of cooked spinach is 180 g of cooked spinach, not 30 g of raw leaves
    ("spinach", "cup cooked", "sr:11458", 180),
    ("kale", "cup cooked", "sr:11234", None),
    ("broccoli", "cup, steamed", "sr:11091", None),
    ("oats", "cup cooked", "sr:08121", None),  # oatmeal, not 81 g of dry oats
    ("Oats, dry", "cup cooked", "sr:08121", None),
    ("lentils", "cup dry", "sr:16069", None),  # raw lentils, three times the cooked cup
    ("white rice", "cup uncooked", "sr:20044", None),
])
def test_a_state_in_the_unit_weighs_and_counts_that_form(embedded_table, food, unit, counted_as,
                                                         cup_grams):
    item = weigh(embedded_table, [(food, "1", unit)]).iloc[0]
    assert item["counted_as"] == counted_as and item["food_id"] == counted_as
    assert item["food_name"] == embedded_table.foods.at[counted_as, "name"]
    assert item["value_source"] == "matched" and item["conversion_problem"] == ""
    cup = embedded_table.portions
    cup = cup[(cup["food_id"] == counted_as) & cup["description"].str.startswith("cup")]
    assert item["grams"] == pytest.approx(cup_grams or cup["grams"].iloc[0] / cup["amount"].iloc[0])
    assert item["portion_used"].endswith(" of " + item["food_name"])
    assert item["magnesium_mg"] == pytest.approx(
        item["grams"] * per_100g(embedded_table, counted_as, "magnesium_mg") / 100)


def test_spinach_cooked_carries_six_times_the_raw_cup(embedded_table):
    raw, cooked = weigh(embedded_table, [("spinach", "1", "cup"),
                                         ("spinach", "1", "cup cooked")]).itertuples()
    assert raw.food_id == "sr:11457" and raw.counted_as == ""
    assert cooked.grams == pytest.approx(6 * raw.grams)
    assert cooked.calcium_mg > 6 * raw.calcium_mg


def test_a_mass_in_another_state_keeps_its_grams_and_takes_that_food(embedded_table):
    item = weigh(embedded_table, [("lentils", "100", "g dry")]).iloc[0]
    assert item["grams"] == pytest.approx(100)
    assert (item["counted_as"], item["food_name"]) == ("sr:16069", "Lentils, raw")
    assert item["portion_used"] == "Lentils, raw (dry, as the unit says)"
    assert item["energy_kcal"] == pytest.approx(per_100g(embedded_table, "sr:16069",
                                                         "energy_kcal"))


@pytest.mark.parametrize(("food", "unit"), [("spinach", "cup raw"), ("lentils", "cup boiled"),
                                            ("blueberries", "cup fresh")])
def test_the_same_state_changes_nothing(embedded_table, food, unit):
    stated, plain = weigh(embedded_table, [(food, "1", unit), (food, "1", "cup")]).itertuples()
    assert stated.counted_as == "" and stated.food_id == plain.food_id
    assert stated.grams == pytest.approx(plain.grams)


@pytest.mark.parametrize(("food", "amount", "unit", "message"), [
    ("red lentils", "1", "cup cooked",
     '"cooked" in "1 cup cooked": the food table has no cooked form of Red lentils, raw, so '
     "the amount cannot be weighed; write how much it was raw, or import more foods "
     "(nutrigap foods import)"),
    ("black beans", "1", "cup dry",
     '"dry" in "1 cup dry": the food table has no uncooked form of Black beans, cooked, so the '
     "amount cannot be weighed; write how much it was cooked, or import more foods (nutrigap "
     "foods import)"),
    ("strawberries", "150", "g cooked",
     '"cooked" in "150 g cooked": the food table has no cooked form of Strawberries, so the '
     "amount cannot be weighed; write how much it was before cooking, or import more foods "
     "(nutrigap foods import)"),
])
def test_without_that_form_the_item_is_not_weighed_and_says_what_to_write(
        embedded_table, food, amount, unit, message):
    item = weigh(embedded_table, [(food, amount, unit)]).iloc[0]
    assert item["conversion_problem"] == message
    assert pd.isna(item["grams"]) and pd.isna(item["magnesium_mg"])
    assert item["value_source"] == "unconverted" and item["counted_as"] == ""
