"""Build the table of everyday foods (analyzer/data/everyday_foods.csv) from what people ate.

Suggestions offer only foods people commonly eat, unless the person's own log has the food.
"Commonly" is measured on NHANES 2015-2016 (What We Eat in America): the foods 498 adults ate
on two days, each with its FNDDS food code. A food counts as everyday when at least
`MIN_PEOPLE` of them ate it:

- an FNDDS food by its food code (the same codes as FNDDS 2017-2018, which nutrigap imports);
- an SR28 food by its name: a food those people ate must be named with the same head (the
  first field: "Black beans" for "Beans, black", "salmon" for "Fish, salmon") and hold every
  word that says which food it is (`name_key`: "Beans, black, mature seeds, cooked" ->
  {bean, black}; "Black beans, dry, cooked, fat not added in cooking");
- every food of the built-in table (a curated list of everyday foods), and an SR28 food whose
  name key is in a built-in food's description.

A word that makes a food a different product (sprouted, fortified, exposed to ultraviolet
light) must be in the matching description too, and `NOT_EVERYDAY` lists foods left out
whatever the counts say. docs/suggestions.md gives the figures that chose the threshold;
this script prints them. Rerun with
`python -m nutrigap.foods.build_everyday [--shared ../shared/data]`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from nutrigap.foods.embedded import load_embedded
from nutrigap.foods.fndds import read_fndds
from nutrigap.foods.sr28 import read_sr28

OUT = Path(__file__).resolve().parent.parent / "analyzer" / "data" / "everyday_foods.csv"
NHANES_FILE = "nhanes/nhanes1516_individual_foods_subset.tsv"
#: at least this many of the 498 NHANES people ate the food in their two days of recall
MIN_PEOPLE = 3

#: first fields of USDA names that name a category; the food is in the next field
CATEGORIES = {"fish", "beverages", "nuts", "seeds", "mollusks", "crustaceans", "cereals",
              "cereals ready-to-eat", "game meat", "alcoholic beverage", "babyfood", "snacks",
              "candies", "soup", "sauce", "spices", "infant formula", "frozen novelties",
              "syrups", "salad dressing", "oil"}
#: first fields that name a kind of food whose next field says which one ("Beans, black")
KINDS = {"beans", "cheese", "bread", "crackers", "rolls", "cookies", "cake", "pie",
         "puddings", "ice creams", "squash", "peas"}
#: words about preparation or form, which do not say which food it is
PREPARATION = set("""raw cooked boiled drained canned frozen fresh dried dry roasted baked fluid
with without salt solids liquids mature immature seeds seed regular pack ready-to-eat
ready-to-drink ready-to-serve prepared unprepared commercial home-prepared broiled grilled fried
steamed microwaved stewed braised heat moist dry-heat includes all unenriched enriched plain
whole chopped leaf sliced diced shredded nfs ns from and or in of to a the""".split())
#: a field holding one of these is about preparation, so it does not name the food
PREPARATION_FIELD = {"cooked", "raw", "canned", "frozen", "boiled", "fluid", "dried", "roasted"}
#: words that make a food another product: the matching description must have them too
PRODUCT_WORDS = {"sprouted", "ultraviolet", "fortified", "enhanced"}
#: foods left out whatever the counts say, with the reason (a pattern on the USDA description)
NOT_EVERYDAY = {
    r"\bultraviolet\b": "mushrooms exposed to ultraviolet light are a labelled product a few "
                        "growers sell; none of the 498 NHANES people ate one (FNDDS has no "
                        "code for them)",
}


def singular(word: str) -> str:
    """'beans' -> 'bean', 'berries' -> 'berry', 'tomatoes' -> 'tomato'."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("oes"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def words(text: str) -> frozenset[str]:
    """The words of a description, lower case and singular."""
    return frozenset(singular(w) for w in re.findall(r"[a-z0-9%'-]+", str(text).lower()))


def _fields(description: str) -> list[str]:
    """The comma-separated fields of a description without its brackets, after a category
    such as 'Fish'."""
    plain = re.sub(r"\([^)]*\)", "", str(description)).lower()
    fields = [f.strip() for f in plain.split(",") if f.strip()] or [plain]
    return fields[1:] if fields[0] in CATEGORIES and len(fields) > 1 else fields


def head(description: str) -> frozenset[str]:
    """The words of the field that names the food: 'Fish, salmon, sockeye' -> {salmon};
    for a kind such as beans the next field too: 'Beans, black' -> {bean, black}, as
    'Black beans' reads."""
    fields = _fields(description)
    words_ = set(words(fields[0]))
    if fields[0] in KINDS and len(fields) > 1:
        words_ |= words(fields[1]) - {"and", "or", "with", "in"}
    return frozenset(words_ - {"nfs", "ns"})


def name_key(description: str) -> frozenset[str]:
    """The words that say which food a USDA description names: its head, and the field
    after that unless it is about preparation; plus any word that makes it another
    product."""
    fields = _fields(description)
    key = set(head(description) - PREPARATION)
    if len(fields) > 1 and fields[0] not in KINDS:
        second = words(fields[1])
        if not second & PREPARATION_FIELD:
            key |= second - PREPARATION
    key |= words(",".join(fields)) & PRODUCT_WORDS
    return frozenset(key or head(description))


def people_per_code(items: pd.DataFrame) -> pd.Series:
    """FNDDS food code -> how many people ate it."""
    return items.groupby("DRxIFDCD")["SEQN"].nunique()


