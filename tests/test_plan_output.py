"""The solver's own debugging prints never reach the terminal: the edges analyse a log through
`runtime.analyze_quietly`, which keeps them off standard output."""

from __future__ import annotations

import ctypes
import os

import pytest
from report_samples import EXAMPLE_LOG, report_options

import nutrigap.analyzer.suggestions.plan_solver as plan_model
from nutrigap.analyzer.logs import read_meal_log
from nutrigap.analyzer.pipeline import Analyzer
from nutrigap.runtime import analyze_quietly

HIGHS_LINE = "HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();"


@pytest.fixture
def chatty_solver(monkeypatch):
    """The solver as it behaves at times: printing a debugging line with C's printf (buffered
    by the C library) and straight to file descriptor 1, around a real solve."""
    real = plan_model.milp
    calls = []

    def milp(*args, **kwargs):
        calls.append(1)
        ctypes.CDLL(None).printf(f"{HIGHS_LINE}\n".encode())
        os.write(1, f"{HIGHS_LINE}\n".encode())
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_model, "milp", milp)
    return calls


def test_solver_prints_are_silenced_but_ours_are_not(chatty_solver, capfd, embedded_table):
    # the reviewed case: a week's log with a high vitamin D target (its limit raised too) and
    # a magnesium target far above the DRI, so the plan cannot close every gap
    with open(EXAMPLE_LOG, "rb") as fp:
        items, info = read_meal_log(fp)
    options = report_options(overrides={"vitamin d": 200, "vitamin d ul": 400,
                                        "magnesium": 1000})
    report = analyze_quietly(Analyzer(embedded_table), items, info,
                             {"age": 40, "sex": "female"}, options)
    print("after the plan")
    ctypes.CDLL(None).fflush(None)
    out, err = capfd.readouterr()
    assert chatty_solver  # the solver ran
    assert report["plan"]["needed"] and report["plan"]["additions"]
    assert HIGHS_LINE not in out and HIGHS_LINE not in err
    assert "after the plan" in out  # standard output works again afterwards
