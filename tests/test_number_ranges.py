"""Numbers that cannot be real: every number from a user's file has a range and is refused
beyond it, and no infinite or NaN number reaches a report."""

from __future__ import annotations

import dataclasses
import io
import math
import re
import shutil
import subprocess

import numpy as np
import pytest
from report_samples import report_options

from nutrigap.analyzer.errors import BadMealLog, BadTargets
from nutrigap.analyzer.limits import MAX_NUMBER, MAX_ROW_NUTRIENT, TARGET_RANGE
from nutrigap.analyzer.logs import read_meal_log
from nutrigap.analyzer.pipeline import Analyzer
from nutrigap.analyzer.scoring import read_overrides
from nutrigap.analyzer.writeup.report import build_report
from nutrigap.reports.render import to_html, to_json, to_pdf

PERSON = {"age": 40, "sex": "female"}
HUGE = "1" + "0" * 400  # a number written out that a float cannot hold


def overrides(text: str):
    return read_overrides(io.BytesIO(text.encode("utf-8")))


def cronometer(magnesium: str, amount: str = "100.00 g") -> bytes:
    return ("Day,Food Name,Amount,Energy (kcal),Magnesium (mg),Calcium (mg)\n"
            f"2024-05-06,Spinach,{amount},23,{magnesium},99\n"
            "2024-05-07,Spinach,100.00 g,23,79,99\n").encode()


def meal_log_problems(data: bytes) -> list[str]:
    with pytest.raises(BadMealLog) as refused:
        read_meal_log(io.BytesIO(data))
    return [str(p) for p in refused.value.problems]


# --- targets ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["1e308", "1e-300", "100001", "0.009", HUGE])
def test_a_target_beyond_its_range_is_refused_saying_the_range(value):
    with pytest.raises(BadTargets) as refused:
        overrides(f"nutrient,value\nmagnesium,{value}\n")
    message = str(refused.value)
    assert message.startswith("row 2: ")
    assert ("is not a Magnesium target a person could have (nutrigap takes 0.01 to 100,000 mg)"
            in message) or "is not a number" in message
    assert len(message) < 300


def test_the_ends_of_the_target_range_are_accepted_in_csv_and_toml():
    low, high = TARGET_RANGE
    table = overrides(f"nutrient,value\nmagnesium,{low}\ncalcium upper limit,{high:.0f}\n")
    assert table["value"].tolist() == [low, high]
    table = overrides(f"magnesium_mg = {high:.0f}\n")
    assert table["value"].tolist() == [high]


def test_a_vitamin_d_target_in_iu_is_held_to_the_range_in_micrograms():
    assert overrides("nutrient,value\nvitamin D,4000000 IU\n")["value"].tolist() == [100_000]
    with pytest.raises(BadTargets, match="nutrigap takes 0.01 to 100,000 µg"):
        overrides("nutrient,value\nvitamin D,4000040 IU\n")
    with pytest.raises(BadTargets, match="is not a Vitamin D upper limit a person could have"):
        overrides("vitamin_d_ug_ul = 1e308\n")


# --- a Cronometer export's cells, supplements and amounts ------------------------------------

def test_a_cronometer_cell_of_1e308_magnesium_is_refused_at_its_row():
    assert meal_log_problems(cronometer("1e308")) == [
        'row 2, Magnesium (mg): "1e308" is more Magnesium than any row can hold (at most '
        "100,000 mg); check whether the file was edited"]


def test_a_cronometer_cell_at_the_most_a_row_holds_is_read():
    items, _ = read_meal_log(io.BytesIO(cronometer(f"{MAX_ROW_NUTRIENT:.0f}")))
    assert items["magnesium_mg"].tolist() == [MAX_ROW_NUTRIENT, 79]


def test_a_supplement_dose_beyond_the_most_a_row_holds_is_refused():
    log = (b"date,meal,food,amount,unit\n"
           b"2024-05-06,,supplement: B12,100001,mcg\n"
           b"2024-05-06,,supplement: magnesium,100000,mg\n")
    assert meal_log_problems(log) == [
        'row 2, amount: "100001" is more Vitamin B12 than any dose holds (at most 100,000 '
        "µg); check the number and the unit"]


LONG = "1" + "0" * 180  # nearly as many digits as a cell holds


@pytest.mark.parametrize("amount", [f"{LONG} g", f"{MAX_NUMBER * 10:.0f} g",
                                    "2000 x 2000 g", f"1 shake ({LONG} fl oz)"])
def test_an_amount_beyond_a_million_is_refused(amount):
    log = f"date,meal,food,amount,unit\n2024-05-06,lunch,milk,{amount},\n".encode()
    (message,) = meal_log_problems(log)
    assert message.endswith("is larger than any amount nutrigap reads (1,000,000); check the "
                            "number")


# --- reports ---------------------------------------------------------------------------------

@pytest.mark.slow  # a PDF laid out
def test_the_largest_values_in_range_give_a_report_and_pdf_of_finite_numbers(embedded_table,
                                                                           tmp_path):
    items, info = read_meal_log(io.BytesIO(cronometer(f"{MAX_ROW_NUTRIENT:.0f}")))
    low = TARGET_RANGE[0]
    options = report_options(overrides=overrides(f"nutrient,value\nmagnesium,{low}\n"))
    report = Analyzer(embedded_table).analyze(items, info, PERSON, options)
    status = report["statuses"]["magnesium_mg"]
    assert status["percent_of_target"] == pytest.approx((MAX_ROW_NUTRIENT + 79) / 2 / low * 100)
    to_json(report)  # refuses NaN and infinity
    assert not re.search(r"\b(inf|nan)\b", to_html(report), re.IGNORECASE)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed")
    pdf = tmp_path / "big.pdf"
    pdf.write_bytes(to_pdf(report))
    read = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    assert read.returncode == 0
    assert read.stderr == ""  # poppler said "Unknown operator 'inf'" of such a PDF
    assert "500395000%" in read.stdout


def test_a_report_never_carries_an_infinite_number(embedded_table):
    items, info = read_meal_log(io.BytesIO(cronometer("50")))
    analysis = Analyzer(embedded_table).stages(items, info, PERSON, report_options())
    daily = analysis.daily.copy()
    daily.loc[daily.index[0], "magnesium_mg"] = np.inf
    broken = dataclasses.replace(analysis, daily=daily)
    with pytest.raises(ValueError, match=r"\.magnesium_mg is inf: a report holds finite numbers"):
        build_report(broken, report_options())
    assert math.isfinite(build_report(analysis, report_options())["days"][0]["magnesium_mg"])
