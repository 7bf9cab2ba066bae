"""FNDDS "At A Glance" tables: the real 2017-2018 files (values checked against the CSV rows
themselves), USDA's own file names, import on top of SR28, and clear errors for bad folders
and files."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sr28_sample import write_sr28

from nutrigap.analyzer.errors import FoodDataError
from nutrigap.cli import main
from nutrigap.foods.fndds import read_fndds, read_fndds_with_notes
from nutrigap.foods.importer import detect_format
from nutrigap.foods.store import load_table

NUTRIENTS_FILE = "fndds1718_nutrient_values.csv"
PORTIONS_FILE = "fndds1718_portions_and_weights.csv"
FOODS_FILE = "fndds1718_foods_and_beverages.csv"
USDA_NAMES = {
    NUTRIENTS_FILE: "2017-2018 FNDDS At A Glance - FNDDS Nutrient Values.csv",
    PORTIONS_FILE: "2017-2018 FNDDS At A Glance - Portions and Weights.csv",
    FOODS_FILE: "2017-2018 FNDDS At A Glance - Foods and Beverages.csv",
}


@pytest.fixture(scope="module")
def fndds(fndds_dir):
    return read_fndds_with_notes(fndds_dir)


def _rows(path: Path) -> list[dict[str, str]]:
    """The CSV rows under the header, header cells with their line breaks made spaces."""
    with open(path, encoding="utf-8-sig", newline="") as fp:
        rows = list(csv.reader(fp))
    start = next(i for i, r in enumerate(rows) if r and r[0] == "Food code")
    header = [" ".join(c.split()) for c in rows[start]]
    return [dict(zip(header, r, strict=True)) for r in rows[start + 1:] if any(r)]


# --- the real files -----------------------------------------------------------------------

@pytest.mark.parametrize("code", ["95120010", "75111200", "11111000", "24122130"])
def test_nutrients_per_100g_are_the_csv_values(fndds, fndds_dir, code):
    row = next(r for r in _rows(fndds_dir / NUTRIENTS_FILE) if r["Food code"] == code)
    food = fndds.table.foods.loc[f"fndds:{code}"]
    assert food["name"] == row["Main food description"]
    assert food["food_group"] == row["WWEIA Category description"]
    assert food["source"] == "fndds"
    for key, column in [("magnesium_mg", "Magnesium (mg)"), ("calcium_mg", "Calcium (mg)"),
                        ("potassium_mg", "Potassium (mg)"),
                        ("vitamin_d_ug", "Vitamin D (D2 + D3) (mcg)"),
                        ("vitamin_b12_ug", "Vitamin B-12 (mcg)"),
                        ("vitamin_b6_mg", "Vitamin B-6 (mg)"), ("energy_kcal", "Energy (kcal)"),
                        ("caffeine_mg", "Caffeine (mg)"), ("alcohol_g", "Alcohol (g)"),
                        ("water_g", "Water (g)"), ("sodium_mg", "Sodium (mg)")]:
        assert food[key] == pytest.approx(float(row[column])), key


def test_coffee_and_beer_carry_caffeine_and_alcohol(fndds):
    foods = fndds.table.foods
    assert foods.loc["fndds:92101000", ["caffeine_mg", "alcohol_g"]].tolist() == [40, 0]
    assert foods.loc["fndds:93101000", ["alcohol_g", "caffeine_mg"]].tolist() == [3.9, 0]
    # FNDDS has every value for every food
    assert foods[["caffeine_mg", "alcohol_g", "water_g", "sodium_mg"]].notna().all().all()


def test_every_food_is_read_and_nothing_is_missing(fndds, fndds_dir):
    codes = [r["Food code"] for r in _rows(fndds_dir / NUTRIENTS_FILE)]
    foods = fndds.table.foods
    assert list(foods.index) == [f"fndds:{c}" for c in codes]
    # FNDDS gives every nutrient for every food
    assert not foods[["magnesium_mg", "calcium_mg", "potassium_mg", "vitamin_d_ug",
                      "vitamin_b12_ug"]].isna().any().any()


def test_portions_are_the_csv_weights_with_the_amount_split_off(fndds, fndds_dir):
    rows = [r for r in _rows(fndds_dir / PORTIONS_FILE) if r["Food code"] == "24122130"]
    portions = fndds.table.portions_of("fndds:24122130").set_index("description")
    for row in rows:
        text = row["Portion description"]
        if text == "Quantity not specified":
            assert text not in portions.index
            continue
        amount, _, described = text.partition(" ")
        assert float(amount) == portions.at[described, "amount"]
        assert portions.at[described, "grams"] == pytest.approx(float(row["Portion weight (g)"]))
    assert portions.at["small breast", "grams"] == pytest.approx(
        float(next(r["Portion weight (g)"] for r in rows
                   if r["Portion description"] == "1 small breast")))


def test_pizza_sizes_keep_their_diameter(fndds, fndds_dir):
    rows = [r for r in _rows(fndds_dir / PORTIONS_FILE)
            if r["Portion description"].startswith("1 medium pizza (")][:1]
    assert rows
    code = rows[0]["Food code"]
    portions = fndds.table.portions_of(f"fndds:{code}").set_index("description")
    described = rows[0]["Portion description"][2:]  # 'medium pizza (11-12" diameter)'
    assert portions.at[described, "grams"] == pytest.approx(float(rows[0]["Portion weight (g)"]))


def test_left_out_portions_are_counted(fndds, fndds_dir):
    rows = _rows(fndds_dir / PORTIONS_FILE)
    unspecified = sum(r["Portion description"] == "Quantity not specified" for r in rows)
    products = sum(r["Subcode"].strip() not in ("", "0")
                   and r["Portion description"] != "Quantity not specified" for r in rows)
    assert fndds.notes == [f"{unspecified:,} \"Quantity not specified\" portions",
                           f"{products:,} portions of named products (FNDDS subcodes)"]
    assert len(fndds.table.portions) == len(rows) - unspecified - products
    assert (fndds.table.portions["grams"] > 0).all()


def test_additional_descriptions_are_kept_one_per_row(fndds, fndds_dir):
    rows = _rows(fndds_dir / FOODS_FILE)
    listed = {r["Food code"]: r["Additional food description"] for r in rows}
    assert listed["27116100"] == "lamb; mutton; goat; pork"
    descriptions = fndds.table.descriptions
    curry = descriptions[descriptions["food_id"] == "fndds:27116100"]
    assert list(curry["text"]) == ["lamb", "mutton", "goat", "pork"]
    # a text repeated in one food's cell is kept once
    expected = {(code, t.strip()) for code, text in listed.items() for t in text.split(";")
                if t.strip()}
    assert len(descriptions) == len(expected)
    # they are not aliases: "pork" alone must never be Beef curry for certain
    assert fndds.table.aliases.empty


def test_usda_file_names_are_found(fndds_dir, tmp_path):
    folder = tmp_path / "FNDDS 2017-2018"
    folder.mkdir()
    for name, usda in USDA_NAMES.items():
        (folder / usda).symlink_to(fndds_dir / name)
    assert detect_format(folder) == "fndds"
    table = read_fndds(folder)
    assert len(table) == len(_rows(fndds_dir / NUTRIENTS_FILE))


def test_import_on_top_of_sr28(fndds_dir, tmp_path):
    db = tmp_path / "foods.sqlite"
    runner = CliRunner()
    first = runner.invoke(main, ["foods", "import", str(write_sr28(tmp_path / "sr28")),
                                 "--foods", str(db)])
    assert first.exit_code == 0, first.output
    result = runner.invoke(main, ["foods", "import", str(fndds_dir), "--foods", str(db)])
    assert result.exit_code == 0, result.output
    assert "from the FNDDS At A Glance tables" in result.output
    assert "\"Quantity not specified\" portions" in result.output
    table = load_table(db)
    foods = len(_rows(fndds_dir / NUTRIENTS_FILE))
    assert len(table) == foods + 4  # the SR28 sample holds 4 foods
    calcium = next(r["Calcium (mg)"] for r in _rows(fndds_dir / NUTRIENTS_FILE)
                   if r["Food code"] == "95120010")
    assert table.foods.loc["fndds:95120010", "calcium_mg"] == pytest.approx(float(calcium))
    assert len(table.portions_of("fndds:95120010")) > 0
    assert set(table.foods["source"]) == {"sr28", "fndds"}


# --- small files for the errors -----------------------------------------------------------

NUTRIENT_HEADER = ["Food code", "Main food description", "WWEIA Category number",
                   "WWEIA Category description", "Energy (kcal)", "Vitamin B-6 (mg)",
                   "Vitamin B-12 (mcg)", "Vitamin B-12, added\n(mcg)",
                   "Vitamin D (D2 + D3) (mcg)", "Calcium (mg)", "Magnesium (mg)",
                   "Potassium (mg)", "Sodium (mg)", "Caffeine (mg)", "Alcohol (g)", "Water (g)"]
NUTRIENT_ROWS = [["11111000", "Milk, whole", "1002", "Milk, whole", "60", "0.061", "0.54", "0",
                  "1.1", "123", "12", "150", "38", "0", "0", "88.1"],
                 ["75111200", "Eggplant, raw", "6420", "Other vegetables and combinations",
                  "25", "0.084", "0", "0", "0", "9", "14", "229", "2", "0", "0", ""]]
PORTION_HEADER = ["Food code", "Main food description", "Subcode", "Subcode description",
                  "WWEIA Category number", "WWEIA Category description", "Seq num",
                  "Portion description", "Portion weight (g)"]
PORTION_ROWS = [["11111000", "Milk, whole", "", "", "1002", "Milk, whole", "1", "1 cup", "244"],
                ["11111000", "Milk, whole", "", "", "1002", "Milk, whole", "2",
                 "Quantity not specified", "244"],
                ["75111200", "Eggplant, raw", "", "", "6420", "Other", "1", "1 cup, cubes", "82"]]


def _write(path: Path, title: str, header: list[str], rows: list[list[str]]) -> Path:
    """A CSV as Excel saves USDA's sheet: BOM, a title cell over two lines, then the table."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fp:
        writer = csv.writer(fp)
        writer.writerow([f"{title}\n2017-2018 Food and Nutrient Database for Dietary Studies"
                         " - At A Glance", *[""] * (len(header) - 1)])
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _folder(tmp_path: Path, nutrients=None, portions=None) -> Path:
    folder = tmp_path / "fndds"
    folder.mkdir(exist_ok=True)
    _write(folder / "fndds1718_nutrient_values.csv", "FNDDS Nutrient Values",
           NUTRIENT_HEADER, NUTRIENT_ROWS if nutrients is None else nutrients)
    _write(folder / "fndds1718_portions_and_weights.csv", "Portions and Weights",
           PORTION_HEADER, PORTION_ROWS if portions is None else portions)
    return folder


