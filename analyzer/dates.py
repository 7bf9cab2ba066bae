"""Dates as the reports write them: '6 May 2024'."""

from __future__ import annotations

from datetime import date

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def day_month_year(when: date) -> str:
    """date(2024, 5, 6) -> '6 May 2024' (a pandas Timestamp works too)."""
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"
