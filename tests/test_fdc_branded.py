"""Brand-name products from FoodData Central (`nutrigap foods fetch --branded`), against the
local stand-in server (never the internet): names, servings, what cannot be used, and a meal
log naming the product matched to it and weighed by its serving."""

from __future__ import annotations

import copy
import io
import math

import pytest
from fdc_fixtures.api_server import (
    FakeFdc,
    fetch_runner,
    load,
    no_proxy_for_the_local_server,  # noqa: F401 (autouse)
)

from nutrigap.analyzer.food_table import PORTION_COLUMNS
from nutrigap.analyzer.logs.meal_log import read_meal_log
from nutrigap.analyzer.matching.matcher import Matcher
from nutrigap.analyzer.portions.grams import resolve_grams
from nutrigap.analyzer.scoring.intake import item_nutrients
from nutrigap.foods.fdc_api import BRANDED_DATA_TYPES, FdcClient, table_from_items
from nutrigap.foods.store import load_foods, load_table

KEY = "test-key-123"
OATLY = "fdc:2340001"
KETO = "fdc:2340101"


@pytest.fixture
def fdc():
    server = FakeFdc()
    server.search_answer = load("search_oatly_oat_milk.json")
    yield server
    server.close()


@pytest.fixture
def client(fdc, tmp_path):
    return FdcClient(api_key=KEY, base_url=fdc.url, cache_dir=tmp_path / "cache",
                     sleep=lambda s: None)


@pytest.fixture
def run_fetch(fdc, tmp_path, monkeypatch):
    """`nutrigap foods fetch ...` against the stand-in server with a fresh database."""
    return fetch_runner(fdc.url, tmp_path, monkeypatch, KEY)


def portions(table, food_id):
    rows = table.portions_of(food_id)
    return list(zip(rows["amount"], rows["description"], rows["grams"], strict=True))


def oatly_full():
    return load("food_2340001_branded.json")


# --- the API answers ------------------------------------------------------------------------


def test_a_branded_search_asks_for_branded_foods(client, fdc):
    client.search("oatly oat milk", data_types=BRANDED_DATA_TYPES)
    assert fdc.requests[0]["query"]["dataType"] == "Branded"


def test_branded_search_results_become_foods_named_as_logs_name_them(client):
    table = client.search("oatly oat milk", data_types=BRANDED_DATA_TYPES)
    assert list(table.foods.index) == [OATLY, "fdc:2340002"]  # the creamer is left out
    oat = table.foods.loc[OATLY]
    assert oat["name"] == "Oatly, Oat milk"
    assert table.foods.at["fdc:2340002", "name"] == "Oatly, Oat milk, full fat"
    # The brand in capitals, as SR28 writes brands: the matcher's sign of a brand.
    assert oat["usda_description"] == "OATLY, Oat milk"
    assert oat["source"] == "fdc_branded" and oat["food_group"] == "Plant Based Milk"
    # Per 100 ml on the label's basis, counted at 1 g per ml for a drink.
    assert (oat["calcium_mg"], oat["potassium_mg"], oat["vitamin_d_ug"],
            oat["vitamin_b12_ug"], oat["energy_kcal"]) == (146, 162, 1.5, 0.5, 50)
    # Labels give no magnesium or B6: unknown, not zero.
    assert math.isnan(oat["magnesium_mg"]) and math.isnan(oat["vitamin_b6_mg"])
    assert portions(table, OATLY) == [(1.0, "cup", 240.0), (240.0, "ml", 240.0),
                                    (1.0, "serving", 240.0)]


def test_the_full_record_of_a_search_hit_is_used(client, fdc):
    table = client.search("oatly oat milk", data_types=BRANDED_DATA_TYPES, portions=True)
    assert fdc.requests[1]["body"]["fdcIds"] == [2340001, 2340002, 2340003]
    assert list(table.foods.index) == [OATLY, "fdc:2340002"]
    assert table.foods.at[OATLY, "fdc_id"] == 2340001
    assert portions(table, OATLY) == [(1.0, "cup", 240.0), (240.0, "ml", 240.0),
                                    (1.0, "serving", 240.0)]


