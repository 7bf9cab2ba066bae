"""Stage 5, suggestions: foods that close the gaps, and a plan of added servings.

Entry points: `gaps(average, targets)`, `own_foods(intake)` (the foods the log shows the
person eats), `suggest_foods(food_table, short, ...)`, `plan_additions(food_table, average,
targets, ...)`; the diet filters (`normalise_diet`, `diet_table`) and the note on foods a
declared diet rules out (`diet_conflict_notes`).
"""

from nutrigap.analyzer.suggestions.diet_checks import diet_conflict_notes
from nutrigap.analyzer.suggestions.diets import diet_table, known_diets, normalise_diet
from nutrigap.analyzer.suggestions.foods import gaps, suggest_foods
from nutrigap.analyzer.suggestions.own_foods import own_foods
from nutrigap.analyzer.suggestions.plan import Plan, plan_additions

__all__ = ["Plan", "diet_conflict_notes", "diet_table", "gaps", "known_diets",
           "normalise_diet", "own_foods", "plan_additions", "suggest_foods"]
