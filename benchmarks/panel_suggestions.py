"""What a dietitian would see: suggestions and plan for six people, on three food tables.

Six profiles, each with a real-sounding log, are analysed against the built-in table, the
full SR28 and SR28 + FNDDS 2017-2018 (both read from ../shared/data with the project's own
readers, the built-in foods on top, as `nutrigap foods import` stores them). For each, it
prints the gaps, every suggested food and the plan, with what is left unmet and the guidance
quoted. The logs: the typed logs of tests/data/typed (weighed by their answer key, so every
line can be read) and benchmarks/data/child-log.csv; the teenager's is examples/example-log.csv.

    .venv/bin/python benchmarks/panel_suggestions.py [--shared ../shared/data]
                     [--profile pregnant] [--table sr28+fndds]
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import date
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nutrigap.analyzer.logs import read_meal_log  # noqa: E402
from nutrigap.analyzer.pipeline import Analyzer, Options  # noqa: E402
from nutrigap.foods.embedded import load_embedded  # noqa: E402
from nutrigap.foods.fndds import read_fndds  # noqa: E402
from nutrigap.foods.sr28 import read_sr28  # noqa: E402

TYPED = ROOT / "tests" / "data" / "typed"
PROFILES = {
    "pregnant": ("Pregnant woman, 29 (office worker's log)", "typed-log-1.csv",
                 {"age": 29, "sex": "female", "pregnant": True}, {}),
    "older-man": ("Man, 75 (older man's log)", "typed-log-3.csv",
                  {"age": 75, "sex": "male"}, {}),
    "breastfeeding": ("Breastfeeding woman, 34 (family cook's log)", "typed-log-2.csv",
                      {"age": 34, "sex": "female", "lactating": True}, {}),
    "vegetarian": ("Vegetarian woman, 31", "typed-log-4.csv",
                   {"age": 31, "sex": "female"}, {"diet": ["vegetarian"]}),
    "child": ("Child, 7", ROOT / "benchmarks" / "data" / "child-log.csv",
              {"age": 7, "sex": "male"}, {}),
    "teenager": ("Girl, 16", ROOT / "examples" / "example-log.csv",
                 {"age": 16, "sex": "female"}, {}),
}


def typed_log(name: str) -> bytes:
    """A typed log as a valid nutrigap log: each food as typed, weighed by the answer key."""
    answers = pd.read_csv(TYPED / "answers.csv", dtype=str, keep_default_na=False)
    log = pd.read_csv(TYPED / name, dtype=str, keep_default_na=False)
    rows = answers[answers["file"] == name].set_index("row")
    out = []
    for number, line in enumerate(log.itertuples(index=False), start=2):
        answer = rows.loc[str(number)]
        if answer["kind"] == "supplement":
            out.append((line.date, line.meal, f"supplement: {line.food}", line.amount,
                        line.unit))
        elif answer["grams"]:
            out.append((line.date, line.meal, line.food, answer["grams"], "g"))
    frame = pd.DataFrame(out, columns=["date", "meal", "food", "amount", "unit"])
    return frame.to_csv(index=False).encode()


def load_tables(shared: Path, which: list[str]) -> dict:
    """The food tables asked for, by label."""
    built_in = load_embedded()
    tables = {"built-in": built_in}
    if set(which) & {"sr28", "sr28+fndds"}:
        sr28 = read_sr28(shared / "usda-sr28")
        tables["sr28"] = sr28.merged_with(built_in)
        if "sr28+fndds" in which:
            tables["sr28+fndds"] = read_fndds(shared / "fndds-2017-2018").merged_with(
                sr28).merged_with(built_in)
    return {label: tables[label] for label in which}


def show(report: dict, table) -> list[str]:
    """The suggestions and plan of a report, as a dietitian would read them."""
    lines = []
    statuses = report["statuses"]
    gaps = [f"{k} {statuses[k]['gap']:g}" for k in report["suggestions"]]
    lines.append("  short: " + (", ".join(gaps) or "nothing"))
    for key, rows in report["suggestions"].items():
        lines.append(f"  {key}:")
        lines += [f"    - {row['text']}" for row in rows] or ["    (no food found)"]
    plan = report["plan"]
    if plan["needed"]:
        lines.append(f"  plan (+{plan['added_energy_kcal'] or 0:g} kcal):")
        for add in plan["additions"]:
            mine = " [yours]" if add["yours"] else ""
            lines.append(f"    + {add['text']}{mine}")
        for unmet in plan["unmet"]:
            lines.append(f"    ! {unmet['message']}")
        for guide in plan["guidance"]:
            for point in guide["points"]:
                lines.append(f"    > {point['text']}")
            lines.append(f"    > {guide['note']}")
    used = [s["title"].split(".")[0] for s in report["sources"]
            if any(w in s["used_for"] for w in ("suggested", "guidance", "UK advice"))]
    if used:
        lines.append("  rules and guidance cited: " + "; ".join(used))
    offered = {r["food_id"] for rows in report["suggestions"].values() for r in rows}
    offered |= {a["food_id"] for a in plan["additions"]}
    amounts = table.foods.loc[sorted(offered), ["caffeine_mg", "alcohol_g"]]
    stimulating = amounts[(amounts > 0).any(axis=1)]
    lines.append(f"  caffeinated or alcoholic foods offered: {len(stimulating)}"
                 + "".join(f"\n    ! {table.foods.at[i, 'name']}" for i in stimulating.index))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--profile", choices=list(PROFILES), action="append")
    parser.add_argument("--table", choices=["built-in", "sr28", "sr28+fndds"], action="append")
    args = parser.parse_args(argv)
    tables = load_tables(args.shared, args.table or ["built-in", "sr28", "sr28+fndds"])
    for key in args.profile or list(PROFILES):
        title, log, profile, filters = PROFILES[key]
        data = typed_log(log) if isinstance(log, str) else Path(log).read_bytes()
        print(f"=== {title}" + (f" ({', '.join(filters['diet'])})" if filters else ""))
        for label, table in tables.items():
            items, info = read_meal_log(io.BytesIO(data))
            options = Options(generated=date.today(), version="panel", **filters)
            report = Analyzer(table).analyze(items, info, profile, options)
            print(f" -- {label}")
            print("\n".join(show(report, table)))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
