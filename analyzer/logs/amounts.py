"""Amounts as people and apps write them, turned into a quantity and a unit.

Accepted: "150", "150g", "1.5 kg", "1 1/2 cups", "1-1/2 cup", "½ cup", "1½ cups", and
Cronometer's own forms: "2.00 x 2.0 slices" (2 x 2 = 4 slices), "1.00 whole - 3 1/2\" diameter",
"1.00 shake (11 fl oz)" (11 fl oz per shake), "1.00 slice (from pre-sliced package) - each 3/4 oz"
and "1.00 full recipe". The unit may be in the amount text or given separately.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nutrigap.analyzer.limits import MAX_NUMBER
from nutrigap.analyzer.logs.units import (
    COUNT,
    MASS,
    VOLUME,
    example_units,
    leading_unit,
    normalise_unit_text,
    vague_measure,
    vague_sizes,
)

UNKNOWN = "unknown"  # a unit word that is not in the units table

_VULGAR = {"½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5", "⅖": "2/5",
           "⅗": "3/5", "⅘": "4/5", "⅙": "1/6", "⅚": "5/6", "⅛": "1/8", "⅜": "3/8", "⅝": "5/8",
           "⅞": "7/8"}
# Only used to suggest the digits someone meant ("two cups" -> write 2).
_NUMBER_WORDS = {"a": "1", "an": "1", "one": "1", "two": "2", "three": "3", "four": "4",
                 "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10",
                 "eleven": "11", "twelve": "12", "half": "0.5", "quarter": "0.25",
                 "dozen": "12", "couple": "2"}

_NUM = r"(?:\d+(?:[.,]\d+)?|[.,]\d+)"
_QTY = rf"(?:\d+(?:\s+|-)\d+/\d+|\d+/\d+|{_NUM})"
_MULTIPLIED = re.compile(rf"^({_QTY})\s*[x×*]\s*({_QTY})(?![\d/])\s*(.*)$", re.IGNORECASE)
_SINGLE = re.compile(rf"^({_QTY})(?![\d/.,])\s*(.*)$")
_RANGE = re.compile(rf"^{_NUM}\s*(?:-|–|to)\s*{_NUM}(?![\d/])")
_NEGATIVE = re.compile(rf"^[-−]\s*{_QTY}")
_SCIENTIFIC = re.compile(r"^(\d+(?:\.\d+)?[eE][-+]?\d+)(?![\w.])")
_HEX = re.compile(r"^0x[0-9a-f]+(?![\w.])", re.IGNORECASE)  # not "0 x 10": zero times ten
_HEAD_END = re.compile(r"\(|\s-\s|\d|\"|”|″")
_PAREN = re.compile(r"\(([^()]*)\)")
_DASH_TAIL = re.compile(r"\s-\s(?:each\s+)?(.*)$", re.IGNORECASE)


class AmountError(ValueError):
    """An amount or unit that cannot be read; `column` says which cell is at fault."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Amount:
    """One parsed amount. `grams` / `ml` are filled when the text alone fixes them (a mass, a
    volume, or a count with its weight written beside it); `words` keeps the unit words as
    written, lower case, for matching against a food's portions."""

    quantity: float
    unit: str
    kind: str  # mass | volume | count | unknown
    grams: float = math.nan
    ml: float = math.nan
    words: str = ""


def clean_amount(text: str) -> str:
    """Text with fractions written out ("1½" -> "1 1/2"), single spaces, no non-breaking
    ones."""
    text = str(text).replace("\u00a0", " ").replace("⁄", "/").strip()
    for glyph, fraction in _VULGAR.items():
        text = re.sub(rf"(\d)\s*{glyph}", rf"\1 {fraction}", text)
        text = text.replace(glyph, fraction)
    return re.sub(r"\s+", " ", text)


def parse_number(text: str, *, decimal_comma: bool = False) -> float:
    """One quantity: "1.5", "1 1/2", "1-1/2", "3/4", "1,5" (with decimal commas)."""
    text = text.strip()
    if "," in text:
        if not decimal_comma:
            raise AmountError("amount", "has a comma in the number; write decimals with a "
                                        "point (1.5) and no thousands separator")
        text = text.replace(",", ".")
    whole, _, fraction = text.replace("-", " ").rpartition(" ")
    if "/" in fraction:
        top, bottom = fraction.split("/")
        if float(bottom) == 0:
            raise AmountError("amount", "divides by zero; write the amount as a number")
        value = float(top) / float(bottom) + (float(whole) if whole else 0.0)
    else:
        value = float(text)
    return _bounded(value)


