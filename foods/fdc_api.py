"""A client for the FoodData Central API: search, one food by id, several foods by id.

Answers are cached on disk, so fetching the same food again sends no request.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import requests

from nutrigap.analyzer.errors import FoodApiError
from nutrigap.analyzer.food_table import FoodTable
from nutrigap.atomic import write_atomic
from nutrigap.folders import cache_dir
from nutrigap.foods.fdc_branded import read_branded
from nutrigap.foods.fdc_common import (
    BRANDED,
    DATA_TYPES,
    build_table,
    nutrient_values,
    unexpected_unit,
)

DEFAULT_URL = "https://api.nal.usda.gov/fdc"
DEMO_KEY = "DEMO_KEY"
KEY_SIGNUP = "https://fdc.nal.usda.gov/api-key-signup"
#: Search these by default: generic foods with portions, not brand-name products.
GENERIC_DATA_TYPES = ("Foundation", "SR Legacy", "Survey (FNDDS)")
#: Search these for brand-name products: the label values of packaged foods.
BRANDED_DATA_TYPES = ("Branded",)
DEMO_KEY_WARNING = (f"FDC_API_KEY is not set, so requests use {DEMO_KEY}, which FoodData "
                    "Central allows only about 30 requests an hour and 50 a day; get a free "
                    f"key at {KEY_SIGNUP} and set FDC_API_KEY")
_MAX_WAIT = 60.0  # longer waits asked for by Retry-After end the fetch instead
_IDS_PER_REQUEST = 20  # the most POST /v1/foods takes at once
_OFFLINE_HINT = "check your connection or use `nutrigap foods import` with a downloaded file"


def default_cache_dir() -> Path:
    """The user's cache folder for FoodData Central answers."""
    return cache_dir() / "fdc"


