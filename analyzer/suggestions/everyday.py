"""Which foods are everyday foods, the only ones offered unless the person's log has them.

The list is data, `data/everyday_foods.csv`, derived from what 498 NHANES adults ate and from
the built-in table by `foods/build_everyday.py` (docs/suggestions.md gives the rule and the
figures behind its threshold). An SR food fetched from FoodData Central counts by its NDB
number.
"""

from __future__ import annotations

import functools

import pandas as pd

from nutrigap.analyzer.rule_tables import rule_table


@functools.cache
def everyday_table() -> pd.DataFrame:
    """food_id, name, people (NHANES adults who ate it or a food of its name) and basis."""
    return rule_table("everyday_foods.csv")


@functools.cache
def _ids() -> frozenset[str]:
    return frozenset(everyday_table()["food_id"])


def is_everyday(foods: pd.DataFrame) -> pd.Series:
    """True for each food in the everyday list (by id, or by NDB number)."""
    ids = _ids()
    listed = foods.index.to_series().isin(ids)
    if "ndb_no" in foods:
        ndb = foods["ndb_no"].astype("string").fillna("")
        listed |= ("sr:" + ndb).isin(ids) & ndb.ne("")
    return listed.astype(bool)
