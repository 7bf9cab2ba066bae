"""Daily targets and upper limits for a person, from the DRI table in `data/dri.csv`.

`data/dri.csv` has one row per life-stage group: `stage` (child, female, male, pregnancy,
lactation), the ages it covers (`age_min` <= age < `age_below`; blank = no upper bound), and per
nutrient key the target and `<key>_ul`, blank where none is set. `data/dri_sources.csv` says
per nutrient whether the target is an RDA or an AI, what the upper limit applies to, and where
the numbers come from.
"""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from nutrigap.analyzer.errors import BadProfile, BadTargets
from nutrigap.analyzer.nutrients import IU_PER_UG_VITAMIN_D, NUTRIENTS, SCORED_KEYS
from nutrigap.analyzer.rule_tables import rule_table
from nutrigap.analyzer.scoring.overrides import parse_overrides

TARGET_COLUMNS = ["name", "unit", "target", "target_kind", "ul", "ul_applies_to", "overridden",
                  "group", "dri_target", "dri_ul", "source", "note", "warning"]

_SEXES = {"female": "female", "f": "female", "woman": "female", "girl": "female",
          "male": "male", "m": "male", "man": "male", "boy": "male"}
# pregnancy and lactation rows exist for these ages only (14 up to the 51st birthday)
_CHILDBEARING = (14, 51)
_OLDEST = 125
# the lightest one-year-old and beyond the heaviest adult: anything outside is a slip (pounds,
# grams, a missing decimal point)
_WEIGHT_KG = (5, 400)


class Profile(BaseModel):
    """Who the targets are for: age in years, sex, whether pregnant or breastfeeding, and
    optionally the body weight in kg (a child's caffeine limit is set per kg)."""

    model_config = ConfigDict(frozen=True)

    age: float
    sex: Literal["female", "male"]
    pregnant: bool = False
    lactating: bool = False
    weight_kg: float | None = None

    @model_validator(mode="wrap")
    @classmethod
    def _refuse_impossible(cls, data, handler):
        if isinstance(data, dict):
            data = {**data, "sex": _sex(data.get("sex")), "age": _age(data.get("age")),
                    "weight_kg": _weight(data.get("weight_kg"))}
        try:
            profile = handler(data)
        except ValidationError as exc:
            fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                               for e in exc.errors())
            raise BadProfile(f"the profile cannot be used ({fields})") from None
        profile._check_life_stage()
        return profile

    def _check_life_stage(self) -> None:
        age = f"{self.age:g}"
        if self.age < 1:
            raise BadProfile(f"age {age} is under 1 year; the targets here start at 1 year "
                             "(infants have their own intakes: ask a paediatric dietitian)")
        if self.age > _OLDEST:
            raise BadProfile(f"age {age} is not a plausible age in years; give the age in years, "
                             "e.g. 34")
        if self.pregnant and self.lactating:
            raise BadProfile("pregnant and lactating were both given; choose one (pregnancy "
                             "targets until the birth, lactation targets while breastfeeding)")
        stage = "pregnant" if self.pregnant else "lactating" if self.lactating else ""
        if stage and self.sex == "male":
            raise BadProfile(f"{stage} was given for a male; check the sex (female) or leave "
                             f"out {stage}")
        if stage and not _CHILDBEARING[0] <= self.age < _CHILDBEARING[1]:
            raise BadProfile(f"{stage} at age {age}: pregnancy and lactation targets exist for "
                             "ages 14 to 50 only; leave it out to use the targets for the age "
                             "and sex, and check them with a clinician")

    @property
    def stage(self) -> str:
        """The DRI stage: pregnancy and lactation come before sex; under 9, sex does not
        matter."""
        if self.pregnant:
            return "pregnancy"
        if self.lactating:
            return "lactation"
        return "child" if self.age < 9 else self.sex


