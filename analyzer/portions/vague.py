"""Everyday measures of no fixed size (a handful, a glass, a mug, a bowl, a splash, a
serving) weighed by an estimate for the kind of food.

A food's own USDA portion of that name weighs it first when `vague_measures.csv` says so
(FNDDS's "1 glass" of wine is 6 fl oz). Otherwise `vague_amounts.csv` says what one measure
of the food's kind holds (a handful of nuts 1 oz, a bowl of soup 1 1/2 cups), with its
basis; a size word before the measure (`vague_sizes.csv`: "big handful") scales it. A food
of several kinds takes the first of them the table has an estimate for; a kind without one
leaves the item unweighed, with the measure's advice.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from nutrigap.analyzer.logs.units import Unit, lookup_unit, vague_measure, vague_sizes
from nutrigap.analyzer.rule_tables import rule_table


@dataclass(frozen=True)
class Estimate:
    """What one vague measure of a food is taken to hold: `amount` of `unit` (a mass or a
    volume), the size word's factor included, and the words the report shows."""

    amount: float
    unit: Unit
    kind: str
    basis: str
    size: str  # the size word written ("big"), "" for none


@functools.cache
def _measures() -> dict[str, bool]:
    table = rule_table("vague_measures.csv")
    return dict(zip(table["word"], table["own_portion"], strict=True))


@functools.cache
def _amounts() -> dict[tuple[str, str], tuple[float, str, str]]:
    table = rule_table("vague_amounts.csv")
    return {(r.word, r.kind): (float(r.amount), r.unit, r.basis) for r in table.itertuples()}


def is_vague(unit: str) -> bool:
    """Whether a canonical unit is a vague measure (handful, glass, serving)."""
    return unit in _measures()


def own_portion_first(unit: str) -> bool:
    """Whether the food's own portion named by the measure weighs it before any estimate."""
    return bool(_measures().get(unit, False))


def estimate(unit: str, words: str, kinds: tuple[str, ...]) -> Estimate | None:
    """The estimate for one `unit` of a food of `kinds`, scaled by a size word at the start of
    `words` ("big handful"); None when no kind of the food has one."""
    size = words.split(" ", 1)[0] if " " in words else ""
    factor = vague_sizes().get(size, 1.0) if size else 1.0
    for kind in kinds:
        found = _amounts().get((unit, kind))
        if found is not None:
            amount, unit_name, basis = found
            measured = lookup_unit(unit_name)
            if measured is None or not measured.measured:
                raise ValueError(f"vague_amounts.csv: {unit_name!r} is not a mass or volume")
            return Estimate(amount * factor, measured, kind, basis,
                            size if size in vague_sizes() else "")
    return None


def no_estimate(unit: str, name: str) -> str:
    """Why a vague measure of a food cannot be weighed, and what to write instead."""
    advice = vague_measure(unit) or "is not a fixed size; write it in g or ml"
    return f'"{unit}" of {name} {advice}'


def described(est: Estimate, unit: str, grams_each: float) -> str:
    """The words the report shows for an estimated measure: 'one big handful (vegetable)
    taken as 1.5 cup (38 g), an estimate: <basis>'."""
    measure = f"{est.size} {unit}" if est.size else unit
    return (f"one {measure} ({est.kind}) taken as {est.amount:g} {est.unit.name} "
            f"({grams_each:.0f} g), an estimate: {est.basis}")
