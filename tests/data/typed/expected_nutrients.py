"""Work out the expected magnesium, calcium and potassium of every line of the typed logs.

Reads the hand-chosen answer key (answers.csv beside this script) and the USDA tables in
../shared/data, and writes expected.csv beside this script: for each log line,

    nutrient (mg) = grams x the chosen food's value per 100 g / 100

using the FNDDS 2017-18 food when the key gives one, else the SR28 food, and also the
SR28-based values wherever the key gives an SR28 food. A value that SR28 does not hold for
a food (no NUT_DATA row) is left empty, never written as 0.

Run from the repository root:

    python tests/data/typed/expected_nutrients.py
    python tests/data/typed/expected_nutrients.py --data /path/to/shared/data

Needs only the standard library and pandas.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[2]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
ANSWERS = HERE / "answers.csv"
OUTPUT = HERE / "expected.csv"

FNDDS_FILE = Path("fndds-2017-2018") / "fndds1718_nutrient_values.csv"
SR28_NUT_DATA = Path("usda-sr28") / "NUT_DATA.txt"
SR28_FOOD_DES = Path("usda-sr28") / "FOOD_DES.txt"

# (name used in expected.csv, FNDDS column, SR28 Nutr_No); all in mg per 100 g.
NUTRIENTS = [
    ("magnesium", "Magnesium (mg)", "304"),
    ("calcium", "Calcium (mg)", "301"),
    ("potassium", "Potassium (mg)", "306"),
]


def fail(message: str, code: int = 2) -> None:
    print(f"expected_nutrients.py: {message}", file=sys.stderr)
    sys.exit(code)


def sr28_fields(line: str) -> list[str]:
    """One SR28 ASCII record: fields separated by ^, text wrapped in ~."""
    return [field.strip("~") for field in line.rstrip("\r\n").split("^")]


def load_fndds(data: Path) -> dict[str, dict[str, float]]:
    table = pd.read_csv(data / FNDDS_FILE, skiprows=1, dtype={"Food code": str})
    # Some USDA headers carry a line break ("Vitamin B-12, added\n(mcg)"): compare them flat.
    table.columns = [re.sub(r"\s+", " ", str(c)).strip() for c in table.columns]
    missing = [col for _, col, _ in NUTRIENTS if col not in table.columns]
    if missing:
        fail(f"{data / FNDDS_FILE} has no column {missing}")
    return {
        str(code): {name: float(table.at[i, col]) for name, col, _ in NUTRIENTS}
        for i, code in table["Food code"].items()
    }


def load_sr28(data: Path, wanted: set[str]) -> tuple[set[str], dict[str, dict[str, float]]]:
    numbers = {nutr_no: name for name, _, nutr_no in NUTRIENTS}
    with open(data / SR28_FOOD_DES, encoding="latin-1") as fh:
        known = {sr28_fields(line)[0] for line in fh if line.strip()}
    values: dict[str, dict[str, float]] = {ndb: {} for ndb in wanted}
    with open(data / SR28_NUT_DATA, encoding="latin-1") as fh:
        for line in fh:
            fields = sr28_fields(line)
            if fields[0] in wanted and fields[1] in numbers:
                values[fields[0]][numbers[fields[1]]] = float(fields[2])
    return known, values


def amount(grams: float, per_100g: float | None) -> str:
    if per_100g is None:
        return ""
    return f"{grams * per_100g / 100:.2f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"the shared USDA data folder (default: {DEFAULT_DATA})",
    )
    args = parser.parse_args(argv)
    data: Path = args.data

    if not data.is_dir():
        fail(
            f"the USDA data folder {data} is missing. This script expects the shared data "
            "beside the repository (../shared/data, holding fndds-2017-2018/ and usda-sr28/); "
            "pass its place with --data DIR."
        )
    for part in (FNDDS_FILE, SR28_NUT_DATA, SR28_FOOD_DES):
        if not (data / part).is_file():
            fail(f"{data / part} is missing; is {data} the shared USDA data folder?")

    answers = pd.read_csv(ANSWERS, dtype=str, keep_default_na=False)
    fndds = load_fndds(data)
    sr28_known, sr28 = load_sr28(data, {n for n in answers["sr28_ndb"] if n})

    unknown = [
        f"{r.file} row {r.row}: FNDDS {r.fndds_code}"
        for r in answers.itertuples()
        if r.fndds_code and r.fndds_code not in fndds
    ] + [
        f"{r.file} row {r.row}: SR28 {r.sr28_ndb}"
        for r in answers.itertuples()
        if r.sr28_ndb and r.sr28_ndb not in sr28_known
    ]
    if unknown:
        fail("codes not found in the USDA tables:\n  " + "\n  ".join(unknown), code=1)

    header = ["file", "row", "food_text", "grams", "source", "code"]
    header += [f"{name}_mg" for name, _, _ in NUTRIENTS]
    header += ["sr28_ndb"] + [f"sr28_{name}_mg" for name, _, _ in NUTRIENTS]

    with open(OUTPUT, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        for r in answers.itertuples():
            grams = float(r.grams) if r.grams else None
            sr_values = sr28.get(r.sr28_ndb, {}) if r.sr28_ndb else {}
            if r.fndds_code:
                source, code, chosen = "fndds", r.fndds_code, fndds[r.fndds_code]
            elif r.sr28_ndb:
                source, code, chosen = "sr28", r.sr28_ndb, sr_values
            else:
                source, code, chosen = "none", "", {}
            row = [r.file, r.row, r.food_text, r.grams, source, code]
            row += [
                amount(grams, chosen.get(name)) if grams is not None and source != "none" else ""
                for name, _, _ in NUTRIENTS
            ]
            row += [r.sr28_ndb]
            row += [
                amount(grams, sr_values.get(name)) if grams is not None and r.sr28_ndb else ""
                for name, _, _ in NUTRIENTS
            ]
            out.writerow(row)

    print(f"wrote {OUTPUT.relative_to(REPO_ROOT)}: {len(answers)} lines, from {data}")


if __name__ == "__main__":
    main()
