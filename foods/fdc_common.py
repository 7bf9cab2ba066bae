"""What FoodData Central's CSV download and its API have in common: which nutrient ids we
read, how a household portion is written, and how an FDC food becomes a FoodTable row."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from nutrigap.analyzer.food_table import (
    ALIAS_COLUMNS,
    DESCRIPTION_COLUMNS,
    FOOD_COLUMNS,
    PORTION_COLUMNS,
    FoodTable,
)
from nutrigap.analyzer.nutrients import FDC_VITAMIN_D_IU, IU_PER_UG_VITAMIN_D, NUTRIENT_KEYS
from nutrigap.foods.tags import derive_tags

ADDED_B12 = "vitamin_b12_added_ug"
# Where each of our nutrients comes from in FDC. A key with several rows takes the lowest
# `preference` the food has: Foundation foods often give energy only as the Atwater figures
# (2048 specific, 2047 general), and older SR entries give vitamin D only in IU.
_SOURCE_ROWS = [
    # FDC id, number, key, FDC unit, factor into our unit, preference
    (1090, 304, "magnesium_mg", "MG", 1.0, 1),
    (1087, 301, "calcium_mg", "MG", 1.0, 1),
    (1092, 306, "potassium_mg", "MG", 1.0, 1),
    (1114, 328, "vitamin_d_ug", "UG", 1.0, 1),
    (FDC_VITAMIN_D_IU, 324, "vitamin_d_ug", "IU", 1 / IU_PER_UG_VITAMIN_D, 2),
    (1178, 418, "vitamin_b12_ug", "UG", 1.0, 1),
    (1175, 415, "vitamin_b6_mg", "MG", 1.0, 1),
    (1008, 208, "energy_kcal", "KCAL", 1.0, 1),
    (2048, 958, "energy_kcal", "KCAL", 1.0, 2),
    (2047, 957, "energy_kcal", "KCAL", 1.0, 3),
    (1057, 262, "caffeine_mg", "MG", 1.0, 1),
    (1018, 221, "alcohol_g", "G", 1.0, 1),
    (1051, 255, "water_g", "G", 1.0, 1),
    (1093, 307, "sodium_mg", "MG", 1.0, 1),
    # Not reported: added B12 marks a fortified food whose description does not say so.
    (1246, 578, ADDED_B12, "UG", 1.0, 1),
]
NUTRIENT_SOURCES = pd.DataFrame(
    _SOURCE_ROWS, columns=["fdc_nutrient_id", "number", "key", "unit", "factor", "preference"]
)
# Nutrient numbers are below 1000 and nutrient ids above, so one lookup can take either:
# search results and abridged items name nutrients by number, full items by id.
_BY_ID_OR_NUMBER = pd.concat([
    NUTRIENT_SOURCES.set_index("fdc_nutrient_id"),
    NUTRIENT_SOURCES.set_index("number"),
])
#: FDC nutrient ids and numbers nutrigap keeps
READ_NUTRIENTS = frozenset(int(n) for n in _BY_ID_OR_NUMBER.index)
_UNIT_SPELLINGS = {"MCG": "UG"}

#: FDC data types nutrigap reads, in the CSV spelling and the API spelling
DATA_TYPES = {
    "sr_legacy_food": "sr_legacy",
    "foundation_food": "foundation",
    "survey_fndds_food": "survey",
    "SR Legacy": "sr_legacy",
    "Foundation": "foundation",
    "Survey (FNDDS)": "survey",
    "Branded": "branded",  # API only: a CSV download's branded foods are not read
}
BRANDED = "branded"
#: The food table's `source` of each kind; other FDC foods are "fdc"
SOURCE_OF_KIND = {BRANDED: "fdc_branded"}
UNDETERMINED_UNIT = "undetermined"

# "1 cup", "1/2 cup", "1 1/2 cups", "1-1/2 cups", "2.5 oz": a leading quantity, then words.
_LEADING_QUANTITY = re.compile(
    r"^\s*(?P<whole>\d+(?:\.\d+)?)?(?:(?:^|[ -])(?P<num>\d+)/(?P<den>\d+))?\s+(?P<rest>\S.*)$"
)


def normal_unit(unit: object) -> str:
    """FDC writes µg as 'UG', 'µg' or 'mcg' depending on the file; one spelling for all."""
    # Replaced before upper-casing: "µ".upper() is the Greek capital mu.
    text = str(unit or "").strip().replace("µ", "u").replace("μ", "u").upper()
    return _UNIT_SPELLINGS.get(text, text)


def unexpected_unit(nutrient: int, unit: object) -> str | None:
    """The unit we expect when `nutrient` (an FDC id or number we read) comes in another one."""
    if nutrient not in _BY_ID_OR_NUMBER.index or not normal_unit(unit):
        return None  # not ours, or no unit given to check
    expected = _BY_ID_OR_NUMBER.loc[[nutrient], "unit"].iloc[0]
    return None if normal_unit(unit) == expected else expected


def nutrient_values(rows: pd.DataFrame) -> pd.DataFrame:
    """Long rows (fdc_id, nutrient = FDC id or number, amount per 100 g) -> one row per
    fdc_id with every nutrient key in our units and ADDED_B12; NaN where the food gives
    no value."""
    rows = rows[rows["nutrient"].isin(_BY_ID_OR_NUMBER.index) & rows["amount"].notna()]
    source = _BY_ID_OR_NUMBER.loc[rows["nutrient"]]
    long = pd.DataFrame({
        "fdc_id": rows["fdc_id"].to_numpy(),
        "key": source["key"].to_numpy(),
        "preference": source["preference"].to_numpy(),
        "value": rows["amount"].to_numpy(dtype=float) * source["factor"].to_numpy(),
    })
    best = (long.sort_values("preference", kind="stable")
            .drop_duplicates(["fdc_id", "key"]))
    wide = best.pivot(index="fdc_id", columns="key", values="value")
    return wide.reindex(columns=[*NUTRIENT_KEYS, ADDED_B12]).astype(float)


def portion_text(amount: object, unit_name: object, modifier: object,
                 portion_description: object) -> tuple[float, str] | None:
    """One FDC portion as (amount, description) the way SR28 WEIGHT writes it
    (1, "cup, chopped"); None when it names no measure at all."""
    unit = _text(unit_name)
    modifier = _text(modifier)
    described = _text(portion_description)
    count = _number(amount)
    if unit and unit != UNDETERMINED_UNIT:
        # Foundation: a real unit plus an optional modifier; the portion description there is
        # a remark ("1 slice is 1/8 of a 14 inch pizza"), not the measure.
        return (count or 1.0), ", ".join(t for t in (unit, modifier) if t)
    if described:
        # FNDDS: the measure, amount included, is the portion description ("1/2 cup"); its
        # modifier is a numeric code, not words.
        return _split_quantity(described, count)
    if modifier:
        # SR Legacy: the measure words sit in the modifier ("cup, chopped").
        return (count or 1.0), modifier
    return None


def additional_descriptions(food_ids, texts) -> pd.DataFrame:
    """FNDDS's additional descriptions, one row per food and text: USDA writes several in
    one cell separated by semicolons ("3.5% or 3.8% fat milk; leche fresca")."""
    rows = dict.fromkeys((food_id, part.strip())
                         for food_id, text in zip(food_ids, texts, strict=True)
                         if isinstance(text, str) for part in text.split(";") if part.strip())
    return pd.DataFrame(list(rows), columns=DESCRIPTION_COLUMNS, dtype=object)


def build_table(foods: pd.DataFrame, values: pd.DataFrame, portions: pd.DataFrame,
                descriptions: pd.DataFrame | None = None) -> FoodTable:
    """A FoodTable from FDC foods (fdc_id, kind, description, food_group, ndb_number, and
    optionally a display name where it is not the description and a survey food's FNDDS
    food_code), nutrient_values(), raw portions (fdc_id, seq, amount, unit_name, modifier,
    portion_description, gram_weight) and optionally additional descriptions (fdc_id, text)."""
    foods = foods.drop_duplicates("fdc_id", keep="first")
    fdc_ids = foods["fdc_id"].astype("int64").to_numpy()
    ndb = pd.to_numeric(foods["ndb_number"], errors="coerce").to_numpy(dtype=float)
    is_sr = (foods["kind"].to_numpy() == "sr_legacy") & ~np.isnan(ndb)
    # SR Legacy is the last SR release, so its NDB number makes it the same food as in SR28;
    # a survey food's code makes it the same food as in FNDDS's own tables.
    ndb_no = [f"{int(n):05d}" if sr else None for n, sr in zip(ndb, is_sr, strict=True)]
    codes = _food_codes(foods)
    food_ids = [f"sr:{n}" if n else f"fndds:{c}" if c else f"fdc:{i}"
                for n, c, i in zip(ndb_no, codes, fdc_ids, strict=True)]
    description = foods["description"].fillna("").astype(str).str.strip().to_numpy()
    group = foods["food_group"].fillna("").astype(str).to_numpy()
    name = (foods["name"].where(foods["name"].notna() & (foods["name"] != ""),
                                foods["description"]).fillna("").astype(str).str.strip()
            .to_numpy() if "name" in foods else description)

    table = pd.DataFrame(
        {
            "name": name,
            "source": foods["kind"].map(SOURCE_OF_KIND).fillna("fdc").to_numpy(),
            "ndb_no": ndb_no,
            "fdc_id": pd.array(fdc_ids, dtype="Int64"),
            "usda_description": description,
            "food_group": group,
        },
        index=pd.Index(food_ids, name="food_id"),
    )
    table = table[~table.index.duplicated(keep="first")]
    by_fdc = values.reindex(table["fdc_id"].astype("int64").to_numpy())
    for key in NUTRIENT_KEYS:
        table[key] = by_fdc[key].to_numpy(dtype=float)
    fortified = pd.Series(by_fdc[ADDED_B12].to_numpy(dtype=float) > 0, index=table.index)
    table["tags"] = derive_tags(table["usda_description"], table["food_group"], fortified)
    id_of = pd.Series(table.index, index=table["fdc_id"].astype("int64").to_numpy())
    if descriptions is None or descriptions.empty:
        described = pd.DataFrame(columns=DESCRIPTION_COLUMNS, dtype=object)
    else:
        known = descriptions[descriptions["fdc_id"].isin(id_of.index)]
        described = pd.DataFrame({"food_id": id_of[known["fdc_id"]].to_numpy(),
                                  "text": known["text"].to_numpy()}, dtype=object)
    return FoodTable(table[FOOD_COLUMNS], _portions(portions, id_of),
                     pd.DataFrame(columns=ALIAS_COLUMNS, dtype=object), described)


def _food_codes(foods: pd.DataFrame) -> list[str | None]:
    """A survey food's FNDDS code where the foods give one, else None."""
    if "food_code" not in foods:
        return [None] * len(foods)
    survey = foods["kind"].to_numpy() == "survey"
    return [str(c) if s and isinstance(c, str) and c else None
            for c, s in zip(foods["food_code"], survey, strict=True)]


