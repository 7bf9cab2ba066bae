"""`nutrigap batch`: a caseload to one report per client, resumable, one bad client at a time."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from nutrigap.cli import main

ROOT = Path(__file__).resolve().parent.parent

# The header of Cronometer's "Export Servings" file, as the app writes it.
CRONOMETER_HEADER = (
    "Day,Time,Group,Food Name,Amount,Energy (kcal),Alcohol (g),Caffeine (mg),Water (g),"
    "B1 (Thiamine) (mg),B2 (Riboflavin) (mg),B3 (Niacin) (mg),B5 (Pantothenic Acid) (mg),"
    "B6 (Pyridoxine) (mg),B12 (Cobalamin) (µg),Folate (µg),Vitamin A (µg),Vitamin C (mg),"
    "Vitamin D (IU),Vitamin E (mg),Vitamin K (µg),Calcium (mg),Copper (mg),Iron (mg),"
    "Magnesium (mg),Manganese (mg),Phosphorus (mg),Potassium (mg),Selenium (µg),Sodium (mg),"
    "Zinc (mg),Carbs (g),Fiber (g),Starch (g),Sugars (g),Net Carbs (g),Fat (g),"
    "Cholesterol (mg),Monounsaturated (g),Polyunsaturated (g),Saturated (g),Trans-Fats (g),"
    "Omega-3 (g),Omega-6 (g),Cystine (g),Histidine (g),Isoleucine (g),Leucine (g),Lysine (g),"
    "Methionine (g),Phenylalanine (g),Protein (g),Threonine (g),Tryptophan (g),Tyrosine (g),"
    "Valine (g),Category").split(",")

MENUS = [
    [("breakfast", "oats, dry", "40", "g"), ("breakfast", "whole milk", "250", "ml"),
     ("lunch", "spinach, raw", "60", "g"), ("lunch", "salmon", "120", "g"),
     ("dinner", "potato, baked", "1", "medium"), ("snack", "almonds", "28", "g")],
    [("breakfast", "banana", "1", "medium"), ("breakfast", "plain yogurt, low fat", "170", "g"),
     ("lunch", "lentils, boiled", "1", "cup"), ("dinner", "chicken breast, roasted", "150", "g"),
     ("dinner", "broccoli, cooked", "90", "g")],
    [("breakfast", "egg, scrambled", "2", "large"), ("lunch", "apple", "1", "medium"),
     ("dinner", "brown rice, cooked", "1", "cup"), ("snack", "cheddar cheese", "30", "g")],
]


def our_log(seed: int, days: int = 3) -> str:
    """A small log in our format; `seed` varies the menu from client to client."""
    lines = ["date,meal,food,amount,unit"]
    for day in range(days):
        for meal, food, amount, unit in MENUS[(seed + day) % len(MENUS)]:
            lines.append(f'2024-05-{6 + day:02d},{meal},"{food}",{amount},{unit}')
    return "\n".join(lines) + "\n"


def cronometer_log() -> str:
    """A synthetic Cronometer servings export: two days, nutrient cells filled as the app does."""
    values = {"Energy (kcal)": 150, "Magnesium (mg)": 55, "Calcium (mg)": 20,
              "Potassium (mg)": 140, "Vitamin D (IU)": 0, "B12 (Cobalamin) (µg)": 0,
              "B6 (Pyridoxine) (mg)": 0.05}
    rows = [CRONOMETER_HEADER]
    for day in ("2024-05-06", "2024-05-07"):
        for time_, group, food, amount in (("8:01 AM", "Breakfast", "Oats, Rolled", "40.00 g"),
                                           ("12:30 PM", "Lunch", "Banana, Raw", "1.00 medium"),
                                           ("7:15 PM", "Dinner", "Salmon, Atlantic", "4.00 oz")):
            cells = {"Day": day, "Time": time_, "Group": group, "Food Name": food,
                     "Amount": amount, "Category": "Cereal Grains and Pasta", **values}
            rows.append([str(cells.get(column, "")) for column in CRONOMETER_HEADER])
    return "".join(",".join(f'"{c}"' if "," in c or " " in c else c for c in row) + "\n"
                   for row in rows)


@pytest.fixture
def caseload(tmp_path) -> tuple[Path, Path]:
    """12 clients: 9 logs in our format, 1 Cronometer export, 1 corrupt log, 1 not in
    clients.csv."""
    logs = tmp_path / "logs"
    logs.mkdir()
    rows = ["client,age,sex,pregnant,lactating,diet,targets"]
    for n in range(1, 10):
        (logs / f"c{n:02d}.csv").write_text(our_log(n), encoding="utf-8")
        rows.append(f"c{n:02d},{30 + n},{'female' if n % 2 else 'male'},,,,")
    (logs / "c10.csv").write_text(cronometer_log(), encoding="utf-8")
    rows.append("c10,45,female,,,,")
    broken = our_log(11).splitlines()
    broken[2] = '2024-05-06,breakfast,"whole milk",a glass,'
    (logs / "c11.csv").write_text("\n".join(broken) + "\n", encoding="utf-8")
    rows.append("c11,50,male,,,,")
    (logs / "c12.csv").write_text(our_log(12), encoding="utf-8")  # no row in clients.csv
    clients = tmp_path / "clients.csv"
    clients.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return logs, clients


def batch(*args, workers: int = 1):
    """Run the command; one worker (in this process) unless the test is about the pool."""
    return CliRunner().invoke(main, ["batch", *map(str, args), "--workers", str(workers)])


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fp:
        return list(csv.DictReader(fp))


def test_a_caseload_with_two_bad_clients_gives_ten_reports_and_a_rerun_skips_them(caseload,
                                                                                  tmp_path):
    logs, clients = caseload
    out = tmp_path / "out"
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json,csv", workers=2)
    assert result.exit_code == 1, result.output + result.stderr
    assert result.stdout.splitlines()[:2] == [
        "12 clients: 10 done now, 0 already up to date (skipped), 2 failed",
        f"The 2 failed clients are listed with the reason in {out / 'errors.csv'}; fix them and "
        "run the same command again (finished clients are skipped).",
    ]
    done = [f"c{n:02d}" for n in range(1, 11)]
    assert sorted(p.stem for p in out.glob("c[0-9]*.json")) == done
    assert sorted(p.stem for p in out.glob("c[0-9]*.csv")) == done
    assert [r["client"] for r in read_csv(out / "summary.csv")] == done
    errors = read_csv(out / "errors.csv")
    assert [(e["client"], Path(e["file"]).name) for e in errors] == [("c11", "c11.csv"),
                                                                      ("c12", "c12.csv")]
    assert errors[0]["message"].startswith('row 3, amount: "a glass"')
    assert errors[1]["message"] == ('"c12" has no row in clients.csv; add one with at least '
                                    "client, age and sex")
    # plain progress lines, one per client run, when stderr is not a terminal
    assert sum(line.startswith("[") for line in result.stderr.splitlines()) == 11
    assert '] c11: failed: row 3, amount: "a glass"' in result.stderr
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("c[0-9]*.*")}

    again = batch(logs, "--clients", clients, "-o", out, "--format", "json,csv", workers=2)
    assert again.exit_code == 1
    assert again.stdout.splitlines()[0] == ("12 clients: 0 done now, 10 already up to date "
                                            "(skipped), 2 failed")
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("c[0-9]*.*")} == before
    assert [r["client"] for r in read_csv(out / "summary.csv")] == done
    assert len(read_csv(out / "errors.csv")) == 2


def test_summary_and_caseload_agree_with_each_clients_report(caseload, tmp_path):
    logs, clients = caseload
    out = tmp_path / "out"
    batch(logs, "--clients", clients, "-o", out, "--format", "json")
    overview = json.loads((out / "caseload.json").read_text(encoding="utf-8"))
    summary = {r["client"]: r for r in read_csv(out / "summary.csv")}
    for client, row in summary.items():
        report = json.loads((out / f"{client}.json").read_text(encoding="utf-8"))
        assert int(row["days_logged"]) == report["period"]["days_logged"]
        for key, status in report["statuses"].items():
            assert row[f"{key}_status"] == status["status"]
            if status["target"] is not None:
                assert float(row[f"{key}_percent"]) == status["percent_of_target"]
        assert_summary_counts_agree(row, report)
    assert summary["c10"]["days_logged"] == "2"  # the Cronometer export
    for entry in overview["nutrients"]:
        below = [c for c, r in summary.items()
                 if r[f"{entry['key']}_status"] in ("below", "well_below")]
        assert entry["clients_below"] == sorted(below)
        assert entry["below"] == len(below)
    attention = overview["attention"]
    assert [a["rank"] for a in attention] == list(range(1, len(attention) + 1))
    order = [(-a["over_limit"], -a["over_on_average"], -a["well_below"], -a["below"],
              a["lowest_percent"]) for a in attention]
    assert order == sorted(order)
    assert overview["failed"] == 2 and overview["clients"] == 10


def assert_summary_counts_agree(row: dict, report: dict) -> None:
    """summary.csv's item counts say what the client's report says."""
    items = report["log"]["items"]
    assert int(row["items"]) == items
    unmatched = [m for m in report["matches"] if m["method"] == "unmatched"]
    assert int(row["unmatched"]) == sum(m["item_count"] for m in unmatched)
    assert int(row["unconverted"]) == len(report["unconverted"])
    assert int(row["not_counted"]) == len(report["unmatched"]) + len(report["unconverted"])
    unknown = {key: status["unknown_items"] for key, status in report["statuses"].items()}
    for key, count in unknown.items():
        assert int(row[f"{key}_unknown_items"]) == count
        if report["statuses"][key]["status"] == "incomplete":
            assert count > 0
    assert float(row["unmatched_share"]) == round(int(row["unmatched"]) / items, 3)
    assert float(row["not_counted_share"]) == round(int(row["not_counted"]) / items, 3)
    assert float(row["unknown_share"]) == round(max(unknown.values()) / items, 3)
    for key, t in report["triggers"]["nutrients"].items():
        past = "days_under" if t["flag"] == "under" else "days_over"
        reference = {"limit": "limit", "cdrr": "cdrr", "ai": "ai"}[t["reference"]["kind"]]
        assert row[f"{key}_status"] == t["status"]
        assert int(row[f"{key}_{past}"]) == t["days_flagged"]
        assert row[f"{key}_{reference}"] == ("" if t["reference"]["amount"] is None
                                             else str(t["reference"]["amount"]))
        assert row[f"{key}_average"] == ("" if t["average"] is None else str(t["average"]))


def test_summary_counts_a_cronometer_clients_unmatched_names_and_unknown_values(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    # a branded item no food matches, whose export row leaves magnesium blank: its energy
    # and calcium come from the export, its magnesium is unknown
    cells = {"Day": "2024-05-07", "Time": "3:00 PM", "Group": "Snacks",
             "Food Name": "Zzqx Gloop Bar", "Amount": "1.00 bar", "Energy (kcal)": "210",
             "Calcium (mg)": "80", "Potassium (mg)": "120", "Vitamin D (IU)": "0",
             "B12 (Cobalamin) (µg)": "0", "B6 (Pyridoxine) (mg)": "0.1", "Category": "Snacks"}
    extra = ",".join(f'"{cells.get(c, "")}"' for c in CRONOMETER_HEADER)
    (logs / "cy.csv").write_text(cronometer_log() + extra + "\n", encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\ncy,45,f\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    (row,) = read_csv(out / "summary.csv")
    report = json.loads((out / "cy.json").read_text(encoding="utf-8"))
    assert_summary_counts_agree(row, report)
    # the known magnesium is the status, a floor, with the incomplete mark beside it
    assert report["statuses"]["magnesium_mg"]["status"] == "below"
    assert (row["magnesium_mg_status"], row["magnesium_mg_incomplete"]) == ("below", "yes")
    assert (row["items"], row["unmatched"], row["not_counted"]) == ("7", "1", "0")
    assert (row["magnesium_mg_unknown_items"], row["calcium_mg_unknown_items"]) == ("1", "0")
    assert row["unknown_share"] == str(round(1 / 7, 3))


def test_summary_of_the_real_cronometer_exports_agrees_with_their_reports(cronometer_dir,
                                                                          tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    for folder in sorted(p for p in cronometer_dir.iterdir() if (p / "servings.csv").exists()):
        (logs / f"{folder.name}.csv").symlink_to(folder / "servings.csv")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\n" + "".join(f"{p.stem},50,m\n"
                                                      for p in sorted(logs.iterdir())),
                       encoding="utf-8")
    out = tmp_path / "out"
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    rows = read_csv(out / "summary.csv")
    assert len(rows) == len(list(logs.iterdir())) >= 2
    for row in rows:
        report = json.loads((out / f"{row['client']}.json").read_text(encoding="utf-8"))
        assert report["log"]["format"] == "cronometer-servings"
        assert_summary_counts_agree(row, report)


def test_a_rerun_redoes_exactly_the_clients_whose_log_profile_or_formats_changed(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    for n, name in enumerate(("ann", "bob", "cy")):
        (logs / f"{name}.csv").write_text(our_log(n), encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,34,f\nbob,40,m\ncy,71,f\n", encoding="utf-8")
    out = tmp_path / "out"
    batch(logs, "--clients", clients, "-o", out, "--format", "json")
    before = {n: (out / n).stat().st_mtime_ns for n in ("ann.json", "bob.json", "cy.json")}

    (logs / "ann.csv").write_text(our_log(0, days=4), encoding="utf-8")
    clients.write_text("client,age,sex\nann,34,f\nbob,41,m\ncy,71,f\n", encoding="utf-8")
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json")
    assert result.stdout.splitlines()[0] == ("3 clients: 2 done now, 1 already up to date "
                                             "(skipped), 0 failed")
    changed = {n for n, t in before.items() if (out / n).stat().st_mtime_ns != t}
    assert changed == {"ann.json", "bob.json"}
    summary = {r["client"]: r for r in read_csv(out / "summary.csv")}
    assert summary["ann"]["days_logged"] == "4"

    more = batch(logs, "--clients", clients, "-o", out, "--format", "json,csv")
    assert more.stdout.splitlines()[0].startswith("3 clients: 3 done now, 0 already")
    assert all((out / f"{name}.csv").exists() for name in ("ann", "bob", "cy"))
    forced = batch(logs, "--clients", clients, "-o", out, "--format", "json,csv", "--force")
    assert forced.stdout.splitlines()[0].startswith("3 clients: 3 done now, 0 already")


def _pdf_is_whole(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


def test_a_report_whose_summary_row_lacks_a_newer_column_is_made_again(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    for n, name in enumerate(("ann", "bob")):
        (logs / f"{name}.csv").write_text(our_log(n), encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,34,f\nbob,40,m\n", encoding="utf-8")
    out = tmp_path / "out"
    batch(logs, "--clients", clients, "-o", out, "--format", "json")
    # as an earlier version left it: the summary row without the unknown-value columns
    stamp = out / ".nutrigap-batch" / "ann.json"
    saved = json.loads(stamp.read_text(encoding="utf-8"))
    saved["summary"] = {k: v for k, v in saved["summary"].items()
                        if not k.startswith(("unknown", "not_counted")) and "_unknown" not in k}
    stamp.write_text(json.dumps(saved), encoding="utf-8")
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json")
    assert result.stdout.splitlines()[0] == ("2 clients: 1 done now, 1 already up to date "
                                             "(skipped), 0 failed")
    assert all(r["unknown_share"] != "" for r in read_csv(out / "summary.csv"))


def test_a_batch_killed_half_way_is_completed_by_a_rerun(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    # more clients than workers, so that some are still to do when the first one is done,
    # however slowly the machine runs the check below
    names = ["ann", "bob", "cy", "dee", "eve", "fay"]
    for n, name in enumerate(names):
        (logs / f"{name}.csv").write_text(our_log(n), encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\n" + "".join(f"{c},40,f\n" for c in names),
                       encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "nutrigap", "batch", str(logs), "--clients",
               str(clients), "-o", str(out), "--format", "pdf", "--workers", "2"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    finished = out / ".nutrigap-batch"  # a client's stamp is written once its reports are
    try:
        deadline = time.monotonic() + 300
        while not list(finished.glob("*.json")) and time.monotonic() < deadline:
            assert process.poll() is None, "the batch ended before any report was written"
            time.sleep(0.02)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the batch and its worker processes
        process.wait()
    done_before = len(list(finished.glob("*.json")))
    assert 1 <= done_before < len(names), "the batch was not stopped half-way"
    assert all(_pdf_is_whole(p) for p in out.glob("*.pdf"))
    # what a kill can leave behind: a half-written temporary file beside the finished reports
    (out / ".cy.pdf.1a2b3c4d.nutrigap-part").write_bytes(b"%PDF-1.7\n1 0 obj")

    result = batch(logs, "--clients", clients, "-o", out, "--format", "pdf")
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout.splitlines()[0] == (
        f"6 clients: {6 - done_before} done now, {done_before} already up to date (skipped), "
        "0 failed")
    reports = sorted(out.glob("*.pdf"))
    assert [p.stem for p in reports] == ["ann", "bob", "caseload", "cy", "dee", "eve", "fay"]
    assert all(_pdf_is_whole(p) for p in reports)
    assert [p.name for p in out.rglob("*nutrigap-part")] == []
    assert len(read_csv(out / "summary.csv")) == len(names)


def test_one_file_with_a_client_column_names_rows_as_the_file_shows_them(tmp_path):
    rows = ["date,meal,food,amount,unit,client"]
    for client, seed in (("ann", 0), ("bob", 1)):
        for line in our_log(seed, days=2).splitlines()[1:]:
            rows.append(f"{line},{client}")
    rows.insert(5, '2024-05-06,lunch,"spinach, raw",some,g,bob')  # row 6, among ann's rows
    rows += ["2024-05-07,snack,apple,0,g,ann", '2024-05-07,snack,"zzqx gloop",50,g,ann']
    zero_row, unknown_row = len(rows) - 1, len(rows)
    shared = tmp_path / "caseload.csv"
    shared.write_text("\n".join(rows) + "\n", encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,34,f\nbob,40,m\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(shared, "--clients", clients, "-o", out, "--format", "json")
    assert result.exit_code == 1
    (error,) = read_csv(out / "errors.csv")
    assert error["client"] == "bob"
    assert error["message"].startswith('row 6, amount: "some"')
    report = json.loads((out / "ann.json").read_text(encoding="utf-8"))
    assert report["period"]["days_logged"] == 2
    assert report["log"]["skipped_rows"] == [zero_row]
    assert any(f"(row {zero_row})" in note["message"] for note in report["notes"])
    assert [u["row"] for u in report["unmatched"]] == [unknown_row]
    (ann,) = read_csv(out / "summary.csv")
    # 11 foods and the unknown one, which in our format is not counted at all
    assert (ann["items"], ann["unmatched"], ann["not_counted"]) == ("12", "1", "1")
    assert ann["unmatched_share"] == str(round(1 / 12, 3))
    assert ann["unknown_share"] == str(round(1 / 12, 3))


def test_a_client_target_file_is_used_and_a_missing_one_is_that_clients_error(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    for name in ("ann", "bob"):
        (logs / f"{name}.csv").write_text(our_log(0), encoding="utf-8")
    (tmp_path / "targets").mkdir()
    (tmp_path / "targets" / "ann.csv").write_text("nutrient,value\nmagnesium,250\n",
                                                  encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex,targets\nann,34,f,targets/ann.csv\n"
                       "bob,40,m,targets/bob.csv\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json,html")
    assert result.exit_code == 1
    report = json.loads((out / "ann.json").read_text(encoding="utf-8"))
    assert report["targets"]["magnesium_mg"]["target"] == 250
    assert "Caseload overview" in (out / "caseload.html").read_text(encoding="utf-8")
    (error,) = read_csv(out / "errors.csv")
    assert error["client"] == "bob"
    assert error["message"].startswith('clients.csv row 3: targets file "targets/bob.csv" '
                                       "cannot be read (No such file or directory")

    # a changed targets file redoes its client; an unusable one is that client's error
    (tmp_path / "targets" / "ann.csv").write_text("nutrient,value\nmagnesium,260\n",
                                                  encoding="utf-8")
    (tmp_path / "targets" / "bob.csv").write_text("nutrient,value\nzinc,8\n", encoding="utf-8")
    again = batch(logs, "--clients", clients, "-o", out, "--format", "json,html")
    assert again.stdout.splitlines()[0] == ("2 clients: 1 done now, 0 already up to date "
                                            "(skipped), 1 failed")
    report = json.loads((out / "ann.json").read_text(encoding="utf-8"))
    assert report["targets"]["magnesium_mg"]["target"] == 260
    (error,) = read_csv(out / "errors.csv")
    assert error["message"].startswith('targets file "targets/bob.csv": row 2: "zinc" is not '
                                       "a nutrient with a target")


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "docx"], "Error: Invalid value for --format: \"docx\" is not a list of "
                           "report formats; use one or more of pdf, json, csv, html separated "
                           "by commas, e.g. pdf,json\n"),
    (["--clients", "{bad_clients}"], "Error: clients.csv: row 1: the header has no age "
                                     'column, and "agee" is not a known column; found: client, '
                                     "agee, sex; expected for a clients file: client, age, sex "
                                     "(optional: pregnant, lactating, diet, targets) (see "
                                     "docs/batch.md)\n"),
    (["-o", "{logs}"], "Error: OUTDIR is the INPUT folder; write the reports to another folder "
                       "(-o reports/) so they are not read back as logs\n"),
])
def test_usage_errors_exit_with_2_and_one_message(caseload, tmp_path, args, message):
    logs, clients = caseload
    bad = tmp_path / "bad-clients.csv"
    bad.write_text("client,agee,sex\n", encoding="utf-8")
    defaults = {"--clients": str(clients), "-o": str(tmp_path / "out"), "--format": "json"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        defaults[flag] = value.format(bad_clients=bad, logs=logs)
    argv = [a for pair in defaults.items() for a in pair]
    result = batch(logs, *argv)
    assert result.exit_code == 2, result.output + result.stderr
    assert result.stderr.endswith(message)
    assert result.stdout == ""
    assert not (tmp_path / "out" / "summary.csv").exists()


def test_a_missing_input_is_a_usage_error(tmp_path):
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\n", encoding="utf-8")
    result = batch(tmp_path / "nowhere", "--clients", clients, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "Path" in result.stderr and "does not exist" in result.stderr


def test_caffeine_and_alcohol_over_their_limits_bring_a_client_to_attention(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    coffee = [("breakfast", "coffee", "2", "cup"), ("lunch", "coffee", "2", "cup")]  # 379 mg
    beer = [("dinner", "beer", "3", "can")]
    for client, extra in (("ann", beer), ("ben", coffee), ("cy", coffee), ("dee", [])):
        lines = our_log(0).splitlines() + [f'2024-05-06,{m},"{f}",{a},{u}' for m, f, a, u in extra]
        (logs / f"{client}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    clients = tmp_path / "clients.csv"
    # ben is 15 and 50 kg: his limit is 150 mg; cy is 15 with no weight: not judged
    clients.write_text("client,age,sex,weight_kg\nann,34,f,\nben,15,m,50\ncy,15,m,\n"
                       "dee,34,f,\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    summary = {r["client"]: r for r in read_csv(out / "summary.csv")}
    assert (summary["ann"]["alcohol_g_days_over"], summary["ann"]["alcohol_g_status"]) == (
        "1", "over_some_days")
    assert summary["ann"]["alcohol_g_limit"] == "14.0"
    assert summary["ben"]["caffeine_mg_limit"] == "150.0"
    assert (summary["ben"]["caffeine_mg_status"], summary["ben"]["caffeine_mg_days_over"]) == (
        "over_some_days", "1")
    assert (summary["cy"]["caffeine_mg_status"], summary["cy"]["caffeine_mg_limit"]) == (
        "not_judged", "")
    assert summary["dee"]["water_g_ai"] == "2700.0" and summary["dee"]["water_g_days_under"]
    for client, row in summary.items():
        report = json.loads((out / f"{client}.json").read_text(encoding="utf-8"))
        assert_summary_counts_agree(row, report)
    overview = json.loads((out / "caseload.json").read_text(encoding="utf-8"))
    reasons = {a["client"]: a["reasons"] for a in overview["attention"]}
    assert any(r.startswith("Alcohol: ") and "over 1 drink on 1 of 3 days" in r
               for r in reasons["ann"])
    assert any(r.startswith("Caffeine: ") and "over 150 mg on 1 of 3 days" in r
               for r in reasons["ben"])
    assert not any(r.startswith("Caffeine") for r in reasons.get("cy", []))
    assert "ann" not in overview["on_track"] and "ben" not in overview["on_track"]


def test_all_clients_done_exits_0(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "ann.csv").write_text(our_log(0), encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,34,f\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    assert "no log" not in result.stdout
    assert read_csv(out / "errors.csv") == []


def test_a_client_in_clients_csv_without_a_log_is_a_failed_client_everywhere(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "ann.csv").write_text(our_log(0), encoding="utf-8")
    (logs / "Zoe.txt").write_text("Zoe: log comes next week\n", encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,34,f\nzoe,60,f\nyan,-3,m\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json,html")
    assert result.exit_code == 1, result.output + result.stderr
    assert result.stdout.splitlines()[0] == ("3 clients: 1 done now, 0 already up to date "
                                             "(skipped), 2 failed")
    assert "In clients.csv but with no log (counted as failed): yan, zoe" in result.stdout
    errors = {e["client"]: e for e in read_csv(out / "errors.csv")}
    assert sorted(errors) == ["yan", "zoe"]
    assert errors["zoe"]["file"] == str(logs / "zoe.csv")
    assert errors["zoe"]["message"] == (
        f"no log found: expected {logs / 'zoe.csv'} (or .tsv); Zoe.txt was not read, as not a "
        "meal log (its first row is not a meal log's header: date, meal, food, amount, unit); "
        "add the client's log, or remove row 3 from clients.csv")
    # a client whose clients.csv row is wrong too hears of both
    first, second = errors["yan"]["message"].splitlines()
    assert first == (f"no log found: expected {logs / 'yan.csv'} (or .tsv); add the client's "
                     "log, or remove their row from clients.csv")
    assert second.startswith("clients.csv row 4")
    overview = json.loads((out / "caseload.json").read_text(encoding="utf-8"))
    assert overview["failed"] == 2
    assert [f["client"] for f in overview["failures"]] == ["yan", "zoe"]
    page = (out / "caseload.html").read_text(encoding="utf-8")
    assert "Clients without a report" in page and "no log found: expected" in page


def test_a_misspelt_id_is_pointed_out_from_both_sides(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    for name in ("alcie", "bob"):
        (logs / f"{name}.csv").write_text(our_log(0), encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nalice,34,f\nbob,40,m\nzed,30,f\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json")
    assert result.exit_code == 1
    errors = {e["client"]: e["message"] for e in read_csv(out / "errors.csv")}
    assert errors["alcie"] == ('"alcie" has no row in clients.csv; add one with at least '
                               'client, age and sex; or, if this is client "alice" of '
                               "clients.csv (who has no log), spell the id the same in both")
    assert errors["alice"].endswith('; is the log of "alcie" (which has no row in '
                                    "clients.csv) this client's? Then spell the id the same "
                                    "in both")
    assert "is the log of" not in errors["zed"]  # nothing like it


def test_a_client_without_rows_in_a_shared_file_is_a_failed_client(tmp_path):
    shared = tmp_path / "caseload.csv"
    shared.write_text("client,date,food,amount,unit\nann,2024-05-06,banana,1,medium\n",
                      encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,34,f\nzoe,60,f\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(shared, "--clients", clients, "-o", out, "--format", "json")
    assert result.exit_code == 1
    (error,) = read_csv(out / "errors.csv")
    assert (error["client"], error["file"]) == ("zoe", str(shared))
    assert error["message"] == (f'no log found: expected rows with client "zoe" in {shared}; '
                                "add the client's rows, or remove row 3 from clients.csv")


def test_log_names_find_their_clients_csv_row_whatever_the_capitals_and_spaces(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "Alice.csv").write_text(our_log(0), encoding="utf-8")
    (logs / "eve .csv").write_text(our_log(1), encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nalice,34,f\nEve,40,f\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    assert "no log" not in result.stdout
    # the reports take the id as clients.csv writes it
    assert sorted(p.name for p in out.glob("*.json")) == ["Eve.json", "alice.json",
                                                          "caseload.json"]
    summary = read_csv(out / "summary.csv")
    assert [(r["client"], Path(r["file"]).name) for r in summary] == [("Eve", "eve .csv"),
                                                                      ("alice", "Alice.csv")]
    assert json.loads((out / "alice.json").read_text(encoding="utf-8"))["profile"]["age"] == 34


def test_a_note_beside_the_logs_is_not_a_failed_client_but_is_named_as_not_read(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "ann.csv").write_text(our_log(0), encoding="utf-8")
    (logs / "bob.txt").write_text(our_log(1), encoding="utf-8")
    (logs / "notes.txt").write_text("ann: ask about cramps at night\n", encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,34,f\nbob,40,m\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json,html")
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout.splitlines()[0].startswith("2 clients: 2 done now")
    assert ("Not read, as not meal logs (only .csv and .tsv files, and .txt files whose first "
            "row is a meal log's header, are read): notes.txt") in result.stdout
    assert read_csv(out / "errors.csv") == []
    assert [r["client"] for r in read_csv(out / "summary.csv")] == ["ann", "bob"]
    overview = json.loads((out / "caseload.json").read_text(encoding="utf-8"))
    assert overview["not_read"] == ["notes.txt"] and overview["failed"] == 0
    page = (out / "caseload.html").read_text(encoding="utf-8")
    assert "Files not read" in page and "notes.txt" in page


def test_match_corrections_apply_to_every_client_and_a_bad_file_stops_the_batch(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    for name in ("ann", "bob"):
        (logs / f"{name}.csv").write_text(our_log(0) + '2024-05-08,lunch,"nana\'s green mix",'
                                          "100,g\n", encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,34,f\nbob,40,m\n", encoding="utf-8")
    matches = tmp_path / "matches.csv"
    matches.write_text("name,food_id\nnana's green mix,sr:11457\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json", "--matches",
                   matches)
    assert result.exit_code == 0, result.output + result.stderr
    for name in ("ann", "bob"):
        report = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        (chosen,) = [m for m in report["matches"] if m["name"] == "nana's green mix"]
        assert (chosen["food_id"], chosen["method"]) == ("sr:11457", "correction")

    matches.write_text("name,food_id\nnana's green mix,sr:99999\n", encoding="utf-8")
    bad = batch(logs, "--clients", clients, "-o", out, "--format", "json", "--matches", matches)
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: the corrections table cannot be used:\nrow 2, food_id: "
                                 '"sr:99999" is not in the food table')


class _Terminal:
    """A stream that says it is a terminal, as stderr is when a person runs the command."""

    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass

    def isatty(self):
        return True


def test_progress_is_a_bar_on_a_terminal_and_lines_in_a_log():
    from nutrigap.batch.client_jobs import Outcome
    from nutrigap.batch.runner import Progress

    terminal = _Terminal()
    bar = Progress(2, terminal)
    bar(Outcome("ann", "ann.csv", {}, None, 1.0))
    bar(Outcome("bob", "bob.csv", None, "row 4, amount: \"lots\" is not a number\nmore"))
    bar.close()
    assert "2/2" in terminal.text and "client" in terminal.text
    assert 'bob: failed: row 4, amount: "lots" is not a number\n' in terminal.text

    log = io.StringIO()
    lines = Progress(2, log)
    lines(Outcome("ann", "ann.csv", {}, None, 1.25))
    lines(Outcome("bob", "bob.csv", None, "no row in clients.csv"))
    assert log.getvalue() == ("[1/2] ann: done in 1.2 s\n"
                              "[2/2] bob: failed: no row in clients.csv\n")


def test_a_worker_that_dies_costs_only_the_clients_it_had(tmp_path):
    psutil = pytest.importorskip("psutil", reason="psutil comes with the distributed extra")
    logs = tmp_path / "logs"
    logs.mkdir()
    names = [f"c{n}" for n in range(6)]
    for n, name in enumerate(names):
        (logs / f"{name}.csv").write_text(our_log(n, days=2), encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\n" + "".join(f"{c},50,m\n" for c in names),
                       encoding="utf-8")
    out = tmp_path / "out"
    killed = []

    def kill_one_worker():
        # pool workers are forked by the forkserver, itself a child of this process
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            if list((out / ".nutrigap-batch").glob("*.json")):
                for server in psutil.Process().children():
                    workers = server.children()
                    if workers:
                        workers[0].kill()
                        killed.append(workers[0].pid)
                        return
            time.sleep(0.01)

    watcher = threading.Thread(target=kill_one_worker)
    watcher.start()
    result = batch(logs, "--clients", clients, "-o", out, "--format", "json", workers=2)
    watcher.join()
    assert killed, "no worker process was found to stop"
    assert result.exit_code == 1, result.output + result.stderr
    errors = read_csv(out / "errors.csv")
    summary = read_csv(out / "summary.csv")
    assert 1 <= len(errors) <= 4  # the jobs in flight at the time
    assert all(e["message"].startswith("a worker process stopped while this client was being "
                                       "done") for e in errors)
    assert sorted([e["client"] for e in errors] + [r["client"] for r in summary]) == names

    rerun = batch(logs, "--clients", clients, "-o", out, "--format", "json")
    assert rerun.exit_code == 0
    assert rerun.stdout.splitlines()[0] == (f"6 clients: {len(errors)} done now, "
                                            f"{len(summary)} already up to date (skipped), "
                                            "0 failed")


def test_a_client_finished_just_before_the_pool_broke_counts_as_done(tmp_path):
    """A worker can finish a client (reports and stamp written) in the moment between another
    worker dying and the pool noticing; that client is done, not lost."""
    from nutrigap.batch.client_jobs import Settings
    from nutrigap.batch.runner import CRASHED, lost_outcome, plan_batch

    logs = tmp_path / "logs"
    logs.mkdir()
    for name in ("ann", "bob"):
        (logs / f"{name}.csv").write_text(our_log(3, days=2), encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,40,f\nbob,60,m\n", encoding="utf-8")
    out = tmp_path / "out"
    settings = Settings(out, ("json",))
    before = time.time_ns() - 50_000_000
    assert batch(logs, "--clients", clients, "-o", out, "--format", "json").exit_code == 0
    after = time.time_ns() + 1_000_000_000
    os.utime(out / "bob.json", ns=(0, 0))  # bob's report is now older than his log

    ann, bob = plan_batch(logs, clients, settings, force=True).todo
    done = lost_outcome(ann, settings, before)
    assert done.ok and done.summary["client"] == "ann"
    # a stamp from before this run, or reports older than the log, mean the client was lost
    assert lost_outcome(ann, settings, after).message == CRASHED
    assert lost_outcome(bob, settings, before).message == CRASHED
    (out / ".nutrigap-batch" / "ann.json").unlink()
    assert lost_outcome(ann, settings, before).message == CRASHED


def test_a_changed_food_database_redoes_every_client(tmp_path):
    """Importing more foods can change any client's matches, so no report made from the old
    database counts as up to date."""
    from nutrigap.foods.embedded import load_embedded
    from nutrigap.foods.store import save_table

    logs = tmp_path / "logs"
    logs.mkdir()
    for name in ("ann", "bob"):
        (logs / f"{name}.csv").write_text(our_log(5, days=2), encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,40,f\nbob,60,m\n", encoding="utf-8")
    out, db = tmp_path / "out", tmp_path / "foods.sqlite"
    built_in = load_embedded()
    save_table(built_in.subset(built_in.foods.index[:5]), db)

    def run():
        result = batch(logs, "--clients", clients, "-o", out, "--format", "json", "--foods", db)
        assert result.exit_code == 0, result.output + result.stderr
        return result.stdout.splitlines()[0]

    assert run() == "2 clients: 2 done now, 0 already up to date (skipped), 0 failed"
    assert run() == "2 clients: 0 done now, 2 already up to date (skipped), 0 failed"
    save_table(built_in.subset(built_in.foods.index[5:10]), db)  # as `nutrigap foods import` does
    assert run() == "2 clients: 2 done now, 0 already up to date (skipped), 0 failed"
