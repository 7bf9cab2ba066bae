"""What the matcher knows about food descriptions: preparation words, which foods are left
out unless asked for (baby, fast, restaurant and branded foods), and sensible defaults.

All of it comes from tables in `analyzer/data/`; this module turns them into lookups.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from nutrigap.analyzer.matching.normalise import words
from nutrigap.analyzer.rule_tables import rule_sections, rule_table

PERCENT = "percent"  # the dimension of the percentages a name states (80% lean, 1% milkfat)
_PERCENTAGE = re.compile(r"\d+(?:\.\d+)?%")


@dataclass(frozen=True)
class Preparations:
    """Preparation words by dimension: state (raw, cooked), method (boiled, fried), form
    (canned, frozen, dried), fat level (free, reduced, regular) and the like; and the
    percentages a name states ("80% lean", "2% milkfat"), which must agree as they do."""

    by_word: dict[str, tuple[tuple[str, str], ...]]

    def of(self, food_words) -> dict[str, frozenset[str]]:
        """{dimension: values} stated by a set of normalised words."""
        found: dict[str, set[str]] = {}
        for w in food_words:
            for dimension, value in self.by_word.get(w, ()):
                found.setdefault(dimension, set()).add(value)
            if _PERCENTAGE.fullmatch(w):
                found.setdefault(PERCENT, set()).add(w)
        return {d: frozenset(v) for d, v in found.items()}

    def asked(self, name_words: list[str]) -> dict[str, frozenset[str]]:
        """{dimension: value} a name asks for; when it says two things on one dimension the
        later wins, as in "Fruit drink, powdered, reconstituted" (made from powder). Every
        percentage it states counts ("80% lean meat / 20% fat"): a food stating one of them
        agrees."""
        found: dict[str, str] = {}
        percentages: set[str] = set()
        for w in name_words:
            for dimension, value in self.by_word.get(w, ()):
                found[dimension] = value
            if _PERCENTAGE.fullmatch(w):
                percentages.add(w)
        asked = {d: frozenset({v}) for d, v in found.items()}
        if percentages:
            asked[PERCENT] = frozenset(percentages)
        return asked

    def is_preparation(self, word: str) -> bool:
        """Whether the word says how a food is prepared rather than what it is."""
        return word in self.by_word


@functools.cache
def preparations() -> Preparations:
    """The preparation words shipped in analyzer/data/preparations.csv."""
    table = rule_table("preparations.csv")
    by_word: dict[str, list[tuple[str, str]]] = {}
    for word, dimension, value in table[["word", "dimension", "value"]].itertuples(index=False):
        for w in words(word) or [word]:
            by_word.setdefault(w, []).append((dimension, value))
    return Preparations({w: tuple(v) for w, v in by_word.items()})


@dataclass(frozen=True)
class Defaults:
    """USDA first fields that are categories, and the preparation to assume per food word."""

    categories: frozenset[str]
    prefer: dict[str, tuple[str, ...]]  # food word -> words of its usual form
    assume: dict[str, tuple[str, float]]  # dimension -> (value, weight) when nothing is said
    conflict: dict[str, float]  # dimension -> penalty when the food contradicts the name
    broader: dict[str, frozenset[str]]  # a word a more specific one satisfies (meat: beef)
    silent: dict[str, frozenset[str]]  # dimension -> what a food that says nothing has
    generic: frozenset[str]  # words that alone name a kind of food, not a food (cereal)
    describing: frozenset[str]  # words that describe a food without naming it (white)
    levels: dict[str, dict[str, int]]  # dimension -> value -> its place in order (fat)
    decisive: frozenset[str]  # dimensions on which a food stating otherwise is never offered
    for_drinks: frozenset[str]  # ... on which a drink is held to the assumed and silent values
    agreeing: frozenset[str]  # dimensions on which foods that agree come first, when any do
    made_with_dims: frozenset[str]  # ... on which a "made with" part speaks of the ingredient
    made_with: frozenset[str]  # categories whose later fields say what the food is made with
    dishes: dict[str, frozenset[str]]  # a word naming a dish -> the kinds of food it may be

    def steps(self, dimension: str, asked: frozenset[str], found: frozenset[str]) -> int:
        """How many levels apart a food is from the name on an ordered dimension (fat
        free and whole: 2), at least 1; 1 on a dimension without order (raw, cooked)."""
        order = self.levels.get(dimension)
        if not order:
            return 1
        apart = [abs(order[a] - order[f]) for a in asked for f in found
                 if a in order and f in order]
        return max(min(apart, default=1), 1)


@functools.cache
def defaults() -> Defaults:
    """The defaults shipped in analyzer/data/match_defaults.toml, with the order of levels
    from analyzer/data/qualifier_levels.csv."""
    rules = rule_sections("match_defaults.toml")
    categories = frozenset(" ".join(words(w)) for w in rules["category"]["word"])
    prefer = {" ".join(words(r.word)): tuple(words(r.form)) for r in rules["prefer"].itertuples()}
    assume = {r.dimension: (r.value, r.weight) for r in rules["assume"].itertuples()}
    conflict = {r.dimension: r.weight for r in rules["conflict"].itertuples()}
    decisive = frozenset(r.dimension for r in rules["conflict"].itertuples() if r.decisive)
    for_drinks = frozenset(r.dimension for r in rules["conflict"].itertuples()
                           if r.decisive and r.drinks)
    agreeing = frozenset(r.dimension for r in rules["conflict"].itertuples() if r.agreeing)
    made_with_dims = frozenset(r.dimension for r in rules["conflict"].itertuples()
                               if r.made_with)
    made_with = frozenset(" ".join(words(w)) for w in rules["made_with"]["word"])
    dishes = {" ".join(words(r.word)): frozenset(r.kinds) for r in rules["dish"].itertuples()}
    broader = {" ".join(words(r.word)): frozenset(w for n in r.narrower for w in words(n))
               for r in rules["broader"].itertuples()}
    silent = {r.dimension: frozenset({r.value}) for r in rules["silent"].itertuples()}
    generic, describing = (frozenset(w for v in rules[kind]["word"] for w in words(v))
                           for kind in ("generic", "describing"))
    levels: dict[str, dict[str, int]] = {}
    for r in rule_table("qualifier_levels.csv").itertuples():
        levels.setdefault(r.dimension, {})[r.value] = int(r.level)
    return Defaults(categories, prefer, assume, conflict, broader, silent, generic, describing,
                    levels, decisive, for_drinks, agreeing, made_with_dims, made_with, dishes)


@dataclass(frozen=True)
class Reason:
    """Why a food is left out of the candidates, and what brings it back."""

    asked_by: frozenset[str]  # words that ask for the food
    all_needed: bool  # a brand is asked for by all its words, a food group by any one
    fallback: bool  # the food may still be offered when nothing else fits


@dataclass(frozen=True)
class Exclusions:
    """Foods left out of the candidates unless the text asks for them."""

    groups: dict[str, tuple[frozenset[str], bool]]  # food group -> (asked_by, fallback)
    described: tuple[tuple[re.Pattern[str], frozenset[str]], ...]  # (pattern, asked_by)
    brand: re.Pattern[str]  # a run of capitalised words in a USDA description
    not_brand: frozenset[str]  # capitalised words that are not brands (USDA, DHA)

    def reasons(self, food_group: str, description: str) -> list[Reason]:
        """Each reason one food is left out; an empty list means it is always a candidate."""
        out = []
        group = self.groups.get(str(food_group))
        if group is not None:
            out.append(Reason(group[0], False, group[1]))
        for pattern, asked_by in self.described:
            if pattern.search(str(description)):
                out.append(Reason(asked_by, False, True))
        for run in self.brand.findall(str(description)):
            brand_words = frozenset(words(run)) - self.not_brand
            if brand_words:
                out.append(Reason(brand_words, True, False))
        return out


@functools.cache
def exclusions() -> Exclusions:
    """The exclusion rules shipped in analyzer/data/match_exclusions.toml."""
    rules = rule_sections("match_exclusions.toml")
    groups = {r.group: (frozenset(w for a in r.asked_by for w in words(a)), r.fallback)
              for r in rules["food_group"].itertuples()}
    described = tuple((re.compile(r.pattern, re.IGNORECASE),
                       frozenset(w for a in r.asked_by for w in words(a)))
                      for r in rules["description"].itertuples())
    brand = "|".join(rules["brand"]["pattern"])
    not_brand = frozenset(w for p in rules["not_brand"]["word"] for w in words(p))
    return Exclusions(groups, described, re.compile(brand), not_brand)