def test_small_folder_is_read(tmp_path):
    table = read_fndds(_folder(tmp_path))
    assert table.foods.loc["fndds:75111200", "potassium_mg"] == 229
    assert table.foods.loc["fndds:11111000", ["sodium_mg", "water_g"]].tolist() == [38, 88.1]
    assert pd.isna(table.foods.loc["fndds:75111200", "water_g"])  # an empty cell: unknown
    assert table.portions[["food_id", "amount", "description", "grams"]].values.tolist() == [
        ["fndds:11111000", 1.0, "cup", 244.0], ["fndds:75111200", 1.0, "cup, cubes", 82.0]]


def test_missing_portions_file_is_named(tmp_path):
    folder = _folder(tmp_path)
    (folder / "fndds1718_portions_and_weights.csv").unlink()
    with pytest.raises(FoodDataError, match=r'has no CSV of the FNDDS "Portions and Weights" .*'
                                            r"At A Glance - Portions and Weights\.csv"):
        read_fndds(folder)


def test_xlsx_only_says_to_save_the_sheet_as_csv(tmp_path):
    folder = _folder(tmp_path)
    (folder / "fndds1718_portions_and_weights.csv").unlink()
    (folder / "2017-2018 FNDDS At A Glance - Portions and Weights.xlsx").write_bytes(b"PK")
    with pytest.raises(FoodDataError, match=r"save the Portions and Weights sheet of "
                                            r"2017-2018 FNDDS At A Glance - Portions and "
                                            r"Weights\.xlsx as CSV"):
        read_fndds(folder)


