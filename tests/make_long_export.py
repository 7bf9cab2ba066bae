"""Write a long synthetic Cronometer "servings.csv" export for one made-up person.

    python tests/make_long_export.py OUT.csv [--days N] [--seed S] [--start 2024-01-01]

The diary is invented by this script (no real person's data). Scored nutrients and energy are
the built-in table's per-100 g values (foods/data/foods.csv) times the grams of a serving
(foods/data/portions.csv); Water, Sodium, Caffeine and Alcohol, which the table lacks, are SR28
values typed in below. The same arguments always give byte-identical output. `traits()` says
what was planted on which day and row (tests/data/long_export/README.md). Standard library
only: it does not import nutrigap.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import random
from pathlib import Path

DAYS, SEED, START = 265, 20240101, datetime.date(2024, 1, 1)
DATA = Path(__file__).resolve().parents[1] / "foods" / "data"

# The header of the real export that shows Alcohol, Caffeine, Water and Sodium (dhjelmar).
HEADER = (
    "Day,Time,Group,Food Name,Amount,Energy (kcal),Alcohol (g),Caffeine (mg),Water (g),"
    "B1 (Thiamine) (mg),B2 (Riboflavin) (mg),B3 (Niacin) (mg),B5 (Pantothenic Acid) (mg),"
    "B6 (Pyridoxine) (mg),B12 (Cobalamin) (µg),Folate (µg),Vitamin A (µg),Vitamin C (mg),"
    "Vitamin D (IU),Vitamin E (mg),Vitamin K (µg),Calcium (mg),Copper (mg),Iron (mg),"
    "Magnesium (mg),Manganese (mg),Phosphorus (mg),Potassium (mg),Selenium (µg),Sodium (mg),"
    "Zinc (mg),Carbs (g),Fiber (g),Starch (g),Sugars (g),Net Carbs (g),Fat (g),Cholesterol (mg),"
    "Monounsaturated (g),Polyunsaturated (g),Saturated (g),Trans-Fats (g),Omega-3 (g),"
    "Omega-6 (g),Cystine (g),Histidine (g),Isoleucine (g),Leucine (g),Lysine (g),"
    "Methionine (g),Phenylalanine (g),Protein (g),Threonine (g),Tryptophan (g),Tyrosine (g),"
    "Valine (g),Category").split(",")
KCAL, ALC, CAF, WATER, NA = ("Energy (kcal)", "Alcohol (g)", "Caffeine (mg)", "Water (g)",
                             "Sodium (mg)")
MG, CA, K, VITD, B12, B6 = ("Magnesium (mg)", "Calcium (mg)", "Potassium (mg)",
                            "Vitamin D (IU)", "B12 (Cobalamin) (µg)", "B6 (Pyridoxine) (mg)")
# built-in table column -> (export column, factor); vitamin D: µg in the table, IU in the export
TABLE_COLUMNS = {"energy_kcal": (KCAL, 1), "magnesium_mg": (MG, 1), "calcium_mg": (CA, 1),
                 "potassium_mg": (K, 1), "vitamin_d_ug": (VITD, 40), "vitamin_b12_ug": (B12, 1),
                 "vitamin_b6_mg": (B6, 1)}
# The generic foods, one a line: key | Cronometer-style name | SR number (scored nutrients and
# energy come from the built-in table) | servings, the usual one first, as unit=grams or as
# unit=@seq (the grams of the food's portions.csv row `seq`) | usual quantities | SR28 per
# 100 g (NUT_DATA 255, 307, 262, 221): water g, sodium mg, caffeine mg, alcohol g, "-" where
# SR28 has none (the cell is then blank). Tap water's 99.90 g of water is written as 100 so
# that 5000 g of it shows Water 5000.
SR_FOODS = """
oats|Oatmeal, Regular or Quick, Dry|08120|g=1|1|10.84 6 0 0
milk|Milk, Reduced Fat, 2%|01079|cup=@1|1|89.21 47 0 0
yogurt|Greek Yogurt, Plain, Nonfat|01256|g=1|170|85.10 36 0 0
egg|Egg, Whole, Raw|01123|large=@1|1|76.15 142 0 0
bread|Bread, Whole-Wheat|18075|slice=@1|2|39.01 455 0 0
pb|Peanut Butter, Smooth, Salted|16098|tbsp=@1|1|1.23 426 0 0
banana|Banana, Raw|09040|medium=@5,small=@4|1|74.91 1 0 0
blueberries|Blueberries, Raw|09050|cup=@1|0.5 1|84.21 1 0 0
strawberries|Strawberries, Raw|09316|g=1|1|90.95 1 0 0
apple|Apple, Raw, With Skin|09003|medium=@4|1|85.56 1 0 0
orange|Orange, Raw|09200|fruit=@4|1|86.75 0 0 0
coffee|Coffee, Brewed|14209|cup=@3|1|99.39 2 40 0
espresso|Espresso|14210|fl oz=@1|2|97.80 14 212 0
chicken|Chicken Breast, Roasted|05064|g=1|120 150|65.26 74 0 0
brown_rice|Brown Rice, Long-Grain, Cooked|20037|cup=@1|1|70.27 4 0 0
white_rice|White Rice, Long-Grain, Cooked|20045|cup=@1|1|68.44 1 0 0
beans|Black Beans, Boiled|16015|cup=@1|0.5 1|65.74 1 0 0
spinach|Spinach, Raw|11457|cup=@1|2|91.40 79 0 0
arugula|Arugula, Raw|11959|cup=@2,g=1|1|91.71 27 0 0
tomato|Tomato, Red, Raw|11529|medium=@6|1|94.52 5 0 0
carrots|Carrots, Raw|11124|g=1|80 100|88.29 69 0 0
hummus|Hummus|16158|tbsp=@1|3 4|66.59 379 - -
pasta|Pasta, Cooked|20121|cup=@1|1.5 2|62.13 1 0 0
salmon|Salmon, Atlantic, Farmed, Raw|15236|g=1|150|64.89 59 0 0
wild_salmon|Salmon, Atlantic, Wild, Raw|15076|g=1|150|68.50 44 - -
broccoli|Broccoli, Boiled|11091|cup=@1|1|89.25 41 0 0
potato|Potato, Baked, With Skin|11674|medium=@3|1|74.89 10 0 0
olive_oil|Olive Oil|04053|tbsp=@1|1|0.00 2 0 0
walnuts|Walnuts|12155|oz=@6|1|4.07 2 0 0
almonds|Almonds|12061|oz=@5|1|4.41 1 0 0
chocolate|Dark Chocolate, 70-85% Cacao|19904|g=1|20 30|1.37 20 80 -
beer|Beer|14003|can=@2|1 2|91.96 4 0 3.9
red_wine|Red Wine|14096|fl oz=@1|5|86.49 4 0 10.6
white_wine|White Wine|14106|fl oz=@1|5|86.86 5 0 10.3
water|Tap Water|14429|g=1|1|100.0 3 0 0
"""
GROUPS = ("Breakfast", "Lunch", "Dinner", "Snacks", "Pre-workout", "Late night", "Supplements")


def load_table(data: Path = DATA) -> tuple[dict[str, dict], dict[tuple[str, str], float]]:
    """The built-in food table's rows by SR number, and its portions' grams per one unit by
    (SR number, seq)."""
    with (data / "foods.csv").open(encoding="utf-8", newline="") as fp:
        foods = {row["ndb_no"]: row for row in csv.DictReader(fp) if row["ndb_no"]}
    with (data / "portions.csv").open(encoding="utf-8", newline="") as fp:
        portions = {(row["food_id"].removeprefix("sr:"), row["seq"]):
                    float(row["grams"]) / float(row["amount"]) for row in csv.DictReader(fp)}
    return foods, portions


def serving_grams(food: dict, unit: str, portions: dict) -> float:
    """Grams in one `unit` of a food: "x 0.5 cup" is half its cup, "@3" portions.csv's seq 3."""
    times, _, rest = unit.removeprefix("x ").partition(" ")
    if unit.startswith("x ") and rest in food["units"]:
        return float(times) * serving_grams(food, rest, portions)
    grams = food["units"][unit]
    return portions[(food["ndb"], grams[1:])] if isinstance(grams, str) else grams


