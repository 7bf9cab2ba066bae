"""How accurate is food matching on real logs nobody here wrote?

Matches the NHANES 2015-16 item descriptions and the two Cronometer exports in ../shared
against the full USDA SR28 import (plus the embedded foods' aliases), computes each item's
nutrients from the matched food, and compares per-day totals with the file's own values.
A second pass does the same with the FNDDS 2017-18 survey foods imported on top of SR28
(the NHANES descriptions are FNDDS wording, from its 2015-16 release).

Prints the share of items matched and the median absolute % error of per-day totals for
Mg, Ca, K, vitamin D and B12. Targets: >= 90 % of items matched, median error < 15 % for
Mg, Ca and K, on the first figure (all items). Two more figures follow it, each labelled:
in [brackets] the same over the items the file has a value for (the Cronometer exports
leave some branded foods blank, and counting those in ours alone shows completeness as
error; our unmatched or unweighed items still count as missing there), and in (parentheses)
over the items both have a value for (how close the matched foods' values are).

For the Cronometer exports it also prints each day's error, every unmatched name and every
amount left unweighed (with the reason and how many items it affects), and the USDA portion
each count or volume was weighed by; with --matches, the food each name went to and its
confidence, to check by eye for wrong matches.

With --built-in, one pass against the built-in foods alone, as the upload page and a
fresh install use them: most NHANES foods are not there, so the share matched is low, but
the error over the items both have a value for shows whether what was matched is the
right food.

    .venv/bin/python benchmarks/eval_matching.py [--shared ../shared/data] [--worst 20]
                                                 [--matches]
                                                 [--sr28-only | --fndds | --built-in]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nutrigap.analyzer.matching import Matcher  # noqa: E402
from nutrigap.analyzer.nutrients import NUTRIENTS, TARGET_KEYS  # noqa: E402
from nutrigap.foods.embedded import load_embedded  # noqa: E402
from nutrigap.foods.fndds import read_fndds  # noqa: E402
from nutrigap.foods.sr28 import read_sr28  # noqa: E402

NHANES_FILE = "nhanes/nhanes1516_individual_foods_subset.tsv"
CRONOMETER_DIR = "meal-logs/cronometer"
FNDDS_DIR = "fndds-2017-2018"
TARGET_SHARE = 90.0
TARGET_ERROR = 15.0  # for Mg, Ca and K


def load_table(shared: Path, fndds: bool = False):
    """The full SR28 import (and the FNDDS import when asked) with the built-in foods (and
    their aliases) on top, as `nutrigap foods` loads an imported database."""
    table = read_sr28(shared / "usda-sr28")
    if fndds:
        # The database lists foods by id, FNDDS ("fndds:...") before SR28 ("sr:..."), and the
        # first food listed keeps a name two foods share.
        table = read_fndds(shared / FNDDS_DIR).merged_with(table)
    return table.merged_with(load_embedded())


def day_errors(ours: pd.DataFrame, truth: pd.DataFrame, day) -> dict[str, tuple]:
    """{nutrient: (median absolute % error of per-day totals over all items, the same over
    the items the file has a value for, the same over the items both we and the file have a
    value for, days compared)} from per-item amounts.

    1. All items (the headline): unmatched or unweighed items count as missing in ours,
       items the file has no value for count in ours alone.
    2. Items the file has a value for: an item the file leaves blank (a branded food whose
       label gives no potassium) is left out of both totals, since ours would otherwise be
       more complete than the file's and show that as error; our unmatched or unweighed
       items still count as missing, so nothing we fail at is hidden.
    3. Items both have a value for: how close the matched foods' values are.
    Days whose true total is zero or unknown give no percentage and are left out."""
    out = {}
    for key in TARGET_KEYS:
        known = truth[key].notna()
        both = ours[key].notna() & known
        t = truth[key].groupby(day).sum(min_count=1)
        o = ours[key].groupby(day).sum(min_count=1).reindex(t.index)
        # an item of ours without a value counts as 0 (missing) against the file's value
        o_known = ours[key].fillna(0).where(known).groupby(day).sum(
            min_count=1).reindex(t.index)
        t_both = truth[key].where(both).groupby(day).sum(min_count=1).reindex(t.index)
        o_both = ours[key].where(both).groupby(day).sum(min_count=1).reindex(t.index)
        usable = t.notna() & (t > 0)
        err = ((o - t).abs() / t * 100)[usable]
        err_file = ((o_known.fillna(0) - t).abs() / t * 100)[usable]
        usable_both = usable & t_both.notna() & (t_both > 0)
        err_known = ((o_both - t_both).abs() / t_both * 100)[usable_both]
        out[key] = (_median(err), _median(err_file), _median(err_known), int(usable.sum()))
    return out


def _median(values: pd.Series) -> float:
    return float(values.median()) if len(values) else float("nan")


def report(title: str, items: int, matched: int, names: int, names_matched: int,
           errors: dict[str, tuple], extra: str = "") -> None:
    print(f"\n{title}")
    print(f"  items matched          {matched}/{items} = {100 * matched / items:.1f} %"
          f"   (distinct names {names_matched}/{names})")
    if extra:
        print(f"  {extra}")
    print("  median |error| of per-day totals: all items [items the file has a value for]"
          " (only items both have a value for)")
    for key, (median, median_file, median_known, days) in errors.items():
        flag = ""
        if key in ("magnesium_mg", "calcium_mg", "potassium_mg"):
            flag = "  ok" if median < TARGET_ERROR else "  ABOVE TARGET"
        print(f"  {NUTRIENTS.at[key, 'name']:<12} {median:6.1f} %  [{median_file:5.1f} %]"
              f"  ({median_known:5.1f} %)  over {days} days{flag}")


def per_100g(table, food_ids: pd.Series) -> pd.DataFrame:
    foods = table.foods[~table.foods.index.duplicated()]
    return foods[TARGET_KEYS].apply(pd.to_numeric, errors="coerce").reindex(food_ids.to_numpy())


def eval_nhanes(shared: Path, matcher: Matcher, table, worst: int) -> None:
    columns = {f"DRxI{NUTRIENTS.at[k, 'nhanes']}": k for k in TARGET_KEYS}
    df = pd.read_csv(shared / NHANES_FILE, sep="\t",
                     usecols=["SEQN", "recall_day", "DRXFCLD", "DRxIGRMS", *columns])
    df = df.rename(columns=columns)
    started = time.perf_counter()
    matches = matcher.match(df["DRXFCLD"])
    seconds = time.perf_counter() - started
    ids = df["DRXFCLD"].map(matches.set_index("name")["food_id"])
    values = per_100g(table, ids).to_numpy() * df["DRxIGRMS"].to_numpy()[:, None] / 100
    ours = pd.DataFrame(values, columns=TARGET_KEYS, index=df.index)
    day = [df["SEQN"], df["recall_day"]]
    days = df.groupby(day).ngroups
    matched = int(ids.notna().sum())
    report(f"NHANES 2015-16 ({df['SEQN'].nunique()} people, {days} person-days)",
           len(df), matched, len(matches), int(matches["food_id"].notna().sum()),
           day_errors(ours, df[TARGET_KEYS], day),
           f"{len(matches)} distinct names matched in {seconds:.1f} s")
    if worst:
        show_worst(df, ours, matches, worst)


def show_worst(df: pd.DataFrame, ours: pd.DataFrame, matches: pd.DataFrame, n: int) -> None:
    """The names whose matches move Mg, Ca and K totals most, to see what to improve."""
    keys = ["magnesium_mg", "calcium_mg", "potassium_mg"]
    scale = df[keys].sum()
    diff = ((ours[keys].fillna(0) - df[keys]).abs() / scale).sum(axis=1)
    by_name = diff.groupby(df["DRXFCLD"]).sum().sort_values(ascending=False).head(n)
    chosen = matches.set_index("name")
    print("\n  names contributing most Mg+Ca+K error (share of all-day totals, x1000):")
    for name, share in by_name.items():
        print(f"  {1000 * share:6.2f}  {name[:55]:<55} -> {chosen.at[name, 'food_name']}"
              f" ({chosen.at[name, 'confidence']})")


def eval_cronometer(shared: Path, matcher: Matcher, table, show_matched: bool = False
                    ) -> None:
    from nutrigap.analyzer.logs import read_meal_log
    from nutrigap.analyzer.portions import resolve_grams
    from nutrigap.analyzer.scoring import item_nutrients

    for folder in sorted((shared / CRONOMETER_DIR).iterdir()):
        with open(folder / "servings.csv", "rb") as fp:
            items, _info = read_meal_log(fp)
        truth = items[["date", *TARGET_KEYS]].copy()
        stripped = items.copy()
        # the app's own values must not leak into ours; a supplement row (the reader tells
        # them apart) is not matched to a food and keeps the amounts the app gives
        food = stripped["kind"].eq("food")
        stripped.loc[food, [k for k in stripped.columns if k in NUTRIENTS.index]] = np.nan
        matches = matcher.match(stripped.loc[food, "food"])
        weighed = resolve_grams(stripped, matches, table)
        intake = item_nutrients(weighed, matches, table)
        ids = stripped["food"].map(matches.set_index("name")["food_id"]).where(food)
        weighed_ok = int(weighed.loc[food, "grams"].notna().sum())
        report(f"Cronometer {folder.name} ({truth['date'].nunique()} days)", int(food.sum()),
               int(ids.notna().sum()), len(matches), int(matches["food_id"].notna().sum()),
               day_errors(intake[TARGET_KEYS], truth[TARGET_KEYS], truth["date"]),
               f"items weighed in grams  {weighed_ok}/{int(food.sum())}"
               + (f"; {int((~food).sum())} supplement rows counted as the app gives them"
                  if (~food).any() else ""))
        show_days(intake, truth)
        if show_matched:
            show_matches(matches, stripped["food"])
        show_left_out(weighed, ids)
        show_counts_weighed(weighed)


def show_days(intake: pd.DataFrame, truth: pd.DataFrame) -> None:
    """Each day's signed % error for Mg, Ca and K (negative: we counted less than the file)."""
    keys = ["magnesium_mg", "calcium_mg", "potassium_mg"]
    ours = intake[keys].groupby(truth["date"]).sum(min_count=1)
    theirs = truth[keys].groupby(truth["date"]).sum(min_count=1)
    off = (ours - theirs) / theirs * 100
    print("  per day, % off the file's total:  Mg      Ca      K")
    for day, row in off.iterrows():
        print(f"    {day:%Y-%m-%d}" + "".join(f"{v:8.1f}" for v in row))


