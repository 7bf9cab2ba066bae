"""`nutrigap foods download`: FoodData Central's CSV zips fetched from a stand-in for USDA's
download folder, resumed when the connection breaks, refused when they are not the files
expected, and imported in one write."""

from __future__ import annotations

import hashlib
import re

import pytest
from fdc_fixtures.api_server import no_proxy_for_the_local_server  # noqa: F401 (autouse)
from fdc_fixtures.csv_download import fndds_tables, foundation_tables, sr_legacy_tables
from fdc_fixtures.download_server import FakeDownloads, closed_port
from fdc_fixtures.zips import pack, spoil

from nutrigap.analyzer.errors import FoodDownloadError
from nutrigap.foods.fdc_download import (
    DOWNLOAD_PAGE,
    Downloader,
    Source,
    choose,
    download_foods,
    load_sources,
)
from nutrigap.foods.store import load_table, save_table

FILES = {"sr-legacy": "FoodData_Central_sr_legacy_food_csv_2018-04.zip",
         "survey": "FoodData_Central_survey_food_csv_2024-10-31.zip",
         "foundation": "FoodData_Central_foundation_food_csv_2026-04-30.zip"}
TABLES = {"sr-legacy": sr_legacy_tables, "survey": fndds_tables,
          "foundation": foundation_tables}


@pytest.fixture(scope="module")
def zips(tmp_path_factory) -> dict[str, bytes]:
    """Small downloads in FDC's layout, under USDA's file names: {file name: bytes}."""
    folder = tmp_path_factory.mktemp("zips")
    return {file: pack(TABLES[name](), folder / file).read_bytes()
            for name, file in FILES.items()}


@pytest.fixture(scope="module")
def sources(zips) -> list[Source]:
    """The sources table for those zips: SR Legacy and survey pinned, Foundation not."""
    return [Source(name, name, f"{name} download", f"https://fdc.nal.usda.gov/fdc-datasets/{file}",
                   len(zips[file]),
                   "" if name == "foundation" else hashlib.sha256(zips[file]).hexdigest(),
                   "foods") for name, file in FILES.items()]


@pytest.fixture
def server(zips):
    fake = FakeDownloads(zips)
    yield fake
    fake.close()


@pytest.fixture
def said() -> list[str]:
    return []


@pytest.fixture
def downloader(tmp_path, server, said) -> Downloader:
    return Downloader(tmp_path / "cache", server.url, echo=said.append, sleep=lambda s: None)


def by_name(sources, *names):
    return choose(sources, names)


@pytest.fixture
def existing_db(tmp_path):
    """A database from an earlier import, and its bytes."""
    from fdc_fixtures.csv_download import write_files

    from nutrigap.foods.fdc_csv import read_fdc_csv

    db = tmp_path / "foods.sqlite"
    save_table(read_fdc_csv(write_files(tmp_path / "earlier", foundation_tables())), db)
    return db, db.read_bytes()


# --- the sources table ----------------------------------------------------------------------


def test_the_table_lists_usda_s_three_generic_downloads():
    sources = load_sources()
    assert [s.name for s in sources] == ["sr-legacy", "survey", "foundation"]
    for source in sources:
        assert source.url.startswith("https://fdc.nal.usda.gov/fdc-datasets/")
        assert re.fullmatch(r"FoodData_Central_(sr_legacy|survey|foundation)_food_csv_"
                            r"\d{4}-\d\d(-\d\d)?\.zip", source.file)
        assert 1_000_000 < source.bytes < 20_000_000 and source.holds and source.data_type
    pinned = {s.name: s.sha256 for s in sources if s.sha256}
    assert set(pinned) == {"sr-legacy", "survey"}  # Foundation was republished in place
    assert all(re.fullmatch(r"[0-9a-f]{64}", sha) for sha in pinned.values())