def _bounded(value: float) -> float:
    """The number, if within MAX_NUMBER (infinity, from a number of 309 digits, is not)."""
    if not value <= MAX_NUMBER:
        raise AmountError("amount", f"is larger than any amount nutrigap reads ("
                                    f"{MAX_NUMBER:,.0f}); check the number")
    return value


def _not_a_number(text: str) -> AmountError:
    first, _, rest = text.partition(" ")
    digits = _NUMBER_WORDS.get(first.lower())
    if digits is not None and rest:
        unit, _ = leading_unit(rest)
        vague = vague_measure(rest) if unit is None else None
        if vague:
            return AmountError("amount", f'is not a number, and "{rest}" {vague}')
        unit_name = unit.name if unit else rest
        return AmountError("amount", f"is not a number; write {digits} in amount and "
                                     f"{unit_name} in unit")
    return AmountError("amount", "is not a number; write a number in amount (e.g. 150) "
                                 "and the unit in unit (e.g. g)")


def amount_in_food(food: str) -> str | None:
    """For a food cell that starts with the amount ("2 eggs", "1 cup milk"), where to move
    its parts; None when it does not start with a number."""
    text = clean_amount(food)
    match = _SINGLE.match(text)
    if not match or not match.group(2)[:1].isalpha():  # not "2% milk" or "7-grain bread"
        return None
    number, rest = match.group(1), match.group(2).strip()
    unit, after = leading_unit(rest)
    if unit is None and not text[len(number):].startswith(" "):  # "7up"
        return None
    start = f'is empty; the food cell starts with the amount ("{food.strip()}"): move {number}'
    if unit is not None and after:
        return f"{start} to amount and {unit.name} to unit, leaving {after} in food"
    return (f"{start} to amount, leave {rest} in food, and write a unit such as each, medium "
            "or g in unit")


def _measure_per_unit(words: str, decimal_comma: bool) -> tuple[str, float] | None:
    """A mass or volume written beside a count: "(11 fl oz)" or "- each 3/4 oz"."""
    candidates = _PAREN.findall(words)
    tail = _DASH_TAIL.search(words)
    if tail:
        candidates.append(tail.group(1))
    for candidate in candidates:
        match = _SINGLE.match(clean_amount(candidate))
        if not match or not match.group(2):
            continue
        unit, rest = leading_unit(match.group(2))
        if unit is not None and unit.measured and not rest:
            size = parse_number(match.group(1), decimal_comma=decimal_comma)
            return unit.kind, size * unit.factor
    return None


def _unit_words(amount_rest: str, unit_cell: str) -> str:
    if amount_rest and unit_cell:
        in_amount, _ = leading_unit(amount_rest)
        in_unit, _ = leading_unit(unit_cell)
        if in_amount is None or in_unit is None or in_amount.name != in_unit.name:
            raise AmountError("unit", f'disagrees with the unit written in amount '
                                      f'("{amount_rest}"); leave unit empty or make them agree')
    return amount_rest or unit_cell


COUNT_UNIT = "count"  # a number with no unit: whole items of the food


