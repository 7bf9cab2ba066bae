"""How long the plan of added servings takes against the full SR28, and SR28 + FNDDS
(goal: under 1 s for the hardest case, all five short on SR28 + FNDDS).

Reads SR28 and FNDDS 2017-2018 from ../shared/data (or the folder given), with the built-in
foods on top as an import stores them, then plans additions for a few realistic days: short
of all five nutrients, short of magnesium and vitamin D only, vegan, nut-free, pregnant with
foods of her own, and one whose vitamin D target food cannot reach. The first call on a
table also works out which foods can be a serving and what that serving is (kept for later
calls); it is timed separately. Prints wall-clock and CPU seconds, the best of five calls
each, since other work on the machine can slow the wall clock.

    .venv/bin/python benchmarks/bench_plan.py [SHARED_DATA_FOLDER]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from nutrigap.analyzer.scoring import Profile, targets_for  # noqa: E402
from nutrigap.analyzer.suggestions import (  # noqa: E402
    gaps,
    own_foods,
    plan_additions,
    suggest_foods,
)
from nutrigap.foods.embedded import load_embedded  # noqa: E402
from nutrigap.foods.fndds import read_fndds  # noqa: E402
from nutrigap.foods.sr28 import read_sr28  # noqa: E402

TARGETS = targets_for(Profile(age=34, sex="female"))
ALL_SHORT = pd.Series({"magnesium_mg": 170.0, "calcium_mg": 600.0, "potassium_mg": 1400.0,
                       "vitamin_d_ug": 3.0, "vitamin_b12_ug": 1.4, "vitamin_b6_mg": 1.1})
MG_AND_D = pd.Series({"magnesium_mg": 190.0, "calcium_mg": 1050.0, "potassium_mg": 2700.0,
                      "vitamin_d_ug": 2.0, "vitamin_b12_ug": 3.1, "vitamin_b6_mg": 1.4})
HIGH_D = TARGETS.copy()
HIGH_D.loc["vitamin_d_ug", "target"] = 80.0
PREGNANT = Profile(age=29, sex="female", pregnant=True)
#: what a pregnant woman's log shows she eats (ids of the built-in foods), grams a day
HER_FOODS = {"sr:01079": 250.0, "sr:01287": 170.0, "sr:09040": 118.0, "sr:12061": 28.0,
             "sr:11091": 90.0}

CASES = [
    ("short of all five", ALL_SHORT, TARGETS, {}),
    ("short of magnesium and vitamin D", MG_AND_D, TARGETS, {}),
    ("vegan, short of all five", ALL_SHORT, TARGETS, {"diet": ["vegan"]}),
    ("nut-free, short of all five", ALL_SHORT, TARGETS, {"diet": ["nut-free"]}),
    ("vegan, vitamin D out of reach", ALL_SHORT, HIGH_D,
     {"diet": ["vegan"], "exclude": ["mushroom"]}),
    ("pregnant, short of all five, her own foods first", ALL_SHORT, targets_for(PREGNANT),
     {"profile": PREGNANT}),
]


def timed(call, repeat: int = 5) -> tuple[float, float, object]:
    best_wall = best_cpu = float("inf")
    result = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = call()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu, result


def her_log() -> pd.DataFrame:
    """Two days of HER_FOODS as the counted intake `own_foods` reads."""
    ids = list(HER_FOODS)
    return pd.DataFrame({"food_id": ids * 2, "grams": list(HER_FOODS.values()) * 2,
                         "kind": "food", "date": pd.to_datetime(["2024-01-01"] * len(ids)
                                                                + ["2024-01-02"] * len(ids))})


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data"
    embedded = load_embedded()
    sr28 = read_sr28(shared / "usda-sr28")
    tables = {"SR28": sr28.merged_with(embedded),
              "SR28 + FNDDS": read_fndds(shared / "fndds-2017-2018").merged_with(
                  sr28).merged_with(embedded)}
    own = own_foods(her_log())
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, table in tables.items():
        print(f"== {name}: {len(table.foods):,} foods, {len(table.portions):,} portions")
        wall, cpu = time.perf_counter(), time.process_time()
        suggest_foods(table, pd.Series({"magnesium_mg": 100.0}))
        print(f"first use of the table (servings and exclusions worked out): "
              f"{time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU")
        for label, day, targets, filters in CASES:
            if "profile" in filters:
                filters = {**filters, "own": own}
            wall, cpu, plan = timed(lambda d=day, t=targets, f=filters, tb=table:
                                    plan_additions(tb, d, t, **f))
            unmet = ", ".join(u["nutrient"] for u in plan.unmet) or "none"
            print(f"plan_additions, {label}: {wall:.3f} s wall, {cpu:.3f} s CPU "
                  f"({len(plan.additions)} foods, {plan.added_kcal:.0f} kcal, unmet: {unmet})")
        short = gaps(ALL_SHORT, TARGETS)
        wall, cpu, _ = timed(lambda tb=table, s=short: suggest_foods(tb, s))
        print(f"suggest_foods, five lists: {wall:.3f} s wall, {cpu:.3f} s CPU")
    plan_additions(embedded, ALL_SHORT, TARGETS)
    wall, cpu, _ = timed(lambda: plan_additions(embedded, ALL_SHORT, TARGETS))
    print(f"for comparison, the built-in table ({len(embedded.foods)} foods), short of all "
          f"five: {wall:.3f} s wall, {cpu:.3f} s CPU")


if __name__ == "__main__":
    main()
