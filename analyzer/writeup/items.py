"""The report's item-level sections: every item with its weight and where its values came
from, the same grouped by name, the questioned items, the supplements not scored, and how the
items were counted.

One source for every statement about items: a name is "not matched" in the match table, the
items table and the counting summary alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nutrigap.analyzer.nutrients import NUTRIENT_KEYS
from nutrigap.analyzer.scoring.targets import SCORED_KEYS
from nutrigap.analyzer.writeup.numbers import num, text

#: where an item's values came from (an item's `values_from`), in words for the report
VALUE_WORDS = {
    "log": "the log's own values",
    "log_and_table": "the log's own values, blanks filled from the food table",
    "table": "the food table, at the weight shown",
    "supplement": "the supplement as logged",
    "none": "none: not counted",
}


def values_from(intake: pd.DataFrame) -> np.ndarray:
    """Per item, where its values came from: one of VALUE_WORDS' keys."""
    source = intake["value_source"].to_numpy(dtype=object)
    filled = intake["filled"].map(bool).to_numpy() if "filled" in intake else np.zeros(
        len(intake), dtype=bool)
    return np.select(
        [source == "supplement", (source == "logged") & filled, source == "logged",
         source == "matched"],
        ["supplement", "log_and_table", "log", "table"], "none").astype(object)


def items_list(intake: pd.DataFrame, matches: pd.DataFrame) -> list[dict]:
    """Every item: row, date, meal, food as logged, amount, grams and the portion that weighed
    it, the food it was counted as, how that name was matched, where its values came from
    (which were filled from the food table), why a value is unknown, and its amounts."""
    method = matches.drop_duplicates("name").set_index("name")["method"]
    values = values_from(intake)
    columns = {c: intake[c].tolist() for c in ("row", "meal", "food", "kind", "amount_text",
                                               "grams", "food_id", "food_name")}
    dates = pd.DatetimeIndex(intake["date"]).strftime("%Y-%m-%d").tolist()
    portion = _column(intake, "portion_used")
    notes = _notes(intake)
    filled = intake["filled"].tolist() if "filled" in intake else [()] * len(intake)
    amounts = intake[NUTRIENT_KEYS].to_numpy(dtype=float)
    methods = intake["food"].map(method).tolist()
    out = []
    for i in range(len(intake)):
        supplement = columns["kind"][i] == "supplement"
        out.append({
            "row": int(columns["row"][i]), "date": dates[i], "meal": text(columns["meal"][i]),
            "food": str(columns["food"][i]), "kind": columns["kind"][i],
            "amount": text(columns["amount_text"][i]), "grams": num(columns["grams"][i], 1),
            "portion": portion[i], "food_id": None if supplement else
            (text(columns["food_id"][i]) or None),
            "matched_to": None if supplement else (text(columns["food_name"][i]) or None),
            "match": None if supplement else text(methods[i]) or None,
            "values_from": values[i], "filled": list(filled[i]), "note": notes[i],
            "amounts": {k: num(v) for k, v in zip(NUTRIENT_KEYS, amounts[i], strict=True)}})
    return out


def _column(intake: pd.DataFrame, name: str) -> list[str]:
    if name not in intake:
        return [""] * len(intake)
    return intake[name].fillna("").astype(str).tolist()


def _notes(intake: pd.DataFrame) -> list[str]:
    """Why an item's values are unknown or were not filled: '' when nothing needs saying."""
    refused = _column(intake, "not_filled")
    problem = _column(intake, "conversion_problem")
    source = intake["value_source"].tolist()
    # a row whose log gives every value needs no word on why it was not weighed
    blanks = intake[NUTRIENT_KEYS].isna().any(axis=1).tolist()
    out = []
    for i, why in enumerate(refused):
        if why:
            out.append(why)
        elif source[i] == "unmatched":
            out.append("no food in the food table is close enough to this name")
        elif source[i] == "unconverted" or (source[i] == "logged" and problem[i] and blanks[i]):
            out.append(problem[i] or "the amount could not be weighed")
        else:
            out.append("")
    return out


