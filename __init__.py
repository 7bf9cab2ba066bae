"""nutrigap: checks a meal log against the nutrient targets that matter for muscle twitching
and cramps, and suggests foods that close the gaps.

The repository's top-level folders are this package's subpackages (see ARCHITECTURE.md):
`nutrigap.analyzer` is the pure core, and `nutrigap.foods`, `nutrigap.reports`,
`nutrigap.batch`, `nutrigap.web` and `nutrigap.cli` are its edges.
"""
