"""The core object: an Analyzer over a food table and corrections, and the Options of a report."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pandas as pd
import pytest
from report_samples import REPORT_DATE, WEEK_LOG, report_options

from nutrigap.analyzer.errors import BadCorrections, BadDiet
from nutrigap.analyzer.logs import read_meal_log
from nutrigap.analyzer.pipeline import Analyzer, Options

LOG = """date,meal,food,amount,unit
2024-03-04,breakfast,oj,250,ml
2024-03-04,lunch,greek yogurt,170,g
2024-03-05,dinner,grandma's stew,300,g
"""
PERSON = {"age": 34, "sex": "female"}


def read(text: str = LOG):
    return read_meal_log(io.BytesIO(text.encode()))


def test_options_are_one_frozen_value_with_diets_normalised():
    options = Options(generated=date(2024, 5, 6), version="1.2.3",
                      diet=["Dairy free", "vegan"], exclude=[" liver ", ""])
    assert options.diet == ("dairy-free", "vegan")
    assert options.exclude == ("liver",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.diet = ()  # type: ignore[misc]
    with pytest.raises(BadDiet, match='diet "paleo" is not one nutrigap knows'):
        Options(generated=date(2024, 5, 6), version="1.2.3", diet=["paleo"])


def test_the_report_is_dated_and_versioned_by_the_options_not_the_clock(embedded_table):
    items, info = read()
    options = Options(generated=date(2019, 1, 2), version="9.9.9", log_name="week.csv")
    report = Analyzer(embedded_table).analyze(items, info, PERSON, options)
    assert report["generated"] == "2019-01-02"
    assert report["tool"] == {"name": "nutrigap", "version": "9.9.9"}
    assert report["log"]["name"] == "week.csv"


def test_the_same_analyzer_and_options_give_the_same_report_twice(embedded_table):
    analyzer = Analyzer(embedded_table)
    with open(WEEK_LOG, "rb") as fp:
        items, info = read_meal_log(fp)
    options = report_options(diet=["vegetarian"], exclude=["liver"])
    first = analyzer.analyze(items, info, PERSON, options)
    assert analyzer.analyze(items, info, PERSON, options) == first
    assert first["generated"] == REPORT_DATE.isoformat()
    assert first["profile"]["diet"] == ["vegetarian"]
    assert first["profile"]["exclude"] == ["liver"]


def test_corrections_are_checked_once_when_the_analyzer_is_made(embedded_table):
    wrong = pd.DataFrame({"name": ["oj"], "food_id": ["sr:99999"]})
    with pytest.raises(BadCorrections, match=r"row 2, food_id: \"sr:99999\" is not in the"):
        Analyzer(embedded_table, wrong)


def test_the_analyzer_applies_its_corrections_to_every_log(embedded_table):
    corrections = pd.DataFrame({"name": ["Grandma's stew", "OJ"],
                                "food_id": ["none", "sr:11457"]})
    analyzer = Analyzer(embedded_table, corrections)
    items, info = read()
    report = analyzer.analyze(items, info, PERSON, report_options())
    methods = {m["name"]: (m["method"], m["food_id"]) for m in report["matches"]}
    assert methods["oj"] == ("correction", "sr:11457")
    assert methods["grandma's stew"] == ("correction", None)
    assert methods["greek yogurt"][0] != "correction"


def test_analyzers_over_one_food_table_share_its_matcher(embedded_table):
    assert Analyzer(embedded_table).matcher is Analyzer(embedded_table).matcher
