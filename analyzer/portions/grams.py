"""Amounts to grams: volumes and counts weighed through the matched food's own USDA portions.

A mass needs no food. A volume ("2 tbsp", "250 ml") uses one of the food's volume portions
(cup, tbsp, tsp, fl oz, ml, or a portion that states its volume, such as "serving 1/2 cup"),
scaled by volume, so a food with only a cup portion can still be weighed in tablespoons.
A count ("2 medium", "1 slice", "1 each") uses the food's portion whose description names it
(the words each unit may stand for are in units.csv and portion_words.csv) or states the same
size in inches ("large - 8 1/4\" long" and "cucumber (8-1/4\")"). A whole flat round food
(round_foods.csv) written with another diameter than its portion, or the food's name,
states is scaled by area: '1 pizza 8" diameter' of a 14" pizza is (8/14)² of its "pizza".
A size the food lacks may be scaled from a related food, and a food with no volume portion
at all may borrow a related food's cup, saying so (see food_portions.py). Water density is
never assumed: a food without a suitable portion keeps grams NaN and says why in
`conversion_problem`; the portion that was used is named in `portion_used`.

A state word in the unit ("1 cup cooked", "100 g dry") names the form of the food that was
measured: an item is weighed and counted as the matched food's counterpart in that state
(food_states.py), named in `counted_as`, or is not weighed when the table has none.

A number with no unit ("count") is whole items of the food: a portion named after it (1
sandwich), a whole or medium one, or a can or bottle of a drink. "oz" written for a drink that
USDA measures in fluid ounces is read as fluid ounces (kinds.csv). A vague measure (a
handful, a glass, a serving the food has no single-serving portion for) is weighed by an
estimate for the kind of food (vague.py), and `estimated` says so; a serving is never a
package portion (portion_words.csv).
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

import pandas as pd
from rapidfuzz import fuzz

from nutrigap.analyzer.food_kinds import fluid_ounces
from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.logs.amounts import COUNT_UNIT
from nutrigap.analyzer.logs.units import VOLUME, leading_unit, lookup_unit
from nutrigap.analyzer.portions.portion_book import (
    FOOD_TOKEN,
    FoodName,
    Portion,
    PortionBook,
    canonical_words,
    inches_in,
    size_words,
)
from nutrigap.analyzer.portions.states import StateWord, states_for, unit_state
from nutrigap.analyzer.portions.vague import (
    described,
    estimate,
    is_vague,
    no_estimate,
    own_portion_first,
)

_PAREN = re.compile(r"\([^)]*\)")
_NUMBER = re.compile(r"[\d./-]+")
# how many portions a problem names as alternatives
_LISTED = 5


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 100.0
    if not a or not b:
        return 50.0
    return fuzz.token_set_ratio(a, b)


def _by_volume(volumes: list[Portion], unit: str, words: str) -> Portion | None:
    """The volume portion closest to what was written: same detail words ("chopped") first,
    then the same unit, then a plain one, then USDA's first."""
    if not volumes:
        return None
    _, detail = leading_unit(_PAREN.sub(" ", words)) if words else (None, "")
    return max(volumes, key=lambda p: (_similarity(detail, p.detail), p.unit == unit,
                                       not p.detail, -p.seq))


# "1 medium or regular slice" is a plain slice, as USDA's unsized unit is the usual one
_PLAIN_SIZE = re.compile(r"^(?:medium or regular|regular or medium|medium|regular) ")


def _tier(head: str, word: str) -> int:
    if head == word or (word not in size_words() and _PLAIN_SIZE.sub("", head) == word):
        return 4
    if head.startswith(word + " "):
        return 3
    if f" {word} " in f" {head} ":
        return 2
    return 1 if fuzz.ratio(head.split(" ")[0], word) >= 85 else 0


def _food_tier(portion: Portion, name: FoodName) -> int:
    """How well a portion is named after the food itself. Its first field must start with the
    food's name and go on only with the food's own words, numbers and units: "muffin" and
    "pie crust" are one of the food (4), as is "regular sandwich" of a sandwich; "avocado, NS
    as to Florida" and "muffin 1 serving" name it with more words (3); "watermelon balls" and
    "cup, avocado" are not one of it."""
    first = _PLAIN_SIZE.sub("", canonical_words(portion.description.split(",")[0])).split()
    if not first or first[0] not in name.lead:
        return 0
    if not all(w in name.words or lookup_unit(w) is not None or _NUMBER.fullmatch(w)
               for w in first[1:]):
        return 0
    return 4 if all(w in name.words for w in portion.head.split()) else 3


