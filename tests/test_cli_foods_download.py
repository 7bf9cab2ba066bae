"""`nutrigap foods download` from the command line, and every way of using the foods it
imported into the user's database: `foods search`, `analyze`, `batch` and the upload page."""

from __future__ import annotations

import hashlib
import io
import json
from html import unescape

import pytest
from click.testing import CliRunner
from fdc_fixtures.api_server import no_proxy_for_the_local_server  # noqa: F401 (autouse)
from fdc_fixtures.csv_download import fndds_tables, foundation_tables, sr_legacy_tables
from fdc_fixtures.download_server import FakeDownloads, closed_port
from fdc_fixtures.zips import pack

from nutrigap.cli import main
from nutrigap.foods import fdc_download
from nutrigap.foods.fdc_download import Source, default_cache_dir
from nutrigap.foods.store import default_db_path, load_table

FILES = {"sr-legacy": ("FoodData_Central_sr_legacy_food_csv_2018-04.zip", sr_legacy_tables),
         "survey": ("FoodData_Central_survey_food_csv_2024-10-31.zip", fndds_tables),
         "foundation": ("FoodData_Central_foundation_food_csv_2026-04-30.zip",
                        foundation_tables)}
CURRY_LOG = ("date,meal,food,amount,unit\n"
             "2024-05-06,dinner,Beef curry,1,cup\n"
             "2024-05-07,dinner,Beef curry,0.5,cup\n")


@pytest.fixture(scope="module")
def zips(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("zips")
    return {file: pack(tables(), folder / file).read_bytes() for file, tables in FILES.values()}


@pytest.fixture
def server(zips, monkeypatch):
    """The stand-in download folder, named by $NUTRIGAP_FDC_DOWNLOADS, and a sources table
    pinning its zips' sizes and checksums."""
    fake = FakeDownloads(zips)
    sources = [Source(name, name, f"{name} zip", f"https://fdc.nal.usda.gov/fdc-datasets/{f}",
                      len(zips[f]), hashlib.sha256(zips[f]).hexdigest(), "foods")
               for name, (f, _) in FILES.items()]
    monkeypatch.setattr(fdc_download, "load_sources", lambda: sources)
    monkeypatch.setenv("NUTRIGAP_FDC_DOWNLOADS", fake.url)
    yield fake
    fake.close()


@pytest.fixture
def user_paths(user_folders):
    """The user's own food database and download folder, empty (conftest's user_folders)."""
    return default_db_path(), default_cache_dir()


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def test_help_lists_the_sources_their_sizes_and_where_the_data_goes(user_paths):
    db, cache = user_paths
    result = run("foods", "download", "--help")
    assert result.exit_code == 0

    def shown(text: str) -> bool:  # the help wraps lines, also inside long paths
        return "".join(text.split()) in "".join(result.output.split())

    for source in fdc_download.load_sources():
        assert shown(f"{source.name} {source.title}, {source.bytes / 1e6:.1f} MB: ")
        assert shown(source.file)
    assert shown("SR Legacy (April 2018), 6.1 MB")
    assert shown("from https://fdc.nal.usda.gov/fdc-datasets (or --base-url, or "
                 "$NUTRIGAP_FDC_DOWNLOADS)")
    assert shown(f"food database {db} (or --foods, or $NUTRIGAP_FOODS)")
    assert shown(f"downloads {cache} (the zips")


def test_download_then_search_and_analyze_use_the_downloaded_foods(server, user_paths,
                                                                  tmp_path):
    db, cache = user_paths
    result = run("foods", "download")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        "sr-legacy zip: 4 foods (32 nutrient values, 11 portions).",
        "survey zip: 3 foods (21 nutrient values, 7 portions); left out: 3 \"Quantity not "
        "specified\" portions.",
        "foundation zip: 2 foods (11 nutrient values, 5 portions)."]
    assert result.stdout.splitlines()[3].startswith(f"Saved to {db} in ")
    assert f"Downloading survey zip (0.0 MB) from {server.url}/{FILES['survey'][0]}" \
           in result.stderr  # no terminal here: lines, not a bar
    assert "100%" not in result.stderr
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        f for f, _ in FILES.values())
    assert len(load_table(db)) == 9

    search = run("foods", "search", "beef curry")
    assert search.exit_code == 0, search.output
    assert search.output.splitlines()[0].startswith("fndds:27116100 Beef curry  (match 100)")

    log = tmp_path / "curry.csv"
    log.write_text(CURRY_LOG)
    report = tmp_path / "curry.json"
    analyzed = run("analyze", log, "--age", 40, "--sex", "male", "-o", tmp_path / "curry.pdf",
                   "--json", report)
    assert analyzed.exit_code == 0, analyzed.output
    data = json.loads(report.read_text())
    assert [(m["name"], m["food_id"]) for m in data["matches"]] == [
        ("Beef curry", "fndds:27116100")]
    # a cup of curry is FNDDS's 240 g at 17 mg magnesium per 100 g
    assert [d["magnesium_mg"] for d in data["days"]] == pytest.approx([40.8, 20.4])
    assert any("FoodData Central" in s["title"] for s in data["sources"])


