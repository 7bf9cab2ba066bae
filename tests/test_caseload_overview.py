"""The caseload overview (batch.summary.caseload) and its HTML/PDF page."""

from __future__ import annotations

import pytest

from batch.inputs import Failure
from batch.summary import SCORED_KEYS, TARGET_KEYS, caseload


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


@pytest.mark.parametrize("not_read", [[], ["notes.txt"]])
def test_failures_and_files_not_read_are_in_the_overview(not_read):
    failures = [Failure("zoe", "logs/zoe.csv", "no log found: expected logs/zoe.csv (or .tsv)")]
    overview = caseload([summary("ann")], failures, not_read)
    assert overview["failed"] == 1 and overview["failures"][0]["client"] == "zoe"
    assert overview["not_read"] == not_read
