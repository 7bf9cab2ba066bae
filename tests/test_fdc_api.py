"""The FoodData Central API client, against a local stand-in server (never the internet)."""

from __future__ import annotations

import json
import math
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from fdc_fixtures.api_server import (
    INVALID_KEY,
    FakeFdc,
    fetch_runner,
    load,
    no_proxy_for_the_local_server,  # noqa: F401 (autouse)
)

from nutrigap.analyzer.errors import FoodApiError
from nutrigap.analyzer.food_table import FOOD_COLUMNS, PORTION_COLUMNS
from nutrigap.foods.fdc_api import DEMO_KEY, FdcClient, _retry_after, table_from_items

KEY = "test-key-123"


@pytest.fixture
def fdc():
    server = FakeFdc()
    yield server
    server.close()


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(fdc, tmp_path, sleeps):
    return FdcClient(api_key=KEY, base_url=fdc.url, cache_dir=tmp_path / "cache",
                     sleep=sleeps.append)


def error_body(code, message):
    return {"error": {"code": code, "message": message}}


# --- answers -------------------------------------------------------------------------------


def test_search_sends_the_query_key_and_data_types(client, fdc):
    client.search("spinach raw", page_size=10)
    [request] = fdc.requests
    assert request["method"] == "GET" and request["path"] == "/v1/foods/search"
    assert request["query"] == {"query": "spinach raw", "pageSize": "10", "api_key": KEY,
                                "dataType": "Foundation,SR Legacy,Survey (FNDDS)"}


def test_search_results_become_foods(client):
    table = client.search("spinach raw")
    assert list(table.foods.columns) == FOOD_COLUMNS
    # SR Legacy hits are the SR28 foods; the FNDDS hit keeps its FDC id. ndbNumber comes as
    # a number or as text.
    assert list(table.foods.index) == ["sr:11457", "fdc:2710218", "sr:11458"]
    spinach = table.foods.loc["sr:11457"]
    assert (spinach["magnesium_mg"], spinach["calcium_mg"], spinach["potassium_mg"]) == (
        79, 99, 558)
    assert spinach["energy_kcal"] == 23
    assert spinach["food_group"] == "Vegetables and Vegetable Products"
    assert spinach["fdc_id"] == 168462 and spinach["ndb_no"] == "11457"
    assert table.foods.at["sr:11458", "magnesium_mg"] == 87
    assert table.foods.at["fdc:2710218", "food_group"] == "Spinach"
    assert table.foods.at["fdc:2710218", "vitamin_b12_ug"] == 0
    assert table.portions.empty  # search results carry no portions


def test_sr_legacy_food_with_portions(client, fdc):
    table = client.food(168462)
    assert fdc.requests[0]["path"] == "/v1/food/168462"
    assert list(table.foods.index) == ["sr:11457"]
    food = table.foods.loc["sr:11457"]
    assert (food["magnesium_mg"], food["calcium_mg"], food["potassium_mg"]) == (79, 99, 558)
    assert food["energy_kcal"] == 23  # the kcal entry, not the kJ one
    assert food["vitamin_d_ug"] == 0 and food["vitamin_b6_mg"] == pytest.approx(0.195)
    assert food[["water_g", "sodium_mg", "caffeine_mg", "alcohol_g"]].tolist() == [
        91.4, 79, 0, 0]
    assert "vegan" in food["tags"].split(",")
    assert list(table.portions.columns) == PORTION_COLUMNS
    assert list(zip(table.portions["amount"], table.portions["description"],
                    table.portions["grams"], strict=True)) == [
        (1.0, "cup", 30.0), (1.0, "bunch", 340.0), (1.0, "leaf", 10.0),
        (1.0, "package (10 oz)", 284.0)]


def test_foundation_food_uses_atwater_energy_and_keeps_its_fdc_id(client):
    table = client.food(747448)
    assert list(table.foods.index) == ["fdc:747448"]
    food = table.foods.loc["fdc:747448"]
    assert food["energy_kcal"] == pytest.approx(32.2)
    assert food["magnesium_mg"] == pytest.approx(12.1)
    assert math.isnan(food["vitamin_b12_ug"])  # not analysed: unknown, not zero
    assert list(zip(table.portions["amount"], table.portions["description"],
                    table.portions["grams"], strict=True)) == [
        (1.0, "cup, halves", 152.0), (1.0, "cup", 144.0), (1.0, "RACC", 140.0)]


