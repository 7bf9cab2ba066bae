"""Foods kept from pregnant or breastfeeding people and children, and child-sized servings."""

from __future__ import annotations

import pandas as pd
import pytest

from nutrigap.analyzer.rule_tables import rule_table
from nutrigap.analyzer.scoring.targets import Profile, targets_for
from nutrigap.analyzer.suggestions.foods import suggest_foods
from nutrigap.analyzer.suggestions.life_stage import (
    life_stage_exclusions,
    life_stage_rules,
    life_stage_sources,
)
from nutrigap.analyzer.suggestions.own_foods import own_foods
from nutrigap.analyzer.suggestions.plan import plan_additions
from nutrigap.analyzer.suggestions.pool import candidate_foods

ADULT = Profile(age=30, sex="female")
PREGNANT = Profile(age=30, sex="female", pregnant=True)
BREASTFEEDING = Profile(age=30, sex="female", lactating=True)
CHILD = Profile(age=7, sex="male")
TEEN = Profile(age=16, sex="female")

# (rule, food name as USDA or FNDDS writes it, food group, who may not be offered it)
CASES = [
    ("high_mercury_fish", "Fish, swordfish, cooked, dry heat", "Finfish and Shellfish Products",
     {PREGNANT, BREASTFEEDING, CHILD}),
    ("high_mercury_fish", "Fish, mackerel, king, cooked, dry heat",
     "Finfish and Shellfish Products", {PREGNANT, BREASTFEEDING, CHILD}),
    ("high_mercury_fish", "Fish, tilefish, cooked, dry heat", "Finfish and Shellfish Products",
     {PREGNANT, BREASTFEEDING, CHILD}),
    ("high_mercury_fish", "Shark, cooked", "Fish", {PREGNANT, BREASTFEEDING, CHILD}),
    ("high_mercury_fish", "Fish, roughy, orange, cooked, dry heat",
     "Finfish and Shellfish Products", {PREGNANT, BREASTFEEDING, CHILD}),
    ("raw_fish", "Lomi salmon", "Seafood mixed dishes", {PREGNANT}),
    ("raw_fish", "Sushi roll, salmon", "Egg rolls, dumplings, sushi", {PREGNANT}),
    ("raw_fish", "Oysters, raw", "Shellfish", {PREGNANT}),
    ("raw_fish", "Fish, salmon, chinook, smoked", "Finfish and Shellfish Products", {PREGNANT}),
    ("raw_fish", "Ceviche", "Seafood mixed dishes", {PREGNANT}),
    ("raw_meat", "Steak tartare", "Meat mixed dishes", {PREGNANT}),
    ("raw_meat", "Beef, ground, 80% lean meat / 20% fat, raw", "Beef Products", {PREGNANT}),
    ("deli_meat", "Turkey, sliced, deli", "Cold cuts and cured meats", {PREGNANT}),
    ("raw_egg", "Egg, whole, raw, fresh", "Dairy and Egg Products", {PREGNANT}),
    ("raw_egg", "Egg, whole, cooked, poached", "Dairy and Egg Products", {PREGNANT}),
    ("unpasteurised_milk", "Milk, raw, unpasteurized", "Dairy and Egg Products", {PREGNANT}),
    ("soft_cheese", "Queso Fresco", "Cheese", {PREGNANT}),
    ("soft_cheese", "Cheese, brie", "Dairy and Egg Products", {PREGNANT}),
    ("liver", "Beef, variety meats and by-products, liver, cooked, braised", "Beef Products",
     {PREGNANT}),
    ("liver", "Liver paste or pate, chicken", "Liver and organ meats", {PREGNANT}),
    ("alcohol", "Beer", "Beer", {PREGNANT, BREASTFEEDING, CHILD, TEEN}),
    ("alcohol", "Alcoholic beverage, wine, table, red", "Beverages",
     {PREGNANT, BREASTFEEDING, CHILD, TEEN}),
    ("caffeine_drink", "Coffee, brewed", "Coffee", {CHILD, TEEN}),
    ("caffeine_drink", "Energy drink (Red Bull)", "Sport and energy drinks", {CHILD, TEEN}),
    ("caffeine_drink", "Soft drink, cola", "Soft drinks", {CHILD, TEEN}),
]
EVERYONE = [ADULT, PREGNANT, BREASTFEEDING, CHILD, TEEN]
SAFE = [("Fish, salmon, sockeye, cooked, dry heat", "Finfish and Shellfish Products"),
        ("Egg, whole, cooked, hard-boiled", "Dairy and Egg Products"),
        ("Cheese, cheddar", "Dairy and Egg Products"),
        ("Poke greens, cooked", "Other dark green vegetables"),
        ("Chicken, broilers or fryers, breast, meat only, cooked, roasted", "Poultry Products"),
        ("Milk, reduced fat, fluid, 2% milkfat", "Dairy and Egg Products")]


