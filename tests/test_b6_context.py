"""Vitamin B6 above EFSA's 2023 upper level but within the US one: an informational note,
never a status change."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_samples import EXAMPLE_LOG, analyze_log

from nutrigap.analyzer.scoring.b6_context import efsa_b6_level
from nutrigap.reports.render import summary_lines, to_html

DAYS = ["2024-03-04", "2024-03-05", "2024-03-06"]
FOOD = ["banana,1,medium", "milk,250,g", "salmon,150,g"]


def _log(tmp_path: Path, b6_doses: list[float], age: float = 40) -> dict:
    """Three ordinary days with a B6 supplement of the given dose on each (0: none)."""
    lines = ["date,meal,food,amount,unit"]
    for day, dose in zip(DAYS, b6_doses, strict=True):
        lines += [f"{day},,{food}" for food in FOOD]
        if dose:
            lines.append(f"{day},,supplement: B6,{dose:g},mg")
    path = tmp_path / "log.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return analyze_log(path, profile={"age": age, "sex": "female"})


def _b6_notes(report: dict) -> list[str]:
    return [n["message"] for n in report["notes"] if n["kind"] == "b6_lower_limit"]


def test_efsa_levels_by_age():
    assert efsa_b6_level(40) == (12.0, "adults (including pregnancy and breastfeeding)")
    assert efsa_b6_level(8)[0] == 4.5
    assert efsa_b6_level(16)[0] == 10.7
    assert efsa_b6_level(17.99)[0] == 10.7 and efsa_b6_level(18)[0] == 12.0


def test_a_b_complex_on_most_days_gets_a_note_and_keeps_its_status():
    report = analyze_log(EXAMPLE_LOG)
    b6 = report["statuses"]["vitamin_b6_mg"]
    assert b6["status"] == "within_ul"  # the DRI status is unchanged
    assert b6["average"] > 12
    [message] = _b6_notes(report)
    assert message.startswith(f"Vitamin B6 averaged {b6['average']:.1f} mg a day, "
                              f"{b6['average_supplements']:.1f} mg of it from supplements.")
    assert "within the US upper limit of 100 mg, but above 12 mg a day" in message
    assert "European Food Safety Authority set in 2023 for adults" in message
    assert "nerve symptoms" in message
    html = to_html(report)
    [note] = [n for n in report["notes"] if n["kind"] == "b6_lower_limit"]
    assert note["summary"].startswith(f"Vitamin B6 averaged {b6['average']:.1f} mg a day")
    assert "above the 12 mg a day set in Europe" in note["summary"]
    key_points = html.split('id="key-points"')[1].split("</div>")[0]
    assert note["summary"] in key_points and message not in key_points
    card = html.split('id="card-vitamin_b6_mg"')[1].split('<div class="card ')[0]
    assert "Above the lower limit some authorities set" in card
    assert any("European Food Safety Authority (2023)" in s["title"] for s in report["sources"])
    assert "vitamin B6 above the European upper level" in summary_lines(report)[2]


def test_one_strong_supplement_day_is_named_when_the_average_stays_low(tmp_path):
    report = _log(tmp_path, [25, 0, 0])
    average = report["statuses"]["vitamin_b6_mg"]["average"]
    assert average < 12
    [message] = _b6_notes(report)
    assert message.startswith("Supplements gave more than 12 mg of vitamin B6 on 1 of 3 days "
                              "(up to 25 mg).")


def test_no_note_below_the_level_or_above_the_us_limit(tmp_path):
    assert _b6_notes(_log(tmp_path, [10, 10, 0])) == []
    above = _log(tmp_path, [150, 150, 150])
    assert above["statuses"]["vitamin_b6_mg"]["status"] == "above_ul"
    assert _b6_notes(above) == []  # the upper-limit warning already says more


@pytest.mark.parametrize(("age", "dose", "noted"), [(8, 5, True), (8, 2, False)])
def test_a_child_is_compared_with_the_level_for_its_age(tmp_path, age, dose, noted):
    report = _log(tmp_path, [dose] * 3, age=age)
    notes = _b6_notes(report)
    assert bool(notes) == noted
    if noted:
        assert "set in 2023 for children aged 7 to 10" in notes[0]
