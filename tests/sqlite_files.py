"""The bytes of the SQLite test database's files, read without breaking SQLite's locks.

SQLite holds POSIX advisory (fcntl) locks on the database file, and POSIX drops every lock a
process holds on a file as soon as that process closes *any* descriptor of it. SQLite guards
its own descriptors against this; a plain `Path(name).read_bytes()` in the test process opens
and closes one of its own, so the process silently loses the SHARED lock its open connections
keep on the file, while SQLite still believes it holds it (and never takes it again while one
of them stays open). Another process's connection then counts itself the last one when it
closes: it checkpoints and deletes the -wal and -shm files from under this process, and every
later new connection here fails with "disk I/O error" (a new, empty WAL against the old index).
That happened in the full suite once the facts test ran the worker as a subprocess
(`tests/worker.py`). So the bytes are read by a child process, whose descriptors are its own.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_CAT = "import sys; sys.stdout.buffer.write(open(sys.argv[1], 'rb').read())"


def file_bytes(path: str | Path) -> bytes:
    """The bytes of a file of a live SQLite database (the database, its -wal), read by a child
    process."""
    # This Python, a fixed program, the path of a test database file as its argument.
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _CAT, str(path)], capture_output=True, check=True, timeout=60
    )
    return done.stdout


def database_bytes(name: str | Path) -> bytes:
    """The database file's bytes followed by its WAL's (when there is one)."""
    raw = file_bytes(name)
    wal = Path(f"{name}-wal")
    if wal.exists():
        raw += file_bytes(wal)
    return raw