def label(name: str, category: str, unit: str, grams: float, per_unit: dict,
          tag: str = "") -> dict:
    """A branded/custom food or supplement: only the cells its label lists are filled."""
    per100 = {col: v * 100 / grams for col, v in per_unit.items()}
    return {"name": name, "category": category, "units": {unit: grams}, "per100": per100,
            "tag": tag}


def sr28(grams: float, kcal: float, **cols: float) -> dict:
    """Per-unit label values from SR28 per-100 g values (foods outside the built-in table)."""
    return {c: v * grams / 100 for c, v in {KCAL: kcal, **cols}.items()}


def generic_foods() -> dict[str, dict]:
    """The SR_FOODS lines as foods."""
    foods = {}
    for line in SR_FOODS.strip().splitlines():
        key, name, ndb, units, usual, extra = line.split("|")
        foods[key] = {"name": name, "ndb": ndb, "tag": "",
                      "usual": [float(q) for q in usual.split()],
                      "units": {u: g if g.startswith("@") else float(g)
                                for u, g in (s.split("=") for s in units.split(","))},
                      "extra": [None if x == "-" else float(x) for x in extra.split()]}
    return foods


F = {  # every food the made-up person logs: the generic ones, then labels and supplements
    **generic_foods(),
    "cinnamon": label("Cinnamon, Ground", "Spices and Herbs", "tsp", 2.6, sr28(
        2.6, 247, **{WATER: 10.58, NA: 10, CAF: 0, ALC: 0, MG: 60, CA: 1002, K: 431,
                     VITD: 0, B12: 0, B6: 0.158})),
    # label foods: Mg, B12 and B6 (and sometimes vitamin D) are not on the label, so blank
    "label_yogurt": label("Valley Farms, Greek Yogurt, Plain, Nonfat", "Dairy and Egg Products",
                          "container", 170, {KCAL: 90, CA: 190, K: 240, VITD: 0, NA: 65}),
    "sourdough": label("Hearth Bakery, Sourdough Bread", "Baked Products", "slice", 45,
                       {KCAL: 120, CA: 20, K: 45, NA: 240, VITD: 0}),
    "oat_drink": label("Green Valley, Oat Drink, Barista", "Beverages", "cup", 240,
                       {KCAL: 120, CA: 350, K: 390, VITD: 144, B12: 1.2, NA: 100}),
    "bar": label("Trailhead, Protein Bar, Peanut Butter", "Snacks", "bar", 60,
                 {KCAL: 210, CA: 100, K: 190, NA: 180}),
    "energy_drink": label("Energy Drink, Original", "Beverages", "can", 250,
                          {KCAL: 110, CAF: 80, NA: 105, B6: 2.0, B12: 2.4}),
    "protein": label("Whey Protein Powder, Vanilla", "Supplements", "scoop", 31,
                     {KCAL: 120, CA: 130, K: 170, MG: 40, NA: 55}, tag="protein_powder"),
    # energy only (whiskey: energy and alcohol only, SR28 14037)
    "peppers": label("Mini Sweet Peppers", "Vegetables and Vegetable Products",
                     "x 7.0 Peppers", 85, {KCAL: 15}, tag="energy_only"),
    "whiskey": label("Whiskey", "Beverages", "fl oz", 27.8,
                     sr28(27.8, 231, **{ALC: 33.4}), tag="energy_only"),
    "turmeric": label("Turmeric, Ground", "Spices and Herbs", "tsp", 3.0, sr28(3.0, 312),
                      tag="energy_only"),
}
F.update({key: label(name, "Supplements", unit, 1, {KCAL: 0, **dose}, tag=tag) for key, name, unit,
          dose, tag in [  # real supplements; one unit counts as 1 g (Cronometer gives no weight)
    ("mg_glycinate", "Magnesium Glycinate, Capsule", "capsule", {MG: 100}, "scored_supplement"),
    ("d3", "Vitamin D3 2000 IU, Softgel", "softgel", {VITD: 2000}, "scored_supplement"),
    ("b12", "Vitamin B12 1000 mcg, Lozenge", "lozenge", {B12: 1000}, "scored_supplement"),
    ("creatine", "Creatine Monohydrate, Powder", "g", {}, "unscored_supplement"),
    ("taurine", "Taurine 1000 mg, Capsule", "capsule", {}, "unscored_supplement"),
    ("lutein", "Lutein 20 mg, Softgel", "softgel", {}, "unscored_supplement"),
    ("fish_oil", "Fish Oil 1000 mg, Softgel", "softgel", {KCAL: 10}, "unscored_supplement")]})


