"""Plain-text views for the terminal: what the CLI commands print, kept apart from the
commands so each can be tested as a function of its data."""

from __future__ import annotations

import csv
import io

# Columns `foods fetch` prints: nutrient key, header, decimals.
_FETCH_COLUMNS = [("magnesium_mg", "Mg mg", 0), ("calcium_mg", "Ca mg", 0),
                  ("potassium_mg", "K mg", 0), ("vitamin_d_ug", "Vit D µg", 1),
                  ("vitamin_b12_ug", "B12 µg", 2)]


def fetched_lines(foods_frame) -> list[str]:
    """One line per fetched food: id, name and the target nutrients per 100 g ('?' unknown)."""
    def cell(value, decimals):
        return "?" if value != value else f"{value:.{decimals}f}"  # NaN != NaN

    header = f"{'id':<14} {'food':<44}" + "".join(f"{h:>10}" for _, h, _ in _FETCH_COLUMNS)
    lines = [header]
    for food_id, food in foods_frame.iterrows():
        name = food["name"] if len(food["name"]) <= 44 else food["name"][:43] + "…"
        lines.append(f"{food_id:<14} {name:<44}" + "".join(
            f"{cell(food[key], d):>10}" for key, _, d in _FETCH_COLUMNS))
    return lines


def fetch_lines(found) -> list[str]:
    """What `foods fetch` prints about the foods it fetched (a FoodTable), per 100 g."""
    lines = [f"{len(found)} foods from FoodData Central, per 100 g:",
             *fetched_lines(found.foods)]
    if found.foods[[key for key, _, _ in _FETCH_COLUMNS]].isna().any(axis=None):
        labels = (" (a label seldom lists magnesium)"
                  if found.foods["source"].eq("fdc_branded").any() else "")
        lines.append(f"? = FoodData Central gives no value{labels}: stored as unknown, never "
                     "counted as 0")
    return lines


def nothing_fetched(query: str | None, branded: bool, noted: bool) -> str:
    """Why `foods fetch` saved nothing: the notes said why, or nothing matched `query`."""
    if noted:
        return ("Nothing FoodData Central answered could be used (see the notes above); "
                "nothing saved")
    kinds = "brand-name (Branded)" if branded else "SR Legacy, Foundation or FNDDS"
    return f'No {kinds} food at FoodData Central matches "{query}"; try fewer or other words'


# What `foods search` shows per 100 g: nutrient key, label, unit, decimals.
_SEARCH_NUTRIENTS = [("magnesium_mg", "Mg", "mg", 0), ("calcium_mg", "Ca", "mg", 0),
                     ("potassium_mg", "K", "mg", 0), ("vitamin_d_ug", "vit D", "µg", 1),
                     ("vitamin_b12_ug", "B12", "µg", 2), ("vitamin_b6_mg", "B6", "mg", 2),
                     ("energy_kcal", "", "kcal", 0)]
_SEARCH_PORTIONS = 4  # household portions listed per food


def food_lines(table, food_id) -> list[str]:
    """Nutrients per 100 g ('?' when unknown) and the first household portions of a food."""
    food = table.foods.loc[food_id]
    if getattr(food, "ndim", 1) > 1:
        food = food.iloc[-1]
    cells = []
    for key, label, unit, decimals in _SEARCH_NUTRIENTS:
        value = food[key]
        amount = "?" if value != value else f"{value:.{decimals}f}"  # NaN != NaN
        cells.append(f"{label} {amount} {unit}".strip())
    lines = ["    per 100 g: " + ", ".join(cells)]
    portions = table.portions_of(food_id)
    if len(portions):
        shown = [f"{p.amount:g} {p.description} = {p.grams:g} g"
                 for p in portions.head(_SEARCH_PORTIONS).itertuples()]
        more = len(portions) - len(shown)
        lines.append("    portions: " + "; ".join(shown) + (f"; +{more} more" if more else ""))
    return lines


def search_lines(text: str, table, found, threshold: float) -> list[str]:
    """What `foods search` prints: the matching foods with their nutrients and portions, then
    the far-off ones apart; when none matches, why, and what to do about it."""
    is_match = found["score"] >= threshold
    lines = []
    for row in found[is_match].itertuples():
        lines.append(f"{row.food_id:<12} {row.name}  (match {row.score:g})")
        lines += food_lines(table, row.food_id)
    far = found[~is_match & (found["score"] > 0)]  # a food scoring 0 shares nothing
    if far.empty and is_match.any():
        return lines
    if is_match.any():
        lines.append(f"Far off (score below {threshold:g}, not a match):")
    else:
        lines.append(f'No food matches "{text}": the best score is '
                     f'{found["score"].iloc[0]:g}, {threshold:g} is needed.'
                     + (" The nearest names, all far off:" if not far.empty else ""))
    lines += [f"{row.food_id:<12} {row.name}  (far off: {row.score:g})"
              for row in far.itertuples()]
    if not is_match.any():
        lines.append("If the food is not in the table, import a larger one (nutrigap foods "
                     "import), or leave the name unmatched on purpose with the line "
                     f"{_csv_line([text, 'none'])} in a --matches file.")
    return lines


