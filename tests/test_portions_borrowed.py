"""Everyday amounts USDA does not list as such: a cup of a food with no volume portion
(borrowed from a related food, and said so), and nuts or pieces counted one by one."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from nutrigap.analyzer.logs.meal_log import read_meal_log
from nutrigap.analyzer.pipeline import matcher_for
from nutrigap.analyzer.portions.grams import resolve_grams


def weigh(table, food: str, amount: str, unit: str) -> pd.Series:
    text = f'date,meal,food,amount,unit\n2024-06-01,lunch,"{food}",{amount},{unit}\n'
    items, _ = read_meal_log(io.BytesIO(text.encode()))
    matches = matcher_for(table).match(items["food"].unique())
    return resolve_grams(items, matches, table).iloc[0]


def test_greek_yogurt_borrows_the_cup_of_plain_yogurt_and_says_so(embedded_table):
    own = embedded_table.portions
    assert own.loc[own["food_id"] == "sr:01256", "description"].tolist() == ["container"]
    item = weigh(embedded_table, "greek yoghurt", "1", "cup")
    assert item["conversion_problem"] == ""
    assert item["grams"] == pytest.approx(245)
    assert item["portion_used"] == ("cup (8 fl oz) of Plain yogurt, whole milk (245 g), "
                                    "borrowed: USDA lists no volume for Greek yogurt, plain, "
                                    "nonfat")
    # scaled by volume like any cup
    assert weigh(embedded_table, "greek yoghurt", "2", "tbsp")["grams"] == \
        pytest.approx(245 / 8)


def test_a_food_with_no_related_volume_is_still_not_weighed(embedded_table):
    item = weigh(embedded_table, "cashews", "1", "cup")
    assert pd.isna(item["grams"])
    assert item["conversion_problem"].startswith("no volume portion (cup, tbsp, fl oz) known "
                                                 "for Cashews, raw")


@pytest.mark.parametrize(("food", "amount", "unit", "grams", "used"), [
    ("almonds", "23", "nuts", 23 * 1.2, "almond"),  # USDA: 1 almond = 1.2 g
    ("almonds", "23", "pieces", 23 * 1.2, "almond"),
    ("grapes", "20", "pieces", 20 * 4.9, "grapes"),  # USDA: 10 grapes = 49 g
])
def test_nuts_and_pieces_count_the_food_itself(embedded_table, food, amount, unit, grams, used):
    item = weigh(embedded_table, food, amount, unit)
    assert item["conversion_problem"] == ""
    assert item["grams"] == pytest.approx(grams)
    assert item["portion_used"] == used


def test_a_piece_of_a_food_without_a_portion_of_one_is_not_guessed(embedded_table):
    item = weigh(embedded_table, "walnuts", "7", "pieces")
    assert pd.isna(item["grams"])
    assert item["conversion_problem"].startswith("no 'piece' portion known for Walnuts")
