"""Stage 1, reading logs: a meal log file object in, the items table and what was detected out.

Entry points: `read_meal_log(fp) -> (items, LogInfo)`; `ReadLimits`; `SeveralClients`, raised
for a file naming several clients when a report is about one person.
"""

from nutrigap.analyzer.logs.clients import SeveralClients, several_clients_problem
from nutrigap.analyzer.logs.meal_log import ITEM_COLUMNS, LogInfo, ReadLimits, read_meal_log

__all__ = ["ITEM_COLUMNS", "LogInfo", "ReadLimits", "SeveralClients", "read_meal_log",
           "several_clients_problem"]