def show_matches(matches: pd.DataFrame, names: pd.Series) -> None:
    """Each distinct name, how many items carry it, and the food it went to (or its best
    candidate when unmatched) with the confidence."""
    counts = names.value_counts()
    print("  names and the foods they went to:")
    for row in matches.itertuples(index=False):
        chosen = row.food_name if row.food_id is not None else (
            f"unmatched; closest {row.candidates[0]['name']}" if row.candidates else "unmatched")
        print(f"    {counts.get(row.name, 0):3d} x {row.name[:45]:<45} {row.confidence:5.1f}"
              f"  {row.method:<9} {str(chosen)[:60]}")


def show_left_out(weighed: pd.DataFrame, ids: pd.Series) -> None:
    """Every food name left unmatched and every reason an amount was not weighed, with how
    many items each affects, so the next improvement can start from the biggest."""
    unmatched = weighed.loc[ids.isna() & weighed["kind"].eq("food"), "food"].value_counts()
    if len(unmatched):
        print(f"  unmatched ({int(unmatched.sum())} items):")
        for name, n in unmatched.items():
            print(f"    {n:3d} x {name}")
    problems = weighed.loc[weighed["grams"].isna() & ids.notna(), ["food", "amount_text",
                                                                  "conversion_problem"]]
    if len(problems):
        print(f"  matched but not weighed ({len(problems)} items):")
        counted = problems.value_counts(sort=True)
        for (food, amount, problem), n in counted.items():
            print(f"    {n:3d} x {food} \"{amount}\": {problem}")


