"""Stage 1, reading logs: a meal log file object in, the items table and what was detected out.

Entry points: `read_meal_log(fp) -> (items, LogInfo)`; `ReadLimits`; `SeveralClients`, raised
for a file naming several clients when a report is about one person. `read_table(fp, what=)
-> (UserTable, TableFormat)` is the one reader of every table a user gives (meal logs, clients,
targets and corrections files); `read_text` is its decoding step alone (for a TOML targets
file), `head_of` the start of a file enough to read its header, `is_log_header` whether a
header is a meal log's.
"""

from nutrigap.analyzer.logs.clients import SeveralClients, several_clients_problem
from nutrigap.analyzer.logs.formats import is_log_header
from nutrigap.analyzer.logs.meal_log import ITEM_COLUMNS, LogInfo, ReadLimits, read_meal_log
from nutrigap.analyzer.logs.tables import (
    KINDS,
    Row,
    TableFormat,
    UserTable,
    head_of,
    read_table,
    read_text,
)

__all__ = ["ITEM_COLUMNS", "KINDS", "LogInfo", "ReadLimits", "Row", "SeveralClients",
           "TableFormat", "UserTable", "head_of", "is_log_header", "read_meal_log",
           "read_table", "read_text", "several_clients_problem"]
