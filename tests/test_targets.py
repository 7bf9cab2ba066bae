"""Targets by life stage, refusals, and a dietitian's overrides from CSV, TOML or a dict."""

from __future__ import annotations

import io
import math
import re

import pytest

from nutrigap.analyzer.errors import BadProfile, BadTargets
from nutrigap.analyzer.scoring.overrides import parse_overrides, read_overrides
from nutrigap.analyzer.scoring.targets import SCORED_KEYS, Profile, dri_table, targets_for

KEYS = ["magnesium_mg", "magnesium_mg_ul", "calcium_mg", "calcium_mg_ul", "potassium_mg",
        "vitamin_d_ug", "vitamin_d_ug_ul", "vitamin_b12_ug", "vitamin_b6_mg_ul"]

# Each row: profile, then the group and the values read off the DRI table in
# ../shared/reference/dri.md, in the order of KEYS.
PROFILES = [
    (dict(age=17, sex="female", pregnant=True), "Pregnancy 14-18",
     [400, 350, 1300, 3000, 2600, 15, 100, 2.6, 80]),
    (dict(age=35, sex="female", lactating=True), "Lactation 31-50",
     [320, 350, 1000, 2500, 2800, 15, 100, 2.8, 100]),
    (dict(age=75, sex="male"), "Males >70", [420, 350, 1200, 2000, 3400, 20, 100, 2.4, 100]),
    (dict(age=6, sex="female"), "Children 4-8", [130, 110, 1000, 2500, 2300, 15, 75, 1.2, 40]),
    (dict(age=6, sex="male"), "Children 4-8", [130, 110, 1000, 2500, 2300, 15, 75, 1.2, 40]),
    (dict(age=34, sex="female"), "Females 31-50", [320, 350, 1000, 2500, 2600, 15, 100, 2.4, 100]),
    (dict(age=25, sex="male"), "Males 19-30", [400, 350, 1000, 2500, 3400, 15, 100, 2.4, 100]),
    (dict(age=25, sex="female", pregnant=True), "Pregnancy 19-30",
     [350, 350, 1000, 2500, 2900, 15, 100, 2.6, 100]),
    (dict(age=60, sex="female"), "Females 51-70", [320, 350, 1200, 2000, 2600, 15, 100, 2.4, 100]),
    (dict(age=60, sex="male"), "Males 51-70", [420, 350, 1000, 2000, 3400, 15, 100, 2.4, 100]),
    (dict(age=2, sex="male"), "Children 1-3", [80, 65, 700, 2500, 2000, 15, 63, 0.9, 30]),
    (dict(age=10, sex="male"), "Males 9-13", [240, 350, 1300, 3000, 2500, 15, 100, 1.8, 60]),
    (dict(age=16, sex="female"), "Females 14-18", [360, 350, 1300, 3000, 2300, 15, 100, 2.4, 80]),
    (dict(age=16, sex="female", lactating=True), "Lactation 14-18",
     [360, 350, 1300, 3000, 2500, 15, 100, 2.8, 80]),
]


def _values(table):
    return [table.at["magnesium_mg", "target"], table.at["magnesium_mg", "ul"],
            table.at["calcium_mg", "target"], table.at["calcium_mg", "ul"],
            table.at["potassium_mg", "target"], table.at["vitamin_d_ug", "target"],
            table.at["vitamin_d_ug", "ul"], table.at["vitamin_b12_ug", "target"],
            table.at["vitamin_b6_mg", "ul"]]


@pytest.mark.parametrize(("profile", "group", "expected"), PROFILES,
                         ids=[g + str(p) for p, g, _ in PROFILES])
def test_targets_match_the_dri_table(profile, group, expected):
    table = targets_for(Profile(**profile))
    assert list(table.index) == SCORED_KEYS
    assert set(table["group"]) == {group}
    assert _values(table) == pytest.approx(expected)
    assert not table["overridden"].any()


