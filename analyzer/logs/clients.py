"""Whose rows a meal log holds, from its optional `client` column.

A dietitian may keep several clients in one file. A report is about one person, so a reader
asked for one person's report (`one_person`) refuses a file naming several clients, unless
`client` picks one of them; `nutrigap batch` splits such a file instead.
"""

from __future__ import annotations

import pandas as pd

from nutrigap.analyzer.errors import BadMealLog, Problem


class SeveralClients(BadMealLog):
    """A log whose client column names more than one person, read for one person's report;
    `clients` maps each id to its number of rows. The message's fix is for the command line;
    another edge words its own with `several_clients_problem`."""

    def __init__(self, clients: dict[str, int]):
        self.clients = clients
        fix = (f"analyse one of them with --client {next(iter(clients))}, or each of them "
               "with nutrigap batch (one report per client)")
        super().__init__([several_clients_problem(clients, fix)])


def several_clients_problem(clients: dict[str, int], fix: str) -> Problem:
    """The refusal of a log holding several clients, naming the first few and how many."""
    return Problem(None, None, None,
                   f"the client column holds {len(clients)} clients ({client_list(clients)}); "
                   f"one report would add their meals together as if one person ate them; {fix}")


def client_list(clients, shown: int = 5) -> str:
    """ "alice, bob, carol, dave, erin and 7 more"."""
    names = list(clients)
    text = ", ".join(names[:shown])
    return text + (f" and {len(names) - shown} more" if len(names) > shown else "")


def select_client(ids: pd.Series, rows: pd.Series, client: str | None,
                  one_person: bool) -> tuple[pd.Series, dict[str, int], list[str]]:
    """Which rows to read, given each row's client id ("" for none) and spreadsheet row.

    Returns (selected, clients, notes): a boolean mask aligned with `ids`, every client id in
    file order with its number of rows, and notes for the user. Raises SeveralClients or
    BadMealLog (an unknown `client`)."""
    counts = ids[ids != ""].value_counts(sort=False)
    clients = dict(zip(counts.index.tolist(), counts.tolist(), strict=True))
    if client is None:
        if len(clients) > 1 and one_person:
            raise SeveralClients(clients)
        notes = []
        if len(clients) > 1:
            listed = ", ".join(f"{c} ({n} {'row' if n == 1 else 'rows'})"
                               for c, n in clients.items())
            notes.append(f"the client column holds {len(clients)} clients: {listed}; analyse "
                         "one with --client NAME, or each of them with nutrigap batch")
        return pd.Series(True, index=ids.index), clients, notes
    chosen = _find_client(client, clients)
    selected = ids == chosen
    others = [c for c in clients if c != chosen]
    note = f"only client {chosen}'s rows were read ({clients[chosen]} of {len(ids)} rows"
    note += f"; the file also holds {client_list(others)})" if others else ")"
    no_id = rows[ids == ""].astype(int).tolist()
    if no_id:
        shown = ", ".join(map(str, no_id[:10])) + (" ..." if len(no_id) > 10 else "")
        note += (f"; {len(no_id)} {'row' if len(no_id) == 1 else 'rows'} with no client "
                 f"left out (row {shown})")
    return selected, clients, [note]


def _find_client(client: str, clients: dict[str, int]) -> str:
    """The id in the file that `client` names: exactly, else ignoring case and spaces."""
    wanted = client.strip()
    if wanted in clients:
        return wanted
    alike = [c for c in clients if c.casefold() == wanted.casefold()]
    if len(alike) == 1:
        return alike[0]
    if not clients:
        message = (f"--client {wanted}: the file has no client column (or it is empty), so it "
                   "is one person's log; leave out --client")
    else:
        message = (f"--client {wanted}: no row has this client; the file's clients are "
                   f"{client_list(clients, shown=10)}")
    raise BadMealLog([Problem(None, None, None, message)])
