"""Read USDA's FNDDS "At A Glance" tables (the survey foods behind NHANES / WWEIA, as
dietitians download them: xlsx sheets saved as CSV) into a FoodTable.

A folder holds three CSVs, under USDA's names ("2017-2018 FNDDS At A Glance - FNDDS Nutrient
Values.csv", "... - Portions and Weights.csv", "... - Foods and Beverages.csv") or renamed
("fndds1718_nutrient_values.csv"). Each starts with a title cell over two lines, then the
header; some header cells hold a line break ("Vitamin B-12, added\\n(mcg)").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nutrigap.analyzer.errors import FoodDataError
from nutrigap.analyzer.food_table import (
    ALIAS_COLUMNS,
    DESCRIPTION_COLUMNS,
    FOOD_COLUMNS,
    PORTION_COLUMNS,
    FoodTable,
)
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS
from nutrigap.foods.fdc_common import additional_descriptions, portion_text
from nutrigap.foods.tags import derive_tags

DOWNLOAD = ("download the FNDDS \"At A Glance\" tables from USDA's Food Surveys Research "
            "Group (ars.usda.gov, FNDDS download databases) and save each sheet as CSV")
CODE = "Food code"
DESCRIPTION = "Main food description"
CATEGORY = "WWEIA Category description"
ADDITIONAL = "Additional food description"
ADDED_B12 = "Vitamin B-12, added (mcg)"
# Our nutrient keys and the FNDDS column each is read from; all are per 100 g in our units.
NUTRIENT_COLUMNS = {
    "magnesium_mg": "Magnesium (mg)",
    "calcium_mg": "Calcium (mg)",
    "potassium_mg": "Potassium (mg)",
    "vitamin_d_ug": "Vitamin D (D2 + D3) (mcg)",
    "vitamin_b12_ug": "Vitamin B-12 (mcg)",
    "vitamin_b6_mg": "Vitamin B-6 (mg)",
    "energy_kcal": "Energy (kcal)",
    "caffeine_mg": "Caffeine (mg)",
    "alcohol_g": "Alcohol (g)",
    "water_g": "Water (g)",
    "sodium_mg": "Sodium (mg)",
}
PORTION = "Portion description"
WEIGHT = "Portion weight (g)"
SUBCODE = "Subcode"
NOT_SPECIFIED = "quantity not specified"


@dataclass(frozen=True)
class FnddsFile:
    """One of the At A Glance tables: words its file name holds, columns nutrigap reads."""

    role: str
    name_words: str  # in the file name, with _ and - read as spaces, any case
    usda_name: str  # the sheet name USDA gives it
    columns: tuple[str, ...]
    required: bool = True
    optional_columns: tuple[str, ...] = ()  # read when the file has them


FILES = (
    FnddsFile("nutrients", "nutrient values", "FNDDS Nutrient Values",
              (CODE, DESCRIPTION, CATEGORY, *NUTRIENT_COLUMNS.values(), ADDED_B12)),
    FnddsFile("portions", "portions and weights", "Portions and Weights",
              (CODE, SUBCODE, "Seq num", PORTION, WEIGHT)),
    FnddsFile("foods", "foods and beverages", "Foods and Beverages",
              (CODE, DESCRIPTION), required=False, optional_columns=(ADDITIONAL,)),
)


@dataclass
class FnddsRead:
    """The foods read, and what was left out on the way, for the import summary."""

    table: FoodTable
    notes: list[str] = field(default_factory=list)


def is_fndds_folder(folder: Path) -> bool:
    """Whether `folder` holds an FNDDS At A Glance table (any of the three), as CSV or as the
    workbook USDA ships (which read_fndds asks to save as CSV)."""
    return any(_role_of(p) for pattern in ("*.csv", "*.xlsx") for p in Path(folder).glob(pattern))


def read_fndds(folder: Path) -> FoodTable:
    """Every FNDDS food with our nutrients per 100 g, its WWEIA category as the food
    group, tags, household portions ("1 cup", "1 small", "1 pizza (12\\" diameter)") and,
    from the Foods and Beverages table, its additional descriptions."""
    return read_fndds_with_notes(folder).table


def read_fndds_with_notes(folder: Path) -> FnddsRead:
    """read_fndds, with notes saying which portions were left out and why."""
    folder = Path(folder)
    paths = find_files(folder)
    values = _read_csv(paths["nutrients"], FILES[0])
    foods = _foods(values, paths["nutrients"])
    descriptions = pd.DataFrame(columns=DESCRIPTION_COLUMNS, dtype=object)
    if "foods" in paths:
        listed = _read_csv(paths["foods"], FILES[2])
        _check_same_foods(listed, foods, paths)
        if ADDITIONAL in listed:
            descriptions = additional_descriptions("fndds:" + listed[CODE], listed[ADDITIONAL])
    portions, notes = _portions(_read_csv(paths["portions"], FILES[1]), foods.index,
                                paths["portions"])
    aliases = pd.DataFrame(columns=ALIAS_COLUMNS, dtype=object)
    return FnddsRead(FoodTable(foods, portions, aliases, descriptions), notes)


def find_files(folder: Path) -> dict[str, Path]:
    """{role: path} of the At A Glance CSVs in `folder`; an error naming what is missing."""
    if not folder.exists():
        raise FoodDataError(f"{folder} does not exist; give the folder that holds the FNDDS "
                            "At A Glance CSV files")
    if not folder.is_dir():
        raise FoodDataError(f"{folder} is a file; give the folder that holds the three FNDDS "
                            "At A Glance CSV files")
    found: dict[str, list[Path]] = {}
    for path in sorted(folder.glob("*.csv")):
        role = _role_of(path)
        if role:
            found.setdefault(role, []).append(path)
    for spec in FILES:
        paths = found.get(spec.role, [])
        if len(paths) > 1:
            raise FoodDataError(f"{folder} holds {len(paths)} \"{spec.usda_name}\" files "
                                f"({', '.join(p.name for p in paths)}); keep one release per "
                                "folder")
        if not paths and spec.required:
            # USDA ships one workbook per table; the one for this table, else any
            sheets = sorted((_role_of(p) != spec.role, p.name) for p in folder.glob("*.xlsx"))
            sheets = [name for _, name in sheets]
            hint = (f"; save the {spec.usda_name} sheet of {sheets[0]} as CSV" if sheets
                    else f"; {DOWNLOAD}")
            raise FoodDataError(f"{folder} has no CSV of the FNDDS \"{spec.usda_name}\" "
                                "table (a file named "
                                f"like \"2017-2018 FNDDS At A Glance - {spec.usda_name}.csv\")"
                                f"{hint}")
    return {role: paths[0] for role, paths in found.items()}


def _role_of(path: Path) -> str | None:
    name = " ".join(re.sub(r"[_\-]+", " ", path.stem.lower()).split())
    return next((spec.role for spec in FILES if spec.name_words in name), None)


def _read_csv(path: Path, spec: FnddsFile) -> pd.DataFrame:
    """The table under its header row, every cell as text; a `line` column gives the file
    line each row ends on, for messages."""
    text = _decode(path)
    reader = csv.reader(text.splitlines(keepends=True))
    header: list[str] | None = None
    rows, lines = [], []
    for row in reader:
        if header is None:
            cells = [" ".join(c.split()) for c in row]
            if cells and cells[0].lower() == CODE.lower():
                header = cells
            elif reader.line_num > 10:
                break
            continue
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise FoodDataError(f"{path} line {reader.line_num}: {len(row)} fields where the "
                                f"header has {len(header)}; the file is damaged or was cut "
                                f"short, {DOWNLOAD}")
        rows.append(row)
        lines.append(reader.line_num)
    if header is None:
        raise FoodDataError(f"{path} has no header row starting with \"{CODE}\"; it is not "
                            f"the FNDDS \"{spec.usda_name}\" table, {DOWNLOAD}")
    missing = [c for c in spec.columns if c not in header]
    if missing:
        raise FoodDataError(f"{path} has no {', '.join(repr(c) for c in missing)} column; it "
                            f"is not the FNDDS \"{spec.usda_name}\" table, {DOWNLOAD}")
    if not rows:
        raise FoodDataError(f"{path} has a header but no foods; {DOWNLOAD}")
    table = pd.DataFrame(rows, columns=header)
    read = [*spec.columns, *(c for c in spec.optional_columns if c in header)]
    table = table.loc[:, ~table.columns.duplicated()][read]
    table["line"] = lines
    _check_codes(table, path)
    return table


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise FoodDataError(f"{path} is empty; {DOWNLOAD}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" (not "CSV UTF-8") writes the Windows code page.
        return data.decode("cp1252", errors="replace")


def _check_codes(table: pd.DataFrame, path: Path) -> None:
    codes = table[CODE].str.strip()
    bad = ~codes.str.fullmatch(r"\d{5,8}")
    if bad.any():
        row = table[bad].iloc[0]
        raise FoodDataError(f"{path} line {row['line']}: {CODE} \"{row[CODE]}\" is not an "
                            f"FNDDS food code (8 digits); fix the cell or {DOWNLOAD}")
    table[CODE] = codes


def _numbers(table: pd.DataFrame, column: str, path: Path, signed: bool = False
             ) -> np.ndarray:
    """A column as float; an empty cell is unknown (NaN), text (or a negative number unless
    `signed`) is an error naming the line."""
    text = table[column].str.strip()
    numbers = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
    bad = numbers.isna() & (text != "")
    if bad.any():
        row = table[bad].iloc[0]
        raise FoodDataError(f"{path} line {row['line']}: {column} \"{row[column]}\" is not a "
                            f"number; fix the cell or {DOWNLOAD}")
    negative = (numbers < 0) & (not signed)
    if negative.any():
        row = table[negative].iloc[0]
        raise FoodDataError(f"{path} line {row['line']}: {column} \"{row[column]}\" is "
                            f"negative; fix the cell or {DOWNLOAD}")
    return numbers.to_numpy(dtype=float)


def _foods(values: pd.DataFrame, path: Path) -> pd.DataFrame:
    repeated = values[CODE].duplicated()
    if repeated.any():
        row = values[repeated].iloc[0]
        raise FoodDataError(f"{path} line {row['line']}: food code {row[CODE]} is listed "
                            f"twice; {DOWNLOAD}")
    description = values[DESCRIPTION].str.strip().to_numpy()
    group = values[CATEGORY].str.strip().to_numpy()
    foods = pd.DataFrame(
        {
            "name": description,
            "source": "fndds",
            "ndb_no": None,
            "fdc_id": pd.array([pd.NA] * len(values), dtype="Int64"),
            "usda_description": description,
            "food_group": group,
        },
        index=pd.Index("fndds:" + values[CODE], name="food_id"),
    )
    for key, column in NUTRIENT_COLUMNS.items():
        foods[key] = _numbers(values, column, path)
    fortified = pd.Series(_numbers(values, ADDED_B12, path) > 0, index=foods.index)
    foods["tags"] = derive_tags(foods["usda_description"], foods["food_group"], fortified)
    return foods[FOOD_COLUMNS].astype(dict.fromkeys(NUTRIENT_KEYS, float))


def _check_same_foods(listed: pd.DataFrame, foods: pd.DataFrame, paths: dict) -> None:
    """The Foods and Beverages table of another release would give foods no nutrients."""
    unknown = listed[~("fndds:" + listed[CODE]).isin(foods.index)]
    if len(unknown):
        row = unknown.iloc[0]
        raise FoodDataError(
            f"{paths['foods']} line {row['line']}: food code {row[CODE]} is not in "
            f"{paths['nutrients'].name} ({len(unknown)} codes are not); the two files are "
            "from different FNDDS releases, keep the tables of one release together")


def _portions(raw: pd.DataFrame, food_ids: pd.Index, path: Path
              ) -> tuple[pd.DataFrame, list[str]]:
    ids = "fndds:" + raw[CODE]
    orphan = ~ids.isin(food_ids)
    if orphan.any():
        row = raw[orphan].iloc[0]
        raise FoodDataError(f"{path} line {row['line']}: food code {row[CODE]} has no "
                            f"nutrient values ({int(orphan.sum())} portion rows do not); the "
                            "files are from different FNDDS releases, keep the tables of one "
                            "release together")
    # FNDDS writes -9 where a weight does not apply (an infant formula's unspecified amount).
    grams = _numbers(raw, WEIGHT, path, signed=True)
    seq = _numbers(raw, "Seq num", path)
    described = raw[PORTION].str.strip()
    subcode = raw[SUBCODE].str.strip()
    unspecified = described.str.lower() == NOT_SPECIFIED
    # A subcode's portions belong to one named product ("Drake's Yodels"), not the food.
    product = ~subcode.isin(["", "0"]) & ~unspecified
    no_weight = ~unspecified & ~product & ~(grams > 0)
    empty = (described == "") & ~unspecified & ~product & ~no_weight
    keep = ~(unspecified | product | no_weight | empty)
    rows = []
    for food_id, s, text, g in zip(ids[keep], seq[keep], described[keep], grams[keep],
                                   strict=True):
        amount, description = portion_text(None, None, None, text)
        rows.append((food_id, s, amount, description, g))
    portions = pd.DataFrame(rows, columns=PORTION_COLUMNS)
    portions["seq"] = portions["seq"].fillna(portions.groupby("food_id").cumcount() + 1)
    portions = portions.astype({"seq": int, "amount": float, "description": object,
                                "grams": float})
    notes = [f"{n:,} {what}" for n, what in [
        (int(unspecified.sum()), "\"Quantity not specified\" portions"),
        (int(product.sum()), "portions of named products (FNDDS subcodes)"),
        (int(no_weight.sum()), "portions without a weight"),
        (int(empty.sum()), "portions without a description"),
    ] if n]
    return portions.sort_values(["food_id", "seq"], kind="stable", ignore_index=True), notes