def test_sources_are_chosen_by_name_in_the_table_s_order(sources):
    assert [s.name for s in choose(sources, [])] == ["sr-legacy", "survey", "foundation"]
    assert [s.name for s in choose(sources, ["foundation", "SR-LEGACY", "foundation"])] == [
        "sr-legacy", "foundation"]
    with pytest.raises(FoodDownloadError, match="no download is called fndds, branded; choose "
                                                "from sr-legacy, survey, foundation"):
        choose(sources, ["fndds", "branded"])


# --- downloading and importing ----------------------------------------------------------------


def test_every_source_is_downloaded_checked_and_imported(downloader, sources, server, tmp_path,
                                                          said, zips):
    db = tmp_path / "foods.sqlite"
    result = download_foods(sources, db, downloader)
    foods = load_table(db).foods
    assert {"sr:11457", "sr:12061", "fndds:27116100", "fndds:72125100",
            "fdc:747448"} <= set(foods.index)
    assert len(foods) == 4 + 3 + 2  # lab samples are not foods
    assert result.foods_in_db == len(foods)
    assert foods.at["fndds:27116100", "magnesium_mg"] == 17
    # without a terminal there is no bar, only lines saying what happens
    assert said == [
        f"Downloading sr-legacy download ({len(zips[FILES['sr-legacy']]) / 1e6:.1f} MB) from "
        f"{server.url}/{FILES['sr-legacy']}", "Reading sr-legacy download",
        f"Downloading survey download ({len(zips[FILES['survey']]) / 1e6:.1f} MB) from "
        f"{server.url}/{FILES['survey']}", "Reading survey download",
        f"Downloading foundation download ({len(zips[FILES['foundation']]) / 1e6:.1f} MB) "
        f"from {server.url}/{FILES['foundation']}", "Reading foundation download"]
    lines = result.describe()
    assert lines[1] == ('survey download: 3 foods (21 nutrient values, 7 portions); left out: '
                        '3 "Quantity not specified" portions.')
    assert lines[-1].startswith(f"Saved to {db} in ")
    assert lines[-1].endswith("s; the database now holds 9 foods.")
    # the zips stay in the cache, complete, for the next time
    cache = tmp_path / "cache"
    assert sorted(p.name for p in cache.iterdir()) == sorted(FILES.values())
    assert all((cache / f).read_bytes() == zips[f] for f in FILES.values())


def test_on_a_terminal_a_progress_bar_counts_the_bytes(sources, server, tmp_path, capsys,
                                                        zips):
    terminal = Downloader(tmp_path / "cache", server.url, progress=True, echo=lambda line: None)
    download_foods(by_name(sources, "survey"), tmp_path / "foods.sqlite", terminal)
    bar = capsys.readouterr().err.rstrip().rsplit("\r", 1)[-1]
    size = len(zips[FILES["survey"]])
    assert re.match(rf"survey: 100%\|[█ ]+\| {size / 1024:.2f}k/{size / 1024:.2f}k ", bar), bar


def test_a_second_run_uses_the_downloaded_zips(downloader, sources, server, tmp_path, said):
    download_foods(by_name(sources, "survey"), tmp_path / "foods.sqlite", downloader)
    server.requests.clear()
    said.clear()
    download_foods(by_name(sources, "survey"), tmp_path / "other.sqlite", downloader)
    assert server.requests == []
    assert said[0] == (f"survey download: using {tmp_path / 'cache' / FILES['survey']}, "
                       "downloaded before")
    assert "fndds:27116100" in load_table(tmp_path / "other.sqlite").foods.index


def test_a_cached_zip_that_fails_its_check_is_downloaded_again(downloader, sources, server,
                                                               tmp_path, said, zips):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / FILES["foundation"]).write_bytes(spoil_bytes(zips[FILES["foundation"]], tmp_path))
    download_foods(by_name(sources, "foundation"), tmp_path / "foods.sqlite", downloader)
    assert said[0] == f"{cache / FILES['foundation']} fails its check; downloading it again"
    assert (cache / FILES["foundation"]).read_bytes() == zips[FILES["foundation"]]


