"""The rule tables shipped with nutrigap, each read through its declared shape.

A table's shape (its columns, their types, allowed values, required cells, whether row order
matters) is declared once, in `rule_specs.py`. CSV tables hold data whose columns mean the
same on every row; a table whose rows come in kinds, each with columns of its own, is a TOML
file with one section per kind:

    [prefer]
    about = "what a row of this kind means"
    rows = [
      { word = "rice", form = "cooked white regular" },
    ]

(a kind with one column may list bare strings). Every cell is checked and typed when a table
is first read: text is a string ("" when empty), a number a float (NaN when empty), a flag a
bool, a regular expression a string that compiles, a list a tuple of strings. Anything that
does not fit raises `BadRuleTable` naming each wrong cell. Tables are read on first use, not
at import, and kept; callers must not change the frames they get.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
import tomllib
from importlib import resources

import pandas as pd

from nutrigap.analyzer.errors import BadRuleTable, Problem
from nutrigap.analyzer.rule_specs import (
    FLAG,
    LIST,
    NUMBER,
    REGEX,
    SPECS,
    TEXT,
    Column,
    Sections,
    Table,
)

_YES = "yes"  # a flag set in a CSV cell; an empty cell is not set
_EMPTY = {TEXT: "", NUMBER: math.nan, FLAG: False, REGEX: "", LIST: ()}
_DTYPES = {NUMBER: "float64", FLAG: "bool"}  # the others hold Python objects


def rule_table(table: str | Table) -> pd.DataFrame:
    """A CSV rule table (by file name in analyzer/data, or by spec), checked and typed."""
    spec = _spec(table) if isinstance(table, str) else table
    if not isinstance(spec, Table):
        raise TypeError(f"{spec.file} has sections; read it with rule_sections")
    return _load(spec)


def rule_sections(table: str | Sections) -> dict[str, pd.DataFrame]:
    """A sectioned TOML rule table: {kind: its rows}, checked and typed."""
    spec = _spec(table) if isinstance(table, str) else table
    if not isinstance(spec, Sections):
        raise TypeError(f"{spec.file} is a plain table; read it with rule_table")
    return _load(spec)


def parse_table(spec: Table, content: str) -> pd.DataFrame:
    """Check and type a CSV table's content against its spec."""
    rows = list(csv.reader(io.StringIO(content)))
    header = rows[0] if rows else []
    names = [c.name for c in spec.columns]
    if header != names:
        raise BadRuleTable(spec.file, [Problem(1, None, ",".join(header),
                                               f"the header should be {','.join(names)}")])
    problems: list[Problem] = []
    records = []
    for at, cells in enumerate(rows[1:], start=2):
        if not any(cells):
            continue
        if len(cells) != len(names):
            problems.append(Problem(at, None, None, f"has {len(cells)} cells, not {len(names)}"))
            continue
        records.append((at, dict(zip(names, cells, strict=True))))
    frame = _typed(spec.columns, records, spec.unique, problems)
    if problems:
        raise BadRuleTable(spec.file, problems)
    return frame


def parse_sections(spec: Sections, content: str) -> dict[str, pd.DataFrame]:
    """Check and type a sectioned TOML table's content against its spec."""
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        raise BadRuleTable(spec.file, [Problem(None, None, None, f"is not valid TOML ({exc})")])\
            from None
    kinds = {s.kind: s for s in spec.sections}
    problems = [Problem(None, f"[{kind}]", None, f"is not a kind of this table; the kinds are "
                                                 f"{', '.join(kinds)}")
                for kind in data if kind not in kinds]
    out = {}
    for kind, section in kinds.items():
        body = data.get(kind)
        if not isinstance(body, dict) or not isinstance(body.get("rows"), list):
            problems.append(Problem(None, f"[{kind}]", None, "is missing, or has no rows list"))
            continue
        if not isinstance(body.get("about"), str) or not body["about"].strip():
            problems.append(Problem(None, f"[{kind}]", None, "needs about = \"what a row "
                                                             "of this kind means\""))
        extra = set(body) - {"about", "rows"}
        if extra:
            problems.append(Problem(None, f"[{kind}]", None,
                                    f"has {', '.join(sorted(extra))}; only about and rows"))
        found: list[Problem] = []
        records = [(at, _record(section.columns, row, at, found))
                   for at, row in enumerate(body["rows"], start=1)]
        out[kind] = _typed(section.columns, [(at, r) for at, r in records if r is not None],
                           section.unique, found)
        problems += [Problem(p.row, f"[{kind}] {p.column or ''}".strip(), p.value, p.message)
                     for p in found]
    if problems:
        raise BadRuleTable(spec.file, problems)
    return out


