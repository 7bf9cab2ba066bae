"""Read a FoodData Central CSV download (SR Legacy, Foundation or FNDDS) into a FoodTable.

Survey (FNDDS) foods are read as the FNDDS "At A Glance" import reads them: under their
FNDDS food code ("fndds:27116100"), named as FNDDS names them, with their household portions
but not "Quantity not specified", and with their additional descriptions.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nutrigap.analyzer.errors import FoodDataError
from nutrigap.analyzer.food_table import FoodTable
from nutrigap.foods.fdc_common import (
    DATA_TYPES,
    READ_NUTRIENTS,
    additional_descriptions,
    build_table,
    nutrient_values,
    unexpected_unit,
)

# Columns nutrigap reads from each file; a download may have more.
REQUIRED_FILES = {
    "food.csv": ["fdc_id", "data_type", "description", "food_category_id"],
    "nutrient.csv": ["id", "name", "unit_name"],
    "food_nutrient.csv": ["fdc_id", "nutrient_id", "amount"],
    "food_portion.csv": ["fdc_id", "seq_num", "amount", "measure_unit_id",
                         "portion_description", "modifier", "gram_weight"],
    "measure_unit.csv": ["id", "name"],
}
OPTIONAL_FILES = {
    "food_category.csv": ["id", "description"],
    "wweia_food_category.csv": ["wweia_food_category", "wweia_food_category_description"],
    "sr_legacy_food.csv": ["fdc_id", "NDB_number"],
    "survey_fndds_food.csv": ["fdc_id", "food_code"],
    "food_attribute.csv": ["fdc_id", "food_attribute_type_id", "value"],
    "food_attribute_type.csv": ["id", "name"],
}
# Columns read when the file has them.
OPTIONAL_COLUMNS = {"survey_fndds_food.csv": ["wweia_category_code"]}
_TEXT = {"data_type", "description", "name", "unit_name", "portion_description", "modifier",
         "wweia_food_category_description", "food_code", "value"}
# Columns without which a row means nothing: empty there is a damaged or cut-short file.
_KEYS = {"food.csv": ["fdc_id", "data_type"], "nutrient.csv": ["id"],
         "food_nutrient.csv": ["fdc_id", "nutrient_id"], "food_portion.csv": ["fdc_id"],
         "measure_unit.csv": ["id"], "food_category.csv": ["id"],
         "wweia_food_category.csv": ["wweia_food_category"],
         "sr_legacy_food.csv": ["fdc_id", "NDB_number"],
         "survey_fndds_food.csv": ["fdc_id"], "food_attribute.csv": ["fdc_id"],
         "food_attribute_type.csv": ["id"]}
_CHUNK_ROWS = 1_000_000  # the full FDC download's food_nutrient.csv has tens of millions of rows
_AGAIN = "download it again from FoodData Central and unpack the whole zip"
SURVEY = "survey_fndds_food"
NOT_SPECIFIED = "quantity not specified"
# FoodData Central's food attribute type of FNDDS's additional descriptions, when the download
# has no food_attribute_type.csv to name it.
ADDITIONAL_DESCRIPTION = (1001, "Additional Description")


@dataclass
class FdcRead:
    """The foods read, and what was left out on the way, for the import summary."""

    table: FoodTable
    notes: list[str] = field(default_factory=list)


def read_fdc_csv(folder: Path) -> FoodTable:
    """The SR Legacy, Foundation and FNDDS foods of an FDC CSV download, with our
    nutrients per 100 g and household portions; other data types (branded, lab samples) are
    left out."""
    return read_fdc_csv_with_notes(folder).table


def read_fdc_csv_with_notes(folder: Path) -> FdcRead:
    """read_fdc_csv, with notes saying which portions were left out and why."""
    folder = Path(folder)
    _check_folder(folder)
    food = _read(folder, "food.csv")
    food = food[food["data_type"].isin(DATA_TYPES)]
    if food.empty:
        raise FoodDataError(
            f"{folder / 'food.csv'} holds no SR Legacy, Foundation or FNDDS foods; "
            "nutrigap reads those three FoodData Central downloads")
    nutrients = _read(folder, "nutrient.csv")
    _check_units(nutrients, folder / "nutrient.csv")
    values = nutrient_values(_nutrient_rows(folder, set(food["fdc_id"])))
    survey = _survey_foods(folder, food)
    foods = pd.DataFrame({
        "fdc_id": food["fdc_id"].to_numpy(),
        "kind": food["data_type"].map(DATA_TYPES).to_numpy(),
        "description": food["description"].to_numpy(),
        "food_group": _food_groups(folder, food, survey),
        "ndb_number": _ndb_numbers(folder, food),
        "food_code": food["fdc_id"].map(survey["food_code"]).to_numpy(),
    })
    survey_ids = set(food.loc[food["data_type"] == SURVEY, "fdc_id"])
    portions, notes = _portions(folder, survey_ids)
    table = build_table(foods, values, portions, _descriptions(folder, survey_ids))
    return FdcRead(table, notes)


def _check_folder(folder: Path) -> None:
    if not folder.exists():
        raise FoodDataError(f"{folder} does not exist; give the folder unpacked from a "
                            "FoodData Central CSV download (it holds food.csv)")
    if not folder.is_dir():
        raise FoodDataError(f"{folder} is a file; unpack the FoodData Central zip and give "
                            "the folder that holds food.csv")
    if not (folder / "food.csv").exists():
        inner = sorted(p.parent for p in folder.glob("*/food.csv"))
        if inner:
            raise FoodDataError(f"{folder} holds the download one level down; give "
                                f"{inner[0]} instead")
        if (folder / "FOOD_DES.txt").exists():
            raise FoodDataError(f"{folder} is the SR28 ASCII release, not a FoodData Central "
                                "CSV download; import it with `nutrigap foods import`")
        raise FoodDataError(f"{folder} is not a FoodData Central CSV download (no food.csv "
                            "in it); give the folder unpacked from an SR Legacy, Foundation "
                            "or FNDDS CSV zip")
    missing = [name for name in REQUIRED_FILES if not (folder / name).exists()]
    if missing:
        raise FoodDataError(f"{folder} lacks {', '.join(missing)}; {_AGAIN}")


def _read(folder: Path, name: str) -> pd.DataFrame:
    """One whole FDC file, its columns checked; numbers as float, text as text."""
    path = folder / name
    columns = _check_columns(path)
    try:
        # Every column is read, so a row with a stray extra field is caught by the parser.
        frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False,
                            na_values=[""], engine="c")
    except pd.errors.ParserError as exc:
        raise _damaged(path, exc) from None
    except UnicodeDecodeError:
        raise FoodDataError(f"{path} is not UTF-8 text; {_AGAIN}") from None
    return _checked(path, _numbers(path, frame[columns]))


def _read_chunks(folder: Path, name: str):
    """A large FDC file in chunks of numbers whose index continues across chunks; the columns
    read come before any free-text column, so a stray comma cannot shift them."""
    path = folder / name
    columns = _check_columns(path)
    chunks = pd.read_csv(path, usecols=columns, dtype=np.float64, encoding="utf-8-sig",
                         keep_default_na=False, na_values=[""], engine="c",
                         chunksize=_CHUNK_ROWS)
    try:
        for chunk in chunks:
            yield _checked(path, chunk)
    except pd.errors.ParserError as exc:
        raise _damaged(path, exc) from None
    except UnicodeDecodeError:
        raise FoodDataError(f"{path} is not UTF-8 text; {_AGAIN}") from None
    except ValueError:
        # Text where a number belongs: read the file again as text to say which row.
        _numbers(path, pd.read_csv(path, usecols=columns, dtype=str, encoding="utf-8-sig",
                                   keep_default_na=False, na_values=[""]))
        raise FoodDataError(f"{path} has text where a number belongs; {_AGAIN}") from None


def _check_columns(path: Path) -> list[str]:
    columns = {**REQUIRED_FILES, **OPTIONAL_FILES}[path.name]
    if path.stat().st_size == 0:
        raise FoodDataError(f"{path} is empty; {_AGAIN}")
    header = _header(path)
    missing = [c for c in columns if c not in header]
    if missing:
        raise FoodDataError(f"{path} has no {', '.join(missing)} column; it is not the "
                            f"FoodData Central {path.name}, {_AGAIN}")
    _check_last_row(path, len(header))
    return columns + [c for c in OPTIONAL_COLUMNS.get(path.name, []) if c in header]


def _damaged(path: Path, exc: Exception) -> FoodDataError:
    return FoodDataError(f"{path} cannot be read ({_first_line(exc)}); the file is damaged "
                         f"or was cut short, {_AGAIN}")


def _checked(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    for column in _KEYS[path.name]:
        empty = frame[column].isna().to_numpy()
        if empty.any():
            row = int(frame.index[np.flatnonzero(empty)[0]]) + 2
            raise FoodDataError(f"{path} row {row}: {column} is empty; the file is damaged "
                                f"or was cut short, {_AGAIN}")
    return frame


def _header(path: Path) -> list[str]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fp:
            return next(csv.reader(fp), [])
    except UnicodeDecodeError:
        raise FoodDataError(f"{path} is not UTF-8 text; {_AGAIN}") from None


def _check_last_row(path: Path, fields: int) -> None:
    """An interrupted download or copy ends mid-row: the last row has too few fields."""
    with open(path, "rb") as fp:
        size = fp.seek(0, 2)
        fp.seek(max(0, size - 65536))
        tail = fp.read().decode("utf-8", errors="replace")
    lines = tail.rstrip("\r\n").split("\n")
    if len(lines) < 2 and size > 65536:
        return  # one enormous last row, only partly read: nothing sensible to count
    last = next(csv.reader([lines[-1]]), [])
    if 0 < len(last) < fields:
        raise FoodDataError(f"{path} is cut short: its last row has {len(last)} of "
                            f"{fields} fields; {_AGAIN}")


def _numbers(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its number columns as float; the first text among them is an error."""
    frame = frame.copy()
    for column in (c for c in frame.columns if c not in _TEXT):
        numbers = pd.to_numeric(frame[column], errors="coerce")
        bad = numbers.isna() & frame[column].notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise FoodDataError(f'{path} row {i + 2}: {column} "{frame[column].iloc[i]}" is '
                                f"not a number; {_AGAIN}")
        frame[column] = numbers.astype(float)
    return frame


