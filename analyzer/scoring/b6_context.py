"""A plain note when vitamin B6 is under the US upper limit but above the lower one the
European Food Safety Authority set in 2023 (12 mg a day for adults; lower for children, in
`data/dri_b6_efsa.csv`).

The status stays as the DRI gives it; the note only says that other authorities draw the line
lower, because the reason to watch B6 here is nerve symptoms.
"""

from __future__ import annotations

import math

import pandas as pd

from nutrigap.analyzer.rule_tables import rule_table
from nutrigap.analyzer.statuses import ABOVE_UL

_KEY = "vitamin_b6_mg"


def efsa_b6_level(age: float) -> tuple[float, str]:
    """EFSA's 2023 upper level of vitamin B6 (mg a day) for this age and who it is for."""
    table = rule_table("dri_b6_efsa.csv")
    below = table["age_below"].fillna(math.inf)
    row = table[(table["age_min"] <= age) & (age < below)]
    if row.empty:  # under 1 year: EFSA set no level
        return math.nan, ""
    return float(row["ul_mg"].iloc[0]), str(row["who"].iloc[0])


def b6_notes(status: pd.DataFrame, daily: pd.DataFrame, age: float) -> list[dict]:
    """One informational note when the average B6, or a day's supplement B6, is above EFSA's
    level but the DRI status is not already above the upper limit."""
    if _KEY not in status.index or status.at[_KEY, "status"] == ABOVE_UL:
        return []
    level, who = efsa_b6_level(age)
    s = status.loc[_KEY]
    # every logged day: a supplement taken on a day left out of the averages was still taken
    supplement = daily[f"{_KEY}_supplement"].fillna(0.0)
    days_over = int((supplement > level).sum())
    average = float(s["average"]) if pd.notna(s["average"]) else 0.0
    if math.isnan(level) or (average <= level and days_over == 0):
        return []
    if average > level:
        lead = f"Vitamin B6 averaged {_mg(average)} mg a day"
        if pd.notna(s["average_supplement"]) and s["average_supplement"] > 0:
            lead += f", {_mg(s['average_supplement'])} mg of it from supplements"
    else:
        lead = (f"Supplements gave more than {_mg(level)} mg of vitamin B6 on {days_over} of "
                f"{len(daily)} days (up to {_mg(supplement.max())} mg)")
    ul = f" of {_mg(s['ul'])} mg" if pd.notna(s["ul"]) else ""
    return [{
        "kind": "b6_lower_limit", "nutrients": [_KEY], "foods": [], "dates": [],
        "summary": f"{lead}: within the US upper limit, but above the {_mg(level)} mg a day "
                   "set in Europe (see “Notes on the data”).",
        "message": f"{lead}. That is within the US upper limit{ul}, but above {_mg(level)} mg "
                   "a day, the upper level the European Food Safety Authority set in 2023 for "
                   f"{who}. Some authorities draw the line lower than the US does, and nerve "
                   "symptoms such as tingling or numbness have been reported at doses below "
                   "the US limit. The status stays “within upper limit”; if a supplement "
                   "gives this much every day, it is worth mentioning to a doctor or "
                   "pharmacist."}]


def _mg(value: float) -> str:
    value = float(value)
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}".removesuffix(".0")
