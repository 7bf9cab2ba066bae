"""Time and peak memory of the worst log each limit of analyzer/limits.py lets through.

Each case builds a meal log at one limit (or at all of them at once) and runs the real
`nutrigap analyze` in a subprocess, PDF included, with the built-in food table. It prints the
wall time and the CPU time of the whole process tree (the command, and the copy of it that
lays out the second half of a long PDF), its peak memory (sampled every 20 ms), the largest
single process and the largest address space of one (more than the memory it allocates,
which resource.RLIMIT_DATA limits in a worker), and the PDF's pages. The last case runs the
worst log as a batch worker does (`nutrigap batch --workers 1`: in one process, the PDF in one
piece).

    .venv/bin/python benchmarks/bench_limits.py [--only NAME ...] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import psutil

from nutrigap.analyzer.limits import (
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_DAYS,
    MAX_NAMES,
    MAX_ROWS,
)

# Food words the matcher knows, so that every name goes through the fuzzy shortlist and
# re-ranking (the costly path), as a real log's own spellings do.
WORDS = ["spinach", "raw", "milk", "whole", "oats", "rolled", "almonds", "salmon", "cooked",
         "rice", "brown", "egg", "yogurt", "plain", "broccoli", "apple", "cheddar", "cheese",
         "black", "beans", "chicken", "breast", "roasted", "orange", "juice", "potato", "baked",
         "peanut", "butter", "tofu", "firm", "avocado", "bread", "wheat", "low", "fat", "soup"]
FIRST = date(2020, 1, 1)
SAMPLE_SECONDS = 0.02


def food_name(n: int, length: int) -> str:
    """The n-th different food name, made of food words, `length` characters at most."""
    words, k = [], n
    while True:
        words.append(WORDS[k % len(WORDS)])
        k //= len(WORDS)
        if k == 0:
            break
    words.append(str(n))  # keeps every name different
    name = " ".join(words)
    filler = 0
    while len(name) < length:
        name = f"{WORDS[(n + filler) % len(WORDS)]} {name}"
        filler += 1
    return name[-length:].strip()


def our_log(days: int, names: int, name_length: int, rows: int | None = None,
            max_bytes: int = MAX_BYTES) -> bytes:
    """A log in our format: `rows` rows (at least one a day and one per name; None: as many
    as fit in `max_bytes` up to MAX_ROWS) over `days` days and `names` different names."""
    foods = [food_name(n, name_length) for n in range(names)]
    lines = [b"date,meal,food,amount,unit\n"]
    size = len(lines[0])
    wanted = rows if rows is not None else MAX_ROWS
    n = 0
    while n < max(wanted, days, names):
        line = (f"{FIRST + timedelta(days=n % days):%Y-%m-%d},lunch,{foods[n % names]},"
                f"{50 + n % 200},g\n").encode()
        if size + len(line) > max_bytes:
            break
        lines.append(line)
        size += len(line)
        n += 1
    return b"".join(lines)


CRONOMETER_HEADER = (
    "Day,Time,Group,Food Name,Amount,Energy (kcal),Alcohol (g),Caffeine (mg),Water (g),"
    "B6 (Pyridoxine) (mg),B12 (Cobalamin) (µg),Folate (µg),Vitamin A (µg),Vitamin C (mg),"
    "Vitamin D (IU),Vitamin E (mg),Calcium (mg),Iron (mg),Magnesium (mg),Potassium (mg),"
    "Sodium (mg),Zinc (mg),Carbs (g),Fiber (g),Fat (g),Protein (g),Category")


def cronometer_log(days: int, names: int) -> bytes:
    """A Cronometer servings export as large as a file may be, every nutrient cell filled."""
    columns = CRONOMETER_HEADER.count(",") + 1
    lines = [(CRONOMETER_HEADER + "\n").encode()]
    size, n = len(lines[0]), 0
    while n < MAX_ROWS:
        values = ",".join(f"{(n * 7 + c) % 500 / 3:.2f}" for c in range(columns - 6))
        line = (f"{FIRST + timedelta(days=n % days):%Y-%m-%d},12:00 PM,Lunch,"
                f"\"{food_name(n % names, 60)}\",{1 + n % 3}.00 cup,{values},Vegetables\n"
                ).encode()
        if size + len(line) > MAX_BYTES:
            break
        lines.append(line)
        size += len(line)
        n += 1
    return b"".join(lines)


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    log: bytes
    batch: bool = False


def cases() -> list[Case]:
    """The worst log at each limit, then every limit at once."""
    worst = our_log(MAX_DAYS, MAX_NAMES, MAX_CELL_CHARS)
    return [
        Case("days", f"{MAX_DAYS:,} days, 4 rows a day, 20 names",
             our_log(MAX_DAYS, 20, 20, rows=4 * MAX_DAYS)),
        Case("names", f"{MAX_NAMES:,} different names, 4 rows each, over 30 days",
             our_log(30, MAX_NAMES, 30, rows=4 * MAX_NAMES)),
        Case("cell", f"{MAX_CELL_CHARS}-character names (20 of them) over 30 days",
             our_log(30, 20, MAX_CELL_CHARS, rows=600)),
        Case("rows", f"{MAX_ROWS:,} rows over {MAX_DAYS:,} days, {MAX_NAMES:,} names",
             our_log(MAX_DAYS, MAX_NAMES, 20, rows=MAX_ROWS)),
        Case("cronometer", f"a {MAX_BYTES // 2**20} MB Cronometer export, {MAX_DAYS:,} days, "
                           f"{MAX_NAMES:,} names", cronometer_log(MAX_DAYS, MAX_NAMES)),
        Case("all", f"{MAX_BYTES // 2**20} MB: {MAX_DAYS:,} days, {MAX_NAMES:,} names of "
                    f"{MAX_CELL_CHARS} characters", worst),
        Case("all-batch", "the same, as a batch worker makes it", worst, batch=True),
    ]


# Runs the command as its own child, so that the largest process it waited for is its own.
WRAPPER = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
used = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as fp:
    fp.write(f"{code} {used.ru_maxrss} {used.ru_utime + used.ru_stime}")
"""