def _by_count(counts: list[Portion], words_to_try: list[str], written: str,
              name: FoodName) -> Portion | None:
    """The count portion whose description names one of `words_to_try` (best first) or states
    the same size in inches as the amount written (or a range holding it); a named portion
    beats a size-only one, and of two that name the word equally, the one whose other words
    are the food's own ("small breast" of a chicken breast, not "small or thin slice")."""
    canonical = canonical_words(written)
    sizes = inches_in(written)
    words = [canonical_words(w) for w in words_to_try]
    best, best_key = None, None
    for portion in counts:
        same_size = portion.has_size(sizes)
        hits = sorted(((_food_tier(portion, name) if word == FOOD_TOKEN
                        else _tier(portion.head, word)), -rank)
                      for rank, word in enumerate(words))
        hits = [hit for hit in hits if hit[0]]
        if not (hits or same_size):
            continue
        tier, rank = hits[-1] if hits else (0, -len(words))
        # a second word named breaks ties: "melon, medium" beats "melon, small" for "each"
        second = max((r for _, r in hits[:-1]), default=-len(words))
        own = _own(portion, words_to_try, name)
        key = (tier > 0, same_size, tier, rank, second, _similarity(canonical, portion.head),
               own, -portion.seq)
        if best_key is None or key > best_key:
            best, best_key = portion, key
    return best


def _own(portion: Portion, words_to_try: list[str], name: FoodName) -> bool:
    """Whether the portion is the food's own unit, its words beyond the count word being
    the food's ("small breast" of a chicken breast; not "small or thin slice")."""
    tried = {canonical_words(w) for w in words_to_try}
    return all(w in name.words or w in tried or _NUMBER.fullmatch(w)
               for w in portion.head.split())


_SIZE_STARTS = re.compile(r"\(|\d|\bper\b")


def _named_before_size(description: str) -> set[str]:
    """The words a portion names before its size ("single serving box (17 fl oz)" -> single,
    serving, box; "serving 9 servings per 24 oz package" -> serving)."""
    start = _SIZE_STARTS.search(description.lower())
    head = description.lower()[:start.start()] if start else description.lower()
    return set(re.findall(r"[a-z]+", head))


def _listed(volumes: list[Portion], counts: list[Portion]) -> str:
    """What to write instead: grams, or one of the portions USDA weighs the food by."""
    known = list(dict.fromkeys(p.description for p in sorted(counts + volumes,
                                                             key=lambda p: p.seq)))
    if not known:
        return "; write it in g or oz (USDA lists no household portion for it)"
    shown = ", ".join(f"'{d}'" for d in known[:_LISTED]) + (", ..." if len(known) > _LISTED
                                                            else "")
    return f"; write it in g or oz, or as one of USDA's portions: {shown}"


class _Rate(NamedTuple):
    """`grams` of `size` millilitres (`per_ml`) or units, the portion used, the problem, and
    whether the weight is an estimate."""

    grams: float
    size: float
    per_ml: bool
    used: str
    problem: str
    estimated: bool = False


def _rate(food_id, unit: str, words: str, by_volume: bool, book: PortionBook) -> _Rate:
    """How one unit of a food weighs, and by which portion."""
    if food_id not in book:
        return _Rate(math.nan, 1.0, False, "", f"food {food_id} is not in the food table")
    name = book.names[food_id]
    volumes, counts = book.portions(food_id)
    if not by_volume:
        excluded = book.excluded_words(unit)
        counts = [p for p in counts if excluded.isdisjoint(_named_before_size(p.description))]
        if is_vague(unit) and not own_portion_first(unit):
            return _estimated(food_id, unit, words, volumes, book)
    found = _Rate(*_rate_by_portion(food_id, unit, words, by_volume, book, volumes, counts))
    if found.problem and not by_volume and is_vague(unit):
        return _estimated(food_id, unit, words, volumes, book)
    if found.problem and unit == COUNT_UNIT:
        whole = _only_whole(counts, book)
        if whole is not None:  # "Pork chop", whose one item is "chop without refuse (...)"
            return _Rate(whole.grams, whole.size, False, whole.description, "")
        return found._replace(problem=f"a number with no unit counts whole items, and USDA "
                                      f"lists no whole {name}" + _listed(volumes, counts))
    return found


def _only_whole(counts: list[Portion], book: PortionBook) -> Portion | None:
    """The food's one count portion that is a whole item, not a part of one (a slice, a
    piece) nor a package; None when it has none or several."""
    parts = book.part_words() | book.excluded_words("serving")
    whole = [p for p in counts if parts.isdisjoint(_named_before_size(p.description))
             and not p.inches and not p.inch_ranges]
    return whole[0] if len(whole) == 1 else None


