"""The declared shape of every rule table in `analyzer/data` (see its README.md for what
each table means and who reads it), and the words a shape is declared in; `rule_tables.py`
reads a table through its spec."""

from __future__ import annotations

from dataclasses import dataclass

from nutrigap.analyzer.nutrients import NUTRIENT_KEYS, SCORED_KEYS, TRIGGER_KEYS

TEXT, NUMBER, FLAG, REGEX, LIST = "text", "number", "flag", "regex", "list"
TYPES = (TEXT, NUMBER, FLAG, REGEX, LIST)


@dataclass(frozen=True)
class Column:
    """One column: its type, whether every row needs a value, and the values it allows."""

    name: str
    type: str = TEXT
    required: bool = True
    allowed: tuple[str, ...] = ()  # for a list, what each item may be; () allows anything
    sep: str = "|"  # between the items of a list in a CSV cell

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"column {self.name}: type {self.type!r} is not one of "
                             f"{', '.join(TYPES)}")


@dataclass(frozen=True)
class Table:
    """A CSV table: its columns in header order."""

    file: str
    columns: tuple[Column, ...]
    ordered: bool = False  # row order matters (the first rule that fits wins)
    unique: tuple[str, ...] = ()  # columns whose values together tell the rows apart
    package: str = "nutrigap.analyzer"


@dataclass(frozen=True)
class Section:
    """One kind of row in a sectioned table, with its own columns."""

    kind: str
    columns: tuple[Column, ...]
    ordered: bool = False  # as for a Table
    unique: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sections:
    """A TOML table with one section per kind of row."""

    file: str
    sections: tuple[Section, ...]
    package: str = "nutrigap.analyzer"


def text(name: str, *, required: bool = True, allowed: tuple[str, ...] = ()) -> Column:
    """A text column."""
    return Column(name, required=required, allowed=allowed)


def number(name: str, *, required: bool = True) -> Column:
    """A number column (NaN when an optional cell is empty)."""
    return Column(name, NUMBER, required=required)


def flag(name: str) -> Column:
    """A yes-or-empty column (true or left out in TOML)."""
    return Column(name, FLAG, required=False)


def regex(name: str, *, required: bool = True) -> Column:
    """A column of regular expressions."""
    return Column(name, REGEX, required=required)


def items(name: str, *, required: bool = True, allowed: tuple[str, ...] = (),
          sep: str = "|") -> Column:
    """A list of text items, `sep`-separated in a CSV cell, an array in TOML."""
    return Column(name, LIST, required=required, allowed=allowed, sep=sep)


#: every kind a food group may be given (food_kinds.csv)
KINDS = ("drink", "dairy", "fruit", "vegetable", "grain", "meat", "fish", "egg", "legume",
         "nuts/seeds", "sweet", "fat/dressing", "mixed dish", "other",
         # told by a drink's alcohol, not its group (kinds.csv: alcohol_from)
         "beer", "wine", "spirits")
_NUTRIENTS = tuple(NUTRIENT_KEYS)
_SCORED = tuple(SCORED_KEYS)
_TRIGGERS = tuple(TRIGGER_KEYS)
# The qualifier dimensions of preparations.csv; `percent` is read from the name itself.
DIMENSIONS = ("state", "method", "form", "strength", "fat", "kind", "sodium", "calcium", "made",
              "crust", "skin", "diet", "sugar", "sweetened", "caffeine", "source",
              "percent")
NOTE = text("note", required=False)

