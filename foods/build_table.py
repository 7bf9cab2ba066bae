"""Build the embedded food table (foods/data/foods.csv, portions.csv, aliases.csv) from SR28.

The foods, their display names, the aliases people type and any hand-given tags are listed in
foods/data/curated.csv; every number comes from the SR28 release. Rerun with
`nutrigap foods build --sr28 PATH` or `python -m foods.build_table PATH`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from nutrigap.analyzer.errors import FoodDataError
from nutrigap.analyzer.food_table import ALIAS_COLUMNS, FOOD_COLUMNS, PORTION_COLUMNS, FoodTable
from nutrigap.atomic import write_atomic
from nutrigap.foods.sr28 import read_sr28
from nutrigap.foods.tags import TAGS, add_tags

DATA_DIR = Path(__file__).resolve().parent / "data"
CURATED_FILE = "curated.csv"
TABLE_FILES = ("foods.csv", "portions.csv", "aliases.csv")
CURATED_COLUMNS = ["ndb_no", "name", "aliases", "tags"]
LIST_SEPARATOR = "|"  # between aliases and between tags inside one curated cell


def read_curated(path: Path) -> pd.DataFrame:
    """The curated list of embedded foods, checked: one row per NDB number, unique names and
    aliases, known tags."""
    try:
        curated = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise FoodDataError(f"cannot read {path} ({exc}); restore it from the repository") \
            from None
    missing = [c for c in CURATED_COLUMNS if c not in curated.columns]
    if missing:
        raise FoodDataError(f"{path} lacks the column(s) {', '.join(missing)}; its header must "
                            f"be {','.join(CURATED_COLUMNS)}")
    curated = curated[CURATED_COLUMNS].apply(lambda column: column.str.strip())
    curated.insert(0, "row", range(2, len(curated) + 2))
    _check_curated(curated, path.name)
    return curated


def _check_curated(curated: pd.DataFrame, name: str) -> None:
    def fail(row: int, message: str) -> None:
        raise FoodDataError(f"{name} row {row}: {message}")

    seen_ndb: dict[str, int] = {}
    seen_name: dict[str, int] = {}
    seen_alias: dict[str, int] = {}
    for rec in curated.itertuples(index=False):
        if not (len(rec.ndb_no) == 5 and rec.ndb_no.isdigit()):
            fail(rec.row, f'ndb_no "{rec.ndb_no}" is not a 5-digit SR number; write it with '
                          'its leading zeros, e.g. 01077')
        if not rec.name:
            fail(rec.row, "name is empty; give the short name users will see")
        for key, seen, what in ((rec.ndb_no, seen_ndb, "ndb_no"),
                                (rec.name.lower(), seen_name, "name")):
            if key in seen:
                fail(rec.row, f'{what} "{key}" is already listed on row {seen[key]}; keep one')
            seen[key] = rec.row
        for alias in _split(rec.aliases):
            if alias != alias.lower():
                fail(rec.row, f'alias "{alias}" must be lower case')
            if alias in seen_alias:
                fail(rec.row, f'alias "{alias}" already points to the food on row '
                              f'{seen_alias[alias]}; an alias must name one food')
            seen_alias[alias] = rec.row
        unknown = [t for t in _split(rec.tags) if t not in TAGS]
        if unknown:
            fail(rec.row, f'unknown tag "{unknown[0]}"; use one of {", ".join(TAGS)}')


def build_table(sr28: FoodTable, curated: pd.DataFrame) -> FoodTable:
    """The curated foods with SR28's nutrients, food group and portions, the curated display
    names and aliases, and the derived tags plus the curated ones."""
    ids = "sr:" + curated["ndb_no"]
    unknown = curated.loc[~ids.isin(sr28.foods.index)]
    if len(unknown):
        listed = ", ".join(f"{r.ndb_no} (row {r.row})" for r in unknown.itertuples())
        raise FoodDataError(f"{CURATED_FILE}: NDB number(s) not in SR28 FOOD_DES: {listed}; "
                            "correct them against FOOD_DES.txt")
    foods = sr28.foods.loc[ids].copy()
    foods["name"] = curated["name"].to_numpy()
    foods["source"] = "embedded"
    extra = pd.Series(curated["tags"].str.replace(LIST_SEPARATOR, ",").to_numpy(),
                      index=foods.index)
    foods["tags"] = add_tags(foods["tags"], extra)
    foods = foods.sort_index()

    portions = sr28.portions[sr28.portions["food_id"].isin(foods.index)]
    portions = portions.sort_values(["food_id", "seq"], ignore_index=True)

    aliases = pd.DataFrame(
        [(alias, food_id) for food_id, cell in zip(ids, curated["aliases"], strict=True)
         for alias in _split(cell)],
        columns=ALIAS_COLUMNS,
    ).sort_values(ALIAS_COLUMNS, ignore_index=True)
    return FoodTable(foods[FOOD_COLUMNS], portions[PORTION_COLUMNS], aliases)


def write_table(table: FoodTable, folder: Path) -> list[Path]:
    """Write the table as three sorted, diff-friendly CSV files; returns their paths."""
    frames = (table.foods.reset_index(), table.portions, table.aliases)
    paths = []
    for name, frame in zip(TABLE_FILES, frames, strict=True):
        path = folder / name
        write_atomic(path, frame.to_csv(index=False, lineterminator="\n"))
        paths.append(path)
    return paths


def build(sr28_folder: Path, out_folder: Path = DATA_DIR,
          curated_path: Path | None = None) -> FoodTable:
    """Read SR28 and the curated list, and write the embedded table into `out_folder`."""
    curated = read_curated(curated_path or DATA_DIR / CURATED_FILE)
    table = build_table(read_sr28(sr28_folder), curated)
    write_table(table, Path(out_folder))
    return table


def _split(cell: str) -> list[str]:
    return [part.strip() for part in str(cell).split(LIST_SEPARATOR) if part.strip()]


def main(argv: list[str] | None = None) -> int:
    """`python -m foods.build_table SR28_FOLDER [--out DIR]`."""
    parser = argparse.ArgumentParser(prog="python -m foods.build_table",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("sr28", type=Path, help="folder with the SR28 ASCII files")
    parser.add_argument("--out", type=Path, default=DATA_DIR,
                        help=f"where to write {', '.join(TABLE_FILES)} (default: {DATA_DIR})")
    args = parser.parse_args(argv)
    try:
        table = build(args.sr28, args.out)
    except FoodDataError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(table.foods)} foods, {len(table.portions)} portions and "
          f"{len(table.aliases)} aliases written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
