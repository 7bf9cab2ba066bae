"""Reading FoodData Central CSV downloads (SR Legacy, Foundation, FNDDS) into a FoodTable."""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest
from fdc_fixtures.csv_download import (
    ADDITIONAL_DESCRIPTION,
    HEADERS,
    SR_LEGACY_FOODS,
    fndds_tables,
    foundation_tables,
    sr28_as_fdc,
    sr_legacy_tables,
    write_files,
)
from fdc_fixtures.csv_download import NUTRIENTS as FDC_NUTRIENTS

from nutrigap.analyzer.errors import FoodDataError
from nutrigap.analyzer.food_table import FOOD_COLUMNS, PORTION_COLUMNS
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS, NUTRIENTS
from nutrigap.foods.fdc_common import ADDED_B12, NUTRIENT_SOURCES, portion_text
from nutrigap.foods.fdc_csv import REQUIRED_FILES, read_fdc_csv, read_fdc_csv_with_notes


@pytest.fixture
def sr_legacy(tmp_path):
    return write_files(tmp_path / "FoodData_Central_sr_legacy_food_csv_2018-04",
                       sr_legacy_tables())


def test_sr_legacy_foods_keep_their_sr_number_and_values(sr_legacy):
    table = read_fdc_csv(sr_legacy)
    assert list(table.foods.columns) == FOOD_COLUMNS
    assert list(table.portions.columns) == PORTION_COLUMNS
    assert sorted(table.foods.index) == sorted(f"sr:{n:05d}" for _, n, *_ in SR_LEGACY_FOODS)
    spinach = table.foods.loc["sr:11457"]
    assert spinach["name"] == "Spinach, raw"
    assert (spinach["source"], spinach["ndb_no"], spinach["fdc_id"]) == ("fdc", "11457", 168462)
    assert spinach["food_group"] == "Vegetables and Vegetable Products"
    assert (spinach["magnesium_mg"], spinach["calcium_mg"], spinach["potassium_mg"]) == (
        79, 99, 558)
    assert spinach["energy_kcal"] == 23  # kcal (1008), not the kJ row (1062)
    assert spinach["vitamin_b6_mg"] == pytest.approx(0.195)
    assert spinach[["caffeine_mg", "alcohol_g", "water_g", "sodium_mg"]].tolist() == [
        0, 0, 91.4, 79]


def test_a_value_the_download_lacks_is_unknown_not_zero(sr_legacy):
    foods = read_fdc_csv(sr_legacy).foods
    assert math.isnan(foods.at["sr:15076", "vitamin_d_ug"])  # salmon: not analysed
    assert foods.at["sr:15076", "vitamin_b12_ug"] == pytest.approx(3.18)
    assert math.isnan(foods.at["sr:16609", "magnesium_mg"])
    assert foods.at["sr:11457", "vitamin_d_ug"] == 0  # a measured zero stays zero
    # salmon: water and sodium analysed, caffeine and alcohol not
    assert foods.loc["sr:15076", ["water_g", "sodium_mg"]].tolist() == [68.5, 44]
    assert math.isnan(foods.at["sr:15076", "caffeine_mg"])
    assert math.isnan(foods.at["sr:15076", "alcohol_g"])


def test_vitamin_d_in_iu_only_is_converted_to_micrograms(sr_legacy):
    foods = read_fdc_csv(sr_legacy).foods
    assert foods.at["sr:16609", "vitamin_d_ug"] == pytest.approx(1 / 40)


def test_sr_legacy_portions_read_like_sr28_weight(sr_legacy):
    portions = read_fdc_csv(sr_legacy).portions
    spinach = portions[portions["food_id"] == "sr:11457"]
    assert list(zip(spinach["seq"], spinach["amount"], spinach["description"],
                    spinach["grams"], strict=True)) == [
        (1, 1.0, "cup", 30.0), (2, 1.0, "bunch", 340.0), (3, 1.0, "leaf", 10.0),
        (4, 1.0, "package (10 oz)", 284.0)]
    salmon = portions[portions["food_id"] == "sr:15076"]
    assert list(zip(salmon["amount"], salmon["description"], strict=True)) == [
        (3.0, "oz"), (0.5, "fillet")]


