"""Files that hold personal data are private to the process owner: the data directory 0700,
the SQLite database (and its WAL and shared-memory files) 0600."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create a directory (and parents) readable only by its owner; tighten it if it exists."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    path.chmod(DIR_MODE)
    return path


def restrict_sqlite_files(name: str | os.PathLike[str]) -> None:
    """Make a SQLite database file and its companions readable only by their owner."""
    text = str(name)
    if not text or text == ":memory:" or text.startswith("file:"):
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(text + suffix, FILE_MODE)


def on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: a SQLite file is 0600 from its first connection on."""
    if connection.vendor == "sqlite":
        restrict_sqlite_files(connection.settings_dict.get("NAME") or "")
