"""The mixed-integer program behind the plan: which foods, and how many half servings of each.

Variables: for every shortlisted food, a whole number of half servings `x` (0 up to twice the
servings its daily cap allows) and a yes/no `y` saying the food is used (`x <= 2 * servings *
y`, so `x` can only be positive when `y` is 1). At most `max_foods` of the `y` are 1, at most
one food per main food (one kind of beans, not three), and the foods of one daily cap (cooked
greens, fish, milk ...) together stay within it. Each short nutrient's added amount must reach
its gap; each upper limit that counts food must keep its headroom. The objective is the added
energy, plus a small cost per food used, so that of two equal plans the shorter one wins; the
person's own foods count at a share of their energy and a lower cost, so a plan built on
foods they already eat wins over an equal one that is not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from nutrigap.analyzer.suggestions.caps import CAP_TOLERANCE
from nutrigap.analyzer.suggestions.foods import MIN_SHARE
from nutrigap.analyzer.suggestions.pool import ENERGY, whole_amount

#: candidates kept per short nutrient, by amount per serving and by amount per kcal
PER_NUTRIENT = 8
#: the small cost of each extra food, in kcal
FOOD_COST_KCAL = 25.0
#: the person's own foods: the share of their energy the objective counts, and their cost
#: per food (lower than others', not nil, so that a plan adds no crumb of an own food)
OWN_ENERGY_WEIGHT = 0.7
OWN_FOOD_COST_KCAL = 10.0
#: how much a shortfall of a whole gap weighs against energy when not every gap can close;
#: far above any day's energy, so closing gaps always comes first
SHORTFALL_COST = 1e7
#: a gap counts as closed when the shortfall is below this share of it
CLOSED = 1e-9
#: a little above the gap, so a total recomputed from rounded values still reaches the target
MARGIN = 1e-6
TIME_LIMIT_S = 10.0


def shortlist(foods: pd.DataFrame, short: pd.Series, headroom: pd.Series, max_foods: int,
              max_servings: float, per_nutrient: int = PER_NUTRIENT) -> pd.DataFrame:
    """The few dozen foods worth giving the solver: per short nutrient, the best by amount
    per serving and the best by amount per kcal; and where an upper limit could bind, the
    best that stay well inside it."""
    picked: set[str] = set()
    rich: dict[str, pd.DataFrame] = {}
    for nutrient, gap in short.items():
        has = foods[foods[nutrient] > 0]
        if has.empty:
            continue
        rich[nutrient] = has
        picked |= _top(has, has[nutrient], per_nutrient)
        useful = has[has[nutrient] >= MIN_SHARE * gap]
        if not useful.empty:
            per_kcal = useful[nutrient] / useful[ENERGY].clip(lower=1.0)
            picked |= _top(useful, per_kcal, per_nutrient)
    if "own" in foods:  # the person's own foods that help are always worth a look
        mine = foods[foods["own"]]
        picked |= set(mine.index[(mine[list(short.index)].fillna(0.0) > 0).any(axis=1)])
    for limited, room in headroom.items():
        # the most the picked foods could add of it: if even that fits, the limit cannot bind
        amounts = whole_amount(foods, limited).loc[sorted(picked)]
        most = amounts.fillna(amounts.max() if amounts.notna().any() else np.inf) * max_servings
        if most.nlargest(max_foods).sum() <= room:
            continue
        for nutrient, has in rich.items():
            safe = has[whole_amount(has, limited).fillna(np.inf) * max_servings * max_foods
                       <= room]
            picked |= _top(safe, safe[nutrient], per_nutrient)
    return foods.loc[sorted(picked)]


def _top(foods: pd.DataFrame, score: pd.Series, n: int) -> set[str]:
    """The `n` best-scoring foods, one per main food."""
    order = np.argsort(-score.to_numpy(float), kind="stable")
    _, first = np.unique(foods["main_food"].to_numpy(str)[order], return_index=True)
    return set(foods.index[order[np.sort(first)][:n]])


class Model:
    """The plan's integer program over a shortlist of foods."""

    def __init__(self, pool: pd.DataFrame, foods: pd.DataFrame, short: pd.Series,
                 headroom: pd.Series, max_foods: int, max_servings: float,
                 caps: pd.Series | None = None):
        self.pool = pool
        self.short = short
        self.headroom = headroom
        self.max_foods = max_foods
        self.max_servings = max_servings
        most = pool["max_servings"] if "max_servings" in pool else pd.Series(
            max_servings, index=pool.index)
        self.steps = np.round(most.clip(upper=max_servings).to_numpy(float) * 2)
        self.caps = caps if caps is not None else pd.Series(dtype=float)
        self.n = len(pool)
        # per half serving; an unknown amount adds nothing towards a target ...
        self.gain = pool[list(short.index)].fillna(0.0).to_numpy(float) * 0.5
        # ... but counts as much as the richest similar food against an upper limit
        self.load = _upper_estimates(pool, foods, headroom.index) * 0.5
        self.kcal = pool[ENERGY].to_numpy(float) * 0.5
        self.own = (pool["own"].to_numpy(bool) if "own" in pool
                    else np.zeros(self.n, dtype=bool))

    # -- building blocks ---------------------------------------------------------------------

    def _structure(self, extra: int = 0, with_limits: bool = True) -> list[LinearConstraint]:
        """Linking, food count, one per main food, and upper limits; `extra` columns follow
        the x and y columns (slack variables) and take no part in these rows."""
        n = self.n
        width = 2 * n + extra
        rows = []
        link = np.zeros((n, width))
        link[np.arange(n), np.arange(n)] = 1.0
        link[np.arange(n), n + np.arange(n)] = -self.steps
        rows.append(LinearConstraint(link, -np.inf, 0.0))
        count = np.zeros((1, width))
        count[0, n:2 * n] = 1.0
        rows.append(LinearConstraint(count, 0.0, float(self.max_foods)))
        codes, kinds = pd.factorize(self.pool["main_food"])
        repeated = [k for k in range(len(kinds)) if (codes == k).sum() > 1]
        if repeated:
            group = np.zeros((len(repeated), width))
            for row, k in enumerate(repeated):
                group[row, n + np.flatnonzero(codes == k)] = 1.0
            rows.append(LinearConstraint(group, 0.0, 1.0))
        rows += self._cap_rows(width)
        if with_limits and len(self.headroom):
            limit = np.zeros((len(self.headroom), width))
            limit[:, :n] = self.load.T
            rows.append(LinearConstraint(limit, -np.inf, self.headroom.to_numpy(float)))
        return rows

    def _cap_rows(self, width: int) -> list[LinearConstraint]:
        """The foods of each daily cap together within it, in grams."""
        if "cap" not in self.pool or self.caps.empty:
            return []
        caps = self.pool["cap"].fillna("").to_numpy(str)
        grams = self.pool["grams"].to_numpy(float) * 0.5
        names = [c for c in dict.fromkeys(caps) if c in self.caps.index]
        if not names:
            return []
        rows = np.zeros((len(names), width))
        for row, cap in enumerate(names):
            members = np.flatnonzero(caps == cap)
            rows[row, members] = grams[members]
        limits = self.caps[names].to_numpy(float) * (1 + CAP_TOLERANCE)
        return [LinearConstraint(rows, -np.inf, limits)]

    def _bounds(self, extra_upper: np.ndarray | None = None) -> tuple[Bounds, np.ndarray]:
        n = self.n
        upper = np.concatenate([self.steps, np.ones(n)])
        integrality = np.ones(2 * n)
        if extra_upper is not None:
            upper = np.concatenate([upper, extra_upper])
            integrality = np.concatenate([integrality, np.zeros(len(extra_upper))])
        return Bounds(np.zeros(len(upper)), upper), integrality

    def _run(self, cost: np.ndarray, rows: list[LinearConstraint], extra_upper=None,
             exact: bool = False) -> np.ndarray | None:
        bounds, integrality = self._bounds(extra_upper)
        options = {"time_limit": TIME_LIMIT_S}
        if exact:
            options["mip_rel_gap"] = 0.0
        # HiGHS may printf debugging lines; the edges keep them off the terminal
        # (nutrigap.runtime.analyze_quietly)
        result = milp(cost, constraints=rows, integrality=integrality, bounds=bounds,
                      options=options)
        return None if result.x is None else result.x

    def _energy_cost(self, extra: int = 0) -> np.ndarray:
        kcal = np.where(self.own, self.kcal * OWN_ENERGY_WEIGHT, self.kcal)
        per_food = np.where(self.own, OWN_FOOD_COST_KCAL, FOOD_COST_KCAL)
        return np.concatenate([kcal, per_food, np.zeros(extra)])

    # -- questions -------------------------------------------------------------------------

    def solve(self, goals: pd.Series) -> np.ndarray | None:
        """Half servings per food reaching every goal (nutrient -> amount) with the least
        energy, or None when no such choice exists."""
        if self.n == 0:
            return None if (goals > 0).any() else np.zeros(0)
        rows = self._structure()
        if len(goals):
            reach = np.zeros((len(goals), 2 * self.n))
            columns = [self.short.index.get_loc(k) for k in goals.index]
            reach[:, :self.n] = self.gain[:, columns].T
            rows.append(LinearConstraint(reach, goals.to_numpy(float), np.inf))
        x = self._run(self._energy_cost(), rows)
        return None if x is None else np.round(x[:self.n])

    def best_plan(self) -> tuple[pd.Series, list[str]]:
        """Servings per chosen food (food_id -> servings) and the nutrients left short."""
        goals = self.short * (1 + MARGIN)
        x = self.solve(goals)
        if x is not None:
            return self._servings(x), []
        x, closed = self._closest()
        left = [k for k in self.short.index if not closed[k]]
        # keep what the closest plan reached for the gaps left open, then spend the least
        # energy on closing the rest
        reached = pd.Series(self.gain.T @ x, index=self.short.index)
        goals = pd.Series({k: goals[k] if closed[k] else reached[k] * (1 - MARGIN)
                           for k in self.short.index})
        exact = self.solve(goals)
        return self._servings(exact if exact is not None else x), left

    def _closest(self) -> tuple[np.ndarray, pd.Series]:
        """The plan that leaves the smallest total shortfall (each as a share of its gap)."""
        t = len(self.short)
        if self.n == 0:  # nothing fits the filters, so nothing can be added
            return np.zeros(0), pd.Series(False, index=self.short.index)
        rows = self._structure(extra=t)
        reach = np.zeros((t, 2 * self.n + t))
        reach[:, :self.n] = self.gain.T
        gap = (self.short * (1 + MARGIN)).to_numpy(float)
        reach[np.arange(t), 2 * self.n + np.arange(t)] = gap
        rows.append(LinearConstraint(reach, gap, np.inf))
        cost = self._energy_cost(t)
        cost[2 * self.n:] = SHORTFALL_COST
        x = self._run(cost, rows, extra_upper=np.ones(t), exact=True)
        if x is None:  # cannot happen (adding nothing is always allowed), but stay safe
            return np.zeros(self.n), pd.Series(False, index=self.short.index)
        shortfall = pd.Series(x[2 * self.n:], index=self.short.index)
        return np.round(x[:self.n]), shortfall <= CLOSED

    def most_of(self, nutrient: str, with_limits: bool = True) -> float:
        """The most of one nutrient the allowed foods can add (within the upper limits)."""
        return self._most(nutrient, with_limits)[0]

    def limits_in_the_way(self, nutrient: str) -> list[str]:
        """The upper limits the foods richest in `nutrient` would cross."""
        _, x = self._most(nutrient, with_limits=False)
        crossed = (self.load.T @ x) > self.headroom.to_numpy(float)
        return list(self.headroom.index[crossed])

    def _most(self, nutrient: str, with_limits: bool) -> tuple[float, np.ndarray]:
        if self.n == 0:
            return 0.0, np.zeros(0)
        column = self.short.index.get_loc(nutrient)
        cost = np.concatenate([-self.gain[:, column], np.zeros(self.n)])
        x = self._run(cost, self._structure(with_limits=with_limits), exact=True)
        if x is None:
            return 0.0, np.zeros(self.n)
        x = np.round(x[:self.n])
        return float(self.gain[:, column] @ x), x

    def _servings(self, x: np.ndarray) -> pd.Series:
        halves = pd.Series(x, index=self.pool.index)
        return (halves[halves > 0] / 2.0).astype(float)


def _upper_estimates(pool: pd.DataFrame, foods: pd.DataFrame, limited) -> np.ndarray:
    """Amount per serving for each limited nutrient; where unknown, the most per 100 g that
    any allowed food of the same group has (or of any group), scaled to the serving."""
    out = np.zeros((len(pool), len(limited)))
    for j, nutrient in enumerate(limited):
        per_100g = whole_amount(foods, nutrient) / foods["grams"] * 100.0
        by_group = per_100g.groupby(foods["food_group"]).max()
        overall = per_100g.max() if per_100g.notna().any() else 0.0
        guess = pool["food_group"].map(by_group).fillna(overall) * pool["grams"] / 100.0
        out[:, j] = whole_amount(pool, nutrient).fillna(guess).to_numpy(float)
    return out
