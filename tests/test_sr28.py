"""Reading the SR28 ASCII release: values, portions, tags, and clear errors for bad folders."""

from __future__ import annotations

import math
import shutil

import pandas as pd
import pytest
from sr28_sample import write_sr28

from nutrigap.analyzer.errors import FoodDataError
from nutrigap.analyzer.food_table import FOOD_COLUMNS, PORTION_COLUMNS
from nutrigap.analyzer.nutrients import NUTRIENTS, TRIGGER_KEYS
from nutrigap.foods.build_table import DATA_DIR, TABLE_FILES, build
from nutrigap.foods.sr28 import read_sr28


def _tags(table, food_id: str) -> set[str]:
    return set(table.foods.at[food_id, "tags"].split(","))


# --- a tiny folder in the SR28 format -------------------------------------------------------

def test_sample_folder_reads_into_the_food_table(tmp_path):
    table = read_sr28(write_sr28(tmp_path))
    assert list(table.foods.columns) == FOOD_COLUMNS
    assert list(table.portions.columns) == PORTION_COLUMNS
    spinach = table.foods.loc["sr:11457"]
    assert (spinach["name"], spinach["source"], spinach["ndb_no"]) == ("Spinach, raw", "sr28",
                                                                       "11457")
    assert spinach["food_group"] == "Vegetables and Vegetable Products"
    assert (spinach["magnesium_mg"], spinach["calcium_mg"], spinach["potassium_mg"]) == (79, 99,
                                                                                         558)
    cup = table.portions_of("sr:11457").set_index("description").loc["cup"]
    assert (cup["amount"], cup["grams"]) == (1.0, 30.0)


def test_vitamin_d_prefers_micrograms_then_iu_over_40_else_unknown(tmp_path):
    foods = read_sr28(write_sr28(tmp_path)).foods
    assert foods.at["sr:01077", "vitamin_d_ug"] == 1.3  # 328 given (and 324 = 51 IU ignored)
    assert foods.at["sr:15088", "vitamin_d_ug"] == pytest.approx(193 / 40)  # only 324 in IU
    assert math.isnan(foods.at["sr:15076", "vitamin_d_ug"])  # neither: unknown, not zero


def test_nutrients_missing_from_nut_data_stay_unknown(tmp_path):
    foods = read_sr28(write_sr28(tmp_path)).foods
    assert math.isnan(foods.at["sr:15076", "magnesium_mg"])
    assert math.isnan(foods.at["sr:11457", "vitamin_b12_ug"])
    assert foods.at["sr:15076", "vitamin_b12_ug"] == 3.18
    # no caffeine, alcohol, water or sodium in the sample: unknown, never 0
    assert foods[TRIGGER_KEYS].isna().all().all()


def test_a_food_without_weights_has_no_portions(tmp_path):
    table = read_sr28(write_sr28(tmp_path))
    assert table.portions_of("sr:15076").empty
    assert set(table.portions["food_id"]) == {"sr:01077", "sr:11457", "sr:15088"}


# --- bad folders and damaged files ----------------------------------------------------------

def _error(folder) -> str:
    with pytest.raises(FoodDataError) as info:
        read_sr28(folder)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_missing_folder(tmp_path):
    message = _error(tmp_path / "nowhere")
    assert "nowhere does not exist" in message and "FOOD_DES.txt" in message


def test_a_file_instead_of_a_folder(tmp_path):
    path = tmp_path / "FOOD_DES.txt"
    path.write_text("x")
    assert "is a file" in _error(path)


def test_a_folder_without_food_des_is_not_sr28(tmp_path):
    (tmp_path / "food.csv").write_text("fdc_id,description\n")
    assert "not an SR28 ASCII folder (no FOOD_DES.txt" in _error(tmp_path)


def test_a_missing_nutrient_file_is_named(tmp_path):
    folder = write_sr28(tmp_path)
    (folder / "NUT_DATA.txt").unlink()
    assert "lacks NUT_DATA.txt" in _error(folder)


def test_a_file_cut_mid_record_is_truncated(tmp_path):
    folder = write_sr28(tmp_path)
    data = (folder / "NUT_DATA.txt").read_bytes()
    (folder / "NUT_DATA.txt").write_bytes(data[:-25])
    message = _error(folder)
    assert "NUT_DATA.txt is truncated" in message and "fresh copy" in message


def test_a_last_line_missing_fields_is_truncated_even_with_a_line_break(tmp_path):
    folder = write_sr28(tmp_path)
    lines = (folder / "WEIGHT.txt").read_bytes().splitlines(keepends=True)
    (folder / "WEIGHT.txt").write_bytes(b"".join(lines[:-1]) + lines[-1][:12] + b"\r\n")
    assert "WEIGHT.txt is truncated" in _error(folder)


