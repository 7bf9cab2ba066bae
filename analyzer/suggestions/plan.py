"""The smallest set of ordinary servings that closes every gap at once.

A mixed-integer program (`scipy.optimize.milp`) chooses whole or half servings of at most a few
foods so that, added to the current average intake, every short nutrient reaches its target
while no upper limit that counts food is crossed, with as little added energy as possible.
Only everyday foods (or the person's own) that are safe for their life stage are used, and no
more of a kind of food than a person would realistically add in a day (data/daily_caps.csv).
When food cannot close a gap so, the plan closes what it can, says in plain words which
nutrient is left and why, and quotes what public guidance says about it (vitamin D).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS
from nutrigap.analyzer.rule_tables import rule_table
from nutrigap.analyzer.suggestions.caps import cap_grams
from nutrigap.analyzer.suggestions.diets import clean_words, normalise_diet
from nutrigap.analyzer.suggestions.foods import gaps, number_words, nutrient_words, serving_words
from nutrigap.analyzer.suggestions.guidance import guidance_for
from nutrigap.analyzer.suggestions.life_stage import life_stage_sources
from nutrigap.analyzer.suggestions.plan_solver import Model, shortlist
from nutrigap.analyzer.suggestions.pool import ENERGY, candidate_foods, with_caps
from nutrigap.analyzer.suggestions.servings import count_words

#: tolerance when comparing a recomputed total with its target or limit
TOLERANCE = 1e-6
#: the source of the daily caps and of children's servings (data/report_sources.csv)
CAPS_SOURCE = "dga_2020"


@dataclass
class Plan:
    """Foods to add, the totals they lead to, and what food alone cannot close."""

    additions: list[dict] = field(default_factory=list)
    totals: dict[str, dict] = field(default_factory=dict)
    unmet: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: what public guidance says about nutrients food cannot supply (see guidance.py)
    guidance: list[dict] = field(default_factory=list)
    #: keys (data/report_sources.csv) of the rules and guidance the plan and suggestions used
    sources: list[str] = field(default_factory=list)

    @property
    def met(self) -> dict[str, bool]:
        """Nutrient -> whether the new total reaches the target (nutrients with a target)."""
        return {k: t["met"] for k, t in self.totals.items() if t["target"] is not None}

    @property
    def added_kcal(self) -> float:
        """The energy the additions bring, in kcal."""
        return float(sum(a["kcal"] or 0.0 for a in self.additions))

    def to_dict(self) -> dict:
        """Plain dicts, lists, strings and floats, ready for JSON."""
        return {"additions": self.additions, "added_kcal": round(self.added_kcal, 1),
                "totals": self.totals, "met": self.met, "unmet": self.unmet,
                "notes": self.notes, "guidance": self.guidance, "sources": self.sources}


def plan_additions(food_table: FoodTable, average, targets: pd.DataFrame, *,
                   diet: Iterable[str] = (), exclude: Iterable[str] = (), profile=None,
                   own: pd.DataFrame | None = None, max_foods: int = 5,
                   max_servings_per_food: float = 3) -> Plan:
    """Whole or half servings of at most `max_foods` foods (at most `max_servings_per_food`
    servings each, and within the daily caps) that bring every short nutrient to target
    with the least added energy, preferring the person's own foods (`own`, from
    `own_foods`); `profile` (age, pregnant, lactating) decides what is safe and how big a
    serving is.

    `average` is the current average daily intake per nutrient: a Series of totals, or a
    DataFrame indexed by nutrient with a `total` (or `average`) column, or `food` and
    `supplements` columns. `targets` is indexed by nutrient with `target`, `ul` and
    `ul_applies_to` (total, supplements or none).
    """
    if max_foods < 1 or max_servings_per_food < 0.5:
        raise ValueError("max_foods must be at least 1 and max_servings_per_food at least 0.5")
    diet, exclude = [normalise_diet(d) for d in diet], clean_words(exclude)
    total = _total_intake(average)
    targets = _limits(targets)
    short = gaps(total, targets)
    notes = _limit_notes(total, targets, short)
    headroom = _headroom(total, targets)

    chosen = pd.Series(dtype=float)
    pool = None
    unmet: list[dict] = []
    sources: list[str] = []
    if not short.empty:
        foods = candidate_foods(food_table, diet=diet, exclude=exclude, profile=profile,
                                own=own)
        foods = with_caps(foods, profile, max_servings_per_food)
        pool = shortlist(foods, short, headroom, max_foods, max_servings_per_food)
        model = Model(pool, foods, short, headroom, max_foods, max_servings_per_food,
                      caps=cap_grams(profile))
        chosen, left = model.best_plan()
        for nutrient in left:
            unmet.append(_unmet(model, nutrient, short, diet, exclude))
        notes += _unknown_notes(pool, chosen, short, headroom)
        sources = [*life_stage_sources(profile), CAPS_SOURCE]

    additions = _additions(food_table, pool, chosen)
    totals = _totals(total, targets, additions)
    for entry in unmet:
        entry["after"] = totals[entry["nutrient"]]["after"]
    guidance = guidance_for([u["nutrient"] for u in unmet],
                            getattr(profile, "age", None) if profile is not None else None)
    sources += [p["source"] for g in guidance for p in g["points"]]
    return Plan(additions, totals, unmet, notes, guidance, list(dict.fromkeys(sources)))


# --- inputs --------------------------------------------------------------------------------

def _total_intake(average) -> pd.Series:
    if isinstance(average, dict):
        average = pd.Series(average, dtype=float)
    if isinstance(average, pd.DataFrame):
        for column in ("total", "average"):
            if column in average:
                return pd.to_numeric(average[column], errors="coerce")
        if {"food", "supplements"} <= set(average.columns):
            food = pd.to_numeric(average["food"], errors="coerce")
            return food + pd.to_numeric(average["supplements"], errors="coerce").fillna(0.0)
        raise TypeError("average needs a 'total' column, or 'food' and 'supplements' columns")
    if isinstance(average, pd.Series):
        return pd.to_numeric(average, errors="coerce")
    raise TypeError("average must be a pandas Series or DataFrame of intake per nutrient")


def _limits(targets: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=targets.index)
    out["target"] = pd.to_numeric(targets["target"], errors="coerce")
    out["ul"] = pd.to_numeric(targets.get("ul", np.nan), errors="coerce")
    applies = targets.get("ul_applies_to", pd.Series("total", index=targets.index))
    out["ul_applies_to"] = applies.fillna("none").astype(str)
    return out


def _headroom(total: pd.Series, targets: pd.DataFrame) -> pd.Series:
    """How much more of each nutrient food may add before an upper limit that counts food
    is crossed; nutrients already above their limit are left out (see the notes)."""
    counts_food = (targets["ul_applies_to"] == "total") & targets["ul"].notna()
    current = total.reindex(targets.index).fillna(0.0)
    room = (targets["ul"] - current)[counts_food]
    return room[room > 0]


def _limit_notes(total: pd.Series, targets: pd.DataFrame, short: pd.Series) -> list[str]:
    notes = []
    for key, row in targets.iterrows():
        if pd.isna(row["ul"]) or row["ul_applies_to"] == "none":
            continue
        name, unit = nutrient_words(key)
        current = total.get(key, np.nan)
        if row["ul_applies_to"] == "total" and pd.isna(current) and not short.empty:
            notes.append(f"Your current {name} intake is unknown, so the plan can only keep what "
                         f"it adds under the upper limit of {number_words(row['ul'])} {unit}.")
        elif row["ul_applies_to"] == "total" and current >= row["ul"]:
            notes.append(
                f"Your {name} is already at or above its upper limit ({number_words(current)} "
                f"of {number_words(row['ul'])} {unit} a day) before anything is added, so the "
                f"plan cannot keep it under the limit. When a supplement is the source, talk "
                f"to a doctor or pharmacist about it.")
        elif row["ul_applies_to"] == "supplements" and key in short.index:
            notes.append(f"The upper limit for {name} counts supplements and medicines only, "
                         f"so {name} from food is not capped.")
    return notes


# --- explanations --------------------------------------------------------------------------

def advice_for(nutrient: str, diet: Iterable[str] = ()) -> str:
    """The usual route to a nutrient food cannot supply, without doses."""
    table = rule_table("unmet_advice.csv")
    diets = set(diet)
    for row in table.itertuples(index=False):
        if row.nutrient in (nutrient, "") and (row.diet == "" or row.diet in diets):
            return row.advice
    return ""


def _filters_words(diet: list[str], exclude: list[str]) -> str:
    parts = []
    if diet:
        parts.append(", ".join(diet))
    if exclude:
        parts.append("without " + ", ".join(exclude))
    return f" under your filters ({'; '.join(parts)})" if parts else ""


def _unmet(model: Model, nutrient: str, short: pd.Series, diet: list[str],
           exclude: list[str]) -> dict:
    name, unit = nutrient_words(nutrient)
    gap = short[nutrient]
    best = model.most_of(nutrient)
    unlimited = model.most_of(nutrient, with_limits=False)
    filters = _filters_words(diet, exclude)
    if best >= gap * (1 - TOLERANCE):
        reason = "together"
        why = (f"Food can close your {name} gap on its own, but not together with your other "
               f"gaps using at most {model.max_foods} foods, each within the amount a person "
               f"would add in a day{filters}; this plan closes the others first.")
    elif unlimited >= gap * (1 - TOLERANCE):
        reason = "limit"
        crossed = [nutrient_words(k)[0] for k in model.limits_in_the_way(nutrient)]
        others = " and ".join(crossed) or "another nutrient"
        why = (f"Food cannot close your {name} gap{filters} without taking your {others} "
               f"past its upper limit: the most it can add within the limits is about "
               f"{number_words(best)} {unit}, and you are {number_words(gap)} {unit} short.")
    else:
        reason = "food"
        why = (f"Food alone cannot realistically close your {name} gap{filters}: even the "
               f"best {model.max_foods} everyday foods, each in the most a person would add in "
               f"a day (at most {count_words(model.max_servings)} servings, a cup of cooked "
               f"greens, a serving of fish), add about {number_words(best)} {unit}, and you "
               f"are {number_words(gap)} {unit} short.")
    return {"nutrient": nutrient, "name": name, "unit": unit, "short_by": float(gap),
            "most_from_food": float(best), "reason": reason,
            "explanation": f"{why} {advice_for(nutrient, diet)}".strip()}


def _unknown_notes(pool: pd.DataFrame, chosen: pd.Series, short: pd.Series,
                   headroom: pd.Series) -> list[str]:
    notes = []
    for food_id in chosen.index:
        food = pool.loc[food_id]
        for nutrient in dict.fromkeys([*short.index, *headroom.index]):
            if pd.notna(food[nutrient]):
                continue
            name, _ = nutrient_words(nutrient)
            how = []
            if nutrient in short.index:
                how.append("counts it as adding none towards your target")
            if nutrient in headroom.index:
                how.append("allows for as much as similar foods have, so the upper limit "
                           "still holds")
            notes.append(f"The food data has no {name} value for {food['name']}; the plan "
                         f"{' and '.join(how)}.")
    return notes


# --- results -------------------------------------------------------------------------------

def _additions(table: FoodTable, pool: pd.DataFrame | None, chosen: pd.Series) -> list[dict]:
    """One entry per chosen food, its nutrients recomputed from the table's per-100 g values."""
    if pool is None:  # no nutrient was short, so no food was looked for
        return []
    additions = []
    for food_id, servings in chosen.items():
        food = pool.loc[food_id]
        grams = float(food["grams"] * servings)
        per_100g = table.foods.loc[food_id]
        added = {key: _plain(per_100g[key] * grams / 100.0)
                 for key in NUTRIENT_KEYS if key != ENERGY}
        # what the pool does not count on (spinach's calcium) is shown apart, not added
        not_counted = {key: added[key] for key in added
                       if f"full_{key}" in pool and food[key] == 0 and (added[key] or 0) > 0}
        added.update(dict.fromkeys(not_counted, 0.0))
        additions.append({
            "food_id": str(food_id),
            "name": str(food["name"]),
            "servings": float(servings),
            "serving": str(food["serving"]),
            "serving_grams": float(food["grams"]),
            "text": serving_words(food, servings),
            "grams": grams,
            "kcal": _plain(per_100g[ENERGY] * grams / 100.0),
            "nutrients": added,
            "not_counted": not_counted,
            "fortified": bool(food["fortified"]),
            "own": bool(food.get("own", False)),
        })
    return additions


def _totals(total: pd.Series, targets: pd.DataFrame, additions: list[dict]) -> dict[str, dict]:
    out = {}
    for key, row in targets.iterrows():
        known = [a["nutrients"].get(key) for a in additions]
        added = float(sum(v for v in known if v is not None))
        before = total.get(key, np.nan)
        after = before + added if pd.notna(before) else np.nan
        target = row["target"]
        ul = row["ul"]
        counts_food = row["ul_applies_to"] == "total" and pd.notna(ul)
        out[key] = {
            "before": _plain(before),
            "added": added,
            "after": _plain(after),
            "target": _plain(target),
            "ul": _plain(ul),
            "ul_applies_to": row["ul_applies_to"],
            "met": bool(pd.notna(after) and after >= target * (1 - TOLERANCE))
            if pd.notna(target) else None,
            "within_ul": bool(after <= ul * (1 + TOLERANCE)) if counts_food and pd.notna(after)
            else None,
            "unknown_from": [a["name"] for a in additions if a["nutrients"].get(key) is None],
        }
    return out


def _plain(value) -> float | None:
    """A JSON-friendly number: NaN becomes None."""
    if value is None or pd.isna(value):
        return None
    return float(value)
