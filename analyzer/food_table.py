"""The food-composition table the analysis works on, whatever it was loaded from."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analyzer.nutrients import NUTRIENT_KEYS

FOOD_COLUMNS = ["name", "source", "ndb_no", "fdc_id", "usda_description", "food_group",
                *NUTRIENT_KEYS, "tags"]
PORTION_COLUMNS = ["food_id", "seq", "amount", "description", "grams"]
ALIAS_COLUMNS = ["alias", "food_id"]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


@dataclass
class FoodTable:
    """Foods (indexed by food_id), their household portions and the aliases people type.

    - foods: index `food_id` ("sr:11457" for SR28 / SR Legacy, "fdc:2345678" for other FDC
      foods); columns FOOD_COLUMNS. Nutrients are per 100 g; NaN means unknown, never zero.
      `tags` is a comma-separated set drawn from: vegan, vegetarian, dairy, egg, fish,
      shellfish, meat, nuts, gluten, fortified, soy.
    - portions: PORTION_COLUMNS; `grams` is the weight of `amount` x `description`
      (SR28 WEIGHT: 1 x "cup, chopped" = 30 g for raw spinach).
    - aliases: ALIAS_COLUMNS; lower-case names people type ("oj", "greek yogurt").
    """

    foods: pd.DataFrame
    portions: pd.DataFrame = field(default_factory=lambda: _empty(PORTION_COLUMNS))
    aliases: pd.DataFrame = field(default_factory=lambda: _empty(ALIAS_COLUMNS))

    def __len__(self) -> int:
        return len(self.foods)

    def merged_with(self, other: FoodTable) -> FoodTable:
        """This table plus `other`; on the same food_id, `other`'s values win but tags and
        aliases from both are kept."""
        foods = pd.concat([self.foods, other.foods])
        tags = foods.groupby(level=0)["tags"].agg(_union_tags)
        foods = foods[~foods.index.duplicated(keep="last")].copy()
        foods["tags"] = tags.reindex(foods.index)
        portions = pd.concat([self.portions, other.portions], ignore_index=True)
        portions = portions.drop_duplicates(["food_id", "description", "amount"], keep="last")
        aliases = pd.concat([self.aliases, other.aliases], ignore_index=True).drop_duplicates()
        return FoodTable(foods, portions.reset_index(drop=True), aliases.reset_index(drop=True))

    def portions_of(self, food_id: str) -> pd.DataFrame:
        """The household portions of one food."""
        return self.portions[self.portions["food_id"] == food_id]


def _union_tags(values: pd.Series) -> str:
    tags: set[str] = set()
    for v in values.dropna():
        tags.update(t for t in str(v).split(",") if t)
    return ",".join(sorted(tags))
