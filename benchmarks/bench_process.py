"""nutrigap as a person runs it: whole processes, each paired with a bare process doing the
same kind of work, run alternately so that the machine's load falls on both alike.

Prints, for each case, the median wall time of each side over the pairs, the ratio of the
medians, and the goal:
- `nutrigap analyze` of a one-day log and of the 30-day log of bench_render.py, against a
  bare `python -c "weasyprint.HTML(...).write_pdf(...)"` process on the same report HTML
  (goal: at most 1.3x);
- `nutrigap analyze --html` alone against a bare Jinja process that compiles and renders a
  template the size of that HTML (goal: at most 1.3x);
- `nutrigap check` against a bare `python -c "import pandas"` (goal: at most 1.3x);
- `nutrigap --help` (goal: under 0.3 s);
- with a database holding all of SR28 and FNDDS (16,000 foods, imported once into
  build/bench/), `nutrigap analyze` against the bare WeasyPrint process (goal: at most 1.5x).

Run: .venv/bin/python benchmarks/bench_process.py [--pairs 7] [--no-database]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_render import month_log  # noqa: E402

BIN = Path(sys.executable).parent
NUTRIGAP = str(BIN / "nutrigap")
SHARED = ROOT.parent / "shared" / "data"
DATABASE = ROOT / "build" / "bench" / "sr28-fndds.sqlite"
PROFILE = ["--age", "34", "--sex", "female"]

BARE_WEASYPRINT = ("import sys, weasyprint; "
                   "weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])")
BARE_JINJA = ("import json, sys, jinja2; "
              "report = json.load(open(sys.argv[2], encoding='utf-8')); "
              "source = open(sys.argv[1], encoding='utf-8').read(); "
              "env = jinja2.Environment(autoescape=True); "
              "html = env.from_string(source).render(report=report); "
              "open(sys.argv[3], 'w', encoding='utf-8').write(html)")


def wall(command: list[str], env: dict | None = None) -> float:
    """Wall time of one whole process; it must succeed."""
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def pairs(a: list[str], b: list[str], n: int, env: dict | None = None) -> tuple[list, list]:
    """`n` alternating runs of A and B (which goes first alternates too), after one of each
    to warm the disk cache."""
    wall(a, env), wall(b, env)
    times_a, times_b = [], []
    for i in range(n):
        if i % 2:
            times_b.append(wall(b, env))
            times_a.append(wall(a, env))
        else:
            times_a.append(wall(a, env))
            times_b.append(wall(b, env))
    return times_a, times_b


def line(name: str, times_a: list[float], times_b: list[float] | None, goal: float,
         absolute: bool = False) -> str:
    a = statistics.median(times_a)
    if absolute:
        verdict = "met" if a <= goal else "NOT met"
        return f"{name:<44} {a:6.2f} s{'':>18}  goal < {goal:g} s: {verdict}"
    b = statistics.median(times_b)
    ratio = a / b
    verdict = "met" if ratio <= goal else "NOT met"
    return (f"{name:<44} {a:6.2f} s  vs {b:5.2f} s  = {ratio:4.2f}x  goal <= {goal:g}x: "
            f"{verdict}")


def database(env: dict) -> Path | None:
    """The SR28 + FNDDS database of the last case, imported once and kept in build/bench/."""
    if DATABASE.exists():
        return DATABASE
    sr28, fndds = SHARED / "usda-sr28", SHARED / "fndds-2017-2018"
    if not (sr28.exists() and fndds.exists()):
        return None
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    partial = DATABASE.with_suffix(".partial.sqlite")
    partial.unlink(missing_ok=True)
    for folder in (sr28, fndds):
        subprocess.run([NUTRIGAP, "foods", "import", str(folder), "--foods", str(partial)],
                       check=True, capture_output=True, env=env)
    partial.rename(DATABASE)
    return DATABASE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=7, help="A/B pairs per case")
    parser.add_argument("--no-database", action="store_true",
                        help="skip the SR28 + FNDDS database case")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="nutrigap-bench-process-"))
    # an empty user data folder: the built-in food table unless --foods says otherwise
    env = {**os.environ, "XDG_DATA_HOME": str(work / "data"), "XDG_CACHE_HOME": str(work / "cache")}
    env.pop("NUTRIGAP_FOODS", None)
    one_day = work / "one-day.csv"
    one_day.write_bytes(month_log(days=1))
    month = work / "month.csv"
    month.write_bytes(month_log(days=30))

    def made(log: Path, *extra: str) -> tuple[Path, Path]:
        """The report HTML and JSON of `log`, for the bare processes to work on."""
        html, data = work / f"{log.stem}.html", work / f"{log.stem}.json"
        subprocess.run([NUTRIGAP, "analyze", str(log), *PROFILE, *extra, "-o",
                        str(work / "x.pdf"), "--html", str(html), "--json", str(data)],
                       check=True, capture_output=True, env=env)
        return html, data

    print(f"nutrigap as a process, {args.pairs} alternating pairs per case "
          f"(median wall time; Python {sys.version.split()[0]}, {os.cpu_count()} cores)")
    for log in (one_day, month):
        html, _ = made(log)
        a = [NUTRIGAP, "analyze", str(log), *PROFILE, "-o", str(work / "a.pdf")]
        b = [sys.executable, "-c", BARE_WEASYPRINT, str(html), str(work / "b.pdf")]
        print(line(f"analyze {log.stem} -> PDF", *pairs(a, b, args.pairs, env), 1.3))
    html, data = made(month)
    a = [NUTRIGAP, "analyze", str(month), *PROFILE, "--html", str(work / "a.html")]
    b = [sys.executable, "-c", BARE_JINJA, str(html), str(data), str(work / "b.html")]
    print(line("analyze month --html alone", *pairs(a, b, args.pairs, env), 1.3))
    a = [NUTRIGAP, "check", str(month)]
    b = [sys.executable, "-c", "import pandas"]
    print(line("check month", *pairs(a, b, args.pairs, env), 1.3))
    help_times, _ = pairs([NUTRIGAP, "--help"], [NUTRIGAP, "--help"], args.pairs, env)
    print(line("--help", help_times, None, 0.3, absolute=True))
    if args.no_database:
        return
    db = database(env)
    if db is None:
        print(f"SR28 + FNDDS case skipped: the USDA files are not in {SHARED}")
        return
    html, _ = made(month, "--foods", str(db))
    a = [NUTRIGAP, "analyze", str(month), *PROFILE, "--foods", str(db), "-o", str(work / "a.pdf")]
    b = [sys.executable, "-c", BARE_WEASYPRINT, str(html), str(work / "b.pdf")]
    print(line("analyze month, SR28 + FNDDS database", *pairs(a, b, args.pairs, env), 1.5))


if __name__ == "__main__":
    main()
