"""Numbers and text as the report dictionary holds them: JSON-ready, unknown as None."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from nutrigap.analyzer import statuses as st


def num(value, digits: int = 3) -> float | None:
    """A JSON number: NaN and None become None; numpy scalars become floats."""
    if value is None or value is pd.NA or (isinstance(value, float | np.floating)
                                           and math.isnan(value)):
        return None
    return round(float(value), digits)


def percent(value) -> float | None:
    """A % of target to one decimal, cut rather than rounded up to a status edge (50, 100):
    99.96 -> 99.9, so the figure never says 100 beside "below"."""
    pct = num(value, 1)
    if pct is not None:
        for edge in st.BANDS:
            if float(value) < edge <= pct:
                return math.floor(float(value) * 10) / 10
    return pct


def integer(value) -> int | None:
    """An int, or None when unknown."""
    return None if value is None or pd.isna(value) else int(value)


def text(value) -> str:
    """A cell as text: '' when unknown."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