def _check_units(nutrients: pd.DataFrame, path: Path) -> None:
    for i, nid, unit in zip(nutrients.index, nutrients["id"], nutrients["unit_name"],
                            strict=True):
        expected = unexpected_unit(int(nid), unit)
        if expected:
            raise FoodDataError(f'{path} row {i + 2}: nutrient {int(nid)} is in "{unit}", '
                                f"where FoodData Central gives it in {expected}; {_AGAIN}")


def _nutrient_rows(folder: Path, fdc_ids: set) -> pd.DataFrame:
    """food_nutrient rows of our nutrients and foods, read in chunks to bound memory."""
    kept = []
    for chunk in _read_chunks(folder, "food_nutrient.csv"):
        # Compared as read: the survey download names nutrients by number, and a few numbers
        # have decimals (205.2 is not 205).
        nutrient = chunk["nutrient_id"]
        wanted = nutrient.isin(READ_NUTRIENTS) & chunk["fdc_id"].isin(fdc_ids)
        kept.append(pd.DataFrame({"fdc_id": chunk["fdc_id"][wanted].astype("int64"),
                                  "nutrient": nutrient[wanted].astype("int64"),
                                  "amount": chunk["amount"][wanted]}))
    return pd.concat(kept, ignore_index=True)


def _survey_foods(folder: Path, food: pd.DataFrame) -> pd.DataFrame:
    """survey_fndds_food.csv by fdc_id: the FNDDS food code (text, None when the download
    lacks the file or the code is not one) and the WWEIA category."""
    name = "survey_fndds_food.csv"
    if not (folder / name).exists():
        return pd.DataFrame({"food_code": [], "wweia": []}, dtype=object)
    survey = _read(folder, name).drop_duplicates("fdc_id")
    codes = survey["food_code"].fillna("").str.strip()
    bad = ~codes.str.fullmatch(r"\d{5,8}")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise FoodDataError(f'{folder / name} row {survey.index[i] + 2}: food_code '
                            f'"{codes.iloc[i]}" is not an FNDDS food code; {_AGAIN}')
    wweia = survey.get("wweia_category_code", pd.Series(np.nan, index=survey.index))
    return pd.DataFrame({"food_code": codes.to_numpy(), "wweia": wweia.to_numpy()},
                        index=survey["fdc_id"].to_numpy())


