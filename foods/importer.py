"""Import public USDA data (the SR28 ASCII release, a FoodData Central CSV download or the
FNDDS "At A Glance" tables, as a folder or as the zip USDA ships) into the local food
database."""

from __future__ import annotations

import contextlib
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator, Sequence
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


@dataclass(frozen=True)
class SourceRead:
    """The foods one USDA folder or zip holds, read but not yet saved."""

    source_format: str
    path: Path
    table: FoodTable
    notes: tuple[str, ...]
    seconds: float

    @property
    def nutrient_values(self) -> int:
        """Known (not missing) nutrient values."""
        return int(self.table.foods[NUTRIENT_KEYS].notna().to_numpy().sum())


def detect_format(path: Path) -> str:
    """"sr28" for a folder holding FOOD_DES.txt, "fdc" for one holding food.csv, "fndds" for
    one holding the FNDDS At A Glance CSVs."""
    from nutrigap.foods.fndds import is_fndds_folder

    path = Path(path)
    if not path.exists():
        raise FoodDataError(f"{path} does not exist; give the folder of an unpacked SR28 or "
                            "FoodData Central CSV download, or its zip")
    if not path.is_dir():
        raise FoodDataError(f"{path} is a file but not a zip; give the zip USDA ships or the "
                            "folder unpacked from it")
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
    from nutrigap.foods.fdc_csv import read_fdc_csv_with_notes

    read = read_fdc_csv_with_notes(path)
    return source_format, read.table, tuple(read.notes)


def read_source(path: str | Path) -> SourceRead:
    """The foods of one USDA folder, or of the zip USDA ships it as."""
    started = time.perf_counter()
    path = Path(path)
    with _unpacked(path) as folder:
        try:
            source_format, table, notes = _read_foods(folder)
        except FoodDataError as exc:
            if folder == path:
                raise
            # Name the zip the user gave, not the temporary folder it was unpacked to.
            root = str(folder if folder.name.startswith("nutrigap-import-") else folder.parent)
            raise FoodDataError(str(exc).replace(root, str(path))) from None
    if not len(table):
        raise FoodDataError(f"{path} holds no foods nutrigap can use; check that it is a "
                            "complete download")
    return SourceRead(source_format, path, table, notes, time.perf_counter() - started)


def save_sources(reads: Sequence[SourceRead], db_path: str | Path) -> int:
    """Add the foods of every read to the database at `db_path` in one write, so it changes
    only when all of them are saved; the number of foods it then holds."""
    db_path = Path(db_path)
    table = reads[0].table
    for read in reads[1:]:
        table = table.merged_with(read.table)
    save_table(table, db_path)
    return count_foods(db_path)


def import_foods(path: str | Path, db_path: str | Path) -> ImportSummary:
    """Read the USDA folder or zip at `path` and add its foods to the database at `db_path`;
    on any error the database is left as it was."""
    started = time.perf_counter()
    db_path = Path(db_path)
    read = read_source(path)
    in_db = save_sources([read], db_path)
    return ImportSummary(
        source_format=read.source_format, path=read.path, db_path=db_path,
        foods=len(read.table), nutrient_values=read.nutrient_values,
        portions=len(read.table.portions), foods_in_db=in_db,
        seconds=time.perf_counter() - started, notes=read.notes,
    )


@contextlib.contextmanager
def _unpacked(path: Path) -> Iterator[Path]:
    """The folder itself, or the folder inside a zip unpacked to a temporary folder (its
    text files only), removed afterwards."""
    if not path.is_file() or not zipfile.is_zipfile(path):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="nutrigap-import-") as tmp:
        try:
            with zipfile.ZipFile(path) as archive:
                for member in archive.infolist():
                    name = member.filename
                    if name.lower().endswith((".csv", ".txt")) and "__MACOSX" not in name:
                        archive.extract(member, tmp)  # names with .. or / are made safe
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise FoodDataError(f"{path} cannot be unpacked ({exc}); the zip is damaged or "
                                "was cut short, download it again") from None
        yield _data_folder(Path(tmp))


def _data_folder(root: Path) -> Path:
    """USDA's zips hold one folder named like the zip; a zip of the files alone works too."""
    from nutrigap.foods.fndds import is_fndds_folder

    for folder in [root, *sorted(d for d in root.iterdir() if d.is_dir())]:
        if ((folder / SR28_MARKER).exists() or (folder / FDC_MARKER).exists()
                or is_fndds_folder(folder)):
            return folder
    return root  # detect_format says what is missing
