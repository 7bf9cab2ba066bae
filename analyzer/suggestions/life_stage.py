"""What is safe to suggest for the person's life stage, and how big a child's serving is.

Both are data. `data/life_stage_rules.csv` lists foods not offered during pregnancy or
breastfeeding or below an age (fish high in mercury, raw fish and meat, liver, alcohol,
caffeine drinks for children), each rule with its reason and the key of its source in
`data/report_sources.csv`. `data/child_servings.csv` gives, per age band, the share of an
adult serving that makes a child's serving and the most fish a day the FDA/EPA advice allows.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from nutrigap.analyzer.rule_tables import rule_table
from nutrigap.analyzer.suggestions.servings import matches_pattern


@functools.cache
def life_stage_rules() -> pd.DataFrame:
    """The foods kept from pregnant or breastfeeding people and children, one rule per row."""
    return rule_table("life_stage_rules.csv")


@functools.cache
def child_servings() -> pd.DataFrame:
    """Age bands (below `under_age`) with the share of an adult serving and fish per day."""
    return rule_table("child_servings.csv").sort_values("under_age", ignore_index=True)


def _age(profile) -> float:
    return float(getattr(profile, "age", np.inf)) if profile is not None else np.inf


def rules_for(profile) -> pd.DataFrame:
    """The rules that apply to this person (none without a profile)."""
    rules = life_stage_rules()
    if profile is None:
        return rules.iloc[0:0]
    age = _age(profile)
    applies = (age < rules["under_age"]).fillna(False)  # an empty age is NaN: never
    if getattr(profile, "pregnant", False):
        applies |= rules["pregnant"]
    if getattr(profile, "lactating", False):
        applies |= rules["lactating"]
    return rules[applies.to_numpy(bool)]


def life_stage_exclusions(foods: pd.DataFrame, profile) -> pd.Series:
    """Why each food is not offered to this person ("" when it may be), by the rules."""
    reasons = pd.Series("", index=foods.index, dtype=object)
    rules = rules_for(profile)
    if rules.empty or foods.empty:
        return reasons
    names = foods["name"].fillna("").astype(str)
    usda = foods.get("usda_description", names).fillna("").astype(str)
    text = (names + "\n" + usda).str.lower()
    groups = foods["food_group"].fillna("").astype(str)
    for rule in rules.itertuples(index=False):
        hit = (reasons == "").to_numpy()
        if rule.food_groups:
            hit &= groups.isin(rule.food_groups).to_numpy()
        if rule.pattern:
            hit[hit] = matches_pattern(text[hit], rule.pattern, re.IGNORECASE)
        reasons[hit] = rule.reason
    return reasons


def life_stage_sources(profile) -> list[str]:
    """The source keys of the rules that apply to this person, in table order."""
    return list(dict.fromkeys(rules_for(profile)["source"]))


def child_band(profile) -> pd.Series | None:
    """The child_servings row for this person's age; None for anyone 14 or older."""
    age = _age(profile)
    bands = child_servings()
    younger = bands[age < bands["under_age"]]
    return None if younger.empty else younger.iloc[0]


def serving_factor(profile) -> float:
    """The share of an adult serving that is this person's serving (1 for adults)."""
    band = child_band(profile)
    return 1.0 if band is None else float(band["factor"])


def under_fish_advice(profile) -> bool:
    """Whether the FDA/EPA weekly fish amounts apply: pregnancy, breastfeeding, a child."""
    return profile is not None and bool(getattr(profile, "pregnant", False)
                                        or getattr(profile, "lactating", False)
                                        or child_band(profile) is not None)
