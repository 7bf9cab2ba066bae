"""Food names reduced to comparable words: plain functions, no food table needed."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nutrigap.analyzer.matching.normalise import (
    first_field,
    fold,
    light_words,
    name_key,
    normalise,
    read_spelling_rules,
    singular,
    words,
)


@pytest.mark.parametrize("text, expected", [
    ("Jalapeño", "jalapeno"),
    ("McDONALD'S", "mcdonalds"),
    ("Kellogg’s", "kelloggs"),  # curly apostrophe
    ("Mac & Cheese", "mac  and  cheese"),
])
def test_fold_lowers_case_and_drops_accents_and_apostrophes(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize("word, expected", [
    ("almonds", "almond"),
    ("berries", "berry"),
    ("tomatoes", "tomato"),
    ("peaches", "peach"),
    ("radishes", "radish"),
    ("glasses", "glass"),
    ("watercress", "watercress"),
    ("hummus", "hummus"),
    ("asparagus", "asparagus"),
    ("peas", "pea"),
    ("gas", "gas"),  # too short to be a plural
    ("b12", "b12"),
])
def test_singular_follows_the_suffix_rules(word, expected):
    assert singular(word) == expected


@pytest.mark.parametrize("text, expected", [
    ("Greek Yoghurt", "greek yogurt"),
    ("wholemeal bread", "whole wheat bread"),
    ("Courgettes", "zucchini"),
    ("aubergine", "eggplant"),
    ("tinned tomatoes", "canned tomato"),
    ("semi-skimmed milk", "reducedfat 2% milk"),
    ("beef mince", "ground beef"),
    ("crisps", "potato chip"),
    ("oj", "orange juice"),
    ("cookies", "cookie"),
])
def test_british_spellings_typos_and_plurals_become_one_form(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Milk, low fat (1%)", "milk lowfat 1%"),
    ("Milk, nonfat, fluid (fat free or skim)", "milk fatfree fluid skim"),
    ("Cheese, NFS", "cheese"),
    ("Grapes, raw, NS as to type", "grape raw"),
    ("Pork bacon, NS as to fresh, smoked or cured, cooked", "pork bacon cooked"),
    ("Beverages, coffee, instant, not reconstituted", "beverage coffee instant undiluted"),
    ("Fish, salmon, Atlantic, cooked, dry heat", "fish salmon atlantic cooked dryheat"),
    ("Beef, w/o fat", "beef without fat"),
    ("Bread, white, commercially prepared (includes soft bread crumbs)", "bread white"),
    ("Orange juice, with added calcium", "orange juice calciumfortified"),
    ("Cookies, peanut butter, commercially prepared, sugar free", "cookie peanut butter sugarfree"),
    ("Squash, winter type, baked, no sugar added in cooking", "squash winter baked"),
    ("Mozzarella, part skim milk", "mozzarella partskim milk"),
    ("Cheese, cottage, nonfat, uncreamed, dry, large or small curd",
     "cheese cottage fatfree uncreamed curd"),
])
def test_usda_and_fndds_phrasing(text, expected):
    assert normalise(text) == expected


def test_light_words_keep_the_words_spelling_rules_would_merge():
    assert words("Oatmeal") == words("oats") == ["oat"]
    assert light_words("Oatmeal") == ["oatmeal"]
    assert light_words("Rolled Oats") == ["rolled", "oat"]
    assert light_words("Porridge, with the oats") == ["porridge", "oat"]
    assert light_words("Jalapeño Peppers") == ["jalapeno", "pepper"]


def test_word_order_and_punctuation_do_not_change_the_key():
    assert name_key("raw spinach") == name_key("Spinach, Raw") == name_key("SPINACH -- raw!")
    assert name_key("raw spinach") != name_key("spinach, cooked")


def test_repeated_words_count_once():
    assert words("Chicken and chicken") == ["chicken"]


def test_first_field_is_what_usda_names_first():
    assert first_field("Spinach, raw") == ["spinach"]
    assert first_field("Fish, salmon, raw") == ["fish"]
    assert first_field("Honey") == ["honey"]


def test_names_without_food_words_come_out_empty():
    assert words("") == []
    assert words("!!! --- ???") == []
    assert name_key("and of the") == ""


def test_rules_are_data():
    rules = read_spelling_rules({
        "word": pd.DataFrame({"word": ["brekkie"], "to": ["breakfast"]}),
        "phrase": pd.DataFrame({"phrase": ["full english"], "to": ["fried breakfast"]}),
        "suffix": pd.DataFrame({"ending": ["s"], "to": [""]}),
        "stop": pd.DataFrame({"word": ["please"]}),
        "keep": pd.DataFrame({"word": ["chips"]}),
    })
    assert words("Full English brekkie please", rules) == ["fried", "breakfast"]
    assert words("chips eggs", rules) == ["chips", "egg"]


_TEXT = st.text(alphabet="abcdeilmnoprstuyAEIOU0123456789 ,.-'%/()&é", max_size=40)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_normalising_twice_changes_nothing(text):
    once = normalise(text)
    assert normalise(once) == once
    assert name_key(once) == name_key(text)


def test_a_name_lookup_ignores_word_order_unless_that_tells_names_apart():
    from nutrigap.analyzer.matching.normalise import NameLookup

    lookup = NameLookup()
    lookup.add(words("Spinach, raw"), "spinach")
    lookup.add(words("Chocolate milk"), "drink")
    lookup.add(words("Milk chocolate"), "candy")
    assert lookup.find(words("raw spinach")) == "spinach"
    assert lookup.find(words("milk chocolate")) == "candy"
    assert lookup.find(words("chocolate milk")) == "drink"
    assert lookup.find(words("chocolate, milk")) == "drink"
    assert lookup.find(words("spinach")) is None
    lookup.add(["cheese", "pizza", "sauce"], "sauce")
    lookup.add(["sauce", "cheese", "pizza"], "pizza")
    assert lookup.find(["pizza", "cheese", "sauce"]) is None  # which one is meant is unclear
