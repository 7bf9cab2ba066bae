"""`nutrigap targets`: the table that applies, a client's overrides, and refusals."""

from __future__ import annotations

from click.testing import CliRunner

from nutrigap.cli import main


def run(*args: str):
    return CliRunner().invoke(main, ["targets", *args])


def test_prints_the_table_for_a_woman_of_34():
    result = run("--age", "34", "--sex", "female")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Targets for Females 31-50 (age 34, female)"
    assert lines[2:9] == [
        "Nutrient     Target                     Upper limit",
        "Magnesium    320 mg RDA                 350 mg (supplements only)",
        "Calcium      1,000 mg RDA               2,500 mg (food and supplements)",
        "Potassium    2,600 mg AI                none set",
        "Vitamin D    15 µg RDA                  100 µg (food and supplements)",
        "Vitamin B12  2.4 µg RDA                 none set",
        "Vitamin B6   none (watched for excess)  100 mg (food and supplements)",
    ]
    assert "Sources:" in lines
    assert any("National Academies" in line and "(2019)" in line for line in lines)


def test_pregnancy_comes_before_sex():
    result = run("--age", "17", "--sex", "f", "--pregnant")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Targets for Pregnancy 14-18 (age 17, pregnant, female)"
    assert "Magnesium    400 mg RDA" in result.output


def test_a_targets_file_shows_what_was_changed(tmp_path):
    path = tmp_path / "client-12.toml"
    path.write_text('magnesium_mg = 300\n"B6 upper limit" = 12\n', encoding="utf-8")
    result = run("--age", "34", "--sex", "female", "--targets", str(path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[3] == ("Magnesium    300 mg (set for this client; DRI 320)  "
                        "350 mg (supplements only)")
    assert lines[8] == ("Vitamin B6   none (watched for excess)              "
                        "12 mg (set for this client; DRI 100)")


def test_a_pregnant_male_is_refused_with_exit_code_2():
    result = run("--age", "30", "--sex", "male", "--pregnant")
    assert result.exit_code == 2
    assert result.stderr == ("Error: pregnant was given for a male; check the sex (female) or "
                             "leave out pregnant\n")
    assert result.stdout == ""


def test_missing_sex_and_a_baby_are_refused():
    result = run("--age", "40")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: sex is missing; give female or male")
    result = run("--age", "0.5", "--sex", "f")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: age 0.5 is under 1 year")


def test_a_bad_targets_file_names_the_row(tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text("nutrient,value\nmagnesium,300\nvitamin D,a lot\n", encoding="utf-8")
    result = run("--age", "34", "--sex", "female", "--targets", str(path))
    assert result.exit_code == 2
    assert result.stderr == ('Error: row 3: "a lot" is not a number; write the Vitamin D target '
                             'in µg as a number above 0 (300, not "300 mg")\n')


def test_a_target_above_a_limit_is_refused_or_warned(tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text("nutrient,value\nvitamin d,600\n", encoding="utf-8")
    result = run("--age", "40", "--sex", "female", "--targets", str(path))
    assert result.exit_code == 2
    assert "did you mean 600 IU = 15 µg?" in result.stderr
    path.write_text("nutrient,value\nvitamin d,800 IU\nmagnesium,1000\n", encoding="utf-8")
    result = run("--age", "40", "--sex", "female", "--targets", str(path))
    assert result.exit_code == 0, result.output
    assert "Vitamin D    20 µg (set for this client; DRI 15)" in result.output
    assert ("Warning: The Magnesium target of 1,000 mg is above the 350 mg upper limit for "
            "magnesium from supplements") in result.output


def test_caffeine_alcohol_water_and_sodium_are_listed_after_the_targets():
    lines = run("--age", "34", "--sex", "female").output.splitlines()
    start = lines.index("Also shown in the report, not scored (a day):")
    assert lines[start + 1:start + 5] == [
        "  Caffeine  up to 400 mg a day for healthy adults",
        "  Alcohol   up to 1 drink a day for women",
        "  Water     2.7 L a day for women (Adequate Intake)",
        "  Sodium    under 2,300 mg a day from age 14 (Chronic Disease Risk Reduction intake)"]
    assert any(line.startswith("  EFSA Panel on Dietetic Products") for line in lines)


def test_a_childs_caffeine_limit_follows_the_weight_given():
    without = run("--age", "10", "--sex", "male").output
    assert ("  Caffeine  3 mg per kg of body weight a day for children and teenagers; give "
            "--weight-kg to judge it") in without
    weighed = run("--age", "10", "--sex", "male", "--weight-kg", "30")
    assert weighed.exit_code == 0, weighed.output
    assert "  Caffeine  up to 90 mg a day for children and teenagers" in weighed.output
    refused = run("--age", "10", "--sex", "male", "--weight-kg", "0.3")
    assert refused.exit_code == 2
    assert "weight 0.3 kg is not a plausible body weight" in refused.stderr
