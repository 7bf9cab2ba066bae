"""The whole analysis, stage after stage, from a read meal log to the report dictionary.

`Analyzer` is what a process keeps: the food table, its matcher and the match corrections,
loaded once by an edge (the command line, a batch worker, a web worker) and used for every log
that process analyses.
"""

from __future__ import annotations

import pandas as pd

from nutrigap.analyzer.food_table import FoodTable, per_food_table
from nutrigap.analyzer.logs import LogInfo
from nutrigap.analyzer.matching import Matcher, check_corrections
from nutrigap.analyzer.options import Options
from nutrigap.analyzer.portions import questioned_weights, resolve_grams
from nutrigap.analyzer.scoring import (
    Profile,
    b6_notes,
    counted_intake,
    daily_totals,
    day_notes,
    find_triggers,
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
    own_foods,
    plan_additions,
    suggest_foods,
)
from nutrigap.analyzer.writeup import Analysis, build_report

__all__ = ["Analyzer", "Options", "matcher_for"]


@per_food_table
def matcher_for(food_table: FoodTable) -> Matcher:
    """The Matcher for this food table, built on first use."""
    return Matcher(food_table)


class Analyzer:
    """The food table, its matcher and a dietitian's match corrections, checked once; `analyze`
    turns one read meal log into its report dictionary."""

    def __init__(self, food_table: FoodTable, corrections: pd.DataFrame | None = None):
        self.food_table = food_table
        self.matcher = matcher_for(food_table)  # shared by every Analyzer of this table
        # checked here, so a bad corrections file stops before the first log is analysed
        self.corrections = (None if corrections is None
                            else check_corrections(corrections, food_table))

    def analyze(self, items: pd.DataFrame, info: LogInfo, profile: Profile | dict,
                options: Options) -> dict:
        """Match, weigh, total and score a read meal log, suggest foods and a plan, and return
        the report dictionary (see docs/report-json.md)."""
        return build_report(self.stages(items, info, profile, options), options)

    def stages(self, items: pd.DataFrame, info: LogInfo, profile: Profile | dict,
               options: Options) -> Analysis:
        """What each stage makes of the log, before the write-up."""
        if not isinstance(profile, Profile):
            profile = Profile.model_validate(profile)
        table = self.food_table
        targets = targets_for(profile, options.overrides)

        names = items.loc[items["kind"].eq("food"), "food"].unique()
        matches = self.matcher.match(names, self.corrections)
        items = resolve_grams(items, matches, table)
        intake = item_nutrients(items, matches, table)

        daily = daily_totals(intake)
        counted = counted_intake(intake, daily)  # the items of the days the averages are over
        status = score(daily, targets, intake)
        short = gaps(status["average"], targets)
        diet, exclude = list(options.diet), list(options.exclude)
        own = own_foods(counted)
        suggestions = suggest_foods(table, short, diet=diet, exclude=exclude, profile=profile,
                                    own=own)
        plan = plan_additions(table, status["average"], targets, diet=diet, exclude=exclude,
                              profile=profile, own=own)

        used = intake["food_id"].dropna().unique()
        food_sources = frozenset(table.foods.loc[table.foods.index.intersection(used),
                                                 "source"].astype(str))
        return Analysis(
            profile=profile, info=info, items=items, matches=matches, intake=intake,
            targets=targets, daily=daily, status=status,
            warnings=upper_limit_warnings(daily, targets),
            contributors=top_contributors(counted), missing=missing_values(counted),
            suggestions=suggestions, plan=plan.to_dict(), short_log=notes(daily),
            food_sources=food_sources, triggers=find_triggers(intake, daily, profile),
            questioned=questioned_weights(intake, table),
            extra_notes=tuple(diet_conflict_notes(matches, table, diet)
                              + day_notes(daily, intake) + b6_notes(status, daily, profile.age)))