def test_an_empty_file(tmp_path):
    folder = write_sr28(tmp_path)
    (folder / "FD_GROUP.txt").write_bytes(b"")
    assert "FD_GROUP.txt is empty" in _error(folder)


def test_a_garbled_nutrient_value(tmp_path):
    folder = write_sr28(tmp_path)
    data = (folder / "NUT_DATA.txt").read_bytes().replace(b"^558^", b"^55x8^")
    (folder / "NUT_DATA.txt").write_bytes(data)
    message = _error(folder)
    assert "NUT_DATA.txt is damaged (line 13: Nutr_Val '55x8' is not a number)" in message


def test_a_garbled_food_number_names_the_line(tmp_path):
    folder = write_sr28(tmp_path)
    data = (folder / "FOOD_DES.txt").read_bytes().replace(b"~11457~", b"~1145~")
    (folder / "FOOD_DES.txt").write_bytes(data)
    assert "FOOD_DES.txt line 2: NDB_No '1145' is not a 5-digit code" in _error(folder)


def test_a_csv_file_under_an_sr28_name_is_refused(tmp_path):
    folder = write_sr28(tmp_path)
    (folder / "FOOD_DES.txt").write_text("fdc_id,description\n1,Spinach\n")
    assert "FOOD_DES.txt" in _error(folder)


# --- the real release in ../shared ----------------------------------------------------------

def test_whole_release_counts(sr28_table):
    assert len(sr28_table.foods) == 8789
    assert sr28_table.foods.index.is_unique
    assert len(sr28_table.portions) == 15438
    assert (sr28_table.portions["grams"] > 0).all()


def test_spinach_raw(sr28_table):
    spinach = sr28_table.foods.loc["sr:11457"]
    assert spinach["name"] == "Spinach, raw"
    assert (spinach["magnesium_mg"], spinach["calcium_mg"], spinach["potassium_mg"]) == (79, 99,
                                                                                         558)


def test_documented_spot_values(sr28_table):
    # The values the SR28 README quotes for butter and egg, and salmon's missing vitamin D.
    foods = sr28_table.foods
    assert foods.loc["sr:01001", ["calcium_mg", "magnesium_mg", "potassium_mg",
                                  "vitamin_b12_ug", "vitamin_d_ug"]].tolist() == [24, 2, 24,
                                                                                  0.17, 0.0]
    assert foods.loc["sr:01123", ["calcium_mg", "magnesium_mg", "potassium_mg", "vitamin_d_ug",
                                  "vitamin_b12_ug"]].tolist() == [56, 12, 138, 2.0, 0.89]
    assert math.isnan(foods.at["sr:15076", "vitamin_d_ug"])


def test_nutrient_coverage_matches_the_release_notes(sr28_table):
    # Foods with a value per nutrient, as counted in the SR28 README; vitamin D counts foods
    # with 328 or (failing that) 324.
    known = sr28_table.foods[["energy_kcal", "calcium_mg", "magnesium_mg", "potassium_mg",
                              "vitamin_b12_ug", "vitamin_b6_mg"]].notna().sum()
    assert known.tolist() == [8789, 8441, 8050, 8363, 7596, 7884]
    assert sr28_table.foods["vitamin_d_ug"].notna().sum() >= 5578
    # lines of NUT_DATA for Nutr_No 262, 221, 255 and 307: one per food that has the value
    triggers = sr28_table.foods[["caffeine_mg", "alcohol_g", "water_g", "sodium_mg"]]
    assert triggers.notna().sum().tolist() == [5396, 5591, 8788, 8706]


def test_coffee_brewed_and_regular_beer(sr28_table):
    foods = sr28_table.foods
    assert foods.at["sr:14209", "caffeine_mg"] == 40  # Beverages, coffee, brewed, tap water
    assert foods.at["sr:14003", "alcohol_g"] == 3.9  # Alcoholic beverage, beer, regular, all
    assert foods.at["sr:14154", "caffeine_mg"] == 29  # Beverages, Energy drink, RED BULL