def match_lines(text: str, match, candidates, threshold: float, matches_file) -> list[str]:
    """What `foods match` prints: the food a name is matched to (a row of Matcher.match) or
    why none, the best `candidates` with their scores, and how to choose another food."""
    if match["food_id"] is None and match["method"] == "correction":
        lines = [f'"{text}" is not matched: {matches_file} leaves it unmatched on purpose '
                 "(food_id none); a meal log with this name lists it as not counted."]
    elif match["food_id"] is None:
        lines = [f'"{text}" is not matched: no food fits well enough (best score '
                 f'{match["confidence"]:g}, {threshold:g} needed); a meal log with this '
                 "name lists it as unmatched."]
    else:
        lines = [f'"{text}" -> {match["food_id"]}  {match["food_name"]}',
                 f'    method: {match["method"]}, confidence {match["confidence"]:g}']
    lines.append("    candidates:")
    lines += [f"    {c.score:6.1f}  {c.food_id:<12} {c.name}" for c in candidates.itertuples()]
    lines.append(f"To choose another food, add the line {_csv_line([text, 'FOOD_ID'])} to a "
                 "corrections CSV (header name,food_id) and pass it with --matches; "
                 "FOOD_ID none leaves the name unmatched (docs/corrections.md).")
    return lines


def _csv_line(cells: list[str]) -> str:
    """One CSV line, quoted as a spreadsheet would write it ("Spinach, raw")."""
    line = io.StringIO()
    csv.writer(line).writerow(cells)
    return line.getvalue().strip()


def check_lines(info) -> list[str]:
    """What read_meal_log detected, as lines for the terminal."""
    delimiter = {",": "comma", ";": "semicolon", "\t": "tab"}.get(info.delimiter, info.delimiter)
    span = ""
    if info.days:
        days = "1 day" if info.days == 1 else f"{info.days} days"
        span = f" over {days} ({info.first_date:%Y-%m-%d} to {info.last_date:%Y-%m-%d})"
    return [f"format: {info.title}", f"encoding: {info.encoding}, delimiter: {delimiter}",
            f"rows: {info.rows_read} read, {info.rows_skipped} skipped (amount 0){span}",
            *(f"note: {note}" for note in info.notes)]


def trigger_lines(references) -> list[str]:
    """The amounts advised for caffeine, alcohol, water and sodium (`trigger_references`),
    which the report shows beside the targets without scoring them, with their sources."""
    from nutrigap.analyzer.writeup import reference_text, source_titles

    width = max(len(name) for name in references["name"])
    lines = ["Also shown in the report, not scored (a day):"]
    for _, ref in references.iterrows():
        text = reference_text(ref)
        if ref["kind"] != "limit":
            text += f" ({ref['reference']})"
        if not ref["judged"]:
            text += "; give --weight-kg to judge it"
        lines.append(f"  {ref['name']:<{width}}  {text}")
    titles = source_titles()
    keys = dict.fromkeys(k for ref in references["sources"] for k in ref)
    return [*lines, "", "Their sources:", *(f"  {titles[k]}" for k in keys)]


def targets_lines(table, profile) -> list[str]:
    """The targets table as aligned text lines."""

    def amount(value, unit):
        return f"{value:,.0f} {unit}" if float(value).is_integer() else f"{value:g} {unit}"

    def cell(value, dri, unit, words):
        if value != value:  # NaN: nothing set
            return words
        if value != dri:
            return f"{amount(value, unit)} (set for this client; DRI {dri:g})"
        return f"{amount(value, unit)} {words}"

    applies = {"supplements": "(supplements only)", "total": "(food and supplements)"}
    rows = [("Nutrient", "Target", "Upper limit")]
    for t in table.itertuples():
        kind = "none (watched for excess)" if t.target_kind == "none" else t.target_kind
        rows.append((t.name, cell(t.target, t.dri_target, t.unit, kind),
                     cell(t.ul, t.dri_ul, t.unit, applies.get(t.ul_applies_to, "none set"))))
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    who = "pregnant, " if profile.pregnant else "lactating, " if profile.lactating else ""
    lines = [f"Targets for {table['group'].iloc[0]} (age {profile.age:g}, {who}{profile.sex})", ""]
    lines += [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]}".rstrip() for r in rows]
    warnings = [w for w in table.get("warning", []) if w]
    if warnings:
        lines += ["", *(f"Warning: {w}" for w in warnings)]
    lines += ["", "RDA: Recommended Dietary Allowance. AI: Adequate Intake. Upper limits are "
              "for usual daily intake.", "Sources:"]
    lines += [f"  {source}" for source in dict.fromkeys(table["source"])]
    return lines