def test_a_branded_food_by_id_weighs_its_serving_in_grams(client, fdc):
    table = client.food(2340101)
    assert fdc.requests[0]["path"] == "/v1/food/2340101"
    food = table.foods.loc[KETO]
    assert food["name"] == "Arnold, Superior keto bread, seeded"
    assert food["usda_description"] == "ARNOLD, Superior keto bread, seeded"
    assert (food["calcium_mg"], food["potassium_mg"], food["energy_kcal"]) == (62, 250, 188)
    assert math.isnan(food["vitamin_d_ug"])
    assert list(table.portions.columns) == PORTION_COLUMNS
    assert portions(table, KETO) == [(1.0, "slice", 32.0), (1.0, "serving", 32.0)]
    assert client.notes == []  # a serving in grams needs no note


def test_a_drink_says_it_is_counted_at_one_gram_per_ml(client):
    client.food(2340001)
    assert client.notes == [
        'FoodData Central food 2340001 "Oatly, Oat milk" gives its values per 100 ml; as a '
        "drink (category 'Plant Based Milk') it is counted at 1 g per ml"]


def test_the_label_stands_in_for_a_value_food_nutrients_lack():
    item = oatly_full()
    item["foodNutrients"] = [e for e in item["foodNutrients"]
                             if e["nutrient"]["id"] not in (1087, 1092)]
    food = table_from_items([item]).foods.loc[OATLY]
    # 350 mg calcium and 390 mg potassium in a 240 ml serving
    assert food["calcium_mg"] == pytest.approx(145.83, abs=0.01)
    assert food["potassium_mg"] == pytest.approx(162.5)
    # where foodNutrients gives a value, it wins over the label's
    assert table_from_items([oatly_full()]).foods.at[OATLY, "calcium_mg"] == 146


@pytest.mark.parametrize("change, message", [
    ({"servingSizeUnit": "ONZ"},
     "gives its serving in 'ONZ', not g or ml, so it is not known what its nutrient values "
     "are per; not saved"),
    ({"servingSizeUnit": None},
     "gives its serving without a unit, not g or ml"),
    ({"brandedFoodCategory": "Syrups & Molasses"},
     "gives its serving in ml and its values per 100 ml, and it is not a drink (category "
     "'Syrups & Molasses'), so its weight per ml is not known; not saved"),
    ({"brandName": None, "brandOwner": ""},
     "names no brand (no brandName or brandOwner), so it could not be told apart from a "
     "generic food; not saved"),
])
def test_a_branded_food_that_cannot_be_used_is_left_out_with_the_reason(change, message):
    item = {**oatly_full(), **change}
    notes: list[str] = []
    table = table_from_items([item, load("food_2340101_branded.json")], notes)
    assert list(table.foods.index) == [KETO]
    assert len(notes) == 1 and message in notes[0]
    assert notes[0].startswith("FoodData Central food 2340001 ")


def test_no_serving_size_keeps_the_values_without_a_serving_portion():
    item = {**load("food_2340101_branded.json"), "servingSize": None}
    notes: list[str] = []
    table = table_from_items([item], notes)
    assert table.foods.at[KETO, "potassium_mg"] == 250
    assert table.portions.empty
    assert notes == ['FoodData Central food 2340101 "Arnold, Superior keto bread, seeded" '
                     "gives no serving size; saved without a serving portion, so log it in "
                     "grams"]


@pytest.mark.parametrize("brand, description, name, usda", [
    ("BEN & JERRY'S", "CHOCOLATE FUDGE BROWNIE ICE CREAM", "Ben & Jerry's, Chocolate fudge "
     "brownie ice cream", "BEN & JERRY'S, Chocolate fudge brownie ice cream"),
    ("OATLY", "OATLY OAT MILK, ORIGINAL", "Oatly, Oat milk, original",
     "OATLY, Oat milk, original"),
    ("Wholly Guacamole", "Avocado Verde, Mild", "Wholly Guacamole, Avocado Verde, Mild",
     "WHOLLY GUACAMOLE, Avocado verde, mild"),
])
def test_names_put_the_brand_first_cased_as_on_the_package(brand, description, name, usda):
    item = {**load("food_2340101_branded.json"), "brandName": brand, "description": description}
    food = table_from_items([item]).foods.loc[KETO]
    assert (food["name"], food["usda_description"]) == (name, usda)


