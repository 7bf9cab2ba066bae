"""Daily totals, the average against each target, upper-limit warnings and top contributors.

Amounts are sums of what is known. When an item's amount is unknown the day is flagged
incomplete and its total is a lower bound; a day with no known amount at all is NaN.
Averages are taken over the logged days (a day without items is not a zero day). A day on
which no food could be counted (every food item unmatched or unweighed, or only supplements
logged) is left out of the averages and days-met counts like an unlogged day: counting it
would read as a day of eating nothing. Its supplements still count towards upper limits.

A nutrient is above its upper limit (status `above_ul`) when the intake the limit applies to
(supplements only for magnesium, food plus supplements for calcium, vitamin D and B6) goes over
it on any logged day. Upper limits are set for usual intake, but one day over from a supplement
is already worth raising, so every such day is listed by `upper_limit_warnings`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nutrigap.analyzer import statuses as st
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS
from nutrigap.analyzer.scoring.intake import CAUSES, cause_codes
from nutrigap.analyzer.scoring.targets import SCORED_KEYS

SCORE_COLUMNS = ["name", "unit", "target", "target_kind", "ul", "ul_applies_to", "overridden",
                 "average", "average_food", "average_supplement", "pct_of_target", "days_met",
                 "days_logged", "days_above_ul", "max_ul_intake", "unknown_items", "incomplete",
                 "known_status", "status", "incomplete_reason"]
CONTRIBUTOR_COLUMNS = ["nutrient", "rank", "food", "kind", "amount", "share_pct", "items"]
WARNING_COLUMNS = ["nutrient", "name", "unit", "ul", "ul_applies_to", "source", "days", "dates",
                   "max_amount", "max_supplement", "message"]
_CAUSE_WORDS = {"unmatched": "not matched to a food", "unconverted": "amount not in grams",
                "no value": "food without a value", "not logged": "supplement without a value"}
_CAUSE_CODES = {cause: CAUSES.index(cause) for cause in _CAUSE_WORDS}


def daily_totals(intake: pd.DataFrame) -> pd.DataFrame:
    """One row per logged date: per nutrient the total, `_food` and `_supplement` amounts,
    `_unknown` (items with an unknown amount) and `_incomplete`; plus item counts,
    `counted_food_items` (food items with any known amount) and `left_out` (no food counted,
    so the day stays out of the averages)."""
    values = intake[NUTRIENT_KEYS].to_numpy(dtype=float)
    is_supp = intake["kind"].eq("supplement").to_numpy()
    day, dates = pd.factorize(pd.DatetimeIndex(intake["date"]), sort=True)
    n = len(dates)

    def per_day(weights: np.ndarray) -> np.ndarray:
        return np.bincount(day, weights=weights, minlength=n)

    unknown = np.isnan(values)
    known = np.where(unknown, 0.0, values)
    food_items, supp_items = per_day(~is_supp * 1.0), per_day(is_supp * 1.0)
    counted = per_day((~is_supp & ~unknown.all(axis=1)) * 1.0).astype(np.int64)
    columns: dict[str, np.ndarray] = {"items": (food_items + supp_items).astype(np.int64),
                                      "food_items": food_items.astype(np.int64),
                                      "supplement_items": supp_items.astype(np.int64),
                                      "counted_food_items": counted, "left_out": counted == 0}
    for j, key in enumerate(NUTRIENT_KEYS):
        parts = {}
        for kind, rows, count in (("food", ~is_supp, food_items), ("supplement", is_supp,
                                                                   supp_items)):
            total = per_day(np.where(rows, known[:, j], 0.0))
            n_known = per_day(rows & ~unknown[:, j])
            # no items of this kind that day is a true zero; items all unknown is NaN
            parts[kind] = np.where((count > 0) & (n_known == 0), np.nan, total)
        n_unknown = per_day(unknown[:, j] * 1.0).astype(np.int64)
        all_known = per_day(~unknown[:, j] * 1.0)
        columns[key] = np.where(all_known == 0, np.nan, np.nansum([parts["food"],
                                                                   parts["supplement"]], axis=0))
        columns[f"{key}_food"] = parts["food"]
        columns[f"{key}_supplement"] = parts["supplement"]
        columns[f"{key}_unknown"] = n_unknown
        columns[f"{key}_incomplete"] = n_unknown > 0
    return pd.DataFrame(columns, index=pd.DatetimeIndex(dates, name="date"))


def score(daily: pd.DataFrame, targets: pd.DataFrame,
          intake: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per nutrient in `targets`: average per logged day, % of target, days met,
    upper-limit days, and a status; `intake` (optional) names the items behind missing data.

    Days left out (see `counted_days`) do not enter the averages or days met; upper-limit days
    count every logged day."""
    keys = list(targets.index)
    relevant = _ul_intake(daily, targets).to_numpy(dtype=float)
    daily = counted_days(daily)
    if intake is not None:
        intake = counted_intake(intake, daily)
    n_days = len(daily)
    totals = daily[keys].to_numpy(dtype=float)
    target = targets["target"].to_numpy(dtype=float)
    ul = targets["ul"].to_numpy(dtype=float)
    unknown = daily[[f"{k}_unknown" for k in keys]].to_numpy().sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        # known amounts over logged days: a floor when some amounts are unknown
        average = np.nansum(totals, axis=0) / n_days
        pct = average / target * 100.0
        highest = np.nanmax(relevant, axis=0, initial=-np.inf)
        max_ul = np.where(np.isnan(ul) | np.isneginf(highest), np.nan, highest)
    parts = {kind: daily[[f"{k}_{kind}" for k in keys]].to_numpy(dtype=float)
             for kind in ("food", "supplement")}
    above = (relevant > ul).sum(axis=0)
    known_status = np.select(
        [np.full(len(keys), n_days == 0), np.isnan(target), pct < st.BELOW_FROM,
         pct < st.MEETS_FROM],
        [st.NO_DATA, st.WITHIN_UL, st.WELL_BELOW, st.BELOW], st.MEETS)
    # missing amounts can only add, so they can lift a shortfall but never undo "meets"
    could_lift = (unknown > 0) & np.isin(known_status, st.SHORT)
    out = pd.DataFrame(dict(
        **{c: targets[c].to_numpy() for c in ("name", "unit", "target", "target_kind", "ul",
                                              "ul_applies_to", "overridden")},
        average=average,
        average_food=np.nansum(parts["food"], axis=0) / max(n_days, 1),
        average_supplement=np.nansum(parts["supplement"], axis=0) / max(n_days, 1),
        pct_of_target=pct,
        # a nutrient without a target (B6) has no "days met", rather than 0 of them
        days_met=pd.array(np.where(np.isnan(target), np.nan, (totals >= target).sum(axis=0)),
                          dtype="Int64"),
        days_logged=n_days, days_above_ul=above, max_ul_intake=max_ul,
        unknown_items=unknown, incomplete=unknown > 0, known_status=known_status,
        status=np.select([above > 0, could_lift], [st.ABOVE_UL, st.INCOMPLETE],
                         known_status)), index=targets.index)
    if n_days == 0:
        out[["average_food", "average_supplement"]] = np.nan
    out["incomplete_reason"] = _incomplete_reasons(out, intake)
    return out[SCORE_COLUMNS]


