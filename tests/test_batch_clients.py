"""clients.csv: each client's profile, with a message naming the row for each unusable one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from nutrigap.batch.clients import BadClientList, read_clients


def book(text: str, folder: Path = Path("/clinic")):
    return read_clients(io.BytesIO(text.encode("utf-8")), folder=folder)


def test_full_rows_become_profiles():
    clients = book("client,age,sex,pregnant,lactating,diet,targets\n"
                   "ann,34,F,yes,,vegan; gluten free,ann-targets.csv\n"
                   "bob,71,male,,,,\n")
    ann, bob = clients.rows["ann"], clients.rows["bob"]
    assert (ann.row, ann.age, ann.pregnant, ann.lactating) == (2, 34.0, True, False)
    assert ann.diet == ("vegan", "gluten-free")
    assert ann.profile().sex == "female" and ann.profile().stage == "pregnancy"
    assert clients.targets_path(ann) == Path("/clinic/ann-targets.csv")
    assert bob.profile().stage == "male" and bob.diet == () and bob.targets is None
    assert clients.targets_path(bob) is None
    assert clients.problems == {}


def test_only_client_age_and_sex_are_required_and_columns_may_be_in_any_order():
    clients = book("Sex;Client;Age\nm;cy;8\n")
    assert clients.rows["cy"].profile().stage == "child"


def test_a_bad_row_is_that_clients_problem_alone_and_names_row_value_and_fix():
    clients = book("client,age,sex,pregnant\n"
                   "ann,34,female,\n"
                   "bob,thirty,male,\n"
                   "cat,40,male,yes\n"
                   "dan,50,x,\n"
                   "eve,29,female,maybe\n")
    assert list(clients.rows) == ["ann"]
    assert clients.problems["bob"] == ('clients.csv row 3, age: "thirty" cannot be used; write '
                                       "the age in years as a number, e.g. 34")
    assert clients.problems["cat"].startswith("clients.csv row 4: pregnant was given for a male")
    assert clients.problems["dan"].startswith('clients.csv row 5: sex "x" is not recognised')
    assert clients.problems["eve"] == ('clients.csv row 6, pregnant: "maybe" cannot be used; '
                                       "write yes or no (blank means no)")


def test_a_client_listed_twice_is_not_guessed_between():
    clients = book("client,age,sex\nann,34,f\nbob,40,m\nann,35,f\n")
    assert "ann" not in clients.rows and "bob" in clients.rows
    assert clients.problems["ann"] == ('clients.csv rows 2 and 4 both describe "ann"; keep one '
                                       "of them")


def test_ids_are_one_client_whatever_their_capitals_and_surrounding_spaces():
    clients = book("client,age,sex\nAnn,34,f\n bob ,40,m\nFrank  Smith,45,m\nann ,35,f\n")
    assert list(clients.rows) == ["bob", "Frank Smith"]
    assert clients.rows["bob"].client == "bob"
    assert clients.problems["Ann"] == (
        'clients.csv rows 2 and 5 both describe "Ann" and "ann" (client ids are matched '
        "without regard to capitals or surrounding spaces); keep one of them")
    assert clients.ids() == {"ann": "Ann", "bob": "bob", "frank smith": "Frank Smith"}


def test_an_unknown_diet_is_that_clients_problem():
    clients = book("client,age,sex,diet\nann,34,f,vegan; paleo\n")
    assert clients.problems["ann"].startswith('clients.csv row 2, diet: diet "paleo" is not one '
                                              "nutrigap knows; choose from vegan, vegetarian")


def test_a_row_with_more_cells_than_the_header_says_to_quote():
    clients = book("client,age,sex,diet\nann,34,f,vegan,no nuts\n")
    assert clients.problems["ann"] == ("clients.csv row 2: has more cells than the header's 4 "
                                       "columns; put quotes around a value that contains a "
                                       "comma, or write decimals with a point")


def test_blank_lines_are_skipped_but_a_row_without_an_id_stops_the_batch():
    assert list(book("client,age,sex\n\nann,34,f\n,,\n").rows) == ["ann"]
    with pytest.raises(BadClientList) as caught:
        book("client,age,sex\nann,34,f\n,40,m\n")
    assert str(caught.value) == ("clients.csv: row 3, client: is empty; fill in the client id "
                                 "(the log's file name without its extension)")


EXPECTED_HEADER = ("expected for a clients file: client, age, sex (optional: pregnant, "
                   "lactating, diet, targets) (see docs/batch.md)")


@pytest.mark.parametrize(("header", "expected"), [
    ("client,age,sex,targts", 'row 1: "targts" is not a known column; found: client, age, sex, '
                              f"targts; {EXPECTED_HEADER}"),
    ("client,age", f"row 1: the header has no sex column; found: client, age; {EXPECTED_HEADER}"),
    ("name,age,sex,diets", 'row 1: the header has no client column, and "name", "diets" are not '
                           f"known columns; found: name, age, sex, diets; {EXPECTED_HEADER}"),
    ("client,age,sex,age", 'row 1: the column "age" appears twice (columns B and D); delete or '
                           "rename one"),
])
def test_a_wrong_header_is_refused_with_the_expected_header(header, expected):
    with pytest.raises(BadClientList) as caught:
        book(f"{header}\nann,34,f\n")
    assert str(caught.value) == f"clients.csv: {expected}"


def test_an_empty_file_or_a_header_alone_is_refused():
    with pytest.raises(BadClientList) as caught:
        book("\n\n")
    assert str(caught.value) == ("clients.csv: the clients file is empty; write the header "
                                 "client,age,sex and one row per client, e.g. ann,34,female "
                                 "(see docs/batch.md)")
    with pytest.raises(BadClientList) as caught:
        book("client,age,sex\n\n")
    assert str(caught.value) == ("clients.csv: row 1: the clients file has a header but no "
                                 "rows; add one row per client (see docs/batch.md)")


def test_windows_spreadsheet_encoding_and_semicolons_are_read():
    data = "client;age;sex;targets\nzoë;34;f;zoë-cibles.csv\n".encode("cp1252")
    clients = read_clients(io.BytesIO(data), folder=Path("/clinic"))
    assert clients.targets_path(clients.rows["zoë"]) == Path("/clinic/zoë-cibles.csv")
