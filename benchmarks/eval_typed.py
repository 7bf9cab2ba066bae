"""How well are meal logs typed in everyday words read, matched and weighed?

Runs the four typed logs of `tests/data/typed/` (131 lines: amounts inside the food cell,
counts with no unit, a handful or a glass, diet drinks, mixed dishes) through the reader, the
matcher and the portions, and holds every line against the answer key written by hand before
the program ran on them (`answers.csv`, `expected.csv`; see the README there). Per food table
(the built-in foods alone; SR28; SR28 + FNDDS 2017-18) it prints:

- rows counted: lines that give the day's totals an amount (a food matched and weighed, or a
  supplement read as one); rows not counted: lines the reader refuses (they are taken out and
  the rest of the log read again, as a user fixing the log would), leaves unmatched, or cannot
  weigh;
- rows right: counted as the key's food (its FNDDS code or SR28 number, or a food with the
  same magnesium, calcium and potassium per 100 g within 5 %) and within 10 % of its grams;
  rows wrong: counted as another food, or at another weight;
- rows of another kind: counted as a food whose USDA group or FNDDS category holds no food of
  the key's kind (a salad counted as its dressing): a row silently counted as something else;
- the median, over the 12 logged days, of the per-day error of magnesium, calcium and
  potassium against the key (a line not counted adds nothing to our total). The key's
  amounts are its FNDDS food's, or its SR28 food's where that is the food a line was counted
  as: the key names both as right, and the two tables differ for some foods (FNDDS's orange
  juice counts a share of calcium-fortified juice).

    .venv/bin/python benchmarks/eval_typed.py [--shared ../shared/data] [--rows]
                                              [--table built-in|sr28|fndds]

With --rows, every line with what it was counted as. The goals of the issue that asked for
these logs (SR28 + FNDDS: under 10 % median error for Mg, Ca and K, at most 5 % of rows not
counted, no row of another kind) are checked by tests/test_typed_logs.py.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nutrigap.analyzer.errors import BadMealLog  # noqa: E402
from nutrigap.analyzer.food_kinds import kinds_of  # noqa: E402
from nutrigap.analyzer.food_table import FoodTable  # noqa: E402
from nutrigap.analyzer.logs import read_meal_log  # noqa: E402
from nutrigap.analyzer.matching import Matcher  # noqa: E402
from nutrigap.analyzer.portions import resolve_grams  # noqa: E402
from nutrigap.analyzer.scoring import item_nutrients  # noqa: E402

TYPED = ROOT / "tests" / "data" / "typed"
KEYS = ["magnesium_mg", "calcium_mg", "potassium_mg"]
SAME_VALUES = 0.05  # a food within 5 % on Mg, Ca and K per 100 g is as good as the key's
SAME_WEIGHT = 0.10  # grams within 10 % of the key's
TABLES = {"built-in": "built-in foods alone", "sr28": "SR28 + built-in foods",
          "fndds": "SR28 + FNDDS 2017-18 + built-in foods"}


@dataclass
class Figures:
    """What one food table made of the typed logs: one row per log line, and the totals."""

    rows: pd.DataFrame  # per line: file, row, food_text, status, food_id, food_name, ...
    day_errors: pd.DataFrame  # per day (file, date): % error of Mg, Ca, K against the key

    @property
    def counted(self) -> int:
        return int(self.rows["status"].eq("counted").sum())

    @property
    def not_counted(self) -> int:
        return len(self.rows) - self.counted

    @property
    def right(self) -> int:
        return int(self.rows["verdict"].eq("right").sum())

    @property
    def wrong(self) -> int:
        return int(self.rows["verdict"].isin(["other food", "other weight"]).sum())

    @property
    def other_kind(self) -> pd.DataFrame:
        """Counted rows whose food is of another kind than the key's."""
        return self.rows[self.rows["status"].eq("counted") & ~self.rows["same_kind"]]

    def median_error(self, key: str) -> float:
        """Median over the logged days of the absolute % error of the day's total."""
        return float(self.day_errors[key].abs().median())


