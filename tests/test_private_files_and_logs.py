"""The data directory is 0700 and the SQLite files 0600; the development server's request log
carries paths, never query strings (names are searched there)."""

from __future__ import annotations

import io
import logging
import stat
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.wsgi import get_wsgi_application
from django.db.backends.sqlite3.base import DatabaseWrapper

from opennrm.core.files import private_dir
from opennrm.core.logs import strip_query


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_dir_is_created_0700_and_tightened_if_it_exists(tmp_path: Path) -> None:
    fresh = private_dir(tmp_path / "a" / "data")
    assert mode(fresh) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    private_dir(loose)
    assert mode(loose) == 0o700


def test_sqlite_file_is_0600_from_its_first_connection(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    name = tmp_path / "opennrm.sqlite3"
    wrapper = DatabaseWrapper(
        {
            "NAME": str(name),
            "ENGINE": "django.db.backends.sqlite3",
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
        }
    )
    with django_db_blocker.unblock():
        try:
            wrapper.ensure_connection()
            with wrapper.cursor() as cursor:
                cursor.execute("CREATE TABLE t (x integer)")
            assert mode(name) == 0o600
            wal = Path(f"{name}-wal")
            assert wal.exists()
            assert mode(wal) == 0o600
        finally:
            wrapper.close()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('"GET /cases/?q=%D0%A8 HTTP/1.1" 200 10', '"GET /cases/ HTTP/1.1" 200 10'),
        ("GET /api/v1/cases/?q=Шевченко&page=2 HTTP/1.1", "GET /api/v1/cases/ HTTP/1.1"),
        ('"GET /cases/ HTTP/1.1" 200 10', '"GET /cases/ HTTP/1.1" 200 10'),
    ],
)
def test_strip_query(line: str, expected: str) -> None:
    assert strip_query(line) == expected


@pytest.mark.django_db(transaction=True)
def test_development_server_logs_no_query_string() -> None:
    app = get_wsgi_application()  # sets logging up again: before the handler is added
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("django.server")
    logger.addHandler(handler)
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler, ipv6=False)
    server.set_app(app)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    try:
        query = urllib.parse.urlencode({"q": "Шевченко Олександр"})
        url = f"http://127.0.0.1:{server.server_port}/api/v1/cases/?{query}"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=10)
        assert refused.value.code == 401
        thread.join(timeout=10)
    finally:
        logger.removeHandler(handler)
        server.server_close()
    output = captured.getvalue()
    assert '"GET /api/v1/cases/ HTTP/1.1" 401' in output
    for secret in ("Шевченко", query, "%D0%A8", "q=", "?"):
        assert secret not in output
