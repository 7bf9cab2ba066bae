"""The bounds on what nutrigap reads, so that any input it accepts is analysed and drawn in
bounded time and memory, and every number it prints is one a person could have eaten.

One table of plain values, shared by the readers in the core and by the edges (the command
line, batch workers, web workers), which apply the ones about processes. docs/limits.md says
why each has its value and what happens beyond it; benchmarks/bench_limits.py measures the
worst case at each.
"""

from __future__ import annotations

# --- a file a user gives ---------------------------------------------------------------------

MAX_BYTES = 20 * 1024 * 1024  # a meal log, clients file or corrections file
MAX_ROWS = 200_000  # rows of one table (a year of a busy log is about 10,000)
MAX_HEADER_CHARS = 64 * 1024  # the header row ends within this much of the file's start
MAX_TARGETS_BYTES = 64 * 1024  # a targets file holds a dozen lines
MAX_SHARED_LOG_BYTES = 200 * 1024 * 1024  # one batch INPUT file holding many clients' rows

# --- one report ------------------------------------------------------------------------------

MAX_CELL_CHARS = 200  # one cell of a meal log: the longest USDA food name is 136 characters
MAX_DAYS = 1_096  # dates logged in one report: three years
MAX_NAMES = 2_000  # different food names in one report (a long real log has a few hundred)

# --- numbers in a user's file ----------------------------------------------------------------

MAX_NUMBER = 1_000_000.0  # any number in an amount ("2 x 150 g", "1 cup (240 ml)")
MAX_ROW_NUTRIENT = 100_000.0  # a nutrient in one row (an export's cell, a supplement's dose),
#                               in its unit (mg, µg, kcal): 100 g of magnesium, 4 million IU
TARGET_RANGE = (0.01, 100_000.0)  # a target or upper limit a dietitian sets, in its unit

# --- a clinic's template folder --------------------------------------------------------------

MAX_TEMPLATE_ENTRIES = 1_000  # files and folders under --template-dir
MAX_TEMPLATE_BYTES = 1024 * 1024  # one template file

# --- processes (applied by the batch and the web app) ----------------------------------------

#: memory one batch or web worker process may allocate (resource.RLIMIT_DATA, applied by
#: nutrigap.workers; $NUTRIGAP_WORKER_MEMORY_MB changes it): the worst report within the
#: limits above reserves 1.6 GB of address space on a 2-core machine, of which it allocates
#: less (benchmarks/bench_limits.py)
WORKER_MEMORY_BYTES = 4 * 1024 ** 3
#: wall-clock seconds one client of a batch may take before it is stopped and listed as
#: failed (`nutrigap batch --time-per-client` changes it): the worst report within the limits
#: above took 75-85 s of CPU time and 320 s on a machine running four times as much work as
#: it has cores
CLIENT_SECONDS = 600