def _foods(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame({"name": [r[0] for r in rows], "usda_description": [r[0] for r in rows],
                         "food_group": [r[1] for r in rows]},
                        index=[f"x:{i}" for i in range(len(rows))])


@pytest.mark.parametrize(("rule", "name", "group", "kept_from"), CASES,
                         ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_each_rule_keeps_its_foods_from_the_people_it_protects(rule, name, group, kept_from):
    foods = _foods([(name, group)])
    for profile in EVERYONE:
        reason = life_stage_exclusions(foods, profile).iloc[0]
        if profile in kept_from:
            assert reason, (rule, profile)
            assert rule in set(life_stage_rules().loc[life_stage_rules()["reason"] == reason,
                                                      "rule"])
        else:
            assert reason == "", (rule, profile, reason)


def test_every_rule_has_a_case_and_a_cited_source():
    rules = life_stage_rules()
    assert set(rules["rule"]) == {c[0] for c in CASES}
    keys = set(rule_table("report_sources.csv")["key"])
    assert set(rules["source"]) <= keys
    assert (rules["reason"] != "").all()


def test_ordinary_safe_foods_stay_for_everyone():
    foods = _foods(SAFE)
    for profile in EVERYONE:
        assert (life_stage_exclusions(foods, profile) == "").all(), profile


def test_the_sources_of_the_rules_that_apply_are_named():
    assert life_stage_sources(ADULT) == []
    assert set(life_stage_sources(PREGNANT)) == {"fda_epa_fish", "fda_pregnancy",
                                                 "nhs_pregnancy", "dga_2020"}
    assert set(life_stage_sources(BREASTFEEDING)) == {"fda_epa_fish", "dga_2020"}
    assert set(life_stage_sources(CHILD)) == {"fda_epa_fish", "dga_2020", "aap_2011"}
    assert set(life_stage_sources(TEEN)) == {"dga_2020", "aap_2011"}


def _log_of(foods: list[str], grams: float = 100.0) -> pd.DataFrame:
    """The counted intake of a two-day log that ate each food (by id) each day."""
    return pd.DataFrame({"food_id": foods * 2, "grams": grams, "kind": "food",
                         "date": pd.to_datetime(["2024-01-01"] * len(foods)
                                                + ["2024-01-02"] * len(foods))})


def test_a_pregnant_persons_own_liver_and_wine_are_still_not_offered(embedded_table):
    foods = embedded_table.foods
    liver = foods.index[foods["name"].str.contains("Liver", case=False)][0]
    wine = foods.index[foods["name"].str.contains("wine", case=False)][0]
    salmon = foods.index[foods["name"].str.contains("Sockeye salmon", case=False)][0]
    own = own_foods(_log_of([liver, wine, salmon]))
    adult = candidate_foods(embedded_table, profile=ADULT, own=own)
    pregnant = candidate_foods(embedded_table, profile=PREGNANT, own=own)
    assert salmon in adult.index and salmon in pregnant.index and pregnant.loc[salmon, "own"]
    # liver (organ meat) and wine (alcohol) are never offered to anyone, own or not
    assert liver not in adult.index and wine not in adult.index
    assert liver not in pregnant.index and wine not in pregnant.index


def test_a_pregnant_plan_keeps_to_the_fda_epa_weekly_fish(embedded_table):
    day = pd.Series({"magnesium_mg": 300.0, "calcium_mg": 1000.0, "potassium_mg": 2600.0,
                     "vitamin_d_ug": 2.0, "vitamin_b12_ug": 2.0, "vitamin_b6_mg": 1.9})
    targets = targets_for(PREGNANT)
    plan = plan_additions(embedded_table, day, targets, profile=PREGNANT)
    fish = [a for a in plan.additions if embedded_table.foods.loc[a["food_id"], "food_group"]
            == "Finfish and Shellfish Products"]
    assert sum(a["grams"] for a in fish) <= 48 * 1.02  # 12 oz a week at most
    adult = plan_additions(embedded_table, day, targets_for(ADULT), profile=ADULT)
    adult_fish = [a for a in adult.additions
                  if embedded_table.foods.loc[a["food_id"], "food_group"]
                  == "Finfish and Shellfish Products"]
    assert sum(a["grams"] for a in adult_fish) > 48  # a serving a day for others


def test_a_child_gets_child_sized_servings(embedded_table):
    short = pd.Series({"calcium_mg": 500.0})
    adult = suggest_foods(embedded_table, short, profile=ADULT, per_nutrient=10)["calcium_mg"]
    child = suggest_foods(embedded_table, short, profile=CHILD, per_nutrient=10)["calcium_mg"]
    both = adult.merge(child, on="food_id", suffixes=("_adult", "_child"))
    assert len(both) >= 5
    assert (both["grams_child"] / both["grams_adult"]).round(3).eq(round(2 / 3, 3)).all()
    yogurt = child[child["name"].str.contains("yogurt", case=False)]
    assert yogurt["serving"].str.startswith("2/3 ").all() and len(yogurt)
    toddler = suggest_foods(embedded_table, short, profile=Profile(age=2, sex="female"),
                            per_nutrient=10)["calcium_mg"]
    both = adult.merge(toddler, on="food_id", suffixes=("_adult", "_toddler"))
    assert (both["grams_toddler"] / both["grams_adult"]).round(3).eq(0.5).all()
    assert toddler["serving"].isin(["1/2 cup", "1/4 cup", "3/4 oz", "1/2 container"]).all()


def test_a_pregnant_report_names_the_rules_it_followed(tmp_path):
    from report_samples import WEEK_LOG, analyze_log

    from nutrigap.reports.render import to_html

    report = analyze_log(WEEK_LOG, profile={"age": 30, "sex": "female", "pregnant": True})
    titles = " ".join(s["title"] for s in report["sources"])
    assert "Advice about Eating Fish" in titles and "Food Safety for Pregnant Women" in titles
    assert "Foods to avoid in pregnancy" in titles
    plain = analyze_log(WEEK_LOG)
    assert "Advice about Eating Fish" not in " ".join(s["title"] for s in plain["sources"])
    assert "National Health and Nutrition Examination Survey" in " ".join(
        s["title"] for s in plain["sources"])
    html = to_html(report)
    assert "Food Safety for Pregnant Women" in html


@pytest.mark.shared
def test_a_pregnant_woman_never_sees_the_avoided_foods_even_her_own(sr28_dir):
    from nutrigap.foods.embedded import load_embedded
    from nutrigap.foods.fndds import read_fndds
    from nutrigap.foods.sr28 import read_sr28

    table = read_fndds(sr28_dir.parent / "fndds-2017-2018").merged_with(
        read_sr28(sr28_dir)).merged_with(load_embedded())
    foods = table.foods
    risky = foods.index[foods["name"].str.contains(
        r"^(?:Lomi salmon|Sushi roll, salmon|Swordfish|Fish, swordfish|Beef liver, fried|Beer"
        r"|Oysters, raw|Queso Fresco|Fish, mackerel, king)", regex=True)]
    assert len(risky) >= 8
    own = own_foods(_log_of(list(risky)))
    short = pd.Series({"magnesium_mg": 150.0, "calcium_mg": 400.0, "potassium_mg": 1200.0,
                       "vitamin_d_ug": 12.0, "vitamin_b12_ug": 1.0})
    lists = suggest_foods(table, short, profile=PREGNANT, own=own, per_nutrient=10)
    offered = pd.concat(lists.values())["food_id"].tolist()
    day = pd.Series({"magnesium_mg": 200.0, "calcium_mg": 600.0, "potassium_mg": 1500.0,
                     "vitamin_d_ug": 3.0, "vitamin_b12_ug": 1.6, "vitamin_b6_mg": 1.9})
    plan = plan_additions(table, day, targets_for(PREGNANT), profile=PREGNANT, own=own)
    offered += [a["food_id"] for a in plan.additions]
    assert not set(offered) & set(risky)
    assert (life_stage_exclusions(foods.loc[offered], PREGNANT) == "").all()
    # the same own swordfish and king mackerel may be offered to someone not pregnant
    adult = candidate_foods(table, profile=ADULT, own=own)
    assert adult.index.isin(risky).sum() >= 2
