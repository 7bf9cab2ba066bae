"""The optimised plan of added servings."""

from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pandas as pd
import pytest

from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS, TRIGGER_KEYS
from nutrigap.analyzer.scoring.targets import Profile, targets_for
from nutrigap.analyzer.suggestions import everyday
from nutrigap.analyzer.suggestions.plan import plan_additions
from nutrigap.analyzer.suggestions.plan_solver import FOOD_COST_KCAL

TARGETS = targets_for(Profile(age=34, sex="female"))
#: a realistic day: low in magnesium and vitamin D, near target for the rest
LOW_MG_D = pd.Series({"magnesium_mg": 190.0, "calcium_mg": 1050.0, "potassium_mg": 2700.0,
                      "vitamin_d_ug": 2.0, "vitamin_b12_ug": 3.1, "vitamin_b6_mg": 1.4,
                      "energy_kcal": 1850.0})
#: short of all five
SHORT_DAY = pd.Series({"magnesium_mg": 170.0, "calcium_mg": 600.0, "potassium_mg": 1400.0,
                       "vitamin_d_ug": 3.0, "vitamin_b12_ug": 1.4, "vitamin_b6_mg": 1.1})
ANIMAL_TAGS = {"meat", "fish", "shellfish", "dairy", "egg"}
ANIMAL_GROUPS = {"Dairy and Egg Products", "Poultry Products", "Pork Products", "Beef Products",
                 "Lamb, Veal, and Game Products", "Finfish and Shellfish Products",
                 "Sausages and Luncheon Meats"}


def _tags(value) -> set[str]:
    return {t for t in str(value).split(",") if t}


def _recomputed(table: FoodTable, before: pd.Series, plan) -> pd.Series:
    """The day's totals after the additions, from the table's values per 100 g x grams, less
    what a food holds but the body takes up poorly (spinach's calcium), which is not counted."""
    after = before.reindex(NUTRIENT_KEYS).astype(float).copy()
    for addition in plan.additions:
        per_100g = table.foods.loc[addition["food_id"], NUTRIENT_KEYS].astype(float)
        after = after.add(per_100g.fillna(0.0) * addition["grams"] / 100.0, fill_value=0.0)
        after = after.sub(pd.Series(addition["not_counted"], dtype=float), fill_value=0.0)
    return after


def _check_shape(plan, max_foods: int = 5, max_servings: float = 3.0) -> None:
    assert len(plan.additions) <= max_foods
    for addition in plan.additions:
        assert 0.5 <= addition["servings"] <= max_servings
        assert (addition["servings"] * 2).is_integer()
        assert addition["grams"] == pytest.approx(addition["servings"]
                                                  * addition["serving_grams"], abs=0.05)


def test_a_day_short_of_magnesium_and_vitamin_d_is_closed(embedded_table):
    plan = plan_additions(embedded_table, LOW_MG_D, TARGETS)
    assert plan.unmet == []
    assert plan.met == dict.fromkeys(["magnesium_mg", "calcium_mg", "potassium_mg",
                                      "vitamin_d_ug", "vitamin_b12_ug"], True)
    _check_shape(plan)
    after = _recomputed(embedded_table, LOW_MG_D, plan)
    assert after["magnesium_mg"] >= TARGETS.loc["magnesium_mg", "target"]
    assert after["vitamin_d_ug"] >= TARGETS.loc["vitamin_d_ug", "target"]
    for key in ("magnesium_mg", "vitamin_d_ug", "calcium_mg"):
        assert plan.totals[key]["after"] == pytest.approx(after[key])
    # small, ordinary additions: the whole plan stays a snack's worth of energy
    assert plan.added_kcal == pytest.approx(sum(a["kcal"] for a in plan.additions))
    assert plan.added_kcal < 600


