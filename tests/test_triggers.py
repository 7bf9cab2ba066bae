"""Caffeine, alcohol, water and sodium against the amounts advised: a day worked out by hand,
the life stages, children's caffeine by weight, and unknown amounts never shown as 0."""

from __future__ import annotations

import pandas as pd
import pytest
from report_samples import analyze_text

from nutrigap.analyzer.errors import BadProfile
from nutrigap.analyzer.food_table import FOOD_COLUMNS, PORTION_COLUMNS, FoodTable
from nutrigap.analyzer.scoring import Profile, trigger_references
from nutrigap.foods.embedded import load_embedded

# SR28 14154 "Beverages, Energy drink, RED BULL", per 100 g, and its "can 8.4 fl oz" of 258 g:
# the built-in table has no energy drink, so the day's table adds this one.
RED_BULL = {"name": "Energy drink, Red Bull", "source": "sr28", "ndb_no": "14154",
            "fdc_id": pd.NA, "usda_description": "Beverages, Energy drink, RED BULL",
            "food_group": "Beverages", "magnesium_mg": 19.0, "calcium_mg": 6.0,
            "potassium_mg": 3.0, "vitamin_d_ug": 0.0, "vitamin_b12_ug": 1.97,
            "vitamin_b6_mg": 2.167, "energy_kcal": 43.0, "caffeine_mg": 29.0, "alcohol_g": 0.0,
            "water_g": 89.22, "sodium_mg": 39.0, "tags": "vegan,vegetarian"}

# 3 cups of brewed coffee, a can of energy drink and 2 cans of beer
DAY = """date,meal,food,amount,unit
2024-05-06,breakfast,coffee,3,cup
2024-05-06,lunch,red bull,1,can
2024-05-06,dinner,beer,2,can
"""
# By hand, from SR28 per 100 g and portions (coffee 14209: 1 cup = 237 g; beer 14003:
# 1 can = 356 g; Red Bull 14154: 1 can = 258 g):
COFFEE_G, CAN_G, BEER_G = 3 * 237, 258, 2 * 356
CAFFEINE = COFFEE_G * 0.40 + CAN_G * 0.29  # 284.4 + 74.82 = 359.22 mg
ALCOHOL = BEER_G * 0.039  # 27.768 g = 1.98 US standard drinks of 14 g
WATER = COFFEE_G * 0.9939 + CAN_G * 0.8922 + BEER_G * 0.9196  # 1,591.6 g
SODIUM = COFFEE_G * 0.02 + CAN_G * 0.39 + BEER_G * 0.04  # 143.32 mg


@pytest.fixture(scope="module")
def table() -> FoodTable:
    base = load_embedded()
    foods = pd.concat([base.foods, pd.DataFrame([RED_BULL], index=pd.Index(["sr:14154"],
                                                                           name="food_id"))])
    portions = pd.concat([base.portions, pd.DataFrame(
        [("sr:14154", 1, 1.0, "can 8.4 fl oz", 258.0)], columns=PORTION_COLUMNS)],
        ignore_index=True)
    aliases = pd.concat([base.aliases, pd.DataFrame([("red bull", "sr:14154")],
                                                    columns=["alias", "food_id"])])
    return FoodTable(foods[FOOD_COLUMNS].astype({"fdc_id": "Int64"}), portions, aliases)


@pytest.fixture(scope="module")
def woman_day(table) -> dict:
    return analyze_text(DAY, table, {"age": 34, "sex": "female"})


def test_the_hand_worked_day_for_a_woman(woman_day):
    report = woman_day
    t = report["triggers"]["nutrients"]
    assert t["caffeine_mg"]["average"] == pytest.approx(CAFFEINE)
    assert t["alcohol_g"]["average"] == pytest.approx(ALCOHOL)
    assert t["water_g"]["average"] == pytest.approx(WATER)
    assert t["sodium_mg"]["average"] == pytest.approx(SODIUM)
    # caffeine under the 400 mg for adults; alcohol over the 1 drink (14 g) for women
    assert (t["caffeine_mg"]["status"], t["caffeine_mg"]["days_flagged"]) == ("within", 0)
    assert (t["alcohol_g"]["status"], t["alcohol_g"]["days_flagged"]) == ("over", 1)
    assert t["alcohol_g"]["dates_flagged"] == ["2024-05-06"]
    assert t["alcohol_g"]["reference"]["amount"] == 14
    assert (t["water_g"]["status"], t["water_g"]["flag"]) == ("below", "under")
    assert t["water_g"]["reference"]["amount"] == 2700
    assert t["sodium_mg"]["status"] == "within"
    assert t["caffeine_mg"]["text"] == ("Caffeine: 359 mg a day on average (1 of 1 day), "
                                        "within the limit of 400 mg on every day.")
    assert t["alcohol_g"]["text"] == ("Alcohol: 2.0 drinks a day on average (1 of 1 day), "
                                      "above the limit of 1 drink; over 1 drink on 1 of 1 day.")
    # the largest sources, over the period
    assert [(s["food"], s["amount"]) for s in t["caffeine_mg"]["sources"]] == [
        ("Coffee, brewed", pytest.approx(284.4)), ("Energy drink, Red Bull",
                                                   pytest.approx(74.82))]
    assert t["caffeine_mg"]["sources"][0]["share"] == pytest.approx(79.2, abs=0.05)
    assert t["alcohol_g"]["sources"][0]["food"] == "Beer"
    # the day's figures are in the day list (and the CSV) too; none changes a status
    day = report["days"][0]
    assert day["caffeine_mg"] == pytest.approx(CAFFEINE)
    assert day["alcohol_g"] == pytest.approx(ALCOHOL, abs=1e-3)
    assert set(report["statuses"]) == {"magnesium_mg", "calcium_mg", "potassium_mg",
                                       "vitamin_d_ug", "vitamin_b12_ug", "vitamin_b6_mg"}
    assert report["triggers"]["line"] == (
        "Alcohol over 1 drink a day on 1 of 1 day, 2.0 drinks on average; water 1.6 L a day, "
        "under the 2.7 L Adequate Intake (plain water is often not logged); caffeine and "
        "sodium within the amounts advised.")