def test_batch_uses_the_downloaded_foods(server, user_paths, tmp_path):
    assert run("foods", "download", "survey").exit_code == 0
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "ann.csv").write_text(CURRY_LOG)
    clients = tmp_path / "clients.csv"
    clients.write_text("client,age,sex\nann,40,f\n")
    out = tmp_path / "out"
    result = run("batch", logs, "--clients", clients, "-o", out, "--format", "json",
                 "--workers", 1)
    assert result.exit_code == 0, result.output
    report = json.loads(next(out.glob("ann*.json")).read_text())
    assert [m["food_id"] for m in report["matches"]] == ["fndds:27116100"]
    assert report["days"][0]["magnesium_mg"] == pytest.approx(40.8)


def test_the_upload_page_uses_the_downloaded_foods(server, user_paths):
    pytest.importorskip("flask")
    from nutrigap.web import create_app

    assert run("foods", "download", "survey").exit_code == 0
    app = create_app({"TESTING": True, "WORKERS": 1})
    try:
        response = app.test_client().post("/analyze", content_type="multipart/form-data", data={
            "age": "40", "sex": "male", "stage": "", "paper": "a4", "output": "html",
            "log": (io.BytesIO(CURRY_LOG.encode()), "curry.csv")})
    finally:
        app.extensions["nutrigap_pool"].close()
    assert response.status_code == 200
    html = unescape(response.get_data(as_text=True))
    assert "Beef curry · fndds:27116100" in html  # the match table
    assert "Nutrients of foods added from FoodData Central." in html


def test_offline_is_one_message_with_the_manual_route(server, user_paths, monkeypatch):
    port = closed_port()
    monkeypatch.setenv("NUTRIGAP_FDC_DOWNLOADS", f"http://127.0.0.1:{port}/fdc-datasets")
    result = run("foods", "download", "survey")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot reach 127.0.0.1:{port} to download survey "
                                    "zip (Connection refused)")
    assert result.stderr.rstrip().endswith("and run `nutrigap foods import PATH-TO-THE-ZIP`")
    assert not user_paths[0].exists()


def test_the_base_url_option_wins_over_the_environment(server, user_paths, monkeypatch):
    monkeypatch.setenv("NUTRIGAP_FDC_DOWNLOADS", f"http://127.0.0.1:{closed_port()}/nowhere")
    result = run("foods", "download", "foundation", "--base-url", server.url)
    assert result.exit_code == 0, result.output
    assert [name for name, _ in server.requests] == [FILES["foundation"][0]]


def test_an_unknown_source_is_named(server, user_paths):
    result = run("foods", "download", "branded")
    assert result.exit_code == 2
    assert result.stderr == ("Error: no download is called branded; choose from sr-legacy, "
                             "survey, foundation\n")


def test_an_explicit_foods_file_gets_the_foods(server, user_paths, tmp_path):
    db = tmp_path / "elsewhere.sqlite"
    assert run("foods", "download", "survey", "--foods", db).exit_code == 0
    assert "fndds:27116100" in load_table(db).foods.index
    assert not user_paths[0].exists()  # the user's own database is not touched