class FdcClient:
    """Talks to FoodData Central; `warning` says when the shared demo key is in use."""

    def __init__(self, api_key: str | None = None, base_url: str = DEFAULT_URL,
                 cache_dir: Path | None = None, timeout: float = 10, retries: int = 3,
                 session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep, backoff: float = 1.0,
                 max_age_days: float = 30):
        key = api_key or os.environ.get("FDC_API_KEY", "").strip()
        self.api_key = key or DEMO_KEY
        self.warning = None if key else DEMO_KEY_WARNING
        self.base_url = base_url.rstrip("/")
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self.timeout = timeout
        self.retries = retries
        self.session = session or requests.Session()
        self.sleep = sleep
        self.backoff = backoff
        self.max_age = max_age_days * 86400
        #: what the answers held that could not be used, or only in part, one sentence each
        self.notes: list[str] = []

    def search(self, query: str, page_size: int = 25,
               data_types: Iterable[str] | None = GENERIC_DATA_TYPES,
               portions: bool = False) -> FoodTable:
        """Foods matching `query`, best first, with their nutrients; search results carry no
        household portions, so `portions=True` fetches the full records too."""
        params: dict[str, object] = {"query": query, "pageSize": page_size}
        if data_types:
            params["dataType"] = ",".join(data_types)
        answer = self._get_json("GET", "/v1/foods/search", params=params)
        hits = _shaped(answer, dict).get("foods") or []
        if portions and hits:
            ids = [hit["fdcId"] for hit in hits
                   if isinstance(hit, dict) and hit.get("fdcId") is not None]
            full = {item.get("fdcId"): item for item in self._items(ids)
                    if isinstance(item, dict)}
            # The full record, where FoodData Central has one, in the search's order.
            hits = [full.get(hit.get("fdcId"), hit) if isinstance(hit, dict) else hit
                    for hit in hits]
        return table_from_items(hits, self.notes)

    def food(self, fdc_id: int) -> FoodTable:
        """One food by its FDC id, with nutrients and portions."""
        answer = self._get_json("GET", f"/v1/food/{int(fdc_id)}",
                                not_found=f"FoodData Central has no food with id {fdc_id}; "
                                          "check the number (it ends the food's page address "
                                          "on fdc.nal.usda.gov)")
        return table_from_items([_shaped(answer, dict)], self.notes)

    def foods(self, fdc_ids: Iterable[int]) -> FoodTable:
        """Several foods by FDC id, with nutrients and portions; ids FDC does not know are
        simply absent from the table."""
        return table_from_items(self._items(fdc_ids), self.notes)

    def _items(self, fdc_ids: Iterable[int]) -> list:
        ids = [int(i) for i in fdc_ids]
        items: list = []
        for start in range(0, len(ids), _IDS_PER_REQUEST):
            body = {"fdcIds": ids[start:start + _IDS_PER_REQUEST], "format": "full"}
            items += _shaped(self._get_json("POST", "/v1/foods", body=body), list)
        return items

    # --- requests ---------------------------------------------------------------------------

    def _get_json(self, method: str, path: str, params: dict | None = None,
                  body: dict | None = None, not_found: str | None = None):
        url = self.base_url + path
        cache_file = self.cache_dir / f"{_cache_key(method, url, params, body)}.json"
        cached = self._cached(cache_file)
        if cached is not None:
            return cached
        answer = self._request(method, url, params or {}, body, not_found)
        self._store(cache_file, answer)
        return answer

    def _request(self, method: str, url: str, params: dict, body: dict | None,
                 not_found: str | None):
        params = {**params, "api_key": self.api_key}
        for attempt in range(1, self.retries + 2):
            try:
                response = self.session.request(method, url, params=params, json=body,
                                                timeout=self.timeout)
            except requests.Timeout:
                # Caught before ConnectionError: a connect timeout is both, and worth retrying.
                status, wait = None, None
            except requests.ConnectionError:
                raise FoodApiError(f"could not reach FoodData Central at {self.base_url}; "
                                   f"{_OFFLINE_HINT}") from None
            else:
                status = response.status_code
                if status == 200:
                    return _json(response, url)
                if status != 429 and status < 500:
                    raise self._refusal(response, not_found)
                wait = _retry_after(response.headers.get("Retry-After"))
            delay = wait if wait is not None else self.backoff * 2 ** (attempt - 1)
            if attempt > self.retries or delay > _MAX_WAIT:
                break
            self.sleep(delay)
        if status == 429:
            asked = f"; it asks to wait {delay:g} s" if wait else ""
            raise FoodApiError(f"FoodData Central's rate limit reached{asked}; set FDC_API_KEY "
                               f"to your own key (free at {KEY_SIGNUP}) or try again later")
        what = f"answered HTTP {status}" if status else f"did not answer within {self.timeout:g} s"
        raise FoodApiError(f"FoodData Central at {self.base_url} {what} ({attempt} attempts); "
                           "try again later or use `nutrigap foods import` with a downloaded "
                           "file")

    @staticmethod
    def _refusal(response: requests.Response, not_found: str | None) -> FoodApiError:
        """The error for an answer that retrying will not change."""
        status = response.status_code
        code, message = _error_detail(response)
        if status in (401, 403):
            return FoodApiError(f"FoodData Central refused the API key ({code or status}); "
                                f"set FDC_API_KEY to a valid key (free at {KEY_SIGNUP})")
        if status == 404 and not_found:
            return FoodApiError(not_found)
        return FoodApiError(f"FoodData Central turned the request down (HTTP {status}"
                            f"{': ' + message if message else ''})")

    # --- cache ------------------------------------------------------------------------------

    def _cached(self, path: Path):
        try:
            if time.time() - path.stat().st_mtime > self.max_age:
                return None
            return json.loads(path.read_text(encoding="utf-8"))["answer"]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent, stale or unreadable: ask FoodData Central again

    def _store(self, path: Path, answer) -> None:
        record = {"fetched": datetime.now(UTC).isoformat(timespec="seconds"),
                  "answer": answer}
        try:
            write_atomic(path, json.dumps(record))
        except OSError:
            pass  # a cache that cannot be written costs a request next time, nothing more


