"""No spreadsheet formulas in the CSV files nutrigap writes: a text cell that a spreadsheet
would run gets a leading apostrophe (OWASP's CSV-injection guidance); numbers stay numbers."""

from __future__ import annotations

import ast
import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from nutrigap.cli import main
from nutrigap.csv_out import FORMULA_STARTS, csv_text, safe_cell

ROOT = Path(__file__).resolve().parent.parent

# Client ids a file name can carry, each starting as a formula does.
HOSTILE_IDS = ["=1+2", "-2+3", "@SUM(A1)"]
# One a file name cannot carry (it holds / and "): refused, and written to errors.csv.
HYPERLINK = '=HYPERLINK("http://x","y")'
HOSTILE_FOODS = ["=cmd|' /C calc'!A0", "@banana", "-salmon"]




def log_rows(client: str | None = None) -> list[str]:
    """Two days of a log; hostile food names that match no food, so they are counted nowhere
    but named in the report."""
    rows = []
    for day in ("2024-05-06", "2024-05-07"):
        rows += [f"{day},breakfast,banana,1,medium", f"{day},dinner,salmon,120,g"]
        rows += [f'{day},snack,"{food.replace(chr(34), chr(34) * 2)}",50,g'
                 for food in HOSTILE_FOODS]
    if client is None:
        return rows
    quoted = '"' + client.replace('"', '""') + '"'
    return [f"{r},{quoted}" for r in rows]


def assert_no_formulas(text: str) -> list[list[str]]:
    """Every cell of a CSV file is plain text or a number; returns the rows."""
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                float(cell)  # only a number may start with + or -
    return rows


def test_formula_cells_get_an_apostrophe_and_numbers_stay_numbers():
    assert [safe_cell(v) for v in ("=1+2", "+1 cup", "-x", "@a", "\tx", "\rx", "＠x")] == [
        "'=1+2", "'+1 cup", "'-x", "'@a", "'\tx", "'\rx", "'＠x"]
    assert [safe_cell(v) for v in (-3, -2.5, 0.0, "-4", "+1.5", "-2e-3", "2024-05-06")] == [
        -3, -2.5, 0.0, "-4", "+1.5", "-2e-3", "2024-05-06"]
    assert [safe_cell(v) for v in (None, float("nan"), "", "a=b", True)] == [
        "", "", "", "a=b", "True"]
    text = csv_text(["client", "days"], [["=1+2", 3], ["ann", -1.5]])
    assert text == "client,days\n'=1+2,3\nann,-1.5\n"


def test_summary_and_errors_of_the_batch_hold_no_formula(tmp_path):
    rows = ["date,meal,food,amount,unit,client"]
    for client in [*HOSTILE_IDS, HYPERLINK]:
        rows += log_rows(client)
    shared = tmp_path / "caseload.csv"
    shared.write_text("\n".join(rows) + "\n", encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\n" + "".join(
        f'"{c.replace(chr(34), chr(34) * 2)}",40,f\n' for c in [*HOSTILE_IDS, HYPERLINK])
        + "@nolog,50,m\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(shared), "--clients", str(clients), "-o",
                                       str(out), "--format", "json,csv", "--workers", "1"])
    assert result.exit_code == 1, result.output + result.stderr
    summary = assert_no_formulas((out / "summary.csv").read_text(encoding="utf-8"))
    assert [r[0] for r in summary[1:]] == sorted("'" + c for c in HOSTILE_IDS)
    header = summary[0]
    for row in summary[1:]:
        # numbers stay numbers
        assert int(row[header.index("days_logged")]) == 2
        assert float(row[header.index("magnesium_mg_percent")]) > 0
    errors = assert_no_formulas((out / "errors.csv").read_text(encoding="utf-8"))
    assert sorted(r[0] for r in errors[1:]) == sorted(["'@nolog", "'" + HYPERLINK])
    # the reports themselves hold the ids as they are
    report = json.loads((out / "=1+2.json").read_text(encoding="utf-8"))
    assert report["log"]["name"] == "=1+2"
    for client in HOSTILE_IDS:
        assert_no_formulas((out / f"{client}.csv").read_text(encoding="utf-8"))


def test_the_per_day_csv_of_analyze_holds_no_formula(tmp_path):
    log = tmp_path / "=1+2.csv"
    log.write_text("\n".join(["date,meal,food,amount,unit", *log_rows()]) + "\n",
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["analyze", str(log), "--age", "40", "--sex", "f",
                                       "-o", str(tmp_path / "r.pdf"), "--csv",
                                       str(tmp_path / "days.csv")])
    assert result.exit_code == 0, result.output + result.stderr
    rows = assert_no_formulas((tmp_path / "days.csv").read_text(encoding="utf-8"))
    assert [r[0] for r in rows[1:]] == ["2024-05-06", "2024-05-07"]
    assert all(float(cell) >= 0 for cell in rows[1][1:8])


# Writers of CSV text that is not a file for people to open, each with the reason.
NOT_FOR_SPREADSHEETS = {
    "batch/inputs.py": "a client's rows of a shared log, handed to the meal-log reader",
    "reports/terminal.py": "a line to paste into a corrections file, which nutrigap reads",
    "foods/build_table.py": "the package's own food tables, read back by nutrigap",
    "foods/build_everyday.py": "the package's own everyday-foods table, read back by nutrigap",
}


def csv_writers(path: Path) -> list[int]:
    """Lines of `path` that write CSV: csv.writer, csv.DictWriter, DataFrame.to_csv."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ("writer", "DictWriter", "to_csv"):
            lines.append(node.lineno)
    return lines


def test_every_csv_file_for_people_is_written_through_csv_out():
    sources = [p for p in ROOT.rglob("*.py")
               if not p.relative_to(ROOT).parts[0].startswith((".", "tests", "benchmarks",
                                                               "build"))]
    writers = {str(p.relative_to(ROOT)): csv_writers(p) for p in sources}
    writers = {name: lines for name, lines in writers.items() if lines}
    assert set(writers) - {"csv_out.py"} == set(NOT_FOR_SPREADSHEETS), (
        "write CSV files through nutrigap.csv_out.csv_text, so that no cell can carry a "
        f"spreadsheet formula: {writers}")