def test_a_real_nhanes_day_short_of_magnesium_and_vitamin_d(nhanes_dir, embedded_table):
    columns = {"DRxIMAGN": "magnesium_mg", "DRxICALC": "calcium_mg", "DRxIPOTA": "potassium_mg",
               "DRxIVD": "vitamin_d_ug", "DRxIVB12": "vitamin_b12_ug", "DRxIVB6": "vitamin_b6_mg",
               "DRxIKCAL": "energy_kcal"}
    items = pd.read_csv(nhanes_dir / "nhanes1516_individual_foods_subset.tsv", sep="\t",
                        usecols=["SEQN", "recall_day", *columns])
    demo = pd.read_csv(nhanes_dir / "DEMO_I_selected.csv").set_index("SEQN")
    day = items[(items["SEQN"] == 84285) & (items["recall_day"] == 1)]  # a woman of 44
    logged = day[list(columns)].sum().rename(columns)
    person = demo.loc[84285]
    targets = targets_for(Profile(age=person["RIDAGEYR"],
                                  sex="female" if person["RIAGENDR"] == 2 else "male"))
    assert logged["magnesium_mg"] < targets.loc["magnesium_mg", "target"]
    assert logged["vitamin_d_ug"] < targets.loc["vitamin_d_ug", "target"]

    plan = plan_additions(embedded_table, logged, targets)
    assert plan.unmet == []
    after = _recomputed(embedded_table, logged, plan)
    for key, row in targets.dropna(subset=["target"]).iterrows():
        assert after[key] >= row["target"], key
        assert plan.totals[key]["after"] == pytest.approx(after[key])


def test_a_vegan_plan_holds_no_animal_food(embedded_table):
    plan = plan_additions(embedded_table, SHORT_DAY, TARGETS, diet=["vegan"])
    assert plan.additions
    for addition in plan.additions:
        food = embedded_table.foods.loc[addition["food_id"]]
        assert "vegan" in _tags(food["tags"])
        assert not _tags(food["tags"]) & ANIMAL_TAGS
        assert food["food_group"] not in ANIMAL_GROUPS


def test_a_nut_free_plan_holds_no_nuts(embedded_table):
    # seeds and almond milk would otherwise be natural picks for magnesium and calcium
    plan = plan_additions(embedded_table, SHORT_DAY, TARGETS, diet=["vegan", "nut-free"])
    # a vegan's vitamin D cannot be closed by everyday foods in everyday amounts; the rest is
    assert [u["nutrient"] for u in plan.unmet] == ["vitamin_d_ug"]
    assert all(plan.met[k] for k in ("magnesium_mg", "calcium_mg", "potassium_mg",
                                     "vitamin_b12_ug"))
    for addition in plan.additions:
        food = embedded_table.foods.loc[addition["food_id"]]
        assert "nuts" not in _tags(food["tags"])
        assert not re.search(r"\b(almond|cashew|walnut|pecan|peanut|nut)s?\b",
                             food["name"], re.IGNORECASE)


def test_an_impossible_target_gets_an_explanation_and_the_rest_is_still_planned(
        embedded_table):
    targets = TARGETS.copy()
    targets.loc["magnesium_mg", "target"] = 5000.0
    plan = plan_additions(embedded_table, SHORT_DAY, targets)
    assert [u["nutrient"] for u in plan.unmet] == ["magnesium_mg"]
    unmet = plan.unmet[0]
    assert unmet["reason"] == "food"
    assert unmet["most_from_food"] < unmet["short_by"]
    assert unmet["explanation"].startswith(
        "Food alone cannot realistically close your magnesium gap")
    assert plan.met["magnesium_mg"] is False
    assert all(plan.met[k] for k in ("calcium_mg", "potassium_mg", "vitamin_d_ug",
                                     "vitamin_b12_ug"))
    _check_shape(plan)


