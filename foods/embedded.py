"""The default food table shipped inside the package (foods/data/foods.csv, portions.csv,
aliases.csv), so that nutrigap works without any USDA download."""

from __future__ import annotations

import functools
from importlib import resources
from io import StringIO

import pandas as pd

from nutrigap.analyzer.errors import FoodDataError
from nutrigap.analyzer.food_table import ALIAS_COLUMNS, FOOD_COLUMNS, PORTION_COLUMNS, FoodTable
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS

_FOOD_TYPES = {"food_id": str, "name": str, "source": str, "ndb_no": str, "fdc_id": "Int64",
               "usda_description": str, "food_group": str, "tags": str,
               **dict.fromkeys(NUTRIENT_KEYS, float)}
_PORTION_TYPES = {"food_id": str, "seq": int, "amount": float, "description": str,
                  "grams": float}
_ALIAS_TYPES = {"alias": str, "food_id": str}


def load_embedded() -> FoodTable:
    """The committed default food table (a fresh copy each call; the files are read once)."""
    foods, portions, aliases = _load()
    return FoodTable(foods.copy(), portions.copy(), aliases.copy())


@functools.cache
def _load() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    foods = _read("foods.csv", _FOOD_TYPES).set_index("food_id")
    portions = _read("portions.csv", _PORTION_TYPES)
    aliases = _read("aliases.csv", _ALIAS_TYPES)
    return foods[FOOD_COLUMNS], portions[PORTION_COLUMNS], aliases[ALIAS_COLUMNS]


def _read(name: str, types: dict) -> pd.DataFrame:
    try:
        text = resources.files("nutrigap.foods").joinpath("data", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FoodDataError(f"the built-in food table is missing foods/data/{name}; reinstall "
                            "nutrigap or rebuild it with `nutrigap foods build --sr28 PATH`") \
            from None
    # Empty text cells are empty strings; an empty nutrient cell is unknown (NaN).
    numeric = [c for c, t in types.items() if t is not str]
    return pd.read_csv(StringIO(text), dtype=types, keep_default_na=False,
                       na_values=dict.fromkeys(numeric, [""]))
