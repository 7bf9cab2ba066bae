"""Stage 6, the write-up: every stage's output turned into the one report dictionary that
each output format (PDF, HTML, JSON, CSV) is drawn from.

Entry point: `build_report(analysis, options) -> dict` (keys documented in
docs/report-json.md), where `Analysis` holds what the stages made of one log; and, for the
terminal, `reference_text` (a trigger's amount advised, in words) and `source_titles`.
"""

from nutrigap.analyzer.writeup.report import SCHEMA, Analysis, build_report
from nutrigap.analyzer.writeup.text import source_titles
from nutrigap.analyzer.writeup.triggers import reference_text

__all__ = ["SCHEMA", "Analysis", "build_report", "reference_text", "source_titles"]
