"""`nutrigap foods import`: SR28 and FoodData Central folders, and bad input that must leave an
existing database exactly as it was."""

from __future__ import annotations

import hashlib
import re
import zipfile

import pytest
from click.testing import CliRunner
from fdc_fixtures.csv_download import sr_legacy_tables, write_files
from fdc_fixtures.zips import pack, spoil
from sr28_sample import write_sr28

from nutrigap.cli import main
from nutrigap.foods import store as food_store
from nutrigap.foods.importer import detect_format
from nutrigap.foods.store import load_foods, load_table, save_table

SUMMARY = re.compile(
    r"Imported (?P<foods>[\d,]+) foods \((?P<values>[\d,]+) nutrient values, "
    r"(?P<portions>[\d,]+) portions\) from (?P<kind>the SR28 ASCII release|a FoodData Central "
    r"CSV download) in (?P<path>.+) into (?P<db>.+) in \d+\.\d s; the database now holds "
    r"(?P<total>[\d,]+) foods\.\n")


def _import(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["foods", "import", *args], env=env)


def _summary(result) -> dict[str, str]:
    assert result.exit_code == 0, result.output
    match = SUMMARY.fullmatch(result.output)
    assert match, result.output
    return match.groupdict()


@pytest.fixture
def sr28_folder(tmp_path):
    return write_sr28(tmp_path / "sr28")


@pytest.fixture
def fdc_folder(tmp_path):
    return write_files(tmp_path / "FoodData_Central_sr_legacy_food_csv_2018-04",
                       sr_legacy_tables())


@pytest.fixture
def existing_db(tmp_path, sr28_folder):
    """A database made by an earlier import, with its bytes' digest."""
    db = tmp_path / "existing.sqlite"
    assert _import(str(sr28_folder), "--foods", str(db)).exit_code == 0
    return db, hashlib.sha256(db.read_bytes()).hexdigest(), load_table(db)


def test_sr28_import_prints_a_summary(sr28_folder, tmp_path):
    db = tmp_path / "foods.sqlite"
    summary = _summary(_import(str(sr28_folder), "--foods", str(db)))
    # values: milk 7, spinach 5 (no vitamin D or B12), salmon 3, sardines 3 (D from IU)
    assert summary == {"foods": "4", "values": "18", "portions": "5",
                       "kind": "the SR28 ASCII release", "path": str(sr28_folder),
                       "db": str(db), "total": "4"}
    assert load_table(db).foods.at["sr:11457", "potassium_mg"] == 558


def test_reimport_is_idempotent(sr28_folder, tmp_path):
    db = tmp_path / "foods.sqlite"
    first = _summary(_import(str(sr28_folder), "--foods", str(db)))
    table = load_table(db)
    again = _summary(_import(str(sr28_folder), "--foods", str(db)))
    assert again["total"] == first["total"] == "4"
    reloaded = load_table(db)
    assert reloaded.foods.equals(table.foods) and reloaded.portions.equals(table.portions)


def test_the_database_comes_from_the_environment(sr28_folder, tmp_path):
    db = tmp_path / "from-env.sqlite"
    _summary(_import(str(sr28_folder), env={"NUTRIGAP_FOODS": str(db)}))
    assert len(load_table(db)) == 4


def test_fdc_csv_download_is_recognised_and_adds_to_the_database(sr28_folder, fdc_folder,
                                                                  tmp_path):
    db = tmp_path / "foods.sqlite"
    _summary(_import(str(sr28_folder), "--foods", str(db)))
    summary = _summary(_import(str(fdc_folder), "--foods", str(db)))
    assert summary["kind"] == "a FoodData Central CSV download"
    fdc_ids = set(load_table(db).foods.index)
    assert {"sr:01077", "sr:15088"} <= fdc_ids  # from SR28, still there
    assert int(summary["total"]) == len(fdc_ids) > 4
    assert "sr:11457" in fdc_ids  # the same spinach from both sources is one food


def test_detect_format(sr28_folder, fdc_folder):
    assert detect_format(sr28_folder) == "sr28"
    assert detect_format(fdc_folder) == "fdc"


# --- bad input: one line, exit code 2, database untouched ---------------------------------------

def _refused(existing_db, path) -> str:
    db, digest, table = existing_db
    result = _import(str(path), "--foods", str(db))
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert "Traceback" not in result.output
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    assert load_table(db).foods.equals(table.foods)
    assert [p.name for p in db.parent.glob(".existing.sqlite*")] == []
    return result.output


def test_missing_path(existing_db, tmp_path):
    output = _refused(existing_db, tmp_path / "no-such-folder")
    assert output == (f"Error: {tmp_path / 'no-such-folder'} does not exist; give the folder "
                      "of an unpacked SR28 or FoodData Central CSV download, or its zip\n")


