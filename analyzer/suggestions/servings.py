"""One ordinary serving per food, and the foods nobody eats as a serving.

Both are data: `data/serving_portions.csv` lists, per food group, which USDA household portion
makes a serving (1 cup of cooked vegetables, 1 oz of nuts, 3 oz of fish or meat, 1 medium fruit)
and `data/serving_exclusions.csv` lists the groups and name patterns that are never a serving
(spices by the cup, powders, baby food, supplements, raw meat, branded items).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.rule_tables import rule_table

ANY_GROUP = "*"
SERVING_COLUMNS = ["count", "unit", "plural", "grams", "portion", "serving"]
# A "cup" of a dense food can weigh or provide more than a meal; such portions are skipped and
# the next rule is tried.
MAX_SERVING_GRAMS = 500.0
MAX_SERVING_KCAL = 400.0
# USDA writes thirds as 0.333 or 0.667; anything this close to a fraction is that fraction.
_FRACTIONS = ((1 / 4, "1/4"), (1 / 3, "1/3"), (1 / 2, "1/2"), (2 / 3, "2/3"), (3 / 4, "3/4"))
_CLOSE = 0.02


def serving_rules() -> pd.DataFrame:
    """The portion rules in the order they are tried (first one that fits a food wins)."""
    return rule_table("serving_portions.csv")


def exclusion_rules() -> pd.DataFrame:
    """The groups and name patterns of items that are not eaten as a serving."""
    return rule_table("serving_exclusions.csv")


def serving_exclusions(foods: pd.DataFrame) -> pd.Series:
    """Why each food is not offered as a serving ("" when it is fine), from the exclusion table."""
    reasons = pd.Series("", index=foods.index, dtype=object)
    names = foods["name"].fillna("").astype(str)
    usda = foods.get("usda_description", names).fillna("").astype(str)
    texts = {"name": names, "usda": usda, "name+usda": _name_lines(foods, lower=False)}
    groups = foods["food_group"].fillna("").astype(str)
    for rule in exclusion_rules().itertuples(index=False):
        open_ids = (reasons == "").to_numpy()
        if rule.food_group:
            open_ids &= groups.isin(rule.food_group).to_numpy()
        if not open_ids.any():
            continue
        if rule.pattern:
            flags = re.MULTILINE | (0 if rule.case_sensitive else re.IGNORECASE)
            open_ids[open_ids] = matches_pattern(texts[rule.applies_to][open_ids],
                                                 rule.pattern, flags)
        reasons[open_ids] = rule.reason
    return reasons


def matches_pattern(texts: pd.Series, pattern: str, flags: int = re.IGNORECASE) -> np.ndarray:
    """Boolean array: does `pattern` occur in each text (searched once per distinct text)."""
    rx = re.compile(pattern, flags)
    codes, distinct = pd.factorize(texts)
    found = np.fromiter((rx.search(t) is not None for t in distinct), dtype=bool,
                        count=len(distinct))
    return found[codes] if len(codes) else np.zeros(0, dtype=bool)


def choose_servings(table: FoodTable, food_ids=None) -> pd.DataFrame:
    """One ordinary serving per food: `count` of `unit` weighing `grams`, from its USDA portions.

    Returns a frame indexed by food_id with SERVING_COLUMNS; `portion` is the USDA portion it
    came from ("" for a fixed weight such as 3 oz), `serving` the words ("1 cup", "3 oz").
    """
    foods = table.foods if food_ids is None else table.foods.loc[list(food_ids)]
    chosen = pd.DataFrame(index=foods.index, columns=SERVING_COLUMNS, dtype=object)
    open_ids = pd.Series(True, index=foods.index)
    portions = _usable_portions(table.portions, foods.index)
    names = _name_lines(foods)
    groups = foods["food_group"].fillna("").astype(str)
    kcal_per_gram = pd.to_numeric(foods.get("energy_kcal"), errors="coerce") / 100.0

    for rule in serving_rules().itertuples(index=False):
        if not open_ids.any():
            break
        fits = open_ids.copy()
        if ANY_GROUP not in rule.food_group:
            fits &= groups.isin(rule.food_group)
        if rule.name_pattern:
            fits[fits] = matches_pattern(names[fits], rule.name_pattern, re.MULTILINE)
        if not fits.any():
            continue
        if rule.portion:
            picked = _from_portions(portions, fits[fits].index, rule, kcal_per_gram)
        else:
            picked = _fixed(fits[fits].index, rule)
            picked = picked[_sensible(picked["grams"], kcal_per_gram[picked.index], rule)]
        chosen.loc[picked.index, SERVING_COLUMNS] = picked[SERVING_COLUMNS].to_numpy()
        open_ids[picked.index] = False

    chosen["grams"] = chosen["grams"].astype(float)
    chosen["count"] = chosen["count"].astype(float)
    return chosen


def _usable_portions(portions: pd.DataFrame, food_ids: pd.Index) -> pd.DataFrame:
    p = portions[portions["food_id"].isin(food_ids)]
    amount = pd.to_numeric(p["amount"], errors="coerce")
    grams = pd.to_numeric(p["grams"], errors="coerce")
    ok = (amount > 0) & (grams > 0) & p["description"].notna()
    p = p.loc[ok, ["food_id", "seq", "description"]].copy()
    p["amount"] = amount[ok]
    p["grams"] = grams[ok]
    p["lower"] = p["description"].astype(str).str.strip().str.lower()
    return p.sort_values(["food_id", "seq"], kind="stable")


def _sensible(grams: pd.Series, kcal_per_gram: pd.Series, rule) -> pd.Series:
    """Not more than a meal's worth (unknown energy does not count against it), and not less
    than the rule's smallest serving (one strawberry is not a serving of fruit)."""
    weight = grams.to_numpy(float)
    kcal = weight * kcal_per_gram.to_numpy(float)
    least = 0.0 if np.isnan(rule.min_grams) else rule.min_grams
    ok = (weight <= MAX_SERVING_GRAMS) & ~(kcal > MAX_SERVING_KCAL) & (weight >= least)
    return pd.Series(ok, index=grams.index)