def test_without_sr_legacy_food_csv_foods_get_fdc_ids(sr_legacy):
    (sr_legacy / "sr_legacy_food.csv").unlink()
    foods = read_fdc_csv(sr_legacy).foods
    assert "fdc:168462" in foods.index
    assert foods["ndb_no"].isna().all()


def test_without_food_category_csv_the_group_is_empty(sr_legacy):
    (sr_legacy / "food_category.csv").unlink()
    assert set(read_fdc_csv(sr_legacy).foods["food_group"]) == {""}


def test_foundation_energy_falls_back_to_atwater_and_samples_are_left_out(tmp_path):
    table = read_fdc_csv(write_files(tmp_path, foundation_tables()))
    # Foundation NDB numbers are not SR foods: only SR Legacy foods become "sr:".
    assert sorted(table.foods.index) == ["fdc:2346409", "fdc:747448"]
    assert table.foods.at["fdc:747448", "energy_kcal"] == pytest.approx(32.2)  # 2048 first
    assert table.foods.at["fdc:2346409", "energy_kcal"] == pytest.approx(351)  # then 2047
    assert table.foods.at["fdc:747448", "magnesium_mg"] == pytest.approx(12.1)
    assert math.isnan(table.foods.at["fdc:747448", "vitamin_b12_ug"])


def test_foundation_portions_join_unit_and_modifier(tmp_path):
    portions = read_fdc_csv(write_files(tmp_path, foundation_tables())).portions
    strawberries = portions[portions["food_id"] == "fdc:747448"]
    assert list(zip(strawberries["amount"], strawberries["description"],
                    strawberries["grams"], strict=True)) == [
        (1.0, "cup, halves", 152.0), (1.0, "cup", 144.0), (8.0, "piece", 96.0)]
    lentils = portions[portions["food_id"] == "fdc:2346409"]
    assert list(zip(lentils["amount"], lentils["description"], strict=True)) == [
        (0.25, "cup"), (1.0, "RACC")]


def test_fndds_portions_take_the_amount_from_the_description(tmp_path):
    read = read_fdc_csv_with_notes(write_files(tmp_path, fndds_tables()))
    table = read.table
    assert table.foods.at["fndds:27116100", "food_group"] == "Meat mixed dishes"
    assert table.foods.at["fndds:27116100", "vitamin_b12_ug"] == pytest.approx(0.54)
    curry = table.portions[table.portions["food_id"] == "fndds:27116100"]
    # "Quantity not specified" is FNDDS's default amount, left out as FNDDS's own tables are
    assert list(zip(curry["amount"], curry["description"], curry["grams"], strict=True)) == [
        (1.0, "cup", 240.0), (0.5, "cup", 120.0)]
    assert read.notes == ['3 "Quantity not specified" portions']


def test_survey_foods_are_named_and_numbered_as_fndds_names_them(tmp_path):
    table = read_fdc_csv(write_files(tmp_path, fndds_tables()))
    assert sorted(table.foods.index) == ["fndds:11000000", "fndds:27116100", "fndds:72125100"]
    curry = table.foods.loc["fndds:27116100"]
    assert (curry["name"], curry["usda_description"], curry["source"], curry["fdc_id"]) == (
        "Beef curry", "Beef curry", "fdc", 2706155)
    # nutrients named by number in the survey download: 304 is magnesium, 208 energy
    assert (curry["magnesium_mg"], curry["energy_kcal"]) == (17, 111)
    spinach = table.portions[table.portions["food_id"] == "fndds:72125100"]
    assert list(spinach["description"]) == ["cup", "leaf", "baby leaf",
                                            "Guideline amount in salad"]


def test_survey_foods_keep_fndds_additional_descriptions(tmp_path):
    tables = fndds_tables()
    # another kind of attribute is not a description
    tables["food_attribute_type.csv"].append((999, "Other", "Not a description."))
    tables["food_attribute.csv"].append((4, 2710218, 1, 999, "", "not a name"))
    descriptions = read_fdc_csv(write_files(tmp_path, tables)).descriptions
    assert list(zip(descriptions["food_id"], descriptions["text"], strict=True)) == [
        ("fndds:27116100", "lamb"), ("fndds:27116100", "mutton"),
        ("fndds:27116100", "goat"), ("fndds:27116100", "pork")]


