"""What public guidance says about a nutrient that food cannot supply within realistic amounts.

Each point of `data/unmet_guidance.csv` is told in our words with the key of its source in
`data/report_sources.csv`, and may hold for an age band only. It is general guidance, for a
conversation with a doctor or dietitian; nutrigap never turns it into a dose for the person.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import pandas as pd

from nutrigap.analyzer.rule_tables import rule_table

NOTE = ("This is general public guidance, to talk over with a doctor or dietitian; it is not a "
        "dose for you, and this report does not suggest one.")


@functools.cache
def guidance_table() -> pd.DataFrame:
    """nutrient, from_age, below_age (blank: any age), text, source."""
    return rule_table("unmet_guidance.csv")


def guidance_for(nutrients: Iterable[str], age: float | None = None) -> list[dict]:
    """One entry per nutrient that has guidance: {nutrient, points: [{text, source}], note}."""
    table = guidance_table()
    out = []
    for nutrient in nutrients:
        rows = table[table["nutrient"].eq(nutrient)]
        if age is not None:
            low = rows["from_age"].fillna(-1.0)
            high = rows["below_age"].fillna(float("inf"))
            rows = rows[(low <= age) & (age < high)]
        if rows.empty:
            continue
        out.append({"nutrient": nutrient,
                    "points": [{"text": r.text, "source": r.source}
                               for r in rows.itertuples(index=False)],
                    "note": NOTE})
    return out