def test_survey_food_takes_portions_from_their_description(client):
    table = client.food(337985)
    food = table.foods.loc["fdc:337985"]
    assert food["food_group"] == "Meat mixed dishes"
    assert food["vitamin_b12_ug"] == pytest.approx(0.54)
    assert math.isnan(food["water_g"]) and math.isnan(food["caffeine_mg"])  # not in the answer
    assert list(zip(table.portions["amount"], table.portions["description"],
                    table.portions["grams"], strict=True)) == [
        (1.0, "cup", 240.0), (1.0, "Quantity not specified", 240.0)]


def test_survey_item_with_the_schema_spelling_datatype():
    item = load("food_337985_survey.json")
    item["datatype"] = item.pop("dataType")
    assert list(table_from_items([item]).foods.index) == ["fdc:337985"]


def test_foods_posts_the_ids_and_leaves_out_unknown_ones(client, fdc):
    table = client.foods([168462, 747448, 1])
    [request] = fdc.requests
    assert request["method"] == "POST" and request["path"] == "/v1/foods"
    assert request["body"] == {"fdcIds": [168462, 747448, 1], "format": "full"}
    assert request["query"]["api_key"] == KEY
    assert sorted(table.foods.index) == ["fdc:747448", "sr:11457"]
    assert set(table.portions["food_id"]) == {"fdc:747448", "sr:11457"}


def test_foods_asks_twenty_ids_at_a_time(client, fdc):
    client.foods(range(1, 26))
    assert [len(r["body"]["fdcIds"]) for r in fdc.requests] == [20, 5]


def test_an_unknown_id_is_a_clear_error(client):
    with pytest.raises(FoodApiError, match="FoodData Central has no food with id 42; check "
                                           "the number"):
        client.food(42)


def test_a_nutrient_in_an_unexpected_unit_is_refused():
    item = load("food_168462_sr_legacy.json")
    entry = next(e for e in item["foodNutrients"] if e["nutrient"]["id"] == 1090)
    entry["nutrient"]["unitName"] = "g"
    with pytest.raises(FoodApiError, match="gave nutrient 1090 of food 168462 in 'g', not MG"):
        table_from_items([item])


def test_an_answer_that_is_not_json(client, fdc):
    fdc.queue.append((200, {}, b"<html>maintenance</html>"))
    with pytest.raises(FoodApiError, match="answered with something that is not JSON"):
        client.food(168462)


# --- the key -------------------------------------------------------------------------------


def test_without_a_key_demo_key_is_used_with_a_warning(fdc, tmp_path, monkeypatch):
    monkeypatch.delenv("FDC_API_KEY", raising=False)
    client = FdcClient(base_url=fdc.url, cache_dir=tmp_path)
    assert client.api_key == DEMO_KEY
    assert "DEMO_KEY" in client.warning and "set FDC_API_KEY" in client.warning
    client.food(168462)
    assert fdc.requests[0]["query"]["api_key"] == DEMO_KEY


def test_the_key_comes_from_fdc_api_key(fdc, tmp_path, monkeypatch):
    monkeypatch.setenv("FDC_API_KEY", "from-the-environment")
    client = FdcClient(base_url=fdc.url, cache_dir=tmp_path)
    assert client.warning is None
    client.food(168462)
    assert fdc.requests[0]["query"]["api_key"] == "from-the-environment"


def test_a_refused_key_is_not_retried(fdc, tmp_path, sleeps):
    client = FdcClient(api_key=INVALID_KEY, base_url=fdc.url, cache_dir=tmp_path,
                       sleep=sleeps.append)
    with pytest.raises(FoodApiError, match=r"refused the API key \(API_KEY_INVALID\); set "
                                           "FDC_API_KEY to a valid key"):
        client.search("spinach")
    assert len(fdc.requests) == 1 and sleeps == []


# --- retries -------------------------------------------------------------------------------


def test_429_then_200_waits_as_asked_and_succeeds(client, fdc, sleeps):
    fdc.queue.append((429, {"Retry-After": "3"}, error_body(
        "OVER_RATE_LIMIT", "You have exceeded your rate limit. Try again later.")))
    table = client.food(168462)
    assert list(table.foods.index) == ["sr:11457"]
    assert len(fdc.requests) == 2 and sleeps == [3.0]


def test_backoff_doubles_without_retry_after(client, fdc, sleeps):
    fdc.queue += [(429, {}, None), (503, {}, None), (502, {}, None)]
    client.food(168462)
    assert len(fdc.requests) == 4 and sleeps == [1.0, 2.0, 4.0]


def test_server_errors_until_retries_run_out(client, fdc, sleeps):
    fdc.queue += [(500, {}, None)] * 4
    with pytest.raises(FoodApiError, match=r"answered HTTP 500 \(4 attempts\); try again "
                                           "later or use `nutrigap foods import`"):
        client.search("spinach")
    assert len(fdc.requests) == 4 and sleeps == [1.0, 2.0, 4.0]