def per100(food: dict, table: dict) -> tuple[dict, str]:
    """A food's export cells per 100 g (None = unknown) and its Cronometer category."""
    if "per100" in food:
        return food["per100"], food["category"]
    row = table[food["ndb"]]
    cells = {col: float(row[key]) * factor if row[key] != "" else None
             for key, (col, factor) in TABLE_COLUMNS.items()}
    cells.update(zip((WATER, NA, CAF, ALC), food["extra"], strict=True))
    return cells, row["food_group"]


def shown_time(minutes: int) -> str:
    """625 -> "10:25 AM", as the export writes times."""
    h, m = divmod(minutes % 1440, 60)
    return f"{(h - 1) % 12 + 1}:{m:02d} {'AM' if h < 12 else 'PM'}"


def day_menu(i: int, kind: str, rng: random.Random) -> list[tuple]:
    """The (group, food key, quantity, unit) entries logged on day `i` of the log; a None
    quantity or unit is the food's usual serving."""
    pick, chance = rng.choice, rng.random
    if kind == "half_logged":  # one or two small items, nothing else
        return [("Breakfast", "coffee", 1, "cup"), ("Snacks", *pick(
            [("apple", 1, "medium"), ("orange", 1, "fruit"), ("banana", 1, "small")]))][: 1 + i % 2]
    out = [("Breakfast", "coffee", pick([1, 1, 2]), "cup")]
    breakfast = pick([
        [("oats", pick([40, 50, 60]), "g"), ("milk" if chance() < 0.6 else "oat_drink", 1, "cup"),
         (pick(["banana", "blueberries"]), None, None)],
        [("egg", pick([2, 3]), "large"), ("bread" if chance() < 0.6 else "sourdough", 2, "slice"),
         ("pb", 1, "tbsp")],
        [("yogurt", 200, "g") if chance() < 0.5 else ("label_yogurt", 1, "container"),
         ("strawberries", pick([100, 150]), "g"), ("walnuts", 0.5, "oz")]])
    out += [("Breakfast", *entry) for entry in breakfast]
    salad = ("arugula", 50, "x 0.5 cup") if kind == "large_salad" else (
        pick(["spinach", "arugula"]), pick([1, 2]), "cup")
    out += [("Lunch", *salad), ("Lunch", "tomato", 1, "medium"), ("Lunch", "olive_oil", 1, "tbsp"),
            ("Lunch", pick(["chicken", "chicken", "hummus"]), None, None),
            ("Lunch", pick(["brown_rice", "white_rice", "beans", "bread"]), None, None),
            ("Dinner", pick(["salmon", "wild_salmon", "chicken", "pasta"]), None, None),
            ("Dinner", pick(["potato", "brown_rice", "broccoli"]), None, None),
            ("Dinner", pick(["broccoli", "carrots", "spinach"]), None, None)]
    if chance() < 0.3:
        out.append(("Dinner", pick(["beer", "red_wine", "white_wine"]), None, None))
    out += [("Snacks", "coffee" if chance() < 0.7 else "espresso", 1, None)
            for _ in range(pick([1, 2]))]
    out += [("Snacks", pick(["apple", "orange", "almonds", "bar", "chocolate", "hummus"]), None,
             None) for _ in range(pick([1, 2]))]
    if kind == "water_5_litres":
        out.append(("Snacks", "water", 5000, "g"))
    elif chance() < 0.3:
        out.append(("Snacks", "water", pick([500, 750, 1000]), "g"))
    if i % 5 == 3:
        out.append(("Late night", pick(["chocolate", "yogurt", "almonds"]), None, None))
    if kind != "magnesium_unknown" and i % 10 != 9:
        out.append(("Supplements", "mg_glycinate", 2, "capsule"))
    planted = [  # (on this day?, group, food, quantity, unit): the row-level traits
        (i % 23 == 5, "Dinner", "turmeric", 1, "tsp"),
        (i % 19 == 4, "Snacks", "peppers", 2, "x 7.0 Peppers"),
        (i % 3 == 0, "Pre-workout", "protein", 1, "scoop"),
        (i % 3 == 0, "Pre-workout", "creatine", 5, "g"),
        (i % 6 == 0, "Pre-workout", "energy_drink", 1, "can"),
        (i % 29 == 6, "Late night", "whiskey", 1.5, "fl oz"),
        (True, "Supplements", "d3", 1, "softgel"), (i % 3 == 1, "Supplements", "b12", 1, "lozenge"),
        (i % 2 == 0, "Supplements", "fish_oil", 2, "softgel"),
        (i % 4 == 1, "Supplements", "lutein", 1, "softgel"),
        (i % 5 == 2, "Supplements", "taurine", 1, "capsule"),
        (i % 7 == 2, "Supplements", "walnuts", 1, "oz"),
        (i % 11 == 6, "Supplements", "banana", 1, "medium"),
        (i % 5 == 1, "Supplements", "cinnamon", 1, "tsp")]
    return out + [entry for on, *entry in planted if on]