def counted_days(daily: pd.DataFrame) -> pd.DataFrame:
    """The days that enter the averages: those on which some food could be counted."""
    if "left_out" not in daily.columns:
        return daily
    return daily[~daily["left_out"].to_numpy(dtype=bool)]


def left_out_days(daily: pd.DataFrame) -> pd.DataFrame:
    """The days kept out of the averages because no food on them could be counted."""
    if "left_out" not in daily.columns:
        return daily.iloc[:0]
    return daily[daily["left_out"].to_numpy(dtype=bool)]


def counted_intake(intake: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """The items of the days that enter the averages (`daily` from `daily_totals`)."""
    kept = counted_days(daily)
    if len(kept) == len(daily):
        return intake
    return intake[pd.DatetimeIndex(intake["date"]).isin(kept.index)]


def upper_limit_warnings(daily: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """One row per nutrient whose upper limit was exceeded on some day: the days, the highest
    amount, where it came from and a sentence for the report."""
    relevant = _ul_intake(daily, targets)
    rows = []
    for key in targets.index:
        t = targets.loc[key]
        over = relevant[key] > t["ul"]
        if not over.any():
            continue
        days = daily.index[over.to_numpy()]
        supplements = daily.loc[over.to_numpy(), f"{key}_supplement"]
        if t["ul_applies_to"] == "supplements" or (supplements > t["ul"]).all():
            source = "supplements"
        else:
            source = "food and supplements" if (supplements > 0).any() else "food"
        amounts = relevant.loc[over, key]
        top, top_supp = amounts.max(), supplements.max()
        dates = [d.strftime("%Y-%m-%d") for d in days]
        shown = ", ".join(dates[:5]) + (f" and {len(dates) - 5} more" if len(dates) > 5 else "")
        when = f"{_amount(amounts)} {t['unit']} on {len(dates)} day{'s' * (len(dates) > 1)}"
        limit = f"above the {_fmt(t['ul'])} {t['unit']} upper limit"
        if t["ul_applies_to"] == "supplements":
            message = f"{t['name']} from supplements: {when} ({shown}), {limit} for supplements"
        else:
            message = f"{t['name']} from food and supplements: {when} ({shown}), {limit}"
            if top_supp > 0:
                message += f"; supplements gave {_amount(supplements)} {t['unit']} of it"
        rows.append((key, t["name"], t["unit"], t["ul"], t["ul_applies_to"], source,
                     len(dates), dates, top, top_supp, message))
    return pd.DataFrame(rows, columns=WARNING_COLUMNS)


def top_contributors(intake: pd.DataFrame, n: int = 5,
                     nutrients: list[str] | None = None) -> pd.DataFrame:
    """Per nutrient, the `n` foods and supplements that gave the most over the period, with
    their amount and share (%) of the period's known total. A food is named by its matched
    food, except where the log gave the values itself (a Cronometer export): then by the name
    as logged, which is what the values belong to."""
    keys = SCORED_KEYS if nutrients is None else nutrients
    as_logged = intake["food_name"].isna()
    if "value_source" in intake.columns:
        as_logged |= intake["value_source"].eq("logged")
    label = intake["food_name"].astype(object).where(~as_logged, intake["food"])
    is_supp = intake["kind"].eq("supplement").to_numpy()
    # one group per (name, food or supplement), summed with bincount: no per-row Python
    codes, names = pd.factorize(label.astype(str).to_numpy())
    group = codes * 2 + is_supp
    size = 2 * len(names)
    values = intake[keys].to_numpy(dtype=float)
    known = ~np.isnan(values)
    pieces = []
    for j, key in enumerate(keys):
        sums = np.bincount(group, weights=np.where(known[:, j], values[:, j], 0.0),
                           minlength=size)
        counts = np.bincount(group, weights=known[:, j], minlength=size)
        order = np.lexsort((np.arange(size), -sums))  # largest first; ties in log order
        top = order[sums[order] > 0][:n]
        total = sums.sum()
        pieces.append(pd.DataFrame({
            "nutrient": key, "rank": np.arange(1, len(top) + 1), "food": names[top // 2],
            "kind": np.where(top % 2 == 1, "supplement", "food"), "amount": sums[top],
            "share_pct": sums[top] / total * 100.0 if total > 0 else np.nan,
            "items": counts[top].astype(int)}))
    if not pieces:
        return pd.DataFrame(columns=CONTRIBUTOR_COLUMNS)
    return pd.concat(pieces, ignore_index=True)[CONTRIBUTOR_COLUMNS]


def notes(daily: pd.DataFrame) -> list[str]:
    """Short cautions about the log as a whole (e.g. too few days to judge usual intake),
    counting the days that enter the averages."""
    n = len(counted_days(daily))
    if n == 0 and len(daily):
        return ["No logged day has a food that could be counted, so there is nothing to compare "
                "with the targets; see the items not counted."]
    if n == 0:
        return ["No days are logged, so there is nothing to compare with the targets."]
    if n < 3:
        days = "1 day is" if n == 1 else f"{n} days are"
        done = "counted" if n < len(daily) else "logged"
        return [f"Only {days} {done}. A day or two says little about usual intake; three or "
                "more days, including a weekend day, give a fairer picture."]
    return []


def _ul_intake(daily: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Per day, the intake each upper limit is about: supplements only or food + supplements."""
    cols = {k: (f"{k}_supplement" if targets.at[k, "ul_applies_to"] == "supplements" else k)
            for k in targets.index}
    frame = daily[list(cols.values())].copy()
    frame.columns = list(cols)
    return frame


def _incomplete_reasons(out: pd.DataFrame, intake: pd.DataFrame | None) -> list[str]:
    if intake is not None and out["incomplete"].any():
        causes = cause_codes(intake)
        food_name = intake["food_name"].to_numpy(dtype=object)
        labels = np.where(pd.isna(food_name), intake["food"].to_numpy(dtype=object),
                          food_name)
    reasons = []
    for key, row in out.iterrows():
        if not row["incomplete"]:
            reasons.append("")
            continue
        count = int(row["unknown_items"])
        head = (f"{count} item{'s' if count != 1 else ''} with no known {row['name']} amount; "
                "the figures count only what is known")
        if intake is None:
            reasons.append(head)
            continue
        unknown = np.flatnonzero(np.isnan(intake[key].to_numpy(dtype=float)))
        parts = []
        for cause, words in _CAUSE_WORDS.items():
            at = unknown[causes[unknown] == _CAUSE_CODES[cause]]
            if not len(at):
                continue
            distinct = [str(name) for name in pd.unique(labels[at])]
            shown = ", ".join(distinct[:3]) + (f" and {len(distinct) - 3} more"
                                               if len(distinct) > 3 else "")
            parts.append(f"{len(at)} {words} ({shown})")
        reasons.append(f"{head}: " + "; ".join(parts) if parts else head)
    return reasons


def _amount(values: pd.Series) -> str:
    """'400' when every day had the same amount, else 'up to 451'."""
    top = values.max()
    return _fmt(top) if values.min() == top else f"up to {_fmt(top)}"


def _fmt(x: float) -> str:
    """100 -> '100', 2.45 -> '2.45', 1234.4 -> '1,234'."""
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.2f}".rstrip("0").rstrip(".")