def test_vitamin_d_beyond_food_under_a_vegan_diet_points_to_sunlight_without_doses(
        embedded_table):
    targets = TARGETS.copy()
    targets.loc["vitamin_d_ug", "target"] = 80.0
    plan = plan_additions(embedded_table, SHORT_DAY, targets, diet=["vegan"],
                          exclude=["mushroom"])
    (unmet,) = plan.unmet
    assert unmet["nutrient"] == "vitamin_d_ug" and unmet["reason"] == "food"
    explanation = unmet["explanation"]
    assert "under your filters (vegan; without mushroom)" in explanation
    advice = explanation.split(" short. ", 1)[1]
    assert "Sunlight" in advice and "doctor or dietitian" in advice
    assert not re.search(r"\d", advice)  # no doses
    assert "IU" not in explanation
    # food still brings vitamin D as far as it can
    assert plan.totals["vitamin_d_ug"]["after"] > SHORT_DAY["vitamin_d_ug"] + 5


def test_a_gap_blocked_by_another_limit_names_that_limit(embedded_table):
    targets = TARGETS.copy()
    targets.loc["vitamin_d_ug", "target"] = 25.0
    day = SHORT_DAY.copy()
    day["calcium_mg"] = 2300.0  # fortified milks would take calcium past its limit
    plan = plan_additions(embedded_table, day, targets)
    (unmet,) = plan.unmet
    assert unmet["reason"] == "limit"
    assert "without taking your calcium past its upper limit" in unmet["explanation"]
    assert plan.totals["calcium_mg"]["after"] <= 2500


def test_a_gap_only_fortified_foods_fill_is_explained_for_the_diet(embedded_table):
    plan = plan_additions(embedded_table, SHORT_DAY, TARGETS, diet=["vegan"],
                          exclude=["milk", "mushroom", "orange", "bran", "cheerios",
                                   "special", "wheaties", "oatmeal", "corn"])
    b12 = {u["nutrient"]: u for u in plan.unmet}["vitamin_b12_ug"]
    assert b12["reason"] == "food" and b12["most_from_food"] < b12["short_by"]
    assert "vegan diet vitamin B12 comes only from fortified foods or a supplement" \
        in b12["explanation"]


def test_an_upper_limit_that_counts_food_is_not_crossed(embedded_table):
    targets = TARGETS.copy()
    day = pd.Series({"magnesium_mg": 120.0, "calcium_mg": 2450.0, "potassium_mg": 2700.0,
                     "vitamin_d_ug": 16.0, "vitamin_b12_ug": 3.0, "vitamin_b6_mg": 1.5})
    plan = plan_additions(embedded_table, day, targets)
    assert plan.unmet == []
    calcium = plan.totals["calcium_mg"]
    assert calcium["after"] <= 2500 and calcium["within_ul"] is True
    assert _recomputed(embedded_table, day, plan)["calcium_mg"] <= 2500
    # without the limit the cheapest magnesium (leafy greens) would have crossed it
    no_limit = targets.copy()
    no_limit.loc["calcium_mg", "ul"] = np.nan
    assert plan_additions(embedded_table, day, no_limit).totals["calcium_mg"]["after"] > 2500


def test_food_magnesium_is_not_capped_by_the_supplement_limit(embedded_table):
    targets = TARGETS.copy()
    targets.loc["magnesium_mg", "target"] = 600.0  # above the 350 mg supplement limit
    day = pd.DataFrame({"food": SHORT_DAY, "supplements": 0.0})
    plan = plan_additions(embedded_table, day, targets)
    magnesium = plan.totals["magnesium_mg"]
    assert magnesium["met"] and magnesium["after"] > 350
    assert magnesium["within_ul"] is None
    assert any("counts supplements and medicines only" in n for n in plan.notes)


def test_an_intake_already_over_a_limit_is_noted(embedded_table):
    day = SHORT_DAY.copy()
    day["vitamin_b6_mg"] = 120.0  # a high-dose supplement
    plan = plan_additions(embedded_table, day, TARGETS)
    assert plan.unmet == []
    assert any(n.startswith("Your vitamin B6 is already at or above its upper limit")
               for n in plan.notes)