def measure(command: list[str], folder: Path) -> dict:
    """Run `command`; wall time, peak tree RSS and largest address space, largest process."""
    result = folder / "rusage.txt"
    started = time.perf_counter()
    proc = psutil.Popen([sys.executable, "-c", WRAPPER, str(result), *command])
    tree_peak = vms_peak = 0
    while proc.poll() is None:
        try:
            members = [proc, *proc.children(recursive=True)]
            rss = vms = 0
            for member in members:
                info = member.memory_info()
                rss += info.rss
                vms = max(vms, info.vms)
            tree_peak, vms_peak = max(tree_peak, rss), max(vms_peak, vms)
        except psutil.Error:
            pass
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - started
    code, maxrss, cpu = result.read_text().split()
    return {"seconds": seconds, "cpu": float(cpu), "tree": tree_peak,
            "process": int(maxrss) * 1024, "vms": vms_peak, "exit": int(code)}


def pages(pdf: Path) -> int | None:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages) if pdf.exists() else None


def run_case(case: Case, folder: Path) -> dict:
    work = folder / case.name
    work.mkdir()
    nutrigap = [str(Path(sys.executable).with_name("nutrigap"))]
    if case.batch:
        logs = work / "logs"
        logs.mkdir()
        (logs / "worst.csv").write_bytes(case.log)
        clients = work / "clients.csv"
        clients.write_text("client,age,sex\nworst,40,female\n", encoding="utf-8")
        pdf = work / "out" / "worst.pdf"
        command = [*nutrigap, "batch", str(logs), "--clients", str(clients), "-o",
                   str(work / "out"), "--workers", "1", "--format", "pdf"]
    else:
        log = work / "log.csv"
        log.write_bytes(case.log)
        pdf = work / "report.pdf"
        command = [*nutrigap, "analyze", str(log), "--age", "40", "--sex", "female", "-o",
                   str(pdf)]
    figures = measure(command, work)
    figures["pages"] = pages(pdf)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="run only these cases")
    parser.add_argument("--keep", type=Path, help="write the logs and reports here")
    args = parser.parse_args()
    chosen = [c for c in cases() if not args.only or c.name in args.only]
    env_home = tempfile.mkdtemp(prefix="nutrigap-bench-home-")
    os.environ["XDG_DATA_HOME"] = env_home  # the built-in foods only
    os.environ.pop("NUTRIGAP_FOODS", None)
    print(f"{'case':<11} {'log':>8} {'wall s':>7} {'cpu s':>6} {'tree peak':>10} "
          f"{'process':>9} {'address sp.':>11} {'pages':>5}  what")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for case in chosen:
            f = run_case(case, folder)
            mb = 2 ** 20
            status = "" if f["exit"] == 0 else f"  (exit {f['exit']})"
            print(f"{case.name:<11} {len(case.log) / mb:>6.1f}MB {f['seconds']:>7.1f} "
                  f"{f['cpu']:>6.1f} "
                  f"{f['tree'] / mb:>8.0f}MB {f['process'] / mb:>7.0f}MB "
                  f"{f['vms'] / mb:>9.0f}MB {f['pages'] or '-':>5}  {case.what}{status}",
                  flush=True)


if __name__ == "__main__":
    main()
