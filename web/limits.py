"""What one request may bring: its size, its files and fields, the length of a file name, and
how long the server waits for it to arrive.

The analysis and the PDF run in worker processes (nutrigap.workers), with a time limit per
analysis and a memory limit per worker.
"""

from __future__ import annotations

from werkzeug.exceptions import RequestEntityTooLarge

DEFAULT_UPLOAD_MB = 10
# Room for the form's other fields and the multipart boundaries around the file itself.
FORM_OVERHEAD_BYTES = 64 * 1024
#: the most files one form may carry: a caseload's logs, its clients file and target files
MAX_FILES = 500
#: the most parts (files and fields) of one form; above MAX_FILES, so that a caseload with
#: too many files hears of the file limit
MAX_FORM_PARTS = MAX_FILES + 100
#: the longest name of an uploaded file, in bytes of UTF-8: it becomes a file name on the
#: server and a client id in the report names, which most file systems cap at 255 bytes
MAX_NAME_BYTES = 200
#: seconds the built-in server waits for the next piece of a request before it drops the
#: connection, so that a stalled one does not hold a thread for ever
READ_TIMEOUT = 30


def upload_limit_bytes(megabytes: float) -> int:
    """The size of the largest request body accepted for an upload limit in MB (MiB)."""
    if not megabytes > 0:
        raise ValueError(f"the upload limit must be more than 0 MB, not {megabytes}")
    return int(megabytes * 1024 * 1024) + FORM_OVERHEAD_BYTES


class TooManyFiles(RequestEntityTooLarge):
    """A form carrying more files than MAX_FILES."""