def food_groups(intake: pd.DataFrame, matches: pd.DataFrame) -> list[dict]:
    """The items grouped by name as logged (foods apart from supplements): how many, the
    range of their grams, the food they were counted as, where their values came from, and
    the largest share they gave of any scored nutrient over the period; largest first."""
    if not len(intake):
        return []
    method = matches.drop_duplicates("name").set_index("name")
    frame = pd.DataFrame({
        "food": intake["food"].astype(str).to_numpy(), "kind": intake["kind"].to_numpy(),
        "grams": pd.to_numeric(intake["grams"], errors="coerce").to_numpy(),
        "values": values_from(intake)})
    totals = intake[SCORED_KEYS].sum(min_count=1)
    shares = intake[SCORED_KEYS].div(totals.where(totals > 0)).fillna(0.0) * 100.0
    frame[SCORED_KEYS] = shares.to_numpy()
    frame["food_name"] = intake["food_name"].astype(object).to_numpy()
    frame["food_id"] = intake["food_id"].astype(object).to_numpy()
    out = []
    for (food, kind), group in frame.groupby(["food", "kind"], sort=False):
        share = group[SCORED_KEYS].sum()
        top = share.idxmax() if share.max() > 0 else None
        counts = group["values"].value_counts()
        grams = group["grams"].dropna()
        supplement = kind == "supplement"
        matched = None if supplement else method["method"].get(food)
        out.append({
            "food": food, "kind": kind, "item_count": int(len(group)),
            "grams_min": num(grams.min(), 1) if len(grams) else None,
            "grams_max": num(grams.max(), 1) if len(grams) else None,
            "unweighed": int(group["grams"].isna().sum()) if not supplement else 0,
            "matched_to": None if supplement else text(group["food_name"].dropna().iloc[0]
                                                       if group["food_name"].notna().any()
                                                       else "") or None,
            "food_id": None if supplement else text(group["food_id"].dropna().iloc[0]
                                                    if group["food_id"].notna().any()
                                                    else "") or None,
            "match": text(matched) or None,
            "values_from": {k: int(n) for k, n in counts.items()},
            "top_nutrient": top, "top_share": num(share.max(), 1)})
    out.sort(key=lambda g: (-(g["top_share"] or 0.0), -g["item_count"], g["food"]))
    return out


def not_scored(intake: pd.DataFrame) -> list[dict]:
    """Supplements that give none of the scored nutrients (creatine, fish oil): named, not
    called foods that could not be recognised."""
    supplements = intake[intake["kind"].eq("supplement")]
    values = supplements[SCORED_KEYS].fillna(0.0)
    unscored = supplements[~(values > 0).any(axis=1)]
    return [{"food": str(name), "item_count": int(len(rows)),
             "rows": [int(r) for r in rows["row"]]}
            for name, rows in unscored.groupby("food", sort=False)]


def counting(intake: pd.DataFrame, matches: pd.DataFrame) -> dict:
    """How the items were counted, for sentences that agree with every table: how many items
    and names, names not matched (with how many of their items the log gave values for),
    items not counted at all, and items by where their values came from."""
    foods = intake[intake["kind"].eq("food")]
    unmatched_names = set(matches.loc[matches["method"].eq("unmatched")
                                      | matches["food_id"].isna(), "name"])
    unmatched = foods[foods["food"].isin(unmatched_names)]
    values = pd.Series(values_from(intake)).value_counts()
    return {
        "item_count": int(len(intake)), "food_items": int(len(foods)),
        "supplement_items": int(len(intake) - len(foods)),
        "names": int(foods["food"].nunique()),
        "names_not_matched": len(unmatched_names & set(foods["food"])),
        "items_not_matched": int(len(unmatched)),
        "items_not_matched_with_values": int(unmatched["value_source"].eq("logged").sum()),
        "items_not_counted": int(foods["value_source"].isin(["unmatched", "unconverted"]).sum()),
        "values_from": {k: int(values.get(k, 0)) for k in VALUE_WORDS},
    }
