"""Unknown is never zero: a nutrient's average is over the days it is known ("n of N days"),
a status is the known intake's with the incomplete mark beside it, an upper limit is about the
average, and the report's sentences agree with its tables."""

from __future__ import annotations

import pytest
from report_samples import analyze_text, parse_html

from nutrigap.reports.render import summary_lines, to_html

HEADER = ("Day,Time,Group,Food Name,Amount,Energy (kcal),B6 (Pyridoxine) (mg),"
          "B12 (Cobalamin) (µg),Vitamin D (IU),Calcium (mg),Magnesium (mg),Potassium (mg),"
          "Category")


def export(rows: list[tuple[str, str, str, str, str]]) -> str:
    """A Cronometer export: (day, food, amount, kcal, magnesium) rows, other cells filled."""
    lines = [HEADER]
    for day, food, amount, kcal, mg in rows:
        lines.append(f'{day},9:00 AM,"Lunch","{food}","{amount}",{kcal},0.50,1.00,40.00,'
                     f'300.00,{mg},900.00,""')
    return "\n".join(lines) + "\n"


# Four days with magnesium 66-126 mg, and 6 May, whose only item gives no magnesium value.
FIVE_DAYS = export([
    ("2024-05-04", "Zzqx Gloop Stew", "1.00 bowl", "2000.00", "66.00"),
    ("2024-05-05", "Zzqx Gloop Stew", "1.00 bowl", "2000.00", "90.00"),
    ("2024-05-06", "Zzqx Gloop Stew", "1.00 bowl", "2000.00", ""),
    ("2024-05-07", "Zzqx Gloop Stew", "1.00 bowl", "2000.00", "100.00"),
    ("2024-05-08", "Zzqx Gloop Stew", "1.00 bowl", "2000.00", "126.00"),
])


@pytest.fixture(scope="module")
def five_days(embedded_table) -> dict:
    return analyze_text(FIVE_DAYS, embedded_table)


def test_a_day_on_which_a_nutrient_is_unknown_is_not_averaged_in_as_zero(five_days):
    mg = five_days["statuses"]["magnesium_mg"]
    assert mg["average"] == pytest.approx((66 + 90 + 100 + 126) / 4)  # not 382 / 5 = 76.4
    assert (mg["days_known"], mg["days_logged"]) == (4, 5)
    assert mg["incomplete"] and mg["unknown_items"] == 1
    assert five_days["averages"]["magnesium_mg"] == pytest.approx(95.5)
    assert five_days["days_known"]["magnesium_mg"] == 4
    assert five_days["days_known"]["calcium_mg"] == 5
    (day,) = [d for d in five_days["days"] if d["date"] == "2024-05-06"]
    assert day["magnesium_mg"] is None and not day["left_out"]  # calcium is known that day


def test_n_of_n_days_is_said_wherever_the_average_is_shown(five_days):
    doc = parse_html(to_html(five_days))
    card = doc.one(id="card-magnesium_mg").text()
    assert "average 95.5 mg over 4 of 5 days" in card
    assert "□□◌□□" in card  # the day with no value has a mark of its own, in the legend
    assert "◌ no value" in doc.one(cls="legend").text()
    assert "Target met on 0 of 4 days with a value" in card
    assert "over 4 of 5 days" not in doc.one(id="card-calcium_mg").text()
    rows = doc.one("table", cls="days-table").select("tr")
    averaged = next(r for r in rows if r.text().startswith("Averaged over"))
    assert "4 of 5 d" in averaged.text() and "5 of 5 d" in averaged.text()


def test_the_status_is_the_known_intakes_with_the_incomplete_mark_beside_it(five_days):
    mg = five_days["statuses"]["magnesium_mg"]
    assert mg["status"] == mg["known_status"] == "well_below"
    assert mg["label"] == "Well below target"
    card = parse_html(to_html(five_days)).one(id="card-magnesium_mg")
    assert card.one("span", cls="badge").text() == "▼ Well below target ?"
    assert "1 item without a magnesium value" in card.text()
    assert "Magnesium 30%?" in summary_lines(five_days)[1]  # 95.5 of 320


