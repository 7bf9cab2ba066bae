"""Brand-name products from FoodData Central's Branded Foods: the name a meal log uses, what
the nutrients are per, and the package's serving as a portion.

A Branded food holds the values printed on its label. FoodData Central gives its nutrients per
100 g, or per 100 ml when the label's serving is a volume. nutrigap counts per 100 g, so:

- a serving in grams gives the nutrients as they are and a portion of that many grams;
- a serving in ml is turned into grams at 1 g per ml only for the drinks whose FoodData
  Central category is listed in `data/branded_drinks.csv` (milks, plant milks, juices, soft
  drinks: all within 6% of water); any other food served by volume (syrup, oil, sauce) is
  not stored, since its density is not known;
- a serving in any other unit, or none, leaves the basis of the values unknown: not stored.

The food is named "Brand, Description" ("Oatly, Oat milk"), and its USDA description has the
brand in capitals ("OATLY, Oat milk") as SR28 writes brands, which is how the matcher knows a
brand: it offers the product only to a name that says the brand.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from nutrigap.analyzer.matching import exclusions
from nutrigap.analyzer.rule_specs import Table, text
from nutrigap.analyzer.rule_tables import rule_table

# One row per Branded Foods category whose drinks count at 1 g per ml, with why.
BRANDED_DRINKS = Table("branded_drinks.csv", (text("category"), text("why")),
                       unique=("category",), package="nutrigap.foods")
_UNITS = {"g": "g", "grm": "g", "gram": "g", "grams": "g",
          "ml": "ml", "mlt": "ml", "milliliter": "ml", "milliliters": "ml"}
# labelNutrients (per serving) that stand in for a value foodNutrients lacks: FDC nutrient id.
_LABEL_NUTRIENTS = {"calcium": 1087, "potassium": 1092, "calories": 1008, "sodium": 1093}
# A word that starts with a letter; one that starts with a digit ("7UP") is kept as written.
_WORD = re.compile(r"\b[^\W\d_][^\W_]*(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class Branded:
    """One Branded item read for the food table; `problem` says why it cannot be stored."""

    name: str
    description: str  # the brand in capitals, then the description
    grams_per_serving: float | None
    portions: list[tuple[float, str, float]] = field(default_factory=list)
    label_values: list[tuple[int, float]] = field(default_factory=list)  # per 100 g
    problem: str = ""
    note: str = ""


def read_branded(item: dict) -> Branded:
    """The name, serving and portions of a Branded item (a full BrandedFoodItem or a search
    result), or the reason it cannot be used."""
    fdc_id = item.get("fdcId")
    brand = _text(item.get("brandName")) or _text(item.get("brandOwner"))
    description = _drop_brand(_text(item.get("description")), brand)
    name = ", ".join(t for t in (_title(brand), _sentence(description)) if t)
    usda = ", ".join(t for t in (brand.upper(), _sentence(description).lower().capitalize())
                     if t)
    what = f'FoodData Central food {fdc_id} "{name}"'
    if not brand:
        return Branded(name, usda, None, problem=(
            f"{what} names no brand (no brandName or brandOwner), so it could not be told "
            "apart from a generic food; not saved; fetch the product by another id"))
    size = _number(item.get("servingSize"))
    written = _text(item.get("servingSizeUnit"))
    unit = _UNITS.get(written.lower())
    # Full records name the category brandedFoodCategory, search results foodCategory.
    category = _text(item.get("brandedFoodCategory")) or _text(item.get("foodCategory"))
    if unit is None:
        told = f"in {written!r}" if written else "without a unit"
        return Branded(name, usda, None, problem=(
            f"{what} gives its serving {told}, not g or ml, so it is not known what its "
            "nutrient values are per; not saved; log the product as a similar generic food "
            "with a --matches file"))
    if unit == "ml" and category.lower() not in drink_categories():
        return Branded(name, usda, None, problem=(
            f"{what} gives its serving in ml and its values per 100 ml, and it is not a drink "
            f"(category {category!r}), so its weight per ml is not known; not saved; log it "
            "as a similar generic food with a --matches file"))
    notes = [f"{what} gives its values per 100 ml; as a drink (category {category!r}) it is "
             "counted at 1 g per ml" if unit == "ml" else "", _unrecognised(what, brand)]
    if size is None or size <= 0:
        notes.insert(0, f"{what} gives no serving size; saved without a serving portion, so "
                        f"log it in {'grams' if unit == 'g' else 'ml'}")
        # A drink's ml still weigh at its 1 g per ml.
        return Branded(name, usda, None, [(100.0, "ml", 100.0)] if unit == "ml" else [],
                       note="; ".join(n for n in notes if n))
    grams = size  # a listed drink counts 1 g per ml
    portions = [(1.0, "serving", grams)]
    if unit == "ml":  # the label's own volume, so that "200 ml" is 200 g, not cups' worth
        portions.insert(0, (size, "ml", grams))
    household = _text(item.get("householdServingFullText")).lower()
    if household and household != "serving":
        portions.insert(0, (None, household, grams))
    return Branded(name, usda, grams, portions, _label_values(item, grams),
                   note="; ".join(n for n in notes if n))


def _unrecognised(what: str, brand: str) -> str:
    """A note when the matcher would not take the brand for one ("7UP": no run of capital
    letters it reads as a brand), so that plain names may be matched to the product."""
    if exclusions().reasons("", brand.upper()):
        return ""
    return (f"{what}: the matcher does not read {brand!r} as a brand, so a name without it "
            "may be matched to this product; check the report's list of matches")


@functools.cache
def drink_categories() -> frozenset[str]:
    """The Branded food categories served by volume that count 1 g per ml (lower case)."""
    return frozenset(c.strip().lower() for c in rule_table(BRANDED_DRINKS)["category"])


def _label_values(item: dict, grams: float) -> list[tuple[int, float]]:
    """Label values per serving as (FDC nutrient id, amount per 100 g)."""
    label = item.get("labelNutrients")
    if not isinstance(label, dict):
        return []
    out = []
    for key, nutrient in _LABEL_NUTRIENTS.items():
        value = _number((label.get(key) or {}).get("value")
                        if isinstance(label.get(key), dict) else None)
        if value is not None and value >= 0:
            out.append((nutrient, value * 100 / grams))
    return out


def _drop_brand(description: str, brand: str) -> str:
    """The description without the brand it may start with ("OATLY OAT MILK")."""
    if brand and description.lower().startswith(brand.lower()):
        rest = description[len(brand):].lstrip(" ,-")
        if rest and not description[len(brand)].isalnum():
            return rest
    return description


def _title(text: str) -> str:
    """A brand written in capitals, cased as on its package ("BEN & JERRY'S" -> "Ben &
    Jerry's"); one with small letters is kept as it is."""
    if any(c.islower() for c in text):
        return text
    return _WORD.sub(lambda m: m[0][0].upper() + m[0][1:].lower(), text)


def _sentence(text: str) -> str:
    """A description written in capitals as a sentence ("OAT MILK, ORIGINAL" -> "Oat milk,
    original"); one with small letters is kept as it is."""
    if any(c.islower() for c in text):
        return text
    return text.lower().capitalize()


def _text(value: object) -> str:
    return str(value).strip() if isinstance(value, str) else ""


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else number