def test_values_agree_with_a_plain_reading_of_nut_data(sr28_dir, sr28_table):
    # An independent line-by-line reading of NUT_DATA for every 40th food.
    wanted = set(sr28_table.foods["ndb_no"].iloc[::40])
    by_key = {nr: key for key, nr in NUTRIENTS["sr_nutr_no"].items()}
    raw: dict[str, dict[str, float]] = {n: {} for n in wanted}
    with open(sr28_dir / "NUT_DATA.txt", encoding="latin-1") as fp:
        for line in fp:
            if line[1:6] not in wanted:
                continue
            ndb, nr, value = (f.strip("~") for f in line.split("^")[:3])
            if nr in by_key or nr == "324":
                raw[ndb][nr] = float(value)
    for ndb, values in raw.items():
        row = sr28_table.foods.loc[f"sr:{ndb}"]
        for nr, key in by_key.items():
            expected = values.get(nr, values.get("324", math.nan) / 40 if nr == "328"
                                  else math.nan)
            assert row[key] == pytest.approx(expected, nan_ok=True), (ndb, key)


def test_clear_tags(sr28_table):
    assert _tags(sr28_table, "sr:01077") >= {"dairy", "vegetarian", "fortified"}
    assert "vegan" not in _tags(sr28_table, "sr:01077")
    assert _tags(sr28_table, "sr:12061") == {"nuts", "vegan", "vegetarian"}  # almonds
    assert _tags(sr28_table, "sr:15076") == {"fish"}  # salmon
    assert "gluten" in _tags(sr28_table, "sr:18075")  # whole-wheat bread
    assert _tags(sr28_table, "sr:16126") == {"soy", "vegan", "vegetarian"}  # tofu
    assert "nuts" in _tags(sr28_table, "sr:16098")  # peanut butter
    assert "dairy" not in _tags(sr28_table, "sr:16098")
    assert "vegan" not in _tags(sr28_table, "sr:19296")  # honey
    assert _tags(sr28_table, "sr:01123") == {"egg", "vegetarian"}
    assert "shellfish" in _tags(sr28_table, "sr:15149")  # shrimp
    assert "meat" in _tags(sr28_table, "sr:05064")  # chicken breast
    assert "gluten" not in _tags(sr28_table, "sr:08120")  # plain oats


def test_every_food_has_tags_from_the_vocabulary(sr28_table):
    from nutrigap.foods.tags import TAGS

    used = set(",".join(sr28_table.foods["tags"]).split(",")) - {""}
    assert used <= set(TAGS)
    vegan = sr28_table.foods["tags"].str.split(",").map(lambda t: "vegan" in t)
    animal = sr28_table.foods["tags"].str.contains(r"\b(?:meat|fish|shellfish|dairy|egg)\b")
    assert vegan.sum() > 1000 and not (vegan & animal).any()


# --- the committed table against SR28 -------------------------------------------------------

def test_every_embedded_food_matches_sr28(sr28_table, embedded_table):
    embedded = embedded_table.foods
    sr = sr28_table.foods.loc[embedded.index]
    columns = ["ndb_no", "usda_description", "food_group"]
    pd.testing.assert_frame_equal(embedded[columns], sr[columns])
    nutrients = list(NUTRIENTS.index)
    assert set(TRIGGER_KEYS) <= set(nutrients)  # caffeine, alcohol, water and sodium too
    pd.testing.assert_frame_equal(embedded[nutrients], sr[nutrients])
    for food_id in embedded.index:
        assert _tags(embedded_table, food_id) >= _tags(sr28_table, food_id) - {""}, food_id


def test_every_embedded_portion_matches_sr28(sr28_table, embedded_table):
    sr = sr28_table.portions[sr28_table.portions["food_id"].isin(embedded_table.foods.index)]
    pd.testing.assert_frame_equal(embedded_table.portions.reset_index(drop=True),
                                  sr.reset_index(drop=True))


def test_build_is_reproducible_and_matches_the_committed_files(sr28_dir, tmp_path):
    build(sr28_dir, tmp_path / "a")
    build(sr28_dir, tmp_path / "b")
    for name in TABLE_FILES:
        first = (tmp_path / "a" / name).read_bytes()
        assert first == (tmp_path / "b" / name).read_bytes(), name
        assert first == (DATA_DIR / name).read_bytes(), f"{name} is out of date: rebuild it"


def test_build_fails_loudly_on_an_unknown_ndb_number(sr28_dir, tmp_path):
    curated = tmp_path / "curated.csv"
    shutil.copy(DATA_DIR / "curated.csv", curated)
    with open(curated, "a", encoding="utf-8") as fp:
        fp.write('99999,"Moon cheese",moon cheese,\n')
    with pytest.raises(FoodDataError, match=r"not in SR28 FOOD_DES: 99999 \(row \d+\)"):
        build(sr28_dir, tmp_path / "out", curated_path=curated)
    assert not (tmp_path / "out").exists()
