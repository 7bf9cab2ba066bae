"""Work kept per food table: built once per table."""

from __future__ import annotations

from nutrigap.analyzer.food_table import per_food_table


def test_work_is_done_once_per_table_and_not_shared_between_tables(embedded_table):
    builds = []

    @per_food_table
    def size(table):
        builds.append(table)
        return len(table.foods)

    other = embedded_table.subset(embedded_table.foods.index[:10])
    assert size(embedded_table) == len(embedded_table.foods)
    assert size(embedded_table) == len(embedded_table.foods)
    assert size(other) == 10
    assert builds == [embedded_table, other]