def show_counts_weighed(weighed: pd.DataFrame) -> None:
    """How each count or volume was weighed: the USDA portion used and the grams per item."""
    used = weighed[weighed["portion_used"].ne("") & weighed["grams"].notna()]
    if not len(used):
        return
    print("  weighed through a portion:")
    per_item = used.assign(each=used["grams"] / used["quantity"])
    for row in per_item.drop_duplicates(["food", "unit", "portion_used"]).itertuples():
        print(f"    {row.food[:40]:<40} {row.amount_text[:30]:<30} -> {row.each:7.1f} g per "
              f"{row.unit}: {row.portion_used}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--worst", type=int, default=0,
                        help="list the N NHANES names that move the totals most")
    parser.add_argument("--matches", action="store_true",
                        help="list each Cronometer name with the food it went to")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--sr28-only", action="store_true",
                       help="only the SR28 pass (the default runs SR28, then SR28 + FNDDS)")
    which.add_argument("--fndds", action="store_true", help="only the SR28 + FNDDS pass")
    which.add_argument("--built-in", action="store_true",
                       help="only a pass against the built-in foods alone")
    args = parser.parse_args()
    if not (args.shared / "usda-sr28").exists():
        sys.exit(f"no USDA data at {args.shared}; pass --shared with the data folder")
    passes = ["sr28"] if args.sr28_only else ["fndds"] if args.fndds \
        else ["built-in"] if args.built_in else ["sr28", "fndds"]
    if "fndds" in passes and not (args.shared / FNDDS_DIR).exists():
        sys.exit(f"no FNDDS tables at {args.shared / FNDDS_DIR}; pass --sr28-only")
    titles = {"sr28": "SR28 + built-in foods", "fndds": "SR28 + FNDDS 2017-18 + built-in foods",
              "built-in": "built-in foods alone"}
    for which_pass in passes:
        print(f"\n=== {titles[which_pass]} ===")
        started = time.perf_counter()
        table = load_embedded() if which_pass == "built-in" \
            else load_table(args.shared, which_pass == "fndds")
        matcher = Matcher(table)
        print(f"food table: {len(table)} foods, {len(table.aliases)} aliases; matcher ready "
              f"in {time.perf_counter() - started:.1f} s")
        eval_nhanes(args.shared, matcher, table, args.worst)
        eval_cronometer(args.shared, matcher, table, args.matches)


if __name__ == "__main__":
    main()