def table_from_items(items: list[dict], notes: list[str] | None = None) -> FoodTable:
    """A FoodTable from FDC food items: search results, abridged or full SR Legacy,
    Foundation, Survey and Branded items. A Branded item that cannot be used is left out
    with the reason added to `notes`, as is a note on one stored without a serving."""
    foods, nutrients, portions = [], [], []
    for item in items:
        if not isinstance(item, dict) or item.get("fdcId") is None:
            raise FoodApiError("FoodData Central answered with a food that has no fdcId; "
                               "nutrigap cannot use that answer")
        fdc_id = int(item["fdcId"])
        kind = DATA_TYPES.get(item.get("dataType") or item.get("datatype") or "", "other")
        description, name = item.get("description", ""), None
        if kind == BRANDED:
            branded = read_branded(item)
            said = branded.problem or branded.note
            if said and notes is not None and said not in notes:
                notes.append(said)
            if branded.problem:
                continue
            description, name = branded.description, branded.name
            portions += [{"fdc_id": fdc_id, "seq": seq, "amount": amount, "unit_name": None,
                          "modifier": None, "portion_description": text, "gram_weight": grams}
                         for seq, (amount, text, grams) in enumerate(branded.portions, 1)]
        foods.append({
            "fdc_id": fdc_id, "kind": kind, "description": description, "name": name,
            "food_group": _group(item),
            "ndb_number": item.get("ndbNumber") if kind == "sr_legacy" else None,
        })
        for entry in item.get("foodNutrients") or []:
            row = _nutrient(fdc_id, entry)
            if row:
                nutrients.append(row)
        if kind == BRANDED:
            # After foodNutrients, so that a value given there wins over the label's.
            nutrients += [(fdc_id, nutrient, amount)
                          for nutrient, amount in branded.label_values]
        for seq, portion in enumerate(item.get("foodPortions") or [], start=1):
            unit = portion.get("measureUnit") or {}
            portions.append({
                "fdc_id": fdc_id, "seq": portion.get("sequenceNumber", seq),
                "amount": portion.get("amount"), "unit_name": unit.get("name"),
                "modifier": portion.get("modifier"),
                "portion_description": portion.get("portionDescription"),
                "gram_weight": portion.get("gramWeight"),
            })
    foods_frame = pd.DataFrame(foods, columns=["fdc_id", "kind", "description", "name",
                                               "food_group", "ndb_number"])
    values = nutrient_values(pd.DataFrame(nutrients, columns=["fdc_id", "nutrient", "amount"]))
    portion_frame = pd.DataFrame(portions, columns=["fdc_id", "seq", "amount", "unit_name",
                                                    "modifier", "portion_description",
                                                    "gram_weight"])
    return build_table(foods_frame, values, portion_frame)


def _nutrient(fdc_id: int, entry: dict) -> tuple[int, int, float] | None:
    """(fdc_id, FDC nutrient id or number, amount) from a full item's or a search result's
    nutrient entry."""
    nutrient = entry.get("nutrient") or {}
    ident = nutrient.get("id", entry.get("nutrientId"))
    if ident is None:
        ident = nutrient.get("number", entry.get("nutrientNumber", entry.get("number")))
    amount = entry.get("amount", entry.get("value"))
    try:
        ident = int(float(ident))
        amount = float(amount)
    except (TypeError, ValueError):
        return None  # an entry without a value says nothing about the amount
    unit = nutrient.get("unitName", entry.get("unitName"))
    expected = unexpected_unit(ident, unit)
    if expected:
        raise FoodApiError(f"FoodData Central gave nutrient {ident} of food {fdc_id} in "
                           f"{unit!r}, not {expected}; nutrigap cannot use that answer")
    return fdc_id, ident, amount


def _group(item: dict) -> str:
    category = item.get("foodCategory")
    if isinstance(category, dict):  # full items; search results give the name alone
        return category.get("description") or ""
    if category:
        return str(category)
    if item.get("brandedFoodCategory"):
        return str(item["brandedFoodCategory"])
    wweia = item.get("wweiaFoodCategory") or {}
    return wweia.get("wweiaFoodCategoryDescription") or ""


def _cache_key(method: str, url: str, params: dict | None, body: dict | None) -> str:
    # The key is left out: the same question asked with another key has the same answer.
    question = json.dumps([method, url, sorted((params or {}).items()), body],
                          sort_keys=True, default=str)
    return hashlib.sha256(question.encode("utf-8")).hexdigest()


def _json(response: requests.Response, url: str):
    try:
        return response.json()
    except ValueError:
        raise FoodApiError(f"FoodData Central at {url} answered with something that is not "
                           "JSON; try again later") from None


def _shaped(answer, kind: type):
    if not isinstance(answer, kind):
        raise FoodApiError("FoodData Central answered in a shape nutrigap does not know "
                           f"(expected a JSON {'object' if kind is dict else 'list'})")
    return answer


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _error_detail(response: requests.Response) -> tuple[str, str]:
    """The api.data.gov error code and message ({"error": {"code", "message"}}), if any."""
    try:
        error = response.json().get("error") or {}
        return str(error.get("code") or ""), str(error.get("message") or "")
    except (ValueError, AttributeError):
        return "", response.text.strip()[:200]
