"""How long scoring takes for a year-long log: 365 days, 10,000 items, already read and matched.

Goal: item nutrients + daily totals + score + upper-limit warnings + top contributors under
100 ms. Prints the best and median of several runs for each step.

    .venv/bin/python benchmarks/bench_scoring.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nutrigap.analyzer.food_table import FoodTable  # noqa: E402
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS  # noqa: E402
from nutrigap.analyzer.scoring import (  # noqa: E402
    Profile,
    daily_totals,
    item_nutrients,
    missing_values,
    notes,
    score,
    targets_for,
    top_contributors,
    upper_limit_warnings,
)

DAYS, ROWS, FOODS, RUNS = 365, 10_000, 400, 9


def year_of_logging(seed: int = 7):
    """A food table, items and matches shaped like a real year: mostly matched foods in
    grams, some supplements, a few unmatched or unweighed items, some foods lacking a value."""
    rng = np.random.default_rng(seed)
    ids = [f"sr:{10000 + i}" for i in range(FOODS)]
    per_100g = rng.gamma(1.5, [40, 60, 200, 0.5, 0.4, 0.1, 120], size=(FOODS, 7))
    per_100g[rng.random((FOODS, 7)) < 0.15] = np.nan
    foods = pd.DataFrame(per_100g, columns=NUTRIENT_KEYS, index=pd.Index(ids, name="food_id"))
    foods.insert(0, "name", [f"Food {i}" for i in range(FOODS)])
    table = FoodTable(foods)

    names = [f"food {i}" for i in range(FOODS)] + ["homemade stew", "protein bar"]
    dates = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.sort(rng.integers(0, DAYS, ROWS)),
                                                           unit="D")
    kind = np.where(rng.random(ROWS) < 0.08, "supplement", "food")
    food = np.array(names, dtype=object)[rng.integers(0, len(names), ROWS)]
    grams = rng.uniform(10, 400, ROWS)
    grams[rng.random(ROWS) < 0.03] = np.nan
    items = pd.DataFrame({"row": np.arange(2, ROWS + 2), "client": "", "date": dates,
                          "meal": "", "food": food, "kind": kind, "amount_text": "",
                          "quantity": grams, "unit": "g", "grams": grams, "ml": np.nan})
    for key in NUTRIENT_KEYS:
        items[key] = np.where(kind == "supplement", 0.0, np.nan)
    supp = kind == "supplement"
    items.loc[supp, "food"] = "magnesium glycinate"
    items.loc[supp, "magnesium_mg"] = 200.0
    items["conversion_problem"] = ""
    matches = pd.DataFrame({"name": names,
                            "food_id": ids + [np.nan, np.nan],
                            "food_name": list(foods["name"]) + [np.nan, np.nan],
                            "confidence": 100.0, "method": "exact", "candidates": None})
    return table, items, matches


def timed(func, *args, **kwargs):
    """Best and median wall-clock ms, and median CPU ms (steadier on a busy machine)."""
    wall, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func(*args, **kwargs)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return result, (min(wall), statistics.median(wall), statistics.median(cpu))


def main() -> None:
    table, items, matches = year_of_logging()
    targets = targets_for(Profile(age=34, sex="female"))

    def everything():
        intake = item_nutrients(items, matches, table)
        daily = daily_totals(intake)
        return (score(daily, targets, intake), upper_limit_warnings(daily, targets),
                top_contributors(intake), notes(daily))

    intake, t_intake = timed(item_nutrients, items, matches, table)
    daily, t_daily = timed(daily_totals, intake)
    t_score = timed(score, daily, targets, intake)[1]
    t_warn = timed(upper_limit_warnings, daily, targets)[1]
    t_top = timed(top_contributors, intake)[1]
    t_missing = timed(missing_values, intake)[1]
    t_all = timed(everything)[1]
    print(f"log: {len(items):,} items over {len(daily)} days; {RUNS} runs each")
    print(f"  {'':<38} {'best':>8} {'median':>8} {'cpu':>8}")
    for label, (best, median, cpu) in [
            ("item_nutrients", t_intake), ("daily_totals", t_daily),
            ("score (with missing-data reasons)", t_score),
            ("upper_limit_warnings", t_warn), ("top_contributors", t_top),
            ("all of scoring (the five above)", t_all),
            ("missing_values (full listing, extra)", t_missing)]:
        print(f"  {label:<38} {best:6.1f}ms {median:6.1f}ms {cpu:6.1f}ms")
    verdict = "under" if t_all[1] < 100 else "OVER"
    print(f"goal: all of scoring under 100 ms -> median {t_all[1]:.1f} ms wall, {verdict}")

if __name__ == "__main__":
    main()