def test_averages_given_as_food_and_supplements_plan_like_totals(embedded_table):
    split = pd.DataFrame({"food": LOW_MG_D - 1.0, "supplements": 1.0})
    assert (plan_additions(embedded_table, split, TARGETS).additions
            == plan_additions(embedded_table, LOW_MG_D, TARGETS).additions)


def test_nothing_short_means_nothing_to_add(embedded_table):
    day = TARGETS["target"].fillna(1.0) * 1.1
    plan = plan_additions(embedded_table, day, TARGETS)
    assert plan.additions == [] and plan.unmet == []
    assert all(plan.met.values())


def test_fewer_foods_and_servings_when_asked(embedded_table):
    plan = plan_additions(embedded_table, LOW_MG_D, TARGETS, max_foods=2,
                          max_servings_per_food=2)
    _check_shape(plan, max_foods=2, max_servings=2)
    assert plan.unmet == []


def test_the_plan_is_plain_json(embedded_table):
    plan = plan_additions(embedded_table, SHORT_DAY, TARGETS, diet=["vegan"],
                          exclude=["mushroom"])
    data = plan.to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert set(data) == {"additions", "added_kcal", "totals", "met", "unmet", "notes",
                         "guidance", "sources"}
    assert set(data["additions"][0]) >= {"food_id", "name", "servings", "serving", "text",
                                         "grams", "kcal", "nutrients"}


# --- a small table the answer can be checked on by hand --------------------------------------

@pytest.fixture()
def small_ids_everyday(monkeypatch):
    """The small tables' made-up foods count as everyday foods, as if listed in the table."""
    listed = everyday._ids()
    monkeypatch.setattr(everyday, "_ids", lambda: listed | {f"x:{i}" for i in range(10)})


def _small_table(rows: list[tuple]) -> FoodTable:
    """(name, group, tags, kcal, mg, ca, d, grams per cup) per food; NaN = unknown."""
    foods = pd.DataFrame(
        [{"name": name, "food_group": group, "tags": tags, "energy_kcal": kcal,
          "magnesium_mg": mg, "calcium_mg": ca, "vitamin_d_ug": d, "potassium_mg": 100.0,
          "vitamin_b12_ug": 0.0, "vitamin_b6_mg": 0.1}
         for name, group, tags, kcal, mg, ca, d, _ in rows],
        index=[f"x:{i}" for i in range(len(rows))])
    foods["usda_description"] = foods["name"]
    foods[TRIGGER_KEYS] = np.nan  # not given: unknown
    portions = pd.DataFrame({"food_id": foods.index, "seq": 1, "amount": 1.0,
                             "description": "cup", "grams": [r[-1] for r in rows]})
    return FoodTable(foods, portions)


SMALL = [  # values per 100 g, modelled on USDA SR28
    ("Spinach, cooked", "Vegetables and Vegetable Products", "vegan", 23.0, 87.0, 136.0, 0.0,
     180.0),
    ("Black beans, cooked", "Legumes and Legume Products", "vegan", 132.0, 70.0, 27.0, 0.0,
     172.0),
    ("Soy milk, fortified", "Legumes and Legume Products", "vegan,fortified", 43.0, 15.0,
     123.0, 1.1, 243.0),
    ("Mushrooms, UV-exposed", "Vegetables and Vegetable Products", "vegan", 22.0, 9.0, 18.0,
     np.nan, 87.0),
]
SMALL_TARGETS = pd.DataFrame(
    {"target": [320.0, 1000.0, 15.0], "ul": [350.0, 2500.0, 100.0],
     "ul_applies_to": ["supplements", "total", "total"]},
    index=["magnesium_mg", "calcium_mg", "vitamin_d_ug"])