def test_rate_limit_until_retries_run_out(client, fdc):
    fdc.queue += [(429, {}, error_body("OVER_RATE_LIMIT", "Try again later."))] * 4
    with pytest.raises(FoodApiError, match="rate limit reached; set FDC_API_KEY to your own "
                                           "key"):
        client.search("spinach")
    assert len(fdc.requests) == 4


def test_a_long_retry_after_ends_the_fetch_at_once(client, fdc, sleeps):
    fdc.queue.append((429, {"Retry-After": "3600"}, None))
    with pytest.raises(FoodApiError, match="rate limit reached; it asks to wait 3600 s"):
        client.search("spinach")
    assert len(fdc.requests) == 1 and sleeps == []


def test_a_server_too_slow_to_answer(fdc, tmp_path, sleeps):
    fdc.delay = 0.5
    client = FdcClient(api_key=KEY, base_url=fdc.url, cache_dir=tmp_path, timeout=0.1,
                       retries=1, sleep=sleeps.append)
    with pytest.raises(FoodApiError, match=r"did not answer within 0.1 s \(2 attempts\)"):
        client.food(168462)
    assert sleeps == [1.0]


def test_no_server_at_all_is_the_offline_message(tmp_path, sleeps):
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/fdc"
    client = FdcClient(api_key=KEY, base_url=url, cache_dir=tmp_path, sleep=sleeps.append)
    with pytest.raises(FoodApiError) as caught:
        client.search("spinach")
    assert str(caught.value) == (
        f"could not reach FoodData Central at {url}; check your connection or use "
        "`nutrigap foods import` with a downloaded file")


@pytest.mark.parametrize("header, expected", [
    ("7", 7.0), ("0", 0.0), (None, None), ("soon", None),
])
def test_retry_after_in_seconds(header, expected):
    assert _retry_after(header) == expected


def test_retry_after_as_a_date():
    when = datetime.now(UTC) + timedelta(seconds=30)
    assert 25 <= _retry_after(format_datetime(when, usegmt=True)) <= 30


# --- the cache -----------------------------------------------------------------------------


def test_a_repeated_fetch_makes_no_request(client, fdc, tmp_path):
    first = client.search("spinach raw")
    again = client.search("spinach raw")
    assert len(fdc.requests) == 1
    assert list(again.foods.index) == list(first.foods.index)
    files = list((tmp_path / "cache").glob("*.json"))
    assert len(files) == 1 and KEY not in files[0].read_text() and KEY not in files[0].name


def test_the_cache_is_shared_across_keys_but_not_across_questions(client, fdc, tmp_path):
    client.food(168462)
    other = FdcClient(api_key="another-key", base_url=fdc.url, cache_dir=tmp_path / "cache")
    other.food(168462)
    assert len(fdc.requests) == 1
    other.food(747448)
    other.search("spinach raw", page_size=5)
    assert len(fdc.requests) == 3


def test_failures_are_not_cached(client, fdc):
    fdc.queue.append((404, {}, None))
    with pytest.raises(FoodApiError):
        client.food(168462)
    client.food(168462)
    assert len(fdc.requests) == 2


def test_a_stale_or_damaged_cache_entry_is_fetched_again(fdc, tmp_path):
    stale = FdcClient(api_key=KEY, base_url=fdc.url, cache_dir=tmp_path, max_age_days=0)
    stale.food(168462)
    stale.food(168462)
    assert len(fdc.requests) == 2
    [entry] = tmp_path.glob("*.json")
    entry.write_text('{"answer": ')
    FdcClient(api_key=KEY, base_url=fdc.url, cache_dir=tmp_path).food(168462)
    assert len(fdc.requests) == 3
    assert json.loads(entry.read_text())["answer"]["fdcId"] == 168462


# --- nutrigap foods fetch ------------------------------------------------------------------


@pytest.fixture
def run_fetch(fdc, tmp_path, monkeypatch):
    """Run `nutrigap foods fetch ...` against the stand-in server with a fresh store."""
    return fetch_runner(fdc.url, tmp_path, monkeypatch, KEY)


def stored(tmp_path):
    from nutrigap.foods.store import load_table

    return load_table(tmp_path / "foods.sqlite")


def test_fetch_by_id_prints_and_saves_the_food(run_fetch, tmp_path):
    result = run_fetch("--id", "168462")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "1 foods from FoodData Central, per 100 g:"
    assert lines[2].split() == ["sr:11457", "Spinach,", "raw", "79", "99", "558", "0.0",
                                "0.00"]
    assert lines[-1] == f"Saved to {tmp_path / 'foods.sqlite'} (1 foods there now)."
    table = stored(tmp_path)
    assert table.foods.at["sr:11457", "magnesium_mg"] == 79
    assert sorted(table.portions_of("sr:11457")["description"]) == [
        "bunch", "cup", "leaf", "package (10 oz)"]


