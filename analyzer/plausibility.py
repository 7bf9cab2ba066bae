"""How much of one logged item is plausible, questionable or impossible.

A log is never refused for an amount that could be real. Three lines, one per question:

- `IMPOSSIBLE_ITEM_GRAMS`: more of one item in a day than a person can take in. The kidneys
  pass at most about one litre of water an hour, some 24 litres a day, and the stomach holds
  a few litres; the largest eating feats on record stay under 10 kg. An amount above 25 kg
  (or 25 litres) is a slip in the number or the unit, so our own format refuses it, and an
  item weighed past it through a portion ("2000 slices") is left out of the totals with the
  reason. A Cronometer row that gives its own values is never refused for its amount: the
  values are what counts, and the export's weight can be its own unit ("50.00 x 0.5 cup" of
  a leafy green is 500 g, not 5.9 litres).
- `QUESTIONED_ITEM_GRAMS`: above 5 kg (or 5 litres) of one item is rare but real (5.2 litres
  of water in a day is in USDA's own NHANES recalls): counted as written, and listed in the
  report's questioned items with the row, the amount and what it weighed.
- `QUESTIONED_PORTIONS`: more than 200 portions of one item ("250 slices") is counted and
  questioned the same way. `IMPOSSIBLE_PORTIONS` refuses only a count that, even at 1 g a
  portion, would pass the impossible weight.
"""

from __future__ import annotations

IMPOSSIBLE_ITEM_GRAMS = 25_000.0  # also millilitres
QUESTIONED_ITEM_GRAMS = 5_000.0  # also millilitres
QUESTIONED_PORTIONS = 200.0
IMPOSSIBLE_PORTIONS = IMPOSSIBLE_ITEM_GRAMS  # portions of 1 g or more each
