"""Exit 0 when PostgreSQL answers at the URL, creating the database if it is missing."""

from __future__ import annotations

import sys
from urllib.parse import urlparse

import psycopg
from psycopg import sql


def main(url: str) -> int:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/") or "opennrm"
    admin = parsed._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin, connect_timeout=3, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL not reachable: {exc}".strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
