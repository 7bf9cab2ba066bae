"""The local food database: a SQLite file holding imported and fetched USDA foods.

Writes go to a temporary copy in the same folder that replaces the database only once it is
complete (nutrigap.atomic), so an import that fails half-way leaves the previous database as
it was.

A database written before a nutrient was added to nutrigap lacks its column: it still loads,
with that nutrient unknown (NaN) for every food, and the next write adds the column.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
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
from nutrigap.atomic import replacing
from nutrigap.folders import data_dir
from nutrigap.foods.embedded import load_embedded

ENV_VAR = "NUTRIGAP_FOODS"
SCHEMA_VERSION = "1"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS foods (
    food_id TEXT PRIMARY KEY, name TEXT NOT NULL, source TEXT NOT NULL, ndb_no TEXT,
    fdc_id INTEGER, usda_description TEXT, food_group TEXT,
    {", ".join(f"{key} REAL" for key in NUTRIENT_KEYS)}, tags TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS portions (
    food_id TEXT NOT NULL REFERENCES foods(food_id), seq INTEGER NOT NULL,
    amount REAL NOT NULL, description TEXT NOT NULL, grams REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS portions_food ON portions(food_id);
CREATE TABLE IF NOT EXISTS aliases (
    alias TEXT NOT NULL, food_id TEXT NOT NULL, PRIMARY KEY (alias, food_id)
);
CREATE TABLE IF NOT EXISTS descriptions (
    food_id TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (food_id, text)
);
"""


def default_db_path() -> Path:
    """foods.sqlite in the user's data folder (on Linux $XDG_DATA_HOME/nutrigap, else
    ~/.local/share/nutrigap)."""
    return data_dir() / "foods.sqlite"


def resolve_db_path(option: str | os.PathLike | None = None) -> Path:
    """The database a command uses: its --foods option, else $NUTRIGAP_FOODS, else the
    default in the user's data folder."""
    chosen = option or os.environ.get(ENV_VAR)
    return Path(chosen).expanduser() if chosen else default_db_path()


def save_table(table: FoodTable, path: str | os.PathLike) -> None:
    """Add the table's foods, portions and aliases to the database at `path` (created when
    missing); a food already there is replaced, with its portions."""
    path = Path(path)
    if path.exists():
        _check_database(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FoodDataError(f"cannot create the food database {path} ({exc.strerror}); give "
                            "a --foods file in a folder you can write to") from None
    try:
        with replacing(path) as tmp:
            if path.exists():
                shutil.copyfile(path, tmp)
                shutil.copymode(path, tmp)
            with contextlib.closing(sqlite3.connect(tmp)) as db, db:
                db.executescript(_SCHEMA)
                _add_missing_columns(db)
                db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                           (SCHEMA_VERSION,))
                _upsert(db, table)
    except (sqlite3.Error, OSError) as exc:
        raise FoodDataError(f"could not write the food database {path} ({exc}); it is "
                            "unchanged; check the disk space and permissions") from None


def add_foods(found: FoodTable, path: str | os.PathLike) -> int:
    """Save fetched foods into the database at `path` (created when missing); a food already
    there keeps its tags and aliases. Returns how many foods the database holds now."""
    path = Path(path)
    if path.exists():
        found = load_table(path).subset(found.foods.index).merged_with(found)
    save_table(found, path)
    return count_foods(path)


def load_table(path: str | os.PathLike) -> FoodTable:
    """Everything in the database at `path`, as a FoodTable."""
    path = Path(path)
    if not path.exists():
        raise FoodDataError(f"there is no food database at {path}; create it with "
                            "`nutrigap foods import PATH` or give another --foods file")
    _check_database(path)
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        foods = pd.read_sql_query("SELECT * FROM foods ORDER BY food_id", db)
        portions = pd.read_sql_query(
            f"SELECT {', '.join(PORTION_COLUMNS)} FROM portions ORDER BY food_id, seq, rowid", db)
        aliases = pd.read_sql_query(
            f"SELECT {', '.join(ALIAS_COLUMNS)} FROM aliases ORDER BY alias, food_id", db)
        # A database written before descriptions were kept has no such table.
        descriptions = (pd.read_sql_query(
            f"SELECT {', '.join(DESCRIPTION_COLUMNS)} FROM descriptions ORDER BY rowid", db)
            if _has_table(db, "descriptions") else pd.DataFrame(columns=DESCRIPTION_COLUMNS))
    # an older database has no column for a nutrient added since: unknown, never 0
    foods = foods.set_index("food_id").reindex(columns=FOOD_COLUMNS)
    foods = foods.astype({"fdc_id": "Int64", **dict.fromkeys(NUTRIENT_KEYS, float)})
    foods["tags"] = foods["tags"].fillna("")
    portions = portions.astype({"seq": int, "amount": float, "grams": float})
    return FoodTable(foods, portions, aliases, descriptions.astype(object))


