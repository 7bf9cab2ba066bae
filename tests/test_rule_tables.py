"""The rule tables in analyzer/data: each has a spec, fits it, and is described as it is in
the folder's README; the loader refuses a table that does not fit its spec."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from nutrigap.analyzer.errors import BadRuleTable
from nutrigap.analyzer.rule_specs import (
    DIMENSIONS,
    LIST,
    REGEX,
    SPECS,
    Section,
    Sections,
    Table,
    flag,
    items,
    number,
    regex,
    text,
)
from nutrigap.analyzer.rule_tables import parse_sections, parse_table, rule_sections, rule_table
from nutrigap.foods.fdc_branded import BRANDED_DRINKS
from nutrigap.foods.fdc_download import DOWNLOADS
from nutrigap.foods.tags import TAG_RULES, TAGS

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "analyzer" / "data"
README = DATA / "README.md"
_COLUMN = re.compile(r"^- `([^`]+)` \(([^)]*)\):", re.MULTILINE)
_READ_BY = re.compile(r"Read by `([^`]+\.py)`")


def _readme() -> dict[str, str]:
    """{file name: its section of the README}."""
    parts = re.split(r"^## ", README.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {part.split("\n", 1)[0].strip(): part for part in parts[1:]}


def _subsections(section: str) -> dict[str, str]:
    parts = re.split(r"^### ", section, flags=re.MULTILINE)
    return {part.split("\n", 1)[0].strip().strip("[]"): part for part in parts[1:]}


def _documented(section: str) -> list[tuple[str, str, bool]]:
    """(name, type, optional) for each column the README lists."""
    out = []
    for name, said in _COLUMN.findall(section):
        words = [w.strip() for w in said.split(",")]
        out.append((name, words[0], "optional" in words[1:]))
    return out


def _declared(columns) -> list[tuple[str, str, bool]]:
    return [(c.name, c.type, not c.required) for c in columns]


def _says_order(section: str, ordered: bool) -> None:
    said = " ".join(section.split())
    assert ("Row order matters" in said) == ordered, section.split("\n", 1)[0]
    assert ("Row order does not matter" in said) == (not ordered), section.split("\n", 1)[0]


def _frames(spec) -> list[tuple[str, tuple, object]]:
    """(where, columns, frame) for a table, or for each section of a sectioned one."""
    if isinstance(spec, Table):
        return [(spec.file, spec.columns, rule_table(spec))]
    frames = rule_sections(spec)
    return [(f"{spec.file} [{s.kind}]", s.columns, frames[s.kind]) for s in spec.sections]


_ALL_SPECS = [*SPECS.values(), TAG_RULES, BRANDED_DRINKS, DOWNLOADS]


# --- every table has a spec, and the README describes it as the spec declares -------------

def test_every_table_in_the_folder_has_a_spec_and_a_readme_section():
    files = {p.name for p in DATA.iterdir() if p.is_file() and p.name != "README.md"}
    assert files == set(SPECS), "tables without a spec, or specs without a table"
    assert set(_readme()) == files, "README sections and tables differ"


def test_only_csv_and_toml_tables_and_toml_only_for_sectioned_ones():
    for name, spec in SPECS.items():
        assert name.endswith(".toml" if isinstance(spec, Sections) else ".csv"), name


@pytest.mark.parametrize("name", sorted(n for n, s in SPECS.items() if isinstance(s, Table)))
def test_a_csv_header_its_spec_and_the_readme_agree(name):
    spec = SPECS[name]
    with (DATA / name).open(encoding="utf-8", newline="") as fp:
        header = next(csv.reader(fp))
    assert header == [c.name for c in spec.columns]
    section = _readme()[name]
    assert _documented(section) == _declared(spec.columns)
    _says_order(section, spec.ordered)


@pytest.mark.parametrize("name", sorted(n for n, s in SPECS.items() if isinstance(s, Sections)))
def test_a_toml_tables_kinds_its_spec_and_the_readme_agree(name):
    spec = SPECS[name]
    data = tomllib.loads((DATA / name).read_text(encoding="utf-8"))
    kinds = [s.kind for s in spec.sections]
    assert list(data) == kinds
    documented = _subsections(_readme()[name])
    assert list(documented) == kinds
    for section in spec.sections:
        assert _documented(documented[section.kind]) == _declared(section.columns), section.kind
        _says_order(documented[section.kind], section.ordered)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_module_the_readme_names_reads_the_table(name):
    found = _READ_BY.search(_readme()[name])
    assert found, f"{name}: the README does not say which module reads it"
    module = ROOT / found.group(1).removeprefix("nutrigap/")
    assert name in module.read_text(encoding="utf-8"), f"{module} does not name {name}"


# --- every table loads through its spec; every regex compiles, every value is allowed ------

@pytest.mark.parametrize("spec", _ALL_SPECS, ids=lambda s: s.file)
def test_every_table_loads_through_its_spec(spec):
    for where, columns, frame in _frames(spec):
        assert len(frame) > 0, where
        for column in columns:
            cells = frame[column.name]
            if column.required:
                assert all(c != "" and c == c and c != () for c in cells), (where, column.name)
            values = [v for cell in cells for v in (cell if column.type == LIST else [cell])]
            if column.type == REGEX:
                for value in values:
                    re.compile(value)
            if column.allowed:
                present = [v for v in values if v != ""]
                assert set(present) <= set(column.allowed), (where, column.name)


def test_tables_are_read_when_first_used_not_at_import():
    code = ("import nutrigap.cli, nutrigap.analyzer.pipeline\n"
            "from nutrigap.analyzer.rule_tables import _load\n"
            "print(_load.cache_info().currsize)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "0"


# --- what one table says agrees with another ----------------------------------------------

def test_every_dimension_the_matcher_weighs_is_one_preparations_state():
    stated = set(rule_table("preparations.csv")["dimension"]) | {"percent"}
    assert stated == set(DIMENSIONS)
    defaults = rule_sections("match_defaults.toml")
    for kind in ("assume", "conflict", "silent"):
        assert set(defaults[kind]["dimension"]) <= stated, kind
    levels = rule_table("qualifier_levels.csv")
    values = set(zip(rule_table("preparations.csv")["dimension"],
                     rule_table("preparations.csv")["value"], strict=True))
    assert set(zip(levels["dimension"], levels["value"], strict=True)) <= values


def test_diet_names_and_tags_are_ones_the_filters_and_the_food_table_know():
    diets = set(rule_table("diets.csv")["diet"])
    assert set(rule_table("diet_words.csv")["diet"]) <= diets
    assert set(rule_table("unmet_advice.csv")["diet"]) - {""} <= diets
    table = rule_table("diets.csv")
    for column in ("required_tags", "excluded_tags"):
        assert {t for cell in table[column] for t in cell} <= set(TAGS), column


def test_a_fixed_weight_serving_says_how_many_and_how_heavy():
    rules = rule_table("serving_portions.csv")
    fixed = rules[rules["portion"] == ""]
    assert len(fixed) > 0
    assert fixed["count"].notna().all() and fixed["unit_grams"].notna().all()
    assert (fixed["unit"] != "").all()


def test_the_last_serving_rule_fits_every_food():
    last = rule_table("serving_portions.csv").iloc[-1]
    assert last["food_group"] == ("*",) and last["name_pattern"] == ""


# --- the loader refuses what does not fit -------------------------------------------------

_SPEC = Table("example.csv", (text("word"), text("kind", allowed=("a", "b")),
                              number("weight", required=False), regex("pattern", required=False),
                              items("also", required=False), flag("fallback")),
              unique=("word",))


def test_a_table_that_fits_is_typed():
    frame = parse_table(_SPEC, "word,kind,weight,pattern,also,fallback\n"
                               "egg,a,2.5,^eggs?\\b, x | y ,yes\n"
                               "ham,b,,,,\n")
    assert frame.to_dict("records") == [
        {"word": "egg", "kind": "a", "weight": 2.5, "pattern": r"^eggs?\b", "also": ("x", "y"),
         "fallback": True},
        {"word": "ham", "kind": "b", "weight": pytest.approx(float("nan"), nan_ok=True),
         "pattern": "", "also": (), "fallback": False},
    ]


@pytest.mark.parametrize(("body", "expected"), [
    ("word,kind,weight,pattern,also\n", "the header should be word,kind,weight,pattern,also,"
                                        "fallback"),
    ("word,kind,weight,pattern,also,fallback\n,a,,,,\n", "row 2, word: is empty"),
    ("word,kind,weight,pattern,also,fallback\negg,c,,,,\n",
     'row 2, kind: "c" is not allowed here; use one of a, b'),
    ("word,kind,weight,pattern,also,fallback\negg,a,heavy,,,\n",
     "row 2, weight: \"heavy\" is not a number"),
    ("word,kind,weight,pattern,also,fallback\negg,a,,(eggs,,\n",
     "row 2, pattern: \"(eggs\" is not a valid regular expression"),
    ("word,kind,weight,pattern,also,fallback\negg,a,,,,no\n",
     "row 2, fallback: \"no\" should be yes or empty"),
    ("word,kind,weight,pattern,also,fallback\negg,a,,,,\negg,b,,,,\n",
     "row 3, word: repeats a row above"),
    ("word,kind,weight,pattern,also,fallback\negg,a,,\n", "row 2: has 4 cells, not 6"),
])
def test_a_table_that_does_not_fit_names_the_cell(body, expected):
    with pytest.raises(BadRuleTable) as caught:
        parse_table(_SPEC, body)
    assert str(caught.value).startswith("example.csv: ")
    assert expected in str(caught.value)


_SECTIONS = Sections("example.toml", (
    Section("word", (text("word"), text("to")), unique=("word",)),
    Section("stop", (text("word"),)),
))


def test_a_sectioned_table_gives_each_kind_its_own_columns():
    frames = parse_sections(_SECTIONS, '[word]\nabout = "rewrites"\n'
                                       'rows = [{ word = "oj", to = "orange juice" }]\n'
                                       '[stop]\nabout = "dropped"\nrows = ["and", "the"]\n')
    assert frames["word"].to_dict("records") == [{"word": "oj", "to": "orange juice"}]
    assert list(frames["stop"]["word"]) == ["and", "the"]


@pytest.mark.parametrize(("body", "expected"), [
    ('[word]\nabout = "x"\nrows = []\n[stop]\nabout = "x"\nrows = []\n[typo]\nabout = "x"\n'
     'rows = []\n', "[typo]: is not a kind of this table; the kinds are word, stop"),
    ('[word]\nabout = "x"\nrows = []\n', "[stop]: is missing, or has no rows list"),
    ('[word]\nrows = []\n[stop]\nabout = "x"\nrows = []\n', "[word]: needs about"),
    ('[word]\nabout = "x"\nrows = [{ word = "oj" }]\n[stop]\nabout = "x"\nrows = []\n',
     "row 1, [word] to: is empty"),
    ('[word]\nabout = "x"\nrows = [{ word = "oj", to = "a", into = "b" }]\n[stop]\n'
     'about = "x"\nrows = []\n', "row 1, [word]: has into; the columns are word, to"),
    ('[word]\nabout = "x"\nrows = ["oj"]\n[stop]\nabout = "x"\nrows = []\n',
     'row 1, [word]: "oj" should be { word, to }'),
    ("[word\n", "is not valid TOML"),
])
def test_a_sectioned_table_that_does_not_fit_names_the_kind_and_row(body, expected):
    with pytest.raises(BadRuleTable) as caught:
        parse_sections(_SECTIONS, body)
    assert expected in str(caught.value)
