"""Stage 3, portions: each item's amount turned into grams through the matched food's portions.

Entry points: `resolve_grams(items, matches, food_table) -> items` with `grams`,
`portion_used`, `counted_as`, `conversion_problem` and `estimated` filled;
`questioned_weights(intake, food_table)`: the servings heavier than their kind of food usually
weighs, for the report.
"""

from nutrigap.analyzer.portions.checks import QUESTIONED_COLUMNS, questioned_weights
from nutrigap.analyzer.portions.grams import resolve_grams

__all__ = ["QUESTIONED_COLUMNS", "questioned_weights", "resolve_grams"]
