"""What one report is asked for besides the log and the person, carried through the analysis
as one value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from nutrigap.analyzer.suggestions.diets import normalise_diet


@dataclass(frozen=True, kw_only=True)
class Options:
    """The choices of one report, and what the edge that asked for it stamps it with.

    `generated` and `version` are the report's date and the nutrigap version that made it:
    the core reads no clock and no package metadata, so the edge gives them. Diets are
    normalised ("Dairy free" -> "dairy-free"; an unknown diet raises BadDiet) and the excluded
    words trimmed when the options are made.
    """

    generated: date
    version: str
    diet: Sequence[str] = ()  # stored as a tuple of normalised names
    exclude: Sequence[str] = ()  # stored as a tuple of words
    #: a dietitian's targets: a dict, a DataFrame or `read_overrides` output; None for the DRIs
    overrides: object = field(default=None, compare=False)
    log_name: str = ""  # how the report names the log: its file name, the client

    def __post_init__(self) -> None:
        diet = (self.diet,) if isinstance(self.diet, str) else self.diet
        exclude = (self.exclude,) if isinstance(self.exclude, str) else self.exclude
        # frozen: set once here, through object.__setattr__, as dataclasses document
        object.__setattr__(self, "diet", tuple(normalise_diet(d) for d in diet))
        object.__setattr__(self, "exclude", tuple(str(w).strip() for w in exclude
                                                  if str(w).strip()))
