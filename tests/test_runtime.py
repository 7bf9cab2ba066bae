"""What the edges share around the core: the Analyzer a process keeps, and a report's stamp."""

from __future__ import annotations

from datetime import date
from importlib.metadata import version

import pytest
from sr28_sample import write_sr28

from nutrigap import runtime
from nutrigap.analyzer.errors import BadCorrections, NutrigapError
from nutrigap.analyzer.food_table import FoodTable
from nutrigap.foods.sr28 import read_sr28
from nutrigap.foods.store import save_table


@pytest.fixture(autouse=True)
def nothing_kept(monkeypatch, tmp_path):
    """Each test starts, and leaves this process, with no Analyzer kept."""
    monkeypatch.delenv("NUTRIGAP_FOODS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    runtime.forget_analyzer()
    yield
    runtime.forget_analyzer()


def test_a_report_is_stamped_with_today_and_the_installed_version():
    options = runtime.report_options(diet=["vegan"], log_name="week.csv")
    assert options.generated == date.today()
    assert options.version == version("nutrigap")
    assert (options.diet, options.log_name) == (("vegan",), "week.csv")


def test_the_analyzer_is_loaded_once_and_again_when_its_database_changes(tmp_path):
    db = tmp_path / "foods.sqlite"
    sample = read_sr28(write_sr28(tmp_path / "sr28"))
    save_table(sample, db)
    first = runtime.kept_analyzer(db)
    assert runtime.kept_analyzer(db) is first
    # `nutrigap foods import` while a worker runs: a food the built-in table does not have
    fetched = sample.subset(["sr:15088"])
    fetched = FoodTable(fetched.foods.rename(index={"sr:15088": "fdc:900001"}),
                        fetched.portions.assign(food_id="fdc:900001"))
    save_table(fetched, db)
    again = runtime.kept_analyzer(db)
    assert "fdc:900001" not in first.food_table.foods.index
    assert "fdc:900001" in again.food_table.foods.index


def test_a_failed_load_is_kept_and_reported_each_time(tmp_path):
    missing = tmp_path / "nowhere.sqlite"
    for _ in range(2):
        with pytest.raises(NutrigapError, match=f"there is no food database at {missing}"):
            runtime.kept_analyzer(missing)


def test_a_corrections_file_is_read_and_checked_with_the_table(tmp_path):
    matches = tmp_path / "matches.csv"
    matches.write_text("name,food_id\noj,sr:09206\n", encoding="utf-8")
    analyzer = runtime.kept_analyzer(None, matches)
    assert analyzer.corrections["food_id"].tolist() == ["sr:09206"]
    matches.write_text("", encoding="utf-8")
    empty = f"{matches}: the corrections file is empty; write the header name,food_id"
    with pytest.raises(NutrigapError, match=empty):
        runtime.kept_analyzer(None, matches)
    with pytest.raises(BadCorrections, match=empty):
        runtime.read_corrections(matches)
