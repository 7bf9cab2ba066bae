"""The nutrients nutrigap analyses, with their keys in every source it reads."""

from __future__ import annotations

import pandas as pd

# One row per nutrient. `cronometer_factor` turns the Cronometer column into our unit
# (Cronometer logs vitamin D in IU; 40 IU = 1 µg). `role`: "target" nutrients are scored
# against a target, "watched" against an upper limit only, "energy" is the plan's cost, and a
# "trigger" (caffeine, alcohol, water, sodium: other things the twitching literature names) is
# shown against its own reference amounts and never changes a status.
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
    ("caffeine_mg", "Caffeine", "mg", "262", 1057, "CAFF", "Caffeine (mg)", 1.0, "trigger"),
    ("alcohol_g", "Alcohol", "g", "221", 1018, "ALCO", "Alcohol (g)", 1.0, "trigger"),
    ("water_g", "Water", "g", "255", 1051, "MOIS", "Water (g)", 1.0, "trigger"),
    ("sodium_mg", "Sodium", "mg", "307", 1093, "SODI", "Sodium (mg)", 1.0, "trigger"),
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
#: the nutrients with a status: the five with a target, then B6 (upper limit only)
SCORED_KEYS: list[str] = list(NUTRIENTS.index[NUTRIENTS["role"].isin(("target", "watched"))])
#: caffeine, alcohol, water and sodium: shown against their own references, never scored
TRIGGER_KEYS: list[str] = list(NUTRIENTS.index[NUTRIENTS["role"] == "trigger"])
#: SR28 vitamin D in IU (Nutr_No 324) is used when 328 (µg) is absent: µg = IU / 40
SR_VITAMIN_D_IU = "324"
FDC_VITAMIN_D_IU = 1110
IU_PER_UG_VITAMIN_D = 40.0


def label(key: str) -> str:
    """'magnesium_mg' -> 'Magnesium (mg)'."""
    row = NUTRIENTS.loc[key]
    return f"{row['name']} ({row['unit']})"
