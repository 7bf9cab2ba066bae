"""A dietitian's corrections table: checked row by row, then used before any fuzzy match."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from nutrigap.analyzer.errors import BadCorrections
from nutrigap.analyzer.matching.corrections import check_corrections, correction_lookup
from nutrigap.analyzer.matching.matcher import Matcher


def read(text: str) -> pd.DataFrame:
    """The corrections CSV as the command line reads it."""
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def test_a_good_table_gets_a_lookup_key_per_name(embedded_table):
    checked = check_corrections(read('name,food_id\noj,sr:09206\n"Spinach, Raw",sr:11458\n'),
                                embedded_table)
    assert checked["key"].tolist() == ["orange juice", "spinach raw"]


def test_names_written_differently_share_one_correction(embedded_table):
    table = read('name,food_id\n"Spinach, Raw",sr:11458\n')
    lookup = correction_lookup(table, embedded_table)
    assert lookup.find(["raw", "spinach"]) == lookup.find(["spinach", "raw"]) == "sr:11458"
    matched = Matcher(embedded_table).match(["raw spinach", "SPINACH RAW", "Spinach, raw"],
                                            corrections=table)
    assert matched["food_id"].tolist() == ["sr:11458"] * 3


def test_an_unknown_food_id_names_the_row_the_id_and_the_fix(embedded_table):
    table = read("name,food_id\noj,sr:09206\nkale,sr:99999\n")
    with pytest.raises(BadCorrections) as err:
        check_corrections(table, embedded_table)
    message = str(err.value)
    assert 'row 3, food_id: "sr:99999" is not in the food table' in message
    assert 'nutrigap foods search "kale"' in message


def test_every_bad_row_is_listed_at_once(embedded_table):
    table = read("name,food_id\n,sr:09206\nkale,\noj,sr:09206\nOJ,sr:09209\n")
    with pytest.raises(BadCorrections) as err:
        check_corrections(table, embedded_table)
    lines = str(err.value).splitlines()
    assert lines[0] == "the corrections table cannot be used:"
    assert lines[1].startswith("row 2, name: has no food words")
    assert lines[2] == ('row 3, food_id: is empty for "kale"; find the id with: nutrigap foods '
                        'search "kale", or write none to leave it unmatched')
    assert lines[3] == ('row 5, name: "OJ" was already matched to sr:09206 on row 4; '
                        'keep one of the two rows')


def test_the_same_correction_twice_is_fine(embedded_table):
    checked = check_corrections(read("name,food_id\noj,sr:09206\nOJ,sr:09206\n"),
                                embedded_table)
    assert len(checked) == 2


def test_missing_columns_say_which_and_what_to_write(embedded_table):
    with pytest.raises(BadCorrections) as err:
        check_corrections(read("food,id\noj,sr:09206\n"), embedded_table)
    assert "needs the columns name,food_id (missing: name, food_id; found: food, id)" \
        in str(err.value)


def test_a_long_list_of_problems_is_cut_short(embedded_table):
    rows = "".join(f"food {i},sr:0000{i % 10}\n" for i in range(30))
    with pytest.raises(BadCorrections) as err:
        check_corrections(read("name,food_id\n" + rows), embedded_table)
    assert str(err.value).splitlines()[-1] == "... and 10 more problems"


def test_an_empty_table_changes_nothing(embedded_table):
    matcher = Matcher(embedded_table)
    empty = read("name,food_id\n")
    assert correction_lookup(empty, embedded_table).find(["cheddar"]) is None
    row = matcher.match(["chedder"], corrections=empty).iloc[0]
    assert row["method"] == "fuzzy" and row["food_id"] == "sr:01009"


def test_a_correction_beats_an_exact_name_and_says_so(embedded_table):
    matcher = Matcher(embedded_table)
    row = matcher.match(["Honey"], corrections=read("name,food_id\nhoney,sr:19353\n")).iloc[0]
    assert (row["food_id"], row["method"], row["confidence"]) == ("sr:19353", "correction", 100)
    assert row["candidates"] == [{"food_id": "sr:19353", "name": "Maple syrup", "score": 100.0}]


def test_word_order_counts_when_it_tells_two_foods_apart(embedded_table):
    table = read("name,food_id\nchocolate milk,sr:01102\nmilk chocolate,sr:19120\n")
    matched = Matcher(embedded_table).match(["Milk chocolate", "chocolate, milk"],
                                            corrections=table)
    assert matched["food_id"].tolist() == ["sr:19120", "sr:01102"]
    assert matched["method"].tolist() == ["correction", "correction"]


def test_bad_corrections_stop_matching(embedded_table):
    with pytest.raises(BadCorrections):
        Matcher(embedded_table).match(["oj"], corrections=read("name,food_id\noj,fdc:1\n"))


def test_none_in_any_case_leaves_a_name_unmatched_on_purpose(embedded_table):
    table = read("name,food_id\nBlackberries,none\nkombucha, NONE \nfish oil,None\n")
    checked = check_corrections(table, embedded_table)
    assert checked["food_id"].tolist() == ["none", "none", "none"]
    matched = Matcher(embedded_table).match(["blackberry", "Kombucha", "Fish oil",
                                             "Spinach, raw"], corrections=table)
    by_name = matched.set_index("name")
    for name in ["blackberry", "Kombucha", "Fish oil"]:
        row = by_name.loc[name]
        assert (row["food_id"], row["food_name"], row["method"], row["candidates"]) == \
            (None, None, "correction", []), name
    assert by_name.loc["Spinach, raw", "food_id"] == "sr:11457"


def test_none_beats_an_exact_name(embedded_table):
    # the dietitian's word decides even for a name the table has
    row = Matcher(embedded_table).match(
        ["Whole milk"], corrections=read("name,food_id\nwhole milk,none\n")).iloc[0]
    assert (row["food_id"], row["method"]) == (None, "correction")


def test_none_and_a_food_for_one_name_contradict(embedded_table):
    with pytest.raises(BadCorrections) as err:
        check_corrections(read("name,food_id\nkale,none\nKale,sr:11233\n"), embedded_table)
    assert str(err.value).splitlines()[1] == ('row 3, name: "Kale" was already matched to none '
                                              'on row 2; keep one of the two rows')


def test_a_misspelt_marker_is_an_unknown_id(embedded_table):
    with pytest.raises(BadCorrections) as err:
        check_corrections(read("name,food_id\nkale,nothing\n"), embedded_table)
    assert str(err.value).splitlines()[1].startswith(
        'row 2, food_id: "nothing" is not in the food table; find the right id with: '
        'nutrigap foods search "kale"')
    assert str(err.value).endswith("or write none to leave it unmatched")