# each group's first entry: minutes after midnight, plus up to `span` more
START_TIMES = {"Breakfast": (420, 120), "Lunch": (720, 100), "Dinner": (1095, 120),
               "Snacks": (900, 120), "Pre-workout": (990, 60), "Late night": (1320, 90),
               "Supplements": (510, 60)}


def cell_text(value) -> str:
    """A nutrient value as the export writes it: two decimals, or blank when unknown."""
    return "" if value is None else f"{value:.2f}"


def quoted(text: str) -> str:
    """A text cell quoted the way Cronometer quotes Group, Food Name, Amount and Category."""
    return '"' + text.replace('"', '""') + '"'


def build(days: int = DAYS, seed: int = SEED, start: datetime.date = START) -> list[dict]:
    """Every export row as a dict of cells plus its `tags` and `trait_day`, in file order."""
    (table, portions), plan, rows = load_table(), day_plan(days), []
    for i in range(days):
        date = start + datetime.timedelta(days=i)
        rng = random.Random(f"{seed}/{date.isoformat()}")
        kind = plan.get(i, "")
        entries = day_menu(i, kind, rng)
        times = {g: first + rng.randrange(span) for g, (first, span) in START_TIMES.items()}
        for group in GROUPS:
            for _, key, qty, unit in (e for e in entries if e[0] == group):
                food = F[key]
                tags = {food["tag"]} - {""}
                if unit is None:  # the food's usual serving
                    qty, unit = qty or rng.choice(food.get("usual", [1])), next(iter(food["units"]))
                if unit == "x 0.5 cup" or (key == "water" and qty == 5000):
                    tags.add("large_salad" if key == "arugula" else "water_5_litres")
                grams = qty * serving_grams(food, unit, portions)
                values, category = per100(food, table)
                cells = {c: None for c in HEADER}
                cells.update({c: v * grams / 100 if v is not None else None
                              for c, v in values.items()})
                if kind == "magnesium_unknown":
                    cells[MG] = None
                times[group] += rng.randrange(3)
                cells.update({"Day": date.isoformat(), "Time": shown_time(times[group]),
                              "Group": group, "Food Name": food["name"],
                              "Amount": f"{qty:.2f} {unit}", "Category": category})
                if group == "Supplements" and category != "Supplements":
                    tags.add("supplements_group_food")
                rows.append({"cells": cells, "tags": tags, "trait_day": kind})
    return rows


