"""The coarse kind of a food (drink, dairy, fruit, mixed dish, ...) read from its USDA food
group or FNDDS (WWEIA) category, through `analyzer/data/food_kinds.csv`.

A group may hold foods of several kinds (SR28 files milk, eggs and butter together); its kinds
are listed most likely first. The portions stage uses them to weigh a vague measure (a glass,
a handful) and to question a weight no serving of that kind reaches; an unknown group (a
Branded Foods category) has no kind, and nothing is assumed about it.
"""

from __future__ import annotations

import functools

import pandas as pd

from nutrigap.analyzer.rule_specs import KINDS
from nutrigap.analyzer.rule_tables import rule_table

__all__ = ["KINDS", "alcohol_kind", "bound_basis", "dishes_of", "fluid_ounces", "food_kinds",
           "kinds_of", "max_serving_grams"]


@functools.cache
def _kinds() -> dict[str, tuple[str, ...]]:
    table = rule_table("food_kinds.csv")
    return dict(zip(table["food_group"].str.strip(), table["kinds"], strict=True))


@functools.cache
def _dishes() -> dict[str, tuple[str, ...]]:
    table = rule_table("food_kinds.csv")
    return dict(zip(table["food_group"].str.strip(), table["dishes"], strict=True))


def dishes_of(food_group) -> tuple[str, ...]:
    """The dishes every food of a group is ("Stir-fry and soy-based sauce mixtures": a stir
    fry), as food_kinds.csv names them; () for most groups."""
    if food_group is None or (not isinstance(food_group, str) and pd.isna(food_group)):
        return ()
    return _dishes().get(str(food_group).strip(), ())


def kinds_of(food_group) -> tuple[str, ...]:
    """The kinds of food a USDA food group or FNDDS category holds, most likely first; ()
    for a group the table does not list."""
    if food_group is None or (not isinstance(food_group, str) and pd.isna(food_group)):
        return ()
    return _kinds().get(str(food_group).strip(), ())


def food_kinds(foods: pd.DataFrame) -> pd.Series:
    """Per food of a FoodTable's `foods`, its kinds (a tuple, () when unknown)."""
    return foods["food_group"].map(kinds_of)


@functools.cache
def _kind_rules() -> pd.DataFrame:
    return rule_table("kinds.csv").set_index("kind")


def max_serving_grams(kinds: tuple[str, ...]) -> float:
    """The weight above which a serving of a food of these kinds is questioned: the highest
    of their bounds (kinds.csv); NaN when no kind is known."""
    rules = _kind_rules()
    bounds = [float(rules.at[k, "max_serving_grams"]) for k in kinds if k in rules.index]
    return max(bounds) if bounds else float("nan")


def bound_basis(kind: str) -> str:
    """Why a kind's bound is where it is, from kinds.csv."""
    return str(_kind_rules().at[kind, "basis"])


def alcohol_kind(alcohol_g: float) -> str | None:
    """The kind a drink is by its alcohol per 100 g (kinds.csv `alcohol_from`: beer, wine,
    spirits), None below the lowest or when unknown."""
    if alcohol_g is None or pd.isna(alcohol_g):
        return None
    bands = _kind_rules()["alcohol_from"].dropna().sort_values()
    reached = bands[bands <= float(alcohol_g)]
    return str(reached.index[-1]) if len(reached) else None


def fluid_ounces(kinds: tuple[str, ...]) -> bool:
    """Whether "oz" written for a food of these kinds means fluid ounces, when USDA measures
    the food in them (a drink)."""
    rules = _kind_rules()
    return any(bool(rules.at[k, "fluid_ounces"]) for k in kinds if k in rules.index)
