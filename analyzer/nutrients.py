"""The nutrients nutrigap analyses, with their keys in every source it reads."""

from __future__ import annotations

import pandas as pd

# One row per nutrient. `cronometer_factor` turns the Cronometer column into our unit
# (Cronometer logs vitamin D in IU; 40 IU = 1 µg).
_ROWS = [
    # key, name, unit, SR Nutr_No, FDC id, NHANES, Cronometer column, factor, role
    ("magnesium_mg", "Magnesium", "mg", "304", 1090, "MAGN", "Magnesium (mg)", 1.0, "target"),
    ("calcium_mg", "Calcium", "mg", "301", 1087, "CALC", "Calcium (mg)", 1.0, "target"),
    ("potassium_mg", "Potassium", "mg", "306", 1092, "POTA", "Potassium (mg)", 1.0, "target"),
    ("vitamin_d_ug", "Vitamin D", "µg", "328", 1114, "VD", "Vitamin D (IU)", 1 / 40, "target"),
    ("vitamin_b12_ug", "Vitamin B12", "µg", "418", 1178, "VB12", "B12 (Cobalamin) (µg)", 1.0,
     "target"),
    ("vitamin_b6_mg", "Vitamin B6", "mg", "415", 1175, "VB6", "B6 (Pyridoxine) (mg)", 1.0,
     "watched"),
    ("energy_kcal", "Energy", "kcal", "208", 1008, "KCAL", "Energy (kcal)", 1.0, "energy"),
]

NUTRIENTS = pd.DataFrame(
    _ROWS,
    columns=["key", "name", "unit", "sr_nutr_no", "fdc_id", "nhanes", "cronometer",
             "cronometer_factor", "role"],
).set_index("key")

#: every per-100 g / per-item nutrient column, in report order
NUTRIENT_KEYS: list[str] = list(NUTRIENTS.index)
#: the five nutrients compared with a target
TARGET_KEYS: list[str] = list(NUTRIENTS.index[NUTRIENTS["role"] == "target"])
#: SR28 vitamin D in IU (Nutr_No 324) is used when 328 (µg) is absent: µg = IU / 40
SR_VITAMIN_D_IU = "324"
FDC_VITAMIN_D_IU = 1110
IU_PER_UG_VITAMIN_D = 40.0


def label(key: str) -> str:
    """'magnesium_mg' -> 'Magnesium (mg)'."""
    row = NUTRIENTS.loc[key]
    return f"{row['name']} ({row['unit']})"
