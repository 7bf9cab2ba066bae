"""A state word in the unit ("1 cup cooked", "100 g dry"): the food in that state.

A cup of cooked spinach weighs six times a cup of raw spinach, and a cup of dry oats gives
twice the food of a cup of cooked oatmeal, so the word decides both the weight and the
nutrients. When the unit names a state the matched food is not in, the item is weighed and
counted as the food's counterpart in that state: the food of the table with the same main
name (its first field, read by the spelling rules, so Oats and Oatmeal are one food; the
next field too when the first is a category, as in "Cereals, oats"), stating that state,
and sharing most of the other words (Salmon, wild Atlantic, raw -> Salmon, wild Atlantic,
cooked). When the table has none, the item is not weighed and says what to write instead.

The words and the state each names are in analyzer/data/state_words.csv.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np

from nutrigap.analyzer.food_table import FoodTable, per_food_table
from nutrigap.analyzer.matching.normalise import words
from nutrigap.analyzer.matching.rules import defaults
from nutrigap.analyzer.rule_tables import rule_table

_PAREN = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class StateWord:
    """A word that says in which state a food was measured."""

    word: str  # as the table lists it ("cooked", "dry")
    state: str  # raw or cooked
    method: str  # how it was cooked ("boiled"), "" when the word does not say


@functools.cache
def state_words() -> dict[str, StateWord]:
    """{normalised word: what it says} from analyzer/data/state_words.csv."""
    table = rule_table("state_words.csv")
    out: dict[str, StateWord] = {}
    for word, state, method in table[["word", "state", "method"]].itertuples(index=False):
        for w in words(word) or [word]:
            out[w] = StateWord(word, state, method)
    return out


def unit_state(text: str) -> StateWord | None:
    """The state the unit words name ("cup cooked" -> cooked), the last one when several
    do; None when they name none."""
    known = state_words()
    found = [known[w] for w in words(str(text)) if w in known]
    return found[-1] if found else None


@dataclass(frozen=True)
class _Food:
    key: frozenset[str]  # the main name without state words
    rest: frozenset[str]  # every word of the name but the state words
    state: str  # raw, cooked, or "" when the name says neither
    methods: frozenset[str]


class FoodStates:
    """Each food's state and its counterparts in the other state, for one food table."""

    def __init__(self, food_table: FoodTable):
        foods = food_table.foods[~food_table.foods.index.duplicated()]
        self.names: dict[str, str] = foods["name"].astype(str).to_dict()
        curated = (foods["source"].astype(str) == "embedded").to_numpy() \
            if "source" in foods else np.zeros(len(foods), dtype=bool)
        self._curated = dict(zip(foods.index, curated, strict=True))
        self._order = {food_id: at for at, food_id in enumerate(foods.index)}
        self._foods: dict[str, _Food] = {}
        self._by_key: dict[frozenset[str], list[str]] = {}
        for food_id, name in self.names.items():
            food = _read_name(name)
            self._foods[food_id] = food
            self._by_key.setdefault(food.key, []).append(food_id)

    def state_of(self, food_id: str) -> str:
        """raw, cooked, or "" when the food's name says neither."""
        food = self._foods.get(food_id)
        return food.state if food else ""

    def in_state(self, food_id: str, wanted: StateWord) -> str | None:
        """The food itself when it is in the state `wanted` names (or says no state and raw
        is wanted: fruit as it comes), else its counterpart in that state, else None."""
        food = self._foods.get(food_id)
        if food is None:
            return None
        if food.state == wanted.state or (not food.state and wanted.state == "raw"):
            return food_id
        best, best_key = None, None
        for other in self._by_key.get(food.key, []):
            theirs = self._foods[other]
            if other == food_id or theirs.state != wanted.state:
                continue
            key = (len(food.rest & theirs.rest), bool(wanted.method)
                   and wanted.method in theirs.methods, -len(theirs.rest - food.rest),
                   self._curated[other], -self._order[other])
            if best_key is None or key > best_key:
                best, best_key = other, key
        return best


@per_food_table
def states_for(food_table: FoodTable) -> FoodStates:
    """The FoodStates of this food table, built on first use (half a second for SR28)."""
    return FoodStates(food_table)


def _read_name(name: str) -> _Food:
    known = state_words()
    fields = [words(f) for f in _PAREN.sub(" ", name).split(",")]
    main = list(fields[0]) if fields else []
    if len(fields) > 1 and " ".join(main) in defaults().categories:
        main += fields[1]  # "Cereals, oats, ...": the oats
    every = [w for f in fields for w in f]
    stated = [known[w] for w in every if w in known]
    states = {s.state for s in stated}
    # "Oatmeal, cooked with water" is cooked; a name saying both ("raw, then baked") or
    # neither states nothing
    state = next(iter(states)) if len(states) == 1 else ""
    return _Food(key=frozenset(w for w in main if w not in known),
                 rest=frozenset(w for w in every if w not in known),
                 state=state,
                 methods=frozenset(s.method for s in stated if s.method))
