"""The caseload overview (batch.summary.caseload) and its HTML/PDF page."""

from __future__ import annotations

import pytest

from nutrigap.batch.inputs import Failure
from nutrigap.batch.summary import SCORED_KEYS, TARGET_KEYS, caseload


def summary(client: str, *, status: str = "meets", percent: float = 110.0, items: int = 40,
            unknown: dict | None = None) -> dict:
    """A summary.csv row as batch.summary.summary_row makes it."""
    unknown = {key: 0 for key in SCORED_KEYS} | (unknown or {})
    row = {"client": client, "file": f"logs/{client}.csv", "days_logged": 7, "items": items}
    row |= {f"{key}_percent": percent for key in TARGET_KEYS}
    row |= {f"{key}_status": status for key in TARGET_KEYS}
    row["vitamin_b6_mg_status"] = "within_ul"
    row |= {f"{key}_unknown_items": n for key, n in unknown.items()}
    row["unknown_share"] = round(max(unknown.values()) / items, 3)
    return row


def test_a_client_with_many_unknown_amounts_is_told_which_nutrient_may_read_low():
    rows = [summary("ann", status="below", percent=70.0,
                    unknown={"magnesium_mg": 12, "vitamin_b6_mg": 12, "calcium_mg": 3}),
            summary("bob", status="below", percent=80.0, unknown={"calcium_mg": 4})]
    overview = caseload(rows, [])
    reasons = {a["client"]: a["reasons"] for a in overview["attention"]}
    assert reasons["ann"][-1] == ("30% of items with no known Magnesium or Vitamin B6 amount, "
                                  "so totals may read low")
    assert not any("may read low" in r for r in reasons["bob"])  # 10%: under the threshold


def test_unknown_amounts_only_add_so_a_client_meeting_every_target_stays_on_track():
    overview = caseload([summary("cy", unknown={"vitamin_d_ug": 30})], [])
    assert overview["attention"] == [] and overview["on_track"] == ["cy"]


def test_caffeine_or_alcohol_over_the_limit_is_worth_a_dietitians_attention():
    drinks = ("Alcohol: 2.9 drinks a day on average (7 of 7 days), above the limit of 1 "
              "drink; over 1 drink on 6 of 7 days.")
    coffee = ("Caffeine: 210 mg a day on average (7 of 7 days), within the limit of 400 mg on "
              "average; over 400 mg on 1 of 7 days.")
    rows = [summary("ann") | {"alcohol_g_status": "over", "trigger_reasons": [drinks]},
            summary("bob") | {"caffeine_mg_status": "over_some_days",
                              "trigger_reasons": [coffee]},
            summary("cy", status="well_below", percent=30.0), summary("dee")]
    overview = caseload(rows, [])
    assert [a["client"] for a in overview["attention"]] == ["ann", "cy", "bob"]
    reasons = {a["client"]: a["reasons"] for a in overview["attention"]}
    assert reasons["ann"] == [drinks] and reasons["bob"] == [coffee]
    assert overview["on_track"] == ["dee"]


def test_a_client_just_under_target_is_not_shown_at_100_percent():
    overview = caseload([summary("dee", status="below", percent=99.5)], [])
    (attention,) = overview["attention"]
    assert "Magnesium at 99.5% of target" in attention["reasons"]
    assert not any("100%" in r for r in attention["reasons"])


@pytest.mark.parametrize("not_read", [[], ["notes.txt"]])
def test_failures_and_files_not_read_are_in_the_overview(not_read):
    failures = [Failure("zoe", "logs/zoe.csv", "no log found: expected logs/zoe.csv (or .tsv)")]
    overview = caseload([summary("ann")], failures, not_read)
    assert overview["failed"] == 1 and overview["failures"][0]["client"] == "zoe"
    assert overview["not_read"] == not_read


def bad_log_message() -> str:
    """What the meal-log reader says about a log with three bad rows, as errors.csv holds it."""
    import io

    from nutrigap.analyzer.errors import NutrigapError
    from nutrigap.analyzer.logs.meal_log import read_meal_log

    log = ("date,meal,food,amount,unit\n2024-05-06,lunch,sardines,a handful,\n"
           "2024-05-06,lunch,rice,,\n2024-05-06,dinner,milk,-1,cup\n")
    with pytest.raises(NutrigapError) as caught:
        read_meal_log(io.BytesIO(log.encode()))
    return str(caught.value)


def overview_with_problems() -> dict:
    rows = [summary("ann", status="below", percent=70.0,
                    unknown={"magnesium_mg": 12, "calcium_mg": 12}),
            summary("Frank Smith", status="well_below", percent=30.0)]
    failures = [Failure("dee", "logs/dee.csv", bad_log_message()),
                Failure("zoe", "logs/zoe.csv", "no log found: expected logs/zoe.csv (or .tsv); "
                        "add the client's log, or remove row 4 from clients.csv")]
    return caseload(rows, failures, ["notes.txt"])


def test_each_problem_and_each_reason_is_a_line_of_its_own_in_the_page():
    from report_samples import parse_html

    from nutrigap.reports.caseload import to_html

    overview = overview_with_problems()
    doc = parse_html(to_html(overview))
    failures = doc.one("table", id="failure-list").select("tr")[1:]
    message = bad_log_message().splitlines()
    assert len(message) == 3
    lines = [line.text() for line in failures[0].one("td", cls="problems").select(cls="line")]
    assert lines == [" ".join(m.split()) for m in message]
    assert failures[1].one("td", cls="problems").text().startswith("no log found: expected")
    attention = doc.one("table", id="attention-list")
    for row, entry in zip(attention.select("tr")[1:], overview["attention"], strict=True):
        shown = [line.text() for line in row.one("td", cls="reasons").select(cls="line")]
        assert shown == entry["reasons"]
    # the short columns have set widths, so the rest of the line is the "Why" column's
    heads = attention.select("th")
    assert [h.text() for h in heads] == ["#", "Client", "Days logged", "Why"]
    assert all(any(c.startswith("w-") for c in h.classes) for h in heads[:3])
    assert not any(c.startswith("w-") for c in heads[3].classes)
    assert "notes.txt" in doc.one("section", id="not-read").text()


def test_in_the_pdf_a_problem_never_runs_on_into_the_next(tmp_path):
    from report_samples import pdf_text

    from nutrigap.reports.caseload import to_pdf

    text = pdf_text(to_pdf(overview_with_problems()), tmp_path, layout=True)
    first, second, third = (line.split(",")[0] for line in bad_log_message().splitlines())
    starts = [line.split("  ")[-1].strip() for line in text.splitlines()]
    for row in (first, second, third):  # "row 2", "row 3", "row 4" each begin a line
        assert any(s.startswith(row + ",") for s in starts), row
    assert not any(second in line and first in line for line in text.splitlines())