def test_missing_column_is_named(tmp_path):
    header = [c for c in NUTRIENT_HEADER if c != "Magnesium (mg)"]
    rows = [r[:10] + r[11:] for r in NUTRIENT_ROWS]
    folder = _folder(tmp_path, nutrients=rows)
    _write(folder / "fndds1718_nutrient_values.csv", "FNDDS Nutrient Values", header, rows)
    with pytest.raises(FoodDataError, match=r"fndds1718_nutrient_values\.csv has no "
                                            r"'Magnesium \(mg\)' column"):
        read_fndds(folder)


def test_text_in_a_number_cell_names_the_line(tmp_path):
    rows = [r.copy() for r in NUTRIENT_ROWS]
    rows[1][9] = "nine"
    # title cell (2 lines) + header with a line break (2 lines): the second food is line 6
    with pytest.raises(FoodDataError, match=r'nutrient_values\.csv line 6: Calcium \(mg\) '
                                            r'"nine" is not a number'):
        read_fndds(_folder(tmp_path, nutrients=rows))


def test_cut_short_file_is_reported(tmp_path):
    rows = [*PORTION_ROWS, ["75111200", "Eggplant, raw", ""]]
    with pytest.raises(FoodDataError, match=r"portions_and_weights\.csv line 7: 3 fields "
                                            r"where the header has 9"):
        read_fndds(_folder(tmp_path, portions=rows))


