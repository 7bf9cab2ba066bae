"""How long reading a large meal log takes (goal: a 100,000-row log in under 2 s).

Builds two synthetic 100,000-row logs in memory, one in nutrigap's format with a mix of
units and supplements and one laid out like a Cronometer servings export, then prints the
best of three reads of each.

    .venv/bin/python benchmarks/bench_read.py [ROWS]
"""

from __future__ import annotations

import io
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nutrigap.analyzer.logs import ReadLimits, read_meal_log  # noqa: E402

FOODS = ["Spinach, raw", "Milk, 2%", "Banana", "Oats, rolled", "Almonds", "Salmon, cooked",
         "Rice, brown, cooked", "Egg, whole", "Yogurt, plain", "Broccoli, cooked", "Bread, whole "
         "wheat", "Apple", "Cheddar cheese", "Black beans, cooked", "Chicken breast, roasted",
         "Orange juice", "Potato, baked", "Peanut butter", "Tofu, firm", "Avocado"]
AMOUNTS = [("150", "g"), ("1", "cup"), ("1 1/2 cups", ""), ("2", "medium"), ("½", "cup"),
           ("2", "tbsp"), ("1", "slice"), ("4 oz", ""), ("250", "ml"), ("1", "large"),
           ("30g", ""), ("3", "tsp"), ("0", "g")]
SUPPLEMENTS = [("supplement: magnesium", "200", "mg"), ("supplement: vitamin D", "1000", "IU"),
               ("supplement: B12", "500", "mcg"), ("supplement: B6", "25", "mg")]
MEALS = ["breakfast", "lunch", "dinner", "snack"]


def our_log(rows: int, rng: random.Random) -> bytes:
    start = date(2021, 1, 1)
    lines = ["date,meal,food,amount,unit"]
    for i in range(rows):
        day = (start + timedelta(days=i // 20)).isoformat()
        if rng.random() < 0.05:
            food, amount, unit = rng.choice(SUPPLEMENTS)
            lines.append(f"{day},,{food},{amount},{unit}")
        else:
            amount, unit = rng.choice(AMOUNTS)
            lines.append(f'{day},{rng.choice(MEALS)},"{rng.choice(FOODS)}",{amount},{unit}')
    return ("\n".join(lines) + "\n").encode("utf-8")


def cronometer_log(rows: int, rng: random.Random) -> bytes:
    extra = [f"Extra {i} (mg)" for i in range(40)]
    header = ["Day", "Time", "Group", "Food Name", "Amount", "Energy (kcal)",
              "B6 (Pyridoxine) (mg)", "B12 (Cobalamin) (µg)", "Vitamin D (IU)", "Calcium (mg)",
              "Magnesium (mg)", "Potassium (mg)", *extra, "Category"]
    amounts = ["150.00 g", "1.00 cup", "2.00 x 2.0 slices", "1.00 each", "0.00 g", "4.00 oz"]
    lines = [",".join(header)]
    start = date(2021, 1, 1)
    for i in range(rows):
        day = (start + timedelta(days=i // 20)).isoformat()
        values = [f"{rng.uniform(0, 300):.2f}" if rng.random() > 0.1 else "" for _ in
                  range(7 + len(extra))]
        lines.append(f'{day},9:51 AM,"{rng.choice(MEALS)}","{rng.choice(FOODS)}",'
                     f'"{rng.choice(amounts)}",{",".join(values)},"Vegetables"')
    return ("\n".join(lines) + "\n").encode("utf-8")


def best_of(data: bytes, repeats: int = 3) -> tuple[float, int]:
    times = []
    limits = ReadLimits(max_bytes=200 * 2**20)
    for _ in range(repeats):
        started = time.perf_counter()
        items, _ = read_meal_log(io.BytesIO(data), limits=limits)
        times.append(time.perf_counter() - started)
    return min(times), len(items)


def weigh(data: bytes) -> tuple[float, int]:
    """Seconds to turn every item's amount into grams with the built-in food table."""
    from nutrigap.analyzer.matching import Matcher
    from nutrigap.analyzer.portions import resolve_grams
    from nutrigap.foods.embedded import load_embedded

    table = load_embedded()
    items, _ = read_meal_log(io.BytesIO(data))
    matches = Matcher(table).match(items.loc[items["kind"] == "food", "food"].unique())
    started = time.perf_counter()
    weighed = resolve_grams(items, matches, table)
    return time.perf_counter() - started, int(weighed["grams"].notna().sum())


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rng = random.Random(3)
    ours = our_log(rows, rng)
    for name, data in (("nutrigap format", ours),
                       ("Cronometer servings layout", cronometer_log(rows, rng))):
        seconds, items = best_of(data)
        print(f"{name}: {rows:,} rows ({len(data) / 2**20:.1f} MB) read in {seconds:.2f} s "
              f"(best of 3; {rows / seconds:,.0f} rows/s; {items:,} items, the rest amount 0); "
              f"goal < 2 s: {'met' if seconds < 2 else 'NOT met'}")
    print(f"(the Cronometer file is larger than the default 20 MB limit, which the benchmark "
          f"lifts; load average while running: {os.getloadavg()[0]:.1f})")
    seconds, weighed = weigh(ours)
    print(f"amounts to grams for the nutrigap-format log: {seconds:.2f} s ({weighed:,} items "
          "weighed; the rest are supplements or have no fitting portion)")


if __name__ == "__main__":
    main()
