"""The committed default food table: coverage of the foods people eat, aliases, portions, tags."""

from __future__ import annotations

import math

import pytest
from click.testing import CliRunner
from sr28_sample import write_sr28

from nutrigap.analyzer.errors import FoodDataError
from nutrigap.analyzer.food_table import FOOD_COLUMNS, PORTION_COLUMNS
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS
from nutrigap.cli import main
from nutrigap.foods.build_table import CURATED_COLUMNS, build, read_curated
from nutrigap.foods.embedded import load_embedded
from nutrigap.foods.tags import TAGS, derive_tags

# Foods the source articles name, then everyday staples, as a user would type them.
SOURCE_FOODS = [
    "spinach", "cooked spinach", "kale", "broccoli", "swiss chard", "collard greens",
    "beet greens", "turnip greens", "mustard greens", "almonds", "cashews", "peanuts",
    "peanut butter", "pb", "pumpkin seeds", "sesame seeds", "chia seeds", "flaxseed",
    "sunflower seeds", "oats", "oatmeal", "brown rice", "whole wheat bread", "quinoa", "avocado",
    "dark chocolate", "milk", "whole milk", "2% milk", "1% milk", "skim milk", "yogurt",
    "greek yogurt", "cheddar", "mozzarella", "cottage cheese", "parmesan", "soy milk",
    "almond milk", "rice milk", "tofu", "sardines", "salmon", "raw salmon", "mackerel", "tuna",
    "canned tuna", "cod", "banana", "sweet potato", "potato", "baked potato", "boiled potato",
    "black beans", "kidney beans", "pinto beans", "navy beans", "white beans", "lentils",
    "chickpeas", "edamame", "orange", "orange juice", "oj", "fortified orange juice",
    "mushrooms", "uv mushrooms", "cheerios", "corn flakes", "beef", "steak", "chicken", "turkey",
    "pork", "egg", "boiled egg",
]
STAPLES = [
    "bread", "white bread", "rice", "pasta", "coffee", "tea", "apple", "carrots", "tomato",
    "lettuce", "onion", "red pepper", "cucumber", "corn", "peas", "green beans", "cauliflower",
    "strawberries", "blueberries", "grapes", "olive oil", "butter", "sugar", "honey", "jam",
    "cola", "beer", "wine", "water",
]


def _food(table, alias: str):
    food_id = table.aliases.set_index("alias").at[alias, "food_id"]
    return table.foods.loc[food_id]


def _tags(row) -> set[str]:
    return set(row["tags"].split(",")) - {""}


def test_shape_and_types(embedded_table):
    foods = embedded_table.foods
    assert len(foods) >= 150
    assert list(foods.columns) == FOOD_COLUMNS
    assert foods.index.name == "food_id" and foods.index.is_unique
    assert (foods["source"] == "embedded").all()
    assert (foods.index == "sr:" + foods["ndb_no"]).all()
    assert foods["name"].str.lower().is_unique
    assert all(foods[key].dtype == float for key in NUTRIENT_KEYS)
    assert list(embedded_table.portions.columns) == PORTION_COLUMNS


@pytest.mark.parametrize("alias", SOURCE_FOODS + STAPLES)
def test_people_find_the_foods_they_eat(embedded_table, alias):
    row = _food(embedded_table, alias)
    assert row["energy_kcal"] >= 0


def test_aliases_are_lower_case_unique_and_point_to_foods(embedded_table):
    aliases = embedded_table.aliases
    assert aliases["alias"].is_unique
    assert (aliases["alias"] == aliases["alias"].str.lower().str.strip()).all()
    assert aliases["food_id"].isin(embedded_table.foods.index).all()


def test_portions_belong_to_foods_and_weigh_something(embedded_table):
    portions = embedded_table.portions
    assert portions["food_id"].isin(embedded_table.foods.index).all()
    assert (portions["grams"] > 0).all() and (portions["amount"] > 0).all()
    assert not portions.duplicated(["food_id", "seq"]).any()
    cup = portions[(portions["food_id"] == "sr:11457") & (portions["description"] == "cup")]
    assert cup["grams"].tolist() == [30.0]


def test_most_foods_have_household_portions(embedded_table):
    with_portions = embedded_table.foods.index.isin(embedded_table.portions["food_id"])
    assert with_portions.mean() > 0.95


