"""Where nutrigap keeps its files on this computer: the user's data folder (the food
database) and cache folder (FoodData Central's answers), as each platform names them.

On Linux these follow $XDG_DATA_HOME and $XDG_CACHE_HOME (~/.local/share/nutrigap and
~/.cache/nutrigap by default); macOS and Windows have folders of their own.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "nutrigap"


def data_dir() -> Path:
    """The user's nutrigap data folder (it may not exist yet)."""
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """The user's nutrigap cache folder (it may not exist yet)."""
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))