def test_one_note_says_which_values_are_unknown_and_why(five_days):
    notes = [n for n in five_days["notes"] if n["kind"] == "incomplete"]
    assert len(notes) == 1
    assert "Items without a value, by nutrient: Magnesium 1." in notes[0]["message"]
    assert "never counted as zero" in notes[0]["message"]


def test_a_name_not_matched_is_never_called_recognised(five_days):
    counting = five_days["counting"]
    assert (counting["names_not_matched"], counting["items_not_matched_with_values"]) == (1, 5)
    assert five_days["unmatched"] == []  # its values come from the export: counted
    section = parse_html(to_html(five_days)).one("section", id="not-counted").text()
    assert "Every logged food was matched" not in section
    assert "1 name (5 items) is not matched to a food: for 5 of its items the log gives " \
           "values, which are used, and blank cells stay unknown" in section


def test_a_percentage_past_999_reads_over_ten_times(embedded_table):
    log = ("date,meal,food,amount,unit\n2024-03-04,,supplement: B12,1000,mcg\n"
           "2024-03-04,,Whole milk,300,g\n")
    report = analyze_text(log, embedded_table)
    assert report["statuses"]["vitamin_b12_ug"]["percent_of_target"] > 1000
    card = parse_html(to_html(report)).one(id="card-vitamin_b12_ug")
    assert card.one("span", cls="big").text() == "over 10×"
    assert "Vitamin B12 over 10×" in summary_lines(report)[1]


def test_one_day_over_a_limit_is_a_dated_note_on_the_card_not_its_status(embedded_table):
    days = [f"2024-03-{d:02d}" for d in range(4, 11)]
    log = "date,meal,food,amount,unit\n" + "".join(
        f"{d},,Whole milk,500,g\n{d},,Spinach,150,g\n" for d in days)
    log += f"{days[2]},,supplement: magnesium,800,mg\n"
    report = analyze_text(log, embedded_table, {"age": 75, "sex": "male"})
    mg = report["statuses"]["magnesium_mg"]
    assert mg["days_over"] == 1 and mg["status"] != "above_ul"
    (warning,) = report["warnings"]
    assert not warning["on_average"] and warning["dates"] == [days[2]]
    doc = parse_html(to_html(report))
    card = doc.one(id="card-magnesium_mg")
    assert card.attrs["data-status"] == mg["status"]
    assert "Over the upper limit on 1 of 7 days (2024-03-06); the average is within it " \
           "(supplements)." in card.text()
    assert doc.select(id="warnings-box") == []
    # every day: the average is over the limit, and the card and the alert box say so
    every = "date,meal,food,amount,unit\n" + "".join(
        f"{d},,Whole milk,500,g\n{d},,supplement: magnesium,400,mg\n" for d in days)
    report = analyze_text(every, embedded_table, {"age": 75, "sex": "male"})
    assert report["statuses"]["magnesium_mg"]["status"] == "above_ul"
    doc = parse_html(to_html(report))
    assert doc.one(id="card-magnesium_mg").attrs["data-status"] == "above_ul"
    assert "400 mg a day on average" in doc.one(id="warnings-box").text()


def test_targets_text_says_the_same_rule_for_upper_limits():
    from nutrigap.analyzer.scoring import Profile, targets_for
    from nutrigap.reports.terminal import targets_lines

    profile = Profile(age=40, sex="male")
    text = "\n".join(targets_lines(targets_for(profile), profile))
    assert ("a report marks a nutrient above its upper limit when the average day is over it, "
            "and lists single days over it with their dates") in " ".join(text.split())


def test_a_supplement_nutrigap_does_not_score_is_not_an_unrecognised_food(embedded_table):
    log = ("date,meal,food,amount,unit\n2024-03-04,,creatine,5,g\n"
           "2024-03-04,,supplement: fish oil,2,softgel\n2024-03-04,,Whole milk,300,g\n")
    report = analyze_text(log, embedded_table)
    assert {n["food"] for n in report["not_scored"]} == {"creatine", "fish oil"}
    assert report["unmatched"] == [] and [m["name"] for m in report["matches"]] == [
        "Whole milk"]
    section = parse_html(to_html(report)).one("section", id="not-counted").text()
    assert "Supplements not scored" in section and "creatine (1 row)" in section
