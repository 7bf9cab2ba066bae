"""A state word in the unit (cooked, dry, raw, boiled): the food in that state, found among
the foods of the table by name."""

from __future__ import annotations

import pytest

from nutrigap.analyzer.portions.states import FoodStates, state_words, unit_state


@pytest.fixture(scope="module")
def states(embedded_table):
    return FoodStates(embedded_table)


def in_state(states: FoodStates, name: str, unit: str) -> str | None:
    food_id = next(i for i, n in states.names.items() if n == name)
    found = states.in_state(food_id, unit_state(unit))
    return None if found is None else states.names[found]


@pytest.mark.parametrize(("unit", "state", "method"), [
    ("cup cooked", "cooked", ""), ("cup, boiled", "cooked", "boiled"), ("g dry", "raw", ""),
    ("oz raw", "raw", ""), ("cup (uncooked)", "raw", ""), ("large pan-fried", "cooked", "fried"),
    ("cup cooked then fresh", "raw", ""),
])
def test_the_unit_words_name_a_state(unit, state, method):
    found = unit_state(unit)
    assert (found.state, found.method) == (state, method)


@pytest.mark.parametrize("unit", ["cup", "cup chopped", "slice", "cup dried", "g", ""])
def test_other_unit_words_name_none(unit):
    assert unit_state(unit) is None


@pytest.mark.parametrize(("name", "unit", "expected"), [
    ("Spinach, raw", "cup cooked", "Spinach, cooked"),
    ("Spinach, cooked", "cup raw", "Spinach, raw"),
    ("Spinach, frozen", "cup cooked", "Spinach, cooked"),
    ("Kale, raw", "cup cooked", "Kale, cooked"),
    ("Broccoli, raw", "cup steamed", "Broccoli, cooked"),
    # oats and oatmeal are one food to the spelling rules
    ("Oats, dry", "cup cooked", "Oatmeal, cooked with water"),
    ("Oatmeal, cooked with water", "cup dry", "Oats, dry"),
    ("Lentils, cooked", "cup dry", "Lentils, raw"),
    ("White rice, cooked", "cup uncooked", "White rice, raw"),
    ("Pasta, cooked", "cup dry", "Pasta, dry"),
    # the words after the main name decide between kinds, the method between cooked forms
    ("Salmon, wild Atlantic, raw", "g baked", "Salmon, wild Atlantic, cooked"),
    ("Chicken breast, raw", "oz roasted", "Chicken breast, roasted"),
    ("Chicken breast, raw", "oz grilled", "Chicken breast, grilled"),
    ("Sweet potato, raw", "baked", "Sweet potato, baked"),
    ("Sweet potato, raw", "cup boiled", "Sweet potato, boiled"),
    ("Egg, raw", "large boiled", "Egg, hard-boiled"),
])
def test_a_food_in_another_state_is_its_counterpart(states, name, unit, expected):
    assert in_state(states, name, unit) == expected


@pytest.mark.parametrize(("name", "unit"), [
    ("Spinach, raw", "cup raw"), ("Lentils, cooked", "cup boiled"),
    ("Strawberries", "cup fresh"),  # a food that says no state is as it comes
])
def test_a_food_already_in_that_state_is_itself(states, name, unit):
    assert in_state(states, name, unit) == name


@pytest.mark.parametrize(("name", "unit"), [
    ("Red lentils, raw", "cup cooked"),  # "Lentils, cooked" is another main name
    ("Black beans, cooked", "cup dry"),
    ("Strawberries", "cup cooked"),
    ("Tofu, firm", "cup cooked"),
])
def test_a_food_without_a_counterpart_has_none(states, name, unit):
    assert in_state(states, name, unit) is None


def test_every_state_word_names_raw_or_cooked():
    assert {w.state for w in state_words().values()} == {"raw", "cooked"}


def test_sr28_foods_find_their_usda_counterparts(sr28_table):
    states = FoodStates(sr28_table)
    assert states.names[states.in_state("sr:16027", unit_state("cup cooked"))].startswith(
        "Beans, kidney, all types, mature seeds, cooked, boiled")
    assert states.in_state("sr:20120", unit_state("cup cooked")) is not None  # pasta, dry
    cooked = states.in_state("sr:08120", unit_state("cup cooked"))  # oats, dry
    assert "cooked" in states.names[cooked].lower()
