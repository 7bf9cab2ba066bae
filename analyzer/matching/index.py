"""The food table prepared for fast matching: every food's normalised names as choices, and
sparse word matrices so that all choices are scored against a batch of names at once."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from nutrigap.analyzer.food_kinds import dishes_of, kinds_of
from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.matching.normalise import light_words, words
from nutrigap.analyzer.matching.rules import Defaults, Exclusions, Preparations, Reason


@dataclass(frozen=True)
class FoodFacts:
    """What the re-ranking needs to know about one food, computed once."""

    words: frozenset[str]  # every word of its names, description and aliases
    named: frozenset[str]  # ... less those only in what it is made with ("made with milk")
    prep: dict[str, frozenset[str]]  # preparation stated, by dimension
    curated: bool  # an everyday food from the embedded table (or one with aliases)
    prep_key: frozenset  # the preparation as a hashable value, to score it once per name
    kinds: frozenset[str]  # the kinds of food its group holds (food_kinds.csv), empty if unknown
    drink: bool  # whether its group holds drinks first of all
    dishes: frozenset[str]  # the dishes its group says it is (food_kinds.csv), as words


class MatchIndex:
    """Choices (normalised names, descriptions, aliases and FNDDS's additional descriptions)
    with their food, word matrix, main-word matrix and the exclusion reasons of each food.

    FNDDS's additional descriptions ("string cheese" for part-skim mozzarella, "Diet Coke"
    for diet cola, "chickpea" for lentil curry) are search terms, not names: never an exact
    match, and their words describe only that choice, never the food's preparation. One of
    two or more words that name a food is a name of its own ("string cheese"); a single word
    or a "with ..." note is a variant of the food and is read with the food's own name
    ("chickpea" + lentil curry)."""

    def __init__(self, food_table: FoodTable, prep: Preparations, found: Defaults,
                 rules: Exclusions):
        foods = food_table.foods
        self.ids = foods.index.to_numpy()
        self.names = foods["name"].astype(str).to_numpy()
        descriptions = foods["usda_description"].where(
            foods["usda_description"].notna() & (foods["usda_description"] != ""),
            foods["name"]).astype(str).to_numpy()
        sources = foods["source"].astype(str).to_numpy()
        groups = foods["food_group"].astype(str).to_numpy()
        aliases = aliases_by_position(food_table)
        self.aliases = aliases
        extra_terms = descriptions_by_position(food_table)

        self.facts: list[FoodFacts] = []
        self.texts: list[str] = []  # one normalised choice text per choice
        self.choice_words: list[list[str]] = []
        self.choice_main: list[list[list[str]]] = []  # alternative word lists naming the food
        self.choice_is_alias: list[bool] = []
        self.choice_is_description: list[bool] = []  # an FNDDS additional description
        self.choice_extra: list[frozenset[str]] = []  # its words, counted for that choice
        self.choice_extra_names: list[bool] = []  # whether they name the food there
        heads: list[frozenset[str]] = []  # per choice, its nouns (see choice_heads)
        choice_pos: list[int] = []
        self.reasons: dict[int, list[Reason]] = {}
        # Words USDA puts first in a name: a second field made of one of them is a food
        # ("Sauce, peanut"), anything else is a kind or a maker ("Alcoholic beverage,
        # distilled, whiskey").
        firsts = frozenset(w for d in descriptions for w in words(d.split(",", 1)[0]))
        # ... and the first fields whole: a food's own name ("Applesauce")
        own_names = frozenset(" ".join(words(d.split(",", 1)[0])) for d in descriptions)
        # the kind of food each word that ends a first field names most often (lemonade: a
        # drink; dressing: a salad dressing, though FNDDS has a few stuffings by that name)
        counted: dict[str, Counter[str]] = {}
        for d, group in zip(descriptions, groups, strict=True):
            head = words(_MADE_WITH.sub("", " " + _PARENTHESES.sub(" ", d.split(",", 1)[0])))
            if head and kinds_of(group):
                counted.setdefault(head[-1], Counter())[kinds_of(group)[0]] += 1
        noun_kinds = {w: c.most_common(1)[0][0] for w, c in counted.items()}
        for pos, (name, desc) in enumerate(zip(self.names, descriptions, strict=True)):
            own = aliases.get(pos, [])
            curated = sources[pos] == "embedded" or bool(own)
            # "Tofu and vegetables ..., soy-based sauce" is a stir fry: FNDDS says so by its
            # category, and a name that gives only the dish finds it
            dish = [w for d in dishes_of(groups[pos]) for w in words(d)]
            texts = [(name, True), *((a, False) for a in own)]
            if desc != name:
                texts.insert(1, (desc, True))
            food_words: set[str] = set()
            named: set[str] = set()
            seen: set[str] = set()
            # its words but for what it is made with ("Cocoa, made with no sugar added mix")
            qualified: set[str] = set()
            food_words.update(dish)
            named.update(dish)
            for text, described in texts:
                ws = words(text)
                joined = " ".join(ws)
                food_words.update(ws)
                qualified.update(words(_MADE_OF.sub(" ", text)) if described else ws)
                named.update(_named_words(text) if described else ws)
                if not joined or joined in seen:
                    continue
                seen.add(joined)
                self.texts.append(joined)
                self.choice_words.append(ws + [w for w in dish if described and w not in ws])
                self.choice_main.append(_main_words(text, found, firsts, own_names)
                                        + [[w] for w in dish]
                                        if described else [ws])
                self.choice_is_alias.append(not described)
                self.choice_is_description.append(False)
                self.choice_extra.append(frozenset())
                self.choice_extra_names.append(False)
                heads.append(_head_nouns(text) if described else frozenset(ws))
                choice_pos.append(pos)
            own_main = _main_words(name, found, firsts, own_names)
            for text in extra_terms.get(pos, []):
                ws, main, names = _description_words(text, own_main, _head_nouns(name),
                                                     noun_kinds,
                                                     frozenset(kinds_of(groups[pos])), prep)
                joined = " ".join(ws)
                if not main or joined in seen:
                    continue
                seen.add(joined)
                self.texts.append(joined)
                self.choice_words.append(ws)
                self.choice_main.append(main)
                self.choice_is_alias.append(True)
                self.choice_is_description.append(True)
                self.choice_extra.append(frozenset(ws))
                self.choice_extra_names.append(names)
                heads.append(frozenset(ws))
                choice_pos.append(pos)
            stated = prep.of(food_words)
            # what a "made with" part says of sweeteners is the ingredient's, not the food's
            by_itself = prep.of(qualified)
            for dimension in found.made_with_dims:
                if dimension in by_itself:
                    stated[dimension] = by_itself[dimension]
                else:
                    stated.pop(dimension, None)
            self.facts.append(FoodFacts(frozenset(food_words), frozenset(named), stated,
                                        curated, frozenset(stated.items()),
                                        frozenset(kinds_of(groups[pos])),
                                        kinds_of(groups[pos])[:1] == ("drink",),
                                        frozenset(dish)))
            reasons = rules.reasons(groups[pos], desc)
            if reasons and not curated:
                self.reasons[pos] = reasons
        self.choice_pos = np.array(choice_pos, dtype=np.int64)
        # An additional description enters the shortlist only when it fits well: FNDDS notes
        # "whole wheat" on hundreds of foods, which must not crowd out the foods so named.
        self.choice_prelim_cost = np.where(self.choice_is_description, DESCRIPTION_COST,
                                           0.0).astype(np.float32)
        # Words pre-sorted, so plain ratio on them equals token_sort_ratio without re-sorting
        # every pair.
        self.sorted_texts = [" ".join(sorted(ws)) for ws in self.choice_words]
        self.vocab = {w: i for i, w in enumerate(sorted({w for ws in self.choice_words
                                                          for w in ws}))}
        self.vocab_list = list(self.vocab)
        # The words foods are named by: an additional description's own words help find its
        # food, but make no typed word known (a maker's name, a typo) that no name has.
        named_choices = [ws for ws, note in zip(self.choice_words, self.choice_is_description,
                                                strict=True) if not note]
        self.named_vocab = frozenset(w for ws in named_choices for w in ws)
        self.pairs = frozenset(pair for ws in named_choices
                               for pair in zip(ws, ws[1:], strict=False))
        self.words_matrix = self._matrix(self.choice_words)
        self.first_matrix = self._matrix([alts[0] if alts else [] for alts in self.choice_main])
        self.later_matrix = self._matrix([alts[1] + (alts[2] if len(alts) > 2 else [])
                                          if len(alts) > 1 else [] for alts in self.choice_main])
        not_prep = np.array([not prep.is_preparation(w) for w in self.vocab_list],
                            dtype=np.float32)
        # words that name the food, not its preparation: longer descriptions rank lower
        self.food_word_len = (self.words_matrix @ not_prep).astype(np.float32)
        self.first_len = _row_lengths(self.first_matrix)
        self.later_len = _row_lengths(self.later_matrix)
        excluded = np.zeros(len(self.ids), dtype=bool)
        excluded[list(self.reasons)] = True
        fallback = np.array([pos in self.reasons and all(r.fallback for r in self.reasons[pos])
                             for pos in range(len(self.ids))], dtype=bool)
        self.choice_excluded = excluded[self.choice_pos]
        self.choice_fallback = fallback[self.choice_pos]
        # Per choice, for the re-ranking: word sets, main-word alternatives, food words.
        self.choice_sets = [frozenset(ws) for ws in self.choice_words]
        self.choice_main_sets = [[frozenset(a) for a in alts if a] for alts in self.choice_main]
        self.choice_food_sets = [frozenset(w for w in ws if not prep.is_preparation(w))
                                 for ws in self.choice_words]
        # The noun of each name a choice may go by: "Beet greens" is greens, not beets.
        self.choice_nouns = [frozenset(a[-1] for a in alts if a) if not is_alias else frozenset()
                             for alts, is_alias in zip(self.choice_main, self.choice_is_alias,
                                                       strict=True)]
        # ... and the nouns of its fields before what they come with: "Spaghetti sauce with
        # meat" is a sauce; "Macaroni & cheese" macaroni and cheese (an alias's or an
        # additional description's words are all its nouns)
        self.choice_heads = heads
        self._choices_of: dict[int, list[int]] = {}
        for c, pos in enumerate(choice_pos):
            self._choices_of.setdefault(pos, []).append(c)
        self._asking: dict[str, list[int]] = {}  # word -> excluded foods it may ask for
        for pos, reasons in self.reasons.items():
            for w in {w for r in reasons for w in r.asked_by}:
                self._asking.setdefault(w, []).append(pos)
        # A word only excluded foods use (kefir: only a branded one) asks for them.
        # (An additional description is a note on a food: its words, a brand among them, say
        # nothing of which words everyday foods are named by.)
        noted = self.choice_is_description
        everyday = {w for ws, pos, note in zip(self.choice_words, choice_pos, noted, strict=True)
                    if pos not in self.reasons and not note for w in ws}
        self._only_in_excluded: dict[str, list[int]] = {}
        for c, ws in enumerate(self.choice_words):
            if noted[c]:
                continue
            for w in set(ws) - everyday:
                self._only_in_excluded.setdefault(w, []).append(c)
        self.excluded_only = frozenset(self._only_in_excluded)
        # Words only brands use ("arnold", "publix" if USDA had it): a name that starts with
        # one names its maker first, not the food.
        brand_words = {w for reasons in self.reasons.values() for r in reasons if r.all_needed
                       for w in r.asked_by}
        self.brand_only = frozenset(brand_words & set(self._only_in_excluded))
        # Words that start an everyday food's USDA name: the nouns a food name is built on.
        self.food_nouns = frozenset(w for c, alts in enumerate(self.choice_main)
                                    if alts and not self.choice_excluded[c] and not noted[c]
                                    for w in alts[0])
        # Words that are a food on their own ("Oats", "Nuts, almonds"): typed before another
        # food word they name a different food ("oat milk" is not milk).
        self.standalone = frozenset(alt[0] for c, alts in enumerate(self.choice_main)
                                    if not self.choice_excluded[c] and not
                                    self.choice_is_alias[c] for alt in alts if len(alt) == 1)

    def _matrix(self, rows: list[list[str]]) -> sparse.csr_matrix:
        indptr = [0]
        indices: list[int] = []
        for ws in rows:
            cols = sorted({self.vocab[w] for w in ws if w in self.vocab})
            indices.extend(cols)
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float32)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(self.vocab)))

    def query_matrix(self, queries: list[list[str]]) -> sparse.csr_matrix:
        """The names of a batch as rows of the same word matrix."""
        return self._matrix(queries)

    def asked_for(self, query: frozenset[str]) -> list[int]:
        """The excluded choices a name asks for: by a word of their food group, every word
        of their brand, or a word only they use."""
        found: list[int] = []
        for w in query:
            found.extend(self._only_in_excluded.get(w, ()))
            for pos in self._asking.get(w, ()):
                if any((r.asked_by <= query) if r.all_needed else bool(r.asked_by & query)
                       for r in self.reasons[pos]):
                    found.extend(self._choices_of[pos])
        return found


_PARENTHESES = re.compile(r"\([^)]*\)")
# What a food is made with: cocoa "made with no sugar added dry mix and milk" is not itself
# sugar free
MADE_OF = re.compile(r"\bmade\s+(?:with|from)\b[^,]*", re.IGNORECASE)
_MADE_OF = MADE_OF
# What follows these in a field says what the food is made with or served in, not what it is.
_MADE_WITH = re.compile(r"\s(?:with|without|in|from|w/)\s.*$", re.IGNORECASE)


def _named_words(text: str) -> list[str]:
    """The words of a description that name the food: each field up to "with", "in" or
    "from" ("Oatmeal, regular, made with milk" is oatmeal, not milk)."""
    return [w for f in str(text).split(",") for w in words(_MADE_WITH.sub("", f))]


_JOINED = re.compile(r"\s+(?:and|or|&)\s+|/", re.IGNORECASE)


def _head_nouns(text: str) -> frozenset[str]:
    """The nouns of a name's first three fields, each cut before what it is made with or
    served in and split where it joins foods: "Spaghetti sauce with meat" -> sauce; "Fast
    foods, taco with beef" -> food, taco; "Restaurant, family style, macaroni & cheese" ->
    restaurant, style, macaroni, cheese."""
    out = set()
    for field in _PARENTHESES.sub(" ", str(text)).replace(":", ",").split(",")[:3]:
        for part in _JOINED.split(_MADE_WITH.sub("", field)):
            found = words(part)
            if found:
                out.add(found[-1])
    return frozenset(out)


def _row_lengths(matrix: sparse.csr_matrix) -> np.ndarray:
    return np.maximum(np.asarray(matrix.sum(axis=1)).ravel(), 1).astype(np.float32)


def _main_words(text: str, found: Defaults, firsts: frozenset[str],
                own_names: frozenset[str] = frozenset()) -> list[list[str]]:
    """The words that may name the food itself: USDA's first field, and the next two too
    when the first is a category ("Fish, salmon, raw" -> fish or salmon; "Candies, MARS
    SNACKFOOD US, SNICKERS Bar" -> the bar; but "Sauce, peanut, made from coconut" is not
    coconut, nor "Cookie, applesauce" applesauce: after a made-with category, a field that is
    another food's own name names this one only when it holds the category's noun)."""
    # FNDDS writes a few names "Beef taco filling: beef, cheese, ...": the colon ends a field
    raw = [_PARENTHESES.sub(" ", f).strip()
           for f in str(text).replace(":", ",").split(",", 3)[:3]]
    fields = [words(f) for f in raw]
    if len(fields) < 2 or not fields[0] or " ".join(fields[0]) not in found.categories:
        return [f for f in fields[:1] if f]
    if " ".join(fields[0]) in found.made_with:
        # "Cookie, applesauce" is a cookie; "Salad dressing, italian dressing" and "Cookies,
        # Marie biscuit" are named by their second field too
        noun = fields[0][-1]
        return [fields[0]] + [f for f in fields[1:3]
                              if f and (noun in f or " ".join(f) not in own_names)]
    if len(fields) > 2 and not raw[1].isupper() and not firsts.isdisjoint(fields[1]):
        fields = fields[:2]  # after a food, the third field only describes it
    return [f for f in fields if f]


DESCRIPTION_COST = 15.0  # what a description choice loses in the shortlist

# In a description, what the food is made with, served in or on ("on whole wheat bun" of a
# fish sandwich) is a part of it, not a name.
_PART_OF = re.compile(r"\s(?:with|without|in|from|on|w/)\s.*$", re.IGNORECASE)


def _description_words(text: str, own_main: list[list[str]], heads: frozenset[str],
                       noun_kinds: dict[str, str], kinds: frozenset[str], prep: Preparations
                       ) -> tuple[list[str], list[list[str]], bool]:
    """(the words of an additional description as a choice, the alternatives that name the
    food by it, whether its words name the food). A description of more than one word that
    ends on a word for foods of the food's kind ("string cheese" for mozzarella, "lemonade
    from low calorie powdered mix" for a diet fruit drink), or on a word of no known kind
    and shares a noun of the food's name ("chai tea latte" for chai tea), names the food
    itself; any other ("chickpea", "with beef, steak", "cooking spray" for cooked collards,
    "whole wheat" for a fish sandwich on a wheat bun) is a variant read with the food's own
    name, which alone names it."""
    ws = words(text)
    first = " " + str(text).split(",", 1)[0]
    core = words(_PART_OF.sub("", first))
    content = [w for w in core if not prep.is_preparation(w)]
    # the last word as typed, before a spelling rule adds to it (latte: coffee milk)
    last = light_words(_PART_OF.sub("", first))[-1:]
    kind = noun_kinds.get(words(last[0])[0]) if last and words(last[0]) else None
    names_food = bool(content) and (kind in kinds if kind is not None
                                    else not heads.isdisjoint(content))
    if names_food and (len(content) >= 2 or _PART_OF.search(first)):
        return ws, [core], True
    if not ws:
        return [], [], False
    own = [w for alt in own_main[:1] for w in alt]
    return ws + [w for w in own if w not in ws], own_main, False


def descriptions_by_position(food_table: FoodTable) -> dict[int, list[str]]:
    """{position of the food in the table: FNDDS's additional descriptions of it}."""
    found = getattr(food_table, "descriptions", None)
    if found is None or found.empty:
        return {}
    positions = pd.Series(np.arange(len(food_table.foods)), index=food_table.foods.index)
    positions = positions[~positions.index.duplicated()]
    out: dict[int, list[str]] = {}
    for food_id, text in found[["food_id", "text"]].itertuples(index=False):
        if food_id in positions.index and isinstance(text, str) and text.strip():
            out.setdefault(int(positions[food_id]), []).append(text)
    return out


def aliases_by_position(food_table: FoodTable) -> dict[int, list[str]]:
    """{position of the food in the table: the aliases people type for it}."""
    aliases = food_table.aliases
    if aliases is None or aliases.empty:
        return {}
    positions = pd.Series(np.arange(len(food_table.foods)), index=food_table.foods.index)
    positions = positions[~positions.index.duplicated()]
    out: dict[int, list[str]] = {}
    for alias, food_id in aliases[["alias", "food_id"]].itertuples(index=False):
        if food_id in positions.index and isinstance(alias, str) and alias.strip():
            out.setdefault(int(positions[food_id]), []).append(alias)
    return out
