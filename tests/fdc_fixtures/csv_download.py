"""Small FoodData Central CSV downloads, written by the tests in the real file layout.

Headers are those of FDC's CSV zips; every value is quoted, as FDC writes them. Nutrient
values and portions are SR28's for the SR Legacy foods and FNDDS 2017-2018's for the survey
foods. The FDC ids of foods other than Spinach, raw (168462) and Strawberries (747448) are
stand-ins.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

HEADERS = {
    "food.csv": ["fdc_id", "data_type", "description", "food_category_id", "publication_date"],
    "nutrient.csv": ["id", "name", "unit_name", "nutrient_nbr", "rank"],
    "food_nutrient.csv": ["id", "fdc_id", "nutrient_id", "amount", "data_points",
                          "derivation_id", "min", "max", "median", "footnote",
                          "min_year_acquired"],
    "food_portion.csv": ["id", "fdc_id", "seq_num", "amount", "measure_unit_id",
                         "portion_description", "modifier", "gram_weight", "data_points",
                         "footnote", "min_year_acquired"],
    "measure_unit.csv": ["id", "name"],
    "food_category.csv": ["id", "code", "description"],
    "wweia_food_category.csv": ["wweia_food_category", "wweia_food_category_description"],
    "sr_legacy_food.csv": ["fdc_id", "NDB_number"],
    "foundation_food.csv": ["fdc_id", "NDB_number", "footnote"],
    "survey_fndds_food.csv": ["fdc_id", "food_code", "wweia_category_code", "start_date",
                              "end_date"],
    "food_attribute.csv": ["id", "fdc_id", "seq_num", "food_attribute_type_id", "name", "value"],
    "food_attribute_type.csv": ["id", "name", "description"],
}
# FNDDS's additional descriptions are food attributes of this type.
ADDITIONAL_DESCRIPTION = (1001, "Additional Description", "Additional descriptions for the food.")

NUTRIENTS = [
    # id, name, unit_name, nutrient_nbr, rank
    (1008, "Energy", "KCAL", "208", 300),
    (1062, "Energy", "kJ", "268", 400),
    (2047, "Energy (Atwater General Factors)", "KCAL", "957", 280),
    (2048, "Energy (Atwater Specific Factors)", "KCAL", "958", 290),
    (1087, "Calcium, Ca", "MG", "301", 5300),
    (1090, "Magnesium, Mg", "MG", "304", 5500),
    (1092, "Potassium, K", "MG", "306", 5700),
    (1089, "Iron, Fe", "MG", "303", 5400),
    (1110, "Vitamin D (D2 + D3), International Units", "IU", "324", 8650),
    (1114, "Vitamin D (D2 + D3)", "UG", "328", 8700),
    (1175, "Vitamin B-6", "MG", "415", 6600),
    (1178, "Vitamin B-12", "UG", "418", 7300),
    (1246, "Vitamin B-12, added", "UG", "578", 7340),
    (1057, "Caffeine", "MG", "262", 18300),
    (1018, "Alcohol, ethyl", "G", "221", 18200),
    (1051, "Water", "G", "255", 100),
    (1093, "Sodium, Na", "MG", "307", 5800),
]
MEASURE_UNITS = [(1000, "cup"), (1001, "tablespoon"), (1043, "piece"), (1119, "RACC"),
                 (9999, "undetermined")]
CATEGORIES = [(9, "0900", "Fruits and Fruit Juices"),
              (11, "1100", "Vegetables and Vegetable Products"),
              (12, "1200", "Nut and Seed Products"), (15, "1500", "Finfish and Shellfish Products"),
              (16, "1600", "Legumes and Legume Products")]

# fdc_id, NDB number, description, category, {nutrient id: amount}, [(seq, amount, modifier, g)]
SR_LEGACY_FOODS = [
    (168462, 11457, "Spinach, raw", 11,
     {1008: 23, 1062: 97, 1087: 99, 1090: 79, 1092: 558, 1089: 2.71, 1110: 0, 1114: 0.0,
      1175: 0.195, 1178: 0.0, 1057: 0, 1018: 0.0, 1051: 91.40, 1093: 79},
     [(1, 1, "cup", 30), (2, 1, "bunch", 340), (3, 1, "leaf", 10.0),
      (4, 1, "package (10 oz)", 284)]),
    (170567, 12061, "Nuts, almonds", 12,
     {1008: 579, 1087: 269, 1090: 270, 1092: 733, 1110: 0, 1114: 0.0, 1175: 0.137, 1178: 0.0},
     [(1, 1, "cup, whole", 143), (2, 1, "cup, sliced", 92), (5, 1, "oz (23 whole kernels)", 28.35),
      (6, 1, "almond", 1.2)]),
    # SR28 has no vitamin D, caffeine or alcohol value for wild Atlantic salmon: unknown.
    (173686, 15076, "Fish, salmon, Atlantic, wild, raw", 15,
     {1008: 142, 1087: 12, 1090: 29, 1092: 490, 1175: 0.818, 1178: 3.18, 1051: 68.50,
      1093: 44},
     [(1, 3, "oz", 85), (2, 0.5, "fillet", 198)]),
    # Vitamin D only in IU, and no magnesium value at all.
    (172477, 16609, "MORNINGSTAR FARMS Breakfast Pattie, frozen, unprepared", 16,
     {1008: 195, 1087: 60, 1092: 531, 1110: 1, 1175: 0.020, 1178: 0.0},
     [(1, 1, "pattie", 38)]),
]


def write_files(folder: Path, tables: dict[str, list[tuple]]) -> Path:
    """Write each table under its FDC file name with the real header, every value quoted."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with open(folder / name, "w", encoding="utf-8", newline="") as fp:
            writer = csv.writer(fp, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writerow(HEADERS[name])
            for row in rows:
                writer.writerow(["" if v is None else v for v in row])
    return folder


def _pad(row: tuple, name: str) -> tuple:
    return tuple(row) + ("",) * (len(HEADERS[name]) - len(row))


def _common() -> dict[str, list[tuple]]:
    return {
        "nutrient.csv": [_pad(n, "nutrient.csv") for n in NUTRIENTS],
        "measure_unit.csv": list(MEASURE_UNITS),
        "food_category.csv": list(CATEGORIES),
    }


def sr_legacy_tables() -> dict[str, list[tuple]]:
    """The tables of an SR Legacy download holding SR_LEGACY_FOODS."""
    tables = _common()
    tables["food.csv"] = [(f, "sr_legacy_food", d, c, "2019-04-01")
                          for f, _, d, c, _, _ in SR_LEGACY_FOODS]
    tables["sr_legacy_food.csv"] = [(f, n) for f, n, *_ in SR_LEGACY_FOODS]
    tables["food_nutrient.csv"] = _food_nutrients(
        (f, values) for f, _, _, _, values, _ in SR_LEGACY_FOODS)
    tables["food_portion.csv"] = [
        _pad((0, f, seq, amount, 9999, "", modifier, grams), "food_portion.csv")
        for f, _, _, _, _, portions in SR_LEGACY_FOODS
        for seq, amount, modifier, grams in portions]
    return _numbered(tables)


def foundation_tables() -> dict[str, list[tuple]]:
    """A Foundation download: energy only as Atwater figures, real measure units, and lab
    sample records that are not foods."""
    tables = _common()
    tables["food.csv"] = [
        (747448, "foundation_food", "Strawberries, raw", 9, "2019-12-16"),
        (2346409, "foundation_food", "Lentils, dry", 16, "2022-10-28"),
        (746790, "sub_sample_food", "Strawberries, raw, sample 3", 9, "2019-12-16"),
    ]
    tables["foundation_food.csv"] = [(747448, 9316, ""), (2346409, 16069, "")]
    tables["food_nutrient.csv"] = _food_nutrients([
        (747448, {2047: 35.6, 2048: 32.2, 1087: 11.6, 1090: 12.1, 1092: 148, 1114: 0.0,
                  1175: 0.05}),
        (2346409, {2047: 351, 1087: 48.2, 1090: 105, 1092: 870, 1175: 0.48}),
        (746790, {1087: 12.9, 1090: 13.0}),
    ])
    tables["food_portion.csv"] = [
        _pad(row, "food_portion.csv") for row in [
            (0, 747448, 1, 1.0, 1000, "", "halves", 152.0),
            (0, 747448, 2, 1.0, 1000, "", "", 144.0),
            (0, 747448, 3, 8.0, 1043, "", "", 96.0),
            (0, 2346409, 1, 0.25, 1000, "", "", 48.0),
            (0, 2346409, 2, 1.0, 1119, "1 RACC is a 35 g serving", "", 35.0),
        ]]
    return _numbered(tables)


def fndds_tables() -> dict[str, list[tuple]]:
    """An FNDDS (survey) download: nutrients named by their number (208, 304) rather than
    their id, the FNDDS food code in survey_fndds_food.csv, the measure in
    portion_description with its amount not filled in and a numeric code as the modifier, and
    FNDDS's additional descriptions as food attributes (one per row, or several in one value
    as FNDDS's own tables write them)."""
    tables = _common()
    tables["food.csv"] = [
        (2710218, "survey_fndds_food", "Spinach, raw", 6409, "2022-10-28"),
        (2706155, "survey_fndds_food", "Beef curry", 3002, "2022-10-28"),
        (2705385, "survey_fndds_food", "Milk, human", 9602, "2022-10-28"),
    ]
    tables["survey_fndds_food.csv"] = [
        (2710218, "72125100", 6409, "2019-01-01", "2020-12-31"),
        (2706155, "27116100", 3002, "2019-01-01", "2020-12-31"),
        (2705385, "11000000", 9602, "2019-01-01", "2020-12-31"),
    ]
    tables["wweia_food_category.csv"] = [(6409, "Spinach"), (3002, "Meat mixed dishes"),
                                         (9602, "Human milk")]
    tables["food_nutrient.csv"] = _food_nutrients([
        (2710218, {208: 23, 301: 99, 304: 79, 306: 558, 328: 0, 415: 0.195, 418: 0}),
        (2706155, {208: 111, 301: 20, 304: 17, 306: 288, 328: 0, 415: 0.201, 418: 0.54}),
        (2705385, {208: 70, 301: 32, 304: 3, 306: 51, 328: 0.1, 415: 0.011, 418: 0.05}),
    ])
    tables["food_attribute_type.csv"] = [ADDITIONAL_DESCRIPTION]
    tables["food_attribute.csv"] = [
        (1, 2706155, 1, 1001, "", "lamb"), (2, 2706155, 2, 1001, "", "mutton"),
        (3, 2706155, 3, 1001, "", "goat; pork"),
    ]
    tables["food_portion.csv"] = [
        _pad(row, "food_portion.csv") for row in [
            (0, 2710218, 1, "", 9999, "1 cup", "10205", 25.0),
            (0, 2710218, 2, "", 9999, "1 leaf", "64006", 10.0),
            (0, 2710218, 3, "", 9999, "1 baby leaf", "64007", 0.6),
            (0, 2710218, 4, "", 9999, "Guideline amount in salad", "62203", 50.0),
            (0, 2710218, 5, "", 9999, "Quantity not specified", "90000", 13.0),
            (0, 2706155, 1, "", 9999, "1 cup", "10205", 240.0),
            (0, 2706155, 2, "", 9999, "1/2 cup", "10205", 120.0),
            (0, 2706155, 3, "", 9999, "Quantity not specified", "90000", 240.0),
            # FNDDS gives human milk's unspecified quantity a weight of 0 g.
            (0, 2705385, 1, "", 9999, "1 fl oz", "10205", 30.8),
            (0, 2705385, 2, "", 9999, "Quantity not specified", "90000", 0.0),
        ]]
    return _numbered(tables)


def _food_nutrients(foods) -> list[tuple]:
    return [_pad((0, fdc_id, nutrient, amount, 1, 1), "food_nutrient.csv")
            for fdc_id, values in foods for nutrient, amount in values.items()]


def _numbered(tables: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """Give food_nutrient and food_portion rows the running ids FDC gives them."""
    for name, start in (("food_nutrient.csv", 1_000_001), ("food_portion.csv", 80_001)):
        tables[name] = [(start + i, *row[1:]) for i, row in enumerate(tables[name])]
    return tables


def sr28_as_fdc(sr28_dir: Path, folder: Path, groups: tuple[str, ...]) -> pd.DataFrame:
    """Write the SR28 foods of some food groups as an FDC SR Legacy download (the same data
    USDA republished there) and return their NDB numbers and stand-in FDC ids."""
    def read(name, names):
        return pd.read_csv(sr28_dir / name, sep="^", quotechar="~", header=None, names=names,
                           dtype=str, encoding="latin-1", keep_default_na=False)

    food_des = read("FOOD_DES.txt", ["ndb", "group", "desc", *range(11)])
    food_des = food_des[food_des["group"].isin(groups)].reset_index(drop=True)
    fdc_of = {ndb: 900_000 + i for i, ndb in enumerate(food_des["ndb"])}
    fd_group = read("FD_GROUP.txt", ["code", "desc"])
    nut = read("NUT_DATA.txt", ["ndb", "nr", "value", *range(15)])
    nut = nut[nut["ndb"].isin(fdc_of)]
    id_of_nr = {str(n[3]): n[0] for n in NUTRIENTS}
    nut = nut[nut["nr"].isin(id_of_nr)]
    weight = read("WEIGHT.txt", ["ndb", "seq", "amount", "desc", "grams", "n", "sd"])
    weight = weight[weight["ndb"].isin(fdc_of)]

    tables = _common()
    tables["food_category.csv"] = [(int(c), c, d) for c, d in zip(fd_group["code"],
                                                                   fd_group["desc"], strict=True)]
    tables["food.csv"] = [(fdc_of[n], "sr_legacy_food", d, int(g), "2019-04-01")
                          for n, d, g in zip(food_des["ndb"], food_des["desc"],
                                             food_des["group"], strict=True)]
    tables["sr_legacy_food.csv"] = [(f, int(n)) for n, f in fdc_of.items()]
    tables["food_nutrient.csv"] = [
        _pad((0, fdc_of[n], id_of_nr[nr], v), "food_nutrient.csv")
        for n, nr, v in zip(nut["ndb"], nut["nr"], nut["value"], strict=True)]
    tables["food_portion.csv"] = [
        _pad((0, fdc_of[n], s, a, 9999, "", d, g), "food_portion.csv")
        for n, s, a, d, g in zip(weight["ndb"], weight["seq"], weight["amount"],
                                 weight["desc"], weight["grams"], strict=True)]
    write_files(folder, _numbered(tables))
    return pd.DataFrame({"ndb": list(fdc_of), "fdc_id": list(fdc_of.values())})
