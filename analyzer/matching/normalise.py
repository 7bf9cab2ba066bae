"""Food names reduced to comparable words: case, accents, punctuation, plurals, spellings.

The rules (British and American spellings, common typos, plural endings, filler words) are
data in `analyzer/data/spellings.toml`; this module only applies them. The same function is
applied to what people type and to the food table, so a rule that is imperfect English
(cookies -> cookie, kelloggs -> kellogg) still makes both sides agree.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

import pandas as pd

from nutrigap.analyzer.rule_tables import rule_sections

_TOKEN = re.compile(r"\d+(?:\.\d+)?%?|[a-z]+\d*")
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
MIN_STEM = 3  # "peas" -> "pea" but "gas" and "yes" stay whole


@dataclass(frozen=True)
class SpellingRules:
    """The rewriting rules, grouped by kind, in the order the table lists them."""

    patterns: re.Pattern[str] | None  # every pattern in one alternation, in table order
    pattern_to: dict[str, str]  # group name -> replacement
    phrases: re.Pattern[str] | None  # every phrase in one alternation, longest first
    phrase_to: dict[str, str]
    words: dict[str, str]
    keep: frozenset[str]
    suffixes: tuple[tuple[str, str], ...]
    stop: frozenset[str]


def read_spelling_rules(sections: Mapping[str, pd.DataFrame]) -> SpellingRules:
    """Build the rules from {kind: rows}, as `spellings.toml` gives them; a kind left out
    has no rules."""

    def column(kind: str, name: str) -> list[str]:
        rows = sections.get(kind)
        return [] if rows is None else [str(v) for v in rows[name]]

    def pairs(kind: str, name: str) -> list[tuple[str, str]]:
        return list(zip(column(kind, name), column(kind, "to"), strict=True))

    found = pairs("pattern", "pattern")
    patterns = "|".join(f"(?P<p{i}>{f})" for i, (f, _) in enumerate(found))
    phrase_to = dict(pairs("phrase", "phrase"))
    alternatives = "|".join(re.escape(f) for f in sorted(phrase_to, key=len, reverse=True))
    return SpellingRules(
        patterns=re.compile(patterns) if found else None,
        pattern_to={f"p{i}": t for i, (_, t) in enumerate(found)},
        phrases=re.compile(rf"\b(?:{alternatives})\b") if phrase_to else None,
        phrase_to=phrase_to,
        words=dict(pairs("word", "word")),
        keep=frozenset(column("keep", "word")),
        suffixes=tuple(pairs("suffix", "ending")),
        stop=frozenset(column("stop", "word")),
    )


@functools.cache
def default_rules() -> SpellingRules:
    """The rules shipped with nutrigap."""
    return read_spelling_rules(rule_sections("spellings.toml"))


def fold(text: str) -> str:
    """Lower case without accents or apostrophes: "Jalapeño McDONALD'S" -> "jalapeno mcdonalds"."""
    text = str(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _APOSTROPHES.sub("", text.lower()).replace("&", " and ")


def singular(word: str, rules: SpellingRules | None = None) -> str:
    """A word's singular form by the suffix rules ("berries" -> "berry", "peas" -> "pea")."""
    rules = rules or default_rules()
    if word in rules.keep or not word.isalpha():
        return word
    for ending, replacement in rules.suffixes:
        if word.endswith(ending):
            stem = word[: len(word) - len(ending)]
            if len(stem) + len(replacement) < MIN_STEM:
                return word
            return stem + replacement
    return word


@functools.lru_cache(maxsize=65536)
def _default_singular(word: str) -> str:
    return singular(word, default_rules())


def words(text: str, rules: SpellingRules | None = None) -> list[str]:
    """The meaningful words of a food name, in order, after every spelling rule."""
    if rules is None:
        return list(_default_words(str(text)))
    return _words(text, rules)


@functools.lru_cache(maxsize=65536)
def _default_words(text: str) -> tuple[str, ...]:
    # The same descriptions are normalised again by every Matcher built in one process.
    return tuple(_words(text, default_rules()))