def spoil_bytes(data: bytes, tmp_path) -> bytes:
    path = tmp_path / "to-spoil.zip"
    path.write_bytes(data)
    return spoil(path)


# --- broken connections -----------------------------------------------------------------------


def test_a_connection_cut_mid_file_is_continued_where_it_stopped(downloader, sources, server,
                                                                 tmp_path, said, zips):
    file = FILES["sr-legacy"]
    half = len(zips[file]) // 2
    server.cut_after[file] = [half]
    download_foods(by_name(sources, "sr-legacy"), tmp_path / "foods.sqlite", downloader)
    assert server.requests == [(file, None), (file, f"bytes={half}-")]
    assert (tmp_path / "cache" / file).read_bytes() == zips[file]
    assert f"The connection broke off at {half / 1e6:.1f} MB; continuing" in said
    assert f"Continuing sr-legacy download from {half / 1e6:.1f} MB of " \
           f"{len(zips[file]) / 1e6:.1f} MB" in said
    assert "sr:11457" in load_table(tmp_path / "foods.sqlite").foods.index


def test_a_download_that_keeps_breaking_is_kept_for_the_next_run(sources, server, tmp_path,
                                                                 said, zips):
    file = FILES["survey"]
    server.cut_after[file] = [1000, 1000]
    impatient = Downloader(tmp_path / "cache", server.url, echo=said.append, retries=1,
                           sleep=lambda s: None)
    db = tmp_path / "foods.sqlite"
    with pytest.raises(FoodDownloadError) as failed:
        download_foods(by_name(sources, "survey"), db, impatient)
    part = tmp_path / "cache" / f"{file}.part"
    assert str(failed.value).startswith(
        f"the download of survey download broke off at 0.0 MB of "
        f"{len(zips[file]) / 1e6:.1f} MB (")
    assert f"what arrived is kept in {part}, so running the command again continues from " \
           "there; to do it by hand, download " in str(failed.value)
    assert part.stat().st_size == 2000 and not db.exists()
    # the next run asks for the rest only
    server.requests.clear()
    download_foods(by_name(sources, "survey"), db, impatient)
    assert server.requests == [(file, "bytes=2000-")]
    assert (tmp_path / "cache" / file).read_bytes() == zips[file]
    assert not part.exists()


def test_a_server_that_ignores_the_range_sends_the_whole_file_again(downloader, sources, server,
                                                                    tmp_path, zips):
    file = FILES["foundation"]
    server.cut_after[file] = [500]
    server.ignore_range = True
    download_foods(by_name(sources, "foundation"), tmp_path / "foods.sqlite", downloader)
    assert server.requests == [(file, None), (file, "bytes=500-")]
    assert (tmp_path / "cache" / file).read_bytes() == zips[file]


def test_a_part_that_already_holds_the_whole_file_is_finished_without_downloading(
        downloader, sources, server, tmp_path, zips):
    file = FILES["survey"]
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / f"{file}.part").write_bytes(zips[file])
    download_foods(by_name(sources, "survey"), tmp_path / "foods.sqlite", downloader)
    assert server.requests == [(file, f"bytes={len(zips[file])}-")]  # answered 416
    assert (tmp_path / "cache" / file).read_bytes() == zips[file]


# --- files that are not the ones expected: refused, the database unchanged ----------------------


def test_a_file_of_another_size_than_the_pinned_one_is_refused_before_downloading(
        downloader, sources, server, existing_db, said):
    db, before = existing_db
    file = FILES["sr-legacy"]
    server.files[file] += b"\0" * 10  # USDA republished it
    with pytest.raises(FoodDownloadError) as failed:
        download_foods(by_name(sources, "sr-legacy"), db, downloader)
    assert str(failed.value) == (
        f"{server.url}/{file} is {len(server.files[file]):,} bytes where the file nutrigap "
        f"knows is {len(server.files[file]) - 10:,}: USDA has republished it, so it is not "
        f"used; to do it by hand, download {file} from {DOWNLOAD_PAGE} and run `nutrigap "
        "foods import PATH-TO-THE-ZIP`")
    assert db.read_bytes() == before
    assert said == []  # nothing was downloaded


