"""A percentage just under a status edge never reads as the edge itself ("100%" beside
"Below target"), in the JSON, the terminal summary and the HTML/PDF cards alike."""

from __future__ import annotations

import pytest
from report_samples import WEEK_LOG, analyze_log, parse_html, week_report

from nutrigap.reports.render import summary_lines, to_html
from nutrigap.reports.templating import percent


@pytest.mark.parametrize(("value", "shown"), [
    (99.5, "99.5%"), (99.96, "99.9%"), (100.0, "100%"), (100.4, "100%"), (98.5, "98%"),
    (49.5, "49.5%"), (49.96, "49.9%"), (50.0, "50%"), (72.7, "73%"), (0.4, "0%"),
    (999.4, "999%"), (999.6, "999.6%"), (1000.0, "over 10×"), (21074.3, "over 10×"),
    (None, "–"),
])
def test_percent_keeps_a_decimal_just_under_an_edge(value, shown):
    assert percent(value) == shown


@pytest.fixture(scope="module", params=[0.995, 0.9996])
def nearly_met(request) -> tuple[float, dict]:
    """The week's log with the potassium target set just above the week's average, so the
    average is 99.5 % (and 99.96 %) of it."""
    average = week_report()["statuses"]["potassium_mg"]["average"]
    ratio = request.param
    return ratio, analyze_log(WEEK_LOG, overrides={"potassium": average / ratio})


def test_a_nearly_met_target_is_below_in_every_output(nearly_met):
    ratio, report = nearly_met
    status = report["statuses"]["potassium_mg"]
    assert status["known_status"] == "below"
    expected = "99.5" if ratio == 0.995 else "99.9"
    assert status["percent_of_target"] == float(expected)  # never 100.0 in the JSON
    _, gaps, _ = summary_lines(report)
    assert f"Potassium {expected}%" in gaps
    assert gaps.startswith("Below target: ")
    card = parse_html(to_html(report)).one("div", id="card-potassium_mg")
    assert card.one("span", cls="big").text() == f"{expected}%"
    assert "Below target" in card.one("span", cls="badge").text()
    assert "100%" not in card.text()
