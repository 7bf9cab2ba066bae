"""The CSV tables shipped in `analyzer/data`, read as text."""

from __future__ import annotations

from importlib import resources

import pandas as pd


def read_data_table(name: str) -> pd.DataFrame:
    """One of the CSV tables shipped in analyzer/data, every cell as text."""
    path = resources.files("nutrigap.analyzer") / "data" / name
    with path.open(encoding="utf-8") as fp:
        return pd.read_csv(fp, dtype=str, keep_default_na=False)