def load_answers(typed: Path = TYPED) -> pd.DataFrame:
    """The answer key with the expected Mg, Ca and K of each line."""
    answers = pd.read_csv(typed / "answers.csv", dtype=str, keep_default_na=False)
    expected = pd.read_csv(typed / "expected.csv", dtype={"code": str, "sr28_ndb": str},
                           keep_default_na=False, na_values=[""])
    answers["row"] = answers["row"].astype(int)
    expected["row"] = expected["row"].astype(int)
    answers["grams"] = pd.to_numeric(answers["grams"], errors="coerce")
    columns = ["file", "row", *KEYS, *(f"sr28_{k}" for k in KEYS)]
    return answers.merge(expected[columns], on=["file", "row"], how="left")


def _read(path: Path) -> tuple[pd.DataFrame, dict[int, str]]:
    """The log's items, reading again without the rows the reader refuses; {row: why}."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    refused: dict[int, str] = {}
    while True:
        kept = [n for n in range(2, len(lines) + 1) if n not in refused]
        text = lines[0] + "".join(lines[n - 1] for n in kept)
        try:
            items, _ = read_meal_log(io.BytesIO(text.encode("utf-8")), row_numbers=kept)
            return items, refused
        except BadMealLog as exc:
            found = {p.row: p.message for p in exc.problems if p.row is not None}
            if not found:
                raise
            refused.update(found)


def evaluate(table: FoodTable, answers: pd.DataFrame | None = None,
             typed: Path = TYPED, matcher: Matcher | None = None) -> Figures:
    """Every typed log read, matched and weighed with `table`, held against the key."""
    answers = load_answers(typed) if answers is None else answers
    matcher = matcher or Matcher(table)
    foods = table.foods[~table.foods.index.duplicated()]
    rows = []
    for name in sorted(answers["file"].unique()):
        items, refused = _read(typed / name)
        matches = matcher.match(items.loc[items["kind"].eq("food"), "food"].unique())
        intake = item_nutrients(resolve_grams(items, matches, table), matches, table)
        by_row = intake.set_index("row")
        for key in answers[answers["file"] == name].itertuples(index=False):
            rows.append(_line(key, by_row, refused, foods))
    lines = answers.merge(pd.DataFrame(rows), on=["file", "row"], how="left")
    return Figures(lines, _day_errors(lines))


def _line(key, by_row: pd.DataFrame, refused: dict[int, str], foods: pd.DataFrame) -> dict:
    """One log line: what became of it, and how it compares with the key."""
    out = {"file": key.file, "row": key.row, "status": "", "food_id": None, "food_name": None,
           "our_grams": np.nan, "how": "", "verdict": "", "same_kind": True,
           **{f"our_{k}": np.nan for k in KEYS}, **{f"key_{k}": getattr(key, k) for k in KEYS}}
    if key.row in refused:
        return {**out, "status": "refused", "how": refused[key.row], "verdict": "not counted"}
    item = by_row.loc[key.row]
    source = item["value_source"]
    out.update(food_id=item["food_id"] if isinstance(item["food_id"], str) else None,
               food_name=item["food_name"], our_grams=item["grams"],
               how=item.get("portion_used", "") or item.get("conversion_problem", ""),
               **{f"our_{k}": item[k] for k in KEYS})
    if source == "supplement":
        right = key.kind == "supplement"
        return {**out, "status": "counted", "verdict": "right" if right else "other food",
                "same_kind": right}
    if source in ("unmatched", "unconverted"):
        return {**out, "status": source, "verdict": "not counted"}
    food = foods.loc[out["food_id"]]
    same_food = _same_food(key, out["food_id"], food)
    sr28 = [getattr(key, f"sr28_{k}") for k in KEYS]
    if key.sr28_ndb and str(food.get("ndb_no") or "") == key.sr28_ndb and not any(
            pd.isna(sr28)):  # counted as the key's SR28 food: its SR28 amounts
        out.update({f"key_{k}": v for k, v in zip(KEYS, sr28, strict=True)})
    same_weight = abs(out["our_grams"] - key.grams) <= SAME_WEIGHT * key.grams
    verdict = "right" if same_food and same_weight else "other weight" if same_food \
        else "other food"
    return {**out, "status": "counted", "verdict": verdict,
            "same_kind": key.kind in kinds_of(food["food_group"])}


def _same_food(key, food_id: str, food: pd.Series) -> bool:
    """The key's food (its FNDDS code or SR28 number), or one with the same Mg, Ca and K per
    100 g within SAME_VALUES."""
    if key.fndds_code and food_id == f"fndds:{key.fndds_code}":
        return True
    if key.sr28_ndb and str(food.get("ndb_no") or "") == key.sr28_ndb:
        return True
    theirs = np.array([getattr(key, k) for k in KEYS], dtype=float) / key.grams * 100
    ours = pd.to_numeric(food[KEYS], errors="coerce").to_numpy(dtype=float)
    close = np.abs(ours - theirs) <= np.maximum(SAME_VALUES * theirs, 0.5)
    return bool(np.all(close))


def _day_errors(lines: pd.DataFrame) -> pd.DataFrame:
    """Per logged day, the signed % error of our Mg, Ca and K totals against the key's."""
    dates = {name: pd.read_csv(TYPED / name, usecols=["date"])["date"].tolist()
             for name in lines["file"].unique()}
    day = [dates[f][r - 2] for f, r in zip(lines["file"], lines["row"], strict=True)]
    ours = lines[[f"our_{k}" for k in KEYS]].fillna(0).set_axis(KEYS, axis=1)
    theirs = lines[[f"key_{k}" for k in KEYS]].fillna(lines[KEYS]).fillna(0).set_axis(
        KEYS, axis=1)
    group = [lines["file"], pd.Series(day, index=lines.index, name="date")]
    totals, truth = ours.groupby(group).sum(), theirs.groupby(group).sum()
    return (totals - truth) / truth * 100