def test_kinds_and_what_each_upper_limit_covers():
    table = targets_for(Profile(age=40, sex="male"))
    assert table["target_kind"].to_dict() == {
        "magnesium_mg": "RDA", "calcium_mg": "RDA", "potassium_mg": "AI",
        "vitamin_d_ug": "RDA", "vitamin_b12_ug": "RDA", "vitamin_b6_mg": "none"}
    assert table["ul_applies_to"].to_dict() == {
        "magnesium_mg": "supplements", "calcium_mg": "total", "potassium_mg": "none",
        "vitamin_d_ug": "total", "vitamin_b12_ug": "none", "vitamin_b6_mg": "total"}
    assert math.isnan(table.at["potassium_mg", "ul"])
    assert math.isnan(table.at["vitamin_b12_ug", "ul"])
    assert math.isnan(table.at["vitamin_b6_mg", "target"])
    assert table.at["potassium_mg", "source"].startswith("National Academies")
    assert "1997" in table.at["magnesium_mg", "source"]
    assert table.at["magnesium_mg", "unit"] == "mg" and table.at["vitamin_d_ug", "unit"] == "µg"


@pytest.mark.parametrize(("age", "sex", "group"), [
    (1, "f", "Children 1-3"), (3.99, "m", "Children 1-3"), (8.99, "f", "Children 4-8"),
    (9, "f", "Females 9-13"), (18.5, "m", "Males 14-18"), (19, "m", "Males 19-30"),
    (50.9, "f", "Females 31-50"), (51, "f", "Females 51-70"), (70.99, "m", "Males 51-70"),
    (71, "m", "Males >70"), (104, "f", "Females >70"),
])
def test_age_boundaries_follow_birthdays(age, sex, group):
    assert targets_for(Profile(age=age, sex=sex))["group"].iloc[0] == group


@pytest.mark.parametrize("spelling", ["f", "F", "female", "Female", " woman "])
def test_sex_spellings(spelling):
    assert Profile(age=30, sex=spelling).sex == "female"


@pytest.mark.parametrize("spelling", ["m", "M", "male", "man"])
def test_male_spellings(spelling):
    assert targets_for({"age": 30, "sex": spelling})["group"].iloc[0] == "Males 19-30"


@pytest.mark.parametrize(("profile", "message"), [
    (dict(age=0.5, sex="female"), r"^age 0.5 is under 1 year"),
    (dict(age=0, sex="male"), r"^age 0 is under 1 year"),
    (dict(age=30, sex="male", pregnant=True), r"^pregnant was given for a male"),
    (dict(age=30, sex="m", lactating=True), r"^lactating was given for a male"),
    (dict(age=30, sex="female", pregnant=True, lactating=True),
     r"^pregnant and lactating were both given; choose one"),
    (dict(age=13, sex="female", pregnant=True),
     r"^pregnant at age 13: pregnancy and lactation targets exist for ages 14 to 50 only"),
    (dict(age=51, sex="female", pregnant=True), r"^pregnant at age 51: "),
    (dict(age=55, sex="female", lactating=True), r"^lactating at age 55: "),
    (dict(age=30), r"^sex is missing; give female or male"),
    (dict(age=30, sex=""), r"^sex is missing"),
    (dict(age=30, sex=None), r"^sex is missing"),
    (dict(age=30, sex="x"), r'^sex "x" is not recognised; give female or male'),
    (dict(age="thirty", sex="f"), r'^age "thirty" is not a number'),
    (dict(age=float("nan"), sex="f"), r'^age "nan" is not a number'),
    (dict(sex="f"), r"^age is missing"),
    (dict(age=340, sex="f"), r"^age 340 is not a plausible age in years"),
    (dict(age=30, sex="f", pregnant="perhaps"), r"^the profile cannot be used \(pregnant: "),
])
def test_refusals(profile, message):
    with pytest.raises(BadProfile, match=message):
        Profile(**profile)


