"""How long importing the whole SR28 release takes, and loading it back.

Times, best of a few runs each:

- reading the SR28 ASCII files (8,789 foods, 679,045 nutrient rows) into a food table;
- `nutrigap foods import` end to end (read + write a new SQLite database; goal: under 10 s);
- importing the same release again into that database (the idempotent re-import);
- loading the database back, alone and merged with the built-in table (goal: under 1 s).

Usage: python benchmarks/bench_import.py [SR28_FOLDER] [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nutrigap.foods.importer import import_foods  # noqa: E402
from nutrigap.foods.sr28 import read_sr28  # noqa: E402
from nutrigap.foods.store import load_foods, load_table  # noqa: E402


def best_of(runs: int, action) -> tuple[float, object]:
    """The fastest of `runs` timed calls, with the last call's result."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sr28", nargs="?", type=Path,
                        default=ROOT.parent / "shared" / "data" / "usda-sr28")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        read_s, table = best_of(args.runs, lambda: read_sr28(args.sr28))
        fresh: list[float] = []
        for i in range(args.runs):
            db = Path(tmp) / f"fresh-{i}.sqlite"
            fresh.append(import_foods(args.sr28, db).seconds)
        db = Path(tmp) / "fresh-0.sqlite"
        again_s, summary = best_of(args.runs, lambda: import_foods(args.sr28, db))
        load_s, loaded = best_of(args.runs, lambda: load_table(db))
        merged_s, merged = best_of(args.runs, lambda: load_foods(db))
        size_mb = db.stat().st_size / 1e6

    print(f"SR28 folder:                  {args.sr28}")
    print(f"foods / portions:             {len(table):,} / {len(table.portions):,}")
    print(f"read SR28 into a table:       {read_s:6.2f} s")
    print(f"import into a new database:   {min(fresh):6.2f} s   (goal < 10 s)")
    print(f"import again (same data):     {again_s:6.2f} s   -> {summary.foods_in_db:,} foods")
    print(f"load the database:            {load_s:6.2f} s   ({len(loaded):,} foods, "
          f"{size_mb:.1f} MB)")
    print(f"load + built-in table:        {merged_s:6.2f} s   (goal < 1 s; {len(merged):,} "
          f"foods, {len(merged.aliases):,} aliases)")


if __name__ == "__main__":
    main()
