"""A supplement named by its compound and logged by weight: counted as written, with a note on
what the compound's weight would give."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from nutrigap.analyzer.logs.meal_log import read_meal_log
from nutrigap.analyzer.logs.supplements import compound_fractions, supplement_names

LOG = """date,meal,food,amount,unit
2024-03-05,,supplement: calcium carbonate,1250,mg
2024-03-05,,supplement: Magnesium Oxide,400,mg
2024-03-06,,supplement: magnesium oxide,400,mg
2024-03-06,,supplement: magnesium,200,mg
2024-03-06,,supplement: calcium citrate,0.5,g
2024-03-06,breakfast,banana,1,medium
"""


def read(text: str):
    return read_meal_log(io.BytesIO(text.encode("utf-8")))


def test_the_amount_is_counted_as_written_and_a_note_gives_the_mineral_in_the_compound():
    items, info = read(LOG)
    supplements = items[items["kind"] == "supplement"]
    assert supplements["calcium_mg"].tolist() == [1250, 0, 0, 0, 500]
    assert supplements["magnesium_mg"].tolist() == [0, 400, 400, 200, 0]
    notes = [n for n in info.notes if "itself" in n]
    assert notes == [
        'row 2: 1,250 mg of calcium carbonate is counted as 1,250 mg of calcium itself; if it '
        'is the weight of the calcium carbonate (the tablet\'s figure, not "elemental calcium"),'
        " the calcium is about 500 mg (calcium carbonate is 40% calcium): write that amount "
        "instead",
        'row 3: 400 mg of Magnesium Oxide is counted as 400 mg of magnesium itself; if it is '
        'the weight of the Magnesium Oxide (the tablet\'s figure, not "elemental magnesium"), '
        "the magnesium is about 240 mg (Magnesium Oxide is 60% magnesium): write that amount "
        "instead",
        'row 4: 400 mg of magnesium oxide is counted as 400 mg of magnesium itself; if it is '
        'the weight of the magnesium oxide (the tablet\'s figure, not "elemental magnesium"), '
        "the magnesium is about 240 mg (magnesium oxide is 60% magnesium): write that amount "
        "instead",
        'row 6: 500 mg of calcium citrate is counted as 500 mg of calcium itself; if it is the '
        'weight of the calcium citrate (the tablet\'s figure, not "elemental calcium"), the '
        "calcium is about 105 mg (calcium citrate is 21% calcium): write that amount instead"]


def test_a_mineral_named_without_a_compound_gets_no_note():
    _, info = read("date,food,amount,unit\n2024-03-05,supplement: calcium,500,mg\n")
    assert not any("itself" in n for n in info.notes)


def test_the_note_reaches_the_reports_notes(embedded_table):
    from report_samples import analyze_text

    report = analyze_text(LOG, embedded_table)
    messages = [n["message"] for n in report["notes"] if n["kind"] == "log"]
    assert any("calcium is about 500 mg" in m for m in messages)


def test_every_compound_is_a_supplement_name_of_the_same_mineral_with_a_source():
    path = Path(__file__).resolve().parent.parent / "analyzer/data/supplement_compounds.csv"
    table = pd.read_csv(path, dtype=str,
                        keep_default_na=False)
    names = supplement_names()
    for row in table.itertuples():
        assert names[row.compound] == row.nutrient, row.compound
        assert 0 < float(row.fraction) < 1
        assert row.source.strip()
    assert compound_fractions()["calcium carbonate"] == pytest.approx(0.40)