def test_fetch_search_saves_the_hits_with_their_portions(run_fetch, fdc, tmp_path):
    result = run_fetch("spinach raw", "--limit", "5")
    assert result.exit_code == 0, result.output
    assert fdc.requests[0]["query"]["pageSize"] == "5"
    assert fdc.requests[1]["body"]["fdcIds"] == [168462, 2710218, 168463]
    printed = [line.split()[0] for line in result.stdout.splitlines()[2:5]]
    assert printed == ["sr:11457", "fdc:2710218", "sr:11458"]  # best match first
    table = stored(tmp_path)
    assert {"sr:11457", "sr:11458", "fdc:2710218"} <= set(table.foods.index)
    assert len(table.portions_of("sr:11457")) == 4


def test_fetching_again_merges_and_sends_no_request(run_fetch, fdc, tmp_path):
    assert run_fetch("--id", "168462").exit_code == 0
    assert run_fetch("--id", "168462").exit_code == 0
    assert len(fdc.requests) == 1  # the second answer came from the cache
    assert run_fetch("--id", "747448", "--id", "337985").exit_code == 0
    table = stored(tmp_path)
    assert {"sr:11457", "fdc:747448", "fdc:337985"} <= set(table.foods.index)
    assert len(table.portions_of("sr:11457")) == 4  # not doubled by the second save


def test_fetch_without_a_key_warns_about_demo_key(run_fetch, fdc, monkeypatch):
    monkeypatch.delenv("FDC_API_KEY")
    result = run_fetch("--id", "168462")
    assert result.exit_code == 0
    assert result.stderr.startswith("Warning: FDC_API_KEY is not set, so requests use "
                                    "DEMO_KEY")
    assert fdc.requests[0]["query"]["api_key"] == DEMO_KEY


def test_fetch_unknown_id_is_one_line_and_exit_2(run_fetch, tmp_path):
    result = run_fetch("--id", "42")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: FoodData Central has no food with id 42;")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "foods.sqlite").exists()


def test_fetch_offline_is_one_line_and_exit_2(run_fetch, monkeypatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/fdc"
    result = run_fetch("--id", "168462", "--api-url", url)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: could not reach FoodData Central at {url}; check your "
                             "connection or use `nutrigap foods import` with a downloaded "
                             "file\n")


def test_fetch_with_no_hits_exits_1(run_fetch, fdc, tmp_path):
    fdc.search_answer = {"totalHits": 0, "currentPage": 1, "totalPages": 0, "foods": []}
    result = run_fetch("zzqx")
    assert result.exit_code == 1
    assert 'matches "zzqx"; try fewer or other words' in result.stderr
    assert not (tmp_path / "foods.sqlite").exists()


@pytest.mark.parametrize("args", [[], ["spinach", "--id", "168462"]])
def test_fetch_needs_words_or_an_id(run_fetch, args):
    result = run_fetch(*args)
    assert result.exit_code == 2
    assert "give either words to search for or --id FDC_ID, not both" in result.output


def test_search_with_portions_fetches_the_full_records_in_search_order(client, fdc):
    table = client.search("spinach raw", portions=True)
    assert [r["method"] for r in fdc.requests] == ["GET", "POST"]
    assert fdc.requests[1]["body"]["fdcIds"] == [168462, 2710218, 168463]
    assert list(table.foods.index) == ["sr:11457", "fdc:2710218", "sr:11458"]
    assert set(table.portions["food_id"]) == {"sr:11457"}  # the others FDC did not return
    assert table.foods.at["sr:11458", "magnesium_mg"] == 87  # kept from the search result


def test_fetch_keeps_the_aliases_and_tags_a_stored_food_had(run_fetch, tmp_path):
    import pandas as pd

    from nutrigap.analyzer.food_table import FoodTable
    from nutrigap.foods.store import save_table

    before = table_from_items([load("food_168462_sr_legacy.json")])
    before.foods.loc["sr:11457", "tags"] = "fortified"
    aliases = pd.DataFrame({"alias": ["baby spinach"], "food_id": ["sr:11457"]})
    save_table(FoodTable(before.foods, before.portions, aliases), tmp_path / "foods.sqlite")
    assert run_fetch("--id", "168462").exit_code == 0
    table = stored(tmp_path)
    assert {"fortified", "vegan"} <= set(table.foods.at["sr:11457", "tags"].split(","))
    assert list(table.aliases["alias"]) == ["baby spinach"]
    assert len(table.portions_of("sr:11457")) == 4
