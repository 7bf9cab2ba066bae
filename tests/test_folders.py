"""Where nutrigap keeps the food database and the FoodData Central cache."""

from __future__ import annotations

from nutrigap.foods.fdc_api import default_cache_dir
from nutrigap.foods.store import default_db_path


def test_the_folders_follow_the_xdg_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert default_db_path() == tmp_path / "data" / "nutrigap" / "foods.sqlite"
    assert default_cache_dir() == tmp_path / "cache" / "nutrigap" / "fdc"


def test_without_the_variables_the_folders_are_in_home(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_db_path() == tmp_path / ".local" / "share" / "nutrigap" / "foods.sqlite"
    assert default_cache_dir() == tmp_path / ".cache" / "nutrigap" / "fdc"
