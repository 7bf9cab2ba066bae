"""What a name states about the food must agree with the food it is matched to: a fat level
(fat free, low fat, whole), a percentage (80% lean, 1% milk) and a maker's product name.
A food that says otherwise loses confidence; a word for a kind of food ("cheese") picks its
usual food only when the rest of the name does not ask for another ("cheese, light")."""

from __future__ import annotations

import pytest

from nutrigap.analyzer.matching.matcher import THRESHOLD, Matcher
from nutrigap.analyzer.matching.normalise import words
from nutrigap.analyzer.matching.rules import PERCENT, defaults, preparations


@pytest.fixture(scope="module")
def built_in(embedded_table):
    return Matcher(embedded_table)


@pytest.fixture(scope="module")
def imported_matcher(sr28_table, embedded_table):
    """SR28 with the built-in foods and their aliases on top, as an imported database is
    loaded."""
    return Matcher(sr28_table.merged_with(embedded_table))


# --- the rules themselves ----------------------------------------------------------------

def test_every_percentage_a_name_states_is_asked_for():
    asked = preparations().asked(words("Beef, ground, 80% lean meat / 20% fat, raw"))
    assert asked[PERCENT] == {"80%", "20%"}
    assert asked["state"] == {"raw"}
    stated = preparations().of(words("Milk, lowfat, fluid, 1% milkfat"))
    assert stated[PERCENT] == {"1%"} and stated["fat"] == {"reduced"}


@pytest.mark.parametrize("name, level", [
    ("Milk, nonfat, fluid (fat free or skim)", "free"),
    ("Cottage cheese, fat-free", "free"),
    ("Greek yogurt 0%", "free"),
    ("Mozzarella, part skim", "reduced"),  # part skim is not skim
    ("Milk, reduced fat, 2%", "reduced"),
    ("low fat yogurt", "reduced"),
    ("full fat yogurt", "regular"),
    ("Yogurt, plain, whole milk", "regular"),
])
def test_fat_levels_are_read_from_the_words_people_and_usda_use(name, level):
    assert preparations().of(words(name))["fat"] == {level}


def test_fat_levels_further_apart_disagree_more():
    found = defaults()
    assert found.steps("fat", frozenset({"free"}), frozenset({"reduced"})) == 1
    assert found.steps("fat", frozenset({"free"}), frozenset({"regular"})) == 2
    assert found.steps("state", frozenset({"raw"}), frozenset({"cooked"})) == 1


def test_dry_curd_cottage_cheese_is_not_a_powder():
    stated = preparations().of(words("Cheese, cottage, nonfat, uncreamed, dry, large or "
                                     "small curd"))
    assert "strength" not in stated and stated["fat"] == {"free"}


# --- against the built-in foods ----------------------------------------------------------

@pytest.mark.parametrize("name", ["Babybel, Cheese, Light", "light cheese", "Ricotta, part skim"])
def test_a_cheese_the_table_lacks_is_unmatched_not_cheddar_or_mozzarella(built_in, name):
    row = built_in.match([name]).iloc[0]
    assert row["method"] == "unmatched", (row["food_name"], row["confidence"])
    assert row["confidence"] < THRESHOLD and row["candidates"]


def test_plain_cheese_is_still_cheddar(built_in):
    assert built_in.match(["cheese"]).iloc[0]["food_id"] == "sr:01009"


def test_a_percentage_the_food_contradicts_lowers_the_confidence(built_in):
    matched = built_in.match(["ground beef 85% lean", "ground beef 80% lean"]).set_index("name")
    # the built-in table has only 85% lean: still the nearest food, with a visible doubt
    assert matched["food_id"].tolist() == ["sr:23568", "sr:23568"]
    assert matched.at["ground beef 80% lean", "confidence"] <= \
        matched.at["ground beef 85% lean", "confidence"] - 15


