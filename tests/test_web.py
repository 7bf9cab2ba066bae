"""The upload page through Flask's test client: every route, the refusals, the headers."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from html import unescape
from pathlib import Path

import pytest

pytest.importorskip("flask", reason="the web page needs the web extra: pip install "
                                    "'nutrigap[web]'")

from nutrigap.analyzer.errors import BadMealLog  # noqa: E402
from nutrigap.analyzer.logs.meal_log import read_meal_log  # noqa: E402
from nutrigap.web import create_app  # noqa: E402
from nutrigap.web.limits import FORM_OVERHEAD_BYTES, upload_limit_bytes  # noqa: E402
from nutrigap.workers import Busy, TooSlow, WorkerFailed, WorkerPool  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_LOG = ROOT / "examples" / "example-log.csv"
TEMPLATE = ROOT / "examples" / "template.csv"

SMALL_LOG = (b"date,meal,food,amount,unit\n"
             b'2024-05-06,breakfast,"oats, dry",40,g\n'
             b"2024-05-06,breakfast,whole milk,250,ml\n"
             b'2024-05-06,lunch,"spinach, raw",60,g\n'
             b"2024-05-06,dinner,salmon,120,g\n"
             b"2024-05-07,breakfast,banana,1,medium\n"
             b'2024-05-07,lunch,"lentils, boiled",1,cup\n'
             b"2024-05-07,snack,almonds,28,g\n")
# Row 3's amount is words and row 4 has no food: two problems the reader names by row.
BAD_LOG = (b"date,meal,food,amount,unit\n"
           b"2024-05-06,breakfast,banana,1,medium\n"
           b"2024-05-06,breakfast,whole milk,two cups,\n"
           b"2024-05-06,lunch,,100,g\n")

PROFILE = {"age": "34", "sex": "female", "stage": "", "paper": "a4"}


@pytest.fixture(scope="module")
def app():
    """One app (and one warm worker) for the module, with the built-in foods only (the
    user folders of the session are empty)."""
    app = create_app({"TESTING": True, "WORKERS": 1})
    yield app
    app.extensions["nutrigap_pool"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def post_log(client, data: bytes, name: str = "my-log.csv", **fields):
    form = {**PROFILE, **fields, "log": (io.BytesIO(data), name)}
    return client.post("/analyze", data=form, content_type="multipart/form-data")


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def listed_problems(response) -> list[str]:
    html = response.get_data(as_text=True)
    box = re.search(r'<ul class="problem-list">(.*?)</ul>', html, re.S)
    return [unescape(item).strip() for item in re.findall(r"<li>(.*?)</li>", box.group(1), re.S)]


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")


def value_of(html: str, name: str) -> str:
    return unescape(re.search(rf'name="{name}" value="([^"]*)"', html).group(1))


# --- the page, its stylesheet and the template ---------------------------------------------


def test_the_upload_page_has_the_form_and_no_inline_code(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for field in ('type="file" id="log" name="log"', 'name="age"', 'name="sex"',
                  'name="stage" value="pregnant"', 'name="stage" value="lactating"',
                  'name="exclude"', 'name="output" value="pdf"', 'name="output" value="html"'):
        assert field in html
    from nutrigap.analyzer.suggestions.diets import known_diets

    for diet in known_diets():
        assert f'name="diet" value="{diet}"' in html
    assert 'href="/template.csv"' in html and 'href="/static/style.css"' in html
    # the policy allows neither inline scripts nor inline styles, so the page has none
    assert "<script" not in html and "<style" not in html and " style=" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "an external resource"


def test_the_stylesheet_is_served_by_the_app(client):
    with client.get("/static/style.css") as response:  # closes the file Flask sends
        assert response.status_code == 200
        assert response.mimetype == "text/css"
        assert "button.primary" in response.get_data(as_text=True)
        assert "@import" not in response.get_data(as_text=True)


def test_the_csv_template_downloads_as_the_file_in_examples(client):
    with client.get("/template.csv") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        assert response.data == TEMPLATE.read_bytes()
    read_meal_log(io.BytesIO(response.data))  # and it is a log the reader takes


def test_a_missing_template_is_a_404_page_that_says_what_to_write(tmp_path):
    app = create_app({"TESTING": True, "WORKERS": 1, "TEMPLATE_CSV": tmp_path / "gone.csv"})
    try:
        response = app.test_client().get("/template.csv")
    finally:
        app.extensions["nutrigap_pool"].close()
    assert response.status_code == 404
    assert "date, meal, food, amount, unit" in text_of(response)


def test_unknown_pages_and_wrong_methods_get_the_friendly_error_page(client):
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert "Page not found" in text_of(missing)
    wrong = client.get("/analyze")
    assert wrong.status_code == 405
    assert "takes uploads from the form only" in text_of(wrong)
    assert 'href="/static/style.css"' in wrong.get_data(as_text=True)


# --- one log -------------------------------------------------------------------------------


def test_a_log_comes_back_as_a_pdf_report_with_the_log_name(client):
    response = post_log(client, SMALL_LOG, name="week 1.csv", output="pdf")
    assert response.status_code == 200, text_of(response)
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=week-1-report.pdf"
    text = pdf_text(response.data)
    assert "Nutrient check" in text
    assert "week 1.csv" in text
    assert "Female, 34 years" in text
    for nutrient in ("Magnesium", "Calcium", "Potassium", "Vitamin D", "Vitamin B12"):
        assert nutrient in text


def test_view_in_browser_returns_the_report_page_with_its_styles_allowed_by_hash(client):
    response = post_log(client, SMALL_LOG, output="html", diet="vegan")
    assert response.status_code == 200, text_of(response)
    assert response.mimetype == "text/html"
    assert response.headers["Content-Disposition"] == "inline; filename=my-log-report.html"
    html = response.get_data(as_text=True)
    assert "Nutrient check" in html and "my-log.csv" in html
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "script-src" not in policy
    assert "default-src 'none'" in policy and "sandbox" in policy
    assert "frame-ancestors 'none'" in policy
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert styles
    for block in styles:
        digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "<script" not in html


def test_a_bad_file_lists_the_readers_row_messages_with_the_form_still_filled_in(client):
    with pytest.raises(BadMealLog) as refused:
        read_meal_log(io.BytesIO(BAD_LOG))
    expected = [str(p) for p in refused.value.problems]
    assert any(line.startswith("row 3") for line in expected)

    response = post_log(client, BAD_LOG, name="march.csv", diet="vegan", exclude="liver, tofu",
                        stage="lactating", paper="letter")
    assert response.status_code == 400
    assert listed_problems(response) == expected
    html = response.get_data(as_text=True)
    assert "The file could not be used" in html
    assert value_of(html, "age") == "34"
    assert '<option value="female" selected>' in html
    assert 'name="stage" value="lactating" checked' in html
    assert 'name="diet" value="vegan" checked' in html
    assert 'name="diet" value="vegetarian" >' in html  # not checked
    assert value_of(html, "exclude") == "liver, tofu"
    assert '<option value="letter" selected>' in html
    assert "<strong>march.csv</strong>" in html


def test_a_log_that_is_not_text_gets_the_readers_message(client):
    response = post_log(client, b"%PDF-1.7\n\x00\x01\x02binary", name="report.pdf")
    assert response.status_code == 400
    with pytest.raises(BadMealLog) as refused:
        read_meal_log(io.BytesIO(b"%PDF-1.7\n\x00\x01\x02binary"))
    assert listed_problems(response) == [str(p) for p in refused.value.problems]


@pytest.mark.parametrize("missing, field, words", [
    ("log", "log", "choose a meal log to upload"),
    ("age", "age", "enter the age in years"),
    ("sex", "sex", "choose female or male"),
])
def test_a_missing_field_is_named_and_the_rest_of_the_form_kept(client, missing, field, words):
    form = {**PROFILE, "exclude": "liver", "log": (io.BytesIO(SMALL_LOG), "log.csv")}
    del form[missing]
    response = client.post("/analyze", data=form, content_type="multipart/form-data")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Some fields need a change" in html
    error = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', html).group(1)
    assert words in unescape(error)
    assert value_of(html, "exclude") == "liver"


def test_a_log_holding_two_clients_is_refused_not_added_together(client):
    header, *rows = SMALL_LOG.decode("utf-8").splitlines()
    both = "\n".join([f"client,{header}", *(f"{who},{row}" for who in ("alice", "bob")
                                             for row in rows)]) + "\n"
    response = post_log(client, both.encode("utf-8"), name="caseload.csv")
    assert response.status_code == 400
    assert listed_problems(response) == [
        "the client column holds 2 clients (alice, bob); one report would add their meals "
        "together as if one person ate them; upload it under \"A dietitian's caseload\", "
        "which makes one report per client, or upload a file with one client's rows"]
    one = "\n".join([f"client,{header}", *(f"alice,{row}" for row in rows)]) + "\n"
    assert post_log(client, one.encode("utf-8"), output="pdf").status_code == 200


def test_an_impossible_profile_gets_the_cores_words(client):
    from nutrigap.analyzer.errors import BadProfile
    from nutrigap.analyzer.scoring.targets import Profile

    with pytest.raises(BadProfile) as refused:
        Profile(age=34, sex="male", pregnant=True)
    response = post_log(client, SMALL_LOG, sex="male", stage="pregnant")
    assert response.status_code == 400
    assert str(refused.value) in text_of(response)


def test_an_exclusion_that_is_not_a_food_word_gets_the_cores_words(client):
    response = post_log(client, SMALL_LOG, exclude="x")
    assert response.status_code == 400
    assert 'exclude "x" is not a food word' in text_of(response)
    assert "The report could not be made" in text_of(response)


@pytest.mark.parametrize("content_type, body", [
    ("application/json", b'{"age": 34, "sex": "female"}'),
    ("application/x-www-form-urlencoded", b"age=34&sex=female"),
    ("text/csv", SMALL_LOG),
])
def test_a_request_that_is_not_a_multipart_upload_gets_415(client, content_type, body):
    response = client.post("/analyze", data=body, content_type=content_type)
    assert response.status_code == 415
    assert f'sent as "{content_type}"' in text_of(response)
    assert "multipart/form-data" in text_of(response)


# --- limits --------------------------------------------------------------------------------


def test_an_upload_over_the_limit_gets_the_413_page(tmp_path):
    app = create_app({"TESTING": True, "WORKERS": 1, "MAX_UPLOAD_MB": 0.25})
    client = app.test_client()
    try:
        big = SMALL_LOG + b"2024-05-08,lunch,apple,1,medium\n" * 12_000  # about 0.4 MB
        response = post_log(client, big)
        assert response.status_code == 413
        assert "up to 0.25 MB" in text_of(response)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        # just under the limit passes the size check and reaches the form checks
        small = SMALL_LOG + b"2024-05-08,lunch,apple,1,medium\n" * 7_000  # about 0.24 MB
        assert len(small) < 0.25 * 1024 * 1024
        response = post_log(client, small, age="")
        assert response.status_code == 400
        assert "enter the age in years" in text_of(response)
    finally:
        app.extensions["nutrigap_pool"].close()


def test_the_upload_limit_is_the_file_limit_plus_room_for_the_form():
    assert upload_limit_bytes(10) == 10 * 1024 * 1024 + FORM_OVERHEAD_BYTES
    with pytest.raises(ValueError):
        upload_limit_bytes(0)


def test_an_analysis_over_the_time_limit_is_stopped_with_a_503_page():
    app = create_app({"TESTING": True, "WORKERS": 1, "ANALYSIS_TIMEOUT": 0.05})
    pool = app.extensions["nutrigap_pool"]
    try:
        response = post_log(app.test_client(), SMALL_LOG, age="41")
        assert response.status_code == 503
        assert "It ran for 0.05 seconds and was stopped" in text_of(response)
        assert value_of(response.get_data(as_text=True), "age") == "41"
        assert pool.processes() == []  # the stopped worker is not kept
    finally:
        pool.close()


def test_a_worker_past_its_time_limit_is_killed_and_a_fresh_one_takes_over():
    pool = WorkerPool(1, timeout=0.5)
    try:
        assert pool.run(max, 3, 7) == 7
        first = pool.processes()
        started = time.perf_counter()
        with pytest.raises(TooSlow):
            pool.run(time.sleep, 30)
        assert time.perf_counter() - started < 5
        assert pool.run(max, 3, 8) == 8
        assert pool.processes() != first
    finally:
        pool.close()


def test_a_crashed_worker_or_a_bug_is_reported_without_the_error_text():
    pool = WorkerPool(1, timeout=10)
    try:
        with pytest.raises(WorkerFailed) as failed:
            pool.run(int, "secret words from a log")
        assert str(failed.value).startswith("ValueError at ")
        assert "secret" not in str(failed.value)
        with pytest.raises(WorkerFailed):
            pool.run(os._exit, 3)
        assert pool.run(max, 1, 2) == 2
    finally:
        pool.close()


def test_a_request_waits_for_a_free_worker_only_so_long():
    pool = WorkerPool(1, timeout=10, wait=0.3)
    try:
        pool.run(max, 0, 1)  # the worker is up before the race starts
        busy = threading.Thread(target=pool.run, args=(time.sleep, 2))
        busy.start()
        time.sleep(0.3)
        with pytest.raises(Busy):
            pool.run(max, 1, 2)
        busy.join()
        assert pool.run(max, 1, 2) == 2
    finally:
        pool.close()


# --- headers -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/caseload", "/static/style.css", "/template.csv",
                                  "/nowhere"])
def test_every_response_carries_the_security_headers(client, path):
    with client.get(path) as response:  # closes the file a static page is sent from
        pass
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "script-src" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_an_unexpected_error_is_a_500_page_and_the_log_keeps_no_upload_text(
        client, monkeypatch, caplog):
    from nutrigap.web import forms

    def broken(form, files):
        raise RuntimeError(f"cannot handle {files['log'].filename}")

    monkeypatch.setattr(forms, "read_analysis_form", broken)
    response = post_log(client, SMALL_LOG, name="jane-doe-private.csv")
    assert response.status_code == 500
    assert "Something went wrong" in text_of(response)
    assert "jane-doe" not in text_of(response)
    logged = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("unexpected error: RuntimeError at ") for m in logged)
    assert not any("jane-doe" in m for m in logged)


def test_pages_and_reports_are_not_kept_in_caches(client):
    assert client.get("/").headers["Cache-Control"] == "no-store"
    response = post_log(client, BAD_LOG)
    assert response.headers["Cache-Control"] == "no-store"


# --- a dietitian's caseload ----------------------------------------------------------------


def log_for(days: list[str]) -> bytes:
    lines = ["date,meal,food,amount,unit"]
    for day in days:
        lines += [f"{day},breakfast,banana,1,medium", f'{day},lunch,"lentils, boiled",1,cup',
                  f"{day},dinner,salmon,120,g"]
    return ("\n".join(lines) + "\n").encode()


def post_caseload(client, logs: dict[str, bytes], clients: bytes, targets=None, formats=("json",)):
    form = {"logs": [(io.BytesIO(data), name) for name, data in logs.items()],
            "clients": (io.BytesIO(clients), "clients.csv"),
            "formats": list(formats)}
    if targets:
        form["targets"] = [(io.BytesIO(data), name) for name, data in targets.items()]
    return client.post("/caseload", data=form, content_type="multipart/form-data")


def zip_files(response) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The server's temporary folder, to see that nothing is left in it."""
    folder = tmp_path / "server-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_caseload_of_files_comes_back_as_a_zip_with_the_summary(client, private_tmp):
    clients = (b"client,age,sex,pregnant,lactating,diet,targets\n"
               b"ana,34,female,,,,ana-targets.csv\n"
               b"ben,61,male,,,vegetarian,\n"
               b"cy,29,female,,,,\n")
    logs = {"ana.csv": log_for(["2024-05-06", "2024-05-07"]),
            "ben.csv": log_for(["2024-05-06"]),
            "cy.csv": BAD_LOG}
    targets = {"ana-targets.csv": b"nutrient,value\nmagnesium_mg,400\n"}
    response = post_caseload(client, logs, clients, targets)
    assert response.status_code == 200, text_of(response)
    assert response.mimetype == "application/zip"
    assert response.headers["X-Nutrigap-Clients"] == "2 done, 1 failed"
    files = zip_files(response)
    assert sorted(files) == ["ana.json", "ben.json", "caseload.json", "errors.csv",
                             "summary.csv"]
    summary = csv_rows(files["summary.csv"])
    assert [(r["client"], r["file"], r["days_logged"]) for r in summary] == [
        ("ana", "ana.csv", "2"), ("ben", "ben.csv", "1")]
    errors = csv_rows(files["errors.csv"])
    assert [(e["client"], e["file"]) for e in errors] == [("cy", "cy.csv")]
    assert errors[0]["message"].startswith("row 3")
    ana, ben = json.loads(files["ana.json"]), json.loads(files["ben.json"])
    assert ana["statuses"]["magnesium_mg"]["target"] == 400  # from the uploaded target file
    assert ben["statuses"]["magnesium_mg"]["target"] == 420  # the DRI for a man of 61
    assert list(private_tmp.iterdir()) == []


