"""Cronometer nutrient columns under other unit spellings: read when the unit is known, named
in the notes when it is not."""

from __future__ import annotations

import io
import math

import pytest

from nutrigap.analyzer.logs.meal_log import read_meal_log

ROWS = ('2022-11-03,9:51 AM,"Breakfast","Eggs, Cooked","4.00 medium",272.80,0.21,1.95,{d},'
        '88.00,17.60,221.76,"Dairy and Egg Products"\n'
        '2022-11-03,1:05 PM,"Lunch","Salmon, Atlantic, Farmed, Cooked","150.00 g",309.00,0.96,'
        '4.20,{d2},22.50,45.00,576.00,"Finfish and Shellfish Products"\n')


def export(vitamin_d: str, b12: str = "B12 (Cobalamin) (µg)", d=153.12, d2=784.5) -> bytes:
    header = (f"Day,Time,Group,Food Name,Amount,Energy (kcal),B6 (Pyridoxine) (mg),{b12},"
              f"{vitamin_d},Calcium (mg),Magnesium (mg),Potassium (mg),Category\n")
    return (header + ROWS.format(d=d, d2=d2)).encode("utf-8")


def read(data: bytes):
    return read_meal_log(io.BytesIO(data))


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
