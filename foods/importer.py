"""Import public USDA data (the SR28 ASCII release, a FoodData Central CSV download or the
FNDDS "At A Glance" tables) into the local food database."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from nutrigap.analyzer.errors import FoodDataError
from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS
from nutrigap.foods.store import count_foods, save_table

SR28_MARKER = "FOOD_DES.txt"
FDC_MARKER = "food.csv"
FORMAT_NAMES = {"sr28": "the SR28 ASCII release", "fdc": "a FoodData Central CSV download",
                "fndds": "the FNDDS At A Glance tables"}


@dataclass(frozen=True)
class ImportSummary:
    """What one import read and where it went."""

    source_format: str  # "sr28", "fdc" or "fndds"
    path: Path
    db_path: Path
    foods: int
    nutrient_values: int  # known (not missing) nutrient values
    portions: int
    foods_in_db: int
    seconds: float
    notes: tuple[str, ...] = field(default=())  # what the source held but was left out

    def describe(self) -> str:
        """One line for the terminal (and one more for what was left out)."""
        line = (f"Imported {self.foods:,} foods ({self.nutrient_values:,} nutrient values, "
                f"{self.portions:,} portions) from {FORMAT_NAMES[self.source_format]} in "
                f"{self.path} into {self.db_path} in {self.seconds:.1f} s; the database now "
                f"holds {self.foods_in_db:,} foods.")
        if self.notes:
            line += "\nLeft out: " + "; ".join(self.notes) + "."
        return line


def detect_format(path: Path) -> str:
    """"sr28" for a folder holding FOOD_DES.txt, "fdc" for one holding food.csv, "fndds" for
    one holding the FNDDS At A Glance CSVs."""
    from nutrigap.foods.fndds import is_fndds_folder

    path = Path(path)
    if not path.exists():
        raise FoodDataError(f"{path} does not exist; give the folder of an unpacked SR28 or "
                            "FoodData Central CSV download")
    if not path.is_dir():
        raise FoodDataError(f"{path} is a file; unpack the download and give its folder")
    if (path / SR28_MARKER).exists():
        return "sr28"
    if (path / FDC_MARKER).exists():
        return "fdc"
    if is_fndds_folder(path):
        return "fndds"
    inner = [p for p in sorted(path.iterdir()) if p.is_dir()
             and ((p / SR28_MARKER).exists() or (p / FDC_MARKER).exists()
                  or is_fndds_folder(p))]
    hint = f"; did you mean {inner[0]}?" if inner else (
        "; give the folder that holds FOOD_DES.txt (SR28), food.csv (FoodData Central) or the "
        "FNDDS At A Glance CSVs (\"... FNDDS Nutrient Values.csv\" and \"... Portions and "
        "Weights.csv\")")
    raise FoodDataError(f"{path} holds neither the SR28 ASCII files nor a FoodData Central CSV "
                        f"download nor the FNDDS At A Glance tables{hint}")


def _read_foods(path: Path) -> tuple[str, FoodTable, tuple[str, ...]]:
    """The foods of an SR28, FDC CSV or FNDDS folder: the format detected, the table, and
    notes on what was left out on the way."""
    source_format = detect_format(path)
    if source_format == "sr28":
        from nutrigap.foods.sr28 import read_sr28

        return source_format, read_sr28(path), ()
    if source_format == "fndds":
        from nutrigap.foods.fndds import read_fndds_with_notes

        read = read_fndds_with_notes(path)
        return source_format, read.table, tuple(read.notes)
    from nutrigap.foods.fdc_csv import read_fdc_csv

    return source_format, read_fdc_csv(path), ()


def import_foods(path: str | Path, db_path: str | Path) -> ImportSummary:
    """Read the USDA folder at `path` and add its foods to the database at `db_path`; on any
    error the database is left as it was."""
    started = time.perf_counter()
    path, db_path = Path(path), Path(db_path)
    source_format, table, notes = _read_foods(path)
    if not len(table):
        raise FoodDataError(f"{path} holds no foods nutrigap can use; check that it is a "
                            "complete download")
    save_table(table, db_path)
    return ImportSummary(
        source_format=source_format, path=path, db_path=db_path, foods=len(table),
        nutrient_values=int(table.foods[NUTRIENT_KEYS].notna().to_numpy().sum()),
        portions=len(table.portions), foods_in_db=count_foods(db_path),
        seconds=time.perf_counter() - started, notes=notes,
    )
