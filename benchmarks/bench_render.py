"""How long a 30-day meal log takes to become a PDF report, and where the time goes.

Prints:
- the whole run for a 30-day log (read, analyse, HTML, PDF) against the 1 s goal, as
  `nutrigap analyze` makes it: the PDF laid out in two halves on two cores (reports/pdf_split.py),
  and for comparison in one piece, as a batch worker or the web app does;
- the time our side adds (read + analyse + templates) against WeasyPrint's own time for the
  same HTML (goal: under 25 % on top), and the templates alone against it;
- how long `nutrigap --help` takes to start (goal: under 0.3 s);
- how many Python function calls one PDF takes, a figure the machine's load cannot change, so
  two versions of the templates can be compared on a busy machine.

Each figure is the best of several runs after a warm-up (the food table is loaded once, as the
CLI and a batch worker do), since other work on the machine only ever adds time.

Run: .venv/bin/python benchmarks/bench_render.py
"""

from __future__ import annotations

import gc
import io
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 5
# What a person might log over a month: name, amount, unit (household measures included).
MEALS = {
    "breakfast": [("oatmeal", 1, "cup"), ("2% milk", 1, "cup"), ("banana", 1, "medium"),
                  ("greek yoghurt", 170, "g"), ("blueberries", 0.5, "cup"),
                  ("eggs", 2, "large"), ("whole wheat bread", 2, "slice"),
                  ("orange juice", 1, "cup"), ("cheerios", 1, "cup")],
    "lunch": [("chicken breast", 120, "g"), ("brown rice", 1, "cup"), ("spinach", 2, "cup"),
              ("cheddar cheese", 30, "g"), ("apple", 1, "medium"), ("tuna", 1, "can"),
              ("romaine lettuce", 2, "cup"), ("hummus", 4, "tbsp"), ("black beans", 1, "cup"),
              ("lentils", 1, "cup")],
    "dinner": [("salmon", 140, "g"), ("baked potato", 1, "medium"), ("broccoli", 1, "cup"),
               ("pasta", 1.5, "cup"), ("ground beef 85% lean", 120, "g"),
               ("green beans", 1, "cup"), ("sweet potato", 1, "medium"),
               ("pork chop", 150, "g"), ("kale", 1, "cup"), ("white rice", 1, "cup")],
    "snack": [("almonds", 1, "oz"), ("dark chocolate", 1, "oz"), ("orange", 1, "medium"),
              ("pizza", 2, "slice"), ("grandma's stew", 1, "bowl")],
}


def month_log(days: int = 30, seed: int = 30) -> bytes:
    """A month of meals in our CSV format, with supplements on some days."""
    rng = random.Random(seed)
    lines = ["date,meal,food,amount,unit"]
    start = date(2024, 4, 1)
    for day in range(days):
        when = (start + timedelta(days=day)).isoformat()
        for meal, choices in MEALS.items():
            for food, amount, unit in rng.sample(choices, 3 if meal != "snack" else 1):
                lines.append(f"{when},{meal},{food},{amount},{unit}")
        if day % 3 == 0:
            lines.append(f"{when},supplements,supplement: magnesium,200,mg")
        if day % 7 == 0:
            lines.append(f"{when},supplements,supplement: vitamin D,1000,IU")
    return ("\n".join(lines) + "\n").encode("utf-8")


def best(func, runs: int = RUNS) -> tuple[float, float, float, object]:
    """Best and median wall time and best CPU time of `func()` over `runs` runs, and its
    last result."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = func()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return min(times), statistics.median(times), min(cpu), result


def help_time(runs: int = RUNS) -> tuple[float, float]:
    """Best and median wall time of a fresh `nutrigap --help` process."""
    def once():
        subprocess.run([sys.executable, "-m", "nutrigap", "--help"], check=True,
                       capture_output=True)
    once()
    low, mid, _, _ = best(once, runs)
    return low, mid


def call_count(func) -> int:
    """Python function calls made by one run of `func()` (a load-independent measure of work)."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    func()
    profile.disable()
    return pstats.Stats(profile).total_calls


