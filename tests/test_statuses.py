"""The statuses and their bands, spelled once and read the same way by every output."""

from __future__ import annotations

import pytest

from nutrigap.analyzer import statuses as st
from nutrigap.reports import templating


@pytest.mark.parametrize(("percent", "status"), [
    (0.0, st.WELL_BELOW), (49.99, st.WELL_BELOW), (50.0, st.BELOW), (99.99, st.BELOW),
    (100.0, st.MEETS), (250.0, st.MEETS)])
def test_a_percent_of_target_falls_in_one_band(percent, status):
    assert st.band(percent) == status


def test_every_status_has_a_label_and_a_style_in_the_reports():
    assert set(st.LABELS) == set(templating.STATUSES) == set(st.STATUSES)
    assert all(st.LABELS[s] for s in st.STATUSES)


@pytest.mark.parametrize(("value", "level"), [
    (49.9, "well-below"), (50.0, "below"), (99.9, "below"), (100.0, "meets")])
def test_a_day_is_coloured_by_the_same_bands_as_the_status(value, level):
    # a target of 100 makes the amount its own % of target
    assert templating.day_level(value, 100.0) == level


def test_a_percent_just_under_a_band_never_reads_as_the_band():
    assert templating.percent(49.6) == "49.6%"
    assert templating.percent(99.5) == "99.5%"
    assert templating.percent(100.0) == "100%"