def _name_lines(foods: pd.DataFrame, lower: bool = True) -> pd.Series:
    """The name, and on a second line the USDA description when it differs (lower case
    unless asked otherwise)."""
    names = foods["name"].fillna("").astype(str)
    usda = foods.get("usda_description", pd.Series("", index=foods.index)).fillna("").astype(str)
    lines = names.where((usda == names) | (usda == ""), names + "\n" + usda)
    return lines.str.lower() if lower else lines


def _from_portions(portions: pd.DataFrame, food_ids: pd.Index, rule,
                   kcal_per_gram: pd.Series) -> pd.DataFrame:
    p = portions[portions["food_id"].isin(food_ids)]
    # matching the few distinct descriptions is far cheaper than every portion row
    p = p[matches_pattern(p["lower"], rule.portion)]
    if not np.isnan(rule.count):
        count = rule.count
        grams = p["grams"] / p["amount"] * count
        counts = pd.Series(count, index=p.index)
    else:  # USDA's own amount as it stands ("1/2 cup (1 NLEA serving)")
        grams = p["grams"]
        counts = p["amount"]
    fits = _sensible(grams, kcal_per_gram.reindex(p["food_id"]), rule)
    p, grams, counts = p[fits.to_numpy()], grams[fits.to_numpy()], counts[fits.to_numpy()]
    first = ~p["food_id"].duplicated()  # rows are in USDA order, so the first listed wins
    p, grams, counts = p[first], grams[first], counts[first]
    unit = rule.unit or None
    units = p["description"].map(_head) if unit is None else pd.Series(unit, index=p.index)
    plurals = units if not rule.plural else pd.Series(rule.plural, index=p.index)
    out = pd.DataFrame({"count": counts.to_numpy(), "unit": units.to_numpy(),
                        "plural": plurals.to_numpy(), "grams": grams.to_numpy(),
                        "portion": p["description"].to_numpy()},
                       index=pd.Index(p["food_id"], name="food_id"))
    out["serving"] = [amount_words(c, u, pl) for c, u, pl in
                      zip(out["count"], out["unit"], out["plural"], strict=True)]
    return out


def _fixed(food_ids: pd.Index, rule) -> pd.DataFrame:
    count = rule.count
    grams = count * rule.unit_grams
    out = pd.DataFrame({"count": count, "unit": rule.unit, "plural": rule.plural,
                        "grams": grams, "portion": ""}, index=food_ids)
    out["serving"] = amount_words(count, rule.unit, rule.plural)
    return out


def _head(description: str) -> str:
    """'cup (1 NLEA serving)' -> 'cup'; 'potato medium' stays as it is."""
    return re.split(r"[,(]", str(description), maxsplit=1)[0].strip() or str(description)


def count_words(count: float) -> str:
    """1.5 -> '1 1/2', 0.25 -> '1/4', 3 -> '3', 2.2 -> '2.2'."""
    if not np.isfinite(count) or count <= 0:
        return f"{count:g}"
    whole = int(count + _CLOSE)
    rest = count - whole
    if rest < _CLOSE:
        return str(whole)
    for value, words in _FRACTIONS:
        if abs(rest - value) < _CLOSE:
            return f"{whole} {words}" if whole else words
    return f"{count:.2f}".rstrip("0").rstrip(".")


def amount_words(count: float, unit: str, plural: str | None = None) -> str:
    """'1 cup', '1 1/2 cups', '6 oz', '100 g'."""
    word = (plural or unit) if count > 1 + 1e-9 else unit
    return f"{count_words(count)} {word}"
