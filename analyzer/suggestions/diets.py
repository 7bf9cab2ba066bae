"""Diet filters (vegan, vegetarian, dairy-free, fish-free, nut-free, gluten-free) and the
food words a person excludes.

What each diet needs and rules out is data in `data/diets.csv`. The food table's tags decide
first: a vegan food must be tagged vegan and carry none of the tags the diet rules out. The
diet's USDA food groups are always ruled out too. A food with no tags at all (a table without
tagging) is judged by its name instead: the diet's words, less phrases that only look like
them ("peanut butter" is not dairy, "eggplant" is not egg).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import pandas as pd

from nutrigap.analyzer.errors import BadDiet
from nutrigap.analyzer.rule_tables import rule_table


@functools.cache
def diet_table() -> pd.DataFrame:
    """One row per diet, indexed by its name."""
    return rule_table("diets.csv").set_index("diet")


def known_diets() -> list[str]:
    """The diet names accepted by the filters, in table order."""
    return list(diet_table().index)


def normalise_diet(name: str) -> str:
    """'Dairy free' -> 'dairy-free'; an unknown diet raises BadDiet naming the known ones."""
    key = re.sub(r"[\s_]+", "-", str(name).strip().lower())
    if key not in diet_table().index:
        raise BadDiet(f'diet "{name}" is not one nutrigap knows; choose from '
                      f"{', '.join(known_diets())} (or leave it out)")
    return key


def words_pattern(words: Iterable[str]) -> str:
    """A regex finding any of the words or phrases whole, singular or plural ('egg' finds
    'eggs'); the word found is its first group."""
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    body = "|".join(re.escape(w) for w in ordered)
    return rf"\b({body})(?:s|es)?\b"


def _texts(foods: pd.DataFrame) -> pd.Series:
    names = foods["name"].fillna("").astype(str)
    usda = foods.get("usda_description", pd.Series("", index=foods.index)).fillna("").astype(str)
    return names.where((usda == names) | (usda == ""), names + "\n" + usda).str.lower()


def _tags(foods: pd.DataFrame) -> pd.Series:
    tags = foods["tags"] if "tags" in foods else pd.Series("", index=foods.index)
    return tags.fillna("").astype(str).map(lambda t: {x.strip() for x in t.split(",") if x})


def diet_exclusions(foods: pd.DataFrame, diets: Iterable[str], *,
                    known_only: bool = False) -> pd.Series:
    """Why each food is outside the chosen diets ("" when it fits every one of them).
    `known_only`: only what is known to be in a food (its tags, group or name), not a
    missing tag (a vegan diet needs foods tagged vegan; an untagged food may still fit)."""
    reasons = pd.Series("", index=foods.index, dtype=object)
    diets = [normalise_diet(d) for d in diets]
    if not diets or foods.empty:
        return reasons
    texts = _texts(foods)
    tags = _tags(foods)
    groups = foods["food_group"].fillna("").astype(str)
    tagged = tags.map(bool)
    # In a tagged table, a food without tags is not known to fit a diet that needs a tag
    # (vegan, vegetarian); only a table with no tags at all falls back on names.
    needs_tag = tagged if not tagged.any() else pd.Series(True, index=foods.index)
    for diet in diets:
        row = diet_table().loc[diet]
        needed, banned = set(row["required_tags"]), set(row["excluded_tags"])
        lacks = tags.map(lambda t, n=needed: "" if n <= t else "not tagged " + ", ".join(n))
        by_tag = tags.map(lambda t, b=banned: ", ".join(sorted(t & b)))
        by_group = groups.where(groups.isin(row["excluded_groups"]), "")
        by_word = _by_words(texts[~tagged], row).reindex(foods.index, fill_value="")
        if known_only:
            lacks = pd.Series("", index=foods.index, dtype=object)
        for why in (by_tag, lacks.where(needs_tag, ""), by_group, by_word):
            fresh = (reasons == "") & (why != "")
            reasons[fresh] = f"not {diet} (" + why[fresh] + ")"
    return reasons


def _by_words(texts: pd.Series, row: pd.Series) -> pd.Series:
    """The diet word each (untagged) food's name contains, quoted; "" for none."""
    if texts.empty:
        return pd.Series("", index=texts.index, dtype=object)
    allowed = row["allowed_phrases"]
    if allowed:
        texts = texts.str.replace(words_pattern(allowed), " ", regex=True)
    found = texts.str.extract(words_pattern(row["excluded_words"]))[0].fillna("")
    return ('"' + found + '"').where(found != "", "")


def clean_words(words: Iterable[str]) -> list[str]:
    """The person's exclusion words in lower case; one that is not a word raises BadDiet."""
    cleaned = []
    for word in words:
        text = str(word).strip().lower()
        if len(re.sub(r"[^a-z]", "", text)) < 2:
            raise BadDiet(f'exclude "{word}" is not a food word; give words such as "liver" or '
                          '"peanut" (each leaves out every food whose name contains it)')
        cleaned.append(text)
    return cleaned


def word_exclusions(foods: pd.DataFrame, words: Iterable[str]) -> pd.Series:
    """Why each food is excluded by the person's own words ("" when none of them matches)."""
    reasons = pd.Series("", index=foods.index, dtype=object)
    cleaned = clean_words(words)
    if not cleaned or foods.empty:
        return reasons
    found = _texts(foods).str.extract(words_pattern(cleaned))[0].fillna("")
    reasons[found != ""] = 'you excluded "' + found[found != ""] + '"'
    return reasons
