"""Work done once per food table and reused.

Building a matcher or the table's cooked/raw pairs costs more than analysing a whole log, and a
batch or the web page analyses many logs against the same table. A FoodTable is never changed
after it is made, so what is built from it stays valid. The tables are keyed weakly, but what is
built from a table usually refers to it, so in practice it stays for the life of the process: a
process loads its food table once.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import TypeVar

from analyzer.food_table import FoodTable

T = TypeVar("T")


def per_food_table(build: Callable[[FoodTable], T]) -> Callable[[FoodTable], T]:
    """`build(table)` run once for each food table, its result reused after that."""
    made: weakref.WeakKeyDictionary[FoodTable, T] = weakref.WeakKeyDictionary()

    @functools.wraps(build)
    def cached(food_table: FoodTable) -> T:
        found = made.get(food_table)
        if found is None:
            found = made[food_table] = build(food_table)
        return found

    return cached
