"""Read the USDA SR28 ASCII release (FOOD_DES, FD_GROUP, NUT_DATA, WEIGHT) into a FoodTable."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from nutrigap.analyzer.errors import FoodDataError
from nutrigap.analyzer.food_table import ALIAS_COLUMNS, FOOD_COLUMNS, PORTION_COLUMNS, FoodTable
from nutrigap.analyzer.nutrients import IU_PER_UG_VITAMIN_D, NUTRIENTS, SR_VITAMIN_D_IU
from nutrigap.foods.tags import derive_tags

# Field counts of each file, from the SR28 documentation; a line with a different count
# means the file was cut short or is not the SR28 file it is named after.
_LAYOUT = {
    "FOOD_DES.txt": ["NDB_No", "FdGrp_Cd", "Long_Desc", "Shrt_Desc", "ComName", "ManufacName",
                     "Survey", "Ref_desc", "Refuse", "SciName", "N_Factor", "Pro_Factor",
                     "Fat_Factor", "CHO_Factor"],
    "FD_GROUP.txt": ["FdGrp_Cd", "FdGrp_Desc"],
    "NUT_DATA.txt": ["NDB_No", "Nutr_No", "Nutr_Val", "Num_Data_Pts", "Std_Error", "Src_Cd",
                     "Deriv_Cd", "Ref_NDB_No", "Add_Nutr_Mark", "Num_Studies", "Min", "Max",
                     "DF", "Low_EB", "Up_EB", "Stat_cmt", "AddMod_Date", "CC"],
    "WEIGHT.txt": ["NDB_No", "Seq", "Amount", "Msre_Desc", "Gm_Wgt", "Num_Data_Pts", "Std_Dev"],
}
REQUIRED_FILES = tuple(_LAYOUT)

_SR_TO_KEY = {nr: key for key, nr in NUTRIENTS["sr_nutr_no"].items()}
# Vitamin B12 added (578) marks fortified foods whose description does not say so.
_B12_ADDED = "578"
_WANTED_NUTR_NOS = [*_SR_TO_KEY, SR_VITAMIN_D_IU, _B12_ADDED]
_VITAMIN_D_UG = NUTRIENTS.at["vitamin_d_ug", "sr_nutr_no"]


def read_sr28(folder: Path) -> FoodTable:
    """Every SR28 food with our nutrients per 100 g, its food group, tags and portions."""
    folder = Path(folder)
    _check_folder(folder)
    groups = _read(folder, "FD_GROUP.txt", {"FdGrp_Cd": str, "FdGrp_Desc": str})
    food_des = _read(folder, "FOOD_DES.txt", {"NDB_No": str, "FdGrp_Cd": str, "Long_Desc": str})
    nut_data = _read_nut_data(folder)
    weight = _read(folder, "WEIGHT.txt", dict.fromkeys(
        ["NDB_No", "Seq", "Amount", "Msre_Desc", "Gm_Wgt"], str))

    _require_codes(food_des, "FOOD_DES.txt", "NDB_No", 5)
    _require_codes(food_des, "FOOD_DES.txt", "FdGrp_Cd", 4)
    _require_codes(weight, "WEIGHT.txt", "NDB_No", 5)

    foods = _foods(food_des, groups, nut_data)
    return FoodTable(foods, _portions(weight), pd.DataFrame(columns=ALIAS_COLUMNS, dtype=object))


def _check_folder(folder: Path) -> None:
    if not folder.exists():
        raise FoodDataError(f"{folder} does not exist; give the folder that holds the SR28 "
                            "ASCII files (FOOD_DES.txt, NUT_DATA.txt, ...)")
    if not folder.is_dir():
        raise FoodDataError(f"{folder} is a file; give the SR28 folder that holds it")
    if not (folder / "FOOD_DES.txt").exists():
        raise FoodDataError(f"{folder} is not an SR28 ASCII folder (no FOOD_DES.txt in it); "
                            "give the folder unpacked from USDA's sr28asc.zip")
    missing = [name for name in REQUIRED_FILES if not (folder / name).exists()]
    if missing:
        raise FoodDataError(f"{folder} lacks {', '.join(missing)}; unpack the complete SR28 "
                            "ASCII release into it again")


def _read(folder: Path, name: str, columns: dict) -> pd.DataFrame:
    """The given columns of one SR28 file: `^`-separated, text in `~`, latin-1, no header."""
    path = folder / name
    names = _LAYOUT[name]
    _check_complete(path, len(names))
    try:
        frame = pd.read_csv(
            path, sep="^", quotechar="~", header=None, names=names, usecols=list(columns),
            dtype=columns,
            encoding="latin-1", engine="c", keep_default_na=False, na_values=[""],
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, UnicodeError) as exc:
        where = _first_non_number(path, names, columns) if isinstance(exc, ValueError) else ""
        raise FoodDataError(f"{path} is damaged ({where or _first_line(exc)}); "
                            "replace it with a fresh copy of the SR28 release") from None
    if frame.empty:
        raise FoodDataError(f"{path} has no records; replace it with a fresh copy of the "
                            "SR28 release")
    return frame


def _first_non_number(path: Path, names: list[str], columns: dict) -> str:
    """Where a number column holds text, read again as text to name the line."""
    numeric = [c for c, t in columns.items() if t is np.float64]
    if not numeric:
        return ""
    text = pd.read_csv(path, sep="^", quotechar="~", header=None, names=names, usecols=numeric,
                       dtype=str, encoding="latin-1", keep_default_na=False)
    for column in numeric:
        bad = pd.to_numeric(text[column].replace("", np.nan), errors="coerce").isna() \
            & (text[column] != "")
        if bad.any():
            line = int(np.flatnonzero(bad.to_numpy())[0])
            return f"line {line + 1}: {column} {text[column].iloc[line]!r} is not a number"
    return ""


def _read_nut_data(folder: Path) -> pd.DataFrame:
    """NUT_DATA rows for our nutrients only; values parsed as numbers in C."""
    # Categories keep the 679k repeated codes cheap to parse and to check.
    frame = _read(folder, "NUT_DATA.txt",
                  {"NDB_No": "category", "Nutr_No": "category", "Nutr_Val": np.float64})
    _require_codes(frame, "NUT_DATA.txt", "NDB_No", 5)
    frame = frame[frame["Nutr_No"].isin(_WANTED_NUTR_NOS)]
    return frame.astype({"NDB_No": str, "Nutr_No": str})


def _check_complete(path: Path, fields: int) -> None:
    """A file cut short mid-record (an interrupted copy) ends without a line break or with a
    last line that has too few fields."""
    with open(path, "rb") as fp:
        size = fp.seek(0, 2)
        if size == 0:
            raise FoodDataError(f"{path} is empty; replace it with a fresh copy of the SR28 "
                                "release")
        fp.seek(max(0, size - 4096))
        tail = fp.read()
    last = tail.rstrip(b"\r\n").rsplit(b"\n", 1)[-1]
    if not tail.endswith(b"\n") or last.count(b"^") != fields - 1:
        raise FoodDataError(f"{path} is truncated (its last record is incomplete); "
                            "replace it with a fresh copy of the SR28 release")


def _require_codes(frame: pd.DataFrame, name: str, column: str, width: int) -> None:
    """Key columns must be fixed-width digit codes; anything else is a garbled line."""
    values = frame[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = values.cat.categories.astype(str)
        bad_cats = cats[(cats.str.len() != width) | ~cats.str.isdigit()]
        bad = values.isna() | values.isin(bad_cats)
    else:
        bad = values.isna() | (values.str.len() != width) | ~values.str.isdigit().fillna(False)
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 1
        raise FoodDataError(f"{name} line {line}: {column} {values.iloc[line - 1]!r} is not a "
                            f"{width}-digit code; the file is damaged, replace it with a fresh "
                            "copy of the SR28 release")


def _foods(food_des: pd.DataFrame, groups: pd.DataFrame, nut_data: pd.DataFrame) -> pd.DataFrame:
    values = nut_data.pivot_table(index="NDB_No", columns="Nutr_No", values="Nutr_Val",
                                  aggfunc="first")
    values = values.reindex(index=food_des["NDB_No"],
                            columns=_WANTED_NUTR_NOS).to_numpy(dtype=float)
    by_nr = dict(zip(_WANTED_NUTR_NOS, values.T, strict=True))
    group_names = dict(zip(groups["FdGrp_Cd"], groups["FdGrp_Desc"], strict=True))

    ndb = food_des["NDB_No"].to_numpy()
    foods = pd.DataFrame(
        {
            "name": food_des["Long_Desc"].to_numpy(),
            "source": "sr28",
            "ndb_no": ndb,
            "fdc_id": pd.array([pd.NA] * len(ndb), dtype="Int64"),
            "usda_description": food_des["Long_Desc"].to_numpy(),
            "food_group": food_des["FdGrp_Cd"].map(group_names).to_numpy(),
        },
        index=pd.Index("sr:" + food_des["NDB_No"], name="food_id"),
    )
    for nr, key in _SR_TO_KEY.items():
        foods[key] = by_nr[nr]
    # SR28 gives vitamin D in µg (328) for most foods; older entries only in IU (324).
    foods["vitamin_d_ug"] = np.where(np.isnan(by_nr[_VITAMIN_D_UG]),
                                     by_nr[SR_VITAMIN_D_IU] / IU_PER_UG_VITAMIN_D,
                                     by_nr[_VITAMIN_D_UG])
    foods["tags"] = derive_tags(foods["usda_description"], foods["food_group"],
                                fortified=pd.Series(by_nr[_B12_ADDED] > 0, index=foods.index))
    return foods[FOOD_COLUMNS]


def _portions(weight: pd.DataFrame) -> pd.DataFrame:
    numbers = weight[["Seq", "Amount", "Gm_Wgt"]].apply(pd.to_numeric, errors="coerce")
    bad = numbers.isna().any(axis=1) | weight["Msre_Desc"].isna()
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 1
        raise FoodDataError(f"WEIGHT.txt line {line}: Seq, Amount, Msre_Desc or Gm_Wgt is "
                            "missing or not a number; the file is damaged, replace it with a "
                            "fresh copy of the SR28 release")
    portions = pd.DataFrame({
        "food_id": "sr:" + weight["NDB_No"],
        "seq": numbers["Seq"].astype(int),
        "amount": numbers["Amount"].astype(float),
        "description": weight["Msre_Desc"],
        "grams": numbers["Gm_Wgt"].astype(float),
    })
    return portions[PORTION_COLUMNS].sort_values(["food_id", "seq"], ignore_index=True)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