def test_the_brand_owner_names_a_product_without_a_brand_name():
    item = {**load("food_2340101_branded.json"), "brandName": ""}
    assert table_from_items([item]).foods.at[KETO, "name"] == (
        "Arnold Foods Company, Inc., Superior keto bread, seeded")


# --- nutrigap foods fetch --branded ---------------------------------------------------------


def test_fetch_branded_prints_notes_and_saves_the_usable_products(run_fetch, fdc, tmp_path):
    result = run_fetch("oatly oat milk", "--branded", "--limit", "3")
    assert result.exit_code == 0, result.output
    assert fdc.requests[0]["query"]["dataType"] == "Branded"
    lines = result.stdout.splitlines()
    assert lines[0] == "2 foods from FoodData Central, per 100 g:"
    assert lines[2].split() == ["fdc:2340001", "Oatly,", "Oat", "milk", "?", "146", "162",
                                "1.5", "0.50"]
    assert lines[4] == ("? = FoodData Central gives no value (a label seldom lists magnesium): "
                        "stored as unknown, never counted as 0")
    assert 'Note: FoodData Central food 2340003 "Oatly, Oat milk creamer, barista" gives ' \
           "its serving in ml" in result.stderr
    table = load_table(tmp_path / "foods.sqlite")
    assert sorted(table.foods.index) == [OATLY, "fdc:2340002"]
    assert math.isnan(table.foods.at[OATLY, "magnesium_mg"])  # NULL in SQLite, not 0
    assert table.foods.at[OATLY, "source"] == "fdc_branded"
    assert portions(table, OATLY) == [(1.0, "cup", 240.0), (240.0, "ml", 240.0),
                                    (1.0, "serving", 240.0)]


def test_fetch_when_nothing_found_can_be_used_exits_1(run_fetch, fdc, tmp_path):
    answer = copy.deepcopy(fdc.search_answer)
    answer["foods"] = answer["foods"][2:]  # the creamer alone
    fdc.search_answer = answer
    result = run_fetch("oatly creamer", "--branded")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == ("Nothing FoodData Central answered could be "
                                              "used (see the notes above); nothing saved")
    assert not (tmp_path / "foods.sqlite").exists()


def test_fetch_branded_with_no_hits_says_what_was_searched(run_fetch, fdc):
    fdc.search_answer = {"totalHits": 0, "currentPage": 1, "totalPages": 0, "foods": []}
    result = run_fetch("zzqx", "--branded")
    assert result.exit_code == 1
    assert 'No brand-name (Branded) food at FoodData Central matches "zzqx"' in result.stderr


def test_branded_with_an_id_is_a_usage_error(run_fetch):
    result = run_fetch("--id", "2340101", "--branded")
    assert result.exit_code == 2
    assert "--id fetches any food, brand-name products included" in result.output


# --- from the fetch to a meal log -----------------------------------------------------------

LOG = """date,meal,food,amount,unit
2024-05-06,breakfast,"Oatly, Oat Milk",1,cup
2024-05-06,lunch,"Arnold, Superior Keto Bread, Seeded",2,slice
2024-05-06,snack,"Oatly, Oat Milk, Full Fat",1,serving
2024-05-06,snack,oat milk,1,cup
2024-05-07,breakfast,"oatly oat milk",200,ml
"""