def _estimated(food_id, unit: str, words: str, volumes: list[Portion],
               book: PortionBook) -> _Rate:
    """One vague measure of the food weighed by the estimate for its kind."""
    name = book.names[food_id]
    est = estimate(unit, words, book.kinds(food_id))
    if est is None:
        return _Rate(math.nan, 1.0, False, "", no_estimate(unit, name))
    amount = est.amount * est.unit.factor
    if est.unit.kind == VOLUME:
        portion = _by_volume(volumes, est.unit.name, "")
        if portion is None and not volumes:
            borrowed = book.borrowed_volume(food_id)
            portion = borrowed[0] if borrowed is not None else None
        if portion is None:
            return _Rate(math.nan, 1.0, False, "",
                         f'"{unit}" of {name} is taken as {est.amount:g} {est.unit.name}, '
                         "but USDA lists no volume for it" + _listed(volumes, []))
        amount = portion.grams / portion.size * amount
    return _Rate(amount, 1.0, False, described(est, unit, amount), "", True)


def _rate_by_portion(food_id, unit: str, words: str, by_volume: bool, book: PortionBook,
                     volumes: list[Portion], counts: list[Portion]
                     ) -> tuple[float, float, bool, str, str]:
    """(grams, of how many millilitres or units, whether millilitres, portion used, problem)
    from the food's own USDA portions."""
    name = book.names[food_id]
    if by_volume:
        portion = _by_volume(volumes, unit, words)
        if portion is not None:
            return portion.grams, portion.size, True, portion.description, ""
        known = lookup_unit(unit)
        if known is None or known.kind != VOLUME:
            # "1 shake (11 fl oz)": the count itself may have a portion even without a volume one
            portion = _by_count(counts, book.count_words(unit, food_id), words,
                                book.food_name(food_id))
            if portion is not None:
                return portion.grams, portion.size, False, portion.description, ""
        if not volumes:
            borrowed = book.borrowed_volume(food_id)
            if borrowed is not None:
                portion, note = borrowed
                return portion.grams, portion.size, True, note, ""
        return (math.nan, 1.0, True, "", f"no volume portion (cup, tbsp, fl oz) known for "
                                         f"{name}" + _listed(volumes, counts))
    count_words = book.count_words(unit, food_id)
    portion = _by_count(counts, count_words, words, book.food_name(food_id))
    only_size = unit in size_words() and set(canonical_words(words).split()) <= {
        canonical_words(w) for w in count_words}
    if portion is not None and not (only_size and not _own(portion, count_words,
                                                           book.food_name(food_id))):
        scaled = book.scaled_by_area(portion, counts, words, food_id)
        if scaled is not None:  # '1 pizza 8" diameter' by a 14" pizza's portion
            grams, size, note = scaled
            return grams, size, False, note, ""
        return portion.grams, portion.size, False, portion.description, ""
    # "4.50 small" (the size alone) of a chicken breast that lists a breast but only slices
    # by size: a small breast, scaled from a related food, not a small slice.
    sized = book.own_size(unit, food_id) if portion is not None else None
    if sized is None and portion is not None:
        sized = book.borrowed_size(unit, food_id)
    if sized is not None:
        return sized[0], 1.0, False, sized[1], ""
    if portion is not None:
        return portion.grams, portion.size, False, portion.description, ""
    borrowed_size = book.borrowed_size(unit, food_id)
    if borrowed_size is not None:
        grams, note = borrowed_size
        return grams, 1.0, False, note, ""
    sliced = book.slice_of_whole(unit, counts)
    if sliced is not None:  # a slice of a pizza listed only whole
        grams, note = sliced
        return grams, 1.0, False, note, ""
    return (math.nan, 1.0, False, "",
            f"no '{unit}' portion known for {name}" + _listed(volumes, counts))


