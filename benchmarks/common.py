"""What the benchmark scripts share: their own databases, Django set-up, timing, reporting.

Every database configuration runs in a child process of its own (Django settings are fixed once
per process); the parent runs the children one after another, collects their JSON and prints
one table. Nothing here touches the test databases or the development database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432"
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "opennrm-bench"


def log(message: str) -> None:
    """Progress goes to stderr, so that stdout holds only the tables."""
    print(f"[{dt.datetime.now(dt.UTC):%H:%M:%S}Z] {message}", file=sys.stderr, flush=True)


# --- Databases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchDatabase:
    """One benchmark database and the key ring its ciphertext was written with."""

    backend: str  # "sqlite" or "postgres"
    name: str  # e.g. "cases_10000"
    workdir: Path
    pg_url: str

    @property
    def url(self) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.workdir / f'{self.name}.sqlite3'}"
        return f"{self.pg_url.rstrip('/')}/opennrm_bench_{self.name}"

    @property
    def keyring_path(self) -> Path:
        return self.workdir / f"{self.backend}-{self.name}.keyring.json"

    def exists(self) -> bool:
        if self.backend == "sqlite":
            return Path(urlparse(self.url).path).exists()
        import psycopg

        parsed = urlparse(self.url)
        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, connect_timeout=3, autocommit=True) as conn:
            row = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (parsed.path.lstrip("/"),)
            ).fetchone()
        return row is not None

    def create(self) -> None:
        """Create the database if missing (PostgreSQL through scripts/pg_ready.py)."""
        if self.backend == "sqlite":
            self.workdir.mkdir(parents=True, exist_ok=True)
            return
        script = str(ROOT / "scripts" / "pg_ready.py")
        done = subprocess.run([sys.executable, script, self.url], check=False)  # noqa: S603
        if done.returncode != 0:
            raise SystemExit(f"PostgreSQL is not reachable at {self.pg_url}")

    def drop(self) -> None:
        """Delete the database and its key ring (only ever a benchmark database)."""
        self.keyring_path.unlink(missing_ok=True)
        if self.backend == "sqlite":
            path = Path(urlparse(self.url).path)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return
        import psycopg
        from psycopg import sql

        parsed = urlparse(self.url)
        name = parsed.path.lstrip("/")
        assert name.startswith("opennrm_bench_"), name
        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, connect_timeout=3, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def setup_django(db: BenchDatabase, *, fresh: bool = False) -> None:
    """Point the test settings at a benchmark database and start Django; migrate it.

    The key ring is kept beside the database (a generated one would make earlier ciphertext
    unreadable); `fresh` drops the database first. Rate limits are lifted so that repeated
    searches measure the search, not the 429 page.
    """
    if fresh or (db.exists() and not db.keyring_path.exists()):
        if db.exists():
            log(f"dropping {db.url} (fresh start, or its key ring is gone)")
        db.drop()
    db.workdir.mkdir(parents=True, exist_ok=True)
    if not db.keyring_path.exists():
        from opennrm.vault.keyring import generate_keyring, write_keyring_file

        write_keyring_file(db.keyring_path, generate_keyring())
    db.create()
    os.environ["DATABASE_URL"] = db.url
    os.environ["OPENNRM_KEYRING"] = db.keyring_path.read_text(encoding="utf-8")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["OPENNRM_WEB_SEARCH_PER_MINUTE"] = "100000000"
    os.environ["OPENNRM_SEARCH_RATE"] = "100000000/min"
    os.environ["OPENNRM_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def analyze(backend: str, *, sqlite_stats: bool = False) -> None:
    """Planner statistics: PostgreSQL's as autovacuum keeps them; SQLite's only when asked.

    Django never runs `ANALYZE` on SQLite, so by default the SQLite databases are measured as
    production runs them: without `sqlite_stat1` (dropped if an earlier run made it).
    """
    from django.db import connection

    with connection.cursor() as cursor:
        if backend == "postgres":
            cursor.execute("VACUUM ANALYZE")
        elif sqlite_stats:
            cursor.execute("ANALYZE")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'sqlite_stat%'")
            for (table_name,) in cursor.fetchall():
                cursor.execute(f'DROP TABLE "{table_name}"')


def benchmark_actor(agency_name: str, username: str) -> Any:
    """A caseworker of a benchmark agency (created on first use), as an `Actor`."""
    from opennrm.accounts.models import User
    from opennrm.tenancy.actor import actor_for
    from opennrm.tenancy.models import Agency, Membership

    agency, _ = Agency.objects.get_or_create(
        name=agency_name, defaults={"kind": "NGO", "oblast": "UA-63"}
    )
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password="bench-" + "x" * 20)
        Membership.objects.create(user=user, agency=agency, role="caseworker")
    return actor_for(user)


class Recorder:
    """An execute wrapper that keeps every statement Django sends, with its parameters."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any]] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.statements.append((sql, params))
        return execute(sql, params, many, context)


# --- Timing ---------------------------------------------------------------------------------


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 50 samples is the 48th smallest)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def timed(fn: Callable[[], object], *, repeat: int, warmup: int) -> list[float]:
    """Milliseconds of `repeat` calls, after `warmup` calls that are not counted."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def summary(samples: Sequence[float]) -> dict[str, float]:
    return {
        "p50": statistics.median(samples),
        "p95": percentile(samples, 95),
        "min": min(samples),
        "max": max(samples),
    }


# --- Child processes and reports ------------------------------------------------------------


def run_child(module: str, args: list[str]) -> dict[str, Any]:
    """Run `python -m module args --child-out FILE` and return the JSON it wrote."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    try:
        cmd = [sys.executable, "-m", module, *args, "--child-out", str(out)]
        log("running " + " ".join(cmd[2:]))
        done = subprocess.run(cmd, cwd=ROOT, check=False)  # noqa: S603 (our own module)
        if done.returncode != 0:
            raise SystemExit(f"{module} {' '.join(args)} failed with {done.returncode}")
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return result
    finally:
        out.unlink(missing_ok=True)


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


def write_results(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table, numbers right-aligned."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    numeric = [all(isinstance(row[i], int | float) for row in rows) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(r) for r in cells)
    return "\n".join(out)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 100 else f"{value:.2f}"
    return str(value)


def csv_ints(text: str) -> list[int]:
    return [int(v.replace("_", "")) for v in text.split(",") if v.strip()]


def database_choice(text: str) -> list[str]:
    if text == "both":
        return ["sqlite", "postgres"]
    if text in {"sqlite", "postgres"}:
        return [text]
    raise argparse.ArgumentTypeError("expected sqlite, postgres or both")


def common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=database_choice, default=["sqlite", "postgres"], help="sqlite|postgres|both"
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL),
        help="PostgreSQL server (no database name); databases opennrm_bench_* are made there",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=DEFAULT_WORKDIR,
        help="where the SQLite files and the key rings are kept",
    )
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
