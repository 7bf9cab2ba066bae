"""nutrigap's command line: thin click commands over the analyzer core.

Heavy libraries (pandas, WeasyPrint) are imported inside the commands so that
`nutrigap --help` starts fast.
"""

from __future__ import annotations

import functools
import gc
import re
import sys
from pathlib import Path

import click

from nutrigap.analyzer.limits import CLIENT_SECONDS
from nutrigap.reports import terminal

FOODS_HELP = "Food database: a SQLite file made by `nutrigap foods import` (or $NUTRIGAP_FOODS)."

# --- options shared by several commands ---------------------------------------------------

foods_option = click.option(
    "--foods", "foods_db", envvar="NUTRIGAP_FOODS", default=None,
    type=click.Path(dir_okay=False, path_type=Path), help=FOODS_HELP)

client_option = click.option(
    "--client", metavar="NAME", help="In a log with a client column holding several clients, "
                                     "read only this client's rows.")

targets_option = click.option(
    "--targets", "targets_file", type=click.File("rb"),
    help="A dietitian's targets for this client: CSV (nutrient,value) or TOML.")


def matches_option(help_text: str):
    """--matches: a food-match corrections file (CSV: name,food_id)."""
    return click.option("--matches", "matches_file", help=help_text,
                        type=click.Path(exists=True, dir_okay=False, path_type=Path))


def profile_options(func):
    """--age, --sex, --pregnant, --lactating and --weight-kg: the person whose targets
    apply."""
    for option in reversed([
        click.option("--age", type=float, required=True,
                     help="Age in years (1.5 for 18 months)."),
        click.option("--sex", help="female or male (f/m work too)."),
        click.option("--pregnant", is_flag=True,
                     help="Use the pregnancy targets (ages 14-50)."),
        click.option("--lactating", is_flag=True,
                     help="Use the lactation targets (ages 14-50)."),
        click.option("--weight-kg", type=float,
                     help="Body weight in kg: sets a child's or teenager's caffeine limit "
                          "(3 mg per kg); without it that limit cannot be judged."),
    ]):
        func = option(func)
    return func


