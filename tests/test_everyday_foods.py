"""Everyday foods, the person's own foods first, near-duplicates, current fortified foods and
the oxalate table."""

from __future__ import annotations

import pandas as pd
import pytest

from nutrigap.analyzer.rule_tables import rule_table
from nutrigap.analyzer.scoring.targets import Profile
from nutrigap.analyzer.suggestions.everyday import everyday_table, is_everyday
from nutrigap.analyzer.suggestions.foods import suggest_foods
from nutrigap.analyzer.suggestions.own_foods import own_foods
from nutrigap.analyzer.suggestions.pool import candidate_foods, main_food
from nutrigap.analyzer.writeup.text import oxalate_foods
from nutrigap.foods.build_everyday import MIN_PEOPLE, head, name_key

SHORT_DAY = pd.Series({"magnesium_mg": 150.0, "calcium_mg": 400.0, "potassium_mg": 1200.0,
                       "vitamin_d_ug": 12.0, "vitamin_b12_ug": 1.0})


def _log_of(foods: list[str], grams: float) -> pd.DataFrame:
    return pd.DataFrame({"food_id": foods * 2, "grams": grams, "kind": "food",
                         "date": pd.to_datetime(["2024-01-01"] * len(foods)
                                                + ["2024-01-02"] * len(foods))})


def test_the_everyday_table_holds_what_its_rule_says():
    table = everyday_table()
    assert table["food_id"].is_unique
    assert set(table["basis"]) == {"nhanes_code", "nhanes_name", "built_in", "built_in_name"}
    counted = table[table["basis"].str.startswith("nhanes")]
    assert (counted["people"].astype(int) >= MIN_PEOPLE).all()
    names = " | ".join(table["name"]).lower()
    for odd in ("whelk", "winged bean", "nopales", "amaranth leaves", "sturgeon", "pompano",
                "ultraviolet", "milk, sheep", "koyadofu"):
        assert odd not in names, odd
    for usual in ("Milk, reduced fat (2%)", "Banana, raw", "Yogurt, Greek, plain, nonfat"):
        assert usual in set(table["name"]), usual


@pytest.mark.parametrize(("description", "first", "key"), [
    ("Beans, black, mature seeds, cooked, boiled, without salt", {"bean", "black"},
     {"bean", "black"}),
    ("Black beans, dry, cooked, fat not added in cooking", {"bean", "black"}, {"bean", "black"}),
    ("Fish, salmon, sockeye, cooked, dry heat", {"salmon"}, {"salmon", "sockeye"}),
    ("Milk, sheep, fluid", {"milk"}, {"milk", "sheep"}),
    ("Milk, fluid, nonfat, calcium fortified (fat free or skim)", {"milk"}, {"milk", "fortified"}),
    ("Spinach, cooked, boiled, drained, without salt", {"spinach"}, {"spinach"}),
])
def test_name_keys_read_usda_and_survey_wording_alike(description, first, key):
    assert head(description) == first
    assert name_key(description) == key


def test_the_built_in_foods_are_everyday_but_uv_mushrooms(embedded_table):
    foods = embedded_table.foods
    everyday = is_everyday(foods)
    uv = foods["usda_description"].str.contains("ultraviolet")
    assert uv.any() and not everyday[uv].any()
    assert everyday[~uv].all()


def test_offered_foods_are_everyday_or_the_persons_own(embedded_table):
    foods = embedded_table.foods
    uv = foods.index[foods["usda_description"].str.contains("ultraviolet")][0]
    pool = candidate_foods(embedded_table)
    assert uv not in pool.index
    mine = own_foods(_log_of([uv], 86.0))
    pool = candidate_foods(embedded_table, own=mine)
    assert uv in pool.index and pool.loc[uv, "own"]
    listed = set(everyday_table()["food_id"])
    assert pool.index[~pool["own"]].isin(listed).all()


