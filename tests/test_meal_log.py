"""Reading meal logs: our format, Cronometer servings exports, and what spreadsheets save."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from click.testing import CliRunner

from nutrigap.analyzer.errors import BadMealLog
from nutrigap.analyzer.logs.meal_log import ITEM_COLUMNS, ReadLimits, read_meal_log
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS

OURS = """date,meal,food,amount,unit
2024-03-04,breakfast,"Oats, rolled",40,g
2024-03-04,breakfast,"Milk, 2%",1,cup
2024-03-04,lunch,"Spinach, raw",1 1/2 cups,
2024-03-04,lunch,Banana,2,medium
2024-03-04,dinner,"Salmon, cooked",0,g
2024-03-05,,supplement: magnesium,200,mg
2024-03-05,,supplement: Vitamin D3,1000 IU,
2024-03-05,,supplement: vitamin D,25,µg
2024-03-05,,supplement: B12,500,mcg
2024-03-05,,supplement: B6,50,mg
"""


def read(text: str, encoding: str = "utf-8", **limits):
    return read_meal_log(io.BytesIO(text.encode(encoding)), limits=ReadLimits(**limits))


def test_our_format_gives_the_items_table():
    items, info = read(OURS)
    assert list(items.columns) == ITEM_COLUMNS
    assert str(items["date"].dtype) == "datetime64[ns]"
    assert items["row"].tolist() == [2, 3, 4, 5, 7, 8, 9, 10, 11]
    oats, milk, spinach, banana = (items.iloc[i] for i in range(4))
    assert (oats["quantity"], oats["unit"], oats["grams"]) == (40, "g", 40)
    assert math.isnan(oats["ml"])
    assert (milk["unit"], milk["ml"]) == ("cup", pytest.approx(236.588, abs=1e-3))
    assert math.isnan(milk["grams"])
    assert (spinach["quantity"], spinach["unit"]) == (1.5, "cup")
    assert (banana["quantity"], banana["unit"], banana["portion_text"]) == (2, "medium", "medium")
    assert items["amount_text"].tolist()[:4] == ["40 g", "1 cup", "1 1/2 cups", "2 medium"]
    assert items.loc[:3, NUTRIENT_KEYS].isna().all().all()
    assert (info.format, info.encoding, info.delimiter) == ("nutrigap", "utf-8", ",")
    assert (info.rows_read, info.skipped_rows, info.days) == (9, [6], 2)
    assert info.first_date == pd.Timestamp("2024-03-04")
    assert "1 row with amount 0 skipped (row 6)" in info.notes


def test_supplements_carry_their_dose_in_our_unit_and_zero_elsewhere():
    items, _ = read(OURS)
    supplements = items[items["kind"] == "supplement"].set_index("food")
    assert supplements.index.tolist() == ["magnesium", "Vitamin D3", "vitamin D", "B12", "B6"]
    expected = {"magnesium": ("magnesium_mg", 200), "Vitamin D3": ("vitamin_d_ug", 25),
                "vitamin D": ("vitamin_d_ug", 25), "B12": ("vitamin_b12_ug", 500),
                "B6": ("vitamin_b6_mg", 50)}
    for food, (key, value) in expected.items():
        row = supplements.loc[food]
        assert row[key] == pytest.approx(value)
        assert (row[NUTRIENT_KEYS].drop(key) == 0).all()
        assert math.isnan(row["grams"])
    assert (supplements.loc["Vitamin D3", "quantity"], supplements.loc["Vitamin D3", "unit"]) == (
        1000, "IU")


def test_caffeine_and_sodium_supplements():
    text = ("date,meal,food,amount,unit\n2024-03-05,,supplement: caffeine,200,mg\n"
            "2024-03-05,,supplement: Caffeine Anhydrous,100,mg\n"
            "2024-03-05,,supplement: sodium,1,g\n2024-03-05,,supplement: salt tablet,1,g\n")
    items, info = read(text)
    assert items["kind"].eq("supplement").all()
    assert items["caffeine_mg"].tolist() == [200, 100, 0, 0]
    assert items["sodium_mg"].tolist() == [0, 0, 1000, 1000]
    assert (items[["water_g", "alcohol_g", "magnesium_mg"]] == 0).all().all()
    # a salt tablet's weight is not its sodium: the note gives what 1 g of salt holds
    assert any(n.startswith("row 5: 1,000 mg of salt tablet is counted as 1,000 mg of sodium")
               and "about 390 mg" in n for n in info.notes)


def test_a_caffeine_dose_is_taken_in_mg_only():
    # a scoop of pre-workout weighs grams; its caffeine is what the label gives in mg
    text = "date,meal,food,amount,unit\n2024-03-05,,supplement: caffeine,10,g\n"
    with pytest.raises(BadMealLog, match='row 2, unit: "g" is not a unit for a caffeine dose; '
                                         "give the amount taken in mg as the label"):
        read(text)


def test_client_and_notes_columns():
    text = "client,date,meal,food,amount,unit,notes\nc-17,2024-03-04,lunch,Apple,1,medium,crisp\n"
    items, _ = read(text)
    assert items.loc[0, "client"] == "c-17"
    items, _ = read(OURS)
    assert (items["client"] == "").all()


def test_header_names_ignore_case_and_spaces_and_meal_and_unit_are_optional():
    items, _ = read(" Date ,FOOD,Amount\n2024-03-04,Apple,150 g\n")
    assert (items.loc[0, "meal"], items.loc[0, "grams"]) == ("", 150)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_encodings_spreadsheets_save(encoding):
    text = "date,meal,food,amount,unit\r\n2024-03-04,dinner,Crème fraîche,2,tbsp\r\n"
    items, info = read(text, encoding)
    assert items.loc[0, "food"] == "Crème fraîche"
    assert info.encoding == encoding


def test_semicolons_with_decimal_commas_and_tabs():
    items, info = read("date;meal;food;amount;unit\n2024-03-04;lunch;Milk, 2%;1,5;cup\n")
    assert (info.delimiter, items.loc[0, "food"], items.loc[0, "quantity"]) == (";", "Milk, 2%",
                                                                                 1.5)
    assert any("decimal comma" in n for n in info.notes)
    items, info = read("date\tfood\tamount\tunit\n2024-03-04\tApple\t0,5\tcup\n")
    assert (info.delimiter, items.loc[0, "quantity"]) == ("\t", 0.5)


def test_excel_sep_line_quoted_cells_and_blank_lines():
    text = ('sep=;\r\ndate;meal;food;amount;unit\r\n2024-03-04;lunch;"Soup; lentil";1;cup\r\n'
            "\r\n;;;;\r\n2024-03-05;lunch;Apple;1;medium\r\n\r\n\r\n")
    items, info = read(text)
    assert items["food"].tolist() == ["Soup; lentil", "Apple"]
    assert items["row"].tolist() == [2, 5]
    assert info.blank_rows == [3, 4, 6, 7]
    assert "4 blank rows ignored" in info.notes


@pytest.mark.parametrize(("cell", "expected"), [
    ("2011-4-18", "2011-04-18"), ("2024-03-05 08:15", "2024-03-05"), ("05.03.2024", "2024-03-05"),
    ("2024/03/05", "2024-03-05"),
])
def test_date_forms(cell, expected):
    items, _ = read(f"date,food,amount\n{cell},Apple,100 g\n")
    assert items.loc[0, "date"] == pd.Timestamp(expected)


def test_slash_dates_are_read_day_first_when_a_day_above_12_shows_it():
    items, info = read("date,food,amount\n15/03/2024,Apple,100 g\n04/03/2024,Apple,100 g\n")
    assert items["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-15", "2024-03-04"]
    assert not info.notes


def test_ambiguous_slash_dates_are_read_us_order_and_say_so():
    items, info = read("date,food,amount\n3/4/2024,Apple,100 g\n")
    assert items.loc[0, "date"] == pd.Timestamp("2024-03-04")
    assert info.notes == ["dates such as 3/4/2024 were read as month/day/year (US order); write "
                          "dates as YYYY-MM-DD, e.g. 2024-03-05 to avoid any doubt"]


def test_all_problems_are_reported_together_in_row_order():
    text = ("date,meal,food,amount,unit\n2024-02-30,lunch,Apple,1,medium\n"
            "2024-03-01,lunch,,two cups,\n2024-03-01,lunch,Rice,1,blorp\n")
    with pytest.raises(BadMealLog) as caught:
        read(text)
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (2, "date"), (3, "food"), (3, "amount"), (4, "unit")]


def test_a_number_without_a_unit_counts_whole_items():
    items, _ = read("date,food,amount\n2024-03-04,Apple,2\n")
    assert (items.loc[0, "quantity"], items.loc[0, "unit"]) == (2, "count")
    items, _ = read("date,food,amount,unit\n2024-03-04,turkey sandwich,1,\n")
    assert (items.loc[0, "quantity"], items.loc[0, "unit"]) == (1, "count")


def test_a_large_number_without_a_unit_says_to_write_the_unit_after_it():
    with pytest.raises(BadMealLog) as caught:
        read("date,food,amount\n2024-03-04,Apple,150\n")
    assert str(caught.value) == ('row 2, amount: "150" has no unit; a number alone counts '
                                 "whole items, up to 20: write the unit after the number "
                                 "(150 g, 1 cup, 2 medium)")


def test_absurd_counts_are_refused():
    with pytest.raises(BadMealLog, match="more than 200 portions of one item"):
        read("date,food,amount,unit\n2024-03-04,Apple,5000,medium\n")


def test_limits_are_configurable():
    text = OURS
    with pytest.raises(BadMealLog, match="more than 3 rows"):
        read(text, max_rows=3)
    with pytest.raises(BadMealLog, match="more than 0.1 kg"):
        read(text, max_item_grams=100)
    items, _ = read(text, max_item_grams=10_000)
    assert len(items) == 9


# --- Cronometer servings.csv -------------------------------------------------------------

CRONO_HEADER = ("Day,Time,Group,Food Name,Amount,Energy (kcal),B6 (Pyridoxine) (mg),"
                "B12 (Cobalamin) (µg),Vitamin D (IU),Calcium (mg),Magnesium (mg),Potassium (mg),"
                "Oxalate (mg),Phytate (mg),Category")


def test_cronometer_values_are_taken_as_logged_and_blanks_stay_unknown():
    text = (CRONO_HEADER + "\n"
            '2022-11-03,9:51 AM,"Breakfast","Eggs, Cooked","4.00 medium",272.80,0.21,1.95,'
            '153.12,88.00,17.60,221.76,,,"Dairy and Egg Products"\n'
            '2022-11-03,,"Lunch","Publix, Bread Crumbs","1.00 oz",110.00,,,0.00,40.00,,,,,""\n'
            '2022-11-03,1:05 PM,"Lunch","Coffee","0.00 g",0.00,0.00,0.00,0.00,0.00,0.00,0.00,,,'
            '"Beverages"\n')
    items, info = read(text)
    assert info.format == "cronometer-servings"
    assert (info.rows_read, info.skipped_rows) == (2, [4])
    eggs, crumbs = items.iloc[0], items.iloc[1]
    assert (eggs["meal"], eggs["quantity"], eggs["unit"]) == ("Breakfast", 4, "medium")
    assert eggs["magnesium_mg"] == 17.60
    assert eggs["vitamin_d_ug"] == pytest.approx(153.12 / 40)
    assert eggs["vitamin_b12_ug"] == 1.95
    assert (crumbs["grams"], crumbs["calcium_mg"], crumbs["vitamin_d_ug"]) == (
        pytest.approx(28.3495, abs=1e-4), 40.0, 0.0)
    assert math.isnan(crumbs["magnesium_mg"])
    assert info.notes[0].startswith("nutrient values are taken from the Cronometer export")


def test_cronometer_old_layout_with_hidden_columns():
    text = ("Day,Food Name,Amount,Energy (kcal),Calcium (mg),Magnesium (mg)\n"
            '2011-4-18,"Almonds","2.00 x 2.0 tbsp",139.0,67.0,68.5\n')
    items, info = read(text)
    assert items.loc[0, "date"] == pd.Timestamp("2011-04-18")
    assert (items.loc[0, "quantity"], items.loc[0, "unit"], items.loc[0, "meal"]) == (
        4, "tbsp", "")
    for hidden in ("potassium_mg", "vitamin_d_ug", "vitamin_b12_ug", "vitamin_b6_mg"):
        assert items[hidden].isna().all()
    assert any("no Potassium (mg), Vitamin D (IU)" in n for n in info.notes)


def test_cronometer_time_with_a_trailing_space_and_recipes():
    text = ('Day,Time ,Group,Food Name,Amount,Energy (kcal),Magnesium (mg)\n'
            '2024-01-02,13:23 ,Dinner,My Chili,"1.00 full recipe",900.0,210.0\n')
    items, _ = read(text)
    assert (items.loc[0, "unit"], items.loc[0, "magnesium_mg"]) == ("recipe", 210.0)


# --- the command line --------------------------------------------------------------------


def test_check_prints_what_was_detected(tmp_path):
    from nutrigap.cli import main

    path = tmp_path / "log.csv"
    path.write_text(OURS, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "format: nutrigap meal log", "encoding: utf-8, delimiter: comma",
        "rows: 9 read, 1 skipped (amount 0) over 2 days (2024-03-04 to 2024-03-05)",
        "note: 1 row with amount 0 skipped (row 6)"]


def test_check_lists_the_problems_and_exits_2(tmp_path):
    from nutrigap.cli import main

    path = tmp_path / "log.csv"
    path.write_text("date,food,amount,unit\n2026-11-31,Apple,1,medium\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert result.output == ('Error: row 2, date: "2026-11-31" is not a real date: November '
                             "2026 has 30 days; write dates as YYYY-MM-DD, e.g. 2024-03-05\n")
