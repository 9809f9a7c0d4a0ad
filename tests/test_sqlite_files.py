"""Reading the SQLite test database's bytes keeps this process's locks (tests/sqlite_files.py).

Read with a plain `Path.read_bytes()` while a connection was open, the process lost its lock on
the file: another process that then opened and closed the database (the worker) counted itself
the last connection, deleted the WAL and its index, and every later new connection of the test
process failed with 'disk I/O error'.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, connections

from tests.sqlite_files import database_bytes

# Another process's whole use of the database: open (WAL), read, close (its last connection).
OTHER_PROCESS = (
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA journal_mode=WAL');"
    " c.execute('SELECT count(*) FROM django_migrations').fetchone(); c.close()"
)


@pytest.mark.django_db(transaction=True)
def test_reading_the_files_leaves_the_database_usable_after_another_process() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the database files exist only on SQLite")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")  # this process's connection
    name = str(connection.settings_dict["NAME"])
    assert database_bytes(name).startswith(b"SQLite format 3\x00")
    subprocess.run([sys.executable, "-c", OTHER_PROCESS, name], check=True, timeout=60)  # noqa: S603
    # The other process saw this one's lock: the WAL and its index are still there.
    assert Path(f"{name}-wal").exists()
    assert Path(f"{name}-shm").exists()
    fresh = connections.create_connection("default")  # a new connection of this process
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM django_migrations")
            assert cursor.fetchone()[0] > 0
    finally:
        fresh.close()