def day_plan(days: int) -> dict[int, str]:
    """Day index -> the day-level trait planted on it, spread evenly, at most one per day."""
    n_half = max(1, round(16 * days / DAYS))
    wanted = [("half_logged", [(k + 0.5) / n_half for k in range(n_half)]),
              ("magnesium_unknown", [0.3, 0.55, 0.85]), ("water_5_litres", [0.2, 0.72]),
              ("large_salad", [0.1, 0.45, 0.78])]
    plan: dict[int, str] = {}
    for name, spots in wanted:
        for spot in spots if days >= 60 or name == "half_logged" else spots[:1]:
            free = [j % days for j in range(int(spot * days), int(spot * days) + days)
                    if j % days not in plan]
            if free and len(plan) < days - 1:
                plan[free[0]] = name
    return plan


def render(rows: list[dict]) -> str:
    """The rows as Cronometer writes servings.csv: quoted text cells, LF line ends."""
    lines = [",".join(HEADER)]
    for row in rows:
        c = row["cells"]
        lines.append(",".join([c["Day"], c["Time"], *(quoted(c[h]) for h in HEADER[2:5]),
                               *(cell_text(c[h]) for h in HEADER[5:-1]),
                               quoted(c["Category"])]))
    return "\n".join(lines) + "\n"


