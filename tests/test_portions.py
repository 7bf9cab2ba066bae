"""Amounts to grams through each matched food's own USDA portions."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nutrigap.analyzer.food_table import FOOD_COLUMNS, PORTION_COLUMNS, FoodTable
from nutrigap.analyzer.logs.meal_log import ReadLimits, read_meal_log
from nutrigap.analyzer.portions.grams import resolve_grams

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# Portions copied from SR28 WEIGHT.txt for five foods (NDB_No, Seq, Amount, Msre_Desc, Gm_Wgt).
SR28_PORTIONS = [
    ("sr:11457", 1, 1, "cup", 30), ("sr:11457", 2, 1, "bunch", 340),
    ("sr:11457", 3, 1, "leaf", 10), ("sr:11457", 4, 1, "package (10 oz)", 284),
    ("sr:01079", 1, 1, "cup", 244), ("sr:01079", 2, 1, "fl oz", 30.5),
    ("sr:01079", 3, 1, "quart", 976),
    ("sr:09040", 1, 1, "cup, mashed", 225), ("sr:09040", 2, 1, "cup, sliced", 150),
    ("sr:09040", 3, 1, 'extra small (less than 6" long)', 81),
    ("sr:09040", 4, 1, 'small (6" to 6-7/8" long)', 101),
    ("sr:09040", 5, 1, 'medium (7" to 7-7/8" long)', 118),
    ("sr:09040", 6, 1, 'large (8" to 8-7/8" long)', 136),
    ("sr:09040", 7, 1, 'extra large (9" or longer)', 152), ("sr:09040", 8, 1, "NLEA serving", 126),
    ("sr:11090", 1, 1, "cup chopped", 91), ("sr:11090", 2, 1, "bunch", 608),
    ("sr:11090", 3, 1, 'spear (about 5" long)', 31), ("sr:11090", 4, 1, "stalk", 151),
    ("sr:11090", 5, 0.5, "cup, chopped or diced", 44), ("sr:11090", 6, 1, "NLEA serving", 148),
    ("sr:01123", 1, 1, "large", 50), ("sr:01123", 2, 1, "extra large", 56),
    ("sr:01123", 3, 1, "jumbo", 63), ("sr:01123", 5, 1, "cup (4.86 large eggs)", 243),
    ("sr:01123", 6, 1, "medium", 44), ("sr:01123", 7, 1, "small", 38),
    ("sr:19095", 1, 1, "serving 1/2 cup", 66),
    ("sr:04053", 1, 1, "tablespoon", 13.5), ("sr:04053", 2, 1, "cup", 216),
    ("sr:04053", 3, 1, "tsp", 4.5),
]
NAMES = {"sr:11457": "Spinach, raw", "sr:01079": "Milk, reduced fat, 2%",
         "sr:09040": "Bananas, raw", "sr:11090": "Broccoli, raw", "sr:01123": "Egg, whole, raw",
         "sr:19095": "Ice creams, vanilla", "sr:04053": "Oil, olive"}
CUP_ML = 236.5882365


@pytest.fixture(scope="module")
def small_table() -> FoodTable:
    foods = pd.DataFrame({"name": list(NAMES.values())},
                         index=pd.Index(list(NAMES), name="food_id"))
    for column in FOOD_COLUMNS:
        if column not in foods:
            foods[column] = np.nan
    portions = pd.DataFrame(SR28_PORTIONS, columns=PORTION_COLUMNS)
    return FoodTable(foods[FOOD_COLUMNS], portions)


MATCHES = pd.DataFrame({"name": ["spinach", "milk", "banana", "broccoli", "egg", "ice cream",
                                 "olive oil", "mystery stew", "ghost"],
                        "food_id": ["sr:11457", "sr:01079", "sr:09040", "sr:11090", "sr:01123",
                                    "sr:19095", "sr:04053", np.nan, "sr:99999"]})


def items_of(rows: str) -> pd.DataFrame:
    text = "date,food,amount,unit\n" + "".join(f"2024-03-04,{row}\n" for row in rows.split(";"))
    items, _ = read_meal_log(io.BytesIO(text.encode("utf-8")))
    return items


def weigh(rows: str, table: FoodTable, matches: pd.DataFrame = MATCHES) -> pd.DataFrame:
    return resolve_grams(items_of(rows), matches, table)


@pytest.mark.parametrize(("row", "grams"), [
    ("spinach,1,cup", 30),
    ("spinach,2,tbsp", 30 / 16 * 2),
    ("spinach,3,tsp", 30 / 48 * 3),
    ("spinach,2 leaves,", 20),
    ("spinach,1,bunch", 340),
    ("milk,1,cup", 244),
    ("milk,8,fl oz", 8 * 30.5),
    ("milk,250,ml", 250 * 244 / CUP_ML),
    ("milk,1,l", 1000 * 244 / CUP_ML),
    ("banana,2,medium", 236),
    ("banana,1,each", 118),
    ("banana,1,whole", 118),
    ("banana,1,large", 136),
    ("banana,1,extra large", 152),
    ("banana,1 cup sliced,", 150),
    ("banana,1,\"cup, mashed\"", 225),
    ("banana,1,serving", 126),
    ("broccoli,1 cup chopped,", 91),
    ("broccoli,1,cup", 91),
    ("broccoli,2,spears", 62),
    ("egg,2,eggs", 100),
    ("egg,1,jumbo", 63),
    ("ice cream,1,cup", 132),
    ("olive oil,1,Tbsp", 13.5),
    ("olive oil,2,tablespoons", 27),
    ("olive oil,1,tsp", 4.5),
    ("olive oil,1,fl oz", 27),
    ("banana,150,g", 150),
    ("egg,2,oz", 2 * 28.349523125),
])
def test_amounts_become_grams_through_the_foods_portions(row, grams, small_table):
    weighed = weigh(row, small_table)
    assert weighed.loc[0, "grams"] == pytest.approx(grams)
    assert weighed.loc[0, "conversion_problem"] == ""


SPINACH_PORTIONS = "'cup', 'bunch', 'leaf', 'package (10 oz)'"


@pytest.mark.parametrize(("row", "problem"), [
    ("spinach,3,slice", "no 'slice' portion known for Spinach, raw; write it in g or oz, or as "
                        f"one of USDA's portions: {SPINACH_PORTIONS}"),
    ("egg,1,slice", "no 'slice' portion known for Egg, whole, raw; write it in g or oz, or as "
                    "one of USDA's portions: 'large', 'extra large', 'jumbo', "
                    "'cup (4.86 large eggs)', 'medium', ..."),
    ("spinach,2,chop", "no 'chop' portion known for Spinach, raw; write it in g or oz, or as "
                       f"one of USDA's portions: {SPINACH_PORTIONS}"),
    ("mystery stew,1,cup", '"mystery stew" is not matched to a food, so "1 cup" cannot be '
                           "weighed"),
    ("ghost,1,cup", "food sr:99999 is not in the food table"),
])
def test_what_cannot_be_weighed_stays_unknown_with_the_reason(row, problem, small_table):
    weighed = weigh(row, small_table)
    assert math.isnan(weighed.loc[0, "grams"])
    assert weighed.loc[0, "conversion_problem"] == problem


def test_a_solid_without_a_volume_portion_is_not_given_water_density(small_table):
    table = FoodTable(small_table.foods,
                      small_table.portions[small_table.portions["description"] != "cup"])
    weighed = weigh("spinach,250,ml;spinach,1,cup", table)
    assert weighed["grams"].isna().all()
    assert set(weighed["conversion_problem"]) == {
        "no volume portion (cup, tbsp, fl oz) known for Spinach, raw; write it in g or oz, or "
        "as one of USDA's portions: 'bunch', 'leaf', 'package (10 oz)'"}


def test_masses_supplements_and_unmatched_masses_need_no_portion(small_table):
    weighed = weigh("mystery stew,200,g;supplement: magnesium,200,mg;banana,1,medium",
                    small_table)
    assert weighed["grams"].tolist()[0] == 200
    assert math.isnan(weighed.loc[1, "grams"])
    assert weighed["conversion_problem"].tolist() == ["", "", ""]
    assert weighed.loc[1, "magnesium_mg"] == 200


def test_a_count_with_its_volume_or_weight_written_beside_it(small_table):
    text = ("Day,Food Name,Amount,Magnesium (mg)\n"
            '2024-03-04,milk,"1.00 shake (11 fl oz)",\n'
            '2024-03-04,banana,"1.00 container - each 5.3 oz",\n')
    items, _ = read_meal_log(io.BytesIO(text.encode("utf-8")))
    weighed = resolve_grams(items, MATCHES, small_table)
    assert weighed.loc[0, "grams"] == pytest.approx(11 * 29.5735295625 * 244 / CUP_ML)
    assert weighed.loc[1, "grams"] == pytest.approx(5.3 * 28.349523125)


def test_the_items_keep_their_order_and_columns(small_table):
    weighed = weigh("banana,1,medium;spinach,1,cup;mystery stew,1,cup", small_table)
    assert weighed["food"].tolist() == ["banana", "spinach", "mystery stew"]
    assert list(weighed.columns[-4:]) == ["portion_used", "conversion_problem", "counted_as",
                                          "estimated"]
    assert list(weighed.columns[:-4]) == list(items_of("banana,1,medium").columns)


# --- the built-in food table -------------------------------------------------------------


def test_builtin_table_weighs_spinach_and_milk_as_usda_does(embedded_table):
    matches = pd.DataFrame({"name": ["spinach", "milk"], "food_id": ["sr:11457", "sr:01079"]})
    weighed = weigh("spinach,1,cup;milk,1,cup;spinach,1,slice", embedded_table, matches)
    assert weighed["grams"].tolist()[:2] == [30, 244]
    assert weighed.loc[2, "conversion_problem"].startswith(
        "no 'slice' portion known for Spinach, raw; write it in g or oz")


def test_every_item_of_the_bundled_example_is_matched_and_weighed(embedded_table):
    from nutrigap.analyzer.matching.matcher import Matcher

    with (EXAMPLES / "example-log.csv").open("rb") as fp:
        items, info = read_meal_log(fp)
    assert (info.days, info.rows_skipped) == (7, 0)
    names = items.loc[items["kind"] == "food", "food"].unique()
    matches = Matcher(embedded_table).match(names)
    assert matches["food_id"].notna().all()
    weighed = resolve_grams(items, matches, embedded_table)
    foods = weighed[weighed["kind"] == "food"]
    assert (foods["conversion_problem"] == "").all()
    assert (foods["grams"] > 0).all()
    supplements = weighed[weighed["kind"] == "supplement"]
    assert set(supplements["food"]) == {"magnesium", "B6"}


def test_the_template_reads_cleanly(embedded_table):
    with (EXAMPLES / "template.csv").open("rb") as fp:
        items, info = read_meal_log(fp)
    assert info.format == "nutrigap"
    assert len(items) == 5


# --- count words, sizes in inches and sizes from related foods ---------------------------

# Real SR28 rows (WEIGHT.txt and FOOD_DES.txt) for foods logged by count in real exports.
KIN_FOODS = {
    "sr:01128": ("Egg, fried", "Egg, whole, cooked, fried"),
    "sr:01123": ("Egg, raw", "Egg, whole, raw, fresh"),
    "sr:01124": ("Egg white, raw", "Egg, white, raw, fresh"),
    "sr:09037": ("Avocado", "Avocados, raw, all commercial varieties"),
    "sr:09038": ("Avocados, raw, California", "Avocados, raw, California"),
    "sr:11205": ("Cucumber", "Cucumber, with peel, raw"),
    "sr:28320": ("English muffins, whole grain white", "English muffins, whole grain white"),
    "sr:12078": ("Brazil nuts", "Nuts, brazilnuts, dried, unblanched"),
    "sr:12061": ("Almonds", "Nuts, almonds"),
    "sr:09181": ("Cantaloupe", "Melons, cantaloupe, raw"),
    "sr:09326": ("Watermelon", "Watermelon, raw"),
    "sr:05064": ("Chicken breast, roasted",
                 "Chicken, broilers or fryers, breast, meat only, cooked, roasted"),
    "sr:18016": ("Biscuits, plain or buttermilk, prepared from recipe",
                 "Biscuits, plain or buttermilk, prepared from recipe"),
    "sr:18009": ("Biscuits, plain or buttermilk, frozen, baked",
                 "Biscuits, plain or buttermilk, frozen, baked"),
}
KIN_PORTIONS = [
    ("sr:01128", 1, 1, "large", 46),
    ("sr:01123", 1, 1, "large", 50), ("sr:01123", 2, 1, "extra large", 56),
    ("sr:01123", 3, 1, "jumbo", 63), ("sr:01123", 5, 1, "cup (4.86 large eggs)", 243),
    ("sr:01123", 6, 1, "medium", 44), ("sr:01123", 7, 1, "small", 38),
    ("sr:01124", 1, 1, "large", 33), ("sr:01124", 2, 1, "cup", 243),
    ("sr:09037", 1, 1, "cup, cubes", 150), ("sr:09037", 2, 1, "cup, pureed", 230),
    ("sr:09037", 3, 1, "cup, sliced", 146),
    ("sr:09037", 4, 1, "avocado, NS as to Florida or California", 201),
    ("sr:09038", 1, 1, "cup, pureed", 230), ("sr:09038", 2, 1, "fruit, without skin and seed", 136),
    ("sr:09038", 3, 1, "NLEA serving", 30),
    ("sr:11205", 1, 0.5, "cup slices", 52), ("sr:11205", 2, 1, 'cucumber (8-1/4")', 301),
    ("sr:28320", 1, 1, "muffin 1 serving", 57),
    ("sr:12078", 1, 1, "cup, whole", 133), ("sr:12078", 2, 1, "kernel", 5),
    ("sr:12078", 3, 1, "oz (6 kernels)", 28.35),
    ("sr:12061", 1, 1, "cup, whole", 143), ("sr:12061", 5, 1, "oz (23 whole kernels)", 28.35),
    ("sr:12061", 6, 1, "almond", 1.2),
    ("sr:09181", 1, 1, "cup, balls", 177),
    ("sr:09181", 4, 1, 'melon, large (about 6-1/2" dia)', 814),
    ("sr:09181", 5, 1, "wedge, large (1/8 of large melon)", 102),
    ("sr:09181", 6, 1, 'melon, medium (about 5" dia)', 552),
    ("sr:09181", 7, 1, "wedge, medium (1/8 of medium melon)", 69),
    ("sr:09181", 8, 1, 'melon, small (about 4-1/4" dia)', 441),
    ("sr:09181", 10, 10, "cantaloupe balls", 138), ("sr:09181", 11, 1, "NLEA serving", 134),
    ("sr:09326", 1, 1, "cup, balls", 154),
    ("sr:09326", 3, 1, 'melon (15" long x 7-1/2" dia)', 4518),
    ("sr:09326", 4, 1, "wedge (approx 1/16 of melon)", 286),
    ("sr:09326", 5, 10, "watermelon balls", 122), ("sr:09326", 6, 1, "NLEA serving", 280),
    ("sr:05064", 1, 1, "cup, chopped or diced", 140),
    ("sr:05064", 2, 1, "unit (yield from 1 lb ready-to-cook chicken)", 52),
    ("sr:05064", 3, 0.5, "breast, bone and skin removed", 86),
    ("sr:18016", 1, 1, "oz", 28.35), ("sr:18016", 2, 1, 'biscuit (4" dia)', 101),
    ("sr:18016", 3, 1, 'small (1-1/2" dia)', 14),
    ("sr:18009", 2, 1, "large", 77), ("sr:18009", 3, 1, "medium", 51),
    ("sr:18009", 4, 1, "small", 35),
]


def kin_table(foods=KIN_FOODS, portions=KIN_PORTIONS) -> FoodTable:
    frame = pd.DataFrame({"name": [n for n, _ in foods.values()],
                          "usda_description": [d for _, d in foods.values()]},
                         index=pd.Index(list(foods), name="food_id"))
    for column in FOOD_COLUMNS:
        if column not in frame:
            frame[column] = np.nan
    return FoodTable(frame[FOOD_COLUMNS], pd.DataFrame(portions, columns=PORTION_COLUMNS))


@pytest.fixture(scope="module")
def kin() -> FoodTable:
    return kin_table()


def weigh_as(food_id: str, amount: str, table: FoodTable) -> pd.Series:
    """One Cronometer-style row ("1.00 each") of the given food, weighed."""
    quoted = amount.replace('"', '""')
    text = f'Day,Food Name,Amount,Magnesium (mg)\n2022-11-03,{food_id},"{quoted}",\n'
    items, _ = read_meal_log(io.BytesIO(text.encode("utf-8")))
    matches = pd.DataFrame({"name": [food_id], "food_id": [food_id]})
    return resolve_grams(items, matches, table).iloc[0]


@pytest.mark.parametrize(("food_id", "amount", "grams", "used"), [
    # a portion named after the food is one of it
    ("sr:09037", "1.00 each", 201, "avocado, NS as to Florida or California"),
    ("sr:09037", "2 medium", 402, "avocado, NS as to Florida or California"),
    ("sr:09038", "0.25 each", 34, "fruit, without skin and seed"),
    ("sr:28320", '1.00 whole - 3 1/2" diameter', 57, "muffin 1 serving"),
    ("sr:12061", "10 each", 12, "almond"),
    # "each" prefers the medium one of several sizes named after the food
    ("sr:09181", "1 each", 552, 'melon, medium (about 5" dia)'),
    ("sr:09181", "1 whole", 552, 'melon, medium (about 5" dia)'),
    ("sr:09181", "1 small", 441, 'melon, small (about 4-1/4" dia)'),
    # a nut counted one by one is a kernel
    ("sr:12078", "5.00 each", 25, "kernel"),
    # the same size in inches names the portion when the word does not
    ("sr:11205", '0.10 large - 8 1/4" long', 30.1, 'cucumber (8-1/4")'),
])
def test_count_words_use_the_portion_that_is_one_of_the_food(food_id, amount, grams, used, kin):
    row = weigh_as(food_id, amount, kin)
    assert row["grams"] == pytest.approx(grams)
    assert row["portion_used"] == used
    assert row["conversion_problem"] == ""


def test_a_portion_of_pieces_is_not_one_whole_food(kin):
    # "watermelon balls" starts with the food's name but is ten balls, not a melon
    row = weigh_as("sr:09326", "1 each", kin)
    assert row["portion_used"] != "watermelon balls"
    assert row["grams"] > 100


def test_a_size_the_food_lacks_is_scaled_from_a_related_food(kin):
    # a fried egg lists only large (46 g); a raw whole egg lists medium 44 g and large 50 g
    row = weigh_as("sr:01128", "4.00 medium", kin)
    assert row["grams"] == pytest.approx(4 * 46 * 44 / 50)
    assert row["portion_used"] == ("medium, scaled from its large (46 g) by Egg, raw "
                                   "(medium 44 g, large 50 g)")
    each = weigh_as("sr:01128", "1 each", kin)
    assert each["grams"] == pytest.approx(46 * 44 / 50)
    small = weigh_as("sr:01128", "1 small", kin)
    assert small["grams"] == pytest.approx(46 * 38 / 50)


def test_only_the_same_kind_of_food_lends_its_sizes(kin):
    # an egg white lists only large; whole eggs are a different part of the egg
    row = weigh_as("sr:01124", "2 medium", kin)
    assert math.isnan(row["grams"])
    assert row["conversion_problem"].startswith("no 'medium' portion known for Egg white, raw")
    # a 1-1/2" "small" biscuit is not the frozen biscuits' unsized small, so it is no anchor
    biscuit = weigh_as("sr:18016", "1 large", kin)
    assert math.isnan(biscuit["grams"])


def test_a_related_food_is_needed_to_borrow_a_size(kin):
    row = weigh_as("sr:05064", "4.50 small", kin)
    assert math.isnan(row["grams"])
    assert row["portion_used"] == ""
    assert row["conversion_problem"] == (
        "no 'small' portion known for Chicken breast, roasted; write it in g or oz, or as one "
        "of USDA's portions: 'cup, chopped or diced', 'unit (yield from 1 lb ready-to-cook "
        "chicken)', 'breast, bone and skin removed'")


def test_a_related_food_must_share_a_size_with_the_food():
    foods = {k: KIN_FOODS[k] for k in ("sr:01123", "sr:09037")}
    foods["x:1"] = ("Egg, boiled, no sizes", "Egg, whole, cooked, boiled")
    portions = [p for p in KIN_PORTIONS if p[0] in foods] + [("x:1", 1, 1, "cup", 136)]
    row = weigh_as("x:1", "1 medium", kin_table(foods, portions))
    assert math.isnan(row["grams"])


def test_food_specific_words_hold_only_for_that_kind_of_food():
    # the same portions on a food that is not filed under Nuts: "each" is not a kernel
    foods = {"x:2": ("Toffee with brazil nuts", "Candies, toffee, brazil nut")}
    portions = [("x:2", 1, 1, "kernel", 5)]
    row = weigh_as("x:2", "5 each", kin_table(foods, portions))
    assert math.isnan(row["grams"])


def test_a_food_without_household_portions_says_to_write_grams():
    foods = {"x:3": ("Mystery powder", "Mystery powder")}
    row = weigh_as("x:3", "1 each", kin_table(foods, [("x:3", 1, 1, "oz", 28.35)]))
    assert row["conversion_problem"] == ("no 'each' portion known for Mystery powder; write it "
                                         "in g or oz (USDA lists no household portion for it)")


def test_the_portion_used_is_recorded_and_empty_for_masses(small_table):
    weighed = weigh("spinach,1,cup;banana,1,each;banana,150,g;broccoli,1 cup chopped,",
                    small_table)
    assert weighed["portion_used"].tolist() == ["cup", 'medium (7" to 7-7/8" long)', "",
                                                "cup chopped"]


def test_the_portion_words_table_names_known_count_units():
    from nutrigap.analyzer.logs.units import COUNT, lookup_unit

    table = pd.read_csv(Path(__file__).resolve().parent.parent / "analyzer" / "data"
                        / "portion_words.csv", dtype=str, keep_default_na=False)
    assert list(table.columns) == ["word", "first_field", "kind", "portion_words",
                                   "excluded_words", "borrow_size", "note"]
    for row in table.itertuples():
        assert lookup_unit(row.word).kind == COUNT, row.word
        assert lookup_unit(row.word).name == row.word, row.word
        if row.borrow_size:
            assert lookup_unit(row.borrow_size).name == row.borrow_size
        for word in filter(None, row.portion_words.split("|")):
            assert word == "{food}" or "{" not in word, word


# --- the full SR28 and a real Cronometer export --------------------------------------------

CRONOMETER_COUNTS = {  # food name in the export -> the SR28 food it is
    "Hass Avocado": "sr:09038",
    "Eggs, Cooked": "sr:01128",
    "Cucumber, Raw, With Peel": "sr:11205",
    "Brazil Nuts, Unsalted": "sr:12078",
    "English Muffin, White": "sr:28320",
}


def test_counts_in_a_real_export_weigh_what_the_app_weighed(sr28_table, cronometer_dir):
    with (cronometer_dir / "dhjelmar_Diabetes" / "servings.csv").open("rb") as fp:
        items, _ = read_meal_log(fp)
    items = items[items["food"].isin(list(CRONOMETER_COUNTS))].copy()
    logged = items["potassium_mg"].copy()
    matches = pd.DataFrame({"name": list(CRONOMETER_COUNTS),
                            "food_id": list(CRONOMETER_COUNTS.values())})
    weighed = resolve_grams(items, matches, sr28_table)
    assert (weighed["conversion_problem"] == "").all()
    assert weighed["portion_used"].ne("").all()
    per_100g = sr28_table.foods["potassium_mg"].reindex(weighed["food"].map(
        CRONOMETER_COUNTS)).to_numpy()
    ours = weighed["grams"].to_numpy() * per_100g / 100
    # the app's own potassium for the same item: avocado, cucumber and nuts are the same
    # USDA foods, the eggs a cooked egg close to the fried one matched here
    same_food = weighed["food"].isin(["Hass Avocado", "Cucumber, Raw, With Peel",
                                      "Brazil Nuts, Unsalted"]).to_numpy()
    assert ours[same_food] == pytest.approx(logged.to_numpy()[same_food], rel=0.07)
    eggs = weighed["food"].eq("Eggs, Cooked").to_numpy()
    assert ours[eggs] == pytest.approx(logged.to_numpy()[eggs], rel=0.15)


def test_each_of_a_usda_food_with_sizes_is_its_medium(sr28_table):
    portions = sr28_table.portions
    medium = portions[portions["description"].eq("medium") & portions["amount"].eq(1)]
    plain = portions["description"].str.lower().isin(["each", "whole"])
    ids = medium["food_id"][~medium["food_id"].isin(portions.loc[plain, "food_id"])]
    ids = ids.drop_duplicates().tolist()
    assert len(ids) > 50
    text = "date,food,amount,unit\n" + "".join(f"2024-03-04,{i},1,each\n" for i in ids)
    items, _ = read_meal_log(io.BytesIO(text.encode("utf-8")))
    weighed = resolve_grams(items, pd.DataFrame({"name": ids, "food_id": ids}), sr28_table)
    expected = medium.drop_duplicates("food_id").set_index("food_id")["grams"]
    assert weighed["grams"].tolist() == expected.reindex(ids).tolist()


def test_sizes_borrowed_across_sr28_stay_in_order(sr28_table):
    foods = sr28_table.foods.index.tolist()
    rows = [(f, u) for f in foods for u in ("small", "medium", "large")]
    text = "date,food,amount,unit\n" + "".join(f"2024-03-04,{f},1,{u}\n" for f, u in rows)
    # every SR28 food at once: far more names than one report reads
    everything = ReadLimits(max_names=len(foods))
    items, _ = read_meal_log(io.BytesIO(text.encode("utf-8")), limits=everything)
    weighed = resolve_grams(items, pd.DataFrame({"name": foods, "food_id": foods}), sr28_table)
    borrowed = weighed["portion_used"].str.contains("scaled from its")
    assert borrowed.sum() >= 10
    sizes = weighed.pivot_table(index="food", columns="unit", values="grams")
    some = sizes.loc[weighed.loc[borrowed, "food"].unique()]
    assert (some["small"].fillna(0) < some["medium"].fillna(math.inf)).all()
    assert (some["medium"].fillna(0) < some["large"].fillna(math.inf)).all()
    # the food lent by shares the first field of the USDA description
    for food, note in weighed.loc[borrowed, ["food", "portion_used"]].itertuples(index=False):
        lender = note.split(") by ")[1].rsplit(" (", 1)[0]
        first = sr28_table.foods.at[food, "usda_description"].split(",")[0]
        lent = sr28_table.foods.loc[sr28_table.foods["name"] == lender, "usda_description"]
        assert lent.str.split(",").str[0].eq(first).any(), (food, note)


# FNDDS 2017-18 portion rows (Portions and Weights) of two foods, "Quantity not specified" left
# out as the reader does.
FNDDS_FOODS = {"fndds:58106220": ("Pizza, cheese, from restaurant or fast food, thin crust",
                                  "Pizza, cheese, from restaurant or fast food, thin crust"),
               "fndds:24122131": ("Chicken breast, baked, broiled, or roasted, skin not eaten, "
                                  "from raw", "Chicken breast, baked, broiled, or roasted, skin "
                                  "not eaten, from raw")}
FNDDS_PORTIONS = [
    ("fndds:58106220", 1, 1, "piece, NFS", 86), ("fndds:58106220", 2, 1, "piece, small pizza", 59),
    ("fndds:58106220", 3, 1, "piece, medium pizza", 63),
    ("fndds:58106220", 4, 1, "piece, large pizza", 86),
    ("fndds:58106220", 5, 1, "piece, extra-large pizza", 98),
    ("fndds:58106220", 6, 1, 'personal size pizza (5-7" diameter)', 127),
    ("fndds:58106220", 7, 1, 'small pizza (8-10" diameter)', 353),
    ("fndds:58106220", 8, 1, 'medium pizza (11-12" diameter)', 500),
    ("fndds:58106220", 9, 1, 'large pizza (13-15" diameter)', 691),
    ("fndds:58106220", 10, 1, 'extra-large pizza (16-18" diameter)', 977),
    ("fndds:58106220", 11, 1, "surface inch", 4.5),
    ("fndds:24122131", 1, 1, "cup, cooked, diced", 135),
    ("fndds:24122131", 2, 1, "small breast", 105), ("fndds:24122131", 3, 1, "medium breast", 120),
    ("fndds:24122131", 4, 1, "large breast", 135),
    ("fndds:24122131", 5, 1, "small or thin slice", 30),
    ("fndds:24122131", 6, 1, "medium slice", 60),
    ("fndds:24122131", 7, 1, "large or thick slice", 85),
    ("fndds:24122131", 8, 1, "oz, cooked", 28.35),
]


@pytest.mark.parametrize(("food_id", "amount", "grams", "used"), [
    # a diameter within a range FNDDS gives is that size of pizza, not a piece of one
    ("fndds:58106220", '1.00 pizza 8" diameter', 353, 'small pizza (8-10" diameter)'),
    ("fndds:58106220", '1 pizza 12" diameter', 500, 'medium pizza (11-12" diameter)'),
    ("fndds:58106220", '2.00 pizza 14" diameter', 2 * 691, 'large pizza (13-15" diameter)'),
    ("fndds:58106220", "3 piece", 3 * 86, "piece, NFS"),
    # a size of the food itself beats a size of a slice of it
    ("fndds:24122131", "4.50 small", 4.5 * 105, "small breast"),
    ("fndds:24122131", "1 large", 135, "large breast"),
    ("fndds:24122131", "2 large or thick slice", 170, "large or thick slice"),
])
def test_fndds_sizes_name_the_portion(food_id, amount, grams, used):
    weighed = weigh_as(food_id, amount, kin_table(FNDDS_FOODS, FNDDS_PORTIONS))
    assert weighed["grams"] == pytest.approx(grams)
    assert weighed["portion_used"] == used


def test_a_size_alone_of_a_food_sold_whole_is_that_size_of_it_not_a_slice():
    # FNDDS 2017-18: the NS-as-to-cooking breast lists "1 breast" and slices by size; the
    # baked one lists small, medium and large breasts.
    foods = {**FNDDS_FOODS,
             "fndds:24120120": ("Chicken breast, NS as to cooking method, skin not eaten",
                                "Chicken breast, NS as to cooking method, skin not eaten")}
    portions = [*FNDDS_PORTIONS,
                ("fndds:24120120", 1, 1, "cup, cooked, diced", 135),
                ("fndds:24120120", 2, 1, "breast", 120),
                ("fndds:24120120", 3, 1, "small or thin slice", 30),
                ("fndds:24120120", 4, 1, "medium slice", 60),
                ("fndds:24120120", 5, 1, "large or thick slice", 85)]
    table = kin_table(foods, portions)
    small = weigh_as("fndds:24120120", "4.50 small", table)
    assert small["grams"] == pytest.approx(4.5 * 120 * 105 / 120)
    assert small["portion_used"].startswith("small, scaled from its medium (120 g)")
    assert weigh_as("fndds:24120120", "1 medium", table)["grams"] == pytest.approx(120)
    # the slice when a slice is what was written
    assert weigh_as("fndds:24120120", "1 small or thin slice", table)["grams"] == \
        pytest.approx(30)


# --- round foods of another diameter ------------------------------------------------------

# Real SR28 rows (FOOD_DES.txt, WEIGHT.txt) of round foods whose portions or names state a
# diameter, or name a part of one.
ROUND_FOODS = {
    "sr:21279": ("DOMINO'S 14\" Cheese Pizza, Crunchy Thin Crust",
                 "DOMINO'S 14\" Cheese Pizza, Crunchy Thin Crust"),
    "sr:21473": ("DIGIORNO Pizza, cheese topping, cheese stuffed crust, frozen, baked",
                 "DIGIORNO Pizza, cheese topping, cheese stuffed crust, frozen, baked"),
    "sr:18301": ("Pie, apple, commercially prepared, enriched flour",
                 "Pie, apple, commercially prepared, enriched flour"),
    "sr:18403": ("Waffles, plain, frozen, ready -to-heat, toasted",
                 "Waffles, plain, frozen, ready -to-heat, toasted"),
    "sr:21226": ("Pizza, meat and vegetable topping, regular crust, frozen, cooked",
                 "Pizza, meat and vegetable topping, regular crust, frozen, cooked"),
    "sr:28320": KIN_FOODS["sr:28320"],
}
ROUND_PORTIONS = [
    ("sr:21279", 1, 1, "slice", 70), ("sr:21279", 2, 1, "pizza", 540),
    ("sr:21473", 1, 1, "slice 1/4 of pie", 164), ("sr:21473", 2, 1, 'pie 12" diameter', 688),
    ("sr:18301", 1, 1, "oz", 28.35), ("sr:18301", 2, 1, 'piece (1/8 of 9" dia)', 125),
    ("sr:18301", 3, 1, 'piece (1/6 of 8" pie)', 117),
    ("sr:18403", 1, 1, "oz", 28.35), ("sr:18403", 2, 1, 'waffle, round (4" dia)', 33),
    ("sr:18403", 3, 1, 'waffle, square (4" square)', 33),
    ("sr:21226", 1, 1, "serving 5 servings per 24.2 oz package", 143),
    ("sr:21226", 4, 1, "package 24.2 oz pizza", 713),
    ("sr:28320", 1, 1, "muffin 1 serving", 57),
]


@pytest.fixture(scope="module")
def round_table() -> FoodTable:
    return kin_table(ROUND_FOODS, ROUND_PORTIONS)


@pytest.mark.parametrize(("food_id", "amount", "grams", "used"), [
    # the diameter in the food's name is the portion's when the portion states none
    ("sr:21279", '1.00 pizza 8" diameter', 540 * (8 / 14) ** 2,
     'pizza, scaled by area from 14" (the food\'s name) to 8": x 0.33'),
    ("sr:21279", "2 pizza 16 inch", 2 * 540 * (16 / 14) ** 2,
     'pizza, scaled by area from 14" (the food\'s name) to 16": x 1.31'),
    # the portion's own diameter
    ("sr:21473", '1 pie 10" diameter', 688 * (10 / 12) ** 2,
     'pie 12" diameter, scaled by area from 12" to 10": x 0.69'),
    ("sr:18403", '3 waffle, round (5" dia)', 3 * 33 * (5 / 4) ** 2,
     'waffle, round (4" dia), scaled by area from 4" to 5": x 1.56'),
])
def test_a_round_food_of_another_diameter_is_scaled_by_area(food_id, amount, grams, used,
                                                            round_table):
    row = weigh_as(food_id, amount, round_table)
    assert row["grams"] == pytest.approx(grams)
    assert row["portion_used"] == used
    assert row["conversion_problem"] == ""


@pytest.mark.parametrize(("food_id", "amount", "grams", "used"), [
    # no diameter written, or the same one: the portion as it is
    ("sr:21279", "1 pizza", 540, "pizza"),
    ("sr:21473", '1 pie 12" diameter', 688, 'pie 12" diameter'),
    # a slice or a piece of a round food does not grow with the whole one
    ("sr:21279", '1 slice 8" diameter', 70, "slice"),
    ("sr:21473", '1 slice 10" diameter', 164, "slice 1/4 of pie"),
    # only the amount states a diameter: nothing to scale from
    ("sr:21226", '1 pizza 8" diameter', 713, "package 24.2 oz pizza"),
    # a muffin is not a flat round food
    ("sr:28320", '1.00 whole - 4" diameter', 57, "muffin 1 serving"),
])
def test_only_a_whole_round_food_of_two_stated_diameters_is_scaled(food_id, amount, grams,
                                                                   used, round_table):
    row = weigh_as(food_id, amount, round_table)
    assert row["grams"] == pytest.approx(grams)
    assert row["portion_used"] == used


def test_a_part_of_a_round_food_is_not_taken_for_the_whole():
    from nutrigap.analyzer.portions.portion_book import PortionBook

    table = kin_table(ROUND_FOODS, ROUND_PORTIONS)
    book = PortionBook(table)
    _, pie_pieces = book.portions("sr:18301")
    _, waffles = book.portions("sr:18403")
    assert not any(book.whole_round(p) for p in pie_pieces)
    assert [p.description for p in waffles if book.whole_round(p)] == ['waffle, round (4" dia)']


@pytest.mark.parametrize(("amount", "grams", "used"), [
    # FNDDS ranges: a size between two ranges or beyond them is scaled from the nearest
    ('1 pizza 10.5" diameter', 500 * (10.5 / 11.5) ** 2,
     'medium pizza (11-12" diameter), scaled by area from 11.5" to 10.5": x 0.83'),
    ('1 pizza 20" diameter', 977 * (20 / 17) ** 2,
     'extra-large pizza (16-18" diameter), scaled by area from 17" to 20": x 1.38'),
    # a size within a range is that portion, unscaled
    ('1 pizza 9" diameter', 353, 'small pizza (8-10" diameter)'),
])
def test_fndds_pizza_sizes_outside_its_ranges_scale_from_the_nearest(amount, grams, used):
    row = weigh_as("fndds:58106220", amount, kin_table(FNDDS_FOODS, FNDDS_PORTIONS))
    assert row["grams"] == pytest.approx(grams)
    assert row["portion_used"] == used


@pytest.mark.parametrize(("text", "diameter"), [
    ('pizza 8" diameter', 8), ('pie (9" dia)', 9), ("tortilla 10 inch", 10),
    ('tortilla (approx 7-8" dia)', 7.5), ('cake or pie (9" dia, approx 2" high)', 9),
    ("DOMINO'S 14\" Cheese Pizza, Crunchy Thin Crust", 14),
    ('2-layer cake (8" or 9" dia, 3" high)', None), ('piece 4" x 6"', None),
    ('waffle, square (4" square)', None), ('large - 8 1/4" long', None), ("pizza", None),
])
def test_the_diameter_a_text_states(text, diameter):
    from nutrigap.analyzer.portions.portion_book import diameter_in

    assert diameter_in(text) == diameter


def test_the_round_foods_table_sorts_each_word_once():
    table = pd.read_csv(Path(__file__).resolve().parent.parent / "analyzer" / "data"
                        / "round_foods.csv", dtype=str, keep_default_na=False)
    assert list(table.columns) == ["word", "kind", "slices", "note"]
    assert set(table["kind"]) == {"round", "part"}
    assert table["word"].is_unique
    assert (table["word"] == table["word"].str.strip().str.lower()).all()
    assert {"pizza", "tortilla", "pie", "cake", "pancake", "quiche"} <= set(
        table.loc[table["kind"].eq("round"), "word"])


def test_an_8_inch_pizza_in_a_real_export_is_not_weighed_as_a_14_inch_one(sr28_table,
                                                                          cronometer_dir):
    with (cronometer_dir / "dhjelmar_Diabetes" / "servings.csv").open("rb") as fp:
        items, _ = read_meal_log(fp)
    name = "Pizza, Homemade or Restaurant, Cheese, Thin Crust"
    items = items[items["food"].eq(name)].copy()
    assert len(items) == 1
    logged = items["potassium_mg"].iloc[0]
    # the SR28 food the matcher picks for it: a 14" pizza, weighed by its "pizza" portion
    weighed = resolve_grams(items, pd.DataFrame({"name": [name], "food_id": ["sr:21279"]}),
                            sr28_table).iloc[0]
    whole = sr28_table.portions.query("food_id == 'sr:21279' and description == 'pizza'")
    assert weighed["grams"] == pytest.approx(whole["grams"].iloc[0] * (8 / 14) ** 2)
    potassium = weighed["grams"] * sr28_table.foods.at["sr:21279", "potassium_mg"] / 100
    # within a fifth of what the app counted for its own 8" pizza (it was 2.6 times as much)
    assert potassium == pytest.approx(logged, rel=0.2)
