"""The real background worker (`opennrm db_worker --batch`), run as a subprocess against the test
database by the tests that need it (tests/linkage/test_worker.py, tests/reports/test_facts.py).
Those tests are transactional: the worker's process sees what the test wrote."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The test database as the worker reaches it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{db['USER']}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def run_db_worker(timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Run every task that is due, then return the finished worker (exit status checked)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "opennrm.settings",
        "DATABASE_URL": database_url(),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "opennrm", "db_worker", "--batch", "--no-startup-delay"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    if connection.vendor == "sqlite" and connection.connection is not None:
        # This process kept the database open: the worker's last connection must have seen its
        # lock and left the WAL and its index in place. Gone, every later new connection of this
        # process fails with 'disk I/O error' (the lock was lost: tests/sqlite_files.py).
        name = connection.settings_dict["NAME"]
        gone = [
            f"{name}{suffix}" for suffix in ("-wal", "-shm") if not Path(f"{name}{suffix}").exists()
        ]
        assert not gone, f"the worker removed {gone} while this process had the database open"
    return done
