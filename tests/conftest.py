"""Fixtures shared by the whole suite, the user folders every test is kept out of, and the
rule that marks tests `shared` and `slow`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
SR28_DIR = SHARED_DATA / "usda-sr28"
FNDDS_DIR = SHARED_DATA / "fndds-2017-2018"
NHANES_DIR = SHARED_DATA / "nhanes"
CRONOMETER_DIR = SHARED_DATA / "meal-logs" / "cronometer"
REFERENCE_DIR = SHARED / "reference"

# --- markers, from what a test uses ---------------------------------------------------------

# A test that asks for one of these (directly or through another fixture) reads ../shared.
SHARED_FIXTURES = {"sr28_dir", "fndds_dir", "nhanes_dir", "cronometer_dir", "reference_dir"}

# What makes a test take seconds rather than milliseconds (measured with `pytest --durations`):
SLOW_FIXTURES = {
    "sr28_dir",  # the whole SR28 release: 8,789 foods read, imported or matched against
    "fndds_dir",  # the whole FNDDS 2017-2018: 7,083 survey foods
    "month_html",  # a month of reports laid out by WeasyPrint in two halves, in two processes
    "cluster",  # a Dask cluster
}
SLOW_MARKERS = {"browser"}  # `nutrigap serve` in a process of its own, driven by Chromium
SLOW_MODULES = {
    "test_cli_batch.py",  # caseloads on pools of worker processes, one batch killed half way
    "test_batch_dask.py",  # caseloads sent to a Dask scheduler
    "test_long_export.py",  # 265 days (5,113 rows) analysed, and its report laid out
    "test_batch_edges.py",  # worker processes, a client stopped at its time limit, kills
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `shared` and `slow` from the fixtures, markers and file of each test, so that
    `pytest -m "not slow"` is the quick loop and no test has to remember its own marks."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & SHARED_FIXTURES:
            item.add_marker(pytest.mark.shared)
        markers = {marker.name for marker in item.iter_markers()}
        if (fixtures & SLOW_FIXTURES or markers & SLOW_MARKERS
                or item.path.name in SLOW_MODULES):
            item.add_marker(pytest.mark.slow)


# --- the user's folders, environment and API key --------------------------------------------

# Where the food database, the FoodData Central cache and any settings of this machine's user
# live: platformdirs and the XDG fallbacks read these on Linux, and HOME covers the rest.
USER_FOLDERS = {"HOME": "home", "XDG_DATA_HOME": "data", "XDG_CACHE_HOME": "cache",
                "XDG_CONFIG_HOME": "config", "XDG_STATE_HOME": "state"}
# The user's own settings: a food database, an API address, a web setting, an API key.
USER_SETTINGS = ("NUTRIGAP_", "FDC_API_KEY")


def _keep_out_the_user(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    for name in [n for n in os.environ if n.startswith(USER_SETTINGS)]:
        monkeypatch.delenv(name)
    for name, folder in USER_FOLDERS.items():
        monkeypatch.setenv(name, str(home / folder))


@pytest.fixture(scope="session", autouse=True)
def _user_folders_for_the_session(tmp_path_factory: pytest.TempPathFactory):
    """Empty user folders and none of the user's settings for fixtures shared by a module or
    the session (a web app, a server process), which start before any test's own."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        _keep_out_the_user(monkeypatch, tmp_path_factory.mktemp("session-user"))
        yield


@pytest.fixture(autouse=True)
def user_folders(_user_folders_for_the_session, tmp_path_factory: pytest.TempPathFactory,
                 monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test starts with empty data, cache and config folders of its own, no food
    database, API address or API key from the environment: nothing of this machine's user is
    read or written. Returns the folder that stands for the user's home."""
    home = tmp_path_factory.mktemp("user")
    _keep_out_the_user(monkeypatch, home)
    return home / USER_FOLDERS["HOME"]


# --- the real data in ../shared --------------------------------------------------------------

def require_shared(path: Path) -> Path:
    """Skip the calling test when the real USDA / NHANES / Cronometer data is not beside the
    checkout (it is in CI, where ../shared is always present)."""
    if not path.exists():
        pytest.skip(f"real data not found at {path} (../shared is not beside this checkout)")
    return path


@pytest.fixture(scope="session")
def sr28_dir() -> Path:
    return require_shared(SR28_DIR / "FOOD_DES.txt").parent


@pytest.fixture(scope="session")
def fndds_dir() -> Path:
    """USDA's FNDDS 2017-2018 "At A Glance" tables, under the names the shared folder uses."""
    return require_shared(FNDDS_DIR / "fndds1718_nutrient_values.csv").parent


@pytest.fixture(scope="session")
def nhanes_dir() -> Path:
    return require_shared(NHANES_DIR / "nhanes1516_individual_foods_subset.tsv").parent


@pytest.fixture(scope="session")
def cronometer_dir() -> Path:
    return require_shared(CRONOMETER_DIR)


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The reference documents (DRI tables) the committed rule tables are checked against."""
    return require_shared(REFERENCE_DIR / "dri.md").parent


@pytest.fixture(scope="session")
def embedded_table():
    """The committed default food table (no USDA files needed)."""
    from nutrigap.foods.embedded import load_embedded

    return load_embedded()


@pytest.fixture(scope="session")
def sr28_table(sr28_dir):
    """The whole SR28 release read into a FoodTable (read once per test session)."""
    from nutrigap.foods.sr28 import read_sr28

    return read_sr28(sr28_dir)
