"""Amounts written inside the food cell, as people type them when they leave amount and unit
empty: "2 eggs scrambled", "cup of oj", "a slice of pizza", "½ avocado", "latte 16 oz",
"salmon fillet 6oz", "big handful of spinach".

A leading amount is a number (digits, a fraction, "½", or a word: a, an, one ... twelve, half)
and an optional unit, or a unit followed by "of" alone ("cup of oj" is one cup). A trailing
amount is a number and a unit at the end of the cell, or a count written "x2" or "2x". The
unit is one of units.csv, possibly after a size word that says how big a vague measure was
("big handful"). A count word that is
also the food (`names_food` in units.csv: egg, pancake) stays in the food's name unless "of"
follows it. What is left is the food. A cell with no amount in it, or with nothing left for
the food, gives None, and the reader says the amount is empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nutrigap.analyzer.logs.amounts import clean_amount
from nutrigap.analyzer.logs.units import leading_unit, lookup_unit, vague_sizes

# digits "2", "1.5", "1 1/2", "1/2"; a number glued to its unit ("6oz") is split later
_QTY = r"\d+(?:\.\d+)?(?:\s+\d+/\d+)?|\d+/\d+"
_LEADING = re.compile(rf"^({_QTY})(?![\d/.,%-])\s*(.*)$")
_TRAILING = re.compile(rf"^(.*?)[\s,(-]+({_QTY})\s*([a-z][a-z .]*?)\)?\s*$", re.IGNORECASE)
_WORDS = {"a": "1", "an": "1", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
          "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11",
          "twelve": "12", "half": "1/2", "half a": "1/2", "half an": "1/2"}
_WORD_QTY = re.compile(r"^(half an?|" + "|".join(sorted(_WORDS, key=len, reverse=True))
                       + r")\s+(.*)$", re.IGNORECASE)
_TIMES = re.compile(rf"^(.*?)[\s,(-]+(?:[x×]\s*({_QTY})|({_QTY})\s*[x×])\)?\s*$", re.IGNORECASE)
_OF = re.compile(r"^of\s+", re.IGNORECASE)
_EDGES = " ,;:-"


@dataclass(frozen=True)
class NamedAmount:
    """An amount read from a food cell: `amount` and `unit` as they would be written in their
    own cells ("2", "" for a count of the food; "1", "cup"), and the `food` left."""

    amount: str
    unit: str
    food: str


def amount_in_name(text: str) -> NamedAmount | None:
    """The amount a food cell starts or ends with, and the food; None when it has none."""
    cleaned = clean_amount(text)
    return _times(cleaned) or _leading(cleaned) or _trailing(cleaned)


def _leading(text: str) -> NamedAmount | None:
    match = _LEADING.match(text)
    if match:
        quantity, rest = match.group(1), match.group(2)
        if not rest[:1].isalpha():  # "2% milk", "7-grain bread"
            return None
        if not text[len(quantity):].startswith(" ") and lookup_unit(
                _first_word(rest)) is None:  # "7up"
            return None
    else:
        match = _WORD_QTY.match(text)
        if match:
            quantity, rest = _WORDS[" ".join(match.group(1).lower().split())], match.group(2)
        else:  # "cup of oj", "big handful of spinach": one of the measure
            quantity, rest = "1", text
    unit, after = _unit_at_start(rest)
    if unit is None:
        if rest is text:
            return None
        return _named(quantity, "", rest)
    if _OF.match(after):
        return _named(quantity, unit, _OF.sub("", after))
    if rest is text:
        return None  # a food named after a measure ("cup cake", "glass noodles")
    known = lookup_unit(unit.split()[-1])
    if known is not None and known.names_food:
        return _named(quantity, unit, rest)  # "2 eggs scrambled": the eggs are the food
    return _named(quantity, unit, after)


def _times(text: str) -> NamedAmount | None:
    """A count written after the food: "eggs x2", "tacos (2x)"."""
    match = _TIMES.match(text)
    return _named(match.group(2) or match.group(3), "", match.group(1)) if match else None


def _trailing(text: str) -> NamedAmount | None:
    match = _TRAILING.match(text)
    if not match:
        return None
    food, quantity, unit_words = match.group(1), match.group(2), match.group(3)
    unit, after = _unit_at_start(unit_words)
    if unit is None or after:
        return None
    return _named(quantity, unit, food)


def _unit_at_start(words: str) -> tuple[str | None, str]:
    """(the unit words at the start, as written, with a size word before a vague measure;
    the words after them)."""
    size, rest = "", words
    first = _first_word(words)
    if first.lower() in vague_sizes() and words[len(first):].strip():
        size, rest = first, words[len(first):].strip()
    unit, after = leading_unit(rest)
    if unit is None:
        return None, words
    if size and not unit.vague:
        return None, words
    taken = _taken(rest, after)
    return " ".join(p for p in (size, taken) if p), after


def _taken(words: str, after: str) -> str:
    """The start of `words` that `leading_unit` read as the unit, as written."""
    if not after:
        return words.strip(_EDGES)
    tokens = words.replace(",", " , ").split()
    n = len(tokens) - len(after.replace(",", " , ").split())
    return " ".join(t for t in tokens[:n] if t != ",")


def _first_word(text: str) -> str:
    return text.split(" ", 1)[0] if text else ""


def _named(quantity: str, unit: str, food: str) -> NamedAmount | None:
    food = food.strip(_EDGES)
    if not food or not any(c.isalpha() for c in food):
        return None
    return NamedAmount(quantity, unit, food)
