"""Bounded work for any input: a meal log's cells, dates and different foods each have a
limit; a log at every limit gives a report, one past a limit is refused with how to split it,
from the command line, in a batch and on the web alike."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_samples import report_options

import nutrigap.analyzer.limits as limits
from nutrigap.analyzer.errors import BadMealLog
from nutrigap.analyzer.limits import MAX_CELL_CHARS, MAX_DAYS, MAX_NAMES
from nutrigap.analyzer.logs import read_meal_log
from nutrigap.analyzer.pipeline import Analyzer
from nutrigap.cli import main

ROOT = Path(__file__).resolve().parent.parent
HEADER = "date,meal,food,amount,unit\n"
FIRST = date(2020, 1, 1)
WORDS = ["spinach", "milk", "oats", "almonds", "salmon", "rice", "egg", "yogurt", "broccoli",
         "apple", "cheese", "beans", "chicken", "potato", "tofu", "lentils", "banana", "bread"]


def daily_log(days: int, names: int = 1) -> str:
    """One row a day for `days` days, naming `names` different foods in turn (made of food
    words and a number, as people tell their recipes apart)."""
    rows = [HEADER]
    for n in range(max(days, names)):
        day = FIRST + timedelta(days=n % days)
        k = n % names
        food = f"{WORDS[k % len(WORDS)]} {WORDS[k // len(WORDS) % len(WORDS)]} {k}"
        rows.append(f"{day:%Y-%m-%d},lunch,{food},100,g\n")
    return "".join(rows)


def read(text: str):
    return read_meal_log(io.BytesIO(text.encode()))


def refusal(text: str) -> str:
    with pytest.raises(BadMealLog) as refused:
        read(text)
    return str(refused.value)


# --- cells -----------------------------------------------------------------------------------

def test_a_food_name_of_200_characters_is_read_and_one_of_201_refuses_its_row():
    name = ("a " + "spinach raw " * 20)[:MAX_CELL_CHARS]  # no space at either end
    items, _ = read(HEADER + f"2024-01-01,lunch,{name},100,g\n")
    assert items["food"].tolist() == [name]
    longer = name + "s"
    assert refusal(HEADER + f"2024-01-01,lunch,{longer},100,g\n2024-01-01,lunch,apple,1,medium"
                   "\n") == (f'row 2, food: "{longer[:40].rstrip()}... (201 characters)" is '
                             "longer than 200 characters, the most a cell of a meal log holds; "
                             "shorten it, as this row is not read")


def test_every_cell_the_reader_uses_is_held_to_the_limit_but_notes_are_not():
    long = "x" * (MAX_CELL_CHARS + 1)
    text = ("date,meal,food,amount,unit,notes\n"
            f"2024-01-01,{long},apple,1,medium,\n"
            f"2024-01-01,lunch,apple,1,{long},\n"
            f"2024-01-02,lunch,apple,1,medium,{long}\n")
    with pytest.raises(BadMealLog) as refused:
        read(text)
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "meal"), (3, "unit")]


def test_a_cronometer_cell_is_held_to_the_limit_too():
    text = ("Day,Food Name,Amount,Magnesium (mg)\n"
            f"2024-01-01,Spinach,100.00 g,{'7' * (MAX_CELL_CHARS + 1)}\n")
    assert refusal(text).startswith('row 2, Magnesium (mg): "7777')


# --- dates and different foods ---------------------------------------------------------------

def test_a_log_of_1096_days_is_read_and_one_of_1097_is_refused_with_how_to_split_it():
    _, info = read(daily_log(MAX_DAYS))
    assert info.days == MAX_DAYS
    assert refusal(daily_log(MAX_DAYS + 1)) == (
        "the log has 1,097 days (2020-01-01 to 2023-01-01); a report covers at most 1,096 days; "
        "split the log by date (for example one file per year, or export a shorter date range) "
        "and analyse each part")


def test_a_log_of_2000_foods_is_read_and_one_of_2001_is_refused_with_how_to_split_it():
    items, _ = read(daily_log(30, MAX_NAMES))
    assert items["food"].nunique() == MAX_NAMES
    assert refusal(daily_log(30, MAX_NAMES + 1)) == (
        "the log names 2,001 different foods (2020-01-01 to 2020-01-30); a report reads at most "
        "2,000; split the log by date (for example one file per quarter, or export a shorter "
        "date range) and analyse each part")


def test_supplements_do_not_count_as_foods():
    text = daily_log(30, MAX_NAMES) + "2020-01-02,,supplement: magnesium,200,mg\n"
    items, _ = read(text)
    assert len(items) == MAX_NAMES + 1


@pytest.mark.slow  # three years of days matched, scored and planned
def test_a_log_at_the_day_limit_gives_a_whole_report(embedded_table):
    # the time and memory of every limit at once are measured by benchmarks/bench_limits.py
    items, info = read(daily_log(MAX_DAYS, 100))
    report = Analyzer(embedded_table).analyze(items, info, {"age": 40, "sex": "female"},
                                              report_options())
    assert len(report["days"]) == MAX_DAYS
    assert report["period"]["first"] == "2020-01-01"
    assert report["period"]["last"] == "2022-12-31"
    assert len(report["matches"]) == 100


# --- every edge applies the reader's limits --------------------------------------------------

@pytest.mark.slow  # a caseload analysed
def test_a_batch_client_past_the_day_limit_fails_alone(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "ann.csv").write_text(daily_log(MAX_DAYS + 1), encoding="utf-8")
    (logs / "bob.csv").write_text(daily_log(3), encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,34,f\nbob,40,m\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(logs), "--clients", str(clients), "-o",
                                       str(out), "--format", "json", "--workers", "1"])
    assert result.exit_code == 1
    with open(out / "errors.csv", newline="", encoding="utf-8") as fp:
        (error,) = csv.DictReader(fp)
    assert error["client"] == "ann"
    assert error["message"].startswith("the log has 1,097 days")
    assert (out / "bob.json").exists()


def test_a_web_job_past_the_food_limit_gets_the_readers_words():
    pytest.importorskip("flask", reason="the web page needs the web extra")
    from nutrigap.web.tasks import analyze_upload

    answer = analyze_upload(daily_log(30, MAX_NAMES + 1).encode(), "log.csv", {}, None)
    assert answer["error"].startswith("the log names 2,001 different foods")


# --- the limits are documented ---------------------------------------------------------------

def test_docs_limits_names_every_limit_with_its_value():
    text = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    names = [n for n in vars(limits) if n.isupper()]
    assert len(names) >= 15
    for name in names:
        assert f"`{name}`" in text, f"docs/limits.md does not name {name}"
    for row in re.findall(r"^\| `([A-Z_]+)` \| ([^|]+) \|", text, re.M):
        name, shown = row
        value = getattr(limits, name)
        numbers = [float(n.replace(",", "")) for n in re.findall(r"[\d,.]*\d", shown)]
        assert numbers, f"docs/limits.md gives no value for {name}"
        expected = list(value) if isinstance(value, tuple) else [value]
        units = {"KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}
        scale = next((f for u, f in units.items() if u in shown), 1)
        assert [n * scale for n in numbers[:len(expected)]] == expected, name
