"""Reading files that are nearly right: a stray quote, a huge header or cell, an amount in
hexadecimal, UTF-16 without its byte-order mark, Excel's `sep=` line naming a tab."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner

from nutrigap.analyzer.errors import BadMealLog, Problem, excerpt
from nutrigap.analyzer.logs import read_meal_log
from nutrigap.cli import main

HEADER = "date,meal,food,amount,unit\n"


def read(data: bytes | str):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return read_meal_log(io.BytesIO(data))


def problems(data: bytes | str) -> list[str]:
    with pytest.raises(BadMealLog) as refused:
        read(data)
    return [str(p) for p in refused.value.problems]


# --- a stray quote ---------------------------------------------------------------------------

def test_a_quote_closed_two_rows_later_is_refused_at_its_row_not_read_as_one_row():
    text = (HEADER + '2024-01-01,lunch,"spinach,100,g\n'
            "2024-01-01,lunch,banana,100,g\n"
            '2024-01-01,lunch,apple",100,g\n'
            "2024-01-02,lunch,milk,1,cup\n")
    assert problems(text) == [
        'row 2, food: "spinach,100,g 2024-01-01,lunch,banana,10... (66 characters)" holds a '
        'line break: a quote (") opened in this cell is not closed in it, so the 2 lines after '
        "it were read into this row; remove the stray quote, or close it in the same cell"]


def test_a_quote_never_closed_names_the_quote_not_an_empty_amount():
    text = HEADER + '2024-01-01,lunch,"spinach,100,g\n2024-01-01,lunch,banana,100,g\n'
    (message,) = problems(text)
    assert message.startswith('row 2, food: "spinach,100,g 2024-01-01,lunch,banana,100,g" '
                              'holds a line break: a quote (") opened in this cell')
    assert "the line after it was read into this row" in message
    assert "is empty" not in message


def test_a_cell_written_over_two_lines_is_refused_as_such():
    text = HEADER + '2024-01-01,lunch,"lentil\r\nsoup",1,cup\n2024-01-02,lunch,apple,1,medium\n'
    assert problems(text) == ['row 2, food: "lentil soup" is written over 2 lines; write it on '
                              "one line (a cell of a meal log holds no line breaks)"]


def test_a_quoted_delimiter_inside_one_line_is_still_a_cell():
    items, _ = read(HEADER + '2024-01-01,lunch,"Soup, lentil",1,cup\n')
    assert items["food"].tolist() == ["Soup, lentil"]


# --- huge headers and cells ------------------------------------------------------------------

def test_a_header_longer_than_64_kb_is_refused_whole_rather_than_split_into_a_row_2():
    header = "date,meal,food,amount,unit" + ",extra" * 12_000  # 72 KB
    (message,) = problems(header + "\n2024-01-01,lunch,apple,1,medium\n")
    assert message.startswith("the header row of the meal log is longer than 64 KB, so it is "
                              "not a row of column names")
    assert "row 2" not in message


def test_a_10_mb_cell_is_quoted_as_a_short_excerpt_on_the_command_line(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "2024-01-01,lunch," + "spinach " * 1_250_000 + ",100,g\n",
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(log)])
    assert result.exit_code == 2
    assert result.stderr == ('Error: row 2, food: "spinach spinach spinach spinach spinach... '
                             '(9,999,999 characters)" is longer than 200 characters, the most a '
                             "cell of a meal log holds; shorten it, as this row is not read\n")


def test_an_excerpt_keeps_short_values_and_cuts_long_ones_to_one_line():
    assert excerpt("Spinach, raw") == "Spinach, raw"
    assert excerpt("a\nb") == "a b"
    assert excerpt("x" * 61) == "x" * 40 + "... (61 characters)"
    assert str(Problem(3, "food", "y" * 5000, "is odd")) == (
        'row 3, food: "' + "y" * 40 + '... (5,000 characters)" is odd')


def test_an_unknown_header_is_quoted_a_dozen_cells_at_most():
    header = ",".join(f"column {i}" for i in range(500))
    (message,) = problems(header + "\n1,2,3\n")
    assert "column 11 and 488 more" in message
    assert "column 12," not in message


# --- amounts ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("amount", "shown"), [("0x10", "0x10 is 16"), ("0X1F", "0X1F is 31")])
def test_a_hexadecimal_amount_is_refused_not_read_as_zero_times_ten(amount, shown):
    assert problems(HEADER + f"2024-01-01,lunch,apple,{amount},g\n") == [
        f'row 2, amount: "{amount}" is a hexadecimal number; write the amount as an ordinary '
        f"number ({shown}), or 0 if nothing was eaten"]


def test_zero_times_ten_written_with_spaces_is_still_zero_and_skipped():
    items, info = read(HEADER + "2024-01-01,lunch,apple,0 x 10,g\n2024-01-01,lunch,pear,1,medium\n")
    assert info.skipped_rows == [2]
    assert items["food"].tolist() == ["pear"]


# --- encodings and Excel's sep= line ---------------------------------------------------------

CYRILLIC = HEADER + "2024-01-01,обед,шпинат свежий,100,g\n" * 30


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_even_when_most_letters_are_not_latin(encoding):
    items, info = read(CYRILLIC.encode(encoding))
    assert info.encoding == encoding
    assert items["food"].iloc[0] == "шпинат свежий"
    assert len(items) == 30


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_cut_short_by_one_byte_is_named_as_utf16(encoding):
    (message,) = problems(CYRILLIC.encode(encoding)[:-1])
    assert message.startswith(f"the meal log looks like {encoding.upper()} text without a "
                              "byte-order mark, but its last byte is missing")


def test_binary_with_zero_bytes_is_still_not_text():
    (message,) = problems(bytes(range(256)) * 20)
    assert message.startswith("the meal log is not text")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_sep_line_naming_a_tab_sets_the_delimiter(newline):
    text = newline.join(["sep=\t", "date\tmeal\tfood\tamount\tunit",
                         "2024-01-01\tlunch\tspinach, raw\t1,5\tkg", ""])
    items, info = read(text)
    assert info.delimiter == "\t"
    assert items["food"].tolist() == ["spinach, raw"]
    assert items["grams"].tolist() == [1500.0]