def _food_groups(folder: Path, food: pd.DataFrame, survey: pd.DataFrame) -> np.ndarray:
    """SR Legacy and Foundation foods point at food_category.csv; FNDDS foods at a WWEIA
    category, given in food.csv or in survey_fndds_food.csv."""
    groups = pd.Series("", index=food.index, dtype=object)
    category = food["food_category_id"].fillna(food["fdc_id"].map(survey["wweia"]))
    if (folder / "food_category.csv").exists():
        names = _read(folder, "food_category.csv").set_index("id")["description"]
        generic = food["data_type"] != "survey_fndds_food"
        groups[generic] = category[generic].map(names)
    if (folder / "wweia_food_category.csv").exists():
        names = _read(folder, "wweia_food_category.csv").set_index(
            "wweia_food_category")["wweia_food_category_description"]
        survey = food["data_type"] == "survey_fndds_food"
        groups[survey] = category[survey].map(names)
    return groups.fillna("").to_numpy()


def _ndb_numbers(folder: Path, food: pd.DataFrame) -> np.ndarray:
    if not (folder / "sr_legacy_food.csv").exists():
        return np.full(len(food), np.nan)
    sr = _read(folder, "sr_legacy_food.csv").drop_duplicates("fdc_id")
    return food["fdc_id"].map(sr.set_index("fdc_id")["NDB_number"]).to_numpy(dtype=float)


