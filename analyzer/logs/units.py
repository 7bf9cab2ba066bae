"""Unit spellings people write, mapped to one canonical unit with its kind and size.

The spellings live in `analyzer/data/units.csv`: `spelling, unit, kind (mass|volume|count),
factor` (grams per unit for a mass, millilitres per unit for a volume, empty for a count) and
`also_matches` (for a count: the USDA portion words that may stand for it, best first, so
"each" can use a food's "medium" portion) and `names_food` (a count word that is also a food,
such as egg or pancake: "2 eggs scrambled" is two of the eggs, not two eggs of "scrambled").
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import pandas as pd

from nutrigap.analyzer.rule_tables import rule_table

MASS, VOLUME, COUNT = "mass", "volume", "count"
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Unit:
    """A canonical unit: `factor` is grams (mass) or millilitres (volume) per unit."""

    name: str
    kind: str
    factor: float
    also_matches: tuple[str, ...]
    names_food: bool = False

    @property
    def measured(self) -> bool:
        """True for masses and volumes, which convert without knowing the food."""
        return self.kind in (MASS, VOLUME)

    @property
    def vague(self) -> bool:
        """True for an everyday measure of no fixed size (a handful, a glass, a bowl), which
        the portions stage weighs by an estimate for the kind of food when the food has no
        portion of that name (vague_measures.csv)."""
        return self.name in _vague_measures()


@functools.cache
def unit_table() -> pd.DataFrame:
    """The spellings table shipped with nutrigap, indexed by spelling."""
    return rule_table("units.csv").set_index("spelling")


@functools.cache
def _units() -> dict[str, Unit]:
    table = unit_table()
    return {
        spelling: Unit(row.unit, row.kind, float(row.factor), row.also_matches or (row.unit,),
                       bool(row.names_food))
        for spelling, row in table.iterrows()
    }


def normalise_unit_text(text: str) -> str:
    """Lower case, single spaces, no trailing full stop: " Tbsp. " -> "tbsp"."""
    text = _SPACES.sub(" ", str(text).replace("\u00a0", " ")).strip().lower()
    return text.rstrip(".").strip()


@functools.lru_cache(maxsize=4096)
def lookup_unit(text: str) -> Unit | None:
    """The unit a spelling stands for, trying singular forms ("slices", "patties"); None if
    the spelling is not in the table."""
    units = _units()
    key = normalise_unit_text(text)
    for candidate in _singular_forms(key):
        if candidate in units:
            return units[candidate]
    return None


@functools.cache
def _vague_measures() -> dict[str, str]:
    table = rule_table("vague_measures.csv")
    return dict(zip(table["word"], table["advice"], strict=True))


def vague_measure(text: str) -> str | None:
    """For a vague measure ("handful", "mugs", "pot"), what is wrong with it when it cannot be
    estimated and what to write instead, from `analyzer/data/vague_measures.csv`; None for
    any other text."""
    measures = _vague_measures()
    for candidate in _singular_forms(normalise_unit_text(text)):
        if candidate in measures:
            return measures[candidate]
    return None


@functools.cache
def vague_sizes() -> dict[str, float]:
    """Size words that may come before a vague measure ("big handful"), with how many of the
    plain measure each stands for (analyzer/data/vague_sizes.csv)."""
    table = rule_table("vague_sizes.csv")
    return dict(zip(table["word"], table["factor"], strict=True))


def _singular_forms(word: str) -> list[str]:
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and len(word) > 2:
        forms.append(word[:-1])
    return forms


def leading_unit(words: str) -> tuple[Unit | None, str]:
    """The longest known unit at the start of `words` and the words after it:
    "cup, chopped" -> (cup, "chopped"); "fl oz" -> (fl oz, ""); "blorp" -> (None, "blorp")."""
    tokens = normalise_unit_text(words).replace(",", " , ").split()
    for n in range(min(3, len(tokens)), 0, -1):
        unit = lookup_unit(" ".join(tokens[:n]))
        if unit is not None:
            rest = " ".join(t for t in tokens[n:] if t != ",")
            return unit, rest
    return None, normalise_unit_text(words)


def volume_ml(unit: Unit) -> float:
    """Millilitres in one `unit`; NaN when it is not a volume."""
    return unit.factor if unit.kind == VOLUME else math.nan


def example_units() -> str:
    """A short list of accepted units for messages."""
    return "g, kg, oz, lb, ml, l, cup, tbsp, tsp, fl oz, or a portion word such as medium, " \
           "slice or piece"
