"""Realistic amounts: the daily caps per kind of food, and what the plan says about vitamin D
when food cannot close the gap within them."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from nutrigap.analyzer.rule_tables import rule_table
from nutrigap.analyzer.scoring.targets import Profile, targets_for
from nutrigap.analyzer.suggestions.caps import CAP_TOLERANCE, cap_grams, cap_of, daily_caps
from nutrigap.analyzer.suggestions.plan import plan_additions
from nutrigap.analyzer.suggestions.pool import candidate_foods

ADULT = Profile(age=34, sex="female")
PROFILES = [ADULT, Profile(age=75, sex="male"), Profile(age=29, sex="female", pregnant=True),
            Profile(age=7, sex="male"), Profile(age=16, sex="female")]
#: short of all five, well beyond what one serving of anything closes
SHORT_DAY = pd.Series({"magnesium_mg": 120.0, "calcium_mg": 400.0, "potassium_mg": 1200.0,
                       "vitamin_d_ug": 2.0, "vitamin_b12_ug": 1.0, "vitamin_b6_mg": 1.0})


def _grams_per_cap(table, plan) -> pd.Series:
    foods = table.foods.loc[[a["food_id"] for a in plan.additions]]
    grams = pd.Series([a["grams"] for a in plan.additions], index=foods.index)
    return grams.groupby(cap_of(foods).to_numpy()).sum()


def test_every_cap_has_words_a_reason_and_members():
    caps = daily_caps()
    assert (caps["max_grams"] > 0).all()
    assert (caps["words"] != "").all() and (caps["reason"] != "").all()
    assert set(rule_table("cap_members.csv")["cap"]) == set(caps.index)


def test_foods_fall_under_the_caps_a_dietitian_would_expect(embedded_table):
    foods = embedded_table.foods
    caps = cap_of(foods)
    expect = {"Spinach, cooked": "greens", "Swiss chard, cooked": "greens",
              "Sockeye salmon, cooked": "fish", "Sardines, canned in oil": "fish",
              "2% milk": "milk", "Almond milk, unsweetened": "milk",
              "Greek yogurt, plain, nonfat": "yogurt", "Cheddar cheese": "cheese",
              "Almonds": "nuts", "Peanut butter, smooth": "nuts", "Black beans, cooked": "legumes",
              "White mushrooms, cooked": "mushrooms", "Banana": "fruit"}
    by_name = dict(zip(foods["name"], caps, strict=True))
    for name, cap in expect.items():
        assert by_name[name] == cap, name


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: f"{p.age:g}{p.sex[0]}"
                         + ("p" if p.pregnant else ""))
def test_no_plan_exceeds_the_daily_caps(embedded_table, profile):
    targets = targets_for(profile)
    for diet in ([], ["vegan"], ["vegetarian"]):
        plan = plan_additions(embedded_table, SHORT_DAY, targets, diet=diet, profile=profile)
        assert plan.additions
        used = _grams_per_cap(embedded_table, plan)
        limits = cap_grams(profile)
        for cap, grams in used.items():
            if cap:
                assert grams <= limits[cap] * (1 + CAP_TOLERANCE), (cap, grams, diet)


def test_greens_are_capped_at_about_a_cup_cooked(embedded_table):
    # magnesium and potassium only: cooked greens would be the cheapest way by far
    day = pd.Series({"magnesium_mg": 100.0, "potassium_mg": 1000.0, "calcium_mg": 1000.0,
                     "vitamin_d_ug": 15.0, "vitamin_b12_ug": 2.4, "vitamin_b6_mg": 1.3})
    plan = plan_additions(embedded_table, day, targets_for(ADULT))
    used = _grams_per_cap(embedded_table, plan)
    assert used.get("greens", 0.0) <= 190 * (1 + CAP_TOLERANCE)
    assert plan.unmet == []
    assert len(plan.additions) >= 2  # the rest comes from other foods


def test_each_food_is_offered_only_as_much_as_its_cap_allows(embedded_table):
    pool = candidate_foods(embedded_table)
    chard = pool[pool["name"].eq("Swiss chard, cooked")].iloc[0]
    assert chard["cap"] == "greens"
    assert cap_grams(None)["greens"] == 190.0
    # a pregnant person's fish: the FDA/EPA 8-12 oz a week, about 1 1/2 oz a day
    assert cap_grams(Profile(age=29, sex="female", pregnant=True))["fish"] == 48.0
    assert cap_grams(Profile(age=2, sex="female"))["fish"] == 12.0
    assert cap_grams(Profile(age=7, sex="male"))["milk"] == pytest.approx(490 * 0.65)


def test_vitamin_d_beyond_food_quotes_public_guidance_without_a_dose(embedded_table):
    day = SHORT_DAY.copy()
    day["vitamin_d_ug"] = 1.0
    plan = plan_additions(embedded_table, day, targets_for(ADULT), diet=["vegan"])
    unmet = {u["nutrient"]: u for u in plan.unmet}
    assert unmet["vitamin_d_ug"]["explanation"].startswith(
        "Food alone cannot realistically close your vitamin D gap")
    (guide,) = plan.guidance
    assert guide["nutrient"] == "vitamin_d_ug"
    texts = [p["text"] for p in guide["points"]]
    assert any("Office of Dietary Supplements" in t for t in texts)
    assert any("10 µg (400 IU)" in t and "autumn and winter" in t for t in texts)
    assert "doctor or dietitian" in guide["note"] and "not a dose for you" in guide["note"]
    for text in texts:  # guidance for everyone, never a dose for this person
        assert not re.search(r"\byou (should|must|need to) take\b", text, re.IGNORECASE)
    assert {"nih_ods_vitamin_d", "sacn_2016"} <= set(plan.sources)


def test_guidance_follows_age_and_stays_away_when_food_closes_the_gap(embedded_table):
    day = SHORT_DAY.copy()
    day["vitamin_d_ug"] = 1.0
    toddler = Profile(age=3, sex="female")
    plan = plan_additions(embedded_table, day, targets_for(toddler), diet=["vegan"],
                          profile=toddler)
    texts = [p["text"] for g in plan.guidance for p in g["points"]]
    assert any("children aged 1 to 4" in t for t in texts)
    assert not any("everyone over 4" in t for t in texts)
    day["vitamin_d_ug"] = 12.0
    closed = plan_additions(embedded_table, day, targets_for(ADULT))
    assert closed.unmet == [] and closed.guidance == []


def test_calcium_the_body_takes_up_poorly_is_shown_apart_and_not_added(embedded_table):
    """Spinach is chosen for magnesium; its calcium is not counted toward the target."""
    short_mg = pd.Series({"magnesium_mg": 150.0, "calcium_mg": 1000.0, "potassium_mg": 4000.0,
                          "vitamin_d_ug": 20.0, "vitamin_b12_ug": 3.0, "vitamin_b6_mg": 1.5})
    only_spinach = embedded_table.subset(
        embedded_table.foods.index[embedded_table.foods["name"].eq("Spinach, cooked")])
    plan = plan_additions(only_spinach, short_mg, targets_for(ADULT))
    (spinach,) = plan.additions
    assert spinach["nutrients"]["magnesium_mg"] > 0
    assert spinach["nutrients"]["calcium_mg"] == 0.0
    held = only_spinach.foods["calcium_mg"].iloc[0] * spinach["grams"] / 100
    assert spinach["not_counted"]["calcium_mg"] == pytest.approx(held)
    assert plan.totals["calcium_mg"]["after"] == pytest.approx(1000.0)
