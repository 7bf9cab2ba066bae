"""Match the food names people log to foods in a FoodTable, with a confidence for each.

Order of evidence: the user's saved corrections, then an alias as typed ("oatmeal" before
spelling rules read it as oat), an exact name or alias, then a fuzzy shortlist re-ranked by
what a careful reader would check: are all the typed words there, is the main food the one
USDA names first, does the food have the word that names the typed one ("milk" in oat milk),
do raw/cooked/canned, the fat level (fat free, low fat, whole: levels further apart disagree
more) and any percentage typed (80% lean, 1% milk) agree, is the description much longer
than what was typed, is there a word (a brand) no food has. A food must share a word that
names the typed food, not only how it is prepared ("Gooseberries, raw" is not Egg, raw) nor
only a word for a kind of food ("cereal" is not All-Bran; generic and describing words are
listed in match_defaults.toml), or it keeps less than half its score; a word for a kind of
food picks its usual food only when nothing else typed contradicts it ("cheese" is cheddar,
"cheese, light" is not). Below THRESHOLD a name is reported unmatched with its
best candidates, never guessed; only an exact name, an alias or a correction is certain
(100).

The shortlist scores every choice at once: shared words through a sparse word matrix and
rapidfuzz token_sort_ratio through `process.cdist` on all cores. The slower token_set_ratio
is computed for the shortlist only.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from nutrigap.analyzer.food_table import FoodTable
from nutrigap.analyzer.matching.corrections import NO_FOOD, correction_lookup
from nutrigap.analyzer.matching.index import MADE_OF as _MADE_OF
from nutrigap.analyzer.matching.index import FoodFacts, MatchIndex
from nutrigap.analyzer.matching.normalise import NameLookup, light_words, words
from nutrigap.analyzer.matching.rules import defaults, exclusions, preparations

MATCH_COLUMNS = ["name", "food_id", "food_name", "confidence", "method", "candidates"]
SEARCH_COLUMNS = ["food_id", "name", "score"]
_NONE: frozenset[str] = frozenset()
_OR = re.compile(r"\s+or\s+|/", re.IGNORECASE)
_HEAD_ALTERNATIVES = re.compile(r"\s+(?:or|and|and/or)\s+|/|,", re.IGNORECASE)
# What follows these describes the food rather than naming it ("tuna in water").
_PARENTHESES = re.compile(r"\([^)]*\)?")
_AND = re.compile(r"\s*&\s*|\s+and\s+(?!/)", re.IGNORECASE)
_DESCRIBED_BY = re.compile(r"\s+(?:in|with|without|from|w/|w/o)\s+", re.IGNORECASE)

THRESHOLD = 55  # below this confidence a name is reported unmatched
SHORTLIST = 32  # choices re-ranked per name
BATCH = 256  # names scored together
TYPO_CUTOFF = 84  # a word the table does not use is read as its nearest table word above this
TYPO_MIN_LENGTH = 4  # shorter unknown words are too ambiguous to correct
HEAD_WEIGHT = 4  # a word that names the food counts this many times a describing word
MAIN_WEIGHT = 25  # points lost by a food whose own name (USDA's first field) was not typed
NOUN_PENALTY = 25  # points lost by a food without the word that names the typed food
MODIFIER_PENALTY = 20  # ... and per food typed before it that it lacks ("oat" in oat milk)
INGREDIENT_PENALTY = 15  # ... more when that word is only what the food is made with
BRAND_SHARE = 0.9  # confidence kept by a food named after a maker the table does not know
NOT_NAMED_SHARE = 0.4  # score kept by a food sharing no word that names the typed food
FUZZY_MAX = 99.0  # only the very name (or an alias, or a correction) is sure at 100
MAKER_WORDS = 3  # a first field this short, with a word the table lacks, may be a maker
# what a choice made of an FNDDS additional description loses against the food's own names,
# so that a name a food goes by wins over another food's note ("Coffee, brewed" is not a
# decaf coffee that lists "coffee, brewed, NS as to regular or decaffeinated")
DESCRIPTION_PENALTY = 8


@dataclass
class _Scored:
    pos: int  # position of the food in the table
    score: float


class Matcher:
    """Matches food names against one FoodTable; build once, then match many names."""

    def __init__(self, food_table: FoodTable, threshold: float = THRESHOLD):
        self.food_table = food_table
        self.threshold = threshold
        self._prep = preparations()
        self._defaults = defaults()
        self._index = MatchIndex(food_table, self._prep, self._defaults, exclusions())
        index = self._index
        # Per choice, the main names that name a food: not a category, a generic or
        # describing word alone, nor a preparation ("Fish, salmon" is not any fish).
        found = self._defaults
        not_naming = frozenset([frozenset(c.split()) for c in found.categories]
                               + [frozenset({w}) for w in found.generic | found.describing])
        self._naming_main = [[alt for alt in alts if alt not in not_naming
                              and not all(map(self._prep.is_preparation, alt))]
                             for alts in index.choice_main_sets]
        # A curated food wins a name it shares; otherwise the first food listed keeps it.
        curated = [f.curated for f in index.facts]
        self._exact: NameLookup[int] = NameLookup(lambda new, old: curated[new]
                                                  and not curated[old])
        self._alias: NameLookup[int] = NameLookup(lambda new, old: curated[new]
                                                  and not curated[old])
        for text, pos, is_alias, described in zip(index.texts, index.choice_pos,
                                                  index.choice_is_alias,
                                                  index.choice_is_description, strict=True):
            if not described:  # an additional description is never a name for certain
                (self._alias if is_alias else self._exact).add(text.split(), int(pos))
        # Aliases as typed, before spelling rules merge words: "oatmeal" (cooked) and "oats"
        # (dry) both read as oat, yet people mean foods six times apart per gram.
        self._typed_alias: NameLookup[int] = NameLookup(lambda new, old: curated[new]
                                                        and not curated[old])
        for pos, own in index.aliases.items():
            for alias in own:
                self._typed_alias.add(light_words(alias), pos)
        self._typos: dict[str, str | None] = {}
        # A typo is read only as a word long enough to be sure of: "parm" is not "arm".
        self._typo_choices = sorted(w for w in index.named_vocab if len(w) >= TYPO_MIN_LENGTH)

    # --- public -----------------------------------------------------------------------

    def match(self, names: Iterable[str], corrections: pd.DataFrame | None = None
              ) -> pd.DataFrame:
        """One row per distinct name: the food chosen (or none), confidence, method and the
        top three candidates with scores."""
        distinct = list(dict.fromkeys("" if _blank(n) else str(n) for n in names))
        fixed = correction_lookup(corrections, self.food_table)
        positions = {food_id: pos for pos, food_id in enumerate(self._index.ids)}
        rows: dict[str, dict] = {}
        fuzzy: list[str] = []
        for name in distinct:
            found = words(name)
            # "spaghetti with meat sauce" is not "Spaghetti sauce with meat": what comes after
            # "with" or "in" describes the food, so its words keep their order
            any_order = not _DESCRIBED_BY.search(name)
            exact, alias = self._exact.find(found, any_order), self._alias.find(found, any_order)
            corrected = fixed.find(found)
            typed = self._typed_alias.find(light_words(name))
            if corrected == NO_FOOD:  # the dietitian says the table has no such food
                rows[name] = self._row(name, None, 100.0, "correction", [])
            elif corrected is not None:
                rows[name] = self._row(name, positions[corrected], 100.0, "correction", [])
            elif typed is not None and typed != exact:
                rows[name] = self._row(name, typed, 100.0, "alias", [])
            elif exact is not None:
                rows[name] = self._row(name, exact, 100.0, "exact", [])
            elif alias is not None:
                rows[name] = self._row(name, alias, 100.0, "alias", [])
            else:
                fuzzy.append(name)
        for name, ranked in zip(fuzzy, self._rank_many(fuzzy), strict=True):
            best = ranked[0] if ranked else _Scored(-1, 0.0)
            if best.score >= self.threshold:
                rows[name] = self._row(name, best.pos, best.score, "fuzzy", ranked)
            else:
                rows[name] = self._row(name, None, best.score, "unmatched", ranked)
        return pd.DataFrame([rows[n] for n in distinct], columns=MATCH_COLUMNS)

    def search(self, text: str, limit: int = 10) -> pd.DataFrame:
        """The foods that best fit `text`, best first, with a score of 0-100."""
        found = words(text)
        exact = list(dict.fromkeys(p for p in (self._typed_alias.find(light_words(text)),
                                               self._exact.find(found), self._alias.find(found))
                                   if p is not None))
        ranked = [_Scored(p, 100.0) for p in exact]
        ranked += [s for s in self._rank_many([text], keep=limit + 2)[0] if s.pos not in exact]
        index = self._index
        rows = [(index.ids[s.pos], index.names[s.pos], round(s.score, 1))
                for s in ranked[:limit]]
        return pd.DataFrame(rows, columns=SEARCH_COLUMNS)

    # --- ranking ----------------------------------------------------------------------

    def _row(self, name: str, pos: int | None, score: float, method: str,
             ranked: list[_Scored]) -> dict:
        index = self._index
        if pos is not None and not ranked:
            ranked = [_Scored(pos, score)]
        candidates = [{"food_id": index.ids[s.pos], "name": index.names[s.pos],
                       "score": round(s.score, 1)} for s in ranked[:3]]
        return {
            "name": name,
            "food_id": None if pos is None else index.ids[pos],
            "food_name": None if pos is None else index.names[pos],
            "confidence": round(float(score), 1),
            "method": method,
            "candidates": candidates,
        }

    def _rank_many(self, names: list[str], keep: int = 3) -> list[list[_Scored]]:
        """Every name's re-ranked candidates, best first, scoring names in batches."""
        index = self._index
        out: list[list[_Scored]] = []
        queries = [self._read(n) for n in names]
        for start in range(0, len(queries), BATCH):
            batch = queries[start:start + BATCH]
            q_matrix = index.query_matrix([q.known for q in batch])
            shared = (q_matrix @ index.words_matrix.T).toarray()
            preferred = index.query_matrix([list(q.preferred) for q in batch])
            shared_preferred = (preferred @ index.words_matrix.T).toarray()
            main = np.maximum((q_matrix @ index.first_matrix.T).toarray() / index.first_len,
                              (q_matrix @ index.later_matrix.T).toarray() / index.later_len)
            texts = [" ".join(q.words) for q in batch]
            # token_sort_ratio of every name against every choice, on all cores; the words
            # on both sides are sorted already, so the plain ratio gives the same figure.
            sort = process.cdist([" ".join(sorted(q.words)) for q in batch], index.sorted_texts,
                                 scorer=fuzz.ratio, dtype=np.uint8, workers=-1)
            for row, query in enumerate(batch):
                n_known = max(len(set(query.known)), 1)
                extra = np.clip(index.food_word_len - shared[row] - shared_preferred[row], 0, 10)
                prelim = (50 * shared[row] / n_known + 20 * main[row] + 0.3 * sort[row]
                          + 3 * shared_preferred[row] - extra - index.choice_prelim_cost)
                out.append(self._rerank(query, texts[row], prelim, sort[row], keep))
        return out

    def _read(self, name: str) -> _Query:
        """A name's words with typos read, and what it asks for."""
        found = self._query(name)
        vocab = self._index.named_vocab
        is_prep = self._prep.is_preparation
        known = [w for w in found if w in vocab]
        head_text, rest = _split_head(name)
        head = [w for w in self._query(head_text) if not is_prep(w)] if head_text else []
        known_head = [w for w in head if w in vocab]
        nouns = frozenset(w for part in _HEAD_ALTERNATIVES.split(head_text)
                          for w in self._query(part)[-1:] if w in vocab and not is_prep(w))
        if self._names_maker(head_text, known_head, rest):
            # "Premier Protein, Protein Shake, Chocolate", "Ian's, Bread Crumbs, Panko": the
            # food is read from what follows the maker, who lowers the confidence a little.
            inner = self._read(rest.strip())
            inner.known_share *= BRAND_SHARE
            inner.typed |= frozenset(_join_compounds(words(name), vocab, self._index.pairs))
            return inner
        maker = False  # the first field names a maker the table does not know
        product = product_kind = _NONE
        if rest.strip() and known_head and set(known_head) <= self._index.brand_only:
            # "Arnold, Keto Bread": the first field is a maker USDA lists, not the food.
            # "Morning Star Farms, Veggie Burgers, Grillers Prime": a last field with a word
            # only that maker's foods use names the product, which USDA may name without
            # the kind of food the middle field says.
            last = [w for w in self._query(rest.rsplit(",", 1)[-1]) if not is_prep(w)] \
                if "," in rest else []
            if not self._index.excluded_only.isdisjoint(last):
                product = frozenset(known_head + last)
                product_kind = frozenset(self._query(rest.rsplit(",", 1)[0])) - product
            head_text, head, known_head, nouns = "", [], [], frozenset()
        food_words = [w for w in known if not is_prep(w)] or known
        # "Frankfurter or hot dog": either alternative names the food.
        head_alts = [alt for part in _OR.split(head_text) if head_text
                     if (alt := [w for w in self._query(part) if w in vocab and not is_prep(w)])]
        in_head = {w for alt in head_alts for w in alt}
        preferred = [p for p in self._preferred(found) if p not in found]
        dish_unknown = False
        if head and not known_head:
            # "Publix, Cottage Cheese": an unknown first field followed by a food is a brand;
            # the food is read from the rest, and the brand, which no food in the table has,
            # still lowers the confidence as any unknown word does.
            # "Calzone, with meat and cheese", "Sangria, red": the food itself is unknown, and
            # its filling or colour must not pass for it.
            rest_words = frozenset(w for w in self._query(rest) if not is_prep(w))
            dish_unknown = rest.lstrip().lower().startswith("with") \
                or rest_words.isdisjoint(self._index.food_nouns)
            maker = not dish_unknown
        elif known_head and all(ws[-1] not in vocab for part in _HEAD_ALTERNATIVES.split(
                head_text) if (ws := self._query(part))):
            # "Egg shell, dried": the food is named last, and the table has no such food
            dish_unknown = True
        plain_nouns: tuple[frozenset[str], ...] = ()
        modifiers = _NONE
        if not known_head and not dish_unknown:
            plain_nouns, modifiers = self._noun_phrase(rest)
            # "Eggplant parm": the table has no food by that name; the eggplant is only in it.
            dish_unknown = any(g.isdisjoint(vocab) for g in plain_nouns)
        # What the food is: the first field before "with" or "in" ("spaghetti with meat sauce")
        core_text, *described_by = _DESCRIBED_BY.split(name.split(",", 1)[0], maxsplit=1)
        described = bool(described_by)
        # "Chicken caesar salad" is a dish, named by the last word of what the food is: never
        # its dressing, nor one of its ingredients ("curry powder" is not a dish)
        core_words = self._query(_PARENTHESES.sub(" ", core_text))
        dish = core_words[-1] if core_words and core_words[-1] in self._defaults.dishes else ""
        dish_kinds = self._defaults.dishes.get(dish, _NONE)
        # A maker lowers the confidence by a set share; what the rest leaves unknown, as any
        # unknown word does.
        shared_by = self._query(rest) if maker else found
        known_share = 0.6 + 0.4 * sum(w in vocab for w in shared_by) / len(shared_by) \
            if shared_by else 0.0
        if maker:
            known_share *= BRAND_SHARE
        if dish_unknown:
            known_share *= 0.6
        not_naming = self._defaults.generic | self._defaults.describing
        content = frozenset(w for w in known if not is_prep(w) and w not in not_naming)
        # NHANES puts brands and examples in parentheses: "Crackers, cheese (Goldfish)"; what
        # a food is made with does not name it: "Mixed vegetables, made with butter"
        outside = frozenset(w for field in _PARENTHESES.sub(" ", name).split(",")
                            for w in self._query(_DESCRIBED_BY.split(field, maxsplit=1)[0]))
        return _Query(
            words=found,
            qset=frozenset(found),
            typed=frozenset(_join_compounds(words(name), vocab, self._index.pairs)),
            known=known,
            food_words=food_words,
            head=known_head,
            nouns=nouns,
            plain_nouns=plain_nouns,
            modifiers=modifiers,
            preferred=frozenset(preferred),
            preferred_food=[p for p in preferred if not is_prep(p)],
            asked=self._asked(found, name),
            usual=self._prep.of([p for p in preferred if is_prep(p)]),
            known_share=known_share,
            head_alts=[frozenset(alt) for alt in head_alts],
            head_rests=[[w for w in in_head if w not in alt] for alt in head_alts],
            others=[w for w in food_words if w not in in_head],
            typed_or_usual=frozenset(found) | frozenset(preferred),
            core=frozenset(self._query(core_text)) | frozenset(preferred),
            described=described,
            narrower={w: self._defaults.broader[w] for w in known if w in self._defaults.broader},
            content=content,
            named_outside=not content.isdisjoint(outside),
            kinds=frozenset(w for w in known if not is_prep(w) and w in not_naming),
            product=product,
            product_kind=product_kind,
            dish_kinds=dish_kinds,
            dish=dish,
        )

    def _asked(self, found: list[str], name: str) -> dict[str, frozenset[str]]:
        """The preparation a name asks for; on the dimensions of [conflict] `made_with`, what a
        "made with" part says is the ingredient's ("cocoa made with no sugar added mix")."""
        asked = self._prep.asked(found)
        own = self._prep.asked(self._query(_MADE_OF.sub(" ", name)))
        for dimension in self._defaults.made_with_dims:
            if dimension in own:
                asked[dimension] = own[dimension]
            else:
                asked.pop(dimension, None)
        return asked

    def _names_maker(self, head_text: str, known_head: list[str], rest: str) -> bool:
        """Whether a first field is a maker's name the table does not know, as apps write
        "Brand, Food, variety": short, with a word no food has, followed by at least two
        fields that name a food; any food it names is named again after it ("Premier
        Protein, Protein Shake"), else it is the food ("Wholly Guacamole, Avocado Verde");
        "Snowpea, cooked, from fresh" names no maker."""
        if rest.count(",") < 1 or not 0 < len(words(head_text)) <= MAKER_WORDS:
            return False
        index = self._index
        if all(w in index.named_vocab for w in self._query(head_text)):
            return False
        # the field after it names a food, not only how it is cooked
        food = {w for w in self._query(rest.split(",", 1)[0]) if not self._prep.is_preparation(w)}
        named = {w for w in known_head if w in index.food_nouns}
        return bool(food & index.food_nouns) and named <= food

    def _noun_phrase(self, text: str) -> tuple[tuple[frozenset[str], ...], frozenset[str]]:
        """(the words naming the food in a name without a USDA-style first field, one set of
        alternatives per food joined by "and"; a food typed just before one): "oat milk" ->
        ({milk},), {oat}; "garlic & herb" -> ({garlic}, {herb}); "eggplant parm" -> parm,
        which no food has, so no food passes for it; "yogurt plain" -> yogurt."""
        index = self._index
        groups: list[frozenset[str]] = []
        modifiers: set[str] = set()
        # NHANES names brands and examples in parentheses: "Sports drink (Gatorade G)".
        core = _DESCRIBED_BY.split(_PARENTHESES.sub(" ", text).split(",", 1)[0], maxsplit=1)[0]
        broader = self._defaults.broader
        for joined in _AND.split(core):
            nouns: set[str] = set()
            for part in _OR.split(joined):
                # a number describes the food ("chocolate milk 1%"), it does not name it
                ws = [w for w in self._query(part)
                      if not self._prep.is_preparation(w) and not w[0].isdigit()]
                # A trailing word the table uses but never names a food by describes it;
                # one only restaurant or branded dishes use names a dish ("parmigiana").
                while len(ws) > 1 and ws[-1] in index.named_vocab and ws[-1] not in \
                        index.food_nouns and ws[-1] not in index.excluded_only \
                        and ws[-1] not in self._defaults.dishes:
                    ws.pop()
                if ws:
                    nouns.add(ws[-1])
                    modifiers.update(w for w in ws[-2:-1] if w in index.standalone)
            if nouns:
                # A more specific word names the same food ("drink": a beverage).
                groups.append(frozenset(nouns).union(*(broader.get(w, _NONE) for w in nouns)))
        named = {w for g in groups for w in g}
        return tuple(groups), frozenset(modifiers - named)

    def _preferred(self, query: list[str]) -> list[str]:
        """Words of the usual form of the foods named ("rice" -> cooked white regular)."""
        return [p for w in query for p in self._defaults.prefer.get(w, ())]

    def _query(self, name: str) -> list[str]:
        """The name's words, with a word the table never uses read as its nearest table word
        ("chedder" -> "cheddar")."""
        out: list[str] = []
        vocab = self._index.named_vocab
        for w in _join_compounds(words(name), vocab, self._index.pairs):
            if w in vocab or not w.isalpha() or len(w) < TYPO_MIN_LENGTH:
                out.append(w)
                continue
            if w not in self._typos:
                best = process.extractOne(w, self._typo_choices, scorer=fuzz.ratio,
                                          score_cutoff=TYPO_CUTOFF)
                self._typos[w] = best[0] if best else None
            out.append(self._typos[w] or w)
        return out

    def _rerank(self, query: _Query, text: str, prelim: np.ndarray, sort: np.ndarray,
                keep: int) -> list[_Scored]:
        """The shortlist of everyday foods (and those the name asks for), re-ranked; when
        none reaches the threshold, fast-food and restaurant dishes are added (a soft taco
        is only there)."""
        if not query.words:
            return []
        index = self._index
        everyday = prelim.copy()
        everyday[index.choice_excluded] = -np.inf
        asked = index.asked_for(query.typed)
        everyday[asked] = prelim[asked]
        best: dict[int, float] = {}
        self._score_top(query, text, everyday, sort, best)
        if not best or max(best.values()) < self.threshold:
            dishes = np.where(index.choice_fallback, prelim, -np.inf)
            self._score_top(query, text, dishes, sort, best)
        best = self._agreeing(query, best)
        # Rank on the raw score so that ties at the 100 cap keep their order.
        ranked = heapq.nlargest(keep, best.items(), key=lambda item: (item[1], -item[0]))
        return [_Scored(pos, min(max(score, 0.0), FUZZY_MAX)) for pos, score in ranked]

    def _agreeing(self, query: _Query, best: dict[int, float]) -> dict[int, float]:
        """The candidates left once those stating another value than the name on a dimension
        where agreeing foods come first (fat levels) are set aside, when a food that agrees is
        good enough: "light yogurt" is a low fat yogurt when there is one, and the nearest
        level with a doubt when there is none."""
        facts = self._index.facts
        for dimension in self._defaults.agreeing:
            asked = query.asked.get(dimension)
            if asked is None:
                continue
            stated = {p: facts[p].prep.get(dimension, _NONE) for p in best}
            if not any(score >= self.threshold and stated[p] and not asked.isdisjoint(stated[p])
                       for p, score in best.items()):
                continue
            best = {p: score for p, score in best.items()
                    if not stated[p] or not asked.isdisjoint(stated[p])}
        return best

    def _score_top(self, query: _Query, text: str, prelim: np.ndarray, sort: np.ndarray,
                   best: dict[int, float]) -> None:
        """Score the SHORTLIST best choices by `prelim`, keeping each food's best score."""
        index = self._index
        n = min(SHORTLIST, len(prelim))
        top = np.argpartition(-prelim, n - 1)[:n]
        # Of choices tied at the cut, the first in the table make the shortlist, so that
        # which of them do does not change with foods elsewhere in the table.
        cut = prelim[top].min()
        if np.isfinite(cut):
            above = np.flatnonzero(prelim > cut)
            top = np.concatenate([above, np.flatnonzero(prelim == cut)[:n - len(above)]])
        for c in top[np.isfinite(prelim[top])].tolist():
            pos = int(index.choice_pos[c])
            base = 0.6 * fuzz.token_set_ratio(text, index.texts[c]) + 0.4 * float(sort[c])
            score = self._score(query, pos, c, base)
            if score > best.get(pos, -np.inf):
                best[pos] = score

    def _score(self, query: _Query, pos: int, choice: int, base: float) -> float:
        """The re-ranked score of one candidate choice for one name: about 100 for a food
        that has every typed word and names the same main food, lower for each doubt."""
        index = self._index
        facts = index.facts[pos]
        if not query.known:
            return min(base, 30.0)
        if not self._may_be(query, facts):
            return 0.0
        food_words, named = facts.words, facts.named
        terms = index.choice_extra[choice]
        if terms:  # the words of an additional description count for that choice alone; a
            # variant's ("cooking spray" of cooked kale) do not name the food
            food_words = food_words | terms
            named = named | terms if index.choice_extra_names[choice] else named
        own_words = food_words
        if query.product and query.product <= food_words:
            # The product named in full is the kind of food the name says it is, though
            # USDA does not say so ("Grillers Prime" is a veggie burger).
            food_words, named = food_words | query.product_kind, named | query.product_kind
        covered, head_share = self._coverage(query, food_words)
        qset = query.qset
        main = max((len(alt & qset) / len(alt) for alt in index.choice_main_sets[choice]),
                   default=0.0)
        extra = len(index.choice_food_sets[choice] - query.typed_or_usual)
        score = 0.4 * base + 45 * covered + MAIN_WEIGHT * (main - 1) + 15 - min(extra, 10)
        nouns = index.choice_nouns[choice]
        if not query.head and nouns and nouns.isdisjoint(query.typed_or_usual):
            score -= 10  # the food is something else made from what was typed (rice crackers)
        heads = index.choice_heads[choice]
        if query.dish and query.dish not in heads and query.dish not in facts.dishes:
            # a dish is named by its own noun: "beef tacos" are no "Beef taco filling"
            score -= NOUN_PENALTY
        if query.described and heads and heads.isdisjoint(query.core) and \
                not index.choice_is_alias[choice]:
            score -= 10  # what the name says the food comes with ("spaghetti with meat sauce"
            # is not a meat sauce)
        if query.head:
            # A name written USDA-style puts the food first ("Tea, hot, leaf"): it must be
            # the food, not a word that happens to appear (lettuce, green leaf).
            score -= 20 * (1 - head_share)
            if query.nouns and query.nouns.isdisjoint(food_words):
                # ... and its last word is the noun: an egg shell is not an egg, spinach
                # dip is not spinach.
                score -= 15
        else:
            # "Oat milk" is neither oatmeal (no milk) nor cow's milk (no oats).
            # "Oatmeal, made with milk" has milk, but is not milk.
            score -= sum(NOUN_PENALTY + (0 if g.isdisjoint(food_words) else INGREDIENT_PENALTY)
                         for g in query.plain_nouns if g.isdisjoint(named))
            score -= MODIFIER_PENALTY * len(query.modifiers - food_words)
        prep = query.prep_scores.get(facts.prep_key)
        if prep is None:
            prep = query.prep_scores[facts.prep_key] = self._preparation_score(query, facts.prep)
        score += prep + 2.0 * len(facts.words.intersection(query.preferred_food))
        score += 3 if facts.curated else 0
        if index.choice_is_description[choice]:
            score -= DESCRIPTION_PENALTY
        if not self._names_food(query, facts, choice, own_words):
            score *= NOT_NAMED_SHARE
        return score * query.known_share

    def _may_be(self, query: _Query, facts: FoodFacts) -> bool:
        """Whether a food may be offered at all: it states nothing against the name on a
        decisive dimension (a diet cola for "coke", whole milk yogurt for "light yogurt"), and
        a dish named ("chicken caesar salad") is a food of a kind that dish may be, not its
        dressing or an ingredient. A drink is what its name says or the usual one: a cola
        that does not say diet is not a diet cola, nor is a powder a drink as drunk."""
        if query.dish_kinds and facts.kinds and query.dish_kinds.isdisjoint(facts.kinds):
            return False
        found = self._defaults
        for dimension in found.decisive:
            asked, stated = query.asked.get(dimension), facts.prep.get(dimension)
            if facts.drink and dimension in found.for_drinks:
                if asked is None and dimension in found.assume:
                    asked = frozenset({found.assume[dimension][0]})
                if stated is None:
                    stated = found.silent.get(dimension)
            if asked is not None and stated is not None and asked.isdisjoint(stated):
                return False
        return True

    def _names_food(self, query: _Query, facts: FoodFacts, choice: int,
                    food_words: frozenset[str]) -> bool:
        """Whether a food is named by the typed words: it shares a word that names the typed
        food, or its own main name was typed in full ("Beans, string, green" is Green
        beans). "Gooseberries, raw" is not Egg, raw, nor "Lamb chop" Pork chop. A name of
        only generic and describing words is a food with all of them ("mixed vegetables",
        "cheese sauce"), or for one such word ("cereal", "fish") only a food named by it
        alone or by an alias of it, and only when the food is what the rest of the name
        asks for: "cheese" is cheddar, "cheese, light" is a light cheese the name does not
        say."""
        if any(w in food_words or not query.narrower.get(w, _NONE).isdisjoint(food_words)
               for w in query.content):
            return True
        index = self._index
        if any(alt <= query.qset for alt in self._naming_main[choice]):
            return True
        if query.named_outside or not query.kinds:
            return False
        generic = query.kinds & self._defaults.generic
        if len(generic) > 1:  # "bean soup, home recipe": a bean soup
            return generic <= food_words
        if len(query.kinds) > 1:  # "white fish", "mixed vegetables"
            return query.kinds <= food_words
        return index.choice_sets[choice] <= query.qset and not self._contradicts(query,
                                                                                 facts.prep)

    def _contradicts(self, query: _Query, stated: dict[str, frozenset[str]]) -> bool:
        """Whether a food says otherwise than the name on something the name asks for (fat
        free, raw, 80%); a food that says nothing is taken to be the usual (silent) form."""
        silent = self._defaults.silent
        return any(found is not None and values.isdisjoint(found)
                   for dimension, values in query.asked.items()
                   if (found := stated.get(dimension, silent.get(dimension))) is not None)

    @staticmethod
    def _coverage(query: _Query, food_words: frozenset[str]) -> tuple[float, float]:
        """(share of the typed food words the food has, share of the head it has). The words
        that name the food (the best of its alternatives) count HEAD_WEIGHT times."""
        def count(ws) -> int:
            if not query.narrower:
                return len(food_words.intersection(ws))
            return sum(w in food_words or not query.narrower.get(w, _NONE).isdisjoint(food_words)
                       for w in ws)

        others = count(query.others)
        if not query.head_alts:
            return others / max(len(query.others), 1), 1.0
        best = (-1.0, 0.0)
        for alt, rest in zip(query.head_alts, query.head_rests, strict=True):
            # The words of the other alternatives still describe the food, as others do.
            found = count(alt)
            covered = (HEAD_WEIGHT * found + others + count(rest)) / \
                (HEAD_WEIGHT * len(alt) + len(query.others) + len(rest))
            best = max(best, (covered, found / len(alt)))
        return best

    def _preparation_score(self, query: _Query, stated: dict[str, frozenset[str]]) -> float:
        """Agreement of raw/cooked, method, canned/frozen, powder/drink and fat level between
        name and food; what the name leaves out is read as the food's usual form (rice
        cooked, a drink as drunk, fruit raw, milk as it comes)."""
        score = 0.0
        conflict = self._defaults.conflict
        silent = self._defaults.silent
        for dimension, values in query.asked.items():
            found = stated.get(dimension, silent.get(dimension))
            if found is None:
                score -= 2.0 if dimension == "state" else 1.0
            elif values & found:
                score += 3.0
            else:
                score -= conflict.get(dimension, 5.0) * self._defaults.steps(dimension, values,
                                                                            found)
        for dimension, (value, weight) in self._defaults.assume.items():
            found = stated.get(dimension)
            if dimension in query.asked or found is None:
                continue
            usual = query.usual.get(dimension, frozenset({value}))
            score += min(weight, 2.0) if usual & found else -weight
        return score


