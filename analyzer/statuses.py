"""The statuses a nutrient can have, and the bands of % of target that set them.

One spelling per status, used by the scoring, the report dictionary, the renderers and the
caseload summary; each status's words for a reader are here too.
"""

from __future__ import annotations

WELL_BELOW = "well_below"
BELOW = "below"
MEETS = "meets"
ABOVE_UL = "above_ul"
INCOMPLETE = "incomplete"  # unknown amounts could lift a shortfall over the line
WITHIN_UL = "within_ul"  # no target (vitamin B6), and no day over the upper limit
NO_DATA = "no_data"

#: every status, with how the report reads it
LABELS = {
    WELL_BELOW: "Well below target",
    BELOW: "Below target",
    MEETS: "Meets target",
    ABOVE_UL: "Above upper limit",
    INCOMPLETE: "Incomplete data",
    WITHIN_UL: "Within upper limit",
    NO_DATA: "No data",
}
STATUSES = tuple(LABELS)
#: the statuses of an average short of its target
SHORT = (WELL_BELOW, BELOW)
#: where the bands start, in % of target: well below < 50 <= below < 100 <= meets
BELOW_FROM = 50.0
MEETS_FROM = 100.0
BANDS = (BELOW_FROM, MEETS_FROM)


def band(percent_of_target: float) -> str:
    """The band a % of target falls in: well below, below or meets."""
    if percent_of_target >= MEETS_FROM:
        return MEETS
    return BELOW if percent_of_target >= BELOW_FROM else WELL_BELOW