def test_the_persons_own_good_sources_lead_the_list(embedded_table):
    foods = embedded_table.foods
    yogurt = foods.index[foods["name"].eq("Plain yogurt, low fat")][0]
    mine = own_foods(_log_of([yogurt], 120.0))
    assert mine.loc[yogurt, "grams_per_day"] == pytest.approx(120.0)
    lists = suggest_foods(embedded_table, SHORT_DAY, own=mine)
    first = lists["calcium_mg"].iloc[0]
    assert first["food_id"] == yogurt and first["own"]
    assert first["text"].startswith("You already eat plain yogurt, low fat: 1 cup more (245 g) "
                                     "a day adds +")
    assert not lists["calcium_mg"].iloc[1:]["own"].any()
    # without the log the yogurt is an everyday food like any other
    plain = suggest_foods(embedded_table, SHORT_DAY)["calcium_mg"]
    assert not plain["own"].any()


def test_near_duplicates_are_one_choice():
    assert main_food("Beverages, almond milk, unsweetened, shelf stable") == "almond milk"
    assert main_food("Almond milk, unsweetened") == "almond milk"
    assert main_food("Nuts, almonds") == "almond"
    assert main_food("Beans, black, mature seeds, cooked") == "black bean"
    assert main_food("Black beans, dry, cooked") == "black bean"
    assert main_food("Fish, salmon, sockeye, cooked") == main_food("Salmon, baked or broiled")


def test_brand_name_cereals_from_2016_are_not_offered(embedded_table):
    foods = embedded_table.foods
    branded = foods.index[foods["usda_description"].str.contains(
        r"^Cereals ready-to-eat, [A-Z']{3,}", regex=True)]
    assert len(branded) >= 5  # Cheerios, Special K, Total Raisin Bran ...
    pool = candidate_foods(embedded_table)
    assert not pool.index.isin(branded).any()


def test_one_oxalate_table_with_its_sources(embedded_table):
    table = rule_table("poorly_absorbed.csv")
    assert {"spinach", "chard", "beet greens", "rhubarb", "nopales",
            "amaranth leaves"} <= set(table["pattern"])
    assert set(table["source"]) <= set(rule_table("report_sources.csv")["key"])
    assert oxalate_foods() == list(table["pattern"])


@pytest.mark.shared
def test_sr28_and_fndds_offer_everyday_foods_only(sr28_dir):
    from nutrigap.foods.embedded import load_embedded
    from nutrigap.foods.fndds import read_fndds
    from nutrigap.foods.sr28 import read_sr28

    shared = sr28_dir.parent
    table = read_fndds(shared / "fndds-2017-2018").merged_with(
        read_sr28(sr28_dir)).merged_with(load_embedded())
    pregnant = Profile(age=29, sex="female", pregnant=True)
    lists = suggest_foods(table, SHORT_DAY, profile=pregnant, per_nutrient=10)
    chosen = pd.concat(lists.values())
    assert chosen["food_id"].isin(set(everyday_table()["food_id"])).all()
    names = " ".join(chosen["name"]).lower()
    for odd in ("nopales", "whelk", "winged", "amaranth", "sturgeon", "pompano", "slim fast",
                "not reconstituted", "ultraviolet", "lomi", "liver", "swordfish"):
        assert odd not in names, odd
    # one almond milk per list, however many tables hold one
    for rows in lists.values():
        assert rows["name"].str.contains("almond milk", case=False).sum() <= 1
    # the calcium of nopales and amaranth leaves is not counted
    pool = candidate_foods(table, profile=pregnant)
    greens = pool["name"].str.contains(r"\b(?:nopales|amaranth leaves)\b", case=False)
    assert (pool.loc[greens, "calcium_mg"] == 0).all()


@pytest.mark.shared
def test_the_committed_everyday_table_is_what_the_script_builds(sr28_dir, tmp_path, capsys):
    from nutrigap.foods.build_everyday import OUT, build

    build(sr28_dir.parent, tmp_path / "everyday_foods.csv")
    assert (tmp_path / "everyday_foods.csv").read_text() == OUT.read_text()
    assert "codes eaten by >=  3 people:   900" in capsys.readouterr().out
