"""Write small folders in the SR28 ASCII format (`~text~^number`, latin-1, CRLF) for tests."""

from __future__ import annotations

from pathlib import Path

FD_GROUP = [("0100", "Dairy and Egg Products"), ("1100", "Vegetables and Vegetable Products"),
            ("1500", "Finfish and Shellfish Products")]
# NDB_No, FdGrp_Cd, Long_Desc
FOOD_DES = [("01077", "0100", "Milk, whole, 3.25% milkfat, with added vitamin D"),
            ("11457", "1100", "Spinach, raw"),
            ("15076", "1500", "Fish, salmon, Atlantic, wild, raw"),
            ("15088", "1500", "Fish, sardine, Atlantic, canned in oil, drained solids with bone")]
# NDB_No, Nutr_No, Nutr_Val
NUT_DATA = [("01077", "208", 61), ("01077", "301", 113), ("01077", "304", 10),
            ("01077", "306", 132), ("01077", "328", 1.3), ("01077", "324", 51),
            ("01077", "418", 0.45), ("01077", "415", 0.036), ("01077", "203", 3.15),
            ("11457", "208", 23), ("11457", "301", 99), ("11457", "304", 79),
            ("11457", "306", 558), ("11457", "415", 0.195),
            ("15076", "208", 142), ("15076", "301", 12), ("15076", "418", 3.18),
            ("15088", "208", 208), ("15088", "324", 193), ("15088", "418", 8.94)]
# NDB_No, Seq, Amount, Msre_Desc, Gm_Wgt
WEIGHT = [("01077", "1", "1", "cup", "244"), ("01077", "2", "1", "quart", "976"),
          ("11457", "1", "1", "cup", "30"), ("11457", "2", "1", "bunch", "340"),
          ("15088", "1", "1", "can", "92")]


def _line(fields: list[str]) -> str:
    return "^".join(fields) + "\r\n"


def _text(value: str) -> str:
    return f"~{value}~"


def write_sr28(folder: Path, *, food_des=FOOD_DES, nut_data=NUT_DATA, weight=WEIGHT) -> Path:
    """A tiny but complete SR28 folder: every field of every line in its place."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = {
        "FD_GROUP.txt": [[_text(c), _text(d)] for c, d in FD_GROUP],
        "FOOD_DES.txt": [[_text(n), _text(g), _text(d), _text(d.upper()[:60]), "~~", "~~",
                          "~Y~", "~~", "0", "~~", "6.38", "", "", ""] for n, g, d in food_des],
        "NUT_DATA.txt": [[_text(n), _text(nr), str(v), "1", "", "~1~", "~~", "~~", "~~", "",
                          "", "", "", "", "", "~~", "11/1976", ""] for n, nr, v in nut_data],
        "WEIGHT.txt": [[_text(n), s, a, _text(d), g, "", ""] for n, s, a, d, g in weight],
    }
    for name, rows in lines.items():
        (folder / name).write_bytes("".join(_line(r) for r in rows).encode("latin-1"))
    return folder
