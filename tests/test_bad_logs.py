"""Every kind of unreadable meal log gets its own message naming the row, value and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from nutrigap.analyzer.errors import BadMealLog
from nutrigap.analyzer.logs.meal_log import ReadLimits, read_meal_log

BAD_LOGS = Path(__file__).parent / "bad_logs"
SAVE = 'open it in your spreadsheet and save it as "CSV UTF-8 (comma delimited)"'
DATE_FIX = "write dates as YYYY-MM-DD, e.g. 2024-03-05"
UNITS = "g, kg, oz, lb, ml, l, cup, tbsp, tsp, fl oz, or a portion word such as medium, slice " \
        "or piece"
SERVINGS = ("in Cronometer's account settings, under Export Data, export the food and recipe "
            "entries (the file servings.csv)")
LOT = ('is not a number; write a number in amount (e.g. 150) and the unit in unit (e.g. g)')

# file -> (limits, the whole message the user sees)
EXPECTED = {
    "empty.csv": (None, "the meal log is empty; export it again or start from the "
                        "template (examples/template.csv)"),
    "header_only.csv": (None, "row 1: the meal log has a header but no rows; add one row "
                              "per food or supplement (see examples/template.csv)"),
    "missing_column.csv": (None, "row 1: the header has no amount column; found: date, meal, "
                                 "food, quantity, unit; expected for a nutrigap meal log: date, "
                                 "meal, food, amount, unit (optional: client, notes) (see "
                                 "examples/template.csv)"),
    "unknown_format.csv": (None, "row 1: the header (name, position, team) is not a meal log "
                                 "nutrigap can read; use nutrigap's columns date, meal, food, "
                                 "amount, unit (optional: client, notes) (see "
                                 "examples/template.csv) or a Cronometer servings.csv export"),
    "duplicate_column.csv": (None, 'row 1: the column "amount" appears twice (columns D and '
                                   'F); delete or rename one'),
    "impossible_date.csv": (None, 'row 3, date: "2026-11-31" is not a real date: November 2026 '
                                  f"has 30 days; {DATE_FIX}"),
    "invalid_date.csv": (None, f'row 2, date: "yesterday" is not a date; {DATE_FIX}'),
    "month_13.csv": (None, 'row 2, date: "2024-13-02" is not a date: there is no month 13; '
                           f"{DATE_FIX}"),
    "two_digit_year.csv": (None, f'row 2, date: "3/5/24" has a two-digit year; {DATE_FIX}'),
    "mixed_date_order.csv": (None, "\n".join(
        f'row {r}, date: "{d}" mixes day/month and month/day order with other dates; {DATE_FIX}'
        for r, d in ((2, "13/01/2024"), (3, "01/14/2024")))),
    "negative_amount.csv": (None, 'row 2, amount: "-150" is negative; write how much was eaten '
                                  "(0 or more)"),
    "non_numeric_amount.csv": (None, 'row 14, amount: "two cups" is not a number; write 2 in '
                                     "amount and cup in unit"),
    "range_amount.csv": (None, 'row 2, amount: "1-2" is a range; write one number, e.g. the '
                               "middle of it"),
    "comma_decimal.csv": (None, 'row 2, amount: "1,5" has a comma in the number; write '
                                "decimals with a point (1.5) and no thousands separator"),
    "absurd_amount.csv": (None, 'row 3, amount: "6 kg" is more than 5 kg (or 5 litres) of one '
                                "item; check the number and the unit"),
    "unknown_unit.csv": (None, f'row 2, unit: "blorps" is not a unit nutrigap knows; use {UNITS}'),
    "missing_unit.csv": (None, "row 2, unit: is empty; a number alone counts whole items, up "
                               f"to 20: write the unit of 150 in unit ({UNITS})"),
    "unit_conflict.csv": (None, 'row 2, unit: "cup" disagrees with the unit written in amount '
                                '("g"); leave unit empty or make them agree'),
    "empty_food.csv": (None, "row 2, food: is empty; write what was eaten, e.g. spinach, raw"),
    "ragged_row.csv": (None, "row 3: has more cells than the header's 5 columns; put quotes "
                             "around a value that contains a comma, or write decimals with a "
                             "point\n"
                             f'row 3, amount: "raw" {LOT}'),
    "unknown_supplement.csv": (None, 'row 2, food: "supplement: unobtainium" is not a '
                                     "supplement nutrigap analyses; write supplement: followed "
                                     "by magnesium, calcium, potassium, vitamin D, B12, B6, "
                                     "caffeine or sodium (one row per nutrient)"),
    "supplement_wrong_unit.csv": (None, 'row 2, unit: "IU" is not a unit for a magnesium dose; '
                                        "give the amount taken in mg, g or µg as the label "
                                        "prints it (for 2 capsules of 100 mg write 200 and mg)"),
    "excel_workbook.csv": (None, "the meal log is a zip archive (what Excel .xlsx, Numbers and "
                                 "LibreOffice .ods files are), not a CSV text file; " + SAVE),
    "binary_garbage.csv": (None, f"the meal log is not text (it holds zero bytes); {SAVE}"),
    "not_text_encoding.csv": (None, f"the meal log is neither UTF-8 nor Windows-1252 text; {SAVE}"),
    "cronometer_dailysummary.csv": (None, "this is Cronometer's daily summary "
                                          "(dailysummary.csv), which has one row of totals per "
                                          "day and no foods, so gaps cannot be traced to foods "
                                          f"or supplements; {SERVINGS} and give nutrigap that "
                                          "file"),
    "myfitnesspal_nutrition_summary.csv": (
        None, "this is MyFitnessPal's Nutrition-Summary.csv, which has one row per meal rather "
              "than per food, gives calcium only as a % of the Daily Value and has no "
              "magnesium, vitamin D or B12 at all; copy the foods from the MyFitnessPal diary "
              "into nutrigap's template (date, meal, food, amount, unit) instead"),
    "cronometer_bad_number.csv": (None, 'row 2, Magnesium (mg): "n/a" is not a number; the '
                                        "export holds numbers in this column, so check whether "
                                        "the file was edited"),
    "too_many_rows.csv": (ReadLimits(max_rows=5), "the meal log has more than 5 rows; split it "
                                                  "into smaller files (for example one per "
                                                  "month)"),
    "too_large.csv": (ReadLimits(max_bytes=200), "the meal log is larger than 200 bytes; split it "
                                                 "into smaller files (for example one per "
                                                 "month)"),
    "all_zero.csv": (None, "every row has amount 0 (row 2, 3), so there is nothing to analyse; "
                           "write how much was eaten"),
    "many_problems.csv": (None, "\n".join([*(f'row {r}, amount: "lots" {LOT}'
                                             for r in range(2, 52)),
                                           "... and 10 more problems of the same kinds"])),
}


def test_every_bad_file_has_its_expected_message():
    on_disk = {p.name for p in BAD_LOGS.glob("*.csv")}
    assert on_disk == set(EXPECTED)
    assert len({message for _, message in EXPECTED.values()}) == len(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_log_is_refused_with_its_own_message(name):
    limits, message = EXPECTED[name]
    with (BAD_LOGS / name).open("rb") as fp, pytest.raises(BadMealLog) as caught:
        read_meal_log(fp, limits=limits or ReadLimits())
    assert str(caught.value) == message


def test_problems_are_listed_all_at_once_and_capped_with_the_total():
    with (BAD_LOGS / "many_problems.csv").open("rb") as fp, pytest.raises(BadMealLog) as caught:
        read_meal_log(fp)
    assert caught.value.total == 60
    assert len(caught.value.problems) == 50
    assert [p.row for p in caught.value.problems] == list(range(2, 52))


def test_the_same_file_passes_under_the_default_limits():
    with (BAD_LOGS / "too_many_rows.csv").open("rb") as fp:
        items, info = read_meal_log(fp)
    assert info.rows_read == len(items) == 8
