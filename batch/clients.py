"""clients.csv: who each client is (age, sex, life stage, diet) and their own target overrides."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from nutrigap.analyzer.errors import BadDiet, BadProfile, NutrigapError, Problem
from nutrigap.analyzer.scoring import Profile
from nutrigap.analyzer.suggestions import normalise_diet
from nutrigap.batch.inputs import client_key, decode_text, sniff_delimiter

REQUIRED_COLUMNS = ("client", "age", "sex")
OPTIONAL_COLUMNS = ("pregnant", "lactating", "diet", "targets")
HEADER_HINT = ("the header must be: client, age, sex, pregnant, lactating, diet, targets "
               "(the last four may be left out)")

# What to write instead, per column, when a value cannot be used.
FIXES = {
    "client": "fill in the client id (the log's file name without its extension)",
    "age": "write the age in years as a number, e.g. 34",
    "sex": "write female or male",
    "pregnant": "write yes or no (blank means no)",
    "lactating": "write yes or no (blank means no)",
    "diet": "list diets separated by semicolons, e.g. vegetarian; nut-free",
    "targets": "give the path of a target-override CSV, relative to clients.csv",
}


class BadClientList(NutrigapError):
    """A clients.csv that cannot be used at all (wrong header, unreadable, rows without an id)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("clients.csv: " + "\n".join(str(p) for p in problems))


class ClientRow(BaseModel):
    """One client's row of clients.csv, checked."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    row: int  # spreadsheet row number in clients.csv (header = row 1)
    client: str = Field(min_length=1)
    age: float
    sex: str = ""  # female or male; the DRI rules in analyzer.targets.Profile check it
    pregnant: bool = False
    lactating: bool = False
    diet: tuple[str, ...] = ()
    targets: str | None = None  # as written: relative to clients.csv

    @field_validator("pregnant", "lactating", mode="before")
    @classmethod
    def _blank_is_no(cls, value):
        return False if value is None or str(value).strip() == "" else str(value).strip()

    @field_validator("diet", mode="before")
    @classmethod
    def _diet_words(cls, value):
        words = re.split(r"[;,|]", str(value or ""))
        return tuple(normalise_diet(w.strip()) for w in words if w.strip())  # BadDiet explains

    @field_validator("targets", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if value is None or str(value).strip() == "" else str(value).strip()

    def profile(self) -> Profile:
        """The person the targets are for; raises BadProfile for an impossible one."""
        return Profile(age=self.age, sex=self.sex, pregnant=self.pregnant,
                       lactating=self.lactating)


@dataclass
class ClientBook:
    """Every client in clients.csv: the usable rows, and a message for each unusable one."""

    folder: Path  # where clients.csv is; `targets` paths are relative to it
    rows: dict[str, ClientRow] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)

    def ids(self) -> dict[str, str]:
        """Every client of clients.csv, usable or not: client_key -> the id as written there
        (a log's name finds its row without regard to capitals: "Alice.csv" is client alice)."""
        return {client_key(c): c for c in [*self.rows, *self.problems]}

    def targets_path(self, row: ClientRow) -> Path | None:
        """The absolute path of a client's target-override file, if they have one."""
        return None if row.targets is None else (self.folder / row.targets).resolve()


def read_clients(fp, *, folder: Path) -> ClientBook:
    """Read clients.csv from a binary file object; raise BadClientList when it is unusable."""
    text, _ = decode_text(fp.read())
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise BadClientList([Problem(None, None, None, f"the file is empty; {HEADER_HINT}")])
    reader = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(lines[0]))
    header = [h.strip().lower() for h in next(reader)]
    _check_header(header)
    book = ClientBook(folder=folder)
    seen: dict[str, tuple[str, int]] = {}  # client_key -> the id as written first, its row
    no_id: list[Problem] = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue  # an empty line a spreadsheet left at the end: no data, nothing lost
        values = dict(zip(header, cells, strict=False))
        client = values.get("client", "").strip()
        if not client:
            no_id.append(Problem(number, "client", None, f"is empty; {FIXES['client']}"))
            continue
        client = values["client"] = " ".join(client.split())
        if client_key(client) in seen:
            first, row = seen[client_key(client)]
            book.rows.pop(first, None)
            same = "" if client == first else (
                f' and "{client}" (client ids are matched without regard to capitals or '
                "surrounding spaces)")
            book.problems[first] = (f"clients.csv rows {row} and {number} both describe "
                                    f'"{first}"{same}; keep one of them')
            continue
        seen[client_key(client)] = (client, number)
        if len(cells) > len(header):
            book.problems[client] = (f"clients.csv row {number} has {len(cells)} cells but the "
                                     f"header has {len(header)}; put quotes around any value "
                                     "that contains a comma")
            continue
        try:
            row = ClientRow(row=number, **values)
            row.profile()
        except ValidationError as exc:
            book.problems[client] = "; ".join(_describe(number, values, e) for e in exc.errors())
        except BadProfile as exc:
            book.problems[client] = f"clients.csv row {number}: {exc}"
        except BadDiet as exc:
            book.problems[client] = f"clients.csv row {number}, diet: {exc}"
        else:
            book.rows[client] = row
    if no_id:
        raise BadClientList(no_id)
    return book


def _check_header(header: list[str]) -> None:
    known = set(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    parts = []
    unknown = [f'"{h}"' for h in header if h not in known]
    if unknown:
        verb = "is not a known column" if len(unknown) == 1 else "are not known columns"
        parts.append(f"{', '.join(unknown)} {verb}")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        parts.append(f"there is no {', '.join(missing)} column")
    repeated = [f'"{h}"' for h in sorted({h for h in header if header.count(h) > 1})]
    if repeated:
        parts.append(f"{', '.join(repeated)} appears more than once")
    if parts:
        raise BadClientList([Problem(1, None, None, ", and ".join(parts) + f"; {HEADER_HINT}")])


def _describe(number: int, values: dict[str, str], error: dict) -> str:
    column = str(error["loc"][0]) if error["loc"] else ""
    value = values.get(column, "")
    shown = f'"{value}"' if str(value).strip() else "(blank)"
    return f"clients.csv row {number}, {column}: {shown} cannot be used; {FIXES.get(column, '')}"
