"""`nutrigap foods search` and `nutrigap foods match`: exit codes and exact messages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from nutrigap.analyzer.food_table import FOOD_COLUMNS, FoodTable
from nutrigap.cli import main
from nutrigap.foods.store import save_table


@pytest.fixture
def env(tmp_path):
    """No database in the user's data folder and no $NUTRIGAP_FOODS: the built-in foods."""
    return {"XDG_DATA_HOME": str(tmp_path / "data"), "NUTRIGAP_FOODS": None}


def run(env, *args):
    return CliRunner().invoke(main, ["foods", *args], env=env)


def food_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("sr:", "fdc:"))]


def test_search_lists_foods_with_nutrients_and_portions(env):
    result = run(env, "search", "spinach raw", "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "sr:11457     Spinach, raw  (match 100)"
    assert lines[1] == ("    per 100 g: Mg 79 mg, Ca 99 mg, K 558 mg, vit D 0.0 µg, "
                        "B12 0.00 µg, B6 0.20 mg, 23 kcal")
    assert lines[2] == ("    portions: 1 cup = 30 g; 1 bunch = 340 g; 1 leaf = 10 g; "
                        "1 package (10 oz) = 284 g")
    assert len(food_lines(result.output)) == 3


def test_search_shows_an_unknown_value_as_a_question_mark(env, tmp_path):
    foods = pd.DataFrame([{**dict.fromkeys(FOOD_COLUMNS, np.nan), "name": "Moon cheese, aged",
                           "source": "fdc", "usda_description": "Moon cheese, aged",
                           "food_group": "Dairy and Egg Products", "magnesium_mg": 20.0,
                           "calcium_mg": 900.0, "potassium_mg": 100.0, "energy_kcal": 400.0,
                           "tags": "dairy"}], index=pd.Index(["fdc:999001"], name="food_id"))
    db = tmp_path / "moon.sqlite"
    save_table(FoodTable(foods[FOOD_COLUMNS]), db)
    result = run(env, "search", "aged moon cheese", "--foods", str(db), "--limit", "1")
    assert result.exit_code == 0, result.output
    assert result.output == ("fdc:999001   Moon cheese, aged  (match 100)\n"
                             "    per 100 g: Mg 20 mg, Ca 900 mg, K 100 mg, vit D ? µg, "
                             "B12 ? µg, B6 ? mg, 400 kcal\n")


def test_search_uses_the_database_named_by_the_environment(env, tmp_path):
    db = tmp_path / "none.sqlite"
    result = run({**env, "NUTRIGAP_FOODS": str(db)}, "search", "spinach")
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: there is no food database at {db}")


def test_search_with_no_food_words_says_so(env):
    result = run(env, "search", "!!!")
    assert result.exit_code == 1
    assert result.output == 'No food has any of the words in "!!!"; try other words\n'


def test_search_lists_far_off_foods_apart(env):
    result = run(env, "search", "spinach raw", "--limit", "5")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split("  (")[0].split()[0] for line in food_lines(result.output)][:3] == \
        ["sr:11457", "sr:11463", "sr:11458"]  # spinach raw, frozen, cooked
    far_at = lines.index("Far off (score below 55, not a match):")
    assert all("(match " in line for line in food_lines("\n".join(lines[:far_at])))
    far = lines[far_at + 1:]
    assert far and all(line.startswith("sr:") and "(far off: " in line for line in far)
    assert "Spinach" not in " ".join(far)


def test_search_for_a_food_the_table_lacks_says_no_food_matches(env):
    result = run(env, "search", "xyzzy", "--limit", "3")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith('No food matches "xyzzy": the best score is ')
    assert lines[0].endswith(", 55 is needed. The nearest names, all far off:")
    assert len(lines) == 5
    assert all("(far off: " in line and "(match" not in line for line in lines[1:4])
    assert lines[4] == ("If the food is not in the table, import a larger one (nutrigap foods "
                        "import), or leave the name unmatched on purpose with the line "
                        "xyzzy,none in a --matches file.")


