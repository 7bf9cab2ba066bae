"""Plain-text views for the terminal: what the CLI commands print, kept apart from the
commands so each can be tested as a function of its data."""

from __future__ import annotations

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
