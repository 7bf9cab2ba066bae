"""Fetch FoodData Central's public CSV downloads (the zips USDA publishes, listed in
data/fdc_downloads.csv) into the download cache, and import them.

A download that breaks off is kept as `<file>.part` and continued with an HTTP Range request,
in the same run or the next. A finished file is checked before it is used: its size against
the Content-Length USDA sent, its SHA-256 where the table pins one, and every member of the
zip against its own CRC. The food database changes only after every source asked for was
fetched and read.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
import urllib3

from nutrigap.analyzer.errors import FoodDownloadError
from nutrigap.analyzer.rule_specs import Table, number, text
from nutrigap.analyzer.rule_tables import rule_table
from nutrigap.folders import cache_dir
from nutrigap.foods.importer import SourceRead, read_source, save_sources

# One row per download, fetched in the table's order: its name on the command line,
# FoodData Central's data type, a title, USDA's address, the size in bytes USDA served, the
# SHA-256 where pinned (empty where USDA has replaced the file under the same name), and what
# it holds.
DOWNLOADS = Table("fdc_downloads.csv", (
    text("name"), text("data_type"), text("title"), text("url"), number("bytes"),
    text("sha256", required=False), text("holds")),
    ordered=True, unique=("name",), package="nutrigap.foods")
BASE_ENV = "NUTRIGAP_FDC_DOWNLOADS"
DOWNLOAD_PAGE = "https://fdc.nal.usda.gov/download-datasets"
_CHUNK = 1 << 16
_CONTENT_RANGE = re.compile(r"bytes\s+(?:(\d+)-\d+|\*)/(\d+|\*)")


@dataclass(frozen=True)
class Source:
    """One FoodData Central download: a row of data/fdc_downloads.csv."""

    name: str  # what the command line calls it: sr-legacy, survey, foundation
    data_type: str  # FoodData Central's name for the kind of data
    title: str
    url: str
    bytes: int  # the size USDA served when the table was written
    sha256: str  # "" where not pinned: USDA has republished that file under the same name
    holds: str

    @property
    def file(self) -> str:
        """The zip's file name, as USDA names it."""
        return self.url.rsplit("/", 1)[-1]

    def url_from(self, base: str | None) -> str:
        """The file's address at `base` (a mirror, a local server), or USDA's own."""
        return f"{base.rstrip('/')}/{self.file}" if base else self.url


def load_sources() -> list[Source]:
    """The downloads nutrigap knows, in the order they are fetched."""
    return [Source(r.name, r.data_type, r.title, r.url, int(r.bytes), r.sha256.lower(), r.holds)
            for r in rule_table(DOWNLOADS).itertuples()]


def choose(sources: Sequence[Source], names: Sequence[str]) -> list[Source]:
    """The sources named (all of them when none is), each once, in the table's order."""
    if not names:
        return list(sources)
    known = {s.name: s for s in sources}
    unknown = [n for n in names if n.lower() not in known]
    if unknown:
        raise FoodDownloadError(f"no download is called {', '.join(unknown)}; choose from "
                                f"{', '.join(known)}")
    wanted = {n.lower() for n in names}
    return [s for s in sources if s.name in wanted]


def default_cache_dir() -> Path:
    """Where downloaded zips are kept: in the user's cache folder."""
    return cache_dir() / "downloads"


def help_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """The sources and the folders in use, as `foods download --help` lists them."""
    from nutrigap.foods.store import ENV_VAR, resolve_db_path

    known = load_sources()
    sources = [(s.name, f"{s.title}, {megabytes(s.bytes)}: {s.holds}. File {s.file}"
                + ("" if s.sha256 else "; no checksum is pinned, as USDA has replaced this "
                   "file under the same name before, so its size and zip are checked"))
               for s in known]
    folders = ", ".join(dict.fromkeys(s.url.rsplit("/", 1)[0] for s in known))
    where = [("from", f"{folders} (or --base-url, or ${BASE_ENV})"),
             ("food database", f"{resolve_db_path()} (or --foods, or ${ENV_VAR})"),
             ("downloads", f"{default_cache_dir()} (the zips, kept so that a later run need "
                           "not fetch them again; safe to delete)")]
    return [("Sources", sources), ("Where the data comes from and goes", where)]


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