def test_match_shows_food_method_confidence_and_candidates(env):
    result = run(env, "match", "greek yoghurt")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == '"greek yoghurt" -> sr:01256  Greek yogurt, plain, nonfat'
    assert lines[1] == "    method: alias, confidence 100"
    assert lines[2] == "    candidates:"
    assert lines[3].split() == ["100.0", "sr:01256", "Greek", "yogurt,", "plain,", "nonfat"]
    assert len(lines) == 9
    assert lines[-1] == ("To choose another food, add the line greek yoghurt,FOOD_ID to a "
                         "corrections CSV (header name,food_id) and pass it with --matches; "
                         "FOOD_ID none leaves the name unmatched (docs/corrections.md).")


def test_match_of_a_typo_is_fuzzy(env):
    result = run(env, "match", "chedder")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ['"chedder" -> sr:01009  Cheddar cheese',
                                              "    method: fuzzy, confidence 99"]


def test_an_unmatched_name_is_explained(env):
    result = run(env, "match", "laptop charger")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ('"laptop charger" is not matched: no food fits well enough (best '
                        'score 30, 55 needed); a meal log with this name lists it as unmatched.')
    assert lines[1] == "    candidates:"


def test_a_name_with_a_comma_is_quoted_in_the_hint(env):
    result = run(env, "match", "Spinach, Raw")
    assert result.output.splitlines()[-1].startswith(
        'To choose another food, add the line "Spinach, Raw",FOOD_ID to a corrections CSV')


def test_match_uses_the_corrections_file(env, tmp_path):
    matches = tmp_path / "matches.csv"
    matches.write_text('name,food_id\n"Spinach, Raw",sr:11458\n', encoding="utf-8")
    result = run(env, "match", "raw spinach", "--matches", str(matches))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ['"raw spinach" -> sr:11458  Spinach, cooked',
                                              "    method: correction, confidence 100"]


def test_match_says_a_correction_leaves_the_name_unmatched(env, tmp_path):
    matches = tmp_path / "matches.csv"
    matches.write_text("name,food_id\nkombucha,None\n", encoding="utf-8")
    result = run(env, "match", "Kombucha", "--matches", str(matches))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        f'"Kombucha" is not matched: {matches} leaves it unmatched on purpose (food_id none); '
        "a meal log with this name lists it as not counted.")


def test_a_bad_corrections_file_is_one_message_naming_file_row_and_id(env, tmp_path):
    matches = tmp_path / "matches.csv"
    matches.write_text("name,food_id\noj,sr:09206\nkale,sr:99999\n", encoding="utf-8")
    result = run(env, "match", "oj", "--matches", str(matches))
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {matches}: the corrections table cannot be used:\n"
        'row 3, food_id: "sr:99999" is not in the food table; find the right id with: '
        'nutrigap foods search "kale" (for USDA foods, import SR28 first with nutrigap foods '
        "import), or write none to leave it unmatched\n")


def test_after_importing_sr28_spinach_raw_comes_first_with_its_usda_values(sr28_dir, tmp_path,
                                                                         env):
    db = tmp_path / "x.sqlite"
    imported = CliRunner().invoke(main, ["foods", "import", str(sr28_dir), "--foods", str(db)],
                                  env=env)
    assert imported.exit_code == 0, imported.output
    result = run(env, "search", "spinach raw", "--foods", str(db))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "sr:11457     Spinach, raw  (match 100)"
    assert lines[1].startswith("    per 100 g: Mg 79 mg, Ca 99 mg, K 558 mg,")
    assert len(food_lines(result.output)) == 10
    matched = run(env, "match", "Soft drink, cola", "--foods", str(db))
    assert matched.output.splitlines()[0] == '"Soft drink, cola" -> sr:14148  Cola'