def test_missing_values_stay_unknown(embedded_table):
    wild_salmon = embedded_table.foods.loc["sr:15076"]
    assert math.isnan(wild_salmon["vitamin_d_ug"])
    assert wild_salmon["vitamin_b12_ug"] > 0


def test_coffee_and_beer_carry_their_caffeine_and_alcohol(embedded_table):
    # SR28 14209 and 14003, per 100 g
    coffee, beer = _food(embedded_table, "coffee"), _food(embedded_table, "beer")
    assert (coffee["caffeine_mg"], coffee["alcohol_g"]) == (40.0, 0.0)
    assert (beer["alcohol_g"], beer["caffeine_mg"]) == (3.9, 0.0)
    assert (coffee["water_g"], coffee["sodium_mg"]) == (99.39, 2.0)
    assert _food(embedded_table, "espresso")["caffeine_mg"] == 212.0
    assert _food(embedded_table, "red wine")["alcohol_g"] == 10.6


def test_a_caffeine_value_sr28_lacks_stays_unknown(embedded_table):
    chia = _food(embedded_table, "chia seeds")
    assert math.isnan(chia["caffeine_mg"]) and math.isnan(chia["alcohol_g"])
    assert chia["water_g"] == 5.8 and chia["sodium_mg"] == 16.0


def test_fortified_and_uv_exposed_foods_carry_their_vitamin_d(embedded_table):
    table = embedded_table
    plain, fortified = _food(table, "orange juice"), _food(table, "fortified orange juice")
    assert "fortified" in _tags(fortified) and "fortified" not in _tags(plain)
    assert fortified["calcium_mg"] > 10 * plain["calcium_mg"]
    assert fortified["vitamin_d_ug"] > plain["vitamin_d_ug"]
    assert _food(table, "uv mushrooms")["vitamin_d_ug"] > 10 * _food(table, "mushrooms")[
        "vitamin_d_ug"]
    for alias in ("cheerios", "corn flakes", "almond milk", "soy milk"):
        assert "fortified" in _tags(_food(table, alias)), alias


def test_tags_from_the_vocabulary_and_clear_examples(embedded_table):
    table = embedded_table
    for tags in table.foods["tags"]:
        assert set(tags.split(",")) - {""} <= set(TAGS)
    assert {"dairy", "vegetarian"} <= _tags(_food(table, "milk"))
    assert "vegan" not in _tags(_food(table, "milk"))
    assert {"nuts", "vegan"} <= _tags(_food(table, "almonds"))
    assert "fish" in _tags(_food(table, "salmon"))
    assert "gluten" in _tags(_food(table, "whole wheat bread"))
    assert {"soy", "vegan"} <= _tags(_food(table, "tofu"))
    assert "nuts" in _tags(_food(table, "peanut butter"))
    assert "vegan" not in _tags(_food(table, "honey"))
    assert "egg" in _tags(_food(table, "egg"))
    assert "meat" in _tags(_food(table, "chicken"))


def test_each_call_returns_an_independent_copy():
    first = load_embedded()
    first.foods.loc["sr:11457", "magnesium_mg"] = -1
    first.aliases.drop(first.aliases.index, inplace=True)
    second = load_embedded()
    assert second.foods.at["sr:11457", "magnesium_mg"] == 79
    assert len(second.aliases) > 0


# --- tag rules on descriptions a user would recognise ---------------------------------------

