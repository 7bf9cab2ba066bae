"""A dietitian's per-client targets (nutrient -> value) from a CSV or TOML file, or a dict.

A name may be one of our keys (`magnesium_mg`) or a friendly name (`magnesium`, `Vitamin D`,
`Vitamin D (IU)`); a name ending in `_ul` or `upper limit` sets the upper limit instead of the
target. The names and their unit factors are the table `data/target_names.csv`.
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
from collections.abc import Iterable, Mapping

import pandas as pd

from nutrigap.analyzer.errors import BadTargets, excerpt
from nutrigap.analyzer.limits import MAX_TARGETS_BYTES, TARGET_RANGE
from nutrigap.analyzer.logs import KINDS, UserTable, read_table, read_text
from nutrigap.analyzer.nutrients import IU_PER_UG_VITAMIN_D, NUTRIENTS
from nutrigap.analyzer.rule_tables import rule_table

#: one row per override: where it was written, the name as written, our key, which field it
#: sets ("target" or "ul"), the value in our unit and the value cell as written
OVERRIDE_COLUMNS = ["where", "written", "nutrient", "field", "value", "value_written"]

WHAT = "targets file"
_UL_SUFFIX = re.compile(r"\s+(ul|upper limit|upper level)$")
_EXAMPLE = "e.g. magnesium_mg = 300 or vitamin D = 15"
# "1000 IU" in a vitamin D value: international units, converted to µg (40 IU = 1 µg)
_IU_VALUE = re.compile(r"^\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*iu\s*$", re.IGNORECASE)


def normalise_name(name: str) -> str:
    """'Vitamin D (µg)' -> 'vitamin d ug'; 'magnesium_mg' -> 'magnesium mg'."""
    text = str(name).strip().lower().replace("µ", "u").replace("μ", "u")
    text = re.sub(r"\bmcg\b", "ug", text)
    text = re.sub(r"[()_\-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@functools.cache
def _names() -> pd.DataFrame:
    table = rule_table("target_names.csv")
    table = table.assign(name=table["name"].map(normalise_name))
    return table.drop_duplicates("name").set_index("name")


def read_overrides(fp) -> pd.DataFrame:
    """Read a targets file from an open file object: CSV (`nutrient,value` header) or TOML
    (`magnesium_mg = 300`), told apart by its first line. Both are decoded as every table a
    user gives is (UTF-8 or UTF-16 with or without a byte-order mark, Windows-1252), and
    refused beyond MAX_TARGETS_BYTES without reading further (a path may name a device)."""
    data = fp.read(MAX_TARGETS_BYTES + 1)
    text, _ = read_text(data, what=WHAT, max_bytes=MAX_TARGETS_BYTES)
    first = next((line.strip() for line in text.splitlines()
                  if line.strip() and not line.strip().startswith("#")), "")
    if not first:
        raise BadTargets(KINDS[WHAT].empty)
    sep_line = first.strip('"').lower().startswith("sep=")  # Excel's delimiter line: a CSV
    if ("=" in first or first.startswith("[")) and not sep_line:
        return _parse(_toml_entries(text))
    table, form = read_table(data, what=WHAT, max_bytes=MAX_TARGETS_BYTES)
    return _parse(*_csv_entries(table, form.decimal_comma))


def parse_overrides(data) -> pd.DataFrame:
    """Check overrides given as a {name: value} dict or a DataFrame with `nutrient, value`
    columns (row numbers as a spreadsheet shows them); returns OVERRIDE_COLUMNS."""
    if isinstance(data, pd.DataFrame):
        if set(OVERRIDE_COLUMNS) - {"value_written"} <= set(data.columns):
            data = data.assign(value_written=data.get("value_written", data["value"]))
            return data[OVERRIDE_COLUMNS].reset_index(drop=True)
        missing = {"nutrient", "value"} - set(data.columns)
        if missing:
            raise BadTargets(f"target overrides need the columns nutrient and value; "
                             f"{', '.join(sorted(missing))} is missing")
        rows = data["row"] if "row" in data.columns else range(2, len(data) + 2)
        entries = [(f"row {r}", n, v) for r, n, v in zip(rows, data["nutrient"], data["value"],
                                                          strict=True)]
        return _parse(entries)
    if isinstance(data, Mapping):
        return _parse(("", name, value) for name, value in data.items())
    raise BadTargets(f"target overrides must be a table or a mapping, not {type(data).__name__}")


def _toml_entries(text: str) -> list[tuple[str, str, object]]:
    fix = ('write one nutrient per line, e.g. magnesium_mg = 300, quoting names with spaces: '
           '"vitamin D" = 15')
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadTargets(f"the targets file is not valid TOML ({exc}); {fix}") from None
    except RecursionError:  # tomllib reads nested arrays and tables by recursion
        raise BadTargets(f"the targets file nests lists or tables too deeply to be a targets "
                         f"file; {fix}") from None
    if set(data) == {"targets"} and isinstance(data["targets"], dict):
        data = data["targets"]
    lines = _toml_key_lines(text)
    entries: list[tuple[str, str, object]] = []
    for name, value in data.items():
        where = f"line {lines[name]}" if name in lines else f'"{name}"'
        if isinstance(value, dict):
            raise BadTargets(f"{where}: [{name}] is not a nutrient; put the values at the top "
                             f"of the file or under [targets], {_EXAMPLE}")
        entries.append((where, name, value))
    return entries


def _toml_key_lines(text: str) -> dict[str, int]:
    """Line number of each `key = value` so a message can point at it."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"""\s*(["']?)(.+?)\1\s*=""", line) or re.match(r"\s*(\[)(.+?)\]", line)
        if m:
            found.setdefault(m.group(2).strip(), number)
    return found


def _csv_entries(table: UserTable, decimal_comma: bool
                 ) -> tuple[list[tuple[str, str, object]], list[str]]:
    """The (where, name, value) of each row, and the rows that cannot be read as one."""
    columns = table.positions(("nutrient", "value"))
    name_at, value_at = columns["nutrient"], columns["value"]
    entries: list[tuple[str, str, object]] = []
    problems: list[str] = []
    for row in table.rows():
        cells = row.cells
        extra = table.extra_cells(row)
        if extra:
            problems.append(f"row {row.number}: {extra}")
            continue
        name = cells[name_at] if name_at < len(cells) else ""
        value = cells[value_at] if value_at < len(cells) else ""
        if decimal_comma:
            value = value.replace(",", ".")
        entries.append((f"row {row.number}", name, value))
    return entries, problems


def _parse(entries: Iterable[tuple[str, str, object]],
           problems: Iterable[str] = ()) -> pd.DataFrame:
    names = _names()
    problems = list(problems)
    records: list[tuple[str, str, str, str, float, str]] = []
    seen: dict[tuple[str, str], str] = {}
    for where, written, raw_value in entries:
        at = f"{where}: " if where else ""
        name = normalise_name(written)
        field = "target"
        if _UL_SUFFIX.search(name):
            name, field = _UL_SUFFIX.sub("", name), "ul"
        if not name:
            problems.append(f"{at}the nutrient name is empty; write one, {_EXAMPLE}")
            continue
        if name not in names.index:
            problems.append(f'{at}"{excerpt(written)}" is not a nutrient with a target; use '
                            f"one of {_known_list()} (or our keys such as magnesium_mg)")
            continue
        key, factor = names.at[name, "nutrient"], float(names.at[name, "factor"])
        value_written = str(raw_value).strip()
        if key == "vitamin_d_ug" and isinstance(raw_value, str) and (
                in_iu := _IU_VALUE.match(raw_value)):
            # the value says its own unit, whatever the name says
            raw_value = str(float(in_iu.group(1)))
            factor = 1 / IU_PER_UG_VITAMIN_D
        value, message = _number(raw_value, key, field, factor)
        if message:
            problems.append(f"{at}{message}")
            continue
        if (key, field) in seen:
            problems.append(f'{at}"{written}" sets the {_field_words(field)} of '
                            f"{NUTRIENTS.at[key, 'name']} again (already set at "
                            f"{seen[key, field] or 'another name'}); keep one of the two")
            continue
        seen[key, field] = where
        records.append((where, str(written), key, field, value * factor, value_written))
    if problems:
        raise BadTargets("\n".join(problems))
    return pd.DataFrame(records, columns=OVERRIDE_COLUMNS)


def _number(raw, key: str, field: str, factor: float) -> tuple[float, str]:
    """The value as a float, or an empty value and what is wrong with it: it must be within
    TARGET_RANGE once in our unit (`factor` converts it)."""
    unit = NUTRIENTS.at[key, "unit"]
    what = f"the {NUTRIENTS.at[key, 'name']} {_field_words(field)}"
    hint = f"write {what} in {unit} as a number above 0"
    if raw is None or isinstance(raw, bool) or (isinstance(raw, str) and not raw.strip()):
        shown = "" if raw is None or raw == "" else f'"{str(raw).lower()}" '
        return math.nan, f"{shown}is not a number; {hint}"
    shown = excerpt(raw)
    try:
        value = float(raw.strip() if isinstance(raw, str) else raw)
    except (TypeError, ValueError, OverflowError):
        return math.nan, f'"{shown}" is not a number; {hint} (300, not "300 mg")'
    if not math.isfinite(value):
        return math.nan, f'"{shown}" is not a number; {hint}'
    if value < 0:
        return math.nan, f'"{shown}" is negative; {hint}'
    if value == 0:
        return math.nan, (f'"{shown}": {what} cannot be 0; delete the line to keep the '
                          f"standard value")
    low, high = TARGET_RANGE
    if not low <= value * factor <= high:
        return math.nan, (f'"{shown}" is not a {NUTRIENTS.at[key, "name"]} '
                          f"{_field_words(field)} a person could have (nutrigap takes "
                          f"{low:g} to {high:,.0f} {unit}); check the number")
    return value, ""


def _field_words(field: str) -> str:
    return "upper limit" if field == "ul" else "target"


def _known_list() -> str:
    scored = NUTRIENTS[NUTRIENTS["role"].isin(["target", "watched"])]
    return ", ".join(scored["name"])