def test_dri_csv_is_the_reference_table(reference_dir):
    """Every cell of data/dri.csv against the table in the reference document."""
    text = (reference_dir / "dri.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if re.match(r"\| (\d|M |F |Preg|Lact)", line)]
    assert len(rows) == 20
    table = dri_table().set_index("group")
    names = {"M": "Males", "F": "Females"}
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split("|")]
        label = cells[0].replace("–", "-")
        if label[0].isdigit():
            group = f"Children {label}"
        elif label[:2] in ("M ", "F "):
            group = f"{names[label[0]]} {label[2:]}"
        else:
            group = label
        expected = [float(c) for c in cells[1:]]
        got = table.loc[group, ["magnesium_mg", "magnesium_mg_ul", "calcium_mg", "calcium_mg_ul",
                                "potassium_mg", "vitamin_d_ug", "vitamin_d_ug_ul",
                                "vitamin_b12_ug", "vitamin_b6_mg_ul"]].astype(float)
        assert list(got) == expected, group
        # no upper limit for potassium or B12, and no B6 target, in any group
        unset = ["potassium_mg_ul", "vitamin_b12_ug_ul", "vitamin_b6_mg"]
        assert table.loc[group, unset].isna().all()


@pytest.mark.parametrize(("stage", "first", "last"), [
    ("child", 1, 9), ("female", 9, None), ("male", 9, None), ("pregnancy", 14, 51),
    ("lactation", 14, 51)])
def test_groups_cover_their_ages_without_gaps_or_overlaps(stage, first, last):
    groups = dri_table().query("stage == @stage").sort_values("age_min")
    assert groups["age_min"].iloc[0] == first
    assert groups["age_below"].iloc[:-1].tolist() == groups["age_min"].iloc[1:].tolist()
    end = groups["age_below"].iloc[-1]
    assert (math.isnan(end) and last is None) or end == last


# --- overrides ------------------------------------------------------------------------------


def test_csv_overrides_with_friendly_names_are_marked():
    fp = io.BytesIO(b"nutrient,value,note\nmagnesium,300,kidney disease\nVitamin D (IU),800,\n"
                    b"B6 upper limit,12,EFSA level\n")
    table = targets_for(Profile(age=34, sex="female"), read_overrides(fp))
    assert table.at["magnesium_mg", "target"] == 300
    assert table.at["magnesium_mg", "dri_target"] == 320
    assert table.at["vitamin_d_ug", "target"] == 20  # 800 IU / 40
    assert table.at["vitamin_b6_mg", "ul"] == 12
    assert table.at["vitamin_b6_mg", "dri_ul"] == 100
    assert table["overridden"].to_dict() == {
        "magnesium_mg": True, "calcium_mg": False, "potassium_mg": False,
        "vitamin_d_ug": True, "vitamin_b12_ug": False, "vitamin_b6_mg": True}
    assert table.at["calcium_mg", "target"] == 1000


def test_toml_overrides_flat_and_under_a_table():
    flat = b'# client 12\nmagnesium_mg = 300\n"vitamin B12" = 4\ncalcium_mg_ul = 2000\n'
    nested = b"[targets]\nmagnesium_mg = 300\nb12 = 4.0\ncalcium_ul = 2000\n"
    for text in (flat, nested):
        table = targets_for(Profile(age=34, sex="f"), read_overrides(io.BytesIO(text)))
        assert table.at["magnesium_mg", "target"] == 300
        assert table.at["vitamin_b12_ug", "target"] == 4
        assert table.at["calcium_mg", "ul"] == 2000
        assert table["overridden"].sum() == 3


def test_overrides_from_a_dict_and_text_files():
    table = targets_for(Profile(age=34, sex="f"), {"Potassium": 3000})
    assert table.at["potassium_mg", "target"] == 3000 and table.at["potassium_mg", "overridden"]
    semicolons = io.StringIO("nutrient;value\nvitamin b12;2,8\n")
    assert read_overrides(semicolons)["value"].tolist() == [2.8]
    bom_cp1252 = io.BytesIO("nutrient,value\nVitamin D (µg),25\n".encode("cp1252"))
    assert read_overrides(bom_cp1252)["nutrient"].tolist() == ["vitamin_d_ug"]
    bom = io.BytesIO("\ufeffnutrient,value\ncalcium,1200\n".encode())
    assert read_overrides(bom)["nutrient"].tolist() == ["calcium_mg"]