def test_without_survey_fndds_food_csv_survey_foods_get_fdc_ids(tmp_path):
    tables = fndds_tables()
    del tables["survey_fndds_food.csv"]
    assert "fdc:2706155" in read_fdc_csv(write_files(tmp_path, tables)).foods.index


def test_a_survey_food_without_a_category_in_food_csv_takes_the_survey_file_s(tmp_path):
    tables = fndds_tables()
    tables["food.csv"] = [(f, t, d, "", p) for f, t, d, _, p in tables["food.csv"]]
    foods = read_fdc_csv(write_files(tmp_path, tables)).foods
    assert foods.at["fndds:27116100", "food_group"] == "Meat mixed dishes"


def test_a_food_code_that_is_not_one_names_the_row(tmp_path):
    tables = fndds_tables()
    tables["survey_fndds_food.csv"][1] = (2706155, "curry", 3002, "", "")
    with pytest.raises(FoodDataError, match='survey_fndds_food.csv row 3: food_code "curry" '
                                            "is not an FNDDS food code"):
        read_fdc_csv(write_files(tmp_path, tables))


def test_a_portion_weighing_nothing_is_not_kept(tmp_path):
    tables = sr_legacy_tables()
    row = tables["food_portion.csv"][1]
    tables["food_portion.csv"][1] = (*row[:7], 0.0, *row[8:])  # spinach's bunch
    portions = read_fdc_csv(write_files(tmp_path, tables)).portions
    spinach = portions[portions["food_id"] == "sr:11457"]
    assert list(spinach["description"]) == ["cup", "leaf", "package (10 oz)"]


@pytest.mark.parametrize("amount, unit, modifier, described, expected", [
    (1.0, "undetermined", "cup, chopped", "", (1.0, "cup, chopped")),
    (1.0, "cup", "chopped", "", (1.0, "cup, chopped")),
    (2.0, "tablespoon", "", "", (2.0, "tablespoon")),
    (None, "undetermined", "10205", "1 1/2 cups", (1.5, "cups")),
    (None, "undetermined", "10205", "1-1/2 cups", (1.5, "cups")),
    (None, "undetermined", "10205", "1/4 cup", (0.25, "cup")),
    (None, "undetermined", "10205", "2.5 oz", (2.5, "oz")),
    (None, "undetermined", "10205", '1 medium (7" to 7-7/8" long)',
     (1.0, 'medium (7" to 7-7/8" long)')),
    (None, "undetermined", "", "1 100 calorie package", (1.0, "100 calorie package")),
    (None, "undetermined", "", "Juice of 1 lemon", (1.0, "Juice of 1 lemon")),
    (None, "undetermined", "", "", None),
])
def test_portion_text(amount, unit, modifier, described, expected):
    assert portion_text(amount, unit, modifier, described) == expected


def test_every_nutrient_has_an_fdc_source_whose_first_choice_is_the_shared_table():
    first = NUTRIENT_SOURCES[NUTRIENT_SOURCES["preference"] == 1].set_index("key")
    first = first.drop(ADDED_B12)
    assert sorted(first.index) == sorted(NUTRIENT_KEYS)
    assert first["fdc_nutrient_id"].to_dict() == NUTRIENTS["fdc_id"].to_dict()
    assert first["number"].astype(str).to_dict() == NUTRIENTS["sr_nutr_no"].to_dict()


def test_tags_follow_the_tag_rules_and_added_b12_marks_fortified(tmp_path):
    tables = sr_legacy_tables()
    tables["food.csv"].append((173110, "sr_legacy_food", "Cereals ready-to-eat, QUAKER, "
                               "QUAKER OAT LIFE, plain", 8, "2019-04-01"))
    tables["sr_legacy_food.csv"].append((173110, 8120))
    tables["food_category.csv"].append((8, "0800", "Breakfast Cereals"))
    tables["food_nutrient.csv"] += [(2_000_001, 173110, 1178, 5.13, *[""] * 7),
                                    (2_000_002, 173110, 1246, 5.13, *[""] * 7)]
    foods = read_fdc_csv(write_files(tmp_path, tables)).foods
    assert "fortified" in foods.at["sr:08120", "tags"].split(",")
    assert "nuts" in foods.at["sr:12061", "tags"].split(",")
    assert "fish" in foods.at["sr:15076", "tags"].split(",")
    assert "vegan" in foods.at["sr:11457", "tags"].split(",")
    assert "fortified" not in foods.at["sr:11457", "tags"]


