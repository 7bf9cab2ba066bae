"""Geometry for the average-versus-target bars; the SVG itself is drawn by a Jinja macro."""

from __future__ import annotations

import math

# Room to the right of the furthest mark so the target line never sits on the edge.
_HEADROOM = 1.12
# An upper limit this many times beyond the rest of the scale is written, not drawn:
# drawing vitamin D's 100 µg next to a 15 µg target would squash the bar to a sliver.
_UL_DRAW_FACTOR = 3.0


def _known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def bar_geometry(average, supplements, target, ul, ul_applies_to: str = "total") -> dict:
    """Positions (0-100, % of the bar's width) of one nutrient's bar, target line and upper limit.

    The supplement part is drawn first from zero. An upper limit that counts supplements only
    (magnesium's) is drawn against the supplement part alone, on a track of its own under the
    bar (`ul_on_supplements`), not across the total, which it says nothing about.
    """
    average = float(average) if _known(average) else 0.0
    supplements = min(float(supplements), average) if _known(supplements) else 0.0
    reach = max(average, float(target) if _known(target) else 0.0)
    # With no target (vitamin B6) the upper limit is the only yardstick, so it is always drawn.
    ul_on_scale = _known(ul) and (reach == 0 or not _known(target)
                                  or float(ul) <= reach * _UL_DRAW_FACTOR)
    if ul_on_scale:
        reach = max(reach, float(ul))
    if reach <= 0:
        reach = float(ul) if _known(ul) else 1.0
    scale = reach * _HEADROOM

    def pos(value: float) -> float:
        return round(100.0 * value / scale, 2)

    return {
        "scale": scale,
        "supplement_width": pos(supplements),
        "food_x": pos(supplements),
        "food_width": pos(average - supplements),
        "end": pos(average),
        "target_x": pos(float(target)) if _known(target) else None,
        "ul_x": pos(float(ul)) if ul_on_scale else None,
        "ul_off_scale": _known(ul) and not ul_on_scale,
        "ul_on_supplements": ul_applies_to == "supplements" and _known(ul),
    }


def label_anchor(x: float, half_width: float = 25.0) -> str:
    """SVG text-anchor for a label at `x` (0-100 % of the bar): centred on its mark, but
    starting at the mark near the left edge and ending at it near the right edge, so a
    target close to either end is not cut off ('et 2.4'). `half_width` is about half the
    label's width, in % of the bar."""
    if x < half_width:
        return "start"
    if x > 100 - half_width:
        return "end"
    return "middle"


#: a log of up to this many counted days gets a mark per day on its cards; a longer one the
#: share of its days met, which fits a card whatever the log's length
DAY_MARKS = 31


def day_strip(days: list[dict], key: str, target) -> dict:
    """What a card shows of its days: `marks` (one per counted day) for a short log, else the
    share of days `met`, `missed` and `unknown` (in % of the counted days, `shares`)."""
    marks = day_marks(days, key, target)
    counts = {m: marks.count(m) for m in ("met", "missed", "unknown")}
    total = max(len(marks), 1)
    return {"per_day": len(marks) <= DAY_MARKS, "marks": marks, **counts,
            "shares": {m: round(100.0 * n / total, 2) for m, n in counts.items()}}


def day_marks(days: list[dict], key: str, target) -> list[str]:
    """One mark per counted day: 'met', 'missed' or 'unknown' (no value that day); a day left
    out of the averages gets none."""
    marks = []
    for day in days:
        if day.get("left_out"):
            continue
        value = day.get(key)
        if not _known(value) or not _known(target):
            marks.append("unknown")
        else:
            marks.append("met" if value >= target else "missed")
    return marks