def test_a_log_naming_the_product_is_matched_and_weighed_by_its_serving(run_fetch, tmp_path):
    assert run_fetch("oatly oat milk", "--branded").exit_code == 0
    assert run_fetch("--id", "2340101").exit_code == 0
    foods = load_foods(tmp_path / "foods.sqlite")  # the built-in foods plus the fetched
    items, _ = read_meal_log(io.BytesIO(LOG.encode()))
    matches = Matcher(foods).match(items["food"].unique()).set_index("name")
    assert matches.at["Oatly, Oat Milk", "food_id"] == OATLY
    assert matches.at["Arnold, Superior Keto Bread, Seeded", "food_id"] == KETO
    assert matches.at["Oatly, Oat Milk, Full Fat", "food_id"] == "fdc:2340002"
    # Without the brand the product is not offered: plain oat milk is not matched silently
    # to one maker's, even where that is the only oat milk the table has.
    assert matches.at["oat milk", "method"] == "unmatched"
    assert OATLY not in [c["food_id"] for c in matches.at["oat milk", "candidates"]]

    matches = matches.reset_index()
    intake = item_nutrients(resolve_grams(items, matches, foods), matches, foods)
    by_food = intake.set_index("food")
    assert by_food.at["Oatly, Oat Milk", "grams"] == 240  # 1 cup = the 240 ml serving
    assert by_food.at["Oatly, Oat Milk", "calcium_mg"] == pytest.approx(350.4)
    assert by_food.at["Oatly, Oat Milk", "vitamin_d_ug"] == pytest.approx(3.6)
    assert math.isnan(by_food.at["Oatly, Oat Milk", "magnesium_mg"])  # unknown, not 0
    assert by_food.at["Arnold, Superior Keto Bread, Seeded", "grams"] == 64  # 2 x 32 g
    assert by_food.at["Arnold, Superior Keto Bread, Seeded", "potassium_mg"] == 160
    assert by_food.at["Oatly, Oat Milk, Full Fat", "grams"] == 240
    assert by_food.at["oat milk", "value_source"] == "unmatched"
    # ml at the label's 1 g per ml, not through the cup's weight (240 g for 236.6 ml)
    assert by_food.at["oatly oat milk", "grams"] == 200


def test_a_brand_the_matcher_cannot_read_as_one_is_saved_with_a_warning():
    item = {**load("food_2340101_branded.json"), "brandName": "7UP",
            "description": "LEMON LIME SODA"}
    notes: list[str] = []
    table = table_from_items([item], notes)
    assert table.foods.at[KETO, "name"] == "7UP, Lemon lime soda"
    assert notes == ['FoodData Central food 2340101 "7UP, Lemon lime soda": the matcher does '
                     "not read '7UP' as a brand, so a name without it may be matched to this "
                     "product; check the report's list of matches"]


def test_a_generic_fetch_does_not_speak_of_labels(run_fetch):
    result = run_fetch("--id", "747448")  # Foundation strawberries: no B12 analysed
    assert result.exit_code == 0, result.output
    assert "? = FoodData Central gives no value: stored as unknown, never counted as 0" in (
        result.stdout.splitlines())


def test_a_drink_without_a_serving_size_says_both():
    notes: list[str] = []
    table = table_from_items([{**oatly_full(), "servingSize": 0}], notes)
    assert table.foods.at[OATLY, "calcium_mg"] == 146
    assert portions(table, OATLY) == [(100.0, "ml", 100.0)]  # ml, as the note asks
    assert notes == ['FoodData Central food 2340001 "Oatly, Oat milk" gives no serving size; '
                     'saved without a serving portion, so log it in ml; FoodData Central food '
                     '2340001 "Oatly, Oat milk" gives its values per 100 ml; as a drink '
                     "(category 'Plant Based Milk') it is counted at 1 g per ml"]


def test_a_report_counting_a_branded_product_names_label_data_in_its_methods_and_sources(
        run_fetch, tmp_path):
    from report_samples import analyze_text

    assert run_fetch("oatly oat milk", "--branded").exit_code == 0
    foods = load_foods(tmp_path / "foods.sqlite")
    log = "date,meal,food,amount,unit\n2024-05-06,breakfast,\"Oatly, Oat Milk\",1,cup\n"
    report = analyze_text(log, foods)
    assert [m["food_id"] for m in report["matches"]] == [OATLY]
    assert any("FoodData Central Branded Foods (package labels) data" in line
               for line in report["methods"])
    assert any("Branded Foods" in s["title"] for s in report["sources"])

    plain = "date,meal,food,amount,unit\n2024-05-06,breakfast,skim milk,1,cup\n"
    report = analyze_text(plain, foods)
    assert not any("Branded Foods" in s["title"] for s in report["sources"])