def _portions(raw: pd.DataFrame, id_of: pd.Series) -> pd.DataFrame:
    raw = raw[raw["fdc_id"].isin(id_of.index)]
    rows = []
    for fdc_id, seq, amount, unit, modifier, described, grams in zip(
            raw["fdc_id"], raw["seq"], raw["amount"], raw["unit_name"], raw["modifier"],
            raw["portion_description"], raw["gram_weight"], strict=True):
        text = portion_text(amount, unit, modifier, described)
        weight = _number(grams)
        # A portion without a positive weight cannot turn a logged amount into grams; keeping
        # it would make such an item count as 0 g instead of being reported as unconverted.
        if text is None or weight is None or weight <= 0:
            continue
        rows.append((id_of[int(fdc_id)], _number(seq), text[0], text[1], weight))
    portions = pd.DataFrame(rows, columns=PORTION_COLUMNS)
    # Where FDC gives no sequence number, keep the order the portions came in.
    order = portions.groupby("food_id").cumcount() + 1
    portions["seq"] = portions["seq"].fillna(order)
    # Typed even when empty (search results), so merging tables keeps the column types.
    portions = portions.astype({"seq": int, "amount": float, "description": object,
                                "grams": float})
    return portions.sort_values(["food_id", "seq"], kind="stable", ignore_index=True)


def _split_quantity(text: str, fallback: float | None) -> tuple[float, str]:
    match = _LEADING_QUANTITY.match(text)
    if not match or not (match["whole"] or match["num"]):
        return (fallback or 1.0), text
    quantity = float(match["whole"] or 0)
    if match["num"]:
        if int(match["den"]) == 0:
            return (fallback or 1.0), text
        quantity += int(match["num"]) / int(match["den"])
    if quantity <= 0:
        return (fallback or 1.0), text
    return quantity, match["rest"].strip()


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number