def test_parsed_overrides_pass_through_unchanged():
    parsed = parse_overrides({"magnesium": 300})
    assert parse_overrides(parsed).equals(parsed)
    assert targets_for(Profile(age=34, sex="f"), parsed).at["magnesium_mg", "target"] == 300


@pytest.mark.parametrize(("text", "message"), [
    ("nutrient,value\nzinc,8\n", r'^row 2: "zinc" is not a nutrient with a target; use one of '
                                 r"Magnesium, Calcium, Potassium, Vitamin D"),
    ("nutrient,value\nmagnesium,300\ncalcium,lots\n",
     r'^row 3: "lots" is not a number; write the Calcium target in mg as a number above 0'),
    ("nutrient,value\nmagnesium,300 mg\n", r'^row 2: "300 mg" is not a number; .*\(300, not'),
    ("nutrient,value\n\npotassium,-5\n", r'^row 3: "-5" is negative'),
    ("nutrient,value\nvitamin d,0\n", r'^row 2: "0": the Vitamin D target cannot be 0'),
    ("nutrient,value\nvitamin d,\n", r"^row 2: is not a number"),
    ("nutrient,value\nmagnesium,300\nmagnesium_mg,310\n",
     r'^row 3: "magnesium_mg" sets the target of Magnesium again \(already set at row 2\)'),
    ("magnesium,300\n", r"^row 1: the header has no nutrient or value columns; found: "
                        r"magnesium, 300; expected for a targets file: nutrient, value"),
    ("magnesium_mg = 300\nzinc = 3\n", r'^line 2: "zinc" is not a nutrient'),
    ('magnesium_mg = "a lot"\n', r'^line 1: "a lot" is not a number'),
    ("magnesium_mg = true\n", r'^line 1: "true" is not a number'),
    ("magnesium_mg = nan\n", r'^line 1: "nan" is not a number'),
    ("magnesium_mg = 300 mg\n", r"^the targets file is not valid TOML"),
    ("[client]\nmagnesium_mg = 300\n[other]\nx = 1\n", r"^line 1: \[client\] is not a nutrient"),
    ("\n# nothing here\n", r"^the targets file is empty"),
    ("nutrient,value\npotassium_ul,5000\n",
     r'^row 2: "potassium_ul": Potassium has no upper limit to change'),
    ("nutrient,value\nb6,2\n", r'^row 2: "b6": Vitamin B6 has no target here, only an upper limit'),
])
def test_bad_override_files_name_the_row_and_value(text, message):
    with pytest.raises(BadTargets, match=message):
        targets_for(Profile(age=34, sex="f"), read_overrides(io.BytesIO(text.encode())))


def test_every_problem_in_a_file_is_reported_at_once():
    fp = io.BytesIO(b"nutrient,value\nzinc,3\nmagnesium,abc\ncalcium,-1\npotassium,3000\n")
    with pytest.raises(BadTargets) as caught:
        read_overrides(fp)
    lines = str(caught.value).splitlines()
    assert [line.split(":")[0] for line in lines] == ["row 2", "row 3", "row 4"]


def test_dict_problems_name_the_entry():
    with pytest.raises(BadTargets, match=r'^"vitamin_d_ug" is negative|^"-3" is negative'):
        targets_for(Profile(age=34, sex="f"), {"vitamin_d_ug": -3})


# --- targets against the upper limits -------------------------------------------------------

def _read(text: str):
    return read_overrides(io.BytesIO(text.encode("utf-8")))


