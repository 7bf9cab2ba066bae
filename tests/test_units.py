"""The units table: spellings, kinds and sizes."""

from __future__ import annotations

import math

import pytest

from nutrigap.analyzer.logs.units import COUNT, MASS, VOLUME, leading_unit, lookup_unit, unit_table


@pytest.mark.parametrize(("spelling", "unit"), [
    ("g", "g"), ("gr", "g"), ("Grams", "g"), ("kg", "kg"), ("mg", "mg"), ("oz", "oz"),
    ("Ounces", "oz"), ("lbs", "lb"), ("ml", "ml"), ("mL", "ml"), ("L", "l"), ("litre", "l"),
    ("cups", "cup"), ("Cup", "cup"), ("tbs", "tbsp"), ("Tbsp", "tbsp"), ("Tbsp.", "tbsp"),
    ("tablespoons", "tbsp"), ("tsp", "tsp"), ("teaspoon", "tsp"), ("fl oz", "fl oz"),
    ("fl. oz", "fl oz"), ("Fluid Ounces", "fl oz"), ("slices", "slice"), ("leaves", "leaf"),
    ("patties", "patty"), ("med", "medium"), ("ea", "each"), ("eggs", "egg"),
    ("full recipe", "recipe"), ("Cubic Inch", "cubic inch"),
])
def test_spellings_map_to_one_canonical_unit(spelling, unit):
    assert lookup_unit(spelling).name == unit


@pytest.mark.parametrize("spelling", ["blorps", "", "cupful of", "two"])
def test_unknown_spellings_are_none(spelling):
    assert lookup_unit(spelling) is None


def test_household_volumes_relate_as_in_us_customary_measure():
    cup = lookup_unit("cup").factor
    assert cup == pytest.approx(236.588, abs=0.001)
    assert cup == pytest.approx(16 * lookup_unit("tbsp").factor)
    assert cup == pytest.approx(48 * lookup_unit("tsp").factor)
    assert cup == pytest.approx(8 * lookup_unit("fl oz").factor)
    assert lookup_unit("quart").factor == pytest.approx(4 * cup)


def test_masses_are_in_grams():
    assert lookup_unit("oz").factor == pytest.approx(28.3495, abs=1e-4)
    assert lookup_unit("lb").factor == pytest.approx(16 * lookup_unit("oz").factor)
    assert lookup_unit("kg").factor == 1000
    assert lookup_unit("mg").factor == 0.001


def test_table_is_consistent():
    table = unit_table()
    assert table.index.is_unique
    assert set(table["kind"]) == {MASS, VOLUME, COUNT}
    for unit, rows in table.groupby("unit"):
        assert rows["kind"].nunique() == 1, unit
        factors = rows["factor"].dropna().unique()
        assert len(factors) <= 1, unit
    measured = table[table["kind"] != COUNT]
    assert (measured["factor"] > 0).all()
    assert table.loc[table["kind"] == COUNT, "factor"].isna().all()
    # every canonical name is itself a spelling, so a unit written as we write it is known
    assert set(table["unit"]) <= set(table.index)


def test_count_units_say_which_portion_words_they_may_use():
    assert lookup_unit("each").also_matches[:3] == ("each", "whole", "medium")
    assert lookup_unit("egg").also_matches[0] == "egg"
    assert math.isnan(lookup_unit("slice").factor)


@pytest.mark.parametrize(("words", "unit", "rest"), [
    ("cup, chopped", "cup", "chopped"),
    ("cup chopped", "cup", "chopped"),
    ("fl oz", "fl oz", ""),
    ("extra large", "extra large", ""),
    ("large (8\" to 8-7/8\" long)", "large", "(8\" to 8-7/8\" long)"),
    ("tbsp", "tbsp", ""),
])
def test_leading_unit_splits_the_unit_from_the_words_after_it(words, unit, rest):
    found, after = leading_unit(words)
    assert (found.name, after) == (unit, rest)


def test_leading_unit_without_a_known_unit_keeps_the_words():
    assert leading_unit("Blorp Sticks") == (None, "blorp sticks")
