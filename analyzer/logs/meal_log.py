"""Meal logs read into the items table: one row per logged food or supplement.

`read_meal_log(fp)` takes an open binary file, works out what it is (nutrigap's own CSV or a
Cronometer servings.csv export; see `log_formats`), and returns the items with a `LogInfo`
saying what was detected. A file it cannot read raises `BadMealLog` listing every problem
(up to a cap) with its spreadsheet row, column, value and a fix.

Besides the columns ARCHITECTURE.md lists, `portion_text` keeps the unit words as written
("cup, chopped", "whole - 3 1/2\" diameter") for matching against a food's portions, and
`food_written` the food cell as written when the amount was read from it ("2 eggs scrambled",
amount and unit left empty), "" otherwise.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nutrigap.analyzer.errors import BadMealLog, Problem
from nutrigap.analyzer.limits import MAX_CELL_CHARS, MAX_DAYS, MAX_NAMES, MAX_ROW_NUTRIENT
from nutrigap.analyzer.logs.amounts import (
    COUNT_UNIT,
    UNKNOWN,
    AmountError,
    amount_in_food,
    parse_amounts,
)
from nutrigap.analyzer.logs.bounds import size_problem, whole_cells
from nutrigap.analyzer.logs.clients import select_client
from nutrigap.analyzer.logs.cronometer import (
    CRONOMETER_COLUMNS,
    NOT_ON_LABELS,
    hidden_note,
    supplement_note,
    supplement_rows,
)
from nutrigap.analyzer.logs.decoding import parse_dates, strip_text, to_numbers
from nutrigap.analyzer.logs.formats import OUR_COLUMNS, detect_format
from nutrigap.analyzer.logs.name_amounts import amount_in_name
from nutrigap.analyzer.logs.supplements import (
    Dose,
    compound_note,
    is_supplement,
    named_supplements,
    strip_prefix,
    supplement_dose,
    unprefixed_message,
)
from nutrigap.analyzer.logs.tables import (
    MAX_BYTES,
    MAX_ROWS,
    extra_cells_message,
    normalise_header,
    read_table,
)
from nutrigap.analyzer.logs.units import example_units, vague_measure
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS, NUTRIENTS

ITEM_COLUMNS = ["row", "client", "date", "meal", "food", "kind", "amount_text", "quantity",
                "unit", "grams", "ml", *NUTRIENT_KEYS, "portion_text", "food_written"]


@dataclass(frozen=True)
class ReadLimits:
    """How much a reader accepts before calling a file or an amount unreasonable."""

    max_bytes: int = MAX_BYTES
    max_rows: int = MAX_ROWS
    max_item_grams: float = 5000.0  # also millilitres: 5 kg or 5 l of one item is a slip
    max_item_count: float = 200.0  # portions of one item ("2000 slices")
    max_bare_count: float = 20.0  # a number with no unit above this is not a count of items
    max_problems: int = 50
    max_cell_chars: int = MAX_CELL_CHARS  # a longer cell refuses its row
    max_days: int = MAX_DAYS  # dates in one report
    max_names: int = MAX_NAMES  # different food names in one report


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
    clients: list[str] = field(default_factory=list)  # the client column's ids, file order

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


def read_meal_log(fp, *, limits: ReadLimits = ReadLimits(),
                  row_numbers: Sequence[int] | None = None, client: str | None = None,
                  one_person: bool = False) -> tuple[pd.DataFrame, LogInfo]:
    """Read a meal log from an open binary file into the items table and a LogInfo.

    `row_numbers`, for rows cut from a larger file (one client's rows of a shared log), gives
    the row number each data row has in that file, so messages and notes quote it.
    `client` reads only that client's rows of a log with a client column. `one_person` (a
    report on one person) refuses a log whose client column holds several clients with
    SeveralClients; otherwise such a log is read whole and a note lists its clients."""
    table, form = read_table(fp, what="meal log", max_bytes=limits.max_bytes)
    header, delimiter = table.header, form.delimiter
    fmt, positions = detect_format(header, table.header_row)
    wanted = {name: i for name, i in positions.items() if name in (*fmt.required, *fmt.optional)}
    ignored = [h.strip() for h in header
               if normalise_header(h) and normalise_header(h) not in wanted]
    raw = table.cells(list(wanted.values()), limits.max_rows)
    cells = _cells(raw, wanted, first_row=table.header_row + 1)
    if row_numbers is not None:
        if len(row_numbers) != len(cells):
            raise ValueError(f"{len(row_numbers)} row numbers for {len(cells)} rows")
        cells["row"] = np.asarray(row_numbers, dtype=np.int64)
    extra = raw[[c for c in raw.columns if isinstance(c, int) and c >= len(header)]]
    stray = (extra != "").any(axis=1).to_numpy()
    blank = ~stray & np.logical_and.reduce(
        [cells[c].to_numpy() == "" for c in cells.columns if c != "row"])
    if blank.all():
        raise BadMealLog([table.no_rows()])
    info = LogInfo(fmt.name, fmt.title, form.encoding, delimiter, 0,
                   blank_rows=cells["row"][blank].astype(int).tolist())
    if ignored and fmt.name == "nutrigap":
        noun = "column" if len(ignored) == 1 else "columns"
        info.notes.append(f"{noun} {', '.join(ignored)} ignored: nutrigap reads "
                          f"{OUR_COLUMNS} and works out nutrients from the foods itself")
    selected, clients, notes = select_client(cells["client"][~blank], cells["row"][~blank],
                                             client, one_person)
    selected = selected.reindex(cells.index, fill_value=False).to_numpy()
    info.clients = list(clients)
    info.notes.extend(notes)
    problems = _Problems({normalise_header(h): h.strip() for h in header}, limits.max_problems)
    stray &= selected
    problems.add(cells["row"][stray], "", pd.Series("", index=cells.index)[stray],
                 extra_cells_message(len(header), delimiter))
    cells = cells[~blank & selected].reset_index(drop=True)
    cells = cells[whole_cells(cells, problems.add, limits.max_cell_chars, delimiter)]
    cells = cells.reset_index(drop=True)
    decimal_comma = form.decimal_comma
    if fmt.name == "cronometer-servings":
        items = _cronometer(cells, decimal_comma, limits, problems, info)
    else:
        items = _ours(cells, decimal_comma, limits, problems, info, "unit" in positions)
    problems.raise_if_any()
    return _finish(items, info, limits)


_NUMERIC = set(CRONOMETER_COLUMNS)
def _cells(raw: pd.DataFrame, wanted: dict[str, int], first_row: int) -> pd.DataFrame:
    """Columns by name; text stripped (numbers are left for to_numbers); "unit", "meal",
    "client" and "group" are "" when the file has no such column."""
    cells = pd.DataFrame({name: raw[i] if name in _NUMERIC else strip_text(raw[i])
                          for name, i in wanted.items()}, index=raw.index)
    for name in ("unit", "meal", "client", "group"):
        if name not in cells:
            cells[name] = ""
    cells["row"] = np.arange(first_row, first_row + len(raw), dtype=np.int64)
    return cells


def _check_dates(cells, column: str, problems: _Problems, info: LogInfo) -> pd.Series:
    dates, bad, notes = parse_dates(cells[column])
    info.notes.extend(notes)
    if bad:
        at = list(bad)
        problems.add(cells["row"].iloc[at], column, cells[column].iloc[at],
                     pd.Series([bad[p] for p in at]))
    return dates


def _check_foods(cells, column: str, problems: _Problems) -> pd.Series:
    food = cells[column]
    empty = food == ""
    problems.add(cells["row"][empty], column, food[empty],
                 "is empty; write what was eaten, e.g. spinach, raw")
    return food


def _check_amounts(parsed, errors, cells, problems: _Problems, limits: ReadLimits,
                   strict: bool, has_unit: bool) -> None:
    """Turn parse failures, unknown units (when `strict`) and absurd amounts into problems."""
    for column, group in errors.groupby("column"):
        at = cells.index[group["position"].to_numpy()]
        if column == "unit" and not has_unit:
            column, message = "amount", pd.Series(
                "has no unit; write one after the number: 150 g, 1 cup, 2 medium", index=at)
        else:
            message = pd.Series(group["message"].to_numpy(), index=at)
        if column == "amount" and "food" in cells:
            empty = cells.loc[at, "amount"] == ""
            moved = cells.loc[at, "food"].where(empty, "").map(amount_in_food)
            message = moved.fillna(message)
        problems.add(cells.loc[at, "row"], column, cells.loc[at, column], message)
    if strict:
        unknown = parsed["kind"] == UNKNOWN
        vague = pd.Series(None, index=parsed.index, dtype=object)
        vague[unknown] = parsed.loc[unknown, "unit"].map(vague_measure)
        in_unit = unknown & (cells["unit"] != "")
        problems.add(cells["row"][in_unit], "unit", cells["unit"][in_unit],
                     vague[in_unit].fillna(f"is not a unit nutrigap knows; use {example_units()}"))
        in_amount = unknown & (cells["unit"] == "")
        problems.add(cells["row"][in_amount], "amount", cells["amount"][in_amount],
                     ("has a unit that " + vague[in_amount]).fillna(
                         f"has a unit nutrigap does not know; use {example_units()}"))
    measured = parsed["grams"].fillna(0).clip(lower=parsed["ml"].fillna(0))
    too_much = ~np.isfinite(measured) | (measured > limits.max_item_grams)
    kilos = limits.max_item_grams / 1000
    problems.add(cells["row"][too_much], "amount", cells["amount_text"][too_much],
                 f"is more than {kilos:g} kg (or {kilos:g} litres) of one item; check the "
                 "number and the unit")
    bare = parsed["unit"].eq(COUNT_UNIT) & parsed["words"].eq("")
    too_many_bare = bare & (parsed["quantity"] > limits.max_bare_count)
    if too_many_bare.any():
        limit = f"a number alone counts whole items, up to {limits.max_bare_count:g}"
        if has_unit:
            problems.add(cells["row"][too_many_bare], "unit", cells["unit"][too_many_bare],
                         "is empty; " + limit + ": write the unit of " +
                         cells["amount"][too_many_bare] + f" in unit ({example_units()})")
        else:
            problems.add(cells["row"][too_many_bare], "amount",
                         cells["amount_text"][too_many_bare],
                         f"has no unit; {limit}: write the unit after the number (150 g, "
                         "1 cup, 2 medium)")
    if strict:
        counted = parsed["grams"].isna() & parsed["ml"].isna() & parsed["kind"].ne("") & \
            ~too_many_bare
        too_many = counted & ~(parsed["quantity"] <= limits.max_item_count)
        problems.add(cells["row"][too_many], "amount", cells["amount_text"][too_many],
                     f"is more than {limits.max_item_count:g} portions of one item; check the "
                     "number and the unit")


def _ours(cells, decimal_comma: bool, limits: ReadLimits, problems: _Problems, info: LogInfo,
          has_unit: bool) -> pd.DataFrame:
    dates = _check_dates(cells, "date", problems, info)
    food = _check_foods(cells, "food", problems)
    supplement = pd.Series(is_supplement(food).to_numpy(), index=cells.index)
    unprefixed = named_supplements(food) & ~supplement
    problems.add(cells["row"][unprefixed], "food", food[unprefixed],
                 food[unprefixed].map(unprefixed_message))
    foods = ~supplement & ~unprefixed
    written = _amounts_in_names(cells, foods)
    food = cells["food"]
    amount, unit = cells["amount"], cells["unit"]
    cells["amount_text"] = amount.where(unit == "", amount + " " + unit)
    items = _empty_items(cells, dates, cells["meal"], food)
    items["client"] = cells["client"]
    items["food_written"] = written
    parsed, errors = parse_amounts(amount[foods], unit[foods], decimal_comma=decimal_comma,
                                   bare_count=True)
    _check_amounts(parsed, errors, cells[foods], problems, limits, strict=True,
                   has_unit=has_unit)
    _fill_amounts(items, parsed)
    _note_decimal_commas(cells, decimal_comma, info)
    if supplement.any():
        _supplements(items, cells[supplement], decimal_comma, problems, info)
    return items


def _amounts_in_names(cells: pd.DataFrame, foods: pd.Series) -> pd.Series:
    """Where amount and unit are empty and the food cell holds the amount ("2 eggs
    scrambled", "cup of oj"), move it to the amount and unit cells; the food cells as written
    where that was done, "" elsewhere."""
    empty = foods & cells["amount"].eq("") & cells["unit"].eq("") & cells["food"].ne("")
    written = pd.Series("", index=cells.index, dtype=object)
    found = cells.loc[empty, "food"].map(amount_in_name).dropna()
    if len(found):
        at = found.index
        written[at] = cells.loc[at, "food"]
        cells.loc[at, "amount"] = [n.amount for n in found]
        cells.loc[at, "unit"] = [n.unit for n in found]
        cells.loc[at, "food"] = [n.food for n in found]
    return written


def _supplements(items, cells, decimal_comma: bool, problems: _Problems,
                 info: LogInfo) -> None:
    """Supplement rows: their nutrient gets the dose in our unit, the other nutrients 0."""
    names = cells["food"].map(strip_prefix)
    keys = pd.MultiIndex.from_arrays([names, cells["amount"], cells["unit"]])
    codes, uniques = pd.factorize(keys)
    doses: list[Dose | None] = []
    failures: dict[int, AmountError] = {}
    for i, (name, amount, unit) in enumerate(uniques):
        try:
            doses.append(supplement_dose(name, amount, unit, decimal_comma=decimal_comma))
        except AmountError as exc:
            failures[i] = exc
            doses.append(None)
    failed = np.isin(codes, list(failures))
    for i, (name, _, _) in enumerate(uniques):
        dose = doses[i]
        note = compound_note(name, dose) if dose is not None else None
        if note:
            rows = cells.loc[codes == i, "row"].astype(int).tolist()
            info.notes.append(f"row {_row_list(rows)}: {note}")
    for code, failure in failures.items():
        at = cells.index[codes == code]
        problems.add(cells.loc[at, "row"], failure.column, cells.loc[at, failure.column],
                     failure.message)
    at = cells.index[~failed]
    chosen = [dose for c in codes[~failed] if (dose := doses[c]) is not None]  # all read
    items.loc[cells.index, "kind"] = "supplement"
    items.loc[cells.index, "food"] = names
    items.loc[cells.index, NUTRIENT_KEYS] = 0.0
    items.loc[at, "quantity"] = [d.quantity for d in chosen]
    items.loc[at, "unit"] = [d.unit for d in chosen]
    for key in {d.nutrient for d in chosen}:
        mine = [d.nutrient == key for d in chosen]
        items.loc[at[mine], key] = [d.value for d in chosen if d.nutrient == key]


def _cronometer(cells, decimal_comma: bool, limits: ReadLimits, problems: _Problems,
                info: LogInfo) -> pd.DataFrame:
    dates = _check_dates(cells, "day", problems, info)
    food = _check_foods(cells, "food name", problems)
    cells["amount_text"] = cells["amount"]
    items = _empty_items(cells, dates, cells["group"], food)
    parsed, errors = parse_amounts(cells["amount"], cells["unit"], decimal_comma=decimal_comma)
    _check_amounts(parsed, errors, cells, problems, limits, strict=False, has_unit=False)
    _fill_amounts(items, parsed)
    _note_decimal_commas(cells, decimal_comma, info)
    hidden, taken = [], []
    kept = items["quantity"] != 0
    for key, usual in NUTRIENTS["cronometer"].items():
        found = [(name, factor) for name, (k, factor) in CRONOMETER_COLUMNS.items()
                 if k == key and name in cells]
        if not found:
            hidden.append(usual)
            continue
        name, factor = found[0]
        if name != usual.lower():
            info.notes.append(f'{NUTRIENTS.at[key, "name"]} is read from the column '
                              f'"{problems.headers.get(name, name)}" as '
                              f'{NUTRIENTS.at[key, "unit"]}')
        values, bad = to_numbers(cells[name], decimal_comma=decimal_comma)
        problems.add(cells["row"][bad], name, cells[name][bad],
                     "is not a number; the export holds numbers in this column, so check "
                     "whether the file was edited")
        values = values * factor
        huge = values > MAX_ROW_NUTRIENT
        problems.add(cells["row"][huge], name, cells[name][huge],
                     f"is more {NUTRIENTS.at[key, 'name']} than any row can hold (at most "
                     f"{MAX_ROW_NUTRIENT:,.0f} {NUTRIENTS.at[key, 'unit']}); check whether "
                     "the file was edited")
        items[key] = values.where(~huge)
        taken.append((NUTRIENTS.at[key, "name"], int((values.notna() & kept).sum())))
    summary = ", ".join(f"{name} {n}" for name, n in taken)
    info.notes.append(f"nutrient values are taken from the Cronometer export where its cells "
                      f"are filled (rows with a value: {summary}; of {int(kept.sum())} rows); "
                      "blank cells are looked up from the matched food")
    if hidden:
        info.notes.append(hidden_note(hidden, problems.headers))
    supplement = supplement_rows(cells)
    if supplement.any():
        items.loc[supplement, "kind"] = "supplement"
        # a blank cell is a nutrient the label does not list; a hidden column stays unknown
        shown = [k for k in NUTRIENT_KEYS if NUTRIENTS.at[k, "cronometer"] not in hidden
                 and k not in NOT_ON_LABELS]
        items.loc[supplement, shown] = items.loc[supplement, shown].fillna(0.0)
        if (supplement & kept).any():
            info.notes.append(supplement_note(items.loc[supplement & kept, "food"]))
    return items


def _note_decimal_commas(cells, decimal_comma: bool, info: LogInfo) -> None:
    if decimal_comma and cells["amount"].str.contains(",", regex=False).any():
        info.notes.append("numbers with a decimal comma (1,5) were read as decimals (1.5)")


def _empty_items(cells, dates, meal, food) -> pd.DataFrame:
    items = pd.DataFrame({"row": cells["row"].astype("int64"), "client": "", "date": dates,
                          "meal": meal, "food": food, "kind": "food",
                          "amount_text": cells["amount_text"]}, index=cells.index)
    for column in ("quantity", "grams", "ml", *NUTRIENT_KEYS):
        items[column] = math.nan
    items["unit"] = ""
    items["portion_text"] = ""
    items["food_written"] = ""
    return items


def _fill_amounts(items: pd.DataFrame, parsed: pd.DataFrame) -> None:
    items.loc[parsed.index, ["quantity", "grams", "ml"]] = parsed[["quantity", "grams", "ml"]]
    items.loc[parsed.index, "unit"] = parsed["unit"]
    items.loc[parsed.index, "portion_text"] = parsed["words"]


def _finish(items: pd.DataFrame, info: LogInfo,
            limits: ReadLimits) -> tuple[pd.DataFrame, LogInfo]:
    zero = items["quantity"] == 0
    info.skipped_rows = items.loc[zero, "row"].astype(int).tolist()
    items = items[~zero].reset_index(drop=True)[ITEM_COLUMNS]
    if items.empty:
        raise BadMealLog([Problem(None, None, None,
                                  f"every row has amount 0 (row {_row_list(info.skipped_rows)}), "
                                  "so there is nothing to analyse; write how much was eaten")])
    info.rows_read = len(items)
    if info.skipped_rows:
        n = len(info.skipped_rows)
        info.notes.append(f"{n} {'row' if n == 1 else 'rows'} with amount 0 skipped "
                          f"(row {_row_list(info.skipped_rows)})")
    if info.blank_rows:
        n = len(info.blank_rows)
        info.notes.append(f"{n} blank {'row' if n == 1 else 'rows'} ignored")
    info.days = int(items["date"].nunique())
    info.first_date, info.last_date = items["date"].min(), items["date"].max()
    too_large = size_problem(items, info.days, limits.max_days, limits.max_names)
    if too_large:
        raise BadMealLog([too_large])
    return items, info



def _row_list(rows: list[int], shown: int = 10) -> str:
    text = ", ".join(map(str, rows[:shown]))
    return text + (f" and {len(rows) - shown} more" if len(rows) > shown else "")