def test_the_same_day_for_a_man_keeps_within_two_drinks(table):
    t = analyze_text(DAY, table, {"age": 34, "sex": "male"})["triggers"]["nutrients"]
    assert t["alcohol_g"]["reference"]["amount"] == 28
    assert t["alcohol_g"]["status"] == "within"  # 1.98 drinks
    assert t["water_g"]["reference"]["amount"] == 3700


def test_a_pregnant_woman_with_250_mg_of_caffeine_is_flagged(table):
    log = ("date,meal,food,amount,unit\n2024-05-06,breakfast,coffee,2,cup\n"
           "2024-05-06,breakfast,supplement: caffeine,60.4,mg\n"
           "2024-05-07,breakfast,coffee,1,cup\n")
    pregnant = analyze_text(log, table, {"age": 29, "sex": "female", "pregnant": True})
    caffeine = pregnant["triggers"]["nutrients"]["caffeine_mg"]
    assert pregnant["days"][0]["caffeine_mg"] == pytest.approx(2 * 237 * 0.40 + 60.4)  # 250
    assert caffeine["reference"]["amount"] == 200
    assert caffeine["reference"]["who"] == "during pregnancy"
    assert (caffeine["status"], caffeine["dates_flagged"]) == ("over_some_days", ["2024-05-06"])
    assert caffeine["sources"][1] == {"food": "caffeine", "kind": "supplement",
                                      "amount": 60.4, "share": 17.5,
                                      "item_count": 1}
    assert pregnant["triggers"]["line"].startswith("Caffeine over 200 mg a day on 1 of 2 days")
    # alcohol: none during pregnancy, so any is over
    assert pregnant["triggers"]["nutrients"]["alcohol_g"]["reference"]["text"] == (
        "none during pregnancy")
    # the same day is within the 400 mg for a woman who is not pregnant
    other = analyze_text(log, table, {"age": 29, "sex": "female"})
    assert other["triggers"]["nutrients"]["caffeine_mg"]["status"] == "within"


def test_alcohol_under_21_or_in_pregnancy_is_over_at_any_amount(table):
    log = "date,meal,food,amount,unit\n2024-05-06,dinner,beer,1,can\n"
    young = analyze_text(log, table, {"age": 19, "sex": "male"})["triggers"]["nutrients"]
    assert young["alcohol_g"]["reference"]["amount"] == 0
    assert young["alcohol_g"]["status"] == "over"
    assert young["alcohol_g"]["text"].endswith("above the limit of none; any alcohol on 1 of 1 "
                                               "day.")


def test_a_childs_caffeine_limit_needs_a_weight(table):
    log = "date,meal,food,amount,unit\n2024-05-06,snack,cola,1,cup\n"
    child = {"age": 10, "sex": "male"}
    unjudged = analyze_text(log, table, child)["triggers"]["nutrients"]["caffeine_mg"]
    assert unjudged["status"] == "not_judged" and unjudged["reference"]["amount"] is None
    assert "3 mg per kg of body weight" in unjudged["reference"]["reason"]
    assert "--weight-kg" in unjudged["reference"]["reason"]
    assert unjudged["average"] == pytest.approx(9 * 2.46, abs=2)  # a cup of cola still shown
    weighed = analyze_text(log, table, {**child, "weight_kg": 32})
    caffeine = weighed["triggers"]["nutrients"]["caffeine_mg"]
    assert caffeine["reference"]["amount"] == 96  # 3 mg x 32 kg
    assert caffeine["status"] == "within"
    assert weighed["profile"]["weight_kg"] == 32
    # a child's water and sodium references by age
    t = weighed["triggers"]["nutrients"]
    assert (t["water_g"]["reference"]["amount"], t["sodium_mg"]["reference"]["amount"]) == (
        2400, 1800)


