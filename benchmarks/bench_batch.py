"""How `nutrigap batch` scales: speed-up from a second worker, and memory as the caseload grows.

Makes a synthetic caseload (default 200 clients x 30 days, about 8 items a day, our CSV
format), then runs the real command in a subprocess:

- `--workers 1` against `--workers 2` on the same caseload (goal: at least 1.7x faster on a
  2-core machine);
- peak memory of the whole process tree (the command, its worker processes) for the full
  caseload against a tenth of it (goal: within 1.5x).

Usage: python benchmarks/bench_batch.py [--clients 200] [--days 30] [--format pdf]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent

# (food as a person writes it, amount, unit): all in the built-in food table
FOODS = [
    ("oats, dry", 40, "g"), ("banana", 1, "medium"), ("whole milk", 250, "ml"),
    ("spinach, raw", 60, "g"), ("almonds", 28, "g"), ("salmon", 120, "g"),
    ("plain yogurt, low fat", 170, "g"), ("apple", 1, "medium"), ("avocado", 0.5, "each"),
    ("chicken breast, roasted", 150, "g"), ("brown rice, cooked", 1, "cup"),
    ("egg, scrambled", 2, "large"), ("cheddar cheese", 30, "g"), ("broccoli, cooked", 90, "g"),
    ("lentils, boiled", 0.5, "cup"), ("potato, baked", 1, "medium"), ("orange juice", 240, "ml"),
    ("whole wheat bread", 2, "slice"), ("peanut butter", 2, "tbsp"), ("tofu", 100, "g"),
]
MEALS = ["breakfast", "lunch", "dinner", "snack"]


def make_caseload(folder: Path, clients: int, days: int, seed: int = 7) -> tuple[Path, Path]:
    """Write `clients` logs and a clients.csv into `folder`; returns (logs folder, clients.csv)."""
    rng = random.Random(seed)
    logs = folder / "logs"
    logs.mkdir(parents=True)
    rows = ["client,age,sex,pregnant,lactating,diet,targets"]
    start = date(2024, 3, 4)
    for n in range(clients):
        client = f"client-{n:04d}"
        sex = rng.choice(["female", "male"])
        rows.append(f"{client},{rng.randint(19, 80)},{sex},,,,")
        lines = ["date,meal,food,amount,unit"]
        for d in range(days):
            day = (start + timedelta(days=d)).isoformat()
            for _ in range(rng.randint(6, 10)):
                food, amount, unit = rng.choice(FOODS)
                scale = rng.choice([0.5, 1, 1, 1, 1.5, 2])
                lines.append(f'{day},{rng.choice(MEALS)},"{food}",{amount * scale:g},{unit}')
        (logs / f"{client}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    clients_csv = folder / "clients.csv"
    clients_csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return logs, clients_csv


def run(logs: Path, clients_csv: Path, out: Path, workers: int, fmt: str) -> dict:
    """Run the command once: wall time, CPU time and peak memory of the process tree (and of
    its largest process), and the machine's load while it ran."""
    command = [sys.executable, "-m", "nutrigap", "batch", str(logs), "--clients",
               str(clients_csv), "-o", str(out), "--workers", str(workers), "--format", fmt]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    watched = psutil.Process(process.pid)
    peak_total = peak_one = 0
    cpu: dict[int, float] = {}  # last CPU seconds seen per process of the tree
    loads = []
    while process.poll() is None:
        sizes = []
        try:
            tree = [watched, *watched.children(recursive=True)]
        except psutil.Error:
            tree = []
        for p in tree:
            try:
                with p.oneshot():
                    sizes.append(p.memory_info().rss)
                    times = p.cpu_times()
                    cpu[p.pid] = times.user + times.system
            except psutil.Error:
                continue
        peak_total = max(peak_total, sum(sizes))
        peak_one = max([peak_one, *sizes])
        loads.append(os.getloadavg()[0])
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    output = process.stdout.read() if process.stdout else ""
    if process.returncode != 0:
        raise SystemExit(f"batch exited with {process.returncode}:\n{output}")
    return {"seconds": seconds, "tree_mb": peak_total / 2**20, "one_mb": peak_one / 2**20,
            "cpu": sum(cpu.values()), "load": sum(loads) / max(len(loads), 1),
            "output": output.strip().splitlines()[0]}


def timing(result: dict) -> str:
    """'412.3 s (CPU 820.1 s, 1.99 cores busy on average, load average 2.1)'."""
    return (f"{result['seconds']:.1f} s (CPU {result['cpu']:.1f} s, "
            f"{result['cpu'] / result['seconds']:.2f} cores busy on average; machine load "
            f"average {result['load']:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--format", default="pdf")
    args = parser.parse_args()
    small = max(1, args.clients // 10)
    with tempfile.TemporaryDirectory(prefix="nutrigap-bench-") as tmp:
        tmp = Path(tmp)
        logs, clients_csv = make_caseload(tmp / "big", args.clients, args.days)
        few_logs, few_csv = make_caseload(tmp / "small", small, args.days)
        print(f"caseload: {args.clients} clients x {args.days} days, format {args.format}, "
              f"{psutil.cpu_count()} CPU cores")
        one = run(logs, clients_csv, tmp / "out-1", 1, args.format)
        print(f"--workers 1: {timing(one)}\n  {one['output']}")
        two = run(logs, clients_csv, tmp / "out-2", 2, args.format)
        print(f"--workers 2: {timing(two)}\n  {two['output']}")
        print(f"speed-up with 2 workers: {one['seconds'] / two['seconds']:.2f}x (goal >= 1.7x; "
              "other work on the machine, shown by a load average above the workers' own, "
              "takes cores from the 2-worker run)")
        rerun = run(logs, clients_csv, tmp / "out-2", 2, args.format)
        print(f"rerun, all up to date: {rerun['seconds']:.1f} s\n  {rerun['output']}")
        few = run(few_logs, few_csv, tmp / "out-small", 2, args.format)
        print(f"peak memory, --workers 2: {args.clients} clients {two['tree_mb']:.0f} MB for "
              f"all processes ({two['one_mb']:.0f} MB the largest); {small} clients "
              f"{few['tree_mb']:.0f} MB ({few['one_mb']:.0f} MB)")
        print(f"memory ratio {args.clients}/{small} clients: "
              f"{two['tree_mb'] / few['tree_mb']:.2f}x (goal <= 1.5x)")


if __name__ == "__main__":
    main()
