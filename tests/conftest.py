"""Fixtures shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
SR28_DIR = SHARED_DATA / "usda-sr28"
NHANES_DIR = SHARED_DATA / "nhanes"
CRONOMETER_DIR = SHARED_DATA / "meal-logs" / "cronometer"


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
def nhanes_dir() -> Path:
    return require_shared(NHANES_DIR / "nhanes1516_individual_foods_subset.tsv").parent


@pytest.fixture(scope="session")
def cronometer_dir() -> Path:
    return require_shared(CRONOMETER_DIR)


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
