"""FoodData Central CSV downloads packed as USDA packs them: one zip holding one folder named
like the zip, and ways to spoil such a zip."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from fdc_fixtures.csv_download import write_files


def pack(tables: dict[str, list[tuple]], archive: Path) -> Path:
    """Write the tables under FDC's file names into `archive`, inside a folder named like it."""
    folder = write_files(archive.parent / f"{archive.stem}-files" / archive.stem, tables)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.iterdir()):
            zf.write(path, f"{archive.stem}/{path.name}")
    return archive


def spoil(archive: Path, member: str = "food_nutrient.csv") -> bytes:
    """The zip's bytes with one byte of `member`'s compressed data changed: the zip still
    opens, but that member fails its CRC or does not inflate."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = next(i for i in zf.infolist() if i.filename.endswith(member))
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.compress_size // 2] ^= 0xFF
    return bytes(data)