def _sex(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or not str(value).strip():
        raise BadProfile("sex is missing; give female or male (the targets differ by sex from "
                         "age 9, and pregnancy needs it too)")
    sex = _SEXES.get(str(value).strip().lower())
    if sex is None:
        raise BadProfile(f'sex "{value}" is not recognised; give female or male (f or m work '
                         "too)")
    return sex


def _age(value) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise BadProfile("age is missing; give the age in years, e.g. 34 (1.5 for 18 months)")
    try:
        age = float(value)
    except (TypeError, ValueError):
        raise BadProfile(f'age "{value}" is not a number; give the age in years, e.g. 34') \
            from None
    if not math.isfinite(age):
        raise BadProfile(f'age "{value}" is not a number; give the age in years, e.g. 34')
    return age


def _weight(value) -> float | None:
    """A body weight in kg, or None when none is given; anything no person weighs is refused."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or (
            isinstance(value, str) and not value.strip()):
        return None
    try:
        weight = float(value)
    except (TypeError, ValueError):
        raise BadProfile(f'weight "{value}" is not a number; give the body weight in kg, '
                         "e.g. 32") from None
    if not _WEIGHT_KG[0] <= weight <= _WEIGHT_KG[1]:
        raise BadProfile(f"weight {weight:g} kg is not a plausible body weight; give it in kg "
                         f"(between {_WEIGHT_KG[0]} and {_WEIGHT_KG[1]}), e.g. 32")
    return weight


def dri_table() -> pd.DataFrame:
    """The whole DRI table: one row per life-stage group (a copy; safe to change)."""
    return rule_table("dri.csv").copy()


def dri_sources() -> pd.DataFrame:
    """Per nutrient key: target_kind, ul_applies_to, source and note."""
    return rule_table("dri_sources.csv").set_index("nutrient")


def life_stage_group(profile: Profile) -> pd.Series:
    """The row of the DRI table that applies to `profile`."""
    table = rule_table("dri.csv")
    below = table["age_below"].fillna(math.inf)
    hit = table[(table["stage"] == profile.stage) & (table["age_min"] <= profile.age)
                & (profile.age < below)]
    if len(hit) != 1:  # the table is checked by the tests; this guards an edited copy
        raise BadProfile(f"no single DRI group for {profile.stage} at age {profile.age:g}")
    return hit.iloc[0]


def targets_for(profile: Profile | dict, overrides=None) -> pd.DataFrame:
    """The targets and upper limits that apply to `profile`, after a dietitian's overrides
    (a dict, a DataFrame or `read_overrides` output); indexed by nutrient key."""
    if not isinstance(profile, Profile):
        profile = Profile.model_validate(profile)
    row = life_stage_group(profile)
    info = dri_sources().reindex(SCORED_KEYS)
    table = pd.DataFrame(index=pd.Index(SCORED_KEYS, name="nutrient"))
    table["name"] = NUTRIENTS.loc[SCORED_KEYS, "name"]
    table["unit"] = NUTRIENTS.loc[SCORED_KEYS, "unit"]
    table["target"] = row[SCORED_KEYS].astype(float).to_numpy()
    table["target_kind"] = info["target_kind"]
    table["ul"] = row[[f"{k}_ul" for k in SCORED_KEYS]].astype(float).to_numpy()
    table["ul_applies_to"] = info["ul_applies_to"]
    table["overridden"] = False
    table["group"] = row["group"]
    table["dri_target"] = table["target"]
    table["dri_ul"] = table["ul"]
    table["source"] = info["source"]
    table["note"] = info["note"]
    table["warning"] = ""
    if overrides is not None:
        _apply(table, parse_overrides(overrides))
    return table[TARGET_COLUMNS]


def _apply(table: pd.DataFrame, overrides: pd.DataFrame) -> None:
    problems = []
    for o in overrides.itertuples(index=False):
        name = table.at[o.nutrient, "name"]
        if o.field == "target" and pd.isna(table.at[o.nutrient, "target"]):
            problems.append(f'{_at(o.where)}"{o.written}": {name} has no target here, only an '
                            f"upper limit; write {o.nutrient}_ul to change the upper limit")
        elif o.field == "ul" and table.at[o.nutrient, "ul_applies_to"] == "none":
            problems.append(f'{_at(o.where)}"{o.written}": {name} has no upper limit to change; '
                            "delete the line or set its target instead")
        else:
            table.at[o.nutrient, "ul" if o.field == "ul" else "target"] = o.value
            table.at[o.nutrient, "overridden"] = True
    if not problems:
        problems = _check_against_limits(table, overrides)
    if problems:
        raise BadTargets("\n".join(problems))


def _check_against_limits(table: pd.DataFrame, overrides: pd.DataFrame) -> list[str]:
    """A target above the upper limit in force. Where the limit counts food too (calcium,
    vitamin D), the target could only be reached by passing the limit: refused, since it is
    almost always a slip (IU typed as µg, an extra 0); a clinician who means it raises the
    limit in the same file. Magnesium's limit counts supplements only, so a target above it
    is possible from food and gets a warning (`warning` column) instead of a refusal."""
    problems = []
    for key, t in table[table["overridden"]].iterrows():
        if pd.isna(t["target"]) or pd.isna(t["ul"]) or t["target"] <= t["ul"]:
            continue
        mine = overrides[overrides["nutrient"] == key].set_index("field")
        unit, target, ul = t["unit"], _fmt(t["target"]), _fmt(t["ul"])
        limit_key = f"{key}_ul"
        if t["ul_applies_to"] == "supplements":
            # A child's magnesium RDA is above its supplement limit by design, and food
            # gives an adult's 400 mg readily: only a target beyond every DRI is odd.
            highest = dri_table()[key].max()
            if "target" not in mine.index or t["target"] <= highest:
                continue
            table.at[key, "warning"] = (
                f"The {t['name']} target of {target} {unit} is above the {ul} {unit} upper "
                f"limit for {t['name'].lower()} from supplements (the DRI target is "
                f"{_fmt(t['dri_target'])} {unit}) and above the highest DRI of any age group "
                f"({_fmt(highest)} {unit}); food alone seldom gives that much, so check the "
                "figure.")
            continue
        if "target" in mine.index:
            o = mine.loc["target"]
            head = (f'{_at(o["where"])}"{o["written"]}" {target} {unit} is above the {ul} {unit} '
                    f"upper limit of {t['name']}, so the target could not be met without "
                    "passing the limit")
        else:  # only the limit was changed, to below the standard target
            o = mine.loc["ul"]
            head = (f'{_at(o["where"])}"{o["written"]}" {ul} {unit} is below the {t["name"]} '
                    f"target of {target} {unit}, so the target could not be met without "
                    "passing the limit")
        written = str(o.get("value_written", ""))
        if key == "vitamin_d_ug" and "target" in mine.index and _plain_number(written):
            iu = float(written)
            head += (f"; did you mean {written} IU = {_fmt(iu / IU_PER_UG_VITAMIN_D)} {unit}? "
                     f"Write {written} IU (or {_fmt(iu / IU_PER_UG_VITAMIN_D)})")
        else:
            head += "; check the figure"
        if "target" in mine.index:
            head += (". If a target above the usual limit is meant, raise the limit too, on a "
                     f"line {limit_key} with the new limit.")
        else:
            head += f", or lower the target too, on a line {key} with the new target."
        problems.append(head)
    return problems


def _plain_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _fmt(value: float) -> str:
    """1000 -> '1,000', 2.4 -> '2.4'."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def _at(where: str) -> str:
    return f"{where}: " if where else ""