def test_a_vitamin_d_target_typed_in_iu_as_ug_is_refused_with_the_iu_reading():
    with pytest.raises(BadTargets) as caught:
        targets_for(Profile(age=40, sex="f"), _read("nutrient,value\nvitamin d,600\n"))
    message = str(caught.value)
    assert message.startswith('row 2: "vitamin d" 600 µg is above the 100 µg upper limit of '
                              "Vitamin D")
    assert "did you mean 600 IU = 15 µg? Write 600 IU (or 15)" in message
    assert "vitamin_d_ug_ul" in message  # how to mean it


def test_a_vitamin_d_value_in_iu_is_converted():
    table = targets_for(Profile(age=40, sex="f"),
                        _read("nutrient,value\nvitamin d,1000 IU\nvitamin d ul,4000 iu\n"))
    assert table.at["vitamin_d_ug", "target"] == 25.0
    assert table.at["vitamin_d_ug", "ul"] == 100.0
    # a name that says IU already is not converted twice
    table = targets_for(Profile(age=40, sex="f"), {"Vitamin D (IU)": "800 IU"})
    assert table.at["vitamin_d_ug", "target"] == 20.0
    # IU means nothing for the minerals
    with pytest.raises(BadTargets, match=r'^row 2: "300 IU" is not a number'):
        _read("nutrient,value\nmagnesium,300 IU\n")


def test_a_target_above_the_limit_is_accepted_when_the_limit_is_raised_too():
    table = targets_for(Profile(age=40, sex="f"),
                        _read("nutrient,value\nvitamin d,150\nvitamin d upper limit,250\n"))
    assert table.at["vitamin_d_ug", "target"] == 150.0
    assert table.at["vitamin_d_ug", "ul"] == 250.0
    assert table.at["vitamin_d_ug", "warning"] == ""


def test_calcium_above_its_limit_and_a_limit_below_the_target_are_refused():
    with pytest.raises(BadTargets, match=r'^row 2: "calcium" 3,000 mg is above the 2,500 mg '
                                         r"upper limit of Calcium.*check the figure"):
        targets_for(Profile(age=40, sex="f"), _read("nutrient,value\ncalcium,3000\n"))
    with pytest.raises(BadTargets, match=r'^line 1: "vitamin_d_ug_ul" 10 µg is below the '
                                         r"Vitamin D target of 15 µg"):
        targets_for(Profile(age=40, sex="f"), _read("vitamin_d_ug_ul = 10\n"))


def test_a_magnesium_target_above_the_supplement_limit_is_kept_with_a_warning():
    table = targets_for(Profile(age=40, sex="f"), _read("nutrient,value\nmagnesium,1000\n"))
    assert table.at["magnesium_mg", "target"] == 1000.0
    assert table.at["magnesium_mg", "warning"].startswith(
        "The Magnesium target of 1,000 mg is above the 350 mg upper limit for magnesium from "
        "supplements (the DRI target is 320 mg)")
    assert (table.drop("magnesium_mg")["warning"] == "").all()
    # the standard targets warn about nothing (a child's magnesium RDA is above its limit,
    # but that is the DRI itself, not an override)
    for age in (5, 10, 40):
        assert (targets_for(Profile(age=age, sex="m"))["warning"] == "").all()


def test_a_childs_magnesium_limit_changed_alone_gives_no_warning():
    # ages 4-8: RDA 130 mg, supplement limit 110 mg, by design of the DRI
    table = targets_for(Profile(age=6, sex="m"), {"magnesium upper limit": 100})
    assert table.at["magnesium_mg", "ul"] == 100.0
    assert table.at["magnesium_mg", "warning"] == ""


def test_a_magnesium_target_an_adult_reaches_from_food_gets_no_warning():
    # 400 mg is above the 350 mg supplement limit but within the DRIs (420 mg for men over 30)
    table = targets_for(Profile(age=40, sex="f"), _read("nutrient,value\nmagnesium,400\n"))
    assert table.at["magnesium_mg", "target"] == 400.0
    assert (table["warning"] == "").all()