def test_one_csv_with_a_client_column_is_split_into_clients(client, private_tmp):
    rows = [b"client,date,meal,food,amount,unit"]
    for who in ("dee", "eli"):
        rows += [f"{who},2024-05-06,lunch,banana,1,medium".encode(),
                 f"{who},2024-05-06,dinner,salmon,120,g".encode()]
    clients = b"client,age,sex\ndee,40,female\neli,52,male\n"
    response = post_caseload(client, {"caseload.csv": b"\n".join(rows) + b"\n"}, clients)
    assert response.status_code == 200, text_of(response)
    files = zip_files(response)
    assert {"dee.json", "eli.json", "summary.csv"} <= set(files)
    assert [r["file"] for r in csv_rows(files["summary.csv"])] == ["caseload.csv"] * 2
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize("cell", ["/etc/passwd", "../secrets.csv", "sub/t.csv", "gone.csv"])
def test_a_targets_cell_must_name_an_uploaded_file(client, cell, private_tmp):
    clients = f"client,age,sex,targets\nana,34,female,{cell}\n".encode()
    response = post_caseload(client, {"ana.csv": log_for(["2024-05-06"])}, clients)
    assert response.status_code == 400
    problems = listed_problems(response)
    assert len(problems) == 1 and problems[0].startswith(f'clients.csv row 2, targets: "{cell}"')
    assert list(private_tmp.iterdir()) == []


