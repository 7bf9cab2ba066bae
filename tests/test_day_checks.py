"""Days left out of the averages (no food counted) and days whose energy is hard to believe."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from report_samples import analyze_log, week_report

from nutrigap.analyzer.scoring.day_checks import MAX_PLAUSIBLE_DAY_KCAL
from nutrigap.reports.render import summary_lines, to_csv, to_html

# A messy two-day log: on 2 May every food is a dish the table does not know or an amount it
# cannot weigh, and only the supplements are countable.
MESSY = """date,meal,food,amount,unit
2024-05-01,breakfast,cheddar cheese,1,oz
2024-05-01,breakfast,broccoli,1 1/2,cups
2024-05-01,lunch,milk,1/2,cup
2024-05-01,lunch,banana,2,medium
2024-05-01,lunch,almonds,28,g
2024-05-01,dinner,salmon,3,oz
2024-05-01,dinner,spinach,100,g
2024-05-02,breakfast,porridge,1,scoop
2024-05-02,breakfast,avocado toast,1,slice
2024-05-02,lunch,chicken caesar salad,1,serving
2024-05-02,dinner,spag bol,2,cups
2024-05-02,,supplement: magnesium glycinate,400,mg
2024-05-02,,supplement: vitamin D3,2000,IU
"""

# 120 "medium" left over from a template where 120 g was meant, and a day of milk in grams
SLIP = """date,meal,food,amount,unit
2024-03-04,breakfast,banana,1,medium
2024-03-04,lunch,milk,250,g
2024-03-04,dinner,salmon,150,g
2024-03-05,lunch,banana,120,medium
2024-03-05,lunch,milk,4900,g
2024-03-05,dinner,spinach,100,g
"""


def _report(tmp_path: Path, text: str) -> dict:
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    return analyze_log(path)


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> dict:
    return _report(tmp_path_factory.mktemp("messy"), MESSY)


@pytest.fixture(scope="module")
def first_day_only(tmp_path_factory) -> dict:
    lines = [line for line in MESSY.splitlines() if not line.startswith("2024-05-02")]
    return _report(tmp_path_factory.mktemp("first"), "\n".join(lines) + "\n")


def test_a_day_with_no_food_counted_is_left_out_of_the_averages(messy, first_day_only):
    assert messy["period"]["days_logged"] == 1
    assert messy["period"]["days_left_out"] == ["2024-05-02"]
    assert [d["left_out"] for d in messy["days"]] == [False, True]
    # the averages are those of 1 May alone, not halved by a zero day
    for key, status in messy["statuses"].items():
        assert status["average"] == pytest.approx(first_day_only["statuses"][key]["average"])
        assert status["days_logged"] == 1
    assert messy["averages"]["calcium_mg"] == pytest.approx(
        first_day_only["averages"]["calcium_mg"])
    # the supplements of the day left out do not enter the averages, but still the limits
    mg = messy["statuses"]["magnesium_mg"]
    assert mg["average_supplements"] == 0
    assert mg["status"] == "above_ul"
    assert [w["dates"] for w in messy["warnings"]] == [["2024-05-02"]]


def test_the_day_left_out_is_named_with_why(messy):
    notes = [n for n in messy["notes"] if n["kind"] == "left_out_day"]
    assert len(notes) == 1
    assert notes[0]["dates"] == ["2024-05-02"]
    assert notes[0]["message"].startswith("2 May 2024 is left out of the averages: ")
    assert "none of its 4 foods could be counted" in notes[0]["message"]
    # the items themselves are still listed as not counted
    assert {u["food"] for u in messy["unmatched"] + messy["unconverted"]} >= {
        "avocado toast", "chicken caesar salad", "spag bol"}


def test_the_day_left_out_shows_in_every_output(messy):
    first, *_ = summary_lines(messy)
    assert first == ("2 days logged (1–2 May 2024); 2 May 2024 left out of the averages: "
                     "no food on it could be counted")
    rows = list(csv.DictReader(io.StringIO(to_csv(messy))))
    assert [r["left_out"] for r in rows] == ["", "yes"]
    html = to_html(messy)
    assert 'class="left-out"' in html
    key_points = html.split('id="key-points"')[1].split("</div>")[0]
    assert "2 May 2024 is left out of the averages" in key_points


def test_a_supplement_only_day_is_left_out(tmp_path):
    report = _report(tmp_path, MESSY.replace("2024-05-02,breakfast", "2024-05-09,breakfast")
                     .replace("2024-05-02,lunch", "2024-05-09,lunch")
                     .replace("2024-05-02,dinner", "2024-05-09,dinner"))
    assert report["period"]["days_left_out"] == ["2024-05-02", "2024-05-09"]
    messages = [n["message"] for n in report["notes"] if n["kind"] == "left_out_day"]
    assert "only supplements were logged that day, no food" in messages[0]
    assert "none of its 4 foods could be counted" in messages[1]


def test_an_implausible_day_is_flagged_with_its_largest_items_and_kept(tmp_path):
    report = _report(tmp_path, SLIP)
    day = next(d for d in report["days"] if d["date"] == "2024-03-05")
    assert day["energy_kcal"] > MAX_PLAUSIBLE_DAY_KCAL  # 120 bananas are counted, not dropped
    assert not day["left_out"]
    notes = [n for n in report["notes"] if n["kind"] == "implausible_day"]
    assert [n["dates"] for n in notes] == [["2024-03-05"]]
    message = notes[0]["message"]
    assert message.startswith(f"5 March 2024 adds up to {day['energy_kcal']:,.0f} kcal")
    assert "check the amounts" in message
    # the largest items first, as logged: the bananas, then the milk
    assert message.index("banana, 120 medium") < message.index("milk, 4900 g")
    assert "2024-03-04" not in str(notes)  # the ordinary day is not flagged
    *_, extra = summary_lines(report)
    assert "check the amounts on 5 March 2024" in extra
    key_points = to_html(report).split('id="key-points"')[1].split("</div>")[0]
    assert notes[0]["summary"] == (f"5 March 2024 adds up to {day['energy_kcal']:,.0f} kcal: "
                                   "check the amounts (banana, 120 medium; milk, 4900 g; see "
                                   "“Notes on the data”).")
    assert notes[0]["summary"] in key_points


def test_an_ordinary_week_has_no_day_notes():
    report = week_report()
    assert not [n for n in report["notes"] if n["kind"] in ("implausible_day", "left_out_day")]
    assert report["period"]["days_left_out"] == []
    assert all(n["dates"] == [] for n in report["notes"])


def test_the_short_log_note_counts_the_days_that_count(messy):
    few = [n["message"] for n in messy["notes"] if n["kind"] == "few_days"]
    assert few and few[0].startswith("Only 1 day is counted.")