def test_a_file_whose_checksum_differs_is_refused_and_deleted(downloader, sources, server,
                                                              existing_db, tmp_path):
    db, before = existing_db
    file = FILES["survey"]
    data = bytearray(server.files[file])
    data[-30] ^= 0xFF  # same size, another file
    server.files[file] = bytes(data)
    with pytest.raises(FoodDownloadError, match=rf"the downloaded {file} is not the file "
                                                "nutrigap knows \\(its SHA-256 is [0-9a-f]{64}, "
                                                "not [0-9a-f]{64}\\); it was deleted; to do it "
                                                "by hand"):
        download_foods(by_name(sources, "survey"), db, downloader)
    assert db.read_bytes() == before
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_corrupt_zip_without_a_pinned_checksum_fails_its_crc_check(downloader, sources, server,
                                                                     existing_db, tmp_path):
    db, before = existing_db
    file = FILES["foundation"]
    server.files[file] = spoil_bytes(server.files[file], tmp_path)
    with pytest.raises(FoodDownloadError, match=rf"the downloaded {file} is damaged \(.*"
                                                r"food_nutrient.csv fails its check\); it was "
                                                "deleted, run the command again, or to do it "
                                                "by hand"):
        download_foods(by_name(sources, "foundation"), db, downloader)
    assert db.read_bytes() == before
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_page_instead_of_a_zip_is_refused(downloader, sources, server, existing_db):
    db, before = existing_db
    file = FILES["foundation"]
    server.files[file] = b"<html><body>Please verify you are a human</body></html>"
    with pytest.raises(FoodDownloadError, match=rf"the downloaded {file} is damaged \(not a "
                                                "zip: File is not a zip file fails its check"):
        download_foods(by_name(sources, "foundation"), db, downloader)
    assert db.read_bytes() == before


def test_the_database_changes_only_when_every_source_was_imported(downloader, sources, server,
                                                                  existing_db, tmp_path):
    db, before = existing_db
    server.status[FILES["foundation"]] = 503
    with pytest.raises(FoodDownloadError, match="answered 503 Service Unavailable; try again "
                                                "later, or to do it by hand, download"):
        download_foods(sources, db, downloader)
    assert db.read_bytes() == before  # SR Legacy and survey foods were read, none saved
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted(
        [FILES["sr-legacy"], FILES["survey"]])


# --- USDA moved the file, or cannot be reached ---------------------------------------------------


def test_a_moved_file_says_where_to_find_the_new_one(downloader, sources, server, existing_db):
    db, before = existing_db
    del server.files[FILES["survey"]]
    with pytest.raises(FoodDownloadError) as failed:
        download_foods(by_name(sources, "survey"), db, downloader)
    assert str(failed.value) == (
        f"{server.url}/{FILES['survey']} answered 404 Not Found: FoodData Central has moved "
        "or renamed survey download (it names its downloads after each release); to do it by "
        f"hand, find the newest survey CSV download on {DOWNLOAD_PAGE} and run `nutrigap "
        "foods import PATH-TO-THE-ZIP`")
    assert db.read_bytes() == before


def test_offline_says_so_and_gives_the_manual_route(sources, tmp_path, existing_db):
    db, before = existing_db
    port = closed_port()
    offline = Downloader(tmp_path / "cache", f"http://127.0.0.1:{port}/fdc-datasets",
                         echo=lambda line: None, sleep=lambda s: None)
    with pytest.raises(FoodDownloadError) as failed:
        download_foods(by_name(sources, "sr-legacy"), db, offline)
    assert str(failed.value) == (
        f"cannot reach 127.0.0.1:{port} to download sr-legacy download (Connection refused); "
        "check the internet connection and try again, or to do it by hand, download "
        f"{FILES['sr-legacy']} from {DOWNLOAD_PAGE} and run `nutrigap foods import "
        "PATH-TO-THE-ZIP`")
    assert db.read_bytes() == before