@functools.lru_cache(maxsize=65536)
def parse_amount(amount: str, unit: str = "", *, decimal_comma: bool = False,
                 bare_count: bool = False) -> Amount:
    """Quantity and unit of one logged amount; raises AmountError naming the faulty cell.
    With `bare_count`, a number with no unit is a count of whole items (unit "count")."""
    text = clean_amount(amount)
    unit_cell = clean_amount(unit)
    if not text:
        raise AmountError("amount", "is empty; write how much was eaten, e.g. 150 in amount "
                                    "and g in unit")
    if _NEGATIVE.match(text):
        raise AmountError("amount", "is negative; write how much was eaten (0 or more)")
    scientific = _SCIENTIFIC.match(text)
    if scientific:
        value = float(scientific.group(1))
        written = f"{value:.0f}" if value.is_integer() else f"{value:.6f}".rstrip("0")
        raise AmountError("amount", "is a number in scientific notation (as a spreadsheet may "
                                    f"show it); write it out: {written}")
    hexadecimal = _HEX.match(text)
    if hexadecimal:
        written = hexadecimal.group(0)
        raise AmountError("amount", "is a hexadecimal number; write the amount as an ordinary "
                                    f"number ({written} is {int(written, 16):,}), or 0 if "
                                    "nothing was eaten")
    if _RANGE.match(text):
        raise AmountError("amount", "is a range; write one number, e.g. the middle of it")
    match = _MULTIPLIED.match(text)
    if match:
        quantity = _bounded(parse_number(match.group(1), decimal_comma=decimal_comma)
                            * parse_number(match.group(2), decimal_comma=decimal_comma))
        rest = match.group(3)
    else:
        match = _SINGLE.match(text)
        if not match:
            raise _not_a_number(text)
        quantity = parse_number(match.group(1), decimal_comma=decimal_comma)
        rest = match.group(2)
    words = _unit_words(rest.strip(), unit_cell)
    if not words and bare_count:
        return Amount(quantity, COUNT_UNIT, COUNT)
    if not words:
        raise AmountError("unit", f"is empty; write the unit of {text} in unit ("
                                  f"{example_units()})")
    return _with_unit(quantity, words, decimal_comma)


def _with_unit(quantity: float, words: str, decimal_comma: bool) -> Amount:
    lowered = normalise_unit_text(words)
    size_word, _, measured = lowered.partition(" ")
    if size_word in vague_sizes():  # "big handful", "large glass": a vague measure, its size
        vague, rest = leading_unit(measured)
        if vague is not None and vague.vague and not rest:
            return Amount(quantity, vague.name, COUNT, words=lowered)
    head_end = _HEAD_END.search(lowered)
    head = lowered[:head_end.start()].strip(" ,") if head_end else lowered
    unit, _ = leading_unit(head or lowered)
    if unit is not None and unit.kind == MASS:
        return Amount(quantity, unit.name, MASS, grams=quantity * unit.factor, words=lowered)
    if unit is not None and unit.kind == VOLUME:
        return Amount(quantity, unit.name, VOLUME, ml=quantity * unit.factor, words=lowered)
    name, kind = (unit.name, COUNT) if unit is not None else (head or lowered, UNKNOWN)
    measure = _measure_per_unit(lowered, decimal_comma)
    if measure is None:
        return Amount(quantity, name, kind, words=lowered)
    measure_kind, size = measure
    if measure_kind == MASS:
        return Amount(quantity, name, kind, grams=quantity * size, words=lowered)
    return Amount(quantity, name, kind, ml=quantity * size, words=lowered)


AMOUNT_FIELDS = ["quantity", "unit", "kind", "grams", "ml", "words"]


def parse_amounts(amounts: pd.Series, units: pd.Series, *, decimal_comma: bool = False,
                  bare_count: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse a column of amounts (and units) once per distinct pair.

    Returns (parsed, errors): `parsed` has AMOUNT_FIELDS aligned with `amounts` (NaN / "" where
    a cell failed); `errors` has `position, column, message` for each failing row.
    """
    keys = amounts.astype(str) + "\x1f" + units.astype(str)
    codes, uniques = pd.factorize(keys)
    values: list[tuple] = []
    failures: dict[int, AmountError] = {}
    for i, key in enumerate(uniques):
        amount, _, unit = key.partition("\x1f")
        try:
            a = parse_amount(amount, unit, decimal_comma=decimal_comma, bare_count=bare_count)
            values.append((a.quantity, a.unit, a.kind, a.grams, a.ml, a.words))
        except AmountError as exc:
            failures[i] = exc
            values.append((math.nan, "", "", math.nan, math.nan, ""))
    table = pd.DataFrame(values, columns=AMOUNT_FIELDS).astype(
        {"quantity": float, "grams": float, "ml": float})
    parsed = table.iloc[codes].reset_index(drop=True)
    parsed.index = amounts.index
    failed_codes = np.fromiter(failures, dtype=np.int64, count=len(failures))
    positions = np.flatnonzero(np.isin(codes, failed_codes))
    errors = pd.DataFrame({
        "position": positions,
        "column": [failures[codes[p]].column for p in positions],
        "message": [failures[codes[p]].message for p in positions],
    })
    return parsed, errors
