"""How many distinct food names per second the matcher resolves against the full SR28 import
(and, with --fndds, against SR28 with the FNDDS survey foods imported on top).

Two sets of names: the NHANES 2015-16 food descriptions (FNDDS wording, 2,527 distinct) and
names typed the way people type them (a few words of a food's name, any case, shuffled, some
with a typo), generated with a fixed seed. Each run uses a fresh Matcher, so nothing learnt
in one run helps the next; building the Matcher is timed on its own. Target: >= 300 names/s.

    .venv/bin/python benchmarks/bench_matching.py [--shared ../shared/data] [--runs 3]
                                                  [--fndds]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nutrigap.analyzer.matching import Matcher  # noqa: E402
from nutrigap.foods.embedded import load_embedded  # noqa: E402
from nutrigap.foods.fndds import read_fndds  # noqa: E402
from nutrigap.foods.sr28 import read_sr28  # noqa: E402

NHANES_FILE = "nhanes/nhanes1516_individual_foods_subset.tsv"
TARGET = 300.0
TYPED_NAMES = 2500


def typed_names(names: list[str], count: int, seed: int = 7) -> list[str]:
    """Distinct names as people type them: the first words of a food's name, in any case and
    order, one in three with a letter dropped or doubled."""
    rng = random.Random(seed)
    out: dict[str, None] = {}
    while len(out) < count:
        words = rng.choice(names).replace(",", " ").split()[:rng.randint(1, 4)]
        rng.shuffle(words)
        if rng.random() < 1 / 3:
            i = rng.randrange(len(words))
            word = words[i]
            if len(word) > 4:
                at = rng.randrange(1, len(word) - 1)
                words[i] = word[:at] + word[at + 1:] if rng.random() < 0.5 else \
                    word[:at] + word[at] + word[at:]
        text = " ".join(words)
        out[text.lower() if rng.random() < 0.7 else text] = None
    return list(out)


def timed(table, names: list[str], runs: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for the fastest of `runs` passes over the
    names, each with a fresh Matcher."""
    best = (float("inf"), float("inf"))
    for _ in range(runs):
        matcher = Matcher(table)
        started, cpu = time.perf_counter(), time.process_time()
        result = matcher.match(names)
        best = min(best, (time.perf_counter() - started, time.process_time() - cpu))
        assert len(result) == len(set(names))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fndds", action="store_true",
                        help="import the FNDDS 2017-18 foods on top of SR28 as well")
    args = parser.parse_args()
    if not (args.shared / "usda-sr28").exists():
        sys.exit(f"no USDA data at {args.shared}; pass --shared with the data folder")

    # As `nutrigap foods` loads it: the imported SR28 (and FNDDS) with the built-in foods on
    # top.
    table = read_sr28(args.shared / "usda-sr28")
    if args.fndds:  # in the database's order: by id, FNDDS before SR28
        table = read_fndds(args.shared / "fndds-2017-2018").merged_with(table)
    table = table.merged_with(load_embedded())
    started = time.perf_counter()
    Matcher(table)
    print(f"{len(table)} foods; building the matcher takes {time.perf_counter() - started:.2f} s")

    nhanes = pd.read_csv(args.shared / NHANES_FILE, sep="\t", usecols=["DRXFCLD"])
    sets = {"NHANES descriptions": nhanes["DRXFCLD"].drop_duplicates().tolist(),
            "typed names": typed_names(table.foods["name"].tolist(), TYPED_NAMES)}
    for title, names in sets.items():
        seconds, cpu = timed(table, names, args.runs)
        rate = len(names) / seconds
        verdict = "ok" if rate >= TARGET else "BELOW TARGET"
        print(f"{title:<20} {len(names):>5} distinct names in {seconds:5.2f} s = "
              f"{rate:6.0f} names/s  (target >= {TARGET:.0f}: {verdict}); "
              f"{cpu:.2f} s of CPU")
    # Other work on the machine slows the figures above; this says how busy it was.
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