def _spec(name: str) -> Table | Sections:
    # imported here: the specs are built from this module's classes
    try:
        return SPECS[name]
    except KeyError:
        raise KeyError(f"{name} has no spec in analyzer/rule_specs.py") from None


@functools.cache
def _load(spec: Table | Sections):
    content = resources.files(spec.package).joinpath("data", spec.file).read_text(
        encoding="utf-8")
    if isinstance(spec, Table):
        return parse_table(spec, content)
    return parse_sections(spec, content)


def _record(columns: tuple[Column, ...], row, at: int, problems: list[Problem]) -> dict | None:
    """A TOML row as {column: value}: an inline table, or a bare string for one column."""
    names = [c.name for c in columns]
    if isinstance(row, str) and len(names) == 1:
        return {names[0]: row}
    if not isinstance(row, dict):
        problems.append(Problem(at, None, str(row), f"should be {{ {', '.join(names)} }}"))
        return None
    extra = [k for k in row if k not in names]
    if extra:
        problems.append(Problem(at, None, None, f"has {', '.join(extra)}; the columns are "
                                                f"{', '.join(names)}"))
    return row


def _typed(columns: tuple[Column, ...], records: list[tuple[int, dict]], unique: tuple[str, ...],
           problems: list[Problem]) -> pd.DataFrame:
    values: dict[str, list] = {c.name: [] for c in columns}
    for at, record in records:
        for column in columns:
            try:
                values[column.name].append(_cell(column, record.get(column.name)))
            except ValueError as exc:
                problems.append(Problem(at, column.name, _shown(record.get(column.name)),
                                        str(exc)))
                values[column.name].append(_EMPTY[column.type])
    frame = pd.DataFrame(values, columns=list(values))
    if frame.empty:  # no values to tell the types from
        frame = frame.astype({c.name: _DTYPES.get(c.type, object) for c in columns})
    if unique and len(frame):
        twice = frame.duplicated(list(unique), keep="first").to_numpy()
        for (at, _), again in zip(records, twice, strict=True):
            if again:
                problems.append(Problem(at, ", ".join(unique), None,
                                        "repeats a row above; each row needs its own "
                                        + " and ".join(unique)))
    return frame


def _cell(column: Column, raw):
    """One cell as its column's type; ValueError says what is wrong with it."""
    if raw is None or raw == "" or raw == []:
        if column.required:
            raise ValueError("is empty; this column needs a value")
        return _EMPTY[column.type]
    value: object
    if column.type == NUMBER:
        value = _number(raw)
    elif column.type == FLAG:
        value = _flag(raw)
    elif column.type == LIST:
        items = raw if isinstance(raw, list) else raw.split(column.sep)
        if not all(isinstance(i, str) for i in items):
            raise ValueError("should be a list of words")
        value = tuple(i.strip() for i in items if i.strip())
    elif not isinstance(raw, str):
        raise ValueError("should be text")
    else:
        value = raw
    if column.type == REGEX:
        try:
            re.compile(str(value))
        except re.error as exc:
            raise ValueError(f"is not a valid regular expression ({exc})") from None
    for item in value if isinstance(value, tuple) else (value,):
        if column.allowed and item not in column.allowed:
            held = f"holds {item!r}, which " if column.type == LIST else ""
            raise ValueError(f"{held}is not allowed here; use one of "
                             f"{', '.join(column.allowed)}")
    return value


def _number(raw) -> float:
    if isinstance(raw, bool):
        raise ValueError("is not a number")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ValueError("is not a number") from None
    if not math.isfinite(value):
        raise ValueError("is not a finite number")
    return value


def _flag(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    if raw == _YES:
        return True
    raise ValueError(f"should be {_YES} or empty")


def _shown(raw) -> str | None:
    return None if raw is None else str(raw)
