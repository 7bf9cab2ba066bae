"""Matching typed food names to foods: the built-in table, and the whole of SR28 when the
real data is beside the checkout."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.matching.matcher import MATCH_COLUMNS, SEARCH_COLUMNS, THRESHOLD, Matcher

# What people type, and the built-in foods that are an acceptable reading of it.
TYPED = [
    # typos
    ("chedder", {"sr:01009"}),
    ("brocoli", {"sr:11090", "sr:11091"}),
    ("brocolli", {"sr:11090", "sr:11091"}),
    ("bannana", {"sr:09040"}),
    ("mozarella", {"sr:01026", "sr:01028"}),
    ("stawberries", {"sr:09316"}),
    ("tomatoe", {"sr:11529"}),
    ("avacado", {"sr:09037"}),
    ("spinnach", {"sr:11457"}),
    ("walnutts", {"sr:12155"}),
    # plurals
    ("almonds", {"sr:12061", "sr:12063"}),
    ("apples", {"sr:09003"}),
    ("bananas", {"sr:09040"}),
    ("lentils", {"sr:16070"}),
    ("blueberries", {"sr:09050"}),
    ("scrambled eggs", {"sr:01132"}),
    ("carrots", {"sr:11124"}),
    ("chick peas", {"sr:16057", "sr:16358"}),
    # British spellings and words
    ("greek yoghurt", {"sr:01256", "sr:01287", "sr:01293"}),
    ("natural yoghurt", {"sr:01116", "sr:01117", "sr:01118"}),
    ("wholemeal bread", {"sr:18075"}),
    ("semi-skimmed milk", {"sr:01079"}),
    ("skimmed milk", {"sr:01085"}),
    ("courgette", {"sr:11477"}),
    ("porridge oats", {"sr:08120", "sr:08121"}),
    ("tinned tuna", {"sr:15119", "sr:15121", "sr:15126"}),
    ("prawns", {"sr:15270", "sr:15271"}),
    ("minced beef", {"sr:23567", "sr:23568"}),
    ("crisps", {"sr:19411"}),
    ("jacket potato", {"sr:11674"}),
    ("sweetcorn", {"sr:11167", "sr:11168"}),
    ("rocket", {"sr:11959"}),
    # word order
    ("raw spinach", {"sr:11457"}),
    ("broccoli cooked", {"sr:11091"}),
    ("cooked broccoli", {"sr:11091"}),
    ("roast chicken thigh", {"sr:05098"}),
    ("eggs scrambled", {"sr:01132"}),
    ("milk chocolate", {"sr:19120"}),
    ("chocolate milk", {"sr:01102"}),
    # Cronometer-style names
    ("Spinach, Raw", {"sr:11457"}),
    ("Broccoli, Cooked from Frozen", {"sr:11091"}),
    ("Milk, Skim, Fat Free", {"sr:01085"}),
    ("Butter, Salted", {"sr:01001"}),
    ("Brown Rice, Steamed", {"sr:20037"}),
    ("Mozzarella Cheese, Part Skim Milk", {"sr:01028"}),
    ("Cucumber, Raw, With Peel", {"sr:11205"}),
    ("Kale, Raw", {"sr:11233"}),
    ("Garlic, Fresh", {"sr:11215"}),
    ("Eggs, Cooked", {"sr:01128", "sr:01129", "sr:01131", "sr:01132"}),
    ("English Muffin, White", {"sr:18258"}),
    ("Hass Avocado", {"sr:09037"}),
    ("Publix, Cottage Cheese, Fat Free", {"sr:01012", "sr:01015"}),
    # everyday phrasing without a brand
    ("salmon fillet baked", {"sr:15209", "sr:15237", "sr:15086"}),
    ("oj", {"sr:09206", "sr:09209", "sr:09210"}),
    ("grilled chicken breast", {"sr:05747"}),
    ("hard boiled eggs", {"sr:01129"}),
    ("canned tuna in water", {"sr:15121", "sr:15126"}),
    ("brown rice", {"sr:20037"}),
    ("rice", {"sr:20045", "sr:20037"}),
    ("broccoli", {"sr:11090"}),
    ("salmon", {"sr:15209", "sr:15237", "sr:15086"}),
    ("peanut butter", {"sr:16097", "sr:16098"}),
    ("baked beans", {"sr:16006"}),
    ("black coffee", {"sr:14209"}),
    ("green tea", {"sr:14278"}),
    ("corn on the cob", {"sr:11168"}),
    ("frozen spinach", {"sr:11463"}),
    ("sourdough bread", {"sr:18069", "sr:18064"}),
    # oats dry and oatmeal cooked differ about six-fold per gram
    ("oatmeal", {"sr:08121"}),
    ("porridge", {"sr:08121"}),
    ("oats", {"sr:08120"}),
    ("rolled oats", {"sr:08120"}),
    ("Tomato catsup", {"sr:11935"}),
    ("white english muffin", {"sr:18258"}),
]

# Names that are not foods in the table: they must come back unmatched, not guessed.
NOT_FOODS = ["xyzzy", "asdfgh", "qwerty uiop", "laptop charger", "running shoes",
             "lorem ipsum", "!!!", ""]

# Foods the table does not have, named with words it does have: a food that lacks the word
# naming what was typed ("milk" in oat milk), or that has only part of it, is a wrong match.
NOT_IN_TABLE = [
    "Oatly, Oat Milk",  # neither oatmeal nor cow's milk
    "oat milk",
    "Eggplant Parm",  # not raw eggplant
    "Boursin, Garlic & Herb",  # a cheese, not garlic
    "garlic sauce",
    "rum and cola",
]


@pytest.fixture(scope="module")
def embedded_matcher(embedded_table):
    return Matcher(embedded_table)


def test_the_typed_table_is_large_enough():
    assert len(TYPED) >= 60


@pytest.mark.parametrize("name, acceptable", TYPED, ids=[n for n, _ in TYPED])
def test_typed_names_resolve_to_an_acceptable_food(embedded_matcher, name, acceptable):
    row = embedded_matcher.match([name]).iloc[0]
    assert row["food_id"] in acceptable, (row["food_name"], row["candidates"])
    assert row["method"] in {"exact", "alias", "fuzzy"}
    assert THRESHOLD <= row["confidence"] <= 100


@pytest.mark.parametrize("name", NOT_IN_TABLE)
def test_foods_the_table_lacks_are_unmatched_rather_than_a_part_of_them(embedded_matcher,
                                                                          name):
    row = embedded_matcher.match([name]).iloc[0]
    assert row["method"] == "unmatched", (row["food_name"], row["confidence"])
    assert row["candidates"], "a dietitian is shown what came closest"


def test_a_brand_no_food_has_lowers_the_confidence(embedded_matcher):
    result = embedded_matcher.match(["Publix, Cottage Cheese, Fat Free",
                                     "Cottage Cheese, Fat Free"]).set_index("name")
    branded, plain = result.loc["Publix, Cottage Cheese, Fat Free"], \
        result.loc["Cottage Cheese, Fat Free"]
    assert branded["food_id"] == plain["food_id"]
    assert THRESHOLD <= branded["confidence"] < plain["confidence"] - 5


@pytest.mark.parametrize("name", NOT_FOODS)
def test_non_foods_are_unmatched_with_their_candidates_listed(embedded_matcher, name):
    row = embedded_matcher.match([name]).iloc[0]
    assert row["method"] == "unmatched"
    assert row["food_id"] is None and row["food_name"] is None
    assert row["confidence"] < THRESHOLD
    assert len(row["candidates"]) <= 3
    for candidate in row["candidates"]:
        assert set(candidate) == {"food_id", "name", "score"}
        assert candidate["score"] < THRESHOLD


def test_one_row_per_distinct_name_in_first_seen_order(embedded_matcher):
    names = ["oj", "Spinach, Raw", "oj", None, np.nan, "Spinach, Raw", "xyzzy"]
    result = embedded_matcher.match(names)
    assert list(result.columns) == MATCH_COLUMNS
    assert result["name"].tolist() == ["oj", "Spinach, Raw", "", "xyzzy"]
    assert result.set_index("name").at["", "method"] == "unmatched"


def test_exact_names_and_aliases_are_certain(embedded_matcher):
    result = embedded_matcher.match(["Spinach, raw", "greek yogurt"]).set_index("name")
    assert result.at["Spinach, raw", "method"] == "exact"
    assert result.at["greek yogurt", "method"] == "alias"
    assert (result["confidence"] == 100).all()


def test_fuzzy_matches_list_the_chosen_food_first(embedded_matcher):
    row = embedded_matcher.match(["chedder"]).iloc[0]
    assert row["method"] == "fuzzy"
    assert row["candidates"][0]["food_id"] == row["food_id"]
    scores = [c["score"] for c in row["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_a_saved_correction_wins_over_the_fuzzy_and_exact_match(embedded_matcher):
    corrections = pd.DataFrame({"name": ["Brown Rice, Steamed", "spinach raw"],
                                "food_id": ["sr:20036", "sr:11458"]})
    result = embedded_matcher.match(["brown rice steamed", "Spinach, Raw"],
                                    corrections=corrections).set_index("name")
    assert result.at["brown rice steamed", "food_id"] == "sr:20036"
    assert result.at["Spinach, Raw", "food_id"] == "sr:11458"
    assert (result["method"] == "correction").all()


def test_search_puts_the_exact_name_first(embedded_matcher):
    found = embedded_matcher.search("spinach raw", limit=5)
    assert list(found.columns) == SEARCH_COLUMNS
    assert len(found) == 5
    assert found.iloc[0]["food_id"] == "sr:11457"
    assert found["food_id"].is_unique
    assert found["score"].is_monotonic_decreasing


def test_a_lower_threshold_changes_only_what_counts_as_matched(embedded_table):
    strict = Matcher(embedded_table, threshold=95).match(["baby carrots", "Spinach, Raw"])
    assert strict.set_index("name").at["baby carrots", "method"] == "unmatched"
    assert strict.set_index("name").at["Spinach, Raw", "method"] == "exact"


def test_a_table_without_aliases_or_curated_foods(embedded_table):
    foods = embedded_table.foods.assign(source="sr28")
    plain = Matcher(FoodTable(foods))
    assert plain.match(["spinach raw"]).iloc[0]["food_id"] == "sr:11457"


# --- the whole of SR28 ----------------------------------------------------------------------

SR28_CASES = [
    ("spinach raw", {"sr:11457"}),
    ("Spinach, Raw", {"sr:11457"}),
    ("broccoli", {"sr:11090"}),
    ("carrots", {"sr:11124"}),
    ("rice", {"sr:20045"}),
    ("Coffee, brewed", {"sr:14209", "sr:14180"}),
    ("Coffee, instant, reconstituted", {"sr:14215"}),
    ("Milk, low fat (1%)", {"sr:01082", "sr:01083", "sr:01084"}),
    ("Soft drink, cola", {"sr:14148"}),
    ("Cheese, American", {"sr:01042", "sr:01253"}),
    ("Water, tap", {"sr:14411", "sr:14412", "sr:14429"}),
    ("aubergine", {"sr:11209"}),
    ("beetroot", {"sr:11080"}),
    ("Blackberries, Fresh", {"sr:09042"}),
    ("Raspberries, Fresh, Red", {"sr:09302"}),
    ("Salmon, Atlantic, Farmed, Raw", {"sr:15236"}),
    ("kefir", {"sr:01289", "sr:01290"}),
]


@pytest.fixture(scope="module")
def sr28_matcher(sr28_table):
    return Matcher(sr28_table)


@pytest.fixture(scope="module")
def imported_matcher(sr28_table, embedded_table):
    """SR28 with the built-in foods and their aliases on top, as an imported database is
    loaded."""
    return Matcher(sr28_table.merged_with(embedded_table))


# Names from real logs that once went to the wrong food of the imported table.
IMPORTED_CASES = [
    ("oatmeal", {"sr:08121"}),  # not USDA's raw "Oats", nor dry rolled oats
    ("Oatmeal", {"sr:08121"}),
    ("porridge", {"sr:08121"}),
    ("oats", {"sr:08120"}),
    ("rolled oats", {"sr:08120"}),
    ("Oatmeal, Regular or Quick, Dry", {"sr:08120"}),
    ("English Muffin, White", {"sr:18258"}),  # not the whole grain one
    ("Tomato catsup", {"sr:11935"}),  # not a tomato
    ("Sports drink (Gatorade G)", {"sr:14460"}),
    ("thin crust pizza", {"sr:21505"}),  # not the regular-crust one
    # skin eaten or not: poultry skin is mostly fat
    ("Chicken Breast, Skin Removed Before Cooking", {"sr:05064", "sr:05747"}),
    ("Chicken breast, baked, broiled, or roasted, skin not eaten, from raw", {"sr:05064"}),
    ("Chicken thigh, baked, broiled, or roasted, skin not eaten, from raw", {"sr:05098"}),
    ("Turkey, light meat, roasted, skin not eaten", {"sr:05168"}),
    ("roast chicken breast with skin", {"sr:05060"}),
]
IMPORTED_NOT_IN_TABLE = ["Oatly, Oat Milk", "oat milk", "Eggplant Parm",
                         "Boursin, Garlic & Herb", "Garlic sauce", "Rum and cola"]


@pytest.mark.parametrize("name, acceptable", IMPORTED_CASES, ids=[n for n, _ in IMPORTED_CASES])
def test_names_against_sr28_with_the_built_in_aliases(imported_matcher, name, acceptable):
    row = imported_matcher.match([name]).iloc[0]
    assert row["food_id"] in acceptable, (row["food_name"], row["candidates"])


@pytest.mark.parametrize("name", IMPORTED_NOT_IN_TABLE)
def test_foods_sr28_lacks_are_unmatched(imported_matcher, name):
    row = imported_matcher.match([name]).iloc[0]
    assert row["method"] == "unmatched", (row["food_name"], row["confidence"])


def test_a_thin_crust_pizza_is_not_a_regular_crust_one(imported_matcher, sr28_table):
    row = imported_matcher.match(["Pizza, Homemade or Restaurant, Cheese, Thin Crust"]).iloc[0]
    if row["food_id"] is not None:
        description = sr28_table.foods.at[row["food_id"], "usda_description"].lower()
        assert "thin" in description and "regular crust" not in description, description


@pytest.mark.parametrize("name, acceptable", SR28_CASES, ids=[n for n, _ in SR28_CASES])
def test_names_against_the_whole_of_sr28(sr28_matcher, name, acceptable):
    row = sr28_matcher.match([name]).iloc[0]
    assert row["food_id"] in acceptable, (row["food_name"], row["candidates"])


def test_baby_foods_only_when_asked_for(sr28_matcher, sr28_table):
    groups = sr28_table.foods["food_group"]
    carrots = sr28_matcher.search("carrots", limit=10)
    assert not groups[carrots["food_id"]].eq("Baby Foods").any()
    asked = sr28_matcher.match(["baby food carrots"]).iloc[0]
    assert groups[asked["food_id"]] == "Baby Foods"


def test_fast_food_and_brands_only_when_asked_for(sr28_matcher, sr28_table):
    groups = sr28_table.foods["food_group"]
    plain = sr28_matcher.search("chicken nuggets", limit=10)
    assert not groups[plain["food_id"]].isin(["Fast Foods", "Restaurant Foods"]).any()
    cheerios = sr28_matcher.search("cheerios", limit=10)
    descriptions = sr28_table.foods.loc[cheerios["food_id"], "usda_description"]
    assert descriptions.str.contains("CHEERIOS").iloc[0]
    assert not sr28_matcher.search("oat cereal", limit=10)["name"].str.contains(
        "KELLOGG|GENERAL MILLS|QUAKER").any()


def test_a_drink_is_not_matched_to_its_powder(sr28_matcher, sr28_table):
    for name in ["Coffee, instant, reconstituted", "Fruit flavored drink, powdered, "
                 "reconstituted", "Tea, iced, instant, black, unsweetened"]:
        row = sr28_matcher.match([name]).iloc[0]
        description = sr28_table.foods.at[row["food_id"], "usda_description"]
        assert "powder" not in description.lower() or "prepared" in description.lower(), \
            (name, description)
