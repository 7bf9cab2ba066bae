"""The fixed words of the report: what each nutrient does, methods, sources and the disclaimer.

Facts about the nutrients live in data/nutrient_info.csv and the food-data sources in
data/report_sources.csv; the DRI reports come with the targets themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet

import pandas as pd

from nutrigap.analyzer.rule_tables import rule_table

DISCLAIMER = {
    "short": "This report is information about a food log, not a diagnosis or medical advice.",
    "text": (
        "This report compares what was written in a food log with published reference "
        "amounts for healthy people. It cannot tell whether your body is short of a nutrient: "
        "only a health professional, usually with a blood test, can. Twitching and cramps have "
        "many causes besides diet, such as stress, tiredness, caffeine, hard exercise and some "
        "medicines, and most twitches are harmless. Talk to a doctor or pharmacist before "
        "starting or changing a supplement."),
    "see_a_professional": [
        "the twitching goes on for weeks, keeps coming back or is spreading;",
        "it comes with muscle weakness, numbness, tingling, wasting of a muscle, or trouble "
        "swallowing, speaking or keeping your balance;",
        "you have palpitations, an irregular heartbeat or fainting;",
        "you take high-dose vitamin B6, magnesium or vitamin D supplements, or any medicine "
        "that affects salts in the blood, such as water tablets (diuretics);",
        "you are pregnant, breastfeeding, or have kidney, bowel or heart disease.",
    ],
}


def nutrient_info() -> dict[str, dict[str, str]]:
    """What each nutrient does, signs of low intake, good sources and any excess warning."""
    table = rule_table("nutrient_info.csv")
    return {row["key"]: {c: row[c] for c in ("does", "low_intake", "good_sources", "excess")}
            for _, row in table.iterrows()}


# Food data beyond the SR28 foods every report uses, by the food table's `source`.
EXTRA_FOOD_DATA = {"fndds": "FNDDS 2017-2018", "fdc": "FoodData Central",
                   "fdc_branded": "FoodData Central Branded Foods (package labels)"}


def methods(info, matches: pd.DataFrame, targets: pd.DataFrame,
            food_sources: AbstractSet[str]) -> list:
    """How the numbers were made, in sentences that name what this log and table held."""
    counts = matches["method"].value_counts()
    how = ", ".join(f"{int(counts[m])} {word}" for m, word in
                    [("correction", "from your corrections"), ("exact", "by exact name"),
                     ("alias", "by a common name"), ("fuzzy", "by closest spelling"),
                     ("unmatched", "not matched")] if counts.get(m))
    extra = [name for source, name in EXTRA_FOOD_DATA.items() if source in food_sources]
    foods = " and ".join(["USDA SR28", *extra])
    lines = [
        f"The log was read as {info.title}: {info.rows_read} rows, {info.rows_skipped} with "
        "amount 0 left out.",
        f"Each distinct food name was matched to a food in {foods} data ({how or 'none'}); "
        "the table “How each food name was matched” lists every choice.",
        "Household amounts (cups, slices, medium) were weighed with the USDA portion weights of "
        "the matched food; water density is never assumed for a solid food.",
        "Nutrients are the grams eaten times the food's values per 100 g; a value the food "
        "data lacks is left unknown and flagged, never counted as zero.",
        "Daily totals add food and supplements; averages are over the days that have entries, "
        "so a day with nothing logged does not count as a zero day.",
        f"Targets are the Dietary Reference Intakes for {targets['group'].iloc[0]}: RDA where "
        "one exists, otherwise an Adequate Intake (AI). Upper limits count food and "
        "supplements, except magnesium's, which counts supplements only.",
        "Suggested foods are everyday foods (eaten by at least 3 of 498 adults in the US "
        "national survey NHANES 2015-2016, or in the built-in table), your own foods first, "
        "ranked by how much of a gap one ordinary serving fills; the plan is the smallest set "
        "of added servings (found by integer programming) that reaches every target without "
        "passing an upper limit or the most of each kind of food a person would add in a "
        f"day. Neither counts on calcium from {_join(oxalate_foods())}, whose oxalate keeps "
        "most of it from being absorbed.",
    ]
    if targets["overridden"].any():
        names = ", ".join(targets.loc[targets["overridden"], "name"])
        lines.append(f"Targets set by the dietitian instead of the DRI: {names}.")
    if info.format.startswith("cronometer"):
        lines.append("Where the Cronometer export gave a nutrient value for a row, that value "
                     "was used as exported; only blank cells were filled from the food data.")
    return lines


def oxalate_foods() -> list[str]:
    """The foods whose calcium suggestions do not count (data/poorly_absorbed.csv)."""
    table = rule_table("poorly_absorbed.csv")
    return list(dict.fromkeys(table.loc[table["nutrient"].eq("calcium_mg"), "pattern"]))


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def source_titles() -> dict[str, str]:
    """Source key -> its full title, from data/report_sources.csv."""
    table = rule_table("report_sources.csv")
    return dict(zip(table["key"], table["title"], strict=True))


def sources(targets: pd.DataFrame, info, food_sources: AbstractSet[str],
            used: Iterable[str] = ()) -> list[dict]:
    """The DRI reports behind the targets, the food data used, and the rules and guidance
    (keys in `used`) that shaped the suggestions and plan, with what each gave."""
    out = [{"title": f"{s}.", "used_for": "Targets and upper limits: " + ", ".join(
        targets.loc[targets["source"] == s, "name"]) + "."}
        for s in dict.fromkeys(targets["source"])]
    applies = {"always"} | set(food_sources)  # a food source cites itself: fdc, fndds
    if info.format.startswith("cronometer"):
        applies.add("cronometer")
    used = set(used)
    for _, row in rule_table("report_sources.csv").iterrows():
        if row["applies"] in applies or (row["applies"] == "used" and row["key"] in used):
            out.append({"title": row["title"], "used_for": row["used_for"]})
    return _one_per_title(out)


def _one_per_title(cited: list[dict]) -> list[dict]:
    """A work cited for several things is listed once, with all of them (the sodium and
    potassium DRIs give potassium's target and sodium's CDRR)."""
    merged: dict[str, dict] = {}
    for source in cited:
        if source["title"] in merged:
            merged[source["title"]]["used_for"] += " " + source["used_for"]
        else:
            merged[source["title"]] = dict(source)
    return list(merged.values())