def make_export(days: int = DAYS, seed: int = SEED, start: datetime.date | str = START) -> str:
    """The whole export as CSV text (write it as UTF-8, no BOM)."""
    return render(build(days, seed, datetime.date.fromisoformat(str(start))))


def traits(days: int = DAYS, seed: int = SEED, start: datetime.date | str = START) -> dict:
    """What was planted where. "days": trait -> dates; "rows": trait -> [{row, date, group,
    food, amount}] with spreadsheet row numbers (header = row 1); "day_kcal": date -> energy."""
    rows = build(days, seed, datetime.date.fromisoformat(str(start)))
    out = {"days": {}, "rows": {}, "day_kcal": {}}
    for number, row in enumerate(rows, start=2):
        c = row["cells"]
        tags = set(row["tags"])
        if c["Category"] == "Supplements":
            tags.add("supplement")
        else:  # a blank cell on a food row: unknown (on a supplement row: not on the label)
            tags |= {f"blank_{n}" for n, col in (("magnesium", MG), ("vitamin_d", VITD),
                                                 ("b12", B12)) if c[col] is None}
        tags |= {n for n, col in (("caffeine", CAF), ("alcohol", ALC)) if (c[col] or 0) > 0}
        tags |= {"custom_group"} if c["Group"] in ("Pre-workout", "Late night") else set()
        for tag in tags:
            out["rows"].setdefault(tag, []).append(
                {"row": number, "date": c["Day"], "group": c["Group"],
                 "food": c["Food Name"], "amount": c["Amount"]})
        if row["trait_day"] and c["Day"] not in out["days"].get(row["trait_day"], []):
            out["days"].setdefault(row["trait_day"], []).append(c["Day"])
        kcal = out["day_kcal"].get(c["Day"], 0) + float(cell_text(c[KCAL]) or 0)
        out["day_kcal"][c["Day"]] = round(kcal, 2)
    return out


def main(argv: list[str] | None = None) -> None:
    """Command line: write the export to OUT."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--days", type=int, default=DAYS)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--start", type=datetime.date.fromisoformat, default=START)
    args = parser.parse_args(argv)
    if args.days < 1:
        parser.error("--days must be at least 1")
    text = make_export(args.days, args.seed, args.start)
    args.out.write_bytes(text.encode("utf-8"))


if __name__ == "__main__":
    main()