def test_the_caseload_form_names_missing_and_wrong_files(client):
    response = client.post("/caseload", data={"logs": (io.BytesIO(b"x"), "ana.xlsx"),
                                              "formats": "json"},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    html = text_of(response)
    assert '"ana.xlsx" is not a .csv or .tsv or .txt file' in html
    assert "choose the clients file" in html
    assert "Chosen last time: ana.xlsx" in html


def test_the_caseload_page_and_a_wrong_content_type(client):
    page = client.get("/caseload")
    assert page.status_code == 200
    assert 'name="logs"' in page.get_data(as_text=True)
    assert 'multiple' in page.get_data(as_text=True)
    assert client.post("/caseload", json={"logs": []}).status_code == 415


def test_a_file_name_too_long_for_a_file_system_is_a_field_message(client, private_tmp):
    long_log = "a" * 296 + ".csv"  # 300 characters: more than a file name may have
    long_targets = "ü" * 120 + ".csv"  # 124 characters, 244 bytes
    clients = f"client,age,sex,targets\nben,40,male,{long_targets}\n".encode()
    response = post_caseload(client, {long_log: log_for(["2024-05-06"]),
                                      "ben.csv": log_for(["2024-05-06"])}, clients,
                             {long_targets: b"nutrient,value\nmagnesium_mg,400\n"})
    assert response.status_code == 400
    html = text_of(response)
    assert f'"{"a" * 40}..." has a name of 300 bytes; rename it shorter: a name may have up ' \
           "to 200 bytes" in html
    assert f'"{"ü" * 40}..." has a name of 244 bytes' in html
    assert list(private_tmp.iterdir()) == []


def test_a_client_id_too_long_for_a_file_name_fails_alone_in_the_zip(client, private_tmp):
    cjk = "東" * 120  # 360 bytes
    rows = [b"client,date,meal,food,amount,unit"]
    for who in ("dee", cjk):
        rows += [f"{who},2024-05-06,lunch,banana,1,medium".encode(),
                 f"{who},2024-05-06,dinner,salmon,120,g".encode()]
    clients = f"client,age,sex\ndee,40,female\n{cjk},52,male\n".encode()
    response = post_caseload(client, {"caseload.csv": b"\n".join(rows) + b"\n"}, clients)
    assert response.status_code == 200, text_of(response)
    files = zip_files(response)
    assert [r["client"] for r in csv_rows(files["summary.csv"])] == ["dee"]
    (error,) = csv_rows(files["errors.csv"])
    assert error["client"] == cjk and "has 360 bytes" in error["message"]
    assert list(private_tmp.iterdir()) == []


def test_the_csv_files_of_the_zip_hold_no_spreadsheet_formula(client):
    from test_csv_out import assert_no_formulas

    log = log_for(["2024-05-06", "2024-05-07"]) + b'2024-05-07,snack,"=cmd|\' /C calc\'!A0",1,g\n'
    clients = b"client,age,sex\n=1+2,40,female\n-x,50,male\n"
    response = post_caseload(client, {"=1+2.csv": log}, clients, formats=("json", "csv"))
    assert response.status_code == 200, text_of(response)
    files = {name: data.decode("utf-8") for name, data in zip_files(response).items()}
    assert sorted(files) == ["=1+2.csv", "=1+2.json", "caseload.json", "errors.csv",
                             "summary.csv"]
    for name in ("=1+2.csv", "errors.csv", "summary.csv"):
        assert_no_formulas(files[name])
    # client, file, age, sex, life stage, days logged
    assert files["summary.csv"].splitlines()[1].startswith("'=1+2,'=1+2.csv,40,female,none,2,")
    assert files["errors.csv"].splitlines()[1].startswith("'-x,")


def test_a_bad_targets_file_is_named_as_uploaded_never_by_its_place_on_the_server(
        client, private_tmp):
    clients = b"client,age,sex,targets\nana,34,female,ana-targets.csv\n"
    response = post_caseload(client, {"ana.csv": log_for(["2024-05-06"])}, clients,
                             {"ana-targets.csv": b"nutrient,value\nzinc,8\n"})
    assert response.status_code == 200, text_of(response)
    (error,) = csv_rows(zip_files(response)["errors.csv"])
    assert error["message"].startswith('targets file "ana-targets.csv": row 2: "zinc" is not a '
                                       "nutrient with a target")
    assert "nutrigap-web-" not in error["message"] and str(private_tmp) not in error["message"]


def test_too_many_files_or_form_parts_get_a_page_naming_the_limit(client):
    from nutrigap.web.limits import MAX_FILES, MAX_FORM_PARTS

    logs = {f"c{n}.csv": b"x" for n in range(MAX_FILES + 1)}
    response = post_caseload(client, logs, b"client,age,sex\n")
    assert response.status_code == 413
    assert f"One upload may carry up to {MAX_FILES} files" in text_of(response)
    fields = {f"field{n}": "x" for n in range(MAX_FORM_PARTS + 1)}
    response = client.post("/caseload", data=fields, content_type="multipart/form-data")
    assert response.status_code == 413
    assert f"A form may have up to {MAX_FORM_PARTS} parts (files and fields)" in \
        text_of(response)


@pytest.fixture
def live_server(app):
    """The app behind nutrigap serve's own server, on a free port, dropping a request that
    stalls for 1 second."""
    from nutrigap.web import make_app_server

    saved = app.config["READ_TIMEOUT"]
    app.config["READ_TIMEOUT"] = 1
    server = make_app_server("127.0.0.1", 0, app)
    app.config["READ_TIMEOUT"] = saved
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()


def test_the_server_names_no_version(live_server):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", live_server, timeout=30)
    connection.request("GET", "/")
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("Server") == "nutrigap"
    connection.close()


def test_a_stalled_connection_is_dropped(live_server):
    import socket

    with socket.create_connection(("127.0.0.1", live_server), timeout=30) as stalled:
        stalled.sendall(b"POST /analyze HTTP/1.1\r\nHost: x\r\n")  # and then nothing
        # the server closes the connection after its read timeout (1 s here); this waits up to
        # 30 s for that, however loaded the machine
        assert stalled.recv(1024) == b""


def test_the_workers_have_the_memory_limit(app):
    resource = pytest.importorskip("resource")
    from nutrigap.workers import worker_memory_mb

    pool = app.extensions["nutrigap_pool"]
    soft, _ = pool.run(resource.getrlimit, resource.RLIMIT_DATA)
    assert soft == worker_memory_mb() * 1024 * 1024


# --- the command ---------------------------------------------------------------------------


def test_serve_without_flask_says_how_to_install_it():
    code = ("import sys; sys.modules['flask'] = None\n"
            "from nutrigap.cli import main\n"
            "main(['serve', '--port', '0'])\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    assert "pip install 'nutrigap[web]'" in result.stderr


def test_serve_says_when_the_port_is_taken():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = f"from nutrigap.cli import main\nmain(['serve', '--port', '{port}'])\n"
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                                text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith(f"Error: cannot listen on 127.0.0.1 port {port} (")
    assert "choose another --port" in result.stderr


def test_serve_refuses_a_food_database_that_is_not_there(tmp_path):
    code = ("from nutrigap.cli import main\n"
            "main(['serve', '--port', '0', '--foods', 'nowhere.sqlite'])\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert result.stderr.startswith("Error: ")
    assert "nowhere.sqlite" in result.stderr


def test_an_age_with_a_decimal_comma_is_read_as_a_decimal():
    from werkzeug.datastructures import FileStorage, ImmutableMultiDict, MultiDict

    from nutrigap.web.forms import read_analysis_form

    files = MultiDict({"log": FileStorage(io.BytesIO(b"date,meal,food,amount,unit\n"),
                                          filename="log.csv")})
    form = read_analysis_form(ImmutableMultiDict({**PROFILE, "age": "1,5"}), files)
    assert form.errors == {} and form.profile.age == 1.5
    assert form.values["age"] == "1,5"  # shown again as typed
    bad = read_analysis_form(ImmutableMultiDict({**PROFILE, "age": "1,5,2"}), files)
    assert "profile" in bad.errors


def test_a_weight_sets_a_childs_caffeine_limit_and_a_bad_one_is_refused():
    from werkzeug.datastructures import FileStorage, ImmutableMultiDict, MultiDict

    from nutrigap.web.forms import read_analysis_form

    files = MultiDict({"log": FileStorage(io.BytesIO(b"date,meal,food,amount,unit\n"),
                                          filename="log.csv")})
    child = {**PROFILE, "age": "12"}
    form = read_analysis_form(ImmutableMultiDict({**child, "weight_kg": "38,5"}), files)
    assert form.errors == {} and form.profile.weight_kg == 38.5
    assert read_analysis_form(ImmutableMultiDict(child), files).profile.weight_kg is None
    bad = read_analysis_form(ImmutableMultiDict({**child, "weight_kg": "3850"}), files)
    assert "not a plausible body weight" in bad.errors["profile"]
    assert bad.values["weight_kg"] == "3850"  # shown again as typed


def test_the_report_of_an_upload_has_the_triggers_section(client):
    response = post_log(client, SMALL_LOG, output="html", weight_kg="61")
    assert response.status_code == 200, text_of(response)
    page = text_of(response)
    assert "Other things in your diet linked with twitching" in page
    assert "Female, 34 years, 61 kg" in page
