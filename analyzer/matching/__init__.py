"""Stage 2, matching: the food names people log matched to foods of a FoodTable.

Entry points: `Matcher(food_table)` with `.match(names, corrections)` and `.search(text)`;
`read_corrections(fp)` and `check_corrections` for a dietitian's corrections table (name,
food_id).
"""

from nutrigap.analyzer.matching.corrections import check_corrections, read_corrections
from nutrigap.analyzer.matching.matcher import MATCH_COLUMNS, Matcher
from nutrigap.analyzer.matching.rules import exclusions

__all__ = ["MATCH_COLUMNS", "Matcher", "check_corrections", "exclusions",
           "read_corrections"]