def _portions(folder: Path, survey_ids: set) -> tuple[pd.DataFrame, list[str]]:
    """The raw portions, and a note on those left out: as in FNDDS's own tables, a survey
    food's "Quantity not specified" is a default amount, not a measure anyone writes."""
    portions = _read(folder, "food_portion.csv")
    unspecified = (portions["fdc_id"].isin(survey_ids)
                   & (portions["portion_description"].fillna("").str.strip().str.lower()
                      == NOT_SPECIFIED))
    portions = portions[~unspecified]
    notes = ([f'{int(unspecified.sum()):,} "Quantity not specified" portions']
             if unspecified.any() else [])
    units = _read(folder, "measure_unit.csv").set_index("id")["name"]
    return pd.DataFrame({
        "fdc_id": portions["fdc_id"].astype("int64"),
        "seq": portions["seq_num"],
        "amount": portions["amount"],
        "unit_name": portions["measure_unit_id"].map(units),
        "modifier": portions["modifier"],
        "portion_description": portions["portion_description"],
        "gram_weight": portions["gram_weight"],
    }), notes


def _descriptions(folder: Path, fdc_ids: set) -> pd.DataFrame:
    """FNDDS's additional descriptions (fdc_id, text) of the survey foods `fdc_ids`, from
    food_attribute.csv."""
    if not (folder / "food_attribute.csv").exists():
        return pd.DataFrame({"fdc_id": [], "text": []})
    kind, name = ADDITIONAL_DESCRIPTION
    if (folder / "food_attribute_type.csv").exists():
        types = _read(folder, "food_attribute_type.csv")
        named = types.loc[types["name"].fillna("").str.strip().str.lower() == name.lower(), "id"]
        if named.empty:
            return pd.DataFrame({"fdc_id": [], "text": []})
        kind = int(named.iloc[0])
    path = folder / "food_attribute.csv"
    # Read in chunks: the full FDC download's attributes (mostly branded foods) are large.
    chunks = pd.read_csv(path, usecols=_check_columns(path), dtype=str, encoding="utf-8-sig",
                         keep_default_na=False, na_values=[""], chunksize=_CHUNK_ROWS)
    kept = []
    try:
        for chunk in chunks:
            fdc_id = pd.to_numeric(chunk["fdc_id"], errors="coerce")
            wanted = ((pd.to_numeric(chunk["food_attribute_type_id"], errors="coerce") == kind)
                      & fdc_id.isin(fdc_ids))
            kept.append(pd.DataFrame({"fdc_id": fdc_id[wanted].astype("int64"),
                                      "value": chunk["value"][wanted]}))
    except pd.errors.ParserError as exc:
        raise _damaged(path, exc) from None
    except UnicodeDecodeError:
        raise FoodDataError(f"{path} is not UTF-8 text; {_AGAIN}") from None
    wanted = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(
        {"fdc_id": [], "value": []})
    found = additional_descriptions(wanted["fdc_id"], wanted["value"])
    return found.rename(columns={"food_id": "fdc_id"})


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