def reports_errors(func):
    """Turn the core's own errors into one message on stderr and exit code 2, no traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from nutrigap.analyzer.errors import NutrigapError

        try:
            return func(*args, **kwargs)
        except NutrigapError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nutrigap")
def main():
    """Check a meal log against the nutrient targets that matter for muscle twitching and
    cramps (magnesium, calcium, potassium, vitamin D, B12; B6 watched for excess), and find
    foods that close the gaps.

    \b
    Example: nutrigap analyze examples/example-log.csv --age 34 --sex female
    """


@main.group()
def foods():
    """Search, match, download, import and fetch foods."""


# --- foods commands -----------------------------------------------------------------------


def database_to_write(foods_db, inputs: dict | None = None) -> Path:
    """The food database a command adds to, refused before any work when writing it would
    destroy data (atomic.check_outputs): an input of the command, a folder, a device."""
    from nutrigap.atomic import check_outputs
    from nutrigap.foods.store import resolve_db_path

    path = resolve_db_path(foods_db)
    check_outputs({"--foods": path}, inputs)
    return path


@foods.command("build")
@click.option("--sr28", "sr28_path", required=True, metavar="PATH",
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder with the USDA SR28 ASCII files (FOOD_DES.txt, NUT_DATA.txt, ...).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write foods.csv, portions.csv and aliases.csv "
                   "(default: the package's foods/data).")
@reports_errors
def foods_build(sr28_path, out):
    """Rebuild the built-in food table from SR28 and foods/data/curated.csv.

    \b
    Example: nutrigap foods build --sr28 ../shared/data/usda-sr28
    """
    from nutrigap.foods.build_table import DATA_DIR, build

    out = out or DATA_DIR
    table = build(sr28_path, out)
    click.echo(f"{len(table.foods)} foods, {len(table.portions)} portions and "
               f"{len(table.aliases)} aliases written to {out}")


@foods.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@foods_option
@reports_errors
def foods_import(path, foods_db):
    """Add the foods of a USDA download to the local food database.

    PATH is the unpacked SR28 ASCII release (the folder with FOOD_DES.txt), a FoodData
    Central CSV download (SR Legacy, Foundation or FNDDS: the zip USDA ships, or the folder
    with food.csv unpacked from it), or USDA's FNDDS "At A Glance" tables saved as CSV (the
    folder with the Nutrient Values, Foods and Beverages, and Portions and Weights files).
    Imports add up: FNDDS on top of SR28 gives both. Importing the same files again changes
    nothing; a failed import leaves the database as it was.

    \b
    Example: nutrigap foods import ../shared/data/usda-sr28 --foods ~/foods.sqlite
    """
    from nutrigap.foods.importer import import_foods

    click.echo(import_foods(path, database_to_write(foods_db, {"PATH": path})).describe())


class _DownloadHelp(click.Command):
    """`foods download --help` lists the downloads and the folders in use, read from the
    sources table only when the help is shown."""

    def format_help_text(self, ctx, formatter):
        super().format_help_text(ctx, formatter)
        from nutrigap.foods.fdc_download import help_sections

        for title, rows in help_sections():
            with formatter.section(title):
                formatter.write_dl(rows)


@foods.command("download", cls=_DownloadHelp)
@click.argument("names", nargs=-1, metavar="[SOURCE]...")
@foods_option
@click.option("--base-url", envvar="NUTRIGAP_FDC_DOWNLOADS", default=None, metavar="URL",
              help="Fetch the zips from this folder instead of USDA's (a mirror or a copy; "
                   "or $NUTRIGAP_FDC_DOWNLOADS); default https://fdc.nal.usda.gov/fdc-datasets.")
@reports_errors
def foods_download(names, foods_db, base_url):
    """Download USDA FoodData Central's food tables and add them to the food database.

    Fetches the CSV downloads named (all three when none is) from USDA, checks each one and
    imports their foods in one go: survey foods as FNDDS names them, with household
    portions. A download that breaks off continues where it stopped when the command is run
    again. A file that is not the one expected is refused, and the database changes only
    when every download was imported. Without a connection, download the zips yourself and
    run `nutrigap foods import PATH` on each.

    \b
    Examples: nutrigap foods download
              nutrigap foods download survey --foods clinic.sqlite
    """
    from nutrigap.foods.fdc_download import Downloader, choose, download_foods, load_sources

    chosen = choose(load_sources(), names)
    database = database_to_write(foods_db)
    downloader = Downloader(base_url=base_url, progress=sys.stderr.isatty(),
                            echo=lambda line: click.echo(line, err=True))
    result = download_foods(chosen, database, downloader)
    for line in result.describe():
        click.echo(line)


@foods.command("fetch")
@click.argument("query", required=False)
@click.option("--id", "fdc_ids", type=int, multiple=True, metavar="FDC_ID",
              help="Fetch this FoodData Central id instead of searching (repeatable); "
                   "any kind of food, brand-name products included.")
@click.option("--branded", is_flag=True,
              help="Search brand-name products (FoodData Central's Branded Foods, with the "
                   "values on their labels) instead of generic foods.")
@click.option("--limit", type=click.IntRange(1, 50), default=10, show_default=True,
              help="How many search results to fetch.")
@click.option("--api-url", envvar="NUTRIGAP_FDC_URL", default=None, metavar="URL",
              help="FoodData Central API address (or $NUTRIGAP_FDC_URL); "
                   "default https://api.nal.usda.gov/fdc.")
@foods_option
@reports_errors
def foods_fetch(query, fdc_ids, branded, limit, api_url, foods_db):
    """Fetch foods from FoodData Central and add them to the local food database.

    Searches for QUERY (SR Legacy, Foundation and FNDDS foods; with --branded, brand-name
    products), or fetches the foods given with --id. Set FDC_API_KEY to your own free key;
    without it the shared DEMO_KEY is used, which allows only a few requests an hour.
    Answers are cached, so fetching again is free.

    A brand-name product is saved as "Brand, Description" ("Oatly, Oat milk") with its
    label's serving as a portion ("1 cup" and "serving"), so a log naming the brand
    ("Oatly, Oat Milk, 1 cup") is matched to it; a name without the brand ("oat milk") is
    not. Values the label does not give (often magnesium and B6) are stored as unknown,
    never 0. A product served by volume is saved only if it is a drink (counted at 1 g per
    ml); one whose serving is neither g nor ml is not saved, with the reason.

    \b
    Examples: nutrigap foods fetch "spinach raw"
              nutrigap foods fetch --id 168462
              nutrigap foods fetch "oatly oat milk" --branded
    """
    if bool(query) == bool(fdc_ids):
        raise click.UsageError("give either words to search for or --id FDC_ID, not both")
    if branded and fdc_ids:
        raise click.UsageError("--branded chooses what a search looks through; --id fetches "
                               "any food, brand-name products included, so leave --branded "
                               "out")
    from nutrigap.foods.fdc_api import BRANDED_DATA_TYPES, GENERIC_DATA_TYPES, FdcClient
    from nutrigap.foods.store import add_foods

    path = database_to_write(foods_db)
    client = FdcClient(**({"base_url": api_url} if api_url else {}))
    if client.warning:
        click.echo(f"Warning: {client.warning}", err=True)
    if fdc_ids:
        found = client.food(fdc_ids[0])
        for fdc_id in fdc_ids[1:]:
            found = found.merged_with(client.food(fdc_id))
    else:
        found = client.search(query, page_size=limit, portions=True,
                              data_types=BRANDED_DATA_TYPES if branded else GENERIC_DATA_TYPES)
    for note in client.notes:
        click.echo(f"Note: {note}", err=True)
    if not len(found):
        click.echo(terminal.nothing_fetched(query, branded, bool(client.notes)), err=True)
        sys.exit(1)
    for line in terminal.fetch_lines(found):
        click.echo(line)
    count = add_foods(found, path)
    click.echo(f"Saved to {path} ({count} foods there now).")


@foods.command("search")
@click.argument("text")
@foods_option
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True,
              help="How many foods to list.")
@reports_errors
def foods_search(text, foods_db, limit):
    """List the foods that best match TEXT, with nutrients per 100 g and portions. Foods
    scoring below the matching threshold are listed apart as far off, and when every food
    does, the command says no food matches and exits with status 1.

    \b
    Example: nutrigap foods search "spinach raw" --limit 5
    """
    from nutrigap.analyzer.matching import Matcher
    from nutrigap.foods.store import load_foods

    table = load_foods(foods_db)
    matcher = Matcher(table)
    found = matcher.search(text, limit=limit)
    if found.empty:
        click.echo(f'No food has any of the words in "{text}"; try other words', err=True)
        sys.exit(1)
    for line in terminal.search_lines(text, table, found, matcher.threshold):
        click.echo(line)
    if not (found["score"] >= matcher.threshold).any():
        sys.exit(1)


@foods.command("match")
@click.argument("text")
@matches_option("Food-match corrections (CSV: name,food_id), used before any other match.")
@foods_option
@reports_errors
def foods_match(text, matches_file, foods_db):
    """Show which food a meal-log name would be matched to, how sure the match is, and the
    best candidates with their scores.

    \b
    Example: nutrigap foods match "greek yoghurt" --matches my-matches.csv
    """
    from nutrigap.analyzer.errors import BadCorrections
    from nutrigap.analyzer.matching import Matcher
    from nutrigap.foods.store import load_foods
    from nutrigap.runtime import read_corrections

    table = load_foods(foods_db)
    matcher = Matcher(table)
    corrections = read_corrections(matches_file) if matches_file else None
    try:
        match = matcher.match([text], corrections=corrections).iloc[0]
    except BadCorrections as exc:
        raise BadCorrections(f"{matches_file}: {exc}") from None
    candidates = matcher.search(text, limit=5)
    for line in terminal.match_lines(text, match, candidates, matcher.threshold,
                                     matches_file):
        click.echo(line)


# --- meal-log commands --------------------------------------------------------------------


@main.command()
@click.argument("log", type=click.File("rb"))
@client_option
@reports_errors
def check(log, client):
    """Read a meal log and say what was found in it, or list every row to fix.

    \b
    Example: nutrigap check my-log.csv
    """
    from nutrigap.analyzer.logs import read_meal_log

    _, info = read_meal_log(log, client=client)
    for line in terminal.check_lines(info):
        click.echo(line)


# --- targets ------------------------------------------------------------------------------


@main.command()
@profile_options
@targets_option
@reports_errors
def targets(age, sex, pregnant, lactating, weight_kg, targets_file):
    """Print the daily targets and upper limits that apply to a person.

    \b
    Example: nutrigap targets --age 34 --sex female --targets client-12.toml
    """
    from nutrigap.analyzer.scoring import (
        Profile,
        read_overrides,
        targets_for,
        trigger_references,
    )

    profile = Profile(age=age, sex=sex, pregnant=pregnant, lactating=lactating,
                      weight_kg=weight_kg)
    overrides = read_overrides(targets_file) if targets_file else None
    for line in terminal.targets_lines(targets_for(profile, overrides), profile):
        click.echo(line)
    click.echo("")
    for line in terminal.trigger_lines(trigger_references(profile)):
        click.echo(line)


# --- analyze ------------------------------------------------------------------------------


_OUT = click.Path(dir_okay=False, path_type=Path)


@main.command()
@click.argument("log", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@profile_options
@click.option("--diet", multiple=True, metavar="DIET",
              help="Only suggest foods that fit: vegan, vegetarian, dairy-free, fish-free, "
                   "nut-free, gluten-free (repeatable).")
@click.option("--exclude", multiple=True, metavar="WORD",
              help="Never suggest foods whose name has this word, e.g. liver (repeatable).")
@targets_option
@matches_option("Food-match corrections (CSV: name,food_id).")
@foods_option
@click.option("-o", "--output", "pdf_path", type=_OUT,
              help="Where to write the PDF (default: LOG-report.pdf beside the log).")
@click.option("--html", "html_path", type=_OUT, help="Also write the report as HTML.")
@click.option("--json", "json_path", type=_OUT, help="Also write the report as JSON.")
@click.option("--csv", "csv_path", type=_OUT, help="Also write the per-day totals as CSV.")
@click.option("--items", "items_path", type=_OUT,
              help="Also write every item as CSV: its grams, the portion that weighed it, the "
                   "food it was matched to and where its values came from.")
@click.option("--keep-all-days", is_flag=True,
              help="Keep half-logged days (energy under a third of the log's median day) in "
                   "the averages; they are left out by default.")
@click.option("--paper", type=click.Choice(["a4", "letter"], case_sensitive=False),
              default="a4", show_default=True, help="Paper size of the PDF.")
@click.option("--template-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A clinic's own templates, used before the built-in ones "
                   "(see docs/report-json.md).")
@click.option("--logo", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A PNG or JPEG logo for the report header.")
@client_option
@reports_errors
def analyze(log, age, sex, pregnant, lactating, weight_kg, diet, exclude, targets_file,
            matches_file, foods_db, pdf_path, html_path, json_path, csv_path, items_path,
            keep_all_days, paper, template_dir, logo, client):
    """Analyse a meal log and write the report (PDF, and HTML, JSON or CSV if asked).

    \b
    Example: nutrigap analyze my-log.csv --age 34 --sex female -o report.pdf
    """
    from nutrigap.analyzer.logs import read_meal_log
    from nutrigap.analyzer.pipeline import Analyzer
    from nutrigap.analyzer.scoring import Profile, read_overrides
    from nutrigap.atomic import check_outputs
    from nutrigap.foods.store import load_foods
    from nutrigap.reports.assets import logo_data_url
    from nutrigap.reports.render import check_templates, summary_lines, write_reports
    from nutrigap.runtime import analyze_quietly, read_corrections, report_options

    profile = Profile(age=age, sex=sex, pregnant=pregnant, lactating=lactating,
                      weight_kg=weight_kg)
    overrides = read_overrides(targets_file) if targets_file else None
    logo_url = logo_data_url(logo) if logo else None
    # one client of a shared log: their own default file name, so clients do not overwrite
    who = "-" + re.sub(r"[^\w.-]+", "-", client.strip()) if client else ""
    pdf_path = pdf_path or log.with_name(f"{log.stem}{who}-report.pdf")
    check_outputs({"-o": pdf_path, "--html": html_path, "--json": json_path, "--csv": csv_path,
                   "--items": items_path},
                  {"the meal log": log, "--targets": targets_file and targets_file.name,
                   "--matches": matches_file, "--logo": logo, "--foods": foods_db})
    check_templates(template_dir)
    table = load_foods(foods_db)
    # The libraries and the food table stay loaded to the end of the run: leave them out of
    # the garbage collector's scans while the report is laid out (a tenth of its time or so).
    gc.freeze()
    corrections = read_corrections(matches_file) if matches_file else None
    with log.open("rb") as fp:
        items, info = read_meal_log(fp, client=client, one_person=True)
    # one client of a shared log: the report's heading says whose it is
    name = f"{log.name}, client {items['client'].iloc[0]}" if client else log.name
    options = report_options(diet=diet, exclude=exclude, overrides=overrides, log_name=name,
                             keep_all_days=keep_all_days)
    report = analyze_quietly(Analyzer(table, corrections), items, info, profile, options)
    written = write_reports(report, pdf=pdf_path, html=html_path, json=json_path,
                            csv=csv_path, items=items_path, paper=paper,
                            template_dir=template_dir, logo=logo_url, two_processes=True)
    for path in written:
        click.echo(f"Wrote {path}")
    for line in summary_lines(report):
        click.echo(line)


# --- batch --------------------------------------------------------------------------------


@main.command("batch")
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, path_type=Path))
@click.option("--clients", "clients_path", required=True, metavar="CSV",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="client, age, sex, pregnant, lactating, weight_kg, diet, targets: one row "
                   "per client.")
@click.option("-o", "--outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the reports, summary.csv, errors.csv and caseload.pdf.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Clients analysed at once (default: the number of CPU cores).")
@click.option("--format", "formats", default="pdf", show_default=True,
              help="Report formats per client, comma-separated: pdf, json, csv, html. The "
                   "caseload overview comes in the same formats (csv: summary.csv).")
@click.option("--force", is_flag=True, help="Redo every client, even those already up to date.")
@click.option("--time-per-client", "time_limit", type=click.FloatRange(min=0, min_open=True),
              default=CLIENT_SECONDS, show_default=True, metavar="SECONDS",
              help="Stop a client that takes longer and list it in errors.csv.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on an existing Dask cluster (tcp://host:8786); OUTDIR must be a "
                   "folder every worker can reach.")
@foods_option
@matches_option("Food-match corrections (CSV: name,food_id) used for every client.")
@reports_errors
def batch_command(input_path, clients_path, outdir, workers, formats, force, time_limit,
                  scheduler, foods_db, matches_file):
    """Analyse a caseload: a report per client, summary.csv, errors.csv and caseload.pdf.

    INPUT is a folder with one meal log per client, named after the client (our CSV format and
    Cronometer exports may be mixed), or one CSV in our format with a client column. Clients
    whose reports are newer than their log are skipped; exit code 1 when some clients failed.
    One batch at a time writes into OUTDIR.

    \b
    Example: nutrigap batch logs/ --clients clients.csv -o reports/
    """
    from contextlib import nullcontext

    from nutrigap.batch.client_jobs import Settings, parse_formats
    from nutrigap.batch.runner import describe, run_batch

    try:
        chosen = parse_formats(formats)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--format") from None
    settings = Settings(outdir, chosen, foods_db, matches_file, time_limit)
    if scheduler:
        from nutrigap.batch.distributed import cluster_executor, for_cluster, shared_storage_note

        settings = for_cluster(settings)  # the workers' own folders must not matter
        click.echo(shared_storage_note(settings, scheduler), err=True)
        executor = cluster_executor(scheduler, settings)
    else:
        executor = nullcontext(None)
    with executor as execute:
        result = run_batch(input_path, clients_path, settings, workers=workers, force=force,
                           execute=execute)
    for line in describe(result, settings):
        click.echo(line)
    sys.exit(1 if result.failures else 0)


# --- serve --------------------------------------------------------------------------------


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default keeps the page to this computer.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port, printed at start).")
@click.option("--max-upload-mb", type=click.FloatRange(min=0, min_open=True), default=10,
              show_default=True, help="Largest upload accepted, in MB; larger ones get a 413 page.")
@foods_option
@reports_errors
def serve(host, port, max_upload_mb, foods_db):
    """Start the upload page: choose a meal log in the browser, get the report back.

    \b
    Example: nutrigap serve --port 8000, then open http://127.0.0.1:8000/
    """
    try:
        import flask  # noqa: F401
    except ImportError:
        raise click.ClickException("the web page needs Flask; install it with "
                                   "pip install 'nutrigap[web]'") from None
    from nutrigap.web import serve as run_server

    run_server(host, port, max_upload_mb=max_upload_mb, foods=foods_db,
               echo=lambda line: click.echo(line, err=line.startswith("Warning")))


if __name__ == "__main__":
    main()