def resolve_grams(items: pd.DataFrame, matches: pd.DataFrame,
                  food_table: FoodTable) -> pd.DataFrame:
    """Items with `grams` filled from each matched food's portions, plus `portion_used` (the
    USDA portion that weighed the item, "" when none was needed), `conversion_problem`
    ("" when the amount is in grams or could be weighed) and `counted_as` (the food the item
    is weighed and counted as when a state word in its unit names another form of the
    matched food, else "")."""
    out = items.copy()
    out["portion_used"] = ""
    out["conversion_problem"] = ""
    out["counted_as"] = ""
    out["estimated"] = False
    ids = matches.drop_duplicates("name").set_index("name")["food_id"]
    food_id = out["food"].map(ids)
    book = PortionBook(food_table)
    _drink_ounces(out, food_id, book)
    by_volume = out["ml"].notna()
    food_id = _in_stated_form(out, food_id, food_table)
    todo = out["grams"].isna() & out["kind"].eq("food") & out["quantity"].notna() \
        & out["conversion_problem"].eq("")
    unmatched = todo & food_id.isna()
    out.loc[unmatched, "conversion_problem"] = (
        '"' + out.loc[unmatched, "food"] + '" is not matched to a food, so "'
        + out.loc[unmatched, "amount_text"] + '" cannot be weighed')
    todo &= food_id.notna()
    if not todo.any():
        return out
    keys = pd.DataFrame({"food_id": food_id[todo], "unit": out.loc[todo, "unit"],
                         "words": out.loc[todo, "portion_text"].fillna(""),
                         "by_volume": by_volume[todo]})
    distinct = keys.drop_duplicates().reset_index(drop=True)
    found = [_rate(k.food_id, k.unit, k.words, k.by_volume, book)
             for k in distinct.itertuples(index=False)]
    distinct[["weight", "size", "per_ml", "used", "problem", "estimated"]] = pd.DataFrame(
        found, dtype=object)
    resolved = keys.merge(distinct, on=list(keys.columns), how="left")
    resolved.index = keys.index
    base = out.loc[todo, "ml"].where(resolved["per_ml"].astype(bool), out.loc[todo, "quantity"])
    # amount / portion size first, so "1 cup" of a food whose cup weighs 30 g is exactly 30 g
    out.loc[todo, "grams"] = base / resolved["size"].astype(float) * resolved["weight"].astype(
        float)
    out.loc[todo, "portion_used"] = out.loc[todo, "portion_used"].where(
        out.loc[todo, "portion_used"].eq(""), out.loc[todo, "portion_used"] + ": ") + \
        resolved["used"]
    out.loc[todo, "conversion_problem"] = resolved["problem"]
    out.loc[todo, "estimated"] = resolved["estimated"].astype(bool)
    switched = todo & out["counted_as"].ne("") & out["portion_used"].ne("")
    if switched.any():
        names = food_table.foods["name"][~food_table.foods.index.duplicated()]
        out.loc[switched, "portion_used"] = (out.loc[switched, "portion_used"] + " of "
                                             + out.loc[switched, "counted_as"].map(names))
    return out


def _drink_ounces(out: pd.DataFrame, food_id: pd.Series, book: PortionBook) -> None:
    """"oz" written for a drink USDA measures in fluid ounces ("orange juice, 8 oz") is read
    as fluid ounces, as people mean it: weighed through the food's volume portions."""
    rows = out["unit"].eq("oz") & out["kind"].eq("food") & food_id.notna() \
        & out["grams"].notna() & out["portion_text"].eq("oz")
    fl_oz = lookup_unit("fl oz")
    assert fl_oz is not None, "units.csv lists fl oz"
    for at in out.index[rows]:
        fid = food_id[at]
        if fid not in book or not fluid_ounces(book.kinds(fid)):
            continue
        if not any(p.unit == "fl oz" for p in book.portions(fid)[0]):
            continue
        out.at[at, "ml"] = out.at[at, "quantity"] * fl_oz.factor
        out.at[at, "grams"] = math.nan
        out.at[at, "unit"] = out.at[at, "portion_text"] = "fl oz"
        out.at[at, "portion_used"] = "oz of a drink read as fl oz"


def _in_stated_form(out: pd.DataFrame, food_id: pd.Series, food_table: FoodTable
                    ) -> pd.Series:
    """The food each item is weighed as: the matched one, or its counterpart in the state
    the unit names (recorded in `counted_as`). An item whose food has no counterpart in that
    state is not weighed (grams NaN) and says what to write instead."""
    text = out["portion_text"] if "portion_text" in out else pd.Series("", index=out.index)
    stated = {t: unit_state(t) for t in text.fillna("").unique()}
    wanted = text.fillna("").map(stated)
    rows = out["kind"].eq("food") & food_id.notna() & wanted.notna()
    if not rows.any():
        return food_id
    states = states_for(food_table)
    food_id = food_id.copy()
    for at in out.index[rows]:
        word: StateWord = wanted[at]
        found = states.in_state(food_id[at], word)
        if found == food_id[at]:
            continue
        if found is None:
            out.at[at, "grams"] = math.nan
            out.at[at, "conversion_problem"] = _no_counterpart(
                out.at[at, "amount_text"], word, states.names.get(food_id[at], food_id[at]),
                states.state_of(food_id[at]))
            continue
        food_id[at] = found
        out.at[at, "counted_as"] = found
        if pd.notna(out.at[at, "grams"]):  # a mass of the food in that state
            out.at[at, "portion_used"] = f"{states.names[found]} ({word.word}, as the unit says)"
    return food_id


def _no_counterpart(amount_text: str, word: StateWord, name: str, own_state: str) -> str:
    wanted = "uncooked" if word.state == "raw" else "cooked"
    measured = {"raw": "raw", "cooked": "cooked"}.get(own_state, "before cooking")
    return (f'"{word.word}" in "{amount_text}": the food table has no {wanted} form of {name}, '
            f"so the amount cannot be weighed; write how much it was {measured}, or import "
            "more foods (nutrigap foods import)")
