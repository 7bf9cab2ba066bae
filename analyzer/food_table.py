"""The food-composition table the analysis works on, whatever it was loaded from."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import pandas as pd

from nutrigap.analyzer.nutrients import NUTRIENT_KEYS

FOOD_COLUMNS = ["name", "source", "ndb_no", "fdc_id", "usda_description", "food_group",
                *NUTRIENT_KEYS, "tags"]
PORTION_COLUMNS = ["food_id", "seq", "amount", "description", "grams"]
ALIAS_COLUMNS = ["alias", "food_id"]
DESCRIPTION_COLUMNS = ["food_id", "text"]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


@dataclass(eq=False)  # compared by identity, so a table can key a cache
class FoodTable:
    """Foods (indexed by food_id), their household portions and the aliases people type.

    - foods: index `food_id` ("sr:11457" for SR28 / SR Legacy, "fdc:2345678" for other FDC
      foods); columns FOOD_COLUMNS. Nutrients are per 100 g; NaN means unknown, never zero.
      `tags` is a comma-separated set drawn from: vegan, vegetarian, dairy, egg, fish,
      shellfish, meat, nuts, gluten, fortified, soy.
    - portions: PORTION_COLUMNS; `grams` is the weight of `amount` x `description`
      (SR28 WEIGHT: 1 x "cup, chopped" = 30 g for raw spinach).
    - aliases: ALIAS_COLUMNS; lower-case names people type ("oj", "greek yogurt").
    - descriptions: DESCRIPTION_COLUMNS; FNDDS's additional descriptions of a survey food
      ("lamb", "pork" for Beef curry: other foods the code also stands for), kept as USDA
      gives them. They are not aliases: a name equal to one is not that food for certain.
    """

    foods: pd.DataFrame
    portions: pd.DataFrame = field(default_factory=lambda: _empty(PORTION_COLUMNS))
    aliases: pd.DataFrame = field(default_factory=lambda: _empty(ALIAS_COLUMNS))
    descriptions: pd.DataFrame = field(default_factory=lambda: _empty(DESCRIPTION_COLUMNS))

    def __len__(self) -> int:
        return len(self.foods)

    def merged_with(self, other: FoodTable) -> FoodTable:
        """This table plus `other`; on the same food_id, `other`'s values and portions win but
        tags and aliases from both are kept."""
        foods = pd.concat([self.foods, other.foods])
        tags = _union_tags(foods["tags"])
        foods = foods[~foods.index.duplicated(keep="last")].copy()
        foods["tags"] = tags.reindex(foods.index).fillna("")
        # A food's portions come from one table only: SR28 lists some descriptions twice with
        # different weights, so merging portion by portion would lose real rows.
        replaced = self.portions["food_id"].isin(set(other.portions["food_id"]))
        portions = pd.concat([self.portions[~replaced], other.portions], ignore_index=True)
        aliases = pd.concat([self.aliases, other.aliases], ignore_index=True).drop_duplicates()
        # A food re-imported from a newer release has that release's descriptions only.
        renewed = self.descriptions["food_id"].isin(set(other.descriptions["food_id"]))
        descriptions = pd.concat([self.descriptions[~renewed], other.descriptions],
                                 ignore_index=True)
        return FoodTable(foods, portions.reset_index(drop=True), aliases.reset_index(drop=True),
                         descriptions)

    def subset(self, food_ids) -> FoodTable:
        """The foods among `food_ids` that this table has, with their portions and aliases."""
        ids = self.foods.index.intersection(food_ids)
        return FoodTable(self.foods.loc[ids],
                         self.portions[self.portions["food_id"].isin(ids)],
                         self.aliases[self.aliases["food_id"].isin(ids)],
                         self.descriptions[self.descriptions["food_id"].isin(ids)])

    def portions_of(self, food_id: str) -> pd.DataFrame:
        """The household portions of one food."""
        return self.portions[self.portions["food_id"] == food_id]


def _union_tags(tags: pd.Series) -> pd.Series:
    """Per food_id, the sorted union of the comma-separated tags of every row."""
    exploded = tags.fillna("").astype(str).str.split(",").explode()
    exploded = exploded[exploded != ""]
    joined = exploded.groupby(level=0).agg(lambda t: ",".join(sorted(set(t))))
    return joined.reindex(tags.index.unique()).fillna("")


T = TypeVar("T")


def per_food_table(build: Callable[[FoodTable], T]) -> Callable[[FoodTable], T]:
    """`build(table)` run once for each food table, its result reused after that.

    Building a matcher or the table's cooked/raw pairs costs more than analysing a whole log,
    and a batch or the web page analyses many logs against the same table. A FoodTable is
    never changed after it is made, so what is built from it stays valid. The tables are keyed
    weakly, but what is built from a table usually refers to it, so in practice it stays for
    the life of the process: a process loads its food table once.
    """
    made: weakref.WeakKeyDictionary[FoodTable, T] = weakref.WeakKeyDictionary()

    @functools.wraps(build)
    def cached(food_table: FoodTable) -> T:
        found = made.get(food_table)
        if found is None:
            found = made[food_table] = build(food_table)
        return found

    return cached
