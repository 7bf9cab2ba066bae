"""Meal logs read into the items table: one row per logged food or supplement.

`read_meal_log(fp)` takes an open binary file, works out what it is (nutrigap's own CSV or a
Cronometer servings.csv export; see `log_formats`), and returns the items with a `LogInfo`
saying what was detected. A file it cannot read raises `BadMealLog` listing every problem
(up to a cap) with its spreadsheet row, column, value and a fix.

Besides the columns ARCHITECTURE.md lists, `portion_text` keeps the unit words as written
("cup, chopped", "whole - 3 1/2\" diameter") for matching against a food's portions.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analyzer.amounts import UNKNOWN, AmountError, parse_amounts
from analyzer.decoding import (
    SAVE_AS_CSV,
    decode_text,
    file_problem,
    parse_dates,
    sniff_delimiter,
    split_sep_line,
    to_numbers,
)
from analyzer.errors import BadMealLog, Problem
from analyzer.log_formats import LogFormat, detect_format, normalise_header
from analyzer.nutrients import NUTRIENT_KEYS, NUTRIENTS
from analyzer.supplements import is_supplement, strip_prefix, supplement_dose
from analyzer.units import MASS, VOLUME, example_units

ITEM_COLUMNS = ["row", "client", "date", "meal", "food", "kind", "amount_text", "quantity",
                "unit", "grams", "ml", *NUTRIENT_KEYS, "portion_text"]


@dataclass(frozen=True)
class ReadLimits:
    """How much a reader accepts before calling a file or an amount unreasonable."""

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 200_000
    max_item_grams: float = 5000.0  # also millilitres: 5 kg or 5 l of one item is a slip
    max_item_count: float = 200.0  # portions of one item ("2000 slices")
    max_problems: int = 50


@dataclass
class LogInfo:
    """What the reader detected and did, in words a user can be shown."""

    format: str  # "nutrigap" or "cronometer-servings"
    title: str
    encoding: str
    delimiter: str
    rows_read: int
    skipped_rows: list[int] = field(default_factory=list)  # amount 0, by spreadsheet row
    blank_rows: list[int] = field(default_factory=list)
    days: int = 0
    first_date: pd.Timestamp | None = None
    last_date: pd.Timestamp | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def rows_skipped(self) -> int:
        """How many rows had amount 0 and were left out."""
        return len(self.skipped_rows)


class _Problems:
    """Problems gathered from every check, reported sorted by row and capped."""

    def __init__(self, headers: dict[str, str], cap: int):
        self.headers = headers  # normalised column name -> the header as the file writes it
        self.cap = cap
        self.found: list[tuple[int, str, str, str]] = []

    def add(self, rows: pd.Series, column: str, values: pd.Series, message: str | pd.Series):
        """One problem per row in `rows` (aligned Series)."""
        messages = message if isinstance(message, pd.Series) else itertools.repeat(message)
        label = self.headers.get(column, column)
        self.found.extend(zip(rows.tolist(), itertools.repeat(label),
                              values.astype(str).str.strip().tolist(), messages, strict=False))

    def raise_if_any(self) -> None:
        if self.found:
            self.found.sort(key=lambda p: p[0])
            shown = [Problem(*p) for p in self.found[: self.cap]]
            raise BadMealLog(shown, total=len(self.found))


def read_meal_log(fp, *, limits: ReadLimits = ReadLimits()) -> tuple[pd.DataFrame, LogInfo]:
    """Read a meal log from an open binary file into the items table and a LogInfo."""
    data = fp.read(limits.max_bytes + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > limits.max_bytes:
        raise file_problem(f"the file is larger than {_size(limits.max_bytes)}; split it "
                           "into smaller files (for example one per month)")
    text, encoding = decode_text(data)
    text, declared = split_sep_line(text)
    delimiter = declared or sniff_delimiter(text)
    records = _records(text, delimiter, limits)
    start = next((i for i, r in enumerate(records) if "".join(r).strip()), None)
    if start is None:
        raise file_problem("the file is empty; export the meal log again or start from the "
                           "template (examples/template.csv)")
    header = records[start]
    fmt, positions = detect_format(header, start + 1)
    body = records[start + 1:]
    rows = np.arange(start + 2, start + 2 + len(body))
    blank = np.fromiter(("".join(r).strip() == "" for r in body), bool, len(body))
    if blank.all():
        raise BadMealLog([Problem(start + 1, None, None,
                                  "the file has a header but no rows of food; add one row per "
                                  "food or supplement (see examples/template.csv)")])
    headers = {normalise_header(h): h.strip() for h in header}
    problems = _Problems(headers, limits.max_problems)
    body = [r for r, b in zip(body, blank, strict=True) if not b]
    rows = rows[~blank]
    _check_widths(body, rows, len(header), delimiter, problems)
    wanted = {name: i for name, i in positions.items() if name in (*fmt.required, *fmt.optional)}
    cells = _columns(body, wanted, len(header), rows)
    decimal_comma = delimiter in (";", "\t")
    info = LogInfo(fmt.name, fmt.title, encoding, delimiter, 0,
                   blank_rows=[int(r) for r in np.arange(start + 2, start + 2 + len(blank))[blank]])
    if fmt.name == "cronometer-servings":
        items = _cronometer(cells, decimal_comma, limits, problems, info)
    else:
        items = _ours(cells, decimal_comma, limits, problems, info, "unit" in positions)
    problems.raise_if_any()
    return _finish(items, fmt, info)


def _size(n: int) -> str:
    for unit, size in (("MB", 2**20), ("KB", 2**10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"


def _records(text: str, delimiter: str, limits: ReadLimits) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(itertools.islice(reader, limits.max_rows + 2))
        extra = next(reader, None) is not None
    except csv.Error as exc:
        raise file_problem(f"the file cannot be read as CSV near line {reader.line_num} "
                           f"({exc}); {SAVE_AS_CSV}") from None
    if extra or len(records) > limits.max_rows + 1:
        raise file_problem(f"the file has more than {limits.max_rows:,} rows; split it into "
                           "smaller files (for example one per month)")
    return records


def _check_widths(body, rows, width: int, delimiter: str, problems: _Problems) -> None:
    lengths = np.fromiter(map(len, body), int, len(body))
    for i in np.flatnonzero(lengths > width):
        extra = body[i][width:]
        if "".join(extra).strip():
            hint = ("put quotes around a value that contains a comma, or write decimals "
                    "with a point" if delimiter == "," else "remove the extra cells")
            problems.add(pd.Series([rows[i]]), "", pd.Series([""]),
                         f"has {len(body[i])} cells but the header has {width}; {hint}")


def _columns(body, positions: dict[str, int], width: int, rows) -> pd.DataFrame:
    padded = [r if len(r) == width else (r + [""] * width)[:width] for r in body]
    columns = list(zip(*padded, strict=True)) if padded else [()] * width
    frame = pd.DataFrame({name: pd.Series(columns[i], dtype=object)
                          for name, i in positions.items() if i < width})
    frame["row"] = rows
    return frame


def _text(cells: pd.DataFrame, name: str) -> pd.Series:
    if name not in cells:
        return pd.Series("", index=cells.index, dtype=object)
    return cells[name].astype(str).str.strip()


def _check_dates(cells, column: str, problems: _Problems, info: LogInfo) -> pd.Series:
    dates, bad, notes = parse_dates(cells[column])
    info.notes.extend(notes)
    if bad:
        at = list(bad)
        problems.add(cells["row"].iloc[at], column, cells[column].iloc[at],
                     pd.Series([bad[p] for p in at]))
    return dates


def _check_foods(cells, column: str, problems: _Problems) -> pd.Series:
    food = _text(cells, column)
    empty = food == ""
    problems.add(cells["row"][empty], column, food[empty],
                 "is empty; write what was eaten, e.g. spinach, raw")
    return food


def _check_amounts(parsed, errors, cells, columns: dict[str, str], problems: _Problems,
                   limits: ReadLimits, strict_units: bool, has_unit: bool) -> None:
    """Turn parse failures, unknown units and absurd amounts into problems."""
    for column, group in errors.groupby("column"):
        at = cells.index[group["position"].to_numpy()]
        source = columns.get(column, columns["amount"])
        if column == "unit" and not has_unit:
            source, message = columns["amount"], pd.Series(
                "has no unit; write one after the number: 150 g, 1 cup, 2 medium", index=at)
        else:
            message = pd.Series(group["message"].to_numpy(), index=at)
        problems.add(cells.loc[at, "row"], source, cells.loc[at, source], message)
    if strict_units:
        unknown = parsed["kind"] == UNKNOWN
        unit_cell = _text(cells, columns.get("unit", ""))
        in_unit = unknown & (unit_cell != "")
        problems.add(cells["row"][in_unit], columns["unit"], unit_cell[in_unit],
                     f"is not a unit nutrigap knows; use {example_units()}")
        in_amount = unknown & (unit_cell == "")
        amount = cells[columns["amount"]]
        problems.add(cells["row"][in_amount], columns["amount"], amount[in_amount],
                     f"has a unit nutrigap does not know; use {example_units()}")
    measured = parsed["grams"].fillna(0).clip(lower=parsed["ml"].fillna(0))
    too_much = ~np.isfinite(measured) | (measured > limits.max_item_grams)
    kilos = limits.max_item_grams / 1000
    problems.add(cells["row"][too_much], columns["amount"], _amount_cells(cells, columns)[too_much],
                 f"is more than {kilos:g} kg (or {kilos:g} litres) of one item; check the "
                 "number and the unit")
    if strict_units:
        counted = parsed["grams"].isna() & parsed["ml"].isna()
        too_many = counted & ~(parsed["quantity"] <= limits.max_item_count) & parsed["kind"].ne("")
        problems.add(cells["row"][too_many], columns["amount"],
                     _amount_cells(cells, columns)[too_many],
                     f"is more than {limits.max_item_count:g} portions of one item; check the "
                     "number and the unit")


def _amount_cells(cells, columns: dict[str, str]) -> pd.Series:
    amount = _text(cells, columns["amount"])
    unit = _text(cells, columns.get("unit", ""))
    return (amount + " " + unit).str.strip()


def _ours(cells, decimal_comma: bool, limits: ReadLimits, problems: _Problems, info: LogInfo,
          has_unit: bool) -> pd.DataFrame:
    dates = _check_dates(cells, "date", problems, info)
    food = _check_foods(cells, "food", problems)
    amount, unit = _text(cells, "amount"), _text(cells, "unit")
    supplement = is_supplement(food)
    items = _empty_items(cells, dates, _text(cells, "meal"), food, _amount_cells(
        cells, {"amount": "amount", "unit": "unit"}))
    items["client"] = _text(cells, "client")
    foods = ~supplement
    parsed, errors = parse_amounts(amount[foods], unit[foods], decimal_comma=decimal_comma)
    _check_amounts(parsed, errors, cells[foods], {"amount": "amount", "unit": "unit"}, problems,
                   limits, strict_units=True, has_unit=has_unit)
    _fill_amounts(items, parsed)
    _note_decimal_commas(cells, "amount", decimal_comma, info)
    _supplements(items, cells, supplement, amount, unit, decimal_comma, problems)
    return items


def _supplements(items, cells, supplement, amount, unit, decimal_comma, problems) -> None:
    """Supplement rows: their nutrient gets the dose, the other nutrients 0."""
    if not supplement.any():
        return
    items.loc[supplement, "kind"] = "supplement"
    items.loc[supplement, "food"] = items.loc[supplement, "food"].map(strip_prefix)
    items.loc[supplement, NUTRIENT_KEYS] = 0.0
    for i in np.flatnonzero(supplement.to_numpy()):
        index = items.index[i]
        try:
            dose = supplement_dose(items.at[index, "food"], amount.iat[i], unit.iat[i],
                                   decimal_comma=decimal_comma)
        except AmountError as exc:
            column = exc.column
            value = cells[column].iat[i] if column in cells else items.at[index, "food"]
            problems.add(pd.Series([cells["row"].iat[i]]), column, pd.Series([value]),
                         exc.message)
            continue
        items.at[index, dose.nutrient] = dose.value
        items.at[index, "quantity"] = dose.quantity
        items.at[index, "unit"] = dose.unit


def _cronometer(cells, decimal_comma: bool, limits: ReadLimits, problems: _Problems,
                info: LogInfo) -> pd.DataFrame:
    dates = _check_dates(cells, "day", problems, info)
    food = _check_foods(cells, "food name", problems)
    items = _empty_items(cells, dates, _text(cells, "group"), food, _text(cells, "amount"))
    parsed, errors = parse_amounts(_text(cells, "amount"), pd.Series("", index=cells.index),
                                   decimal_comma=decimal_comma)
    _check_amounts(parsed, errors, cells, {"amount": "amount"}, problems, limits,
                   strict_units=False, has_unit=False)
    _note_decimal_commas(cells, "amount", decimal_comma, info)
    _fill_amounts(items, parsed)
    hidden, taken = [], []
    kept = items["quantity"] != 0
    for key, column in NUTRIENTS["cronometer"].items():
        name = column.lower()
        if name not in cells:
            hidden.append(column)
            continue
        values, bad = to_numbers(cells[name], decimal_comma=decimal_comma)
        problems.add(cells["row"][bad], name, cells[name][bad],
                     "is not a number; the export holds numbers in this column, so check "
                     "whether the file was edited")
        items[key] = values * NUTRIENTS.at[key, "cronometer_factor"]
        taken.append((NUTRIENTS.at[key, "name"], int((values.notna() & kept).sum())))
    summary = ", ".join(f"{name} {n}" for name, n in taken)
    info.notes.append(f"nutrient values are taken from the Cronometer export where its cells "
                      f"are filled (rows with a value: {summary}; of {int(kept.sum())} rows); "
                      "blank cells are looked up from the matched food")
    if hidden:
        info.notes.append(f"the export has no {', '.join(hidden)} column (hidden in "
                          "Cronometer?), so those values come from the matched foods")
    return items


def _note_decimal_commas(cells, column: str, decimal_comma: bool, info: LogInfo) -> None:
    if decimal_comma and cells[column].astype(str).str.contains(",", regex=False).any():
        info.notes.append("numbers with a decimal comma (1,5) were read as decimals (1.5)")


def _empty_items(cells, dates, meal, food, amount_text) -> pd.DataFrame:
    items = pd.DataFrame({"row": cells["row"].astype("int64"), "client": "", "date": dates,
                          "meal": meal, "food": food, "kind": "food",
                          "amount_text": amount_text}, index=cells.index)
    for column in ("quantity", "grams", "ml", *NUTRIENT_KEYS):
        items[column] = math.nan
    items["unit"] = ""
    items["portion_text"] = ""
    return items


def _fill_amounts(items: pd.DataFrame, parsed: pd.DataFrame) -> None:
    items.loc[parsed.index, ["quantity", "grams", "ml"]] = parsed[["quantity", "grams", "ml"]]
    items.loc[parsed.index, "unit"] = parsed["unit"]
    items.loc[parsed.index, "portion_text"] = parsed["words"]
    mass = parsed.index[parsed["kind"] == MASS]
    volume = parsed.index[parsed["kind"] == VOLUME]
    items.loc[mass, "ml"] = math.nan
    items.loc[volume, "grams"] = math.nan


def _finish(items: pd.DataFrame, fmt: LogFormat, info: LogInfo) -> tuple[pd.DataFrame, LogInfo]:
    zero = items["quantity"] == 0
    info.skipped_rows = items.loc[zero, "row"].astype(int).tolist()
    items = items[~zero].reset_index(drop=True)[ITEM_COLUMNS]
    info.rows_read = len(items)
    if info.skipped_rows:
        n = len(info.skipped_rows)
        info.notes.append(f"{n} {'row' if n == 1 else 'rows'} with amount 0 skipped "
                          f"(row {_row_list(info.skipped_rows)})")
    if info.blank_rows:
        n = len(info.blank_rows)
        info.notes.append(f"{n} blank {'row' if n == 1 else 'rows'} ignored")
    if len(items):
        info.days = int(items["date"].nunique())
        info.first_date, info.last_date = items["date"].min(), items["date"].max()
    return items, info


def _row_list(rows: list[int], shown: int = 10) -> str:
    text = ", ".join(map(str, rows[:shown]))
    return text + (f" and {len(rows) - shown} more" if len(rows) > shown else "")