# --- bad downloads ------------------------------------------------------------------------


def test_missing_folder(tmp_path):
    with pytest.raises(FoodDataError, match="does not exist"):
        read_fdc_csv(tmp_path / "nope")


def test_a_file_instead_of_a_folder(sr_legacy):
    with pytest.raises(FoodDataError, match="is a file; unpack"):
        read_fdc_csv(sr_legacy / "food.csv")


def test_the_zip_folder_one_level_up_names_the_folder_to_give(sr_legacy):
    with pytest.raises(FoodDataError, match=f"give {sr_legacy} instead"):
        read_fdc_csv(sr_legacy.parent)


def test_an_sr28_folder_is_named_as_such(tmp_path):
    (tmp_path / "FOOD_DES.txt").write_text("~01001~^~0100~^~Butter, salted~\n")
    with pytest.raises(FoodDataError, match="is the SR28 ASCII release"):
        read_fdc_csv(tmp_path)


def test_an_unrelated_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(FoodDataError, match="is not a FoodData Central CSV download"):
        read_fdc_csv(tmp_path)


@pytest.mark.parametrize("name", sorted(set(REQUIRED_FILES) - {"food.csv"}))
def test_each_missing_required_file_is_named(sr_legacy, name):
    (sr_legacy / name).unlink()
    with pytest.raises(FoodDataError, match=f"lacks {name}; download it again"):
        read_fdc_csv(sr_legacy)


def test_a_file_without_the_expected_columns(sr_legacy):
    (sr_legacy / "food_nutrient.csv").write_text('"id","fdc_id","value"\n"1","168462","79"\n')
    with pytest.raises(FoodDataError, match="food_nutrient.csv has no nutrient_id, amount "
                                            "column; it is not the FoodData Central"):
        read_fdc_csv(sr_legacy)


def test_a_file_cut_short_mid_row(sr_legacy):
    path = sr_legacy / "food_nutrient.csv"
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b'","', 0, len(data) - 40)])
    with pytest.raises(FoodDataError, match=r"food_nutrient.csv is cut short: its last row "
                                            r"has \d+ of 11 fields"):
        read_fdc_csv(sr_legacy)


def test_a_file_cut_inside_a_quoted_value(sr_legacy):
    path = sr_legacy / "food.csv"
    text = path.read_text()
    path.write_text(text[: text.index("Spinach, r") + len("Spinach, r")])
    with pytest.raises(FoodDataError, match="food.csv is cut short"):
        read_fdc_csv(sr_legacy)


def test_a_row_with_extra_fields_is_reported_with_its_line(sr_legacy):
    path = sr_legacy / "food.csv"
    lines = path.read_text().splitlines()
    lines[2] += ',"surplus"'
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(FoodDataError, match=r"food.csv cannot be read \(.*line 3.*\); the "
                                            "file is damaged or was cut short"):
        read_fdc_csv(sr_legacy)


def test_a_row_with_an_empty_key_names_the_row(sr_legacy):
    path = sr_legacy / "food_portion.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    rows[3][1] = ""
    with open(path, "w", newline="") as fp:
        csv.writer(fp, quoting=csv.QUOTE_ALL).writerows(rows)
    with pytest.raises(FoodDataError, match="food_portion.csv row 4: fdc_id is empty"):
        read_fdc_csv(sr_legacy)


def test_text_where_a_number_belongs_names_the_row_and_value(sr_legacy):
    path = sr_legacy / "food_nutrient.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    rows[5][3] = "seventy"
    with open(path, "w", newline="") as fp:
        csv.writer(fp, quoting=csv.QUOTE_ALL).writerows(rows)
    with pytest.raises(FoodDataError,
                       match='food_nutrient.csv row 6: amount "seventy" is not a number'):
        read_fdc_csv(sr_legacy)


def test_an_empty_file(sr_legacy):
    (sr_legacy / "measure_unit.csv").write_bytes(b"")
    with pytest.raises(FoodDataError, match="measure_unit.csv is empty"):
        read_fdc_csv(sr_legacy)


