"""Settings for the test suite: the production settings with test keys and a file database.

The database is SQLite unless DATABASE_URL names another (the test command runs both).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from opennrm.vault.keyring import generate_keyring

os.environ.setdefault("OPENNRM_SECRET_KEY", "tests-only-" + "s" * 40)
os.environ.setdefault("OPENNRM_KEYRING", generate_keyring().to_json())
os.environ.setdefault("OPENNRM_SECURE_COOKIES", "false")
os.environ.setdefault("OPENNRM_SSL_REDIRECT", "false")
# Row-level security (PostgreSQL): the test bodies (fixtures, factories, assertions reading
# across agencies) are system work like an `opennrm` command, so outside a request they run in
# national scope (tenancy/rls.py); every request through the test client or the live server
# runs in its actor's scope and returns to this default. tests/conftest.py switches the suite's
# connections to the application role once the test database is migrated.
os.environ.setdefault("OPENNRM_SYSTEM_SCOPE", "1")

from opennrm.settings import *  # noqa: F403
from opennrm.settings import DATABASES, STORAGES

# The owner (the superuser of the test run) creates and migrates the test database; then
# tests/conftest.py grants the application role DML on its tables and every connection does
# `SET ROLE` to it (the mechanism of OPENNRM_DB_APP_ROLE), so the policies bind the suite.
OPENNRM_DB_APP_ROLE = ""
OPENNRM_TEST_DB_APP_ROLE = os.environ.get("OPENNRM_TEST_DB_APP_ROLE", "opennrm_app")

# A file database (not memory) so tests can read its raw bytes and the browser tests can share
# it with the live server. pytest-django adds the xdist worker id to the name.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    tag = os.environ.get("OPENNRM_TEST_DB_TAG", "")
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"opennrm-test{tag}.sqlite3")
    }

    # Django empties SQLite tables with DELETE after transactional tests; the append-only
    # triggers would refuse it. tests/test_audit.py installs them where it tests them.
    OPENNRM_AUDIT_SQLITE_TRIGGERS = False

# Argon2 is the production hasher (tested in test_settings); tests hash faster.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Every test counts afresh (tests/reports/test_indicators.py turns the cache on where it tests it).
OPENNRM_STATS_CACHE_SECONDS = 0
