"""The two real Cronometer servings exports in ../shared: every row accounted for, and every
nutrient value read equal to the file's."""

from __future__ import annotations

import csv
import math

import pandas as pd
import pytest

from nutrigap.analyzer.logs.cronometer import NOT_ON_LABELS
from nutrigap.analyzer.logs.meal_log import read_meal_log
from nutrigap.analyzer.nutrients import NUTRIENTS

EXPORTS = {  # folder -> (data rows, days, hidden nutrient columns)
    "dhjelmar_Diabetes": (98, 7, set()),
    "davidgma_cron-csv": (116, 3, {"vitamin_d_ug", "caffeine_mg", "alcohol_g", "water_g",
                                   "sodium_mg"}),
}


def _expected_rows(path):
    """The export read independently with the csv module: {row number: cells by header}."""
    with path.open(encoding="utf-8", newline="") as fp:
        records = list(csv.reader(fp))
    header = records[0]
    return {i + 2: dict(zip(header, cells, strict=True)) for i, cells in enumerate(records[1:])}


@pytest.fixture(scope="module", params=sorted(EXPORTS))
def export(request, cronometer_dir):
    path = cronometer_dir / request.param / "servings.csv"
    with path.open("rb") as fp:
        items, info = read_meal_log(fp)
    return request.param, _expected_rows(path), items, info


def test_every_row_is_read_or_skipped_as_zero(export):
    name, expected, items, info = export
    rows, days, _ = EXPORTS[name]
    assert len(expected) == rows
    zero = sorted(r for r, cells in expected.items() if cells["Amount"].startswith("0.00 "))
    assert info.skipped_rows == zero
    assert sorted(items["row"].tolist() + info.skipped_rows) == sorted(expected)
    assert info.rows_read + info.rows_skipped == rows
    assert info.blank_rows == []
    assert (info.format, info.days) == ("cronometer-servings", days)


def test_foods_dates_meals_and_amounts_are_the_files(export):
    _, expected, items, _ = export
    for item in items.itertuples():
        cells = expected[item.row]
        assert item.food == cells["Food Name"].strip()  # surrounding spaces are not part of it
        assert item.meal == cells["Group"]
        assert item.amount_text == cells["Amount"]
        assert item.date == pd.Timestamp(cells["Day"])
        assert item.quantity > 0


def test_nutrient_values_equal_the_files_and_blank_cells_stay_unknown(export):
    name, expected, items, _ = export
    hidden = EXPORTS[name][2]
    compared = 0
    for key, column in NUTRIENTS["cronometer"].items():
        if key in hidden:
            assert items[key].isna().all(), key
            assert all(column not in cells for cells in expected.values())
            continue
        factor = NUTRIENTS.at[key, "cronometer_factor"]
        for row, kind, value in zip(items["row"], items["kind"], items[key], strict=True):
            cell = expected[row][column]
            if cell == "" and kind == "supplement" and key not in NOT_ON_LABELS:
                assert value == 0, (row, column)  # a nutrient the label does not list
            elif cell == "":
                assert math.isnan(value), (row, column)
            else:
                assert value == pytest.approx(float(cell) * factor, abs=1e-12), (row, column)
                compared += 1
    assert compared > 400


def test_grams_are_known_for_every_row_logged_by_mass(export):
    _, _, items, _ = export
    in_grams = items["amount_text"].str.fullmatch(r"[\d.]+ g")
    assert in_grams.any()
    expected = items.loc[in_grams, "amount_text"].str.split().str[0].astype(float)
    assert (items.loc[in_grams, "grams"] == expected).all()