@pytest.mark.parametrize("description, group, present, absent", [
    ("Peanut butter, smooth style, with salt", "Legumes and Legume Products",
     {"nuts", "vegan"}, {"dairy"}),
    ("Eggplant, raw", "Vegetables and Vegetable Products", {"vegan"}, {"egg"}),
    ("Bread, gluten-free, white, made with rice flour", "Baked Products", set(), {"gluten"}),
    ("Bread, whole-wheat, commercially prepared", "Baked Products", {"gluten"}, {"vegan"}),
    ("Nuts, coconut meat, raw", "Nut and Seed Products", {"vegan"}, {"nuts", "meat"}),
    ("Sausage, meatless", "Legumes and Legume Products", {"vegetarian"}, {"meat", "vegan"}),
    ("Beans, baked, canned, with pork", "Legumes and Legume Products", {"meat"},
     {"vegetarian", "vegan"}),
    ("Beverages, almond milk, unsweetened, shelf stable", "Beverages", {"nuts", "vegan"},
     {"dairy"}),
    ("Milk, nonfat, fluid, without added vitamin A and vitamin D (fat free or skim)",
     "Dairy and Egg Products", {"dairy"}, {"fortified", "vegan"}),
    ("Orange juice, chilled, includes from concentrate, with added calcium and vitamin D",
     "Fruits and Fruit Juices", {"fortified", "vegan"}, set()),
    ("Crustaceans, shrimp, mixed species, raw", "Finfish and Shellfish Products",
     {"shellfish"}, {"fish", "vegetarian"}),
    ("Gelatin desserts, dry mix", "Sweets", set(), {"vegetarian", "vegan"}),
    ("Squash, winter, butternut, raw", "Vegetables and Vegetable Products", {"vegan"},
     {"nuts", "dairy"}),
    ("Honey", "Sweets", set(), {"vegan"}),
])
def test_tag_rules(description, group, present, absent):
    import pandas as pd

    tags = set(derive_tags(pd.Series([description]), pd.Series([group])).iloc[0].split(","))
    assert present <= tags
    assert not absent & tags


# --- the curated list and the build ---------------------------------------------------------

def _curated(tmp_path, *rows: str):
    path = tmp_path / "curated.csv"
    path.write_text(",".join(CURATED_COLUMNS) + "\n" + "".join(r + "\n" for r in rows))
    return path


@pytest.mark.parametrize("rows, message", [
    (["1145,Spinach,,"], 'row 2: ndb_no "1145" is not a 5-digit SR number'),
    (["11457,Spinach,spinach,", "11458,Spinach,,"], 'row 3: name "spinach" is already listed'),
    (["11457,Spinach,,", "11457,Spinach raw,,"], 'row 3: ndb_no "11457" is already listed'),
    (["11457,Spinach,spinach,", "11458,Cooked spinach,spinach,"],
     'row 3: alias "spinach" already points to the food on row 2'),
    (["11457,Spinach,Spinach,"], 'row 2: alias "Spinach" must be lower case'),
    (["11457,Spinach,,keto"], 'row 2: unknown tag "keto"'),
    (["11457,,,"], "row 2: name is empty"),
])
def test_curated_list_problems_name_the_row(tmp_path, rows, message):
    with pytest.raises(FoodDataError, match=message.replace("(", r"\(")):
        read_curated(_curated(tmp_path, *rows))


def test_build_from_a_small_release(tmp_path):
    curated = _curated(tmp_path, '11457,"Spinach, raw",spinach|baby spinach,',
                       "01077,Whole milk,milk,", "15088,Sardines,sardines,fortified")
    table = build(write_sr28(tmp_path / "sr28"), tmp_path / "out", curated_path=curated)
    assert table.foods.index.tolist() == ["sr:01077", "sr:11457", "sr:15088"]
    assert table.foods.at["sr:15088", "name"] == "Sardines"
    assert "fortified" in table.foods.at["sr:15088", "tags"]
    assert table.aliases.values.tolist() == [["baby spinach", "sr:11457"], ["milk", "sr:01077"],
                                             ["sardines", "sr:15088"], ["spinach", "sr:11457"]]
    written = (tmp_path / "out" / "foods.csv").read_text().splitlines()
    assert written[0].startswith("food_id,name,source,ndb_no")
    assert written[1].startswith("sr:01077,Whole milk,embedded,01077,")


def test_cli_build_writes_the_table(tmp_path):
    result = CliRunner().invoke(main, ["foods", "build", "--sr28",
                                       str(write_sr28(tmp_path / "sr28")), "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2  # the tiny release lacks most curated foods
    assert "not in SR28 FOOD_DES" in result.output
    assert not (tmp_path / "out" / "foods.csv").exists()


def test_cli_build_from_the_real_release(sr28_dir, tmp_path):
    result = CliRunner().invoke(main, ["foods", "build", "--sr28", str(sr28_dir), "--out",
                                       str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{len(load_embedded().foods)} foods, ")
    assert (tmp_path / "foods.csv").exists()


def test_cli_build_of_a_missing_folder(tmp_path):
    result = CliRunner().invoke(main, ["foods", "build", "--sr28", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and "does not exist" in result.output
    assert "Traceback" not in result.output
