"""nutrigap's command line: thin click commands over the analyzer core.

Heavy libraries (pandas, WeasyPrint) are imported inside the commands so that
`nutrigap --help` starts fast.
"""

from __future__ import annotations

import functools
import sys

import click

FOODS_HELP = "Food database: a SQLite file made by `nutrigap foods import` (or $NUTRIGAP_FOODS)."


def reports_errors(func):
    """Turn the core's own errors into one message on stderr and exit code 2, no traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from analyzer.errors import NutrigapError

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

    Example: nutrigap analyze examples/example-log.csv --age 34 --sex female
    """


@main.group()
def foods():
    """Search, match, import and fetch foods."""


# --- foods commands -----------------------------------------------------------------------


# --- meal-log commands --------------------------------------------------------------------


# --- targets ------------------------------------------------------------------------------


# --- analyze ------------------------------------------------------------------------------


# --- batch --------------------------------------------------------------------------------


# --- serve --------------------------------------------------------------------------------


if __name__ == "__main__":
    main()