def test_a_file_instead_of_a_folder(existing_db, sr28_folder):
    output = _refused(existing_db, sr28_folder / "FOOD_DES.txt")
    assert "is a file but not a zip; give the zip USDA ships or the folder unpacked" in output


def test_the_zip_usda_ships_is_imported_as_it_is(tmp_path):
    archive = pack(sr_legacy_tables(), tmp_path / "FoodData_Central_sr_legacy_food_csv_2018-04.zip")
    db = tmp_path / "foods.sqlite"
    summary = _summary(_import(str(archive), "--foods", str(db)))
    assert (summary["foods"], summary["kind"], summary["path"]) == (
        "4", "a FoodData Central CSV download", str(archive))
    assert load_table(db).foods.at["sr:11457", "magnesium_mg"] == 79
    assert not list(tmp_path.glob("nutrigap-import-*"))


def test_a_damaged_zip_is_refused(existing_db, tmp_path):
    archive = pack(sr_legacy_tables(), tmp_path / "FoodData_Central_sr_legacy_food_csv_2018-04.zip")
    archive.write_bytes(spoil(archive))
    output = _refused(existing_db, archive)
    assert "cannot be unpacked" in output and "download it again" in output


def test_wrong_folder(existing_db, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "beach.jpg").write_bytes(b"\xff\xd8")
    output = _refused(existing_db, folder)
    assert "holds neither the SR28 ASCII files nor a FoodData Central CSV download" in output


def test_the_folder_above_a_download_names_the_one_to_give(existing_db, fdc_folder):
    output = _refused(existing_db, fdc_folder.parent)
    assert f"did you mean {fdc_folder}?" in output


def test_truncated_fdc_csv(existing_db, fdc_folder):
    path = fdc_folder / "food_nutrient.csv"
    path.write_bytes(path.read_bytes()[:-7])
    assert "food_nutrient.csv" in _refused(existing_db, fdc_folder)


def test_fdc_download_missing_a_file(existing_db, fdc_folder):
    (fdc_folder / "food_portion.csv").unlink()
    assert "food_portion.csv" in _refused(existing_db, fdc_folder)


def test_truncated_sr28_file(existing_db, sr28_folder):
    path = sr28_folder / "NUT_DATA.txt"
    path.write_bytes(path.read_bytes()[:-30])
    assert "NUT_DATA.txt is truncated" in _refused(existing_db, sr28_folder)


def test_a_database_path_that_is_not_a_database(sr28_folder, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me\n")
    result = _import(str(sr28_folder), "--foods", str(notes))
    assert result.exit_code == 2 and "is not a nutrigap food database" in result.output
    assert notes.read_text() == "keep me\n"


def test_a_failed_write_keeps_the_old_database(existing_db, sr28_folder, monkeypatch):

    def fail_half_way(db, table):
        db.execute("DELETE FROM foods")
        raise food_store.sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(food_store, "_upsert", fail_half_way)
    output = _refused(existing_db, sr28_folder)
    assert "database or disk is full" in output and "it is unchanged" in output


# --- the real release ----------------------------------------------------------------------------

def test_import_the_whole_sr28_then_find_spinach(sr28_dir, tmp_path, monkeypatch):
    db = tmp_path / "x.sqlite"
    summary = _summary(_import(str(sr28_dir), "--foods", str(db)))
    assert (summary["foods"], summary["portions"], summary["total"]) == ("8,789", "15,438",
                                                                         "8,789")
    monkeypatch.delenv("NUTRIGAP_FOODS", raising=False)
    spinach = load_foods(db).foods.loc["sr:11457"]
    assert spinach[["magnesium_mg", "calcium_mg", "potassium_mg"]].tolist() == [79, 99, 558]
    save_table(load_table(db), db)  # saving what was loaded changes nothing
    assert len(load_table(db)) == 8789


def test_a_zip_without_usda_data_names_the_zip(existing_db, tmp_path):
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("photos/notes.txt", "not food data")
    output = _refused(existing_db, archive)
    assert output.startswith(f"Error: {archive} holds neither the SR28 ASCII files")
    assert "nutrigap-import-" not in output


def test_an_error_inside_a_zip_names_the_file_in_the_zip(existing_db, tmp_path):
    tables = sr_legacy_tables()
    tables["food_portion.csv"][3] = (tables["food_portion.csv"][3][0], "", *tables[
        "food_portion.csv"][3][2:])
    archive = pack(tables, tmp_path / "FoodData_Central_sr_legacy_food_csv_2018-04.zip")
    output = _refused(existing_db, archive)
    assert output.startswith(f"Error: {archive}/FoodData_Central_sr_legacy_food_csv_2018-04/"
                             "food_portion.csv row 5: fdc_id is empty")
