"""The report says which amounts were read from a food's name, which were estimated for a
vague measure, and which weights are questioned, in lists (JSON) and in notes (every output)."""

from __future__ import annotations

import io
from datetime import date

import pytest

from nutrigap.analyzer.logs import read_meal_log
from nutrigap.analyzer.pipeline import Analyzer, Options

LOG = """date,meal,food,amount,unit
2024-05-01,breakfast,2 eggs scrambled,,
2024-05-01,breakfast,cup of oj,,
2024-05-01,snack,almonds,1,handful
2024-05-01,lunch,banana,1,
2024-05-01,dinner,milk,5,cup
2024-05-01,dinner,salmon,150,g
"""


@pytest.fixture(scope="module")
def report(embedded_table) -> dict:
    items, info = read_meal_log(io.BytesIO(LOG.encode("utf-8")))
    return Analyzer(embedded_table).analyze(items, info, {"age": 40, "sex": "female"},
                                            Options(generated=date(2024, 5, 2), version="t"))


def test_amounts_read_from_the_name_are_listed_as_written(report):
    assert [(a["row"], a["written"], a["food"], a["amount"]) for a in report["amounts_read"]] == [
        (2, "2 eggs scrambled", "eggs scrambled", "2 eggs"), (3, "cup of oj", "oj", "1 cup")]
    note = next(n for n in report["notes"] if n["kind"] == "amount_in_name")
    assert note["message"].startswith('2 amounts were read from the food\'s name, amount and '
                                      'unit being empty (row 2: "2 eggs scrambled" as 2 eggs of '
                                      '"eggs scrambled"; row 3: "cup of oj" as 1 cup of "oj")')


def test_a_vague_measure_is_an_estimate_with_its_basis(report):
    (estimate,) = report["estimates"]
    assert (estimate["row"], estimate["amount"], estimate["grams"]) == (4, "1 handful", 28.3)
    assert estimate["basis"].startswith("one handful (nuts/seeds) taken as 1 oz (28 g), an "
                                        "estimate: 1 oz (28 g): FNDDS weighs nuts")
    note = next(n for n in report["notes"] if n["kind"] == "estimate")
    assert note["message"] == ("1 amount is an estimate for a measure of no fixed size (row 4: "
                               "1 handful of almonds taken as 28 g); weigh or measure them once "
                               "to know.")


def test_a_weight_no_serving_of_its_kind_reaches_is_questioned_and_still_counted(report):
    (questioned,) = report["questioned"]
    assert (questioned["row"], questioned["food"], questioned["amount"], questioned["kind"],
            questioned["bound_grams"]) == (6, "milk", "5 cup", "dairy", 700)
    assert questioned["grams"] == pytest.approx(5 * 244, rel=0.01)
    assert questioned["reason"].startswith("1,220 g in one row, more than a serving of a food "
                                           "of this kind (dairy) usually weighs (700 g: ")
    note = next(n for n in report["notes"] if n["kind"] == "questioned")
    assert note["message"].startswith("Row 6, milk (5 cup): 1,220 g in one row")
    assert note["message"].endswith("The figures count it as written.")
    day = report["days"][0]
    assert day["calcium_mg"] > 5 * 244 * 1.1  # the milk is counted (over 1 mg Ca per g)
