"""Amounts to grams: volumes and counts weighed through the matched food's own USDA portions.

A mass needs no food. A volume ("2 tbsp", "250 ml") uses one of the food's volume portions
(cup, tbsp, tsp, fl oz, ml, or a portion that states its volume, such as "serving 1/2 cup"),
scaled by volume, so a food with only a cup portion can still be weighed in tablespoons.
A count ("2 medium", "1 slice", "1 each") uses the food's portion whose description names it
(the words each unit may stand for are in units.csv). Water density is never assumed: a food
without a suitable portion keeps grams NaN and says why in `conversion_problem`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz

from analyzer.amounts import parse_number
from analyzer.food_table import FoodTable
from analyzer.units import COUNT, MASS, VOLUME, leading_unit, lookup_unit

_PAREN = re.compile(r"\([^)]*\)")
# "serving 1/2 cup", "bottle 8 fl oz", "ice cube (3/4 fl oz)": a count that states its volume
_STATED_VOLUME = re.compile(r"(\d+\s+\d+/\d+|\d+/\d+|\d*\.?\d+)\s*(fl\.?\s?oz|cups?|tbsp|tsp|ml)\b")


@dataclass(frozen=True)
class _Portion:
    seq: float
    grams: float  # weight of `size`
    size: float  # millilitres (volume) or units (count) that weigh `grams`
    unit: str  # the canonical unit at the head of the description, "" if none
    head: str  # description without parentheses, canonical words ("slice thin")
    detail: str  # words after the unit ("chopped")
    description: str


def _canonical_words(text: str) -> str:
    words = []
    for word in _PAREN.sub(" ", text.lower()).replace(",", " ").split():
        unit = lookup_unit(word)
        words.append(unit.name if unit is not None and unit.kind == COUNT else word)
    return " ".join(words)


def _portions(rows: pd.DataFrame) -> tuple[list[_Portion], list[_Portion]]:
    """The food's volume portions (grams per ml) and count portions (grams per unit)."""
    volumes, counts = [], []
    for row in rows.itertuples():
        amount, grams = float(row.amount), float(row.grams)
        if not (amount > 0 and grams > 0):
            continue
        description = str(row.description)
        unit, detail = leading_unit(_PAREN.sub(" ", description))
        if unit is not None and unit.kind == VOLUME:
            volumes.append(_Portion(float(row.seq), grams, amount * unit.factor, unit.name,
                                    "", detail, description))
        elif unit is None or unit.kind != MASS:
            head = _canonical_words(description)
            counts.append(_Portion(float(row.seq), grams, amount, "", head, "", description))
            stated = _STATED_VOLUME.search(description.lower())
            if stated:
                ml = parse_number(stated.group(1)) * lookup_unit(stated.group(2)).factor
                volumes.append(_Portion(float(row.seq), grams, amount * ml,
                                        lookup_unit(stated.group(2)).name, "", head,
                                        description))
    return volumes, counts


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 100.0
    if not a or not b:
        return 50.0
    return fuzz.token_set_ratio(a, b)


def _by_volume(volumes: list[_Portion], unit: str, words: str) -> _Portion | None:
    """The volume portion closest to what was written: same detail words ("chopped") first,
    then the same unit, then a plain one, then USDA's first."""
    if not volumes:
        return None
    _, detail = leading_unit(_PAREN.sub(" ", words)) if words else (None, "")
    return max(volumes, key=lambda p: (_similarity(detail, p.detail), p.unit == unit,
                                       not p.detail, -p.seq))


def _tier(head: str, word: str) -> int:
    if head == word:
        return 4
    if head.startswith(word + " "):
        return 3
    if f" {word} " in f" {head} ":
        return 2
    return 1 if fuzz.ratio(head.split(" ")[0], word) >= 85 else 0


