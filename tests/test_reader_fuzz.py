"""Whatever bytes arrive, the reader returns a table or raises one of our own errors."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nutrigap.analyzer.errors import NutrigapError
from nutrigap.analyzer.logs.meal_log import ITEM_COLUMNS, ReadLimits, read_meal_log
from nutrigap.analyzer.nutrients import NUTRIENT_KEYS

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# each example of these reads a whole small file through pandas, so fewer are run
FUZZ_FILES = settings(FUZZ, max_examples=100)
HEADERS = [
    "date,meal,food,amount,unit",
    "client,date,meal,food,amount,unit,notes",
    "date;meal;food;amount;unit",
    "date\tfood\tamount",
    "Day,Time,Group,Food Name,Amount,Energy (kcal),Magnesium (mg),Vitamin D (IU),Category",
    "Day,Food Name,Amount,Calcium (mg)",
    "Date,Energy (kcal),Magnesium (mg),Completed",
    "Date,Meal,Calories,Calcium,Note",
    "",
]
CELLS = st.one_of(
    st.sampled_from(["2024-03-04", "2011-4-18", "3/4/2024", "31/12/2024", "2026-11-31", "",
                     "1 1/2 cups", "½ cup", "150g", "2.00 x 2.0 slices", "1.00 shake (11 fl oz)",
                     '1.00 whole - 3 1/2" diameter', "0.00 g", "-1", "1e9", "1/0", "1,5", "tbs",
                     "supplement: magnesium", "supplement: vitamin D", "IU", "mg", "medium",
                     "Spinach, raw", "9" * 400, "nan", "inf", "\u00a0", "NULL", "=1+2"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
)
OUR_ROWS = st.tuples(
    st.sampled_from(["2024-03-04", "2024-3-5", "05.03.2024", "3/4/2024", "2024-02-30", ""]),
    st.sampled_from(["breakfast", "", "Lunch"]),
    st.sampled_from(["Spinach, raw", "milk", "supplement: magnesium", "supplement: D3",
                     "supplement: b12", "supplement: zinc", "banana", ""]),
    st.sampled_from(["1", "0", "1 1/2", "½", "150g", "2.00 x 2.0 slices", "1000 IU", "25",
                     "6000", "two", "-3", "1,5", ""]),
    st.sampled_from(["g", "", "cup", "Tbsp", "medium", "mg", "IU", "mcg", "blorp", "kg"]),
)


def _check(data: bytes, limits: ReadLimits | None = None) -> None:
    try:
        items, info = read_meal_log(io.BytesIO(data), limits=limits or ReadLimits())
    except NutrigapError as exc:
        assert str(exc)
        return
    assert list(items.columns) == ITEM_COLUMNS
    assert info.rows_read == len(items) > 0
    assert (items["quantity"] > 0).all()
    assert items["date"].notna().all()
    assert str(items["date"].dtype) == "datetime64[ns]"
    assert pd.api.types.is_integer_dtype(items["row"])
    amounts = items[["grams", "ml", *NUTRIENT_KEYS]].to_numpy(dtype=float)
    known = ~np.isnan(amounts)
    assert np.isfinite(amounts[known]).all() and (amounts[known] >= 0).all()


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    _check(data)


@FUZZ_FILES
@given(header=st.sampled_from(HEADERS),
       rows=st.lists(st.lists(CELLS, min_size=0, max_size=9), max_size=12),
       delimiter=st.sampled_from([",", ";", "\t"]),
       newline=st.sampled_from(["\n", "\r\n", "\r"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_random_csv_like_text(header, rows, delimiter, newline, encoding):
    def quote(cell: str) -> str:
        if any(c in cell for c in (delimiter, '"', "\n", "\r")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    lines = [header] + [delimiter.join(quote(c) for c in row) for row in rows]
    text = newline.join(lines)
    _check(text.encode(encoding, errors="replace"), ReadLimits(max_rows=10))


@FUZZ_FILES
@given(rows=st.lists(OUR_ROWS, min_size=1, max_size=8), delimiter=st.sampled_from([",", ";"]))
def test_nearly_valid_logs_in_our_format(rows, delimiter):
    lines = [delimiter.join(["date", "meal", "food", "amount", "unit"])]
    lines += [delimiter.join(f'"{c}"' for c in row) for row in rows]
    _check("\n".join(lines).encode("utf-8"))


@FUZZ
@given(st.text(max_size=600))
def test_random_text(text):
    _check(text.encode("utf-8"))