def main() -> None:
    from nutrigap.analyzer.logs import read_meal_log
    from nutrigap.analyzer.pipeline import Analyzer
    from nutrigap.foods.embedded import load_embedded
    from nutrigap.reports.pdf import html_to_pdf
    from nutrigap.reports.render import to_html
    from nutrigap.runtime import analyze_quietly, report_options

    data = month_log()
    started = time.perf_counter()
    table = load_embedded()
    load_time = time.perf_counter() - started
    analyzer = Analyzer(table)  # its matcher was built by the warm-up analysis before
    profile = {"age": 34, "sex": "female"}
    options = report_options(log_name="month.csv")

    def analysis():
        items, info = read_meal_log(io.BytesIO(data))
        return analyze_quietly(analyzer, items, info, profile, options)

    def whole(two_processes=True):
        report = analysis()
        return html_to_pdf(to_html(report), two_processes=two_processes)

    report = analysis()  # warm-up: matcher, suggestion pool, templates, fonts
    html = to_html(report)
    pdf = html_to_pdf(html)
    gc.collect()
    gc.freeze()  # as `nutrigap analyze` does once the food table is loaded
    from nutrigap.reports.pdf import render_document

    pages = len(render_document(html).pages)
    from nutrigap.reports.pdf_split import join_pdfs, split_html

    halves = [html_to_pdf(part) for part in split_html(html)]

    analyze_low, analyze_mid, analyze_cpu, report = best(analysis)
    html_low, html_mid, html_cpu, html = best(lambda: to_html(report))
    weasy_low, weasy_mid, weasy_cpu, pdf = best(lambda: html_to_pdf(html))
    split_low, split_mid, _, _ = best(lambda: html_to_pdf(html, two_processes=True))
    join_low, _, _, _ = best(lambda: join_pdfs(*halves))
    whole_low, whole_mid, whole_cpu, _ = best(whole)
    one_low, one_mid, one_cpu, _ = best(lambda: whole(False))
    ours_low, ours_cpu = analyze_low + html_low, analyze_cpu + html_cpu
    render_low = html_low + weasy_low
    help_low, help_mid = help_time()
    calls = call_count(lambda: html_to_pdf(html))

    items = report["log"]["items"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"30-day log: {items} items, {len(report['matches'])} distinct foods, "
          f"{len(pdf) // 1024} KB PDF, {pages} pages (food table loaded once: {load_time:.2f} s)")
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} when the runs started "
          "(other work on the machine inflates wall time; CPU time less so)")
    print("                                wall best   wall median   CPU best")
    rows = [("read + analyse", analyze_low, analyze_mid, analyze_cpu),
            ("templates (report -> HTML)", html_low, html_mid, html_cpu),
            ("WeasyPrint (HTML -> PDF)", weasy_low, weasy_mid, weasy_cpu),
            ("  the same on two cores", split_low, split_mid, None),
            ("  of which joining the halves", join_low, None, None),
            ("whole run, two cores (CLI)", whole_low, whole_mid, None),
            ("whole run, one core", one_low, one_mid, one_cpu)]
    for label, low, mid, cpu in rows:
        print(f"{label:30s} {low:8.3f} s   " + (f"{mid:8.3f} s   " if mid else " " * 13)
              + (f"{cpu:8.3f} s" if cpu else "    (CPU time of two processes: n/a)"
                 if mid else ""))
    print(f"report rendering (report -> PDF): {render_low:.3f} s on one core, "
          f"{html_low + split_low:.3f} s on two; whole run (log -> PDF) {whole_low:.3f} s "
          f"best, {whole_mid:.3f} s median on two cores (goal < 1 s: "
          f"{'met' if whole_low < 1 else 'NOT met'}), {one_low:.3f} s on one")
    print(f"on top of WeasyPrint's own time: templates {100 * html_low / weasy_low:.0f}%, "
          f"read + analyse + templates {100 * ours_low / weasy_low:.0f}% wall, "
          f"{100 * ours_cpu / weasy_cpu:.0f}% CPU (goal < 25%)")
    print(f"WeasyPrint work for one PDF: {calls / 1e6:.2f} million Python calls "
          "(independent of the load; fewer is faster)")
    print(f"nutrigap --help start-up: {help_low:.3f} s best, {help_mid:.3f} s median "
          f"(goal < 0.3 s: {'met' if help_low < 0.3 else 'NOT met'})")


if __name__ == "__main__":
    main()