def test_the_plan_is_the_cheapest_choice_a_full_search_finds(small_ids_everyday):
    table = _small_table(SMALL)
    day = pd.Series({"magnesium_mg": 100.0, "calcium_mg": 500.0, "vitamin_d_ug": 10.0})
    plan = plan_additions(table, day, SMALL_TARGETS)
    per_half = table.foods[["energy_kcal", "magnesium_mg", "calcium_mg", "vitamin_d_ug"]] \
        .fillna(0.0).mul(np.array([r[-1] for r in SMALL]) / 200.0, axis=0).to_numpy()
    best = np.inf
    for halves in itertools.product(range(7), repeat=len(SMALL)):
        added = np.array(halves) @ per_half
        if (added[1] >= 220 and added[2] >= 500 and added[3] >= 5
                and day["calcium_mg"] + added[2] <= 2500):
            best = min(best, added[0] + FOOD_COST_KCAL * np.count_nonzero(halves))
    found = plan.added_kcal + FOOD_COST_KCAL * len(plan.additions)
    assert found == pytest.approx(best, rel=1e-3)
    assert plan.met == {"magnesium_mg": True, "calcium_mg": True, "vitamin_d_ug": True}


def test_an_unknown_value_counts_as_nothing_and_is_said(small_ids_everyday):
    table = _small_table(SMALL)
    day = pd.Series({"magnesium_mg": 300.0, "calcium_mg": 1000.0, "vitamin_d_ug": 12.0})
    plan = plan_additions(table, day, SMALL_TARGETS)
    # only the soy milk has a known vitamin D value; the mushrooms' is unknown
    chosen = {a["name"] for a in plan.additions}
    assert "Soy milk, fortified" in chosen
    assert plan.met["vitamin_d_ug"]
    if "Mushrooms, UV-exposed" in chosen:
        assert plan.totals["vitamin_d_ug"]["unknown_from"] == ["Mushrooms, UV-exposed"]
        assert any("no vitamin D value for Mushrooms" in n for n in plan.notes)


def test_an_unknown_value_is_kept_well_clear_of_an_upper_limit(small_ids_everyday):
    rows = [("Mushrooms, UV-exposed", "Vegetables and Vegetable Products", "vegan", 22.0,
             9.0, 18.0, np.nan, 87.0),
            ("Portabella, UV-exposed", "Vegetables and Vegetable Products", "vegan", 22.0,
             10.0, 3.0, 28.0, 86.0),
            ("Pumpkin seeds", "Nut and Seed Products", "vegan", 559.0, 592.0, 46.0, 0.0,
             129.0)]
    table = _small_table(rows)
    day = pd.Series({"magnesium_mg": 300.0, "calcium_mg": 1000.0, "vitamin_d_ug": 99.0})
    targets = SMALL_TARGETS.copy()
    plan = plan_additions(table, day, targets)
    # 1 µg of headroom: the mushrooms' unknown vitamin D may be as high as the portabella's,
    # so they are not picked even though they are the lightest magnesium
    assert [a["name"] for a in plan.additions] == ["Pumpkin seeds"]
    assert plan.totals["vitamin_d_ug"]["within_ul"] is True


def test_full_sr28_plans_keep_to_the_diet(sr28_table):
    plan = plan_additions(sr28_table, SHORT_DAY, TARGETS, diet=["vegan"])
    # everyday vegan foods in everyday amounts cannot close a 12 µg vitamin D gap
    assert [u["nutrient"] for u in plan.unmet] == ["vitamin_d_ug"]
    _check_shape(plan)
    for addition in plan.additions:
        food = sr28_table.foods.loc[addition["food_id"]]
        assert "vegan" in _tags(food["tags"]) and not _tags(food["tags"]) & ANIMAL_TAGS
        assert food["food_group"] not in ANIMAL_GROUPS
    after = _recomputed(sr28_table, SHORT_DAY, plan)
    for key, row in TARGETS.dropna(subset=["target"]).drop("vitamin_d_ug").iterrows():
        assert after[key] >= row["target"], key