def test_portions_of_another_release_are_refused(tmp_path):
    rows = [*PORTION_ROWS, ["99999999", "Other", "", "", "1", "x", "1", "1 cup", "10"]]
    with pytest.raises(FoodDataError, match=r"food code 99999999 has no nutrient values"):
        read_fndds(_folder(tmp_path, portions=rows))


def test_a_folder_of_other_files_is_not_fndds(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    with pytest.raises(FoodDataError, match=r"FNDDS At A Glance tables.*FNDDS Nutrient "
                                            r"Values\.csv"):
        detect_format(tmp_path)


def test_wrong_file_under_a_matching_name(tmp_path):
    folder = _folder(tmp_path)
    (folder / "fndds1718_nutrient_values.csv").write_text("name,amount\nmilk,1\n")
    with pytest.raises(FoodDataError, match=r'no header row starting with "Food code"; it is '
                                            r'not the FNDDS "FNDDS Nutrient Values" table'):
        read_fndds(folder)


def test_a_folder_of_the_workbooks_asks_for_csv(tmp_path):
    for sheet in ("FNDDS Nutrient Values", "Portions and Weights"):
        (tmp_path / f"2017-2018 FNDDS At A Glance - {sheet}.xlsx").write_bytes(b"PK")
    assert detect_format(tmp_path) == "fndds"
    with pytest.raises(FoodDataError, match=r'no CSV of the FNDDS "FNDDS Nutrient Values" '
                                            r'table .*save the FNDDS Nutrient Values sheet of '
                                            r'2017-2018 FNDDS At A Glance - FNDDS Nutrient '
                                            r'Values\.xlsx as CSV'):
        read_fndds(tmp_path)
    (tmp_path / "fndds1718_nutrient_values.csv").write_text("")
    with pytest.raises(FoodDataError, match=r'Portions and Weights sheet of 2017-2018 FNDDS At '
                                            r'A Glance - Portions and Weights\.xlsx'):
        read_fndds(tmp_path)


def test_a_report_made_with_fndds_foods_names_fndds_in_its_methods_and_sources(fndds):
    from report_samples import analyze_text

    from nutrigap.foods.embedded import load_embedded

    table = fndds.table.merged_with(load_embedded())
    log = ("date,meal,food,amount,unit\n"
           "2024-05-06,lunch,\"Eggplant parmesan casserole, regular\",250,g\n"
           "2024-05-06,dinner,spinach,100,g\n")
    report = analyze_text(log, table)
    matched = {m["name"]: m["food_id"] for m in report["matches"]}
    assert matched["Eggplant parmesan casserole, regular"].startswith("fndds:")
    titles = [s["title"] for s in report["sources"]]
    assert any("Food and Nutrient Database for Dietary Studies 2017-2018" in t for t in titles)
    assert any("USDA SR28 and FNDDS 2017-2018 data" in line for line in report["methods"])

    spinach_only = analyze_text("\n".join(log.splitlines()[0::2]) + "\n", table)
    assert not any("Dietary Studies" in s["title"] for s in spinach_only["sources"])
