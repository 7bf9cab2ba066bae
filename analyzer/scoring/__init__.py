"""Stage 4, scoring: nutrients per item, daily totals, the person's targets and the scores.

Entry points: `Profile`, `targets_for(profile, overrides)`, `read_overrides(fp)`,
`item_nutrients`, `daily_totals`, `score`, `upper_limit_warnings`, `top_contributors`,
the notes on single days (`day_notes`) and on vitamin B6 (`b6_notes`), and caffeine, alcohol,
water and sodium against their own references (`find_triggers`).
"""

from nutrigap.analyzer.scoring.b6_context import b6_notes
from nutrigap.analyzer.scoring.day_checks import MAX_PLAUSIBLE_DAY_KCAL, day_notes
from nutrigap.analyzer.scoring.intake import item_nutrients, missing_values
from nutrigap.analyzer.scoring.overrides import parse_overrides, read_overrides
from nutrigap.analyzer.scoring.scores import (
    counted_intake,
    daily_totals,
    notes,
    score,
    top_contributors,
    upper_limit_warnings,
)
from nutrigap.analyzer.scoring.targets import Profile, targets_for
from nutrigap.analyzer.scoring.triggers import Triggers, find_triggers, trigger_references

__all__ = ["MAX_PLAUSIBLE_DAY_KCAL", "Profile", "Triggers", "b6_notes", "counted_intake",
           "daily_totals", "day_notes", "find_triggers", "item_nutrients", "missing_values",
           "notes", "parse_overrides", "read_overrides", "score", "targets_for",
           "top_contributors", "trigger_references", "upper_limit_warnings"]