def _by_count(counts: list[_Portion], unit: str, words: str) -> _Portion | None:
    """The count portion whose description names the unit (or a word it may stand for)."""
    known = lookup_unit(unit)
    alternatives = list(known.also_matches) if known is not None else []
    if unit not in alternatives:
        alternatives.insert(0, unit)
    if known is None:
        alternatives += [w for w in _canonical_words(unit).split() if w not in alternatives]
    written = _canonical_words(words)
    best, best_key = None, None
    for portion in counts:
        for rank, word in enumerate(alternatives):
            tier = _tier(portion.head, _canonical_words(word))
            if tier:
                key = (tier, -rank, _similarity(written, portion.head), -portion.seq)
                if best_key is None or key > best_key:
                    best, best_key = portion, key
    return best


def _rate(food_id, unit: str, words: str, by_volume: bool, table: FoodTable,
          portions: dict[str, tuple[list[_Portion], list[_Portion]]]
          ) -> tuple[float, float, bool, str]:
    """(grams, of how many millilitres or units, whether millilitres, problem)."""
    if food_id not in table.foods.index:
        return math.nan, 1.0, False, f"food {food_id} is not in the food table"
    name = table.foods.at[food_id, "name"]
    volumes, counts = portions.get(food_id, ([], []))
    if by_volume:
        portion = _by_volume(volumes, unit, words)
        if portion is not None:
            return portion.grams, portion.size, True, ""
        known = lookup_unit(unit)
        if known is None or known.kind != VOLUME:
            # "1 shake (11 fl oz)": the count itself may have a portion even without a volume one
            portion = _by_count(counts, unit, words)
            if portion is not None:
                return portion.grams, portion.size, False, ""
        return math.nan, 1.0, True, f"no volume portion (cup, tbsp, fl oz) known for {name}"
    portion = _by_count(counts, unit, words)
    if portion is None:
        return math.nan, 1.0, False, f"no '{unit}' portion known for {name}"
    return portion.grams, portion.size, False, ""


def resolve_grams(items: pd.DataFrame, matches: pd.DataFrame,
                  food_table: FoodTable) -> pd.DataFrame:
    """Items with `grams` filled from each matched food's portions, plus `conversion_problem`
    ("" when the amount is in grams or could be weighed)."""
    out = items.copy()
    out["conversion_problem"] = ""
    ids = matches.drop_duplicates("name").set_index("name")["food_id"]
    food_id = out["food"].map(ids)
    by_volume = out["ml"].notna()
    todo = out["grams"].isna() & out["kind"].eq("food") & out["quantity"].notna()
    unmatched = todo & food_id.isna()
    out.loc[unmatched, "conversion_problem"] = (
        '"' + out.loc[unmatched, "food"] + '" is not matched to a food, so "'
        + out.loc[unmatched, "amount_text"] + '" cannot be weighed')
    todo &= food_id.notna()
    if not todo.any():
        return out
    keys = pd.DataFrame({"food_id": food_id[todo], "unit": out.loc[todo, "unit"],
                         "words": out.loc[todo, "portion_text"].fillna(""),
                         "by_volume": by_volume[todo]})
    wanted = keys["food_id"].unique()
    rows = food_table.portions[food_table.portions["food_id"].isin(wanted)]
    portions = {fid: _portions(group) for fid, group in rows.groupby("food_id", sort=False)}
    distinct = keys.drop_duplicates().reset_index(drop=True)
    found = [_rate(k.food_id, k.unit, k.words, k.by_volume, food_table, portions)
             for k in distinct.itertuples(index=False)]
    distinct[["weight", "size", "per_ml", "problem"]] = pd.DataFrame(found, dtype=object)
    resolved = keys.merge(distinct, on=list(keys.columns), how="left")
    resolved.index = keys.index
    base = out.loc[todo, "ml"].where(resolved["per_ml"].astype(bool), out.loc[todo, "quantity"])
    # amount / portion size first, so "1 cup" of a food whose cup weighs 30 g is exactly 30 g
    out.loc[todo, "grams"] = base / resolved["size"].astype(float) * resolved["weight"].astype(
        float)
    out.loc[todo, "conversion_problem"] = resolved["problem"]
    return out
