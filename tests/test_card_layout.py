"""Page-one layout details: bar labels that stay on the bar, big figures that leave room for
the text beside them, and an upper-limit box only as tall as its text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import ImageFont
from report_samples import analyze_log, parse_html

from nutrigap.reports import charts
from nutrigap.reports.render import to_html
from nutrigap.reports.templating import TEMPLATES, amount, percent

BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
MM_PER_PT = 25.4 / 72

# A day with a 1,000 µg B12 tablet (the B12 target 2.4 µg sits at the bar's left end) and a
# 400 mg magnesium supplement (over its limit, so the upper-limit box is drawn).
LOG = """date,meal,food,amount,unit
2024-05-01,breakfast,cheddar cheese,1,oz
2024-05-01,lunch,banana,2,medium
2024-05-01,lunch,almonds,28,g
2024-05-01,dinner,salmon,3,oz
2024-05-01,,supplement: b12,1000,mcg
2024-05-01,,supplement: magnesium glycinate,400,mg
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("b12") / "log.csv"
    path.write_text(LOG, encoding="utf-8")
    return analyze_log(path)


def test_a_target_near_either_end_of_the_bar_is_labelled_inwards():
    assert charts.label_anchor(0.5) == "start"
    assert charts.label_anchor(50) == "middle"
    assert charts.label_anchor(90) == "end"
    assert charts.label_anchor(25, 30) == "start"


def test_the_b12_target_label_starts_at_its_mark(report):
    assert report["statuses"]["vitamin_b12_ug"]["percent_of_target"] > 10000
    card = to_html(report).split('id="card-vitamin_b12_ug"')[1].split('<div class="card ')[0]
    label = re.search(r'<text [^>]*text-anchor="(\w+)"[^>]*>target 2.4</text>', card)
    assert label and label.group(1) == "start"


def _figure_widths() -> dict[str, float]:
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    return {m.group(1): float(m.group(2))
            for m in re.finditer(r"\.card \.(fig-\d+) \.big \{ width: ([\d.]+)mm; \}", css)}


@pytest.mark.skipif(not BOLD.exists(), reason=f"{BOLD} is not installed")
@pytest.mark.parametrize("figure", [percent(99.5), percent(133), percent(21074.3),
                                    percent(99999), amount(12.5, "mg"), amount(2.6, "mg"),
                                    amount(1234.5, "mg")])
def test_the_big_figure_leaves_a_gap_before_the_text(figure):
    font = ImageFont.truetype(str(BOLD), 190)  # 19pt, measured at 10x for precision
    width_mm = font.getlength(figure) / 10 * MM_PER_PT
    size = len(figure)
    column = 4 if size <= 4 else 6 if size <= 6 else 8 if size <= 8 else 10  # as in _macros
    assert width_mm + 1.5 <= _figure_widths()[f"fig-{column}"], (figure, width_mm)


def test_the_upper_limit_box_sits_in_a_cell_of_its_own(report):
    assert report["warnings"]
    doc = parse_html(to_html(report))
    box = doc.one("div", id="warnings-box")
    cell = next(d for d in doc.select("div", cls="box-cell"))
    assert box in cell.children
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    assert ".box-cell { display: table-cell; vertical-align: top; }" in css
