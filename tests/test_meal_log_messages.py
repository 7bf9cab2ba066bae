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


HANDFUL = ("cannot be weighed, since hands and foods differ; weigh it, or write it in g (a "
           "handful of nuts is about 30 g, 1 oz)")


def test_a_handful_gets_advice_that_is_itself_accepted():
    found = problems("date,meal,food,amount,unit\n"
                     "2024-05-01,lunch,almonds,a handful,\n"
                     "2024-05-01,lunch,almonds,1,handful\n"
                     "2024-05-01,lunch,walnuts,2 handfuls,\n")
    assert found == [f'row 2, amount: "a handful" is not a number, and "handful" {HANDFUL}',
                     f'row 3, unit: "handful" {HANDFUL}',
                     f'row 4, amount: "2 handfuls" has a unit that {HANDFUL}']
    items, _ = read("date,meal,food,amount,unit\n2024-05-01,lunch,almonds,30,g\n")
    assert items.loc[0, "grams"] == 30


def test_mugs_and_pots_say_what_to_write_instead():
    found = problems("date,meal,food,amount,unit\n"
                     "2024-05-01,breakfast,tea with milk,2,mugs\n"
                     "2024-05-01,snack,yogurt,1,pot\n")
    assert found[0].startswith('row 2, unit: "mugs" is not a fixed size (mugs hold from about '
                               "250 to 350 ml); write it in ml or cups")
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


def test_a_food_cell_starting_with_the_amount_says_what_to_move():
    found = problems("date,meal,food,amount,unit\n"
                     "2024-03-05,b,2 eggs,,\n"
                     "2024-03-05,b,1 cup milk,,\n"
                     "2024-03-05,b,2% milk,,\n")
    assert found == [
        'row 2, amount: is empty; the food cell starts with the amount ("2 eggs"): move 2 to '
        "amount, leave eggs in food, and write a unit such as each, medium or g in unit",
        'row 3, amount: is empty; the food cell starts with the amount ("1 cup milk"): move 1 '
        "to amount and cup to unit, leaving milk in food",
        "row 4, amount: is empty; write how much was eaten, e.g. 150 in amount and g in unit"]
    items, _ = read("date,meal,food,amount,unit\n2024-03-05,b,milk,1,cup\n"
                    "2024-03-05,b,eggs,2,each\n")
    assert items["quantity"].tolist() == [1, 2]


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
