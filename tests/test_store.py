"""The local SQLite food database: paths, round trips, re-imports, merging, failures."""

from __future__ import annotations

import os
import sqlite3

import pandas as pd
import pytest
from sr28_sample import FOOD_DES, NUT_DATA, WEIGHT, write_sr28

from nutrigap.analyzer.errors import FoodDataError
from nutrigap.analyzer.food_table import FoodTable
from nutrigap.foods.embedded import load_embedded
from nutrigap.foods.sr28 import read_sr28
from nutrigap.foods.store import (
    count_foods,
    default_db_path,
    load_foods,
    load_table,
    resolve_db_path,
    save_table,
)


@pytest.fixture
def sample(tmp_path) -> FoodTable:
    return read_sr28(write_sr28(tmp_path / "sr28"))


def _same_table(left: FoodTable, right: FoodTable) -> None:
    pd.testing.assert_frame_equal(left.foods.sort_index(), right.foods.sort_index())
    key = ["food_id", "seq"]
    pd.testing.assert_frame_equal(left.portions.sort_values(key, ignore_index=True),
                                  right.portions.sort_values(key, ignore_index=True))


# --- where the database lives ----------------------------------------------------------------

def test_default_path_follows_xdg_data_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "nutrigap" / "foods.sqlite"


def test_default_path_without_xdg_is_under_local_share(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_db_path() == tmp_path / ".local" / "share" / "nutrigap" / "foods.sqlite"


def test_option_then_environment_then_default(monkeypatch, tmp_path):
    assert resolve_db_path(None) == default_db_path()
    monkeypatch.setenv("NUTRIGAP_FOODS", str(tmp_path / "env.sqlite"))
    assert resolve_db_path(None) == tmp_path / "env.sqlite"
    assert resolve_db_path(str(tmp_path / "opt.sqlite")) == tmp_path / "opt.sqlite"


# --- saving and loading ------------------------------------------------------------------------

def test_round_trip_keeps_every_value(sample, tmp_path):
    db = tmp_path / "foods.sqlite"
    save_table(sample, db)
    loaded = load_table(db)
    _same_table(loaded, sample)
    assert loaded.foods["fdc_id"].dtype == "Int64"
    assert pd.isna(loaded.foods.at["sr:15076", "vitamin_d_ug"])  # unknown stays unknown
    assert count_foods(db) == len(sample.foods)


# The foods table as nutrigap wrote it before caffeine, alcohol, water and sodium were read.
_SCHEMA_BEFORE_TRIGGERS = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE foods (
    food_id TEXT PRIMARY KEY, name TEXT NOT NULL, source TEXT NOT NULL, ndb_no TEXT,
    fdc_id INTEGER, usda_description TEXT, food_group TEXT,
    magnesium_mg REAL, calcium_mg REAL, potassium_mg REAL, vitamin_d_ug REAL,
    vitamin_b12_ug REAL, vitamin_b6_mg REAL, energy_kcal REAL, tags TEXT NOT NULL DEFAULT ''
);
CREATE TABLE portions (
    food_id TEXT NOT NULL REFERENCES foods(food_id), seq INTEGER NOT NULL,
    amount REAL NOT NULL, description TEXT NOT NULL, grams REAL NOT NULL
);
CREATE TABLE aliases (alias TEXT NOT NULL, food_id TEXT NOT NULL, PRIMARY KEY (alias, food_id));
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO foods VALUES ('sr:14209', 'Beverages, coffee, brewed, prepared with tap water',
    'sr28', '14209', NULL, 'Beverages, coffee, brewed, prepared with tap water', 'Beverages',
    3, 2, 49, 0, 0, 0.001, 1, 'vegan,vegetarian');
INSERT INTO portions VALUES ('sr:14209', 3, 1, 'cup (8 fl oz)', 237);
"""


def test_a_database_from_before_the_trigger_columns_loads_with_them_unknown(sample, tmp_path):
    db = tmp_path / "foods.sqlite"
    with sqlite3.connect(db) as con:
        con.executescript(_SCHEMA_BEFORE_TRIGGERS)
    coffee = load_table(db).foods.loc["sr:14209"]
    assert coffee["potassium_mg"] == 49
    for key in ("caffeine_mg", "alcohol_g", "water_g", "sodium_mg"):
        assert pd.isna(coffee[key]), key  # never 0: the old database did not hold them
    # the built-in row (with SR28's caffeine) wins over the old database's for the same food
    assert load_foods(db).foods.at["sr:14209", "caffeine_mg"] == 40

    save_table(sample, db)  # the next write adds the columns; the old food keeps its values
    with sqlite3.connect(db) as con:
        columns = {row[1] for row in con.execute("PRAGMA table_info(foods)")}
    assert {"caffeine_mg", "alcohol_g", "water_g", "sodium_mg"} <= columns
    loaded = load_table(db)
    assert loaded.foods.at["sr:14209", "potassium_mg"] == 49
    assert pd.isna(loaded.foods.at["sr:14209", "caffeine_mg"])
    _same_table(loaded.subset(sample.foods.index), sample)


def test_the_database_folder_is_created_and_the_file_is_readable_by_others(sample, tmp_path):
    db = tmp_path / "new" / "folder" / "foods.sqlite"
    old = os.umask(0o022)
    try:
        save_table(sample, db)
    finally:
        os.umask(old)
    assert db.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in db.parent.iterdir()] == ["foods.sqlite"]


def test_saving_the_same_table_again_changes_nothing(sample, tmp_path):
    db = tmp_path / "foods.sqlite"
    save_table(sample, db)
    first = load_table(db)
    save_table(sample, db)
    again = load_table(db)
    _same_table(again, first)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM portions").fetchone()[0] == len(WEIGHT)


def test_a_second_source_adds_and_updates_foods(sample, tmp_path):
    db = tmp_path / "foods.sqlite"
    save_table(sample, db)
    newer = read_sr28(write_sr28(
        tmp_path / "newer",
        food_des=[*FOOD_DES[1:2], ("11090", "1100", "Broccoli, raw")],
        nut_data=[(n, nr, 80 if (n, nr) == ("11457", "304") else v) for n, nr, v in NUT_DATA]
        + [("11090", "304", 21)],
        weight=[("11457", "1", "1", "cup", "31"), ("11090", "1", "1", "cup chopped", "91")],
    ))
    save_table(newer, db)
    loaded = load_table(db)
    assert sorted(loaded.foods.index) == ["sr:01077", "sr:11090", "sr:11457", "sr:15076",
                                          "sr:15088"]
    assert loaded.foods.at["sr:11457", "magnesium_mg"] == 80
    assert loaded.foods.at["sr:01077", "calcium_mg"] == 113  # untouched by the second import
    # the re-imported food has exactly its new portions
    spinach = loaded.portions_of("sr:11457")
    assert spinach[["description", "grams"]].values.tolist() == [["cup", 31.0]]
    assert len(loaded.portions_of("sr:01077")) == 2


def test_additional_descriptions_round_trip_and_are_renewed_with_their_food(tmp_path):
    from fdc_fixtures.csv_download import fndds_tables, write_files

    from nutrigap.foods.fdc_csv import read_fdc_csv

    tables = fndds_tables()
    db = tmp_path / "foods.sqlite"
    save_table(read_fdc_csv(write_files(tmp_path / "first", tables)), db)
    assert load_table(db).descriptions.values.tolist() == [
        ["fndds:27116100", t] for t in ("lamb", "mutton", "goat", "pork")]
    # a newer release describes the curry otherwise: its descriptions replace the old ones
    tables["food_attribute.csv"] = [(1, 2706155, 1, 1001, "", "lamb curry")]
    save_table(read_fdc_csv(write_files(tmp_path / "second", tables)), db)
    assert load_table(db).descriptions.values.tolist() == [["fndds:27116100", "lamb curry"]]


def test_a_database_written_before_descriptions_were_kept_still_loads(sample, tmp_path):
    db = tmp_path / "foods.sqlite"
    save_table(sample, db)
    with sqlite3.connect(db) as con:
        con.execute("DROP TABLE descriptions")
    loaded = load_table(db)
    assert len(loaded) == len(sample) and loaded.descriptions.empty
    save_table(sample, db)  # writing it again adds the table
    assert load_table(db).descriptions.empty


def test_full_sr28_round_trip(sr28_table, tmp_path):
    db = tmp_path / "sr28.sqlite"
    save_table(sr28_table, db)
    _same_table(load_table(db), sr28_table)
    save_table(sr28_table, db)
    assert count_foods(db) == 8789
    assert len(load_table(db).portions) == 15438


# --- failures leave the database as it was ------------------------------------------------------

def test_a_failed_save_leaves_the_database_intact(sample, tmp_path):
    db = tmp_path / "foods.sqlite"
    save_table(sample, db)
    before = db.read_bytes()
    broken = FoodTable(sample.foods.copy(), sample.portions, sample.aliases)
    broken.foods["name"] = broken.foods["name"].astype(object)
    broken.foods.loc["sr:15088", "name"] = None  # a food must have a name
    with pytest.raises(FoodDataError, match="could not write the food database .* unchanged"):
        save_table(broken, db)
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name != "sr28"] == ["foods.sqlite"]


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(sample, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("my shopping list\n")
    with pytest.raises(FoodDataError, match="notes.txt is not a nutrigap food database"):
        save_table(sample, path)
    with pytest.raises(FoodDataError, match="not a nutrigap food database"):
        load_table(path)
    assert path.read_text() == "my shopping list\n"


def test_another_sqlite_database_is_refused(sample, tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(FoodDataError, match="a SQLite file but not a nutrigap food database"):
        save_table(sample, path)


def test_loading_a_missing_database_says_how_to_create_one(tmp_path):
    with pytest.raises(FoodDataError, match="no food database at .*nutrigap foods import"):
        load_table(tmp_path / "none.sqlite")


# --- the built-in table plus the database --------------------------------------------------------

def test_without_a_database_the_built_in_table_is_used():
    table = load_foods()
    assert len(table) == len(load_embedded())


def test_a_named_database_that_does_not_exist_is_an_error(tmp_path, monkeypatch):
    with pytest.raises(FoodDataError, match="no food database"):
        load_foods(tmp_path / "typo.sqlite")
    monkeypatch.setenv("NUTRIGAP_FOODS", str(tmp_path / "typo.sqlite"))
    with pytest.raises(FoodDataError, match="no food database"):
        load_foods()


def test_merge_keeps_built_in_names_aliases_and_tags(tmp_path):
    sample = read_sr28(write_sr28(tmp_path / "sr28", food_des=[
        *FOOD_DES, ("11098", "1100", "Brussels sprouts, raw")]))
    db = tmp_path / "foods.sqlite"
    save_table(sample, db)
    table = load_foods(db)
    embedded = load_embedded()
    assert table.foods.index.is_unique
    assert set(table.foods.index) == set(embedded.foods.index) | set(sample.foods.index)
    milk = table.foods.loc["sr:01077"]
    assert (milk["name"], milk["source"]) == ("Whole milk", "embedded")
    assert table.foods.at["sr:11098", "source"] == "sr28"  # not built in: as imported
    assert len(table.aliases) == len(embedded.aliases)
    expected = load_table(db).merged_with(embedded)
    pd.testing.assert_frame_equal(table.foods.sort_index(), expected.foods.sort_index())


def test_merge_with_the_whole_sr28_import(sr28_table, tmp_path):
    db = tmp_path / "sr28.sqlite"
    save_table(sr28_table, db)
    table = load_foods(db)
    assert len(table) == 8789
    spinach = table.foods.loc["sr:11457"]
    assert spinach[["magnesium_mg", "calcium_mg", "potassium_mg"]].tolist() == [79, 99, 558]
    assert table.aliases.set_index("alias").at["oj", "food_id"] == "sr:09209"
    embedded = load_embedded()
    shared = table.portions[table.portions["food_id"].isin(embedded.foods.index)]
    assert len(shared) == len(embedded.portions)  # each food's portions once, not doubled


def test_a_folder_that_cannot_be_made_is_one_clear_error(sample, tmp_path):
    (tmp_path / "notes").write_text("a file where the folder would go", encoding="utf-8")
    with pytest.raises(FoodDataError, match=r"cannot create the food database .*foods.sqlite "
                                            r"\(File exists\); give a --foods file"):
        save_table(sample, tmp_path / "notes" / "foods.sqlite")

