"""Supplements logged by nutrient ("supplement: magnesium", 200, mg) turned into amounts.

Names are data in `analyzer/data/supplements.csv` (`name, nutrient`) and the units each
nutrient's dose may be given in are in `analyzer/data/supplement_units.csv`
(`nutrient, unit, spelling, factor`; factor converts to our unit, e.g. IU x 0.025 = µg of
vitamin D).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nutrigap.analyzer.limits import MAX_ROW_NUTRIENT
from nutrigap.analyzer.logs.amounts import AmountError, parse_amount
from nutrigap.analyzer.nutrients import NUTRIENTS
from nutrigap.analyzer.rule_tables import rule_table

PREFIX = re.compile(r"^\s*supplement\s*:\s*", re.IGNORECASE)
_PUNCT = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Dose:
    """One supplement row: the nutrient it supplies and the amount in our unit."""

    nutrient: str
    value: float
    quantity: float
    unit: str  # as the label gives it: mg, µg, IU, g


def _name_key(text: str) -> str:
    text = text.lower().replace("vit.", "vitamin ").replace("vit ", "vitamin ")
    return _PUNCT.sub(" ", text).strip()


def _unit_key(text: str) -> str:
    return text.lower().replace("µ", "u").replace("μ", "u").strip().rstrip(".").strip()


@functools.cache
def supplement_names() -> dict[str, str]:
    """Normalised supplement name -> nutrient key."""
    table = rule_table("supplements.csv")
    return {_name_key(n): k for n, k in zip(table["name"], table["nutrient"], strict=True)}


@functools.cache
def supplement_units() -> dict[tuple[str, str], tuple[str, float]]:
    """(nutrient key, normalised unit spelling) -> (unit as shown, factor to our unit)."""
    table = rule_table("supplement_units.csv")
    return {(row.nutrient, _unit_key(row.spelling)): (row.unit, row.factor)
            for row in table.itertuples()}


@functools.cache
def compound_fractions() -> dict[str, float]:
    """Normalised compound name -> the share of its weight that is the mineral, from
    `analyzer/data/supplement_compounds.csv` (calcium carbonate -> 0.40)."""
    table = rule_table("supplement_compounds.csv")
    return {_name_key(c): f for c, f in zip(table["compound"], table["fraction"], strict=True)}


def compound_note(name: str, dose: Dose) -> str | None:
    """For a dose of a mineral named by its compound ("calcium carbonate", 1250 mg), what the
    amount would give if it were the weight of the compound; None for any other dose."""
    fraction = compound_fractions().get(_name_key(name))
    if fraction is None or dose.unit == "IU":
        return None
    mineral = _nutrient_name(dose.nutrient)
    unit = NUTRIENTS.at[dose.nutrient, "unit"]
    return (f"{_amount(dose.value)} {unit} of {name} is counted as {_amount(dose.value)} {unit} "
            f"of {mineral} itself; if it is the weight of the {name} (the tablet's figure, "
            f"not \"elemental {mineral}\"), the {mineral} is about "
            f"{_amount(dose.value * fraction)} {unit} ({name} is {fraction:.0%} {mineral}): "
            f"write that amount instead")


def _amount(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"


def is_supplement(food: pd.Series) -> pd.Series:
    """True where a food cell logs a supplement ("supplement: vitamin D")."""
    codes, uniques = pd.factorize(food)
    found = np.array([bool(PREFIX.match(str(u))) for u in uniques] + [False])
    return pd.Series(found[codes], index=food.index)


def supplement_name(name: str) -> str | None:
    """The part of `name` that names a supplement: the whole name or its first field
    ("Magnesium Glycinate, Doctor's Best" -> "Magnesium Glycinate"); None for any other name."""
    names = supplement_names()
    for candidate in (str(name).strip(), str(name).split(",")[0].strip()):
        if _name_key(candidate) in names:
            return candidate
    return None


def named_nutrient(name: str) -> str | None:
    """The nutrient a supplement name stands for (see `supplement_name`), or None."""
    known = supplement_name(name)
    return None if known is None else supplement_names()[_name_key(known)]


def named_supplements(food: pd.Series) -> pd.Series:
    """True where a food cell is a supplement's name ("vitamin D", "Vitamin D3, NOW Foods")."""
    codes, uniques = pd.factorize(food)
    found = np.array([named_nutrient(str(u)) is not None for u in uniques] + [False])
    return pd.Series(found[codes], index=food.index)


def strip_prefix(food: str) -> str:
    """The text after "supplement:"."""
    return PREFIX.sub("", food).strip()


def unprefixed_message(name: str) -> str:
    """What to write for a food cell that names a supplement without "supplement:"."""
    known = supplement_name(name)
    nutrient = named_nutrient(name)
    if known is None or nutrient is None:
        raise ValueError(f"{name!r} does not name a supplement")
    return (f"is a supplement; write supplement: {known} in food, with the dose as the label "
            f"prints it ({_accepted_units(nutrient)}), so it is counted as a supplement")


def _accepted_units(nutrient: str) -> str:
    seen: list[str] = []
    for (key, _), (unit, _) in supplement_units().items():
        if key == nutrient and unit not in seen:
            seen.append(unit)
    return ", ".join(seen[:-1]) + f" or {seen[-1]}" if len(seen) > 1 else seen[0]


def _nutrient_name(key: str) -> str:
    name = NUTRIENTS.at[key, "name"]
    return name if name.startswith("Vitamin") else name.lower()


@functools.lru_cache(maxsize=4096)
def supplement_dose(name: str, amount: str, unit: str = "", *,
                    decimal_comma: bool = False) -> Dose:
    """The nutrient and amount one supplement row supplies; raises AmountError naming the
    cell ("food" for an unknown supplement, "unit" for a unit that does not fit)."""
    nutrient = named_nutrient(name)
    if nutrient is None:
        raise AmountError("food", "is not a supplement nutrigap analyses; write supplement: "
                                  "followed by magnesium, calcium, potassium, vitamin D, B12, "
                                  "B6, caffeine or sodium (one row per nutrient)")
    parsed = parse_amount(amount, unit, decimal_comma=decimal_comma)
    accepted = supplement_units().get((nutrient, _unit_key(parsed.words)))
    if accepted is None:
        column, verb = ("unit", "is not a unit") if unit.strip() else ("amount", "has no unit")
        raise AmountError(column, f"{verb} for a {_nutrient_name(nutrient)} dose; give the "
                                  f"amount taken in {_accepted_units(nutrient)} as the label "
                                  "prints it (for 2 capsules of 100 mg write 200 and mg)")
    shown, factor = accepted
    if not parsed.quantity * factor <= MAX_ROW_NUTRIENT:
        raise AmountError("amount", f"is more {_nutrient_name(nutrient)} than any dose holds "
                                    f"(at most {MAX_ROW_NUTRIENT:,.0f} "
                                    f"{NUTRIENTS.at[nutrient, 'unit']}); check the number and "
                                    "the unit")
    return Dose(nutrient, parsed.quantity * factor, parsed.quantity, shown)
