"""A long Cronometer export with the traits of real ones (tests/make_long_export.py): user-named
groups, one called Supplements holding foods, blank cells, rows that give energy only, a large
real amount, half-logged days, supplements nutrigap does not score and a protein powder. Every
trait is checked against the report; tests/data/long_export/README.md says where each is."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest
from report_samples import analyze_log, parse_html

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_long_export  # noqa: E402  (tests/ is not a package)

from nutrigap.analyzer.plausibility import QUESTIONED_ITEM_GRAMS  # noqa: E402

MAN = {"age": 40, "sex": "male"}


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("long") / "servings.csv"
    path.write_bytes(make_long_export.make_export().encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def traits() -> dict:
    return make_long_export.traits()


@pytest.fixture(scope="module")
def report(export) -> dict:
    return analyze_log(export, profile=MAN)


@pytest.fixture(scope="module")
def items(report) -> dict[int, dict]:
    return {i["row"]: i for i in report["items"]}


def rows_of(traits: dict, tag: str) -> list[int]:
    return [r["row"] for r in traits["rows"][tag]]


def test_the_whole_export_is_read_and_the_large_salad_weighs_500_g(report, items, traits):
    assert report["log"]["rows_read"] == len(items) == 5113
    for row in rows_of(traits, "large_salad"):
        salad = items[row]
        assert salad["amount"] == "50.00 x 0.5 cup"  # 25 cups, 5.9 litres by volume
        assert salad["grams"] == 500.0 and salad["values_from"] == "log"
        assert salad["amounts"]["magnesium_mg"] == 235.0  # the export's own value
    for row in rows_of(traits, "water_5_litres"):
        assert items[row]["grams"] == 5000.0  # at the line: read, counted, not questioned
    assert not [q for q in report["questioned"] if q["question"] == "large_amount"]


def test_a_group_named_supplements_makes_no_food_a_supplement(report, items, traits):
    for row in rows_of(traits, "supplements_group_food") + rows_of(traits, "protein_powder"):
        assert items[row]["kind"] == "food", items[row]["food"]
    supplements = {r for r, i in items.items() if i["kind"] == "supplement"}
    assert supplements == set(rows_of(traits, "scored_supplement")
                              + rows_of(traits, "unscored_supplement"))
    # magnesium's supplement part is the glycinate's 200 mg, never the protein powder's 40
    doses = {d["magnesium_mg_supplements"] for d in report["days"]}
    assert doses == {0.0, 200.0}
    powder = items[rows_of(traits, "protein_powder")[0]]
    assert powder["amounts"]["magnesium_mg"] == 40.0 and powder["kind"] == "food"


def test_supplements_nutrigap_does_not_score_are_named_as_such(report, traits):
    unscored = {r["food"] for r in traits["rows"]["unscored_supplement"]}
    assert {n["food"] for n in report["not_scored"]} == unscored
    assert sum(n["item_count"] for n in report["not_scored"]) == len(
        traits["rows"]["unscored_supplement"])
    assert not unscored & {m["name"] for m in report["matches"]}
    assert not unscored & {u["food"] for u in report["unmatched"]}


def test_rows_that_give_energy_only_are_not_filled_from_a_food_their_weight_disagrees_with(
        report, items, traits):
    for row in rows_of(traits, "energy_only"):
        item = items[row]
        assert item["values_from"] == "log" and item["filled"] == []
        assert item["amounts"]["magnesium_mg"] is None
        assert item["amounts"]["potassium_mg"] is None
    peppers = [items[r] for r in rows_of(traits, "energy_only")
               if items[r]["food"] == "Mini Sweet Peppers"]
    questioned = {q["row"]: q for q in report["questioned"]}
    for pepper in peppers:
        assert pepper["amounts"]["energy_kcal"] == 30.0
        question = questioned[pepper["row"]]
        assert question["question"] == "weight_disagrees"
        assert "but the log gives 30 kcal for this row" in question["reason"]
        assert pepper["note"] == question["reason"]


def test_a_blank_is_filled_only_when_the_weight_agrees_with_the_rows_energy(items, traits):
    filled = 0
    for row in rows_of(traits, "blank_magnesium"):
        item = items[row]
        if "magnesium_mg" in item["filled"]:
            filled += 1
            assert item["values_from"] == "log_and_table" and item["grams"] is not None
        else:
            assert item["amounts"]["magnesium_mg"] is None and item["note"]
    assert filled  # label foods that match a generic food of their weight are filled


def test_every_day_gives_the_exports_own_energy(report, traits):
    for day in report["days"]:
        assert day["energy_kcal"] == pytest.approx(traits["day_kcal"][day["date"]], abs=0.01)


def test_half_logged_days_are_named_and_left_out_unless_asked(report, export, traits):
    half = traits["days"]["half_logged"]
    assert len(half) == 16
    assert report["period"]["days_half_logged"] == half
    assert report["period"]["days_left_out"] == half
    assert report["period"]["days_logged"] == 265 - 16
    (note,) = [n for n in report["notes"] if n["kind"] == "half_logged_days"]
    assert note["dates"] == half and "left out of the averages" in note["message"]
    for status in report["statuses"].values():
        assert status["days_logged"] == 249
    kept = analyze_log(export, profile=MAN, keep_all_days=True)
    assert kept["period"]["days_logged"] == 265 and kept["period"]["days_left_out"] == []
    assert kept["period"]["days_half_logged"] == half
    # kept in, a coffee day pulls every average down
    assert kept["averages"]["energy_kcal"] < report["averages"]["energy_kcal"]


def test_days_on_which_a_magnesium_cell_is_blank_on_every_row_are_averaged_as_known(
        report, traits):
    days = {d["date"]: d for d in report["days"]}
    for date in traits["days"]["magnesium_unknown"]:
        # the blanks are filled from matched foods whose weight agrees: a floor, never 0
        assert days[date]["magnesium_mg"] > 0
        assert "magnesium_mg" in days[date]["incomplete"]


def test_the_foods_table_and_items_say_where_every_value_came_from(report):
    counting = report["counting"]
    assert counting["item_count"] == sum(counting["values_from"].values()) == 5113
    assert counting["values_from"]["supplement"] == counting["supplement_items"]
    assert counting["names_not_matched"] == len(
        [m for m in report["matches"] if m["method"] == "unmatched"])
    groups = report["foods"]
    shares = [g["top_share"] for g in groups]
    assert shares == sorted(shares, reverse=True)
    salad = next(g for g in groups if g["food"] == "Arugula, Raw")
    assert (salad["grams_min"], salad["grams_max"]) == (20.0, 500.0)


def test_the_items_csv_has_a_row_per_item_with_its_weight_and_source(report):
    from nutrigap.reports.render import item_columns, items_csv

    rows = list(csv.DictReader(io.StringIO(items_csv(report))))
    assert list(rows[0]) == item_columns(report)
    assert len(rows) == 5113
    salad = next(r for r in rows if r["amount"] == "50.00 x 0.5 cup")
    assert (salad["grams"], salad["portion"], salad["values_from"]) == ("500.0", "cup", "log")


def test_the_printed_report_keeps_to_its_page_budget_and_the_html_has_every_item(report,
                                                                                 tmp_path):
    from report_samples import pdf_text

    from nutrigap.reports.render import to_html, to_pdf

    pdf = to_pdf(report)
    pages = pdf_text(pdf, tmp_path).split("\f")[:-1]
    assert len(pages) <= 12  # at most 12 for any length, the triggers section included
    text = " ".join(pages)
    assert "Week by week" in text and "every name and every item" in text
    doc = parse_html(to_html(report))
    assert len(doc.one("table", id="items").select("tbody")[0].select("tr")) == 5113
    assert len(doc.one("table", id="foods").select("tbody")[0].select("tr")) == len(
        report["foods"])
    # a long log's cards show the share of days met, which fits any length, not a glyph a day
    for key in ("magnesium_mg", "calcium_mg"):
        card = doc.one(id=f"card-{key}")
        assert card.select(cls="dayboxes") == [] and len(card.select("svg", cls="share")) == 1
    assert "days met: the thin bar’s dark part" in doc.one(cls="legend").text()


def test_more_than_5_kg_of_one_item_is_counted_and_questioned(embedded_table):
    from report_samples import analyze_text

    log = ("date,meal,food,amount,unit\n2024-03-04,,Water,5220,g\n"
           "2024-03-04,,Strawberries,220,medium\n2024-03-04,,Whole milk,300,g\n"
           "2024-03-04,,Bread,2000,slice\n")
    report = analyze_text(log, embedded_table)
    questioned = {q["food"]: q for q in report["questioned"]}
    assert questioned["Water"]["question"] == "large_amount"
    assert questioned["Water"]["grams"] == 5220.0 > QUESTIONED_ITEM_GRAMS
    assert "counted as written" in questioned["Water"]["reason"]
    assert questioned["Strawberries"]["question"] == "many_portions"
    assert "weighs 2,640 g" in questioned["Strawberries"]["reason"]
    berries = next(i for i in report["items"] if i["food"] == "Strawberries")
    assert berries["grams"] == 2640.0 and berries["amounts"]["potassium_mg"] > 0  # counted
    # 2000 slices weigh past what anyone eats: not counted, and the reason says so; listed
    # with the items not counted, not questioned
    (bread,) = report["unconverted"]
    assert bread["food"] == "Bread" and "58.0 kg" in bread["reason"]
    assert "more than anyone eats of one food in a day" in bread["reason"]
    assert "Bread" not in questioned


def test_a_food_name_that_reads_as_a_formula_is_text_in_the_items_csv(embedded_table):
    from report_samples import analyze_text

    from nutrigap.reports.render import items_csv

    report = analyze_text('date,meal,food,amount,unit\n2024-03-04,,"=HYPERLINK(""x"")",100,g\n'
                          "2024-03-04,,Whole milk,300,g\n", embedded_table)
    rows = list(csv.DictReader(io.StringIO(items_csv(report))))
    assert rows[0]["food"] == "'=HYPERLINK(\"x\")" and rows[1]["food"] == "Whole milk"
