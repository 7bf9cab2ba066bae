"""A food's USDA portions, the count words that may name them, and sizes borrowed from kin.

`portion_words.csv` adds, per count word, what units.csv's `also_matches` cannot say:
`{food}` (a portion named after the food itself, such as "avocado" or "muffin", is one of
it), words that hold only for foods whose USDA description starts with `first_field` (a nut
is a "kernel") or for foods of one kind (a drink counted with no unit is a can or bottle),
words that rule a portion out (a serving is never a box), and `borrow_size`: a size the
food lacks may be scaled from a related food (same USDA first field) that has that size and
shares another size with the food. A fried
egg lists only "large" (46 g); a raw egg lists medium 44 g and large 50 g, so a medium
fried egg weighs 46 x 44 / 50 g. A food with no volume portion at all may borrow the plain
cup of the related food most like it (Greek yogurt lists only a container; plain yogurt's cup
weighs 245 g), and the portion used says it was borrowed. A whole flat round food
(`round_foods.csv`: pizza, pie, tortilla, pancake, ...) written with another diameter than
its portion, or the food's name, states weighs in proportion to its area.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import pandas as pd

from nutrigap.analyzer.food_kinds import alcohol_kind, kinds_of
from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.logs.amounts import parse_number
from nutrigap.analyzer.logs.units import COUNT, MASS, VOLUME, leading_unit, lookup_unit
from nutrigap.analyzer.matching.normalise import words as normalised_words
from nutrigap.analyzer.matching.rules import defaults, preparations
from nutrigap.analyzer.rule_tables import rule_table

FOOD_TOKEN = "{food}"
_PAREN = re.compile(r"\([^)]*\)")
# "serving 1/2 cup", "bottle 8 fl oz", "ice cube (3/4 fl oz)": a count that states its volume
_STATED_VOLUME = re.compile(r"(\d+\s+\d+/\d+|\d+/\d+|\d*\.?\d+)\s*(fl\.?\s?oz|cups?|tbsp|tsp|ml)\b")
# 8", 8-1/4", 3 1/2", 7.5 inch: a length or diameter written in inches
_INCHES = re.compile(r"(\d+(?:\s+|-)\d+/\d+|\d+/\d+|\d*\.?\d+)\s*(?:\"|”|″|inch(?:es)?\b)")
# 8-10", 13-15 inch: a range of sizes, as FNDDS gives pizza diameters
_INCH_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*(?:\"|”|″|inch(?:es)?\b)")
_WORD = re.compile(r"[a-z']+")
# 3" high, 1/2" thick: a size that is not a diameter; 4" x 6", 9" square: not a round food
_NOT_DIAMETER = re.compile(r"\s*(?:high|thick|long|wide|tall|deep)\b")
_RECTANGLE = re.compile(r"\d\s*(?:\"|”|″|inch(?:es)?)?\s*x\s*\d|\bsquare\b")


@dataclass(frozen=True)
class Portion:
    """One USDA portion: `grams` is the weight of `size` millilitres (a volume portion) or
    `size` units (a count portion)."""

    seq: float
    grams: float
    size: float
    unit: str  # the canonical unit at the head of the description, "" if none
    head: str  # description without parentheses, canonical words ("slice thin")
    detail: str  # words after the unit ("chopped")
    description: str
    inches: frozenset[float] = frozenset()
    inch_ranges: tuple[tuple[float, float], ...] = ()  # 'small pizza (8-10" diameter)'

    def has_size(self, sizes: frozenset[float]) -> bool:
        """Whether the portion states one of `sizes` in inches, alone or within a range."""
        return bool(sizes & self.inches) or any(low <= size <= high for size in sizes
                                                for low, high in self.inch_ranges)


@dataclass(frozen=True)
class _Rule:
    first_field: str
    kind: str
    words: tuple[str, ...]
    excluded: tuple[str, ...]
    borrow: str


@functools.cache
def _rules() -> dict[str, list[_Rule]]:
    rules: dict[str, list[_Rule]] = {}
    for row in rule_table("portion_words.csv").itertuples():
        rules.setdefault(row.word.strip().lower(), []).append(
            _Rule(row.first_field.strip().lower(), row.kind.strip(), row.portion_words,
                  tuple(w.lower() for w in row.excluded_words),
                  row.borrow_size.strip().lower()))
    return rules


@functools.cache
def _size_order() -> tuple[str, ...]:
    """The size words that may be borrowed, in the order they are tried as a common size."""
    return tuple(dict.fromkeys(r.borrow for rules in _rules().values() for r in rules
                               if r.borrow))


def size_words() -> frozenset[str]:
    """The count units that are sizes (small, medium, large, ...)."""
    return frozenset(_size_order())


def canonical_words(text: str) -> str:
    """Lower-case words without parentheses or commas, count spellings made canonical."""
    words = []
    for word in _PAREN.sub(" ", str(text).lower()).replace(",", " ").split():
        unit = lookup_unit(word)
        words.append(unit.name if unit is not None and unit.kind == COUNT else word)
    return " ".join(words)


def inches_in(text: str) -> frozenset[float]:
    """The sizes in inches a text states: 'large - 8 1/4" long' -> {8.25}."""
    found = set()
    for number in _INCHES.findall(str(text).lower()):
        try:
            found.add(round(parse_number(number), 4))
        except (ValueError, ZeroDivisionError):
            continue
    return frozenset(found)


def inch_ranges_in(text: str) -> tuple[tuple[float, float], ...]:
    """The ranges of inches a text states: 'small pizza (8-10" diameter)' -> ((8, 10),)."""
    return tuple((float(low), float(high)) for low, high in _INCH_RANGE.findall(str(text))
                 if float(low) < float(high))


def diameter_in(text: str) -> float | None:
    """The one diameter in inches a text states: 'pie (9" dia)' -> 9, 'pizza 8" diameter'
    -> 8, 'small pizza (8-10" diameter)' -> 9 (the middle of the range); None when it
    states none, several ('8" or 9" dia') or a rectangle ('4" x 6"'). Heights and
    thicknesses ('3" high') are not diameters."""
    text = str(text).lower()
    if _RECTANGLE.search(text):
        return None
    found = set()
    for number in _INCHES.finditer(text):
        if _NOT_DIAMETER.match(text, number.end()):
            continue
        try:
            found.add(round(parse_number(number.group(1)), 4))
        except (ValueError, ZeroDivisionError):
            continue
    ranges = inch_ranges_in(text)
    if len(ranges) == 1 and found <= {ranges[0][1]}:
        return (ranges[0][0] + ranges[0][1]) / 2
    if ranges or len(found) != 1:
        return None
    return next(iter(found))


@functools.cache
def _round_words() -> tuple[frozenset[str], frozenset[str]]:
    """(words naming a flat round food, words naming a part or another shape of one) from
    round_foods.csv."""
    table = rule_table("round_foods.csv")
    kinds = {kind: frozenset(table.loc[table["kind"].str.strip() == kind, "word"]
                             .str.strip().str.lower())
             for kind in ("round", "part")}
    return kinds["round"], kinds["part"]


@functools.cache
def _slices() -> dict[str, float]:
    """{round food word: how many slices a whole one is cut into} from round_foods.csv."""
    table = rule_table("round_foods.csv")
    found = table[table["slices"].notna()]
    return dict(zip(found["word"].str.strip().str.lower(), found["slices"], strict=True))


def _parse_portions(rows: list[tuple]) -> tuple[list[Portion], list[Portion]]:
    """The food's volume portions (grams per ml) and count portions (grams per unit) from its
    (seq, amount, description, grams) rows."""
    volumes, counts = [], []
    for seq, amount, description, grams in rows:
        amount, grams, description = float(amount), float(grams), str(description)
        if not (amount > 0 and grams > 0):
            continue
        unit, detail = leading_unit(_PAREN.sub(" ", description))
        if unit is not None and unit.kind == VOLUME:
            volumes.append(Portion(float(seq), grams, amount * unit.factor, unit.name,
                                   "", detail, description))
        elif unit is None or unit.kind != MASS:
            head = canonical_words(description)
            counts.append(Portion(float(seq), grams, amount, "", head, "", description,
                                  inches_in(description), inch_ranges_in(description)))
            stated = _STATED_VOLUME.search(description.lower())
            stated_unit = lookup_unit(stated.group(2)) if stated else None
            if stated and stated_unit is not None:
                ml = parse_number(stated.group(1)) * stated_unit.factor
                volumes.append(Portion(float(seq), grams, amount * ml, stated_unit.name, "",
                                       head, description))
    return volumes, counts


def _first_field(text: str) -> str:
    return text.split(",")[0].strip().lower()


def _field(text: str, at: int) -> str:
    fields = text.split(",")
    return fields[at].strip().lower() if len(fields) > at else ""


def _words(description: str) -> tuple[set[str], set[str]]:
    """All words of a USDA description, and those of its second field, which says what
    variety or part of the food it is ("Egg, whole, ..." and "Egg, yolk, ...")."""
    fields = description.lower().split(",")
    kind = set(_WORD.findall(fields[1])) if len(fields) > 1 else set()
    return set(_WORD.findall(description.lower())), kind


def _singular(word: str) -> set[str]:
    forms = {word}
    if word.endswith("ies") and len(word) > 4:
        forms.add(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.add(word[:-2])
    if word.endswith("s") and len(word) > 2:
        forms.add(word[:-1])
    return forms


def _name_words(text: str) -> frozenset[str]:
    words: set[str] = set()
    for word in _WORD.findall(text):
        words |= _singular(word)
    return frozenset(w for w in words if (u := lookup_unit(w)) is None or u.kind == COUNT)


@dataclass(frozen=True)
class FoodName:
    """The words a portion named after the food may use: it starts with one of `lead` (a word
    of the food's description) and goes on with words of the whole description."""

    lead: frozenset[str]
    words: frozenset[str]


class PortionBook:
    """A food table's foods and portions as plain lookups, each food parsed once when first
    asked for; one book serves one batch of items."""

    def __init__(self, table: FoodTable):
        foods = table.foods[~table.foods.index.duplicated()]
        names = foods["name"].astype(str)
        described = (foods["usda_description"] if "usda_description" in foods
                     else pd.Series(index=foods.index, dtype=object))
        usable = described.notna() & described.astype(str).str.strip().ne("")
        self.names: dict[str, str] = names.to_dict()
        self.descriptions: dict[str, str] = described.astype(str).where(usable, names).to_dict()
        groups = foods["food_group"] if "food_group" in foods else pd.Series("", index=foods.index)
        self._groups: dict[str, str] = groups.to_dict()
        alcohol = (foods["alcohol_g"] if "alcohol_g" in foods
                   else pd.Series(float("nan"), index=foods.index))
        self._alcohol: dict[str, float] = alcohol.dropna().to_dict()
        self._by_group: dict[str, list[str]] | None = None
        self._portions = table.portions
        self._rows: dict[str, list[int]] | None = None
        self._parsed: dict[str, tuple[list[Portion], list[Portion]]] = {}
        self._sizes: tuple[dict, dict] | None = None

    def __contains__(self, food_id) -> bool:
        return food_id in self.names

    def portions(self, food_id: str) -> tuple[list[Portion], list[Portion]]:
        """(volume portions, count portions) of one food."""
        if food_id not in self._parsed:
            if self._rows is None:
                self._rows = self._portions.groupby("food_id", sort=False).indices
            at = self._rows.get(food_id, [])
            columns = [self._portions[c].to_numpy()[at]
                       for c in ("seq", "amount", "description", "grams")]
            self._parsed[food_id] = _parse_portions(list(zip(*columns, strict=True)))
        return self._parsed[food_id]

    def food_name(self, food_id: str) -> FoodName:
        """The food's own words, singular too: "Avocados, raw" -> lead avocados, avocado, raw;
        "Roll, whole wheat, hamburger bun" leads with bun too. Measures are left out, so
        "Candies, peanut butter cups" names no cup."""
        description = self.descriptions[food_id].lower()
        return FoodName(_name_words(description), _name_words(description))

    def kinds(self, food_id: str) -> tuple[str, ...]:
        """The kinds of food the food's group holds (food_kinds.csv), () when unknown; a drink
        with alcohol is first of all a beer, wine or spirit (kinds.csv), whatever its group."""
        by_group = kinds_of(self._groups.get(food_id))
        strength = alcohol_kind(self._alcohol.get(food_id, float("nan")))
        return (strength, *by_group) if strength else by_group

    def count_words(self, unit: str, food_id: str) -> list[str]:
        """The portion words a count unit may use for this food, best first: rules for the
        food's first field or kind, the unit's own words from units.csv, then general rules
        (`{food}`)."""
        known = lookup_unit(unit)
        own = list(known.also_matches) if known is not None else []
        if unit not in own:
            own.insert(0, unit)
        if known is None:  # "cooked links": try each word the unit is made of
            own += [w for w in canonical_words(unit).split() if w not in own]
        field = _first_field(self.descriptions[food_id])
        kinds = self.kinds(food_id)
        specific: list[str] = []
        general: list[str] = []
        for rule in _rules().get(unit, []):
            if rule.first_field == field or (rule.kind and rule.kind in kinds):
                specific += rule.words
            elif not rule.first_field and not rule.kind:
                general += rule.words
        return list(dict.fromkeys(specific + own + general))

    @staticmethod
    def excluded_words(unit: str) -> frozenset[str]:
        """Words that rule a portion out as the count unit's portion (a serving is never a
        box), from portion_words.csv."""
        return frozenset(w for rule in _rules().get(unit, []) for w in rule.excluded)

    def _size_index(self) -> tuple[dict, dict]:
        """{food_id: {size word: (grams of one, inches stated)}} for every food with a portion
        named by a size alone, or by a size and the food's own words ("small breast" of a
        chicken breast), with a portion of the food's own words alone ("breast") as its
        medium; and {first field: [food_id, ...]}; built when first needed."""
        if self._sizes is None:
            portions = self._portions
            heads = (portions["description"].astype(str).str.lower()
                     .str.replace(_PAREN, " ", regex=True).str.replace(",", " ")
                     .str.split().str.join(" "))
            amount = pd.to_numeric(portions["amount"], errors="coerce")
            grams = pd.to_numeric(portions["grams"], errors="coerce")
            usable = heads.isin(_size_order()) & (amount > 0) & (grams > 0)
            sizes: dict[str, dict[str, tuple[float, frozenset[float]]]] = {}
            for fid, head, each, description in zip(
                    portions.loc[usable, "food_id"], heads[usable], (grams / amount)[usable],
                    portions.loc[usable, "description"], strict=True):
                sizes.setdefault(fid, {}).setdefault(head, (float(each),
                                                            inches_in(description)))
            rest = ~usable & (amount > 0) & (grams > 0) & portions["food_id"].isin(self.names)
            for fid, head, each, description in zip(
                    portions.loc[rest, "food_id"], heads[rest], (grams / amount)[rest],
                    portions.loc[rest, "description"], strict=True):
                size = self._own_size(fid, head)
                if size:
                    sizes.setdefault(fid, {}).setdefault(size, (float(each),
                                                                inches_in(description)))
            kin: dict[str, list[str]] = {}
            for fid, text in self.descriptions.items():
                kin.setdefault(_first_field(text), []).append(fid)
            self._sizes = (sizes, kin)
        return self._sizes

    def _own_size(self, food_id: str, head: str) -> str | None:
        """The size a portion of the food's own unit is: "small breast" -> small, "breast"
        -> medium (USDA's unsized unit is the usual one); None for any other portion."""
        found = head.split()
        size = next((s for s in _size_order() if head.startswith(s + " ")), None)
        rest = found[len(size.split()):] if size else found
        name = self.food_name(food_id).words
        if not rest or not all(w in name for w in rest):
            return None
        return size or "medium"

    def own_size(self, unit: str, food_id: str) -> tuple[float, str] | None:
        """(grams of one, what was used) when `unit` is a size the food's own unit comes in
        ("small" of a food with a "small breast" portion)."""
        if unit not in _size_order():
            return None
        sizes, _ = self._size_index()
        found = sizes.get(food_id, {}).get(unit)
        return (found[0], f"{unit} {self.names[food_id]}") if found else None

    def borrowed_size(self, unit: str, food_id: str) -> tuple[float, str] | None:
        """(grams of one, what was done) for a size the food lacks, scaled from the related
        food most like it (same first field, a word in common in the second) that has the
        size and a size in common with the food (stating the same inches, or none); None if
        no food qualifies."""
        wanted = [r.borrow for r in _rules().get(unit, []) if r.borrow]
        if not wanted:
            return None
        sizes, kin = self._size_index()
        own = sizes.get(food_id, {})
        if not own:
            return None
        description = self.descriptions[food_id]
        words, kind = _words(description)
        for size in wanted:
            best, best_shared = None, -1
            for other in kin.get(_first_field(description), []):
                theirs = sizes.get(other, {})
                common = [s for s in _size_order() if s != size and s in own and s in theirs
                          and own[s][1] == theirs[s][1]]
                if other == food_id or size not in theirs or not common:
                    continue
                their_words, their_kind = _words(self.descriptions[other])
                # An egg yolk is no guide to a whole egg; a first field of two words names
                # the part already ("Chicken breast, baked" for "Chicken breast, NS as to").
                if not kind & their_kind and len(_first_field(description).split()) < 2:
                    continue
                shared = len(words & their_words)
                if shared > best_shared:  # ties go to the first food in the table
                    best, best_shared = (other, common[0]), shared
            if best is not None:
                other, anchor = best
                mine, wanted_g, anchor_g = own[anchor][0], sizes[other][size][0], \
                    sizes[other][anchor][0]
                note = (f"{size}, scaled from its {anchor} ({_g(mine)} g) by "
                        f"{self.names[other]} ({size} {_g(wanted_g)} g, {anchor} "
                        f"{_g(anchor_g)} g)")
                return mine * wanted_g / anchor_g, note
        return None

    @staticmethod
    def whole_round(portion: Portion) -> bool:
        """Whether the portion is one whole flat round food (round_foods.csv): it names one
        ("pizza", "pie (9\" dia)", "small pizza (8-10\" diameter)") and no part or other
        shape of one ("piece (1/8 of 9\" dia)", "waffle, square (4\" square)")."""
        round_words, part_words = _round_words()
        return bool(_name_words(portion.head) & round_words) and not (
            _name_words(portion.description.lower()) & part_words)

    def scaled_by_area(self, portion: Portion, counts: list[Portion], written: str,
                       food_id: str) -> tuple[float, float, str] | None:
        """(grams, of how many units, what was done) when the amount states a diameter and
        the portion, one whole flat round food, states another, or states none and the
        food's name does: an 8\" pizza weighed by a 14\" pizza's portion is (8/14)² of it.
        Of the food's whole portions of that round food stating a diameter, the one nearest
        in size is scaled (a 20\" pizza from the 16-18\" one, not the 8-10\"). None when
        either states no single diameter or both state the same (a range holding it too)."""
        wanted = diameter_in(written)
        if not wanted or portion.has_size(frozenset({wanted})) \
                or not self.whole_round(portion):
            return None
        kind = _name_words(portion.head) & _round_words()[0]
        sized = [(p, d) for p in counts
                 if (d := diameter_in(p.description))
                 and _name_words(p.head) & kind and self.whole_round(p)]
        source = ""
        stated: float | None
        if sized:
            portion, stated = min(sized, key=lambda pd_: (abs(math.log(pd_[1] / wanted)),
                                                          pd_[0].seq))
        elif not portion.inches and not portion.inch_ranges:
            stated = diameter_in(self.descriptions[food_id])
            source = " (the food's name)"
        else:
            return None
        if not stated or stated == wanted:
            return None
        factor = (wanted / stated) ** 2
        note = (f"{portion.description}, scaled by area from {_inches(stated)}{source} to "
                f"{_inches(wanted)}: x {factor:.2f}")
        return portion.grams * factor, portion.size, note

    @staticmethod
    def part_words() -> frozenset[str]:
        """Words naming a part of a food rather than a whole one (slice, piece), from
        round_foods.csv."""
        return _round_words()[1]

    def slice_of_whole(self, unit: str, counts: list[Portion]) -> tuple[float, str] | None:
        """(grams, what was done) for a part (a slice, a piece) of a round food whose USDA
        portions give it only whole ("package 24 oz pizza"): the first whole one divided into
        the slices round_foods.csv gives it (a pizza in eight); None otherwise."""
        if unit not in _round_words()[1]:
            return None
        for portion in sorted(counts, key=lambda p: p.seq):
            if not self.whole_round(portion):
                continue
            kind = sorted(_name_words(portion.head) & _round_words()[0] & set(_slices()))
            if kind:
                slices = _slices()[kind[0]]
                return (portion.grams / portion.size / slices,
                        f"1/{slices:g} of {portion.description} ({_g(portion.grams)} g): a "
                        f"{kind[0]} is taken as {slices:g} slices")
        return None

    def borrowed_volume(self, food_id: str) -> tuple[Portion, str] | None:
        """(a plain volume portion of the related food most like this one, what was done)
        for a food with no volume portion of its own: Greek yogurt's cup from plain yogurt.
        Related: the same first field (and second, when the first is a category: "Nuts,
        cashew nuts" is no pistachio) and another word of the description in common that
        is not a preparation; failing that, the same food group and at least two such words
        in common; None when no food qualifies."""
        sizes_kin = self._size_index()[1]
        description = self.descriptions[food_id]
        first = _first_field(description)
        category = " ".join(normalised_words(first)) in defaults().categories
        kind = _field(description, 1)
        is_prep = preparations().is_preparation
        words, _ = _words(description)
        later = {w for w in words - set(_WORD.findall(first)) if not is_prep(w)}
        best, best_shared = None, 0
        for other in sizes_kin.get(first, []):
            if other == food_id or (category and _field(self.descriptions[other], 1) != kind):
                continue
            plain = [p for p in self.portions(other)[0] if not p.detail and p.unit == "cup"]
            if not plain:
                continue
            shared = len(later & _words(self.descriptions[other])[0])
            if shared > best_shared:  # ties go to the first food in the table
                best, best_shared = (other, plain[0]), shared
        if best is None:
            best = self._kin_in_group(food_id, {w for w in words if not is_prep(w)})
        if best is None:
            return None
        other, portion = best
        return portion, (f"{portion.description} of {self.names[other]} ({_g(portion.grams)} "
                         f"g), borrowed: USDA lists no volume for {self.names[food_id]}")

    def _kin_in_group(self, food_id: str, named: set[str]) -> tuple[str, Portion] | None:
        """(the food of the same group sharing most words that name the food, at least two,
        its plain cup) for a food no food shares a first field with ("Spaghetti with meat
        sauce, frozen entree": "Spaghetti, with meatballs in tomato sauce")."""
        group = self._groups.get(food_id)
        if not group or len(named) < 2:
            return None
        if self._by_group is None:
            self._by_group = {}
            for fid, g in self._groups.items():
                self._by_group.setdefault(g, []).append(fid)
        best, best_shared = None, 1
        for other in self._by_group.get(group, []):
            if other == food_id:
                continue
            shared = len(named & _words(self.descriptions[other])[0])
            if shared <= best_shared:
                continue
            plain = [p for p in self.portions(other)[0] if not p.detail and p.unit == "cup"]
            if plain:  # ties go to the first food in the table
                best, best_shared = (other, plain[0]), shared
        return best


def _inches(size: float) -> str:
    return f'{round(size, 2):g}"'


def _g(grams: float) -> str:
    return f"{round(grams, 1):g}"
