"""Amounts written inside the food cell, amount and unit left empty, are read from it."""

from __future__ import annotations

import io

import pytest

from nutrigap.analyzer.errors import BadMealLog
from nutrigap.analyzer.logs.meal_log import read_meal_log
from nutrigap.analyzer.logs.name_amounts import NamedAmount, amount_in_name


@pytest.mark.parametrize("text, amount, unit, food", [
    # a count of the food, the count word staying in the name when it is the food itself
    ("2 eggs scrambled", "2", "eggs", "eggs scrambled"),
    ("2 eggs over easy", "2", "eggs", "eggs over easy"),
    ("2 hard boiled eggs", "2", "", "hard boiled eggs"),
    ("two eggs", "2", "eggs", "eggs"),
    ("an apple", "1", "apple", "apple"),
    ("2 pancakes with syrup", "2", "pancakes", "pancakes with syrup"),
    ("½ avocado", "1/2", "", "avocado"),
    ("half an avocado", "1/2", "", "avocado"),
    ("1½ bagels", "1 1/2", "bagels", "bagels"),
    # a measure, with or without "of"
    ("cup of oj", "1", "cup", "oj"),
    ("1 cup coffee", "1", "cup", "coffee"),
    ("a slice of pizza", "1", "slice", "pizza"),
    ("2 slices pizza", "2", "slices", "pizza"),
    ("glass of red wine", "1", "glass", "red wine"),
    ("bowl of cheerios with milk", "1", "bowl", "cheerios with milk"),
    ("splash of milk in coffee", "1", "splash", "milk in coffee"),
    ("big handful of spinach", "1", "big handful", "spinach"),
    ("16oz latte", "16", "oz", "latte"),
    # at the end of the cell
    ("latte 16 oz", "16", "oz", "latte"),
    ("salmon fillet 6oz", "6", "oz", "salmon fillet"),
    ("chai latte 12 oz", "12", "oz", "chai latte"),
    ("coffee (16 fl oz)", "16", "fl oz", "coffee"),
    ("eggs x2", "2", "", "eggs"),
    ("tacos (2x)", "2", "", "tacos"),
])
def test_an_amount_in_the_food_cell_is_read(text, amount, unit, food):
    assert amount_in_name(text) == NamedAmount(amount, unit, food)


@pytest.mark.parametrize("text", [
    "side salad with ranch", "2% milk", "7-grain bread", "7up", "cupcake", "glass noodles",
    "chocolate milk 1%", "pizza 14 inch", "2 cups", "a", "v8 juice",
])
def test_a_food_cell_without_an_amount_gives_none(text):
    assert amount_in_name(text) is None


def read(text: str):
    return read_meal_log(io.BytesIO(text.encode("utf-8")))


def test_the_reader_moves_the_amount_and_keeps_the_cell_as_written():
    items, _ = read("date,meal,food,amount,unit\n"
                    "2024-10-10,breakfast,2 eggs scrambled,,\n"
                    "2024-10-10,breakfast,cup of oj,,\n"
                    "2024-10-10,breakfast,latte 16 oz,,\n"
                    "2024-10-10,lunch,a slice of pizza,,\n"
                    "2024-10-10,lunch,2 eggs,1,\n")  # an amount given: the cell is the food
    assert items["food"].tolist() == ["eggs scrambled", "oj", "latte", "pizza", "2 eggs"]
    assert items["amount_text"].tolist() == ["2 eggs", "1 cup", "16 oz", "1 slice", "1"]
    assert items["quantity"].tolist() == [2, 1, 16, 1, 1]
    assert items["unit"].tolist() == ["egg", "cup", "oz", "slice", "count"]
    assert items["food_written"].tolist() == ["2 eggs scrambled", "cup of oj", "latte 16 oz",
                                              "a slice of pizza", ""]
    assert items.loc[2, "grams"] == pytest.approx(16 * 28.349523125)


def test_a_food_cell_with_nothing_to_read_is_still_refused_with_the_row_message():
    with pytest.raises(BadMealLog) as refused:
        read("date,meal,food,amount,unit\n2024-10-10,dinner,side salad with ranch,,\n")
    assert str(refused.value) == ("row 2, amount: is empty; write how much was eaten, e.g. 150 "
                                  "in amount and g in unit")