def _words(text: str, rules: SpellingRules) -> list[str]:
    text = fold(text)
    if rules.patterns is not None:
        # One pass over the text for all patterns; the earliest, then first listed, wins.
        text = rules.patterns.sub(lambda m: _replacement(m, rules.pattern_to), text)
    text = " ".join(_TOKEN.findall(text))
    if rules.phrases is not None:
        text = rules.phrases.sub(lambda m: rules.phrase_to[m.group(0)], text)
    one = _default_singular if rules is default_rules() else (lambda w: singular(w, rules))
    out: list[str] = []
    for token in text.split():
        rewritten = rules.words.get(token)
        if rewritten is not None:
            out.extend(rewritten.split())
        else:
            out.append(one(token))
    # "nonfat or fat free" says fatfree twice; a repeated word adds nothing.
    return list(dict.fromkeys(w for w in out if w not in rules.stop))


def _replacement(match: re.Match[str], replacements: dict[str, str]) -> str:
    for name, value in match.groupdict().items():
        if value is not None and name in replacements:
            return replacements[name]
    return ""


def light_words(text: str, rules: SpellingRules | None = None) -> list[str]:
    """A name's words with case, accents, plurals and filler words evened out but no word
    rewritten: "Oatmeal" stays oatmeal here, while `words` reads it as oat, the grain USDA
    files it under, and so cannot tell it from "oats"."""
    if rules is None:
        return list(_default_light_words(str(text)))
    return _light_words(str(text), rules)


@functools.lru_cache(maxsize=65536)
def _default_light_words(text: str) -> tuple[str, ...]:
    return tuple(_light_words(text, default_rules()))


def _light_words(text: str, rules: SpellingRules) -> list[str]:
    tokens = (singular(t, rules) for t in _TOKEN.findall(fold(text)))
    return list(dict.fromkeys(t for t in tokens if t not in rules.stop))


def normalise(text: str, rules: SpellingRules | None = None) -> str:
    """A food name as comparable text: "Greek Yoghurts, plain" -> "greek yogurt plain"."""
    return " ".join(words(text, rules))


def name_key(text: str, rules: SpellingRules | None = None) -> str:
    """An order-free key, so "raw spinach" and "Spinach, Raw" look the same up."""
    return " ".join(sorted(set(words(text, rules))))


def first_field(text: str, rules: SpellingRules | None = None) -> list[str]:
    """The words before the first comma: USDA puts the main food there ("Spinach, raw")."""
    return words(str(text).split(",", 1)[0], rules)


Value = TypeVar("Value", bound=Hashable)


class NameLookup(Generic[Value]):
    """Values found by a normalised name: in its own word order, or in any order when no
    other name has the same words in another order ("raw spinach" finds "Spinach, raw",
    but "milk chocolate" does not find chocolate milk)."""

    def __init__(self, replaces: Callable[[Value, Value], bool] | None = None):
        # replaces(new, old): whether a later value takes over a name an earlier one has
        self._replaces = replaces or (lambda new, old: False)
        self._ordered: dict[str, Value] = {}
        self._any_order: dict[str, Value | None] = {}
        self._order_of: dict[str, str] = {}

    def add(self, name_words: list[str], value: Value) -> None:
        """Let these normalised words find `value`."""
        text = " ".join(name_words)
        if not text:
            return
        self._keep(self._ordered, text, value)
        key = " ".join(sorted(set(name_words)))
        if key in self._any_order and (self._any_order[key] is None
                                       or self._order_of[key] != text):
            self._any_order[key] = None  # the same words in two orders name two things
        else:
            self._order_of[key] = text
            self._keep(self._any_order, key, value)

    def _keep(self, table: dict, key: str, value: Value) -> None:
        old = table.get(key)
        if old is None or (old != value and self._replaces(value, old)):
            table[key] = value

    def find(self, name_words: list[str], any_order: bool = True) -> Value | None:
        """The value these normalised words name, if exactly one; with `any_order` False,
        only a name with the words in this order."""
        found = self._ordered.get(" ".join(name_words))
        if found is None and any_order:
            found = self._any_order.get(" ".join(sorted(set(name_words))))
        return found
