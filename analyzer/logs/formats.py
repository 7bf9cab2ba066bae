"""Which kind of meal log a file is, told from its header row.

Each known layout is one row of `FORMATS`: the header names that identify it, the columns
it must have, and for exports nutrigap cannot use, what to export instead. Header names are
compared without case or surrounding spaces ("Time " is "time").
"""

from __future__ import annotations

from dataclasses import dataclass

from nutrigap.analyzer.errors import BadMealLog, Problem
from nutrigap.analyzer.logs.cronometer import CRONOMETER_COLUMNS
from nutrigap.analyzer.logs.tables import (
    KINDS,
    header_problem,
    normalise_header,
    quotable,
    quoted_header,
    repeated_column,
)

CRONOMETER_SERVINGS_HOWTO = ("in Cronometer's account settings, under Export Data, export the "
                             "food and recipe entries (the file servings.csv)")


@dataclass(frozen=True)
class LogFormat:
    """One meal-log layout nutrigap knows about."""

    name: str
    title: str
    signature: tuple[str, ...]  # all present -> the file is this format
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    refusal: str = ""  # non-empty: recognised, but cannot be used
    excludes: tuple[str, ...] = ()  # any present -> not this format

    @property
    def readable(self) -> bool:
        """True for the formats read into an items table."""
        return not self.refusal


# A file with these columns logs one food per row, so it is not an export of meal or day totals
# that happens to share some column names (our template plus a "calories" column).
PER_FOOD = ("food", "amount")

FORMATS: tuple[LogFormat, ...] = (
    LogFormat("cronometer-servings", "Cronometer servings export",
              ("day", "food name", "amount"), ("day", "food name", "amount"),
              ("time", "group", "category", *CRONOMETER_COLUMNS)),
    LogFormat("cronometer-dailysummary", "Cronometer daily nutrition export",
              ("date", "energy (kcal)"),
              refusal="this is Cronometer's daily summary (dailysummary.csv), which has one "
                      "row of totals per day and no foods, so gaps cannot be traced to foods or "
                      f"supplements; {CRONOMETER_SERVINGS_HOWTO} and give nutrigap that file",
              excludes=PER_FOOD),
    LogFormat("cronometer-biometrics", "Cronometer biometrics export", ("day", "metric"),
              refusal="this is Cronometer's biometrics export (weights and measurements), not "
                      f"a food log; {CRONOMETER_SERVINGS_HOWTO}"),
    LogFormat("cronometer-exercises", "Cronometer exercise export", ("day", "exercise"),
              refusal="this is Cronometer's exercise export, not a food log; "
                      f"{CRONOMETER_SERVINGS_HOWTO}"),
    LogFormat("myfitnesspal-nutrition-summary", "MyFitnessPal nutrition summary",
              ("date", "meal", "calories", "fat (g)"), excludes=PER_FOOD,
              refusal="this is MyFitnessPal's Nutrition-Summary.csv, which has one row per meal "
                      "rather than per food, gives calcium only as a % of the Daily Value and "
                      "has no magnesium, vitamin D or B12 at all; copy the foods from the "
                      "MyFitnessPal diary into nutrigap's template (date, meal, food, amount, "
                      "unit) instead"),
    LogFormat("myfitnesspal-exercise-summary", "MyFitnessPal exercise summary",
              ("date", "exercise"),
              refusal="this is MyFitnessPal's exercise summary, not a food log; copy the foods "
                      "from the diary into nutrigap's template (date, meal, food, amount, unit)",
              excludes=PER_FOOD),
    LogFormat("nutrigap", "nutrigap meal log", ("date", "food", "amount"),
              ("date", "food", "amount"), ("meal", "unit", "client", "notes")),
)
BY_NAME = {f.name: f for f in FORMATS}
OUR_COLUMNS = KINDS["meal log"].columns


def detect_format(header: list[str], header_row: int = 1) -> tuple[LogFormat, dict[str, int]]:
    """The format a header belongs to and the position of each of its columns; raises
    BadMealLog for exports nutrigap refuses, missing columns and unknown layouts."""
    names = [normalise_header(c) for c in header]
    present = set(names)
    for fmt in FORMATS:
        if not set(fmt.signature) <= present or present & set(fmt.excludes):
            continue
        if not fmt.readable:
            raise BadMealLog([Problem(None, None, None, fmt.refusal)])
        return fmt, _positions(fmt, names, header_row)
    raise BadMealLog([_closest_miss(names, header_row)])


def _positions(fmt: LogFormat, names: list[str], header_row: int) -> dict[str, int]:
    positions: dict[str, int] = {}
    problems = []
    for i, name in enumerate(names):
        if name not in positions:
            positions[name] = i
        elif name in fmt.required or name in fmt.optional:
            problems.append(repeated_column(name, positions[name], i, header_row))
    if problems:
        raise BadMealLog(problems)
    return positions


def _closest_miss(names: list[str], header_row: int) -> Problem:
    found = quoted_header(names)
    best, hits = None, 0
    for fmt in FORMATS:
        if fmt.readable:
            n = len(set(fmt.required) & set(names))
            if n > hits:
                best, hits = fmt, n
    if best is not None and hits >= 2:
        missing = [c for c in best.required if c not in names]
        expected = OUR_COLUMNS if best.name == "nutrigap" else ", ".join(best.required)
        return header_problem(names, header_row, missing=missing, title=best.title,
                              columns=expected, guide=KINDS["meal log"].guide)
    what = f"the header ({found})" if quotable(names) else "the first row"
    return Problem(header_row, None, None,
                   f"{what} is not a meal log nutrigap can read; use nutrigap's "
                   f"columns {OUR_COLUMNS} (see examples/template.csv) or a Cronometer "
                   "servings.csv export")


def is_log_header(header: list[str]) -> bool:
    """Whether a header row is a meal log's that nutrigap knows (its own format or an export,
    readable or not); a header missing one column still is, so the reader can say what to add."""
    names = {normalise_header(cell) for cell in header}
    return any(set(fmt.signature) <= names or len(set(fmt.required) & names) >= 2
               for fmt in FORMATS)