def test_a_nutrient_in_an_unexpected_unit(sr_legacy):
    path = sr_legacy / "nutrient.csv"
    path.write_text(path.read_text().replace('"1114","Vitamin D (D2 + D3)","UG"',
                                             '"1114","Vitamin D (D2 + D3)","IU"'))
    with pytest.raises(FoodDataError, match=r'nutrient.csv row \d+: nutrient 1114 is in "IU"'):
        read_fdc_csv(sr_legacy)


def test_a_branded_only_download_is_refused(tmp_path):
    tables = sr_legacy_tables()
    tables["food.csv"] = [(1, "branded_food", "CHEERIOS", "", "2021-01-01")]
    with pytest.raises(FoodDataError, match="holds no SR Legacy, Foundation or FNDDS foods"):
        read_fdc_csv(write_files(tmp_path, tables))


def test_headers_match_fdc(sr_legacy):
    # The fixture must keep FDC's own headers, or every test above proves nothing.
    with open(sr_legacy / "food_portion.csv") as fp:
        assert next(csv.reader(fp)) == HEADERS["food_portion.csv"]


# --- real USDA data -----------------------------------------------------------------------


def test_sr_legacy_download_and_sr28_give_the_same_foods(sr28_table, sr28_dir, tmp_path):
    groups = ("0100", "0800", "1100", "1200", "1500", "1600")
    written = sr28_as_fdc(sr28_dir, tmp_path, groups)
    table = read_fdc_csv(tmp_path)
    ids = "sr:" + written["ndb"]
    assert sorted(table.foods.index) == sorted(ids)
    ours = table.foods.loc[ids]
    theirs = sr28_table.foods.loc[ids]
    for key in NUTRIENT_KEYS:
        np.testing.assert_allclose(ours[key].to_numpy(float), theirs[key].to_numpy(float),
                                   equal_nan=True, err_msg=key)
    assert (ours["food_group"] == theirs["food_group"]).all()
    assert (ours["name"] == theirs["name"]).all()
    assert (ours["tags"] == theirs["tags"]).all()
    key = ["food_id", "seq"]
    theirs_p = sr28_table.portions[sr28_table.portions["food_id"].isin(ids)]
    pd.testing.assert_frame_equal(
        table.portions.sort_values(key, ignore_index=True)[PORTION_COLUMNS],
        theirs_p.sort_values(key, ignore_index=True)[PORTION_COLUMNS], check_dtype=False)
    merged = sr28_table.merged_with(table)
    assert len(merged) == len(sr28_table)  # the same foods, not added twice


def test_real_fndds_portion_descriptions(fndds_dir, tmp_path):
    """Every portion of FNDDS 2017-2018, written as an FDC survey download."""
    raw = pd.read_csv(fndds_dir / "fndds1718_portions_and_weights.csv", skiprows=1, dtype=str,
                      keep_default_na=False)
    codes = sorted(set(raw["Food code"]))
    fdc_of = {code: 3_000_000 + i for i, code in enumerate(codes)}
    tables = {
        "food.csv": [(fdc_of[c], "survey_fndds_food", f"food {c}", "", "") for c in codes],
        "nutrient.csv": [], "food_nutrient.csv": [], "measure_unit.csv": [(9999, "undetermined")],
        "food_portion.csv": [
            (i, fdc_of[c], s, "", 9999, d, "", g, "", "", "")
            for i, (c, s, d, g) in enumerate(zip(raw["Food code"], raw["Seq num"],
                                                 raw["Portion description"],
                                                 raw["Portion weight (g)"], strict=True))],
    }
    table = read_fdc_csv(write_files(tmp_path, tables))
    assert len(table) == len(codes)
    weighed = ((pd.to_numeric(raw["Portion weight (g)"]) > 0)
               & (raw["Portion description"] != "Quantity not specified")).sum()
    assert len(table.portions) == weighed  # only "Quantity not specified" portions are dropped
    assert (table.portions["amount"] > 0).all()
    assert (table.portions["description"].str.len() > 0).all()
    cups = table.portions[table.portions["description"] == "cup"]
    assert len(cups) > 1000 and set(cups["amount"]) >= {1.0}
    assert table.foods["magnesium_mg"].isna().all()  # no nutrient rows: unknown, not zero


