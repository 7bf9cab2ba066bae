"""Amounts as people and apps write them."""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nutrigap.analyzer.logs.amounts import AmountError, parse_amount, parse_amounts, parse_number

CUP, TBSP, FL_OZ, OZ = 236.5882365, 14.78676478125, 29.5735295625, 28.349523125


@pytest.mark.parametrize(("amount", "unit", "quantity", "canonical", "kind"), [
    ("150", "g", 150, "g", "mass"),
    ("150g", "", 150, "g", "mass"),
    ("150 g", "g", 150, "g", "mass"),
    ("1.5 kg", "", 1.5, "kg", "mass"),
    ("4 oz", "", 4, "oz", "mass"),
    ("1 1/2 cups", "", 1.5, "cup", "volume"),
    ("1-1/2", "cup", 1.5, "cup", "volume"),
    ("½ cup", "", 0.5, "cup", "volume"),
    ("1½ cups", "", 1.5, "cup", "volume"),
    ("1 ¼", "tsp", 1.25, "tsp", "volume"),
    ("3/4", "Tbsp", 0.75, "tbsp", "volume"),
    (".5", "l", 0.5, "l", "volume"),
    ("2", "medium", 2, "medium", "count"),
    ("2 medium", "", 2, "medium", "count"),
    ("1.00 x 4.0 oz", "", 4, "oz", "mass"),
    ("2.00 x 2.0 slices", "", 4, "slice", "count"),
    ("1.00 x 0.25 Cup", "", 0.25, "cup", "volume"),
    ('1.00 whole - 3 1/2" diameter', "", 1, "whole", "count"),
    ("1.00 full recipe", "", 1, "recipe", "count"),
    ("1.50 Serving", "", 1.5, "serving", "count"),
    ("1.00 Cubic Inch", "", 1, "cubic inch", "count"),
    ('0.10 large - 8 1/4" long', "", 0.1, "large", "count"),
    ("1.00 cup, chopped", "", 1, "cup", "volume"),
    ("2.50 x 3.0 cooked links", "", 7.5, "cooked links", "unknown"),
])
def test_amounts_parse_to_quantity_and_unit(amount, unit, quantity, canonical, kind):
    parsed = parse_amount(amount, unit)
    assert parsed.quantity == pytest.approx(quantity)
    assert (parsed.unit, parsed.kind) == (canonical, kind)


def test_masses_and_volumes_are_converted_by_the_text_alone():
    assert parse_amount("1.00 x 4.0 oz").grams == pytest.approx(4 * OZ)
    assert parse_amount("1 1/2 cups").ml == pytest.approx(1.5 * CUP)
    assert math.isnan(parse_amount("1 1/2 cups").grams)
    assert parse_amount("2", "tbsp").ml == pytest.approx(2 * TBSP)
    assert math.isnan(parse_amount("2", "medium").grams)


def test_a_weight_or_volume_written_beside_a_count_is_used():
    shake = parse_amount("1.00 shake (11 fl oz)")
    assert (shake.unit, shake.kind) == ("shake", "unknown")
    assert shake.ml == pytest.approx(11 * FL_OZ)
    slices = parse_amount("2.00 slice (from pre-sliced package) - each 3/4 oz")
    assert (slices.quantity, slices.unit) == (2, "slice")
    assert slices.grams == pytest.approx(1.5 * OZ)
    container = parse_amount("1.00 container - each 5.3 oz")
    assert container.grams == pytest.approx(5.3 * OZ)
    # a dimension is not a weight
    assert math.isnan(parse_amount('1.00 pizza 8" diameter').grams)
    assert parse_amount('1.00 pizza 8" diameter').unit == "pizza"


def test_unit_words_are_kept_for_matching_portions():
    assert parse_amount("1 cup chopped").words == "cup chopped"
    assert parse_amount("1", "Cup, Chopped").words == "cup, chopped"


def test_decimal_commas_only_when_the_file_uses_them():
    assert parse_amount("1,5", "cup", decimal_comma=True).quantity == 1.5
    with pytest.raises(AmountError, match="comma in the number"):
        parse_amount("1,5", "cup")


@pytest.mark.parametrize(("amount", "unit", "column", "message"), [
    ("two cups", "", "amount", "is not a number; write 2 in amount and cup in unit"),
    ("a slice", "", "amount", "is not a number; write 1 in amount and slice in unit"),
    ("lots", "", "amount", "is not a number; write a number in amount (e.g. 150) and the unit "
                           "in unit (e.g. g)"),
    ("-2", "cup", "amount", "is negative; write how much was eaten (0 or more)"),
    ("1-2 cups", "", "amount", "is a range; write one number, e.g. the middle of it"),
    ("", "g", "amount", "is empty; write how much was eaten, e.g. 150 in amount and g in unit"),
    ("1/0", "cup", "amount", "divides by zero; write the amount as a number"),
    ("150 g", "cup", "unit", 'disagrees with the unit written in amount ("g"); leave unit '
                             "empty or make them agree"),
    ("1.5.2", "g", "amount", "is not a number; write a number in amount (e.g. 150) and the "
                             "unit in unit (e.g. g)"),
])
def test_unreadable_amounts_say_which_cell_and_what_to_write(amount, unit, column, message):
    with pytest.raises(AmountError) as caught:
        parse_amount(amount, unit)
    assert (caught.value.column, caught.value.message) == (column, message)


def test_a_number_without_any_unit_is_refused_in_the_unit_cell():
    with pytest.raises(AmountError) as caught:
        parse_amount("150")
    assert caught.value.column == "unit"
    assert caught.value.message.startswith("is empty; write the unit of 150 in unit (g, kg")


def test_parse_amounts_parses_each_distinct_pair_once_and_lines_up_rows():
    amounts = pd.Series(["150", "1 1/2 cups", "150", "two cups", "2"], index=[10, 11, 12, 13, 14])
    units = pd.Series(["g", "", "g", "", "medium"], index=amounts.index)
    parsed, errors = parse_amounts(amounts, units)
    assert list(parsed.index) == [10, 11, 12, 13, 14]
    assert parsed["quantity"].tolist()[:3] == [150, 1.5, 150]
    assert parsed.loc[14, "unit"] == "medium"
    assert math.isnan(parsed.loc[13, "quantity"])
    assert errors.to_dict("records") == [{"position": 3, "column": "amount",
                                          "message": "is not a number; write 2 in amount and "
                                                     "cup in unit"}]


@given(whole=st.integers(0, 500), top=st.integers(1, 15), bottom=st.integers(2, 16))
def test_mixed_fractions_read_exactly(whole, top, bottom):
    text = f"{whole} {top}/{bottom}" if whole else f"{top}/{bottom}"
    assert parse_number(text) == pytest.approx(float(whole + Fraction(top, bottom)))


@given(st.decimals(min_value=0, max_value=100000, places=3, allow_nan=False))
def test_decimals_read_back_as_written(value):
    assert parse_amount(f"{value}", "g").grams == pytest.approx(float(value))
