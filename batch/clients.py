"""clients.csv: who each client is (age, sex, life stage, weight, diet) and their own target
overrides."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from nutrigap.analyzer.errors import BadClientList, BadDiet, BadProfile, Problem
from nutrigap.analyzer.logs import read_table
from nutrigap.analyzer.scoring import Profile
from nutrigap.analyzer.suggestions import normalise_diet
from nutrigap.batch.inputs import client_key

REQUIRED_COLUMNS = ("client", "age", "sex")
OPTIONAL_COLUMNS = ("pregnant", "lactating", "weight_kg", "diet", "targets")

# What to write instead, per column, when a value cannot be used.
FIXES = {
    "client": "fill in the client id (the log's file name without its extension)",
    "age": "write the age in years as a number, e.g. 34",
    "sex": "write female or male",
    "pregnant": "write yes or no (blank means no)",
    "lactating": "write yes or no (blank means no)",
    "weight_kg": "write the body weight in kg as a number, e.g. 32, or leave it blank",
    "diet": "list diets separated by semicolons, e.g. vegetarian; nut-free",
    "targets": "give the path of a target-override CSV, relative to clients.csv",
}


class ClientRow(BaseModel):
    """One client's row of clients.csv, checked."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    row: int  # spreadsheet row number in clients.csv (header = row 1)
    client: str = Field(min_length=1)
    age: float
    sex: str = ""  # female or male; the DRI rules in analyzer.targets.Profile check it
    pregnant: bool = False
    lactating: bool = False
    weight_kg: float | None = None  # a child's caffeine limit is set per kg
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

    @field_validator("targets", "weight_kg", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if value is None or str(value).strip() == "" else str(value).strip()

    def profile(self) -> Profile:
        """The person the targets are for; raises BadProfile for an impossible one."""
        return Profile(age=self.age, sex=self.sex, pregnant=self.pregnant,
                       lactating=self.lactating, weight_kg=self.weight_kg)


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
    table, form = read_table(fp, what="clients file")
    # a misspelt optional column must not be passed over: "diets" would drop every diet
    columns = table.positions(REQUIRED_COLUMNS, OPTIONAL_COLUMNS, others=False)
    book = ClientBook(folder=folder)
    seen: dict[str, tuple[str, int]] = {}  # client_key -> the id as written first, its row
    no_id: list[Problem] = []
    for row in table.rows():
        number, cells = row.number, row.cells
        values = {name: cells[i] for name, i in columns.items() if i < len(cells)}
        if form.decimal_comma:  # 1,5 years, 32,5 kg
            values.update({k: values[k].replace(",", ".") for k in ("age", "weight_kg")
                           if k in values})
        client = values.get("client", "").strip()
        if not client:
            no_id.append(Problem(number, "client", None, f"is empty; {FIXES['client']}"))
            continue
        client = values["client"] = " ".join(client.split())
        if client_key(client) in seen:
            first, earlier = seen[client_key(client)]
            book.rows.pop(first, None)
            same = "" if client == first else (
                f' and "{client}" (client ids are matched without regard to capitals or '
                "surrounding spaces)")
            book.problems[first] = (f"clients.csv rows {earlier} and {number} both describe "
                                    f'"{first}"{same}; keep one of them')
            continue
        seen[client_key(client)] = (client, number)
        extra = table.extra_cells(row)
        if extra:
            book.problems[client] = f"clients.csv row {number}: {extra}"
            continue
        try:
            person = ClientRow(row=number, **values)
            person.profile()
        except ValidationError as exc:
            book.problems[client] = "; ".join(_describe(number, values, e) for e in exc.errors())
        except BadProfile as exc:
            book.problems[client] = f"clients.csv row {number}: {exc}"
        except BadDiet as exc:
            book.problems[client] = f"clients.csv row {number}, diet: {exc}"
        else:
            book.rows[client] = person
    if no_id:
        raise BadClientList(no_id)
    return book


def _describe(number: int, values: dict[str, str], error: dict) -> str:
    column = str(error["loc"][0]) if error["loc"] else ""
    value = values.get(column, "")
    shown = f'"{value}"' if str(value).strip() else "(blank)"
    return f"clients.csv row {number}, {column}: {shown} cannot be used; {FIXES.get(column, '')}"
