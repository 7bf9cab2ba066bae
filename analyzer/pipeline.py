"""The whole analysis, stage after stage, from a read meal log to the report dictionary."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

from nutrigap.analyzer.food_table import FoodTable, per_food_table
from nutrigap.analyzer.matching import Matcher
from nutrigap.analyzer.portions import resolve_grams
from nutrigap.analyzer.scoring import (
    Profile,
    b6_notes,
    counted_intake,
    daily_totals,
    day_notes,
    item_nutrients,
    missing_values,
    notes,
    score,
    targets_for,
    top_contributors,
    upper_limit_warnings,
)
from nutrigap.analyzer.suggestions import (
    diet_conflict_notes,
    gaps,
    normalise_diet,
    own_foods,
    plan_additions,
    suggest_foods,
)
from nutrigap.analyzer.writeup import build_report


@per_food_table
def matcher_for(food_table: FoodTable) -> Matcher:
    """The Matcher for this food table, built on first use."""
    return Matcher(food_table)


def analyze(items: pd.DataFrame, info, food_table: FoodTable, profile: Profile | dict, *,
            overrides=None, corrections: pd.DataFrame | None = None, diet: Iterable[str] = (),
            exclude: Iterable[str] = (), log_name: str = "", generated: date | None = None,
            version: str | None = None) -> dict:
    """Match, weigh, total and score a read meal log, suggest foods and a plan, and return
    the report dictionary (see docs/report-json.md)."""
    if not isinstance(profile, Profile):
        profile = Profile.model_validate(profile)
    diet = [normalise_diet(d) for d in diet]
    exclude = [str(w).strip() for w in exclude if str(w).strip()]
    targets = targets_for(profile, overrides)

    names = items.loc[items["kind"].eq("food"), "food"].unique()
    matches = matcher_for(food_table).match(names, corrections)
    items = resolve_grams(items, matches, food_table)
    intake = item_nutrients(items, matches, food_table)

    daily = daily_totals(intake)
    counted = counted_intake(intake, daily)  # the items of the days the averages are over
    status = score(daily, targets, intake)
    short = gaps(status["average"], targets)
    own = own_foods(counted)
    suggestions = suggest_foods(food_table, short, diet=diet, exclude=exclude, profile=profile,
                                own=own)
    plan = plan_additions(food_table, status["average"], targets, diet=diet, exclude=exclude,
                          profile=profile, own=own)

    used = intake["food_id"].dropna().unique()
    food_sources = set(food_table.foods.loc[food_table.foods.index.intersection(used),
                                            "source"].astype(str))
    return build_report(
        profile=profile, info=info, items=items, matches=matches, intake=intake,
        targets=targets, daily=daily, status=status,
        warnings=upper_limit_warnings(daily, targets), contributors=top_contributors(counted),
        missing=missing_values(counted), suggestions=suggestions, plan=plan.to_dict(),
        short_log=notes(daily), food_sources=food_sources, diet=diet, exclude=exclude,
        log_name=log_name, generated=generated, version=version,
        extra_notes=(diet_conflict_notes(matches, food_table, diet) + day_notes(daily, intake)
                     + b6_notes(status, daily, profile.age)))