_TABLES: list[Table | Sections] = [
    # --- reading logs -----------------------------------------------------------------------
    Table("units.csv", (text("spelling"), text("unit"),
                        text("kind", allowed=("mass", "volume", "count")),
                        number("factor", required=False), items("also_matches", required=False),
                        flag("names_food")),
          unique=("spelling",)),
    Table("vague_measures.csv", (text("word"), flag("own_portion"), text("advice")),
          unique=("word",)),
    Table("vague_sizes.csv", (text("word"), number("factor"), NOTE), unique=("word",)),
    Table("supplements.csv", (text("name"), text("nutrient", allowed=_NUTRIENTS)),
          unique=("name",)),
    Table("supplement_units.csv", (text("nutrient", allowed=_NUTRIENTS),
                                   text("unit", allowed=("mg", "g", "µg", "IU")), text("spelling"),
                                   number("factor")),
          unique=("nutrient", "spelling")),
    Table("supplement_compounds.csv", (text("compound"), text("nutrient", allowed=_NUTRIENTS),
                                       number("fraction"), text("source")),
          unique=("compound",)),
    # --- what kind of food a food group holds ------------------------------------------------
    Table("food_kinds.csv", (text("food_group"), items("kinds", allowed=KINDS),
                             items("dishes", required=False), NOTE),
          unique=("food_group",)),
    Table("kinds.csv", (text("kind", allowed=KINDS), number("max_serving_grams"),
                        flag("fluid_ounces"), number("alcohol_from", required=False),
                        text("basis")),
          unique=("kind",)),
    # --- matching ---------------------------------------------------------------------------
    Table("preparations.csv", (text("word"), text("dimension", allowed=DIMENSIONS),
                               text("value")),
          unique=("word", "dimension")),
    Table("qualifier_levels.csv", (text("dimension", allowed=DIMENSIONS), text("value"),
                                   number("level"), NOTE),
          unique=("dimension", "value")),
    # --- portions ---------------------------------------------------------------------------
    Table("portion_words.csv", (text("word"), text("first_field", required=False),
                                text("kind", required=False, allowed=KINDS),
                                items("portion_words", required=False),
                                items("excluded_words", required=False),
                                text("borrow_size", required=False), NOTE),
          ordered=True, unique=("word", "first_field", "kind")),
    Table("vague_amounts.csv", (text("word"), text("kind", allowed=KINDS), number("amount"),
                                text("unit"), text("basis")),
          unique=("word", "kind")),
    Table("round_foods.csv", (text("word"), text("kind", allowed=("round", "part")),
                              number("slices", required=False), NOTE),
          unique=("word",)),
    Table("state_words.csv", (text("word"), text("state", allowed=("raw", "cooked")),
                              text("method", required=False), NOTE),
          unique=("word",)),
    # --- targets and scoring ----------------------------------------------------------------
    Table("dri.csv", (text("group"),
                      text("stage", allowed=("child", "male", "female", "pregnancy",
                                             "lactation")),
                      number("age_min"), number("age_below", required=False),
                      # per nutrient its target and upper limit, empty where none is set
                      *(number(name, required=False) for key in _SCORED
                        for name in (key, f"{key}_ul"))),
          unique=("group",)),
    Table("dri_sources.csv", (text("nutrient", allowed=_SCORED),
                              text("target_kind", allowed=("RDA", "AI", "none")),
                              text("ul_applies_to", allowed=("total", "supplements", "none")),
                              text("source"), text("note")),
          unique=("nutrient",)),
    Table("dri_b6_efsa.csv", (number("age_min"), number("age_below", required=False),
                              number("ul_mg"), text("who")),
          unique=("age_min",)),
    Table("trigger_references.csv", (text("nutrient", allowed=_TRIGGERS),
                                     text("stage", allowed=("any", "male", "female",
                                                            "pregnancy", "lactation")),
                                     number("age_min"), number("age_below", required=False),
                                     number("amount", required=False),
                                     number("per_kg", required=False), text("who"),
                                     items("sources")),
          ordered=True),
    Table("target_names.csv", (text("name"), text("nutrient", allowed=_SCORED),
                               number("factor")),
          unique=("name",)),
    # --- suggestions and the plan -----------------------------------------------------------
    Table("food_name_categories.csv", (text("category"), text("example")),
          unique=("category",)),
    Table("poorly_absorbed.csv", (text("pattern"), text("nutrient", allowed=_NUTRIENTS),
                                  text("reason"), text("source")),
          unique=("pattern", "nutrient")),
    Table("serving_portions.csv", (items("food_group"), regex("name_pattern", required=False),
                                   regex("portion", required=False),
                                   number("count", required=False),
                                   text("unit", required=False), text("plural", required=False),
                                   number("unit_grams", required=False),
                                   number("min_grams", required=False)),
          ordered=True),
    Table("serving_exclusions.csv", (items("food_group", required=False),
                                     regex("pattern", required=False), flag("case_sensitive"),
                                     text("applies_to", allowed=("name", "usda", "name+usda")),
                                     text("reason")),
          ordered=True),
    Table("diets.csv", (text("diet"), items("required_tags", required=False),
                        items("excluded_tags", required=False),
                        items("excluded_groups", required=False),
                        items("excluded_words", required=False),
                        items("allowed_phrases", required=False), text("description")),
          ordered=True, unique=("diet",)),
    Table("diet_words.csv", (text("word"), text("diet")), unique=("word",)),
    Table("unmet_advice.csv", (text("nutrient", required=False, allowed=_NUTRIENTS),
                               text("diet", required=False), text("advice")),
          ordered=True, unique=("nutrient", "diet")),
    Table("everyday_foods.csv", (text("food_id"), text("name"), number("people"),
                                 text("basis", allowed=("nhanes_code", "nhanes_name",
                                                        "built_in", "built_in_name"))),
          unique=("food_id",)),
    Table("life_stage_rules.csv", (text("rule"), flag("pregnant"), flag("lactating"),
                                   number("under_age", required=False),
                                   items("food_groups", required=False),
                                   regex("pattern", required=False), text("reason"),
                                   text("source"))),
    Table("child_servings.csv", (number("under_age"), number("factor"), number("fish_grams"),
                                 text("ages"), text("reason")),
          unique=("under_age",)),
    Table("daily_caps.csv", (text("cap"), number("max_grams"),
                             number("advised_grams", required=False), text("words"),
                             text("reason")),
          unique=("cap",)),
    Table("cap_members.csv", (text("cap"), items("food_groups", required=False),
                              regex("pattern", required=False)),
          ordered=True),
    Table("unmet_guidance.csv", (text("nutrient", allowed=_NUTRIENTS),
                                 number("from_age", required=False),
                                 number("below_age", required=False), text("text"),
                                 text("source")),
          ordered=True),
    # --- the report -------------------------------------------------------------------------
    Table("nutrient_info.csv", (text("key", allowed=_NUTRIENTS), text("does"),
                                text("low_intake"), text("good_sources"),
                                text("excess", required=False)),
          unique=("key",)),
    Table("trigger_info.csv", (text("key", allowed=_TRIGGERS),
                               text("kind", allowed=("limit", "cdrr", "ai")), text("reference"),
                               text("shown_unit"), number("shown_per"), text("about")),
          unique=("key",)),
    Table("report_sources.csv", (text("key"),
                                 text("applies", allowed=("always", "fdc", "fdc_branded",
                                                          "fndds", "cronometer", "used")),
                                 text("title"), text("used_for")),
          ordered=True, unique=("key",)),
    # --- sectioned tables: one section per kind of row ----------------------------------------
    Sections("match_defaults.toml", (
        Section("category", (text("word"),), unique=("word",)),
        Section("prefer", (text("word"), text("form")), unique=("word",)),
        Section("assume", (text("dimension", allowed=DIMENSIONS), text("value"),
                           number("weight")), unique=("dimension",)),
        Section("conflict", (text("dimension", allowed=DIMENSIONS), number("weight"),
                             flag("decisive"), flag("drinks"), flag("agreeing"),
                             flag("made_with")),
                unique=("dimension",)),
        Section("broader", (text("word"), items("narrower")), unique=("word",)),
        Section("silent", (text("dimension", allowed=DIMENSIONS), text("value")),
                unique=("dimension",)),
        Section("generic", (text("word"),), unique=("word",)),
        Section("describing", (text("word"),), unique=("word",)),
        Section("made_with", (text("word"),), unique=("word",)),
        Section("dish", (text("word"), items("kinds", allowed=KINDS)), unique=("word",)),
    )),
    Sections("match_exclusions.toml", (
        Section("food_group", (text("group"), items("asked_by"), flag("fallback")),
                unique=("group",)),
        Section("description", (regex("pattern"), items("asked_by")), unique=("pattern",)),
        Section("brand", (regex("pattern"),)),
        Section("not_brand", (text("word"),), unique=("word",)),
    )),
    Sections("spellings.toml", (
        Section("pattern", (regex("pattern"), text("to", required=False)), ordered=True),
        Section("phrase", (text("phrase"), text("to")), unique=("phrase",)),
        Section("word", (text("word"), text("to")), unique=("word",)),
        Section("keep", (text("word"),), unique=("word",)),
        Section("suffix", (text("ending"), text("to", required=False)), ordered=True,
                unique=("ending",)),
        Section("stop", (text("word"),), unique=("word",)),
    )),
]

SPECS: dict[str, Table | Sections] = {spec.file: spec for spec in _TABLES}