@pytest.mark.parametrize("name, food_id", [
    ("chocolate milk 1%", "sr:01102"),  # chocolate milk, not plain 1% milk
    ("orange juice 100%", "sr:09209"),  # was unmatched: "100%" read as the food
])
def test_a_number_after_the_food_describes_it_and_does_not_name_it(built_in, name, food_id):
    row = built_in.match([name]).iloc[0]
    assert row["food_id"] == food_id, (row["food_name"], row["candidates"])


def test_a_fat_level_the_food_contradicts_ranks_it_lower(built_in):
    row = built_in.match(["Milk, Skim, Fat Free"]).iloc[0]
    assert row["food_id"] == "sr:01085"
    scores = {c["name"]: c["score"] for c in row["candidates"]}
    assert scores["Skim milk, without added vitamin D"] > scores.get("2% milk", 0)


# --- against the whole of SR28 -----------------------------------------------------------

@pytest.mark.parametrize("name", ["Hamburger or Ground Beef, 80% Lean", "Ground beef, 80% lean"])
def test_the_food_with_the_stated_percentage_wins(imported_matcher, sr28_table, name):
    row = imported_matcher.match([name]).iloc[0]
    description = sr28_table.foods.at[row["food_id"], "usda_description"]
    assert "80% lean" in description, (description, row["candidates"])


@pytest.mark.parametrize("name, acceptable", [
    ("Publix, Cottage Cheese, Fat Free", {"sr:01014"}),  # not low fat (2%), nor creamed
    ("fat free cottage cheese", {"sr:01014"}),
    ("Chocolate milk, ready to drink, fat free", {"sr:01292"}),
    ("Italian dressing, light", {"sr:04021"}),  # reduced fat, not fat free
    ("Thousand Island dressing, light", {"sr:04023"}),
    ("Milk, Skim, Fat Free", {"sr:01085", "sr:01151"}),
])
def test_the_food_with_the_stated_fat_level_wins(imported_matcher, name, acceptable):
    row = imported_matcher.match([name]).iloc[0]
    assert row["food_id"] in acceptable, (row["food_name"], row["candidates"])


def test_a_sugar_cookie_is_not_a_sugar_free_one(imported_matcher, sr28_table):
    row = imported_matcher.match(["Cookie, butter or sugar"]).iloc[0]
    description = sr28_table.foods.at[row["food_id"], "usda_description"].lower()
    assert "sugar free" not in description and "peanut" not in description, description


def test_cocoa_made_from_a_sugar_free_mix_and_milk_is_not_the_dry_mix(imported_matcher,
                                                                      sr28_table):
    name = "Hot chocolate / Cocoa, made with no sugar added dry mix and reduced fat milk"
    row = imported_matcher.match([name]).iloc[0]
    description = sr28_table.foods.at[row["food_id"], "usda_description"].lower()
    assert "powder" not in description and "milk" in description, description


@pytest.mark.parametrize("name, food_id", [
    ("Morning Star Farms, Veggie Burgers, Grillers Prime", "sr:16549"),
    ("Morning Star Farms, Veggie Burgers, Grillers Original", "sr:16548"),
    ("MorningStar Farms Grillers Prime", "sr:16549"),
    ("Morning Star Farms, Veggie Burgers, Spicy Indian", "sr:16618"),
])
def test_a_makers_product_named_in_full_wins_over_the_kind_of_food(imported_matcher, name,
                                                                   food_id):
    """USDA names the product ("Grillers Prime") without the kind of food an app's middle
    field gives it ("Veggie Burgers")."""
    row = imported_matcher.match([name]).iloc[0]
    assert row["food_id"] == food_id, (row["food_name"], row["candidates"])


def test_a_light_cheese_of_an_unknown_maker_is_unmatched_with_candidates(imported_matcher):
    row = imported_matcher.match(["Babybel, Cheese, Light"]).iloc[0]
    assert row["method"] == "unmatched", (row["food_name"], row["confidence"])
    assert len(row["candidates"]) == 3
