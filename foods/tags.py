"""Diet tags (vegan, dairy, nuts, gluten, ...) derived from a food's group and description.

The rules are data, in `foods/data/tag_rules.csv` (its shape is `TAG_RULES`), one row per
rule:

- `tag`: the tag the rule adds, or `-vegan` / `-vegetarian` to rule that tag out;
- `food_group`: the SR food group the rule is limited to (empty: every group);
- `include`: a regular expression searched in the lower-case description (empty: every
  food of the group);
- `ignore`: phrases blanked out before `include` is searched ("peanut butter" is not
  butter, "eggplant" is not egg);
- `unless`: the rule does not apply when this matches the description ("gluten-free");
- `why`: what the rule catches, for whoever reads the table.

After the rules, meat, fish and shellfish rule out vegetarian; those and dairy and egg rule
out vegan; whatever is vegan is also vegetarian.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from nutrigap.analyzer.errors import BadRuleTable, FoodDataError, Problem
from nutrigap.analyzer.rule_specs import Table, regex, text
from nutrigap.analyzer.rule_tables import rule_table

TAGS = ("vegan", "vegetarian", "dairy", "egg", "fish", "shellfish", "meat", "nuts", "gluten",
        "fortified", "soy")
_BLOCKS = ("-vegan", "-vegetarian")
# Which tags rule out the two diet tags (beyond the explicit -vegan / -vegetarian rules).
NOT_VEGETARIAN = ("meat", "fish", "shellfish", "-vegetarian")
NOT_VEGAN = (*NOT_VEGETARIAN, "dairy", "egg", "-vegan")
TAG_RULES = Table("tag_rules.csv", (text("tag", allowed=TAGS + _BLOCKS),
                                     text("food_group", required=False),
                                     regex("include", required=False),
                                     regex("ignore", required=False),
                                     regex("unless", required=False), text("why")),
                  package="nutrigap.foods")


@functools.cache
def load_rules() -> pd.DataFrame:
    """The tag rules from the package data, checked against `TAG_RULES`."""
    rules = rule_table(TAG_RULES)
    # Without either, a rule would tag every food there is.
    aimless = [Problem(row, "food_group", None, "a rule needs a food_group, an include "
                                                "pattern or both")
               for row, rule in enumerate(rules.itertuples(), start=2)
               if not rule.food_group and not rule.include]
    if aimless:
        raise BadRuleTable(TAG_RULES.file, aimless)
    return rules


def derive_tags(descriptions: pd.Series, groups: pd.Series,
                fortified: pd.Series | None = None) -> pd.Series:
    """Comma-separated tags for each food from its description and food group; `fortified`
    (optional, same index) marks foods known to have nutrients added, e.g. SR28 added B12."""
    flags = derive_flags(descriptions, groups)
    if fortified is not None:
        flags["fortified"] |= fortified.reindex(descriptions.index, fill_value=False).to_numpy(
            dtype=bool)
    return flags_to_text(settle(flags))


def derive_flags(descriptions: pd.Series, groups: pd.Series) -> pd.DataFrame:
    """One boolean column per tag and per -vegan / -vegetarian block, before settling."""
    text = descriptions.fillna("").str.lower().to_numpy(dtype=object)
    groups = groups.fillna("").to_numpy(dtype=object)
    flags = {tag: np.zeros(len(text), dtype=bool) for tag in (*TAGS, *_BLOCKS)}
    for rule in load_rules().itertuples(index=False):
        rows = np.flatnonzero(groups == rule.food_group) if rule.food_group \
            else np.arange(len(text))
        if rule.include:
            rows = _matching(rows, text, rule.include, rule.ignore)
        if rule.unless and len(rows):
            unless = re.compile(rule.unless)
            rows = rows[[unless.search(text[i]) is None for i in rows]]
        flags[rule.tag][rows] = True
    return pd.DataFrame(flags, index=descriptions.index)


def _matching(rows: np.ndarray, text: np.ndarray, include: str, ignore: str) -> np.ndarray:
    """The rows whose text matches `include` once the `ignore` phrases are blanked out."""
    pattern = re.compile(include)
    rows = rows[[pattern.search(text[i]) is not None for i in rows]]
    # Blanking out can only remove matches, so it is done on the few hits alone.
    if ignore and len(rows):
        blank = re.compile(ignore)
        rows = rows[[pattern.search(blank.sub(" ", text[i])) is not None for i in rows]]
    return rows


def settle(flags: pd.DataFrame) -> pd.DataFrame:
    """Apply what rules out vegetarian and vegan, then make every vegan food vegetarian."""
    flags = flags.copy()
    present = [c for c in NOT_VEGETARIAN if c in flags]
    flags["vegetarian"] &= ~flags[present].any(axis=1)
    present = [c for c in NOT_VEGAN if c in flags]
    flags["vegan"] &= ~flags[present].any(axis=1)
    flags["vegetarian"] |= flags["vegan"]
    return flags[list(TAGS)]


def text_to_flags(tags: pd.Series) -> pd.DataFrame:
    """Comma-separated tag text to one boolean column per tag."""
    sets = tags.fillna("").map(lambda t: {p.strip() for p in str(t).split(",") if p.strip()})
    unknown = set().union(*sets) - set(TAGS) if len(sets) else set()
    if unknown:
        raise FoodDataError(f"unknown tag(s) {', '.join(sorted(unknown))}; use "
                            f"{', '.join(TAGS)}")
    return pd.DataFrame({tag: sets.map(lambda s, t=tag: t in s).astype(bool) for tag in TAGS},
                        index=tags.index)


def flags_to_text(flags: pd.DataFrame) -> pd.Series:
    """One boolean column per tag to sorted, comma-separated tag text."""
    names = np.array(sorted(TAGS))
    matrix = flags[list(names)].to_numpy(dtype=bool)
    return pd.Series([",".join(names[row]) for row in matrix], index=flags.index, dtype=object)


def add_tags(tags: pd.Series, extra: pd.Series) -> pd.Series:
    """`tags` plus the hand-given `extra` tags (same index), settled again so that an added
    animal tag still rules out vegan."""
    flags = text_to_flags(tags) | text_to_flags(extra.reindex(tags.index))
    return flags_to_text(settle(flags))
