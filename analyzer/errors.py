"""The exceptions the core raises; each edge (CLI, web app, batch) turns them into one message."""

from __future__ import annotations

from dataclasses import dataclass

EXCERPT_CHARS = 60  # the most of one cell a message quotes


def excerpt(text: object, size: int = EXCERPT_CHARS) -> str:
    """A cell as a message quotes it: whole when short, else its start and its length, so a
    message never echoes a huge cell ("Spinach, raw, chopped, ... (3,000,000 characters)")."""
    text = str(text)
    if len(text) > size:
        return f"{_one_line(text[: size - 20]).rstrip()}... ({len(text):,} characters)"
    return _one_line(text)


def _one_line(text: str) -> str:
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


class NutrigapError(Exception):
    """Base class for every error the product reports to a user in plain words."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell of an input file, in a form a spreadsheet user can act on."""

    row: int | None  # row number as a spreadsheet shows it (header = row 1); None for the file
    column: str | None
    value: str | None
    message: str  # what is wrong and what to do about it

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(self.column)
        prefix = ", ".join(where)
        value = f'"{excerpt(self.value)}" ' if self.value not in (None, "") else ""
        if prefix:
            return f"{prefix}: {value}{self.message}"
        return f"{value}{self.message}"


class BadTable(NutrigapError):
    """A table a user gave (meal log, clients file, targets or corrections file) that cannot
    be used; carries every problem found (up to a cap), or one message."""

    def __init__(self, problems: list[Problem] | str, total: int | None = None):
        if isinstance(problems, str):
            problems = [Problem(None, None, None, problems)]
        self.problems = list(problems)
        self.total = total if total is not None else len(self.problems)
        super().__init__(self.describe())

    def describe(self) -> str:
        lines = [str(p) for p in self.problems]
        hidden = self.total - len(self.problems)
        if hidden > 0:
            lines.append(f"... and {hidden} more problems of the same kinds")
        return "\n".join(lines)


class BadMealLog(BadTable):
    """A meal log that cannot be read."""


class BadClientList(BadTable):
    """A clients file that cannot be used at all (unreadable, wrong header, rows without an
    id); its message names clients.csv, as the batch reports several files."""

    def describe(self) -> str:
        return "clients.csv: " + super().describe()


class BadProfile(NutrigapError):
    """An age, sex or life stage that has no Dietary Reference Intake."""


class BadTargets(BadTable):
    """A target-override file that cannot be used."""


class BadCorrections(BadTable):
    """A food-match corrections file that cannot be used."""


class FoodDataError(NutrigapError):
    """USDA data that cannot be read or imported (missing file, wrong folder, truncated CSV)."""


class BadRuleTable(NutrigapError):
    """A rule table shipped with nutrigap that does not fit its declared shape; names every
    cell that is wrong, so whoever edited the table can put it right."""

    def __init__(self, table: str, problems: list[Problem]):
        self.table = table
        self.problems = list(problems)
        super().__init__("\n".join(f"{table}: {p}" for p in self.problems))


class FoodApiError(NutrigapError):
    """The FoodData Central API could not be reached or refused the request."""


class FoodDownloadError(NutrigapError):
    """A FoodData Central download could not be fetched, or what arrived is not the file."""


class BadDiet(NutrigapError):
    """A diet filter nutrigap does not know, or an exclusion that is not a food word."""
