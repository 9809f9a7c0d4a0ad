"""The public certificate check's rate limit: counted in the cache every process shares (a
database table), per client address; a proxy's header only when one is configured."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client, override_settings

URL = "/verify/ABCDEFGHJKMN/"


def _answers(n: int, **headers: str) -> list[int]:
    return [Client().get(URL, **headers).status_code for _ in range(n)]


def test_counted_in_the_shared_database_cache_without_the_address(db: Any) -> None:
    with override_settings(OPENNRM_VERIFY_PER_MINUTE=2):
        assert _answers(3, REMOTE_ADDR="203.0.113.7") == [404, 404, 429]
        # Another address has its own count.
        assert _answers(1, REMOTE_ADDR="203.0.113.8") == [404]
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM opennrm_shared_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert len(keys) == 2
    assert all("verify:" in k and "203.0.113" not in k for k in keys)


def test_a_forwarded_header_is_ignored_unless_a_trusted_proxy_is_configured(db: Any) -> None:
    with override_settings(OPENNRM_VERIFY_PER_MINUTE=1):
        spoofed = [
            Client().get(URL, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
            for i in range(2)
        ]
        assert [r.status_code for r in spoofed] == [404, 429]
    with override_settings(
        OPENNRM_VERIFY_PER_MINUTE=1, OPENNRM_TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR"
    ):
        behind = [
            Client().get(
                URL, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 10.0.0.2"
            )
            for i in (1, 2, 1)
        ]
        assert [r.status_code for r in behind] == [404, 404, 429]
