"""Cronometer nutrient columns under other unit spellings: read when the unit is known, named
in the notes when it is not."""

from __future__ import annotations

import io
import math

import pytest

from nutrigap.analyzer.logs.meal_log import read_meal_log

ROWS = ('2022-11-03,9:51 AM,"Breakfast","Eggs, Cooked","4.00 medium",272.80,0.21,1.95,{d},'
        '88.00,17.60,221.76,0.00,0.00,131.33,218.24,"Dairy and Egg Products"\n'
        '2022-11-03,1:05 PM,"Lunch","Salmon, Atlantic, Farmed, Cooked","150.00 g",309.00,0.96,'
        '4.20,{d2},22.50,45.00,576.00,,,97.40,91.50,"Finfish and Shellfish Products"\n')


def export(vitamin_d: str, b12: str = "B12 (Cobalamin) (µg)", d=153.12, d2=784.5) -> bytes:
    header = (f"Day,Time,Group,Food Name,Amount,Energy (kcal),B6 (Pyridoxine) (mg),{b12},"
              f"{vitamin_d},Calcium (mg),Magnesium (mg),Potassium (mg),Alcohol (g),"
              "Caffeine (mg),Water (g),Sodium (mg),Category\n")
    return (header + ROWS.format(d=d, d2=d2)).encode("utf-8")


def read(data: bytes):
    return read_meal_log(io.BytesIO(data))


def test_caffeine_alcohol_water_and_sodium_are_read_as_logged():
    items, info = read(export("Vitamin D (IU)"))
    assert items["water_g"].tolist() == [131.33, 97.40]
    assert items["sodium_mg"].tolist() == [218.24, 91.50]
    assert items["caffeine_mg"].tolist()[0] == 0.0 and items["alcohol_g"].tolist()[0] == 0.0
    # a blank cell of a food is unknown, looked up from the matched food later, never 0
    assert math.isnan(items["caffeine_mg"].iloc[1]) and math.isnan(items["alcohol_g"].iloc[1])
    taken = next(n for n in info.notes if n.startswith("nutrient values are taken"))
    assert "Caffeine 1, Alcohol 1, Water 2, Sodium 2" in taken


def test_vitamin_d_in_iu_is_divided_by_40():
    items, info = read(export("Vitamin D (IU)"))
    assert items["vitamin_d_ug"].tolist() == [pytest.approx(153.12 / 40),
                                              pytest.approx(784.5 / 40)]
    assert not any("Vitamin D" in note for note in info.notes if "column" in note)


@pytest.mark.parametrize("column", ["Vitamin D (µg)", "Vitamin D (mcg)", "vitamin d (ug)",
                                    "Vitamin D (μg)"])
def test_vitamin_d_in_micrograms_is_read_as_micrograms(column):
    items, info = read(export(column, d=3.83, d2=19.6))
    assert items["vitamin_d_ug"].tolist() == [3.83, 19.6]
    assert f'Vitamin D is read from the column "{column}" as µg' in info.notes
    assert not any("no Vitamin D" in note for note in info.notes)


def test_b12_in_mcg_is_read_like_the_usual_microgram_column():
    items, info = read(export("Vitamin D (IU)", b12="B12 (Cobalamin) (mcg)"))
    assert items["vitamin_b12_ug"].tolist() == [1.95, 4.20]


def test_a_vitamin_d_column_in_a_unit_not_read_is_named_not_called_absent():
    items, info = read(export("Vitamin D (mg)", d=0.004, d2=0.02))
    assert items["vitamin_d_ug"].map(math.isnan).all()
    hidden = [note for note in info.notes if note.startswith("the export ")]
    assert hidden == ['the export has "Vitamin D (mg)" in a unit nutrigap does not read (it '
                      "reads Vitamin D (IU) or (µg)), so the Vitamin D values come from the "
                      "matched foods"]


def test_a_hidden_column_is_still_called_absent():
    data = export("Vitamin D (IU)").replace(b"Vitamin D (IU)", b"Folate (\xc2\xb5g)")
    _, info = read(data)
    assert ("the export has no Vitamin D (IU) column (hidden in Cronometer?), so those values "
            "come from the matched foods") in info.notes