def test_the_survey_download_gives_what_the_fndds_tables_give(fndds_dir, tmp_path):
    """FNDDS 2017-2018's own tables, written in FoodData Central's survey download layout
    (nutrients by number, codes in survey_fndds_food.csv, descriptions as attributes), read
    to the same foods, values, groups, tags, portions and descriptions as the At A Glance
    import."""
    from nutrigap.foods.fndds import read_fndds_with_notes

    expected = read_fndds_with_notes(fndds_dir)

    def sheet(name):
        return pd.read_csv(fndds_dir / name, skiprows=1, dtype=str, keep_default_na=False)

    values, listed = sheet("fndds1718_nutrient_values.csv"), sheet(
        "fndds1718_foods_and_beverages.csv")
    values.columns = [" ".join(c.split()) for c in values.columns]
    portions = sheet("fndds1718_portions_and_weights.csv")
    portions = portions[portions["Subcode"].isin(["", "0"])]  # the import leaves products out
    fdc_of = {code: 2_700_000 + i for i, code in enumerate(values["Food code"])}
    numbers = {"Energy (kcal)": 208, "Calcium (mg)": 301, "Magnesium (mg)": 304,
               "Potassium (mg)": 306, "Vitamin D (D2 + D3) (mcg)": 328,
               "Vitamin B-6 (mg)": 415, "Vitamin B-12 (mcg)": 418,
               "Vitamin B-12, added (mcg)": 578, "Caffeine (mg)": 262, "Alcohol (g)": 221,
               "Water (g)": 255, "Sodium (mg)": 307}
    categories = values.drop_duplicates("WWEIA Category number")
    tables = {
        "food.csv": [(fdc_of[c], "survey_fndds_food", d, int(n), "2020-10-30") for c, d, n in
                     zip(values["Food code"], values["Main food description"],
                         values["WWEIA Category number"], strict=True)],
        "survey_fndds_food.csv": [(fdc_of[c], c, "", "2017-01-01", "2018-12-31")
                                  for c in values["Food code"]],
        "wweia_food_category.csv": list(zip(categories["WWEIA Category number"],
                                            categories["WWEIA Category description"],
                                            strict=True)),
        "nutrient.csv": list(FDC_NUTRIENTS),
        "food_nutrient.csv": [(0, fdc_of[c], number, v, *[""] * 7)
                              for column, number in numbers.items()
                              for c, v in zip(values["Food code"], values[column], strict=True)],
        "measure_unit.csv": [(9999, "undetermined")],
        "food_portion.csv": [
            (0, fdc_of[c], s, "", 9999, d, "", g, "", "", "")
            for c, s, d, g in zip(portions["Food code"], portions["Seq num"],
                                  portions["Portion description"],
                                  portions["Portion weight (g)"], strict=True)],
        "food_attribute_type.csv": [ADDITIONAL_DESCRIPTION],
        "food_attribute.csv": [(i, fdc_of[c], 1, 1001, "", t) for i, (c, t) in enumerate(
            zip(listed["Food code"], listed["Additional food description"], strict=True)) if t],
    }
    for name in ("food_nutrient.csv", "food_portion.csv"):
        tables[name] = [(i + 1, *row[1:]) for i, row in enumerate(tables[name])]
    read = read_fdc_csv_with_notes(write_files(tmp_path, tables))

    ours, theirs = read.table.foods.sort_index(), expected.table.foods.sort_index()
    assert list(ours.index) == list(theirs.index)
    for column in ("name", "usda_description", "food_group", "tags"):
        assert (ours[column] == theirs[column]).all(), column
    for key in NUTRIENT_KEYS:
        np.testing.assert_allclose(ours[key].to_numpy(float), theirs[key].to_numpy(float),
                                   err_msg=key)
    key = ["food_id", "seq"]
    pd.testing.assert_frame_equal(
        read.table.portions.sort_values(key, ignore_index=True)[PORTION_COLUMNS],
        expected.table.portions.sort_values(key, ignore_index=True)[PORTION_COLUMNS],
        check_dtype=False)
    pd.testing.assert_frame_equal(read.table.descriptions.reset_index(drop=True),
                                  expected.table.descriptions.reset_index(drop=True))
