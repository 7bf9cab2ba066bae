"""A supplement written without "supplement:" gets one message saying how to write it."""

from __future__ import annotations

import io

import pytest

from nutrigap.analyzer.errors import BadMealLog
from nutrigap.analyzer.logs.meal_log import read_meal_log

LOG = """date,meal,food,amount,unit
2024-03-05,breakfast,banana,1,medium
2024-03-05,,vitamin D,1000,IU
2024-03-05,,magnesium glycinate,200,mg
2024-03-05,,"Vitamin D3, NOW Foods",1,softgel
2024-03-05,,calcium-fortified orange juice,1,cup
"""


def problems(text: str) -> list[str]:
    with pytest.raises(BadMealLog) as refused:
        read_meal_log(io.BytesIO(text.encode("utf-8")))
    return [str(p) for p in refused.value.problems]


def test_each_unprefixed_supplement_gets_one_message_with_the_fix():
    assert problems(LOG) == [
        'row 3, food: "vitamin D" is a supplement; write supplement: vitamin D in food, with '
        "the dose as the label prints it (µg, mg or IU), so it is counted as a supplement",
        'row 4, food: "magnesium glycinate" is a supplement; write supplement: magnesium '
        "glycinate in food, with the dose as the label prints it (mg, g or µg), so it is "
        "counted as a supplement",
        'row 5, food: "Vitamin D3, NOW Foods" is a supplement; write supplement: Vitamin D3 in '
        "food, with the dose as the label prints it (µg, mg or IU), so it is counted as a "
        "supplement"]


def test_the_suggested_fix_is_read():
    fixed = (LOG.replace(",vitamin D,", ",supplement: vitamin D,")
             .replace(",magnesium glycinate,", ",supplement: magnesium glycinate,")
             .replace('"Vitamin D3, NOW Foods",1,softgel', '"supplement: Vitamin D3, NOW Foods"'
                      ",25,µg"))
    items, _ = read_meal_log(io.BytesIO(fixed.encode("utf-8")))
    supplements = items[items["kind"] == "supplement"]
    assert supplements["vitamin_d_ug"].tolist() == [25, 0, 25]
    assert supplements["magnesium_mg"].tolist() == [0, 200, 0]
    assert items.loc[items["kind"] == "food", "food"].tolist() == [
        "banana", "calcium-fortified orange juice"]
