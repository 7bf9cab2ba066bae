"""Stage 3, portions: each item's amount turned into grams through the matched food's portions.

Entry point: `resolve_grams(items, matches, food_table) -> items` with `grams`,
`portion_used`, `counted_as` and `conversion_problem` filled.
"""

from nutrigap.analyzer.portions.grams import resolve_grams

__all__ = ["resolve_grams"]