def load_table(which: str, shared: Path) -> FoodTable:
    """The food table a user has: the built-in foods, or SR28 (and FNDDS) imported."""
    from nutrigap.foods.embedded import load_embedded
    from nutrigap.foods.fndds import read_fndds
    from nutrigap.foods.sr28 import read_sr28

    if which == "built-in":
        return load_embedded()
    table = read_sr28(shared / "usda-sr28")
    if which == "fndds":
        # listed first, as the food database lists FNDDS ids before SR28 ones
        table = read_fndds(shared / "fndds-2017-2018").merged_with(table)
    return table.merged_with(load_embedded())


def print_figures(title: str, figures: Figures, show_rows: bool) -> None:
    rows = figures.rows
    total = len(rows)
    print(f"\n=== {title} ===")
    print(f"  rows {total}: counted {figures.counted}, right {figures.right}, wrong "
          f"{figures.wrong} (other food {int(rows['verdict'].eq('other food').sum())}, other "
          f"weight {int(rows['verdict'].eq('other weight').sum())}), not counted "
          f"{figures.not_counted} ({100 * figures.not_counted / total:.1f} %: refused "
          f"{int(rows['status'].eq('refused').sum())}, unmatched "
          f"{int(rows['status'].eq('unmatched').sum())}, not weighed "
          f"{int(rows['status'].eq('unconverted').sum())})")
    print(f"  counted as another kind of food: {len(figures.other_kind)}")
    print("  median |error| of per-day totals over "
          f"{len(figures.day_errors)} days: " + ", ".join(
              f"{k.split('_')[0].capitalize()} {figures.median_error(k):.1f} %" for k in KEYS))
    for row in figures.other_kind.itertuples():
        print(f"    other kind: {row.file} row {row.row} {row.food_text!r} ({row.kind}) -> "
              f"{row.food_name}")
    if show_rows:
        for row in rows.itertuples():
            grams = "" if pd.isna(row.our_grams) else f"{row.our_grams:.0f} g"
            print(f"    {row.file[10]}:{row.row:<3} {row.food_text[:28]:<28} {row.verdict:<12} "
                  f"{grams:>7} (key {row.grams:.0f}) {str(row.food_name or '')[:48]:<48} "
                  f"{str(row.how)[:70]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--rows", action="store_true", help="print every line")
    parser.add_argument("--table", choices=list(TABLES), action="append",
                        help="only this table (may be given more than once)")
    args = parser.parse_args()
    wanted = args.table or list(TABLES)
    if any(t != "built-in" for t in wanted) and not (args.shared / "usda-sr28").exists():
        sys.exit(f"no USDA data at {args.shared}; pass --shared or --table built-in")
    answers = load_answers()
    for which in wanted:
        started = time.perf_counter()
        figures = evaluate(load_table(which, args.shared), answers)
        print_figures(f"{TABLES[which]} ({time.perf_counter() - started:.0f} s)", figures,
                      args.rows)


if __name__ == "__main__":
    main()
