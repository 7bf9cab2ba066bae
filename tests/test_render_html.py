"""The HTML report, checked element by element against the report dict it was drawn from."""

from __future__ import annotations

import struct
import zlib

import pytest
from report_samples import parse_html, week_html, week_report

from nutrigap.analyzer.nutrients import TARGET_KEYS
from nutrigap.reports import charts
from nutrigap.reports.assets import BadLogo, logo_data_url
from nutrigap.reports.render import BadTemplate, to_html
from nutrigap.reports.templating import (
    day_level,
    number,
    percent,
    period_text,
    same_problem,
    servings,
    short_date,
    shown,
)

SCORED = [*TARGET_KEYS, "vitamin_b6_mg"]


def _png(width: int = 4, height: int = 2) -> bytes:
    """A small valid PNG, made here so the test needs no image file."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    rows = b"".join(b"\x00" + b"\x1f\x5f\x8b" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def doc():
    return parse_html(week_html())


def test_one_card_per_nutrient_with_percent_status_and_days_met(doc):
    report = week_report()
    cards = doc.select("div", cls="card")
    assert [c.attrs["id"] for c in cards] == [f"card-{k}" for k in SCORED]
    for card, key in zip(cards, SCORED, strict=True):
        status = report["statuses"][key]
        assert card.attrs["data-status"] == status["status"]
        big = card.one("span", cls="big").text()
        if report["targets"][key]["target"] is None:
            assert big == f"{number(status['average'])} mg"
            continue
        assert big == percent(status["percent_of_target"])
        assert (f"Target met on {status['days_met']} of {status['days_logged']} days"
                in card.text())
        badge = card.one("span", cls="badge").text()
        assert (status["known_label"] if status["status"] == "incomplete"
                else status["label"]) in badge


def test_bar_charts_mark_the_target_and_upper_limits_that_fit(doc):
    report = week_report()
    for key in SCORED:
        svg = doc.one(id=f"card-{key}").one("svg", cls="bar")
        labels = [t.text() for t in svg.select("text")]
        target = report["targets"][key]
        assert any(label.startswith("target") for label in labels) == (target["target"]
                                                                      is not None)
    calcium = doc.one(id="card-calcium_mg")
    assert "upper limit 2,500" in [t.text() for t in calcium.select("text")]
    vitamin_d = doc.one(id="card-vitamin_d_ug")
    assert not any("upper limit" in t.text() for t in vitamin_d.select("text"))
    assert "Upper limit 100 µg, beyond this scale." in vitamin_d.text()
    magnesium = doc.one(id="card-magnesium_mg")
    assert "upper limit 350 (supplements)" in [t.text() for t in magnesium.select("text")]


def test_day_table_has_a_row_per_day_coloured_against_the_target(doc):
    report = week_report()
    table = doc.one("table", cls="days-table")
    rows = table.select("tbody")[0].select("tr")
    assert rows[0].text().startswith("Your target") and rows[-1].text().startswith("Average")
    body = rows[1:-1]
    assert len(body) == len(report["days"])
    for row, day in zip(body, report["days"], strict=True):
        cells = row.select("td")
        assert cells[0].text() == short_date(day["date"])
        for cell, key in zip(cells[1:6], TARGET_KEYS, strict=True):
            level = day_level(day[key], report["targets"][key]["target"])
            assert f"lvl-{level}" in cell.classes
            assert cell.text().startswith(number(day[key]))
            assert ("?" in cell.text()) == (key in day["incomplete"])


def test_the_day_table_keeps_to_the_scored_nutrients_and_energy(doc):
    header = doc.one("table", cls="days-table").select("thead")[0].text()
    assert "Energy kcal" in header
    assert not any(word in header for word in ("Caffeine", "Alcohol", "Water", "Sodium"))


def test_caffeine_alcohol_water_and_sodium_have_their_section(doc):
    report = week_report()
    triggers = report["triggers"]
    section = doc.one("section", id="triggers")
    assert section.one("h2").text() == "Other things in your diet linked with twitching"
    for key, t in triggers["nutrients"].items():
        row = section.one("tr", id=f"trigger-{key}")
        cells = row.select("td")
        assert cells[0].text() == t["name"]
        assert cells[1].text().startswith(shown(t["average"], t["shown"]))
        assert f"{t['days_known']} of {t['days']} day" in cells[1].text()
        assert t["reference"]["text"] in cells[3].text()
        for source in t["sources"]:
            assert source["food"] in cells[5].text()
        about = section.one("div", id=f"about-{key}").text()
        assert t["text"] in about and t["about"] in about
    # every day, with its four figures, beside the paragraphs
    days = section.one("table", id="trigger-days").select("tbody")[0].select("tr")
    assert [r.select("td")[0].text() for r in days] == [short_date(d["date"])
                                                        for d in report["days"]]
    first = report["days"][0]
    assert days[0].select("td")[1].text().startswith(number(first["caffeine_mg"]))
    # the CDRR explained, water's caveat, and the sources cited
    assert "not a level at which sodium becomes harmful in itself" in section.text()
    assert "Plain water is often not written down" in section.text()
    assert "Scientific Opinion on the safety of caffeine" in section.text()
    # one line on the first page
    assert triggers["line"][:-1] in doc.one("div", id="key-points").text()


def test_items_not_counted_and_matches_are_listed_row_by_row(doc):
    report = week_report()
    unmatched = doc.one("table", id="unmatched").select("tbody")[0].select("tr")
    assert [r.select("td")[0].text() for r in unmatched] == [str(u["row"])
                                                             for u in report["unmatched"]]
    unconverted = doc.one("table", id="unconverted").select("tbody")[0].select("tr")
    assert [r.select("td")[2].text() for r in unconverted] == [u["reason"]
                                                               for u in report["unconverted"]]
    matches = doc.one("table", id="matches").select("tbody")[0].select("tr")
    assert [r.select("td")[0].text() for r in matches] == [m["name"] for m in report["matches"]]
    for row, match in zip(matches, report["matches"], strict=True):
        cells = [c.text() for c in row.select("td")]
        assert cells[1] == (f"{match['food']} · {match['food_id']}" if match["food"]
                            else "not matched")
        assert cells[2].startswith(match["method"])


def test_items_with_the_same_problem_share_a_row():
    items = [{"row": r, "food": f, "amount": a, "reason": "no slice portion"}
             for r, f, a in [(5, "pizza", "2 slice"), (9, "bread", "1 slice"),
                             (12, "pizza", "1 slice"), (20, "pizza", "2 slice")]]
    grouped = same_problem(items)
    assert [(g["food"], g["rows"], g["amounts"]) for g in grouped] == [
        ("pizza", [5, 12, 20], ["2 slice", "1 slice"]), ("bread", [9], ["1 slice"])]


def test_contributions_name_the_top_foods_with_shares(doc):
    report = week_report()
    for key in SCORED:
        text = doc.one("tr", id=f"contrib-{key}").text()
        for entry in report["contributions"][key]:
            assert f"{entry['food']}" in text and percent(entry["share"]) in text


def test_suggestions_plan_info_and_disclaimer_are_shown(doc):
    report = week_report()
    for key, rows in report["suggestions"].items():
        group = doc.one(id=f"suggest-{key}")
        cells = [r.select("td")[0].text() for r in group.select("tbody")[0].select("tr")]
        assert len(cells) == len(rows)
        for cell, row in zip(cells, rows, strict=True):
            assert cell.startswith(row["food"]) and row["serving"] in cell
    plan = doc.one("section", id="plan").text()
    for addition in report["plan"]["additions"]:
        assert addition["text"] in plan
    about = doc.one("section", id="about").text()
    for info in report["nutrient_info"].values():
        assert info["does"] in about
    disclaimer = doc.one("section", id="disclaimer").text()
    assert "not a diagnosis" in disclaimer
    for item in report["disclaimer"]["see_a_professional"]:
        assert item in disclaimer
    warnings = doc.one(id="warnings-box").text()
    for w in report["warnings"]:
        assert w["message"] in warnings


def test_page_needs_nothing_from_outside(doc):
    for element in doc.iter():
        for attr in ("src", "href"):
            value = element.attrs.get(attr)
            if value is not None:
                assert value.startswith(("data:", "#")), (element.tag, value)
    assert not doc.select("script") and not doc.select("link")


def test_a_logo_is_embedded_as_a_data_url(tmp_path):
    path = tmp_path / "clinic.png"
    path.write_bytes(_png())
    url = logo_data_url(path)
    assert url.startswith("data:image/png;base64,")
    logo = parse_html(to_html(week_report(), logo=url)).one("img", cls="logo")
    assert logo.attrs["src"] == url
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    with pytest.raises(BadLogo, match="not a PNG, JPEG or GIF"):
        logo_data_url(tmp_path / "logo.svg")
    with pytest.raises(BadLogo, match="cannot be read"):
        logo_data_url(tmp_path / "missing.png")


def test_a_clinic_template_can_extend_the_default(tmp_path):
    (tmp_path / "report.html").write_text(
        '{% extends "default/report.html" %}\n'
        "{% block heading %}Riverside Nutrition Clinic{% endblock %}\n"
        "{% block disclaimer %}{{ super() }}<p id=\"phone\">Call 555 0100</p>{% endblock %}\n",
        encoding="utf-8")
    doc = parse_html(to_html(week_report(), template_dir=tmp_path))
    assert doc.one("h1").text() == "Riverside Nutrition Clinic"
    assert doc.one("p", id="phone").text() == "Call 555 0100"
    assert "not a diagnosis" in doc.one("section", id="disclaimer").text()
    assert len(doc.select("div", cls="card")) == len(SCORED)


def test_a_broken_clinic_template_is_one_clear_error(tmp_path):
    (tmp_path / "report.html").write_text('{% extends "default/report.html" %}\n'
                                          "{% block heading %}{{ report.profile.age }\n",
                                          encoding="utf-8")
    with pytest.raises(BadTemplate, match=r"report.html, line 2"):
        to_html(week_report(), template_dir=tmp_path)
    (tmp_path / "report.html").write_text("{{ report.no_such_key.name }}", encoding="utf-8")
    with pytest.raises(BadTemplate, match="no_such_key"):
        to_html(week_report(), template_dir=tmp_path)


@pytest.mark.parametrize(("value", "text"), [(1234.4, "1,234"), (255.3, "255"), (4.25, "4.2"),
                                             (0.354, "0.35"), (0, "0"), (None, "–"),
                                             (float("nan"), "–")])
def test_numbers_read_as_a_person_writes_them(value, text):
    assert number(value) == text


def test_trigger_amounts_read_in_their_own_units():
    assert shown(27.768, {"unit": "drinks", "per": 14}) == "2.0 drinks"
    assert shown(14, {"unit": "drinks", "per": 14}) == "1.0 drink"
    assert shown(1591.6, {"unit": "L", "per": 1000}) == "1.6 L"
    assert shown(237.0, {"unit": "L", "per": 1000}) == "0.24 L"
    assert shown(359.22, {"unit": "mg", "per": 1}) == "359 mg"
    assert shown(None, {"unit": "L", "per": 1000}) == "–"


def test_servings_periods_and_percent():
    assert [servings(v) for v in (0.5, 1.0, 1.5, 2.0, 0.25)] == ["½", "1", "1½", "2", "¼"]
    assert period_text({"first": "2024-03-04", "last": "2024-03-10"}) == "4–10 March 2024"
    assert period_text({"first": "2024-02-27", "last": "2024-03-02"}) == (
        "27 February – 2 March 2024")
    assert period_text({"first": "2023-12-30", "last": "2024-01-02"}) == (
        "30 December 2023 – 2 January 2024")
    assert percent(79.6) == "80%" and percent(None) == "–"


def test_bar_geometry_draws_supplements_first_and_far_limits_as_text():
    mg = charts.bar_geometry(average=400, supplements=300, target=320, ul=350)
    assert mg["supplement_width"] < mg["ul_x"] < mg["end"] < 100
    assert mg["food_x"] == mg["supplement_width"]
    assert mg["target_x"] == pytest.approx(100 * 320 / mg["scale"], abs=0.01)
    vitamin_d = charts.bar_geometry(average=4, supplements=0, target=15, ul=100)
    assert vitamin_d["ul_x"] is None and vitamin_d["ul_off_scale"]
    b6 = charts.bar_geometry(average=2, supplements=None, target=None, ul=100)
    assert b6["ul_x"] is not None and b6["target_x"] is None
    unknown = charts.bar_geometry(average=None, supplements=None, target=15, ul=None)
    assert unknown["end"] == 0
