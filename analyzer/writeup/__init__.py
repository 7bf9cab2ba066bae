"""Stage 6, the write-up: every stage's output turned into the one report dictionary that
each output format (PDF, HTML, JSON, CSV) is drawn from.

Entry point: `build_report(...) -> dict` (keys documented in docs/report-json.md).
"""

from nutrigap.analyzer.writeup.report import SCHEMA, build_report

__all__ = ["SCHEMA", "build_report"]
