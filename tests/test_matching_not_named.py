"""A match must share the food itself, not only how it was prepared, nor only a word for a
kind of food: against the built-in table, foods it does not have come back unmatched (with
their candidates) instead of as a food that happens to be raw, fresh or cooked too."""

from __future__ import annotations

import pytest

from nutrigap.analyzer.matching.matcher import THRESHOLD, Matcher

# Foods the built-in table does not have: the words they share with its foods are a
# preparation (raw, fresh, cooked, boiled, fried, roasted), a kind of food, or a cut.
BUILT_IN_LACKS = [
    "Gooseberries, raw",  # was Egg, raw
    "Kohlrabi, raw",  # was Pork tenderloin, raw
    "Persimmons, fresh",  # was Tuna, yellowfin, raw
    "Lychee, fresh",
    "Quince, raw",  # was Ground beef, raw
    "papaya, raw",
    "Pomegranate, raw",
    "Leeks, raw",
    "Fennel, raw",
    "Radish, raw",
    "Parsnips, cooked",  # was Tilapia, cooked
    "Artichoke, boiled",  # was Egg, hard-boiled
    "Squid, fried",  # was Egg, fried
    "Venison, roasted",  # was Turkey, roasted
    "Duck, roasted",
    "Dasheen, boiled",
    "Lamb chop, grilled",  # a chop is a cut: not Pork chop
    "Passion fruit, raw",  # "fruit" alone is not Kiwifruit
    "Elderberry syrup",  # "syrup" alone is not Maple syrup
    "Egg shell, dried, ground",  # a calcium supplement, not an egg
    "Spinach quiche",
    "Jackfruit",
    "Kombucha",
    "mixed nuts",  # not almonds
    "fruit juice",  # not grapefruit juice
    "raw",
    "cooked",
]

# One word for a kind of food says too little: which cream, cereal or fish?
GENERIC = ["cream", "cereal", "juice", "nuts", "fish", "meat", "fruit", "salad", "sauce",
           "soup", "oil", "beans", "muffin"]


@pytest.fixture(scope="module")
def built_in(embedded_table):
    return Matcher(embedded_table)


@pytest.mark.parametrize("name", BUILT_IN_LACKS + GENERIC)
def test_foods_the_built_in_table_lacks_are_unmatched_with_candidates(built_in, name):
    row = built_in.match([name]).iloc[0]
    assert row["method"] == "unmatched", (row["food_name"], row["confidence"])
    assert row["food_id"] is None and row["confidence"] < THRESHOLD
    assert row["candidates"], "a dietitian is shown what came closest"
    assert all(c["score"] < THRESHOLD for c in row["candidates"])


@pytest.mark.parametrize(("name", "food_id"), [
    ("cheese", "sr:01009"),  # an alias says which: cheddar
    ("yogurt", "sr:01116"),
    ("white beans", "sr:16050"),
    ("Beans, string, green, raw", "sr:11052"),  # its own main name typed in full
    ("Tofu, raw", "sr:16126"),
    ("Cherries, fresh", "sr:09070"),
])
def test_a_name_that_shares_the_food_still_matches(built_in, name, food_id):
    row = built_in.match([name]).iloc[0]
    assert row["food_id"] == food_id, (row["food_name"], row["candidates"])


def test_only_the_very_name_is_certain(built_in):
    matched = built_in.match(["Spinach, raw", "chedder", "Mango, fresh", "Cherries, fresh",
                              "Broccoli, Cooked from Frozen"]).set_index("name")
    assert matched.at["Spinach, raw", "confidence"] == 100
    fuzzy = matched[matched["method"] == "fuzzy"]
    assert len(fuzzy) == 4
    assert (fuzzy["confidence"] < 100).all() and (fuzzy["confidence"] >= 90).all()
    assert all(c["score"] < 100 for cs in fuzzy["candidates"] for c in cs)


@pytest.fixture(scope="module")
def sr28(sr28_table):
    return Matcher(sr28_table)


@pytest.mark.parametrize(("name", "expected"), [
    # names made only of kind words still find a food with all of them
    ("Mixed vegetables, cooked, from frozen, fat not added in cooking",
     "Vegetables, mixed, frozen, cooked"),
    ("Cheese sauce", "Sauce, cheese"),
    ("Fish sauce", "Sauce, fish"),
    ("mixed nuts", "Nuts, mixed nuts"),
    ("Bean soup, home recipe", "Soup, bean"),
    ("Crackers, cheese (Goldfish)", "Crackers, cheese"),  # the brand is only an example
    ("Gooseberries, raw", "Gooseberries, raw"),
])
def test_against_sr28_kind_words_together_name_a_food(sr28, sr28_table, name, expected):
    row = sr28.match([name]).iloc[0]
    assert row["food_id"] is not None, row["candidates"]
    assert sr28_table.foods.at[row["food_id"], "name"].startswith(expected)


@pytest.mark.parametrize("name", ["cereal", "cream", "Fish, NS as to type, cooked",
                                  "Dasheen, boiled", "Snowpea, cooked, from fresh, made with oil",
                                  "Cactus, cooked, fat not added in cooking", "Sangria, red"])
def test_against_sr28_what_it_lacks_or_leaves_open_is_unmatched(sr28, name):
    row = sr28.match([name]).iloc[0]
    assert row["method"] == "unmatched", (row["food_name"], row["confidence"])
