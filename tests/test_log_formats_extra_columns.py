"""Our template with columns people add (calories, time, protein) is our format; MyFitnessPal is
told by its own shape."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from nutrigap.analyzer.errors import BadMealLog
from nutrigap.analyzer.logs.formats import detect_format
from nutrigap.analyzer.logs.meal_log import read_meal_log

BAD_LOGS = Path(__file__).resolve().parent / "bad_logs"


def read(text: str):
    return read_meal_log(io.BytesIO(text.encode("utf-8")))


@pytest.mark.parametrize(("header", "row", "ignored"), [
    ("date,meal,food,amount,unit,notes,calories", "2024-03-05,b,banana,1,medium,,105",
     "column calories"),
    ("date,time,meal,food,amount,unit,calories", "2024-03-05,08:00,b,banana,1,medium,105",
     "columns time, calories"),
    ("Date,Meal,Food,Amount,Unit,Calories,Fat (g),Protein (g)",
     "2024-03-05,b,banana,1,medium,105,0.4,1.3", "columns Calories, Fat (g), Protein (g)"),
    ("date,food,amount,unit,Energy (kcal)", "2024-03-05,banana,1,medium,105",
     "column Energy (kcal)"),
])
def test_our_template_with_extra_columns_is_read_and_the_ignored_columns_named(header, row,
                                                                               ignored):
    items, info = read(f"{header}\n{row}\n")
    assert info.format == "nutrigap"
    assert (items.loc[0, "food"], items.loc[0, "quantity"], items.loc[0, "unit"]) == (
        "banana", 1, "medium")
    assert (f"{ignored} ignored: nutrigap reads date, meal, food, amount, unit (optional: "
            "client, notes) and works out nutrients from the foods itself") in info.notes


def test_the_template_alone_has_no_ignored_columns_note():
    _, info = read("date,meal,food,amount,unit,client,notes\n2024-03-05,b,banana,1,medium,a,\n")
    assert not any("ignored" in note for note in info.notes)


def test_myfitnesspals_nutrition_summary_is_still_refused_by_its_own_shape():
    with pytest.raises(BadMealLog, match="this is MyFitnessPal's Nutrition-Summary.csv"):
        with open(BAD_LOGS / "myfitnesspal_nutrition_summary.csv", "rb") as fp:
            read_meal_log(fp)
    header = ["Date", "Meal", "Calories", "Fat (g)", "Sodium (mg)", "Potassium", "Calcium"]
    with pytest.raises(BadMealLog, match="MyFitnessPal"):
        detect_format(header)
    fmt, _ = detect_format([*header[:2], "Food", "Amount", *header[2:]])
    assert fmt.name == "nutrigap"


def test_a_cronometer_daily_summary_is_still_refused():
    with pytest.raises(BadMealLog, match="Cronometer's daily summary"):
        with open(BAD_LOGS / "cronometer_dailysummary.csv", "rb") as fp:
            read_meal_log(fp)