def test_an_implausible_weight_is_refused():
    with pytest.raises(BadProfile, match="weight 3200 kg is not a plausible body weight"):
        Profile(age=10, sex="male", weight_kg=3200)
    assert Profile(age=10, sex="male", weight_kg="").weight_kg is None


@pytest.mark.parametrize("profile, caffeine, alcohol, water, sodium", [
    ({"age": 34, "sex": "female"}, 400, 14, 2700, 2300),
    ({"age": 34, "sex": "female", "lactating": True}, 200, 14, 3800, 2300),
    ({"age": 17, "sex": "female", "pregnant": True}, 200, 0, 3000, 2300),
    ({"age": 16, "sex": "female", "weight_kg": 55}, 165, 0, 2300, 2300),
    ({"age": 70, "sex": "male"}, 400, 28, 3700, 2300),
    ({"age": 2, "sex": "female", "weight_kg": 12}, 36, 0, 1300, 1200),
    ({"age": 6, "sex": "male", "weight_kg": 20}, 60, 0, 1700, 1500),
])
def test_references_by_life_stage(profile, caffeine, alcohol, water, sodium):
    refs = trigger_references(Profile(**profile))["amount"]
    assert refs.to_dict() == {"caffeine_mg": caffeine, "alcohol_g": alcohol, "water_g": water,
                              "sodium_mg": sodium}


def _without_water(table: FoodTable, food_id: str) -> FoodTable:
    foods = table.foods.copy()
    foods.loc[food_id, "water_g"] = float("nan")
    return FoodTable(foods, table.portions, table.aliases)


def test_unknown_water_is_not_shown_as_zero(table):
    # a food whose water the food data lacks, alone on the first day
    log = ("date,meal,food,amount,unit\n2024-05-06,lunch,beer,1,can\n"
           "2024-05-07,lunch,coffee,1,cup\n")
    report = analyze_text(log, _without_water(table, "sr:14003"), {"age": 34, "sex": "female"})
    water = report["triggers"]["nutrients"]["water_g"]
    assert report["days"][0]["water_g"] is None  # unknown, not 0
    assert (water["days_known"], water["days"]) == (1, 2)
    assert water["average"] == pytest.approx(237 * 0.9939, abs=1e-3)  # the known day, not halved
    assert report["averages"]["water_g"] == water["average"]
    assert water["incomplete"] and water["unknown_items"] == 1
    assert water["unknown_note"] == ("1 item without a known water amount (“Beer”) is not "
                                     "counted, so the true amount may be higher.")
    assert water["text"].startswith("Water: 0.2 L a day on average (1 of 2 days)")
    # the CSV leaves the unknown day's cell empty
    from nutrigap.reports.render import to_csv

    lines = to_csv(report).splitlines()
    column = lines[0].split(",").index("water_g")
    assert lines[1].split(",")[column] == ""
    # and when no day is known, there is no average at all
    none = analyze_text("date,meal,food,amount,unit\n2024-05-06,lunch,beer,1,can\n",
                        _without_water(table, "sr:14003"), {"age": 34, "sex": "female"})
    water = none["triggers"]["nutrients"]["water_g"]
    assert (water["average"], water["status"], water["days_known"]) == (None, "no_data", 0)
    assert water["text"] == "Water: no logged item gives an amount, so it is not known."
    assert none["triggers"]["line"].startswith("Water not known; ")


def test_a_caffeine_value_the_food_data_lacks_is_named(table):
    # SR28 has no caffeine value for chia seeds
    log = ("date,meal,food,amount,unit\n2024-05-06,breakfast,chia seeds,30,g\n"
           "2024-05-06,breakfast,coffee,1,cup\n")
    caffeine = analyze_text(log, table)["triggers"]["nutrients"]["caffeine_mg"]
    assert caffeine["average"] == pytest.approx(94.8)
    assert caffeine["unknown_items"] == 1
    assert "(“Chia seeds”)" in caffeine["unknown_note"]


def test_the_sodium_and_potassium_report_is_cited_once_for_both(woman_day):
    report = woman_day
    titles = [s["title"] for s in report["sources"]]
    nasem = [s for s in report["sources"] if "Sodium and Potassium" in s["title"]]
    assert len(nasem) == 1 and len(titles) == len(set(titles))
    assert nasem[0]["used_for"].startswith("Targets and upper limits: Potassium.")
    assert "Chronic Disease Risk Reduction" in nasem[0]["used_for"]
    cited = {s["key"] for s in report["triggers"]["sources"]}
    assert cited == {"efsa_2015_caffeine", "fda_caffeine", "dga_2020_alcohol", "niaaa_drink",
                     "iom_2005_water", "nasem_2019_sodium"}
    # the CDRR is explained as a level for lowering chronic disease risk, not a toxic one
    about = report["triggers"]["nutrients"]["sodium_mg"]["about"]
    assert "not a level at which sodium becomes harmful in itself" in about
    assert "often not written down" in report["triggers"]["nutrients"]["water_g"]["about"]
