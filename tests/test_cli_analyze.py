"""`nutrigap analyze`: files written, the terminal summary, options, and one-line errors."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from click.testing import CliRunner
from report_samples import WEEK_LOG, parse_html, pdf_pages
from test_render_html import _png

from nutrigap.atomic import TEMP_SUFFIX
from nutrigap.cli import main
from nutrigap.reports.render import summary_lines

LETTER = (612.0, 792.0)


@pytest.fixture
def log(tmp_path):
    path = tmp_path / "week.csv"
    shutil.copy(WEEK_LOG, path)
    return path


def run(*args):
    return CliRunner().invoke(main, ["analyze", *map(str, args)])


def test_writes_the_pdf_beside_the_log_and_prints_a_summary(log, tmp_path):
    out = tmp_path / "out"
    result = run(log, "--age", "34", "--sex", "female", "--json", out / "r.json",
                 "--csv", out / "days.csv", "--html", out / "r.html")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "week-report.pdf"
    report = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert result.output.splitlines() == [
        f"Wrote {pdf}", f"Wrote {out / 'r.html'}", f"Wrote {out / 'r.json'}",
        f"Wrote {out / 'days.csv'}", *summary_lines(report)]
    assert pdf.read_bytes().startswith(b"%PDF-")
    with open(out / "days.csv", encoding="utf-8") as fp:
        assert len(list(csv.DictReader(fp))) == report["period"]["days_logged"] == 7
    doc = parse_html((out / "r.html").read_text(encoding="utf-8"))
    assert len(doc.select("div", cls="card")) == 6
    assert report["log"]["name"] == "week.csv"
    assert not list(tmp_path.rglob(f"*{TEMP_SUFFIX}"))


def test_options_reach_the_report(log, tmp_path):
    (tmp_path / "targets.csv").write_text("nutrient,value\nmagnesium_mg,400\n", encoding="utf-8")
    (tmp_path / "matches.csv").write_text("name,food_id\ngrandma's stew,sr:16015\n",
                                          encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(_png())
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    (clinic / "report.html").write_text('{% extends "default/report.html" %}'
                                        "{% block heading %}Riverside Clinic{% endblock %}",
                                        encoding="utf-8")
    result = run(log, "--age", "29", "--sex", "f", "--pregnant", "--diet", "vegan",
                 "--exclude", "tofu", "--weight-kg", "61.5", "--targets", tmp_path / "targets.csv",
                 "--matches", tmp_path / "matches.csv", "--paper", "letter",
                 "--template-dir", clinic, "--logo", tmp_path / "logo.png",
                 "-o", tmp_path / "client.pdf", "--json", tmp_path / "client.json",
                 "--html", tmp_path / "client.html")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "client.json").read_text(encoding="utf-8"))
    assert report["profile"] == {"age": 29, "sex": "female", "life_stage": "pregnant",
                                 "weight_kg": 61.5, "group": "Pregnancy 19-30",
                                 "diet": ["vegan"], "exclude": ["tofu"]}
    assert report["targets"]["magnesium_mg"]["overridden"]
    stew = next(m for m in report["matches"] if m["name"] == "grandma's stew")
    assert (stew["method"], stew["food_id"]) == ("correction", "sr:16015")
    assert report["unmatched"] == []
    doc = parse_html((tmp_path / "client.html").read_text(encoding="utf-8"))
    assert doc.one("h1").text() == "Riverside Clinic"
    assert doc.one("img", cls="logo").attrs["src"].startswith("data:image/png;base64,")
    sizes = pdf_pages((tmp_path / "client.pdf").read_bytes(), tmp_path)
    assert all((p["width"], p["height"]) == pytest.approx(LETTER, abs=0.5) for p in sizes)


def test_a_bad_meal_log_names_the_row(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,meal,food,amount,unit\n2024-01-01,lunch,rice,two cups,\n",
                   encoding="utf-8")
    result = run(bad, "--age", "34", "--sex", "female")
    assert result.exit_code == 2
    assert result.output.startswith('Error: row 2, amount: "two cups"')
    assert "Traceback" not in result.output
    assert not (tmp_path / "bad-report.pdf").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--sex", "x"], 'Error: sex "x" is not recognised'),
    (["--sex", "male", "--pregnant"], "Error: pregnant was given for a male"),
    (["--sex", "female", "--diet", "paleo"], 'Error: diet "paleo" is not one nutrigap knows'),
])
def test_a_bad_profile_is_one_message(log, args, message):
    result = run(log, "--age", "34", *args)
    assert result.exit_code == 2
    assert result.output.startswith(message) and len(result.output.splitlines()) == 1


def test_a_logo_that_is_not_an_image(log, tmp_path):
    (tmp_path / "logo.png").write_text("not really a png", encoding="utf-8")
    result = run(log, "--age", "34", "--sex", "female", "--logo", tmp_path / "logo.png")
    assert result.exit_code == 2
    assert result.output == (f"Error: logo {tmp_path / 'logo.png'}: not a PNG, JPEG or GIF "
                             "image; export the logo as PNG\n")


def test_a_broken_template_stops_before_anything_is_written(log, tmp_path):
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    (clinic / "base.html").write_text("{% block content %}\n", encoding="utf-8")
    result = run(log, "--age", "34", "--sex", "female", "--template-dir", clinic)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: template {clinic / 'base.html'}, line 1: "
                                    "Unexpected end of template")
    assert not (tmp_path / "week-report.pdf").exists()


def test_an_output_that_cannot_be_written(log, tmp_path):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    target = tmp_path / "a-file" / "report.json"
    result = run(log, "--age", "34", "--sex", "female", "--json", target)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: cannot write {target} (--json): its folder cannot "
                                    "be made")
    assert not (tmp_path / "week-report.pdf").exists()


def test_a_bad_matches_file_is_one_message(log, tmp_path):
    (tmp_path / "matches.csv").write_text("name,food_id\nstew,sr:99999\n", encoding="utf-8")
    result = run(log, "--age", "34", "--sex", "female", "--matches", tmp_path / "matches.csv")
    assert result.exit_code == 2
    assert "row 2, food_id" in result.output and "sr:99999" in result.output


def test_help_lists_every_option_with_an_example():
    result = CliRunner().invoke(main, ["analyze", "--help"])
    assert result.exit_code == 0
    for option in ("--age", "--sex", "--pregnant", "--lactating", "--diet", "--exclude",
                   "--targets", "--matches", "--foods", "--output", "--html", "--json",
                   "--csv", "--paper", "--template-dir", "--logo"):
        assert option in result.output
    assert "Example: nutrigap analyze" in result.output
