"""A dietitian's caseload in one command: a report per client and an overview of them all.

`inputs` finds the clients' logs, `clients` reads their profiles from clients.csv,
`client_jobs` turns one client into report files, `runner` runs the jobs on a process pool
(or, through `distributed`, on a Dask cluster) and `summary` writes summary.csv and the
caseload overview.
"""