class Eaters:
    """How many NHANES people ate a food of a given head whose description holds given
    words."""

    def __init__(self, items: pd.DataFrame):
        described = items.assign(head=items["DRXFCLD"].map(head),
                                 words=items["DRXFCLD"].map(words))
        grouped = described.groupby(["head", "words"])["SEQN"].agg(frozenset)
        self._by_head: dict[frozenset, list] = {}
        for (first, all_words), who in grouped.items():
            self._by_head.setdefault(first, []).append((all_words, who))
        self._cache: dict[tuple, int] = {}

    def count(self, description: str) -> int:
        """People who ate a food named with the same head and every word of the name key."""
        first, key = head(description), name_key(description)
        if (first, key) not in self._cache:
            people: set = set()
            for described, who in self._by_head.get(first, []):
                if key <= described:
                    people |= who
            self._cache[(first, key)] = len(people)
        return self._cache[(first, key)]


def left_out(descriptions: pd.Series) -> pd.Series:
    """Foods NOT_EVERYDAY names (True), whatever the counts say."""
    hit = pd.Series(False, index=descriptions.index)
    for pattern in NOT_EVERYDAY:
        hit |= descriptions.str.contains(pattern, case=False, regex=True)
    return hit


def everyday_fndds(fndds: pd.DataFrame, per_code: pd.Series) -> pd.DataFrame:
    """FNDDS foods eaten by at least MIN_PEOPLE people, by food code."""
    codes = fndds.index.str.removeprefix("fndds:")
    people = pd.Series(codes.map(per_code), index=fndds.index).fillna(0).astype(int)
    keep = (people >= MIN_PEOPLE) & ~left_out(fndds["usda_description"])
    return pd.DataFrame({"name": fndds.loc[keep, "name"], "people": people[keep],
                         "basis": "nhanes_code"})


def everyday_sr28(sr28: pd.DataFrame, built_in: pd.DataFrame, eaters: Eaters) -> pd.DataFrame:
    """SR28 foods that are built-in foods, or whose name key is in the description of a
    built-in food or of a food at least MIN_PEOPLE NHANES people ate."""
    built_in_words: dict[frozenset, list] = {}
    for description in built_in["usda_description"]:
        built_in_words.setdefault(head(description), []).append(words(description))
    descriptions = sr28["usda_description"]
    people = descriptions.map(eaters.count)
    in_built_in = descriptions.map(lambda d: any(
        name_key(d) <= w for w in built_in_words.get(head(d), [])))
    basis = pd.Series("", index=sr28.index, dtype=object)
    basis[people >= MIN_PEOPLE] = "nhanes_name"
    basis[(basis == "") & in_built_in] = "built_in_name"
    basis[sr28.index.isin(built_in.index)] = "built_in"
    keep = (basis != "") & ~left_out(sr28["usda_description"])
    return pd.DataFrame({"name": sr28.loc[keep, "usda_description"],
                         "people": people[keep], "basis": basis[keep]})


def build(shared: Path, out: Path = OUT) -> pd.DataFrame:
    """Read NHANES, FNDDS, SR28 and the built-in table; write and return the everyday table."""
    items = pd.read_csv(shared / NHANES_FILE, sep="\t", dtype=str)
    per_code = people_per_code(items)
    fndds = read_fndds(shared / "fndds-2017-2018").foods
    sr28 = read_sr28(shared / "usda-sr28").foods
    built_in = load_embedded().foods
    table = pd.concat([everyday_fndds(fndds, per_code),
                       everyday_sr28(sr28, built_in, Eaters(items))])
    table.index.name = "food_id"
    table = table.sort_index()
    out.parent.mkdir(parents=True, exist_ok=True)
    table.reset_index().to_csv(out, index=False, lineterminator="\n", encoding="utf-8")
    _print_figures(items, per_code, fndds, table)
    return table


def _print_figures(items: pd.DataFrame, per_code: pd.Series, fndds: pd.DataFrame,
                   table: pd.DataFrame) -> None:
    """The figures docs/suggestions.md quotes: what each threshold keeps."""
    pairs = items.drop_duplicates(["SEQN", "DRxIFDCD"]).groupby("DRxIFDCD").size()
    print(f"NHANES: {items['SEQN'].nunique()} people, {len(per_code)} food codes, "
          f"{int(pairs.sum())} person-food pairs; "
          f"{int(('fndds:' + per_code.index).isin(fndds.index).sum())} codes are in FNDDS "
          "2017-2018")
    for least in (1, 2, 3, 4, 5, 10):
        kept = pairs[per_code >= least]
        print(f"  codes eaten by >= {least:2d} people: {len(kept):5d} "
              f"({len(kept) / len(per_code):4.0%} of codes, "
              f"{kept.sum() / pairs.sum():5.1%} of what people ate)")
    print(f"everyday table (at least {MIN_PEOPLE} people): "
          + ", ".join(f"{n} {basis}" for basis, n in table["basis"].value_counts().items()))


def main(argv: list[str] | None = None) -> int:
    """`python -m nutrigap.foods.build_everyday [--shared DIR] [--out FILE]`."""
    parser = argparse.ArgumentParser(prog="python -m nutrigap.foods.build_everyday",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path,
                        default=Path(__file__).resolve().parent.parent.parent / "shared/data",
                        help="folder holding nhanes/, fndds-2017-2018/ and usda-sr28/")
    parser.add_argument("--out", type=Path, default=OUT, help=f"default: {OUT}")
    args = parser.parse_args(argv)
    table = build(args.shared, args.out)
    print(f"{len(table)} everyday foods written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
