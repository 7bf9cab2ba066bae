"""Food names matched to foods that the person's diet, or the name itself, rules out."""

from __future__ import annotations

import pandas as pd
import pytest
from report_samples import analyze_text

from nutrigap.analyzer.suggestions.diet_checks import diet_conflict_notes, named_diets
from nutrigap.foods.embedded import load_embedded
from nutrigap.reports.render import summary_lines, to_html

VEGAN_WEEKEND = """date,meal,food,amount,unit
2024-06-01,breakfast,oat yogurt,150,g
2024-06-01,breakfast,toast,2,slice
2024-06-01,breakfast,vegan butter,10,g
2024-06-01,lunch,lentils,1,cup
2024-06-01,dinner,tofu,150,g
2024-06-02,breakfast,soy milk,1,cup
2024-06-02,lunch,vegan cheese,30,g
2024-06-02,dinner,broccoli,1,cup
"""


@pytest.fixture(scope="module")
def table():
    return load_embedded()


def report_for(text: str, table, **options) -> dict:
    return analyze_text(text, table, {"age": 30, "sex": "female"}, **options)


def clashing(report: dict) -> list[str]:
    return [f for n in report["notes"] if n["kind"] == "diet_conflict" for f in n["foods"]]


def test_a_name_that_says_vegan_is_questioned_when_matched_to_a_dairy_food(table):
    report = report_for(VEGAN_WEEKEND, table)
    matched = {m["name"]: m["food"] for m in report["matches"]}
    flagged = clashing(report)
    for name in ("vegan butter", "vegan cheese"):
        if matched[name] is not None:  # a better matcher may leave them unmatched instead
            assert name in flagged, matched[name]
    assert "lentils" not in flagged and "tofu" not in flagged and "soy milk" not in flagged


def test_a_declared_vegan_diet_questions_every_animal_food_match(table):
    report = report_for(VEGAN_WEEKEND, table, diet=["vegan"])
    matched = {m["name"]: m["food_id"] for m in report["matches"]}
    foods = table.foods
    animal = [name for name, food_id in matched.items() if food_id is not None
              and {"dairy", "meat", "fish", "egg"} & set(foods.at[food_id, "tags"].split(","))]
    assert animal  # the built-in table turns "oat yogurt" into a dairy yogurt
    assert sorted(clashing(report)) == sorted(animal)
    note = next(n for n in report["notes"] if n["kind"] == "diet_conflict")
    assert "--matches" in note["message"]
    assert note["summary"] in to_html(report)  # on the first page
    assert "to check against the diet" in summary_lines(report)[2]


def test_a_match_the_dietitian_chose_is_not_questioned(table):
    corrections = pd.DataFrame({"name": ["vegan cheese"], "food_id": ["sr:01009"]})
    report = report_for(VEGAN_WEEKEND, table, corrections=corrections)
    assert "vegan cheese" not in clashing(report)


def test_a_log_without_diet_words_or_a_declared_diet_gets_no_note(table):
    log = "date,meal,food,amount,unit\n2024-06-01,lunch,cheddar,30,g\n2024-06-01,lunch,ham,50,g\n"
    assert clashing(report_for(log, table)) == []


def test_diet_words_in_names():
    names = pd.Series(["Vegan Cheese", "plant-based burger", "dairy free yoghurt", "eggplant",
                       "veggie sausages", "cheddar"])
    assert named_diets(names).tolist() == ["vegan", "vegan", "dairy-free", "", "vegetarian", ""]


def test_no_matches_no_notes(table):
    empty = pd.DataFrame(columns=["name", "food_id", "food_name", "method"])
    assert diet_conflict_notes(empty, table, ["vegan"]) == []