def count_foods(path: str | os.PathLike) -> int:
    """How many foods the database at `path` holds."""
    _check_database(Path(path))
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return db.execute("SELECT COUNT(*) FROM foods").fetchone()[0]


def load_foods(path: str | os.PathLike | None = None) -> FoodTable:
    """The built-in table plus the local database when there is one; `path` (or
    $NUTRIGAP_FOODS) must exist when given, the default database may be absent."""
    embedded = load_embedded()
    chosen = resolve_db_path(path)
    if not chosen.exists():
        if path or os.environ.get(ENV_VAR):
            load_table(chosen)  # raises the "no food database" message
        return embedded
    # The built-in row wins for a food in both: same USDA numbers, plus its short display name;
    # merged_with keeps the tags and aliases of both.
    return load_table(chosen).merged_with(embedded)


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                      (name,)).fetchone() is not None


def _check_database(path: Path) -> None:
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            tables = {row[0] for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = (db.execute("SELECT value FROM meta WHERE key = 'schema_version'")
                       .fetchone() if "meta" in tables else None)
    except sqlite3.Error:
        raise FoodDataError(f"{path} is not a nutrigap food database (not SQLite); give "
                            "another --foods file") from None
    if not {"meta", "foods", "portions", "aliases"} <= tables or version is None:
        raise FoodDataError(f"{path} is a SQLite file but not a nutrigap food database; give "
                            "another --foods file")
    if version[0] != SCHEMA_VERSION:
        raise FoodDataError(f"{path} was written by another nutrigap version (schema "
                            f"{version[0]}); import your USDA files into a new --foods file")


def _add_missing_columns(db: sqlite3.Connection) -> None:
    """Add the nutrient columns a database written by an earlier nutrigap lacks (left NULL,
    unknown, for the foods already there)."""
    present = {row[1] for row in db.execute("PRAGMA table_info(foods)")}
    for key in NUTRIENT_KEYS:
        if key not in present:
            db.execute(f"ALTER TABLE foods ADD COLUMN {key} REAL")


def _upsert(db: sqlite3.Connection, table: FoodTable) -> None:
    foods = table.foods.reset_index()[["food_id", *FOOD_COLUMNS]]
    columns = ", ".join(foods.columns)
    marks = ", ".join("?" * len(foods.columns))
    db.executemany(f"INSERT OR REPLACE INTO foods ({columns}) VALUES ({marks})", _rows(foods))
    # A re-imported food gets exactly its new portions, never a second copy of the old ones.
    db.execute("CREATE TEMP TABLE saved (food_id TEXT PRIMARY KEY)")
    db.executemany("INSERT OR IGNORE INTO saved VALUES (?)", ((i,) for i in foods["food_id"]))
    db.execute("DELETE FROM portions WHERE food_id IN (SELECT food_id FROM saved)")
    db.execute("DELETE FROM descriptions WHERE food_id IN (SELECT food_id FROM saved)")
    db.execute("DROP TABLE saved")
    portions = table.portions[PORTION_COLUMNS].drop_duplicates()
    db.executemany(f"INSERT INTO portions ({', '.join(PORTION_COLUMNS)}) VALUES (?, ?, ?, ?, ?)",
                   _rows(portions))
    db.executemany("INSERT OR IGNORE INTO aliases (alias, food_id) VALUES (?, ?)",
                   _rows(table.aliases[ALIAS_COLUMNS]))
    db.executemany("INSERT OR IGNORE INTO descriptions (food_id, text) VALUES (?, ?)",
                   _rows(table.descriptions[DESCRIPTION_COLUMNS]))


def _rows(frame: pd.DataFrame):
    """Plain Python rows with None for missing values, as sqlite3 wants them."""
    columns = []
    for name in frame.columns:
        values = frame[name].astype(object).to_numpy()
        missing = pd.isna(frame[name]).to_numpy()
        values[missing] = None
        columns.append([v.item() if isinstance(v, np.generic) else v for v in values])
    return zip(*columns, strict=True)