class Downloader:
    """Fetches sources into `cache_dir`; `progress` draws a bar, `echo` says what happens."""

    def __init__(self, cache_dir: Path | None = None, base_url: str | None = None, *,
                 session: requests.Session | None = None, progress: bool = False,
                 echo: Callable[[str], None] = print, retries: int = 3,
                 sleep: Callable[[float], None] = time.sleep, timeout: float = 30):
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self.base_url = base_url or os.environ.get(BASE_ENV) or None
        self.session = session or requests.Session()
        self.progress = progress
        self.echo = echo
        self.retries = retries
        self.sleep = sleep
        self.timeout = timeout

    def fetch(self, source: Source) -> Path:
        """The source's zip, complete and checked, from the cache or downloaded now."""
        final = self.cache_dir / source.file
        if final.exists():
            try:
                self._check(source, final)
                self.echo(f"{source.title}: using {final}, downloaded before")
                return final
            except FoodDownloadError:
                self.echo(f"{final} fails its check; downloading it again")
                final.unlink()
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FoodDownloadError(f"cannot create the download folder {self.cache_dir} "
                                    f"({exc.strerror})") from None
        part = final.with_name(final.name + ".part")
        self._download(source, part)
        try:
            self._check(source, part)
        except FoodDownloadError:
            part.unlink()  # a complete file that is wrong cannot be continued
            raise
        os.replace(part, final)
        return final

    def _download(self, source: Source, part: Path) -> None:
        url = source.url_from(self.base_url)
        broken = 0
        while True:
            have = part.stat().st_size if part.exists() else 0
            headers = {"Range": f"bytes={have}-"} if have else {}
            try:
                response = self.session.get(url, headers=headers, stream=True,
                                            timeout=self.timeout)
            except requests.RequestException as exc:
                kept = (f"; what arrived is kept in {part}, so running the command again "
                        "continues from there") if have else ""
                raise FoodDownloadError(_unreachable(source, url, exc, kept)) from None
            with response:
                total = self._start(source, url, response, part, have)
                if total is not None and total == have and response.status_code == 416:
                    return  # the part already holds the whole file
                if response.status_code == 200:
                    have = 0
                if have == 0:
                    self.echo(f"Downloading {source.title}"
                              + (f" ({megabytes(total)})" if total else "") + f" from {url}")
                else:
                    self.echo(f"Continuing {source.title} from {megabytes(have)}"
                              + (f" of {megabytes(total)}" if total else ""))
                try:
                    self._write(source, response, part, have, total)
                except _BrokenOff as exc:
                    broken += 1
                    got = part.stat().st_size if part.exists() else 0
                    if broken > self.retries:
                        raise FoodDownloadError(
                            f"the download of {source.title} broke off at {megabytes(got)}"
                            + (f" of {megabytes(total)}" if total else "")
                            + f" ({_reason(exc.cause)}); what arrived is kept in {part}, so "
                            "running the command again continues from there; "
                            + _manual(source)) from None
                    self.echo(f"The connection broke off at {megabytes(got)}; continuing")
                    self.sleep(min(2.0 ** broken, 30))
                    continue
            size = part.stat().st_size
            if total is not None and size > total:
                part.unlink()
                raise FoodDownloadError(
                    f"{url} sent {size:,} bytes where it announced {total:,}; the file was "
                    "deleted, run the command again; " + _manual(source))
            return

    def _start(self, source: Source, url: str, response: requests.Response, part: Path,
               have: int) -> int | None:
        """Check the answer before its body is read; the file's whole size when known."""
        status = response.status_code
        if status == 416 and have:
            total = _range_total(response.headers.get("Content-Range", ""))
            if total == have:
                return total
            part.unlink()  # the part is longer than the file: start again
            raise FoodDownloadError(f"{part} did not belong to {url} and was deleted; run "
                                    "the command again")
        if status == 404:
            raise FoodDownloadError(
                f"{url} answered 404 Not Found: FoodData Central has moved or renamed "
                f"{source.title} (it names its downloads after each release); "
                + _manual(source, moved=True))
        if status not in (200, 206):
            raise FoodDownloadError(
                f"{url} answered {status} {response.reason or ''}".rstrip()
                + "; try again later, or " + _manual(source))
        if status == 206:
            start, total = _content_range(response.headers.get("Content-Range", ""))
            if start != have:
                part.unlink()
                raise FoodDownloadError(f"{url} sent another part of the file than the one "
                                        "asked for; the partial file was deleted, run the "
                                        "command again")
        else:
            length = response.headers.get("Content-Length", "")
            total = int(length) if length.isdigit() else None
        if total is not None and source.sha256 and total != source.bytes:
            raise FoodDownloadError(
                f"{url} is {total:,} bytes where the file nutrigap knows is "
                f"{source.bytes:,}: USDA has republished it, so it is not used; "
                + _manual(source))
        return total

    def _write(self, source: Source, response: requests.Response, part: Path, have: int,
               total: int | None) -> None:
        from tqdm import tqdm

        mode = "ab" if have and response.status_code == 206 else "wb"
        with open(part, mode) as fp, tqdm(total=total, initial=have if mode == "ab" else 0,
                                          unit="B", unit_scale=True, unit_divisor=1024,
                                          desc=source.name, file=sys.stderr,
                                          disable=not self.progress) as bar:
            while True:
                # read1 hands over what has arrived: a connection that breaks mid-chunk
                # loses nothing already received, so the next request continues after it.
                try:
                    chunk = response.raw.read1(_CHUNK, decode_content=True)
                except (urllib3.exceptions.HTTPError, requests.RequestException,
                        OSError) as exc:
                    raise _BrokenOff(exc) from None
                if not chunk:
                    break
                fp.write(chunk)
                bar.update(len(chunk))
        if total is not None and part.stat().st_size < total:
            # closed early without an error: as good as broken, and continued the same way
            raise _BrokenOff(ConnectionError("the connection was closed before the end of "
                                             "the file"))

    def _check(self, source: Source, path: Path) -> None:
        """The file is the one the table pins (where it pins one) and a sound zip."""
        if source.sha256:
            digest = hashlib.sha256()
            with open(path, "rb") as fp:
                for block in iter(lambda: fp.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != source.sha256:
                raise FoodDownloadError(
                    f"the downloaded {source.file} is not the file nutrigap knows (its SHA-256 "
                    f"is {digest.hexdigest()}, not {source.sha256}); it was deleted; "
                    + _manual(source))
        try:
            with zipfile.ZipFile(path) as archive:
                bad = archive.testzip()
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            bad = f"not a zip: {exc}"
        if bad:
            raise FoodDownloadError(
                f"the downloaded {source.file} is damaged ({bad} fails its check); it was "
                "deleted, run the command again, or " + _manual(source))


class _BrokenOff(Exception):
    """The connection broke while the body was arriving."""

    def __init__(self, cause: Exception):
        super().__init__(str(cause))
        self.cause = cause


@dataclass(frozen=True)
class DownloadResult:
    """What was imported from where, for the terminal."""

    reads: list[tuple[Source, SourceRead]]
    db_path: Path
    foods_in_db: int
    seconds: float

    def describe(self) -> list[str]:
        """One line per source, then where the foods went."""
        lines = []
        for source, read in self.reads:
            line = (f"{source.title}: {len(read.table):,} foods ({read.nutrient_values:,} "
                    f"nutrient values, {len(read.table.portions):,} portions)")
            if read.notes:
                line += "; left out: " + "; ".join(read.notes)
            lines.append(line + ".")
        lines.append(f"Saved to {self.db_path} in {self.seconds:.1f} s; the database now "
                     f"holds {self.foods_in_db:,} foods.")
        return lines


def download_foods(sources: Sequence[Source], db_path: Path,
                   downloader: Downloader) -> DownloadResult:
    """Fetch every source, read them all, then add their foods to the database in one write;
    on any error the database is left as it was."""
    started = time.perf_counter()
    reads = []
    for source in sources:
        path = downloader.fetch(source)
        downloader.echo(f"Reading {source.title}")
        reads.append((source, read_source(path)))
    in_db = save_sources([read for _, read in reads], db_path)
    return DownloadResult(reads, Path(db_path), in_db, time.perf_counter() - started)


def _manual(source: Source, moved: bool = False) -> str:
    where = (f"find the newest {source.data_type} CSV download on {DOWNLOAD_PAGE}"
             if moved else f"download {source.file} from {DOWNLOAD_PAGE}")
    return f"to do it by hand, {where} and run `nutrigap foods import PATH-TO-THE-ZIP`"


def _unreachable(source: Source, url: str, exc: Exception, kept: str) -> str:
    host = urlsplit(url).netloc or url
    return (f"cannot reach {host} to download {source.title} ({_reason(exc)}){kept}; check "
            f"the internet connection and try again, or {_manual(source)}")


def _reason(exc: Exception) -> str:
    """What went wrong in a few words, from requests' long nested messages."""
    if isinstance(exc, requests.Timeout):
        return "no answer in time"
    text = str(exc)
    errno = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if errno:
        return errno.group(1).strip().rstrip(".")
    if "IncompleteRead" in text or "Connection broken" in text:
        return "the connection was closed before the end of the file"
    return _first_line(exc)[:200]


def _content_range(value: str) -> tuple[int | None, int | None]:
    match = _CONTENT_RANGE.fullmatch(value.strip())
    if not match:
        return None, None
    start, total = match.groups()
    return (int(start) if start else None), (int(total) if total != "*" else None)


def _range_total(value: str) -> int | None:
    return _content_range(value)[1]


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
