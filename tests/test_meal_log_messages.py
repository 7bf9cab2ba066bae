"""Messages for everyday ways of writing amounts: each names the row and a fix that works."""

from __future__ import annotations

import io

import pytest

from nutrigap.analyzer.errors import BadMealLog
from nutrigap.analyzer.logs.meal_log import read_meal_log
from nutrigap.analyzer.logs.units import lookup_unit


def problems(text: str) -> list[str]:
    with pytest.raises(BadMealLog) as refused:
        read_meal_log(io.BytesIO(text.encode("utf-8")))
    return [str(p) for p in refused.value.problems]


def read(text: str):
    return read_meal_log(io.BytesIO(text.encode("utf-8")))


def test_a_handful_and_a_mug_are_read_and_a_pot_gets_advice():
    items, _ = read("date,meal,food,amount,unit\n"
                    "2024-05-01,lunch,almonds,1,handful\n"
                    "2024-05-01,lunch,walnuts,2 handfuls,\n"
                    "2024-05-01,lunch,spinach,1,big handful\n"
                    "2024-05-01,breakfast,tea with milk,2,mugs\n")
    assert items["unit"].tolist() == ["handful", "handful", "handful", "mug"]
    assert items["quantity"].tolist() == [1, 2, 1, 2]
    assert items["portion_text"].tolist() == ["handful", "handfuls", "big handful", "mugs"]
    found = problems("date,meal,food,amount,unit\n"
                     "2024-05-01,lunch,almonds,a handful,\n"
                     "2024-05-01,snack,yogurt,1,pot\n")
    assert found[0] == ('row 2, amount: "a handful" is not a number; write 1 in amount and '
                        "handful in unit")
    assert found[1].startswith('row 3, unit: "pot" is not a fixed size; write the weight or '
                               "volume printed on the pot, in g or ml")


def test_a_tin_is_a_can():
    tin, can = lookup_unit("tin"), lookup_unit("can")
    assert (tin.name, tin.kind, tin.also_matches) == (can.name, can.kind, can.also_matches)
    items, _ = read("date,meal,food,amount,unit\n"
                    '2024-05-01,dinner,"Sardines, canned in oil",1,tin\n'
                    "2024-05-01,dinner,chopped tomatoes,2 tins,\n")
    assert items["unit"].tolist() == ["can", "can"]
    assert items["quantity"].tolist() == [1, 2]


def test_a_food_cell_holding_the_amount_is_read_and_says_so():
    items, _ = read("date,meal,food,amount,unit\n"
                    "2024-03-05,b,2 eggs,,\n"
                    "2024-03-05,b,1 cup milk,,\n"
                    "2024-03-05,b,milk,1,cup\n")
    assert items["food"].tolist() == ["eggs", "milk", "milk"]
    assert items["quantity"].tolist() == [2, 1, 1]
    assert items["unit"].tolist() == ["egg", "cup", "cup"]
    assert items["food_written"].tolist() == ["2 eggs", "1 cup milk", ""]


def test_a_food_cell_without_an_amount_or_with_a_unit_beside_it_says_what_to_move():
    found = problems("date,meal,food,amount,unit\n"
                     "2024-03-05,b,2 eggs,,large\n"
                     "2024-03-05,b,2% milk,,\n")
    assert found == [
        'row 2, amount: is empty; the food cell starts with the amount ("2 eggs"): move 2 to '
        "amount, leave eggs in food, and write a unit such as each, medium or g in unit",
        "row 3, amount: is empty; write how much was eaten, e.g. 150 in amount and g in unit"]


def test_check_says_one_day_not_one_days(tmp_path):
    from click.testing import CliRunner

    from nutrigap.cli import main

    path = tmp_path / "one-day.csv"
    path.write_text("date;food;amount;unit\n2024-03-05;Haferflocken;1,5;cup\n", encoding="cp1252")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert "rows: 1 read, 0 skipped (amount 0) over 1 day (2024-03-05 to 2024-03-05)" in (
        result.output.splitlines())


def test_a_number_in_scientific_notation_is_refused_with_it_written_out():
    assert problems("date,meal,food,amount,unit\n2024-03-05,b,milk,1e3,g\n"
                    "2024-03-05,b,oats,2.5E1 g,\n2024-03-05,b,salt,5e-1,g\n") == [
        'row 2, amount: "1e3" is a number in scientific notation (as a spreadsheet may show '
        "it); write it out: 1000",
        'row 3, amount: "2.5E1 g" is a number in scientific notation (as a spreadsheet may '
        "show it); write it out: 25",
        'row 4, amount: "5e-1" is a number in scientific notation (as a spreadsheet may show '
        "it); write it out: 0.5"]