@dataclass
class _Query:
    """One name read for ranking, with what it asks for worked out once."""

    words: list[str]
    qset: frozenset[str]
    typed: frozenset[str]  # the words as typed, before typos were read
    known: list[str]  # words the food table uses
    food_words: list[str]  # known words that name food rather than preparation
    head: list[str]  # the words that name the food (see _split_head)
    nouns: frozenset[str]  # the last word of the head, or of each of its alternatives
    plain_nouns: tuple[frozenset[str], ...]  # without a head: words naming the food
    modifiers: frozenset[str]  # ... and the foods typed before it
    preferred: frozenset[str]  # words of the food's usual form not typed
    preferred_food: list[str]  # of those, the ones that are not preparation words
    asked: dict[str, frozenset[str]]  # preparation asked for, by dimension
    usual: dict[str, frozenset[str]]  # the usual preparation when none is typed
    known_share: float  # 1 when every word is known; unknown words lower the confidence
    head_alts: list[frozenset[str]]  # the head's alternatives ("frankfurter or hot dog")
    head_rests: list[list[str]]  # for each alternative, the head words not in it
    others: list[str]  # food words outside the head
    typed_or_usual: frozenset[str]  # typed words and words of the usual form
    core: frozenset[str]  # typed words before "with" or "in" (what the food is), usual form
    described: bool  # whether the first field goes on with "with" or "in"
    narrower: dict[str, frozenset[str]]  # words that satisfy a food word ("meat": beef)
    content: frozenset[str]  # known words that name the food: not how it is prepared, not a
    # kind of food alone (cereal), not a colour (white)
    named_outside: bool  # whether one of them is outside parentheses (not only an example)
    kinds: frozenset[str]  # known words that are generic or describing ("mixed", "fish")
    product: frozenset[str]  # a maker USDA lists and its product's words (Grillers Prime)
    product_kind: frozenset[str]  # ... and the kind of food the name says it is (burger)
    dish_kinds: frozenset[str]  # for a dish ("caesar salad"), the kinds of food it may be
    dish: str  # ... and the word that names it ("salad"), "" for a name that is no dish
    prep_scores: dict[frozenset, float] = field(default_factory=dict)  # per preparation


def _join_compounds(found: list[str], vocab: AbstractSet[str],
                    pairs: frozenset[tuple[str, str]]) -> list[str]:
    """Two typed words the table writes only as one ("coffee cake" -> coffeecake, but "milk
    shake" stays: USDA writes it both ways)."""
    out: list[str] = []
    for w in found:
        if out and out[-1] + w in vocab and (out[-1], w) not in pairs:
            out[-1] += w
        else:
            out.append(w)
    return out


def _split_head(name: str) -> tuple[str, str]:
    """The part of a name that names the food, and the rest: before the first comma and
    before " with " ("Tea, hot, leaf"; "Nachos with cheese"), or nothing for a plain name."""
    head, rest = (name.split(",", 1) + [""])[:2] if "," in name else ("", name)
    lowered = (head or name).lower()
    if " with " in lowered:
        at = lowered.index(" with ")
        return (head or name)[:at], (head or name)[at:] + ("," + rest if head else "")
    return head, rest


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))
