"""One settings module, read from the environment through typed helpers (see README: Configuration).

Secrets may come from `NAME_FILE` instead of `NAME`. `opennrm demo` fills what is missing into
its data directory; `opennrm serve` refuses to start without them (system checks in
`opennrm.web.checks`).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from opennrm.core.env import (
    ConfigurationError,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
)
from opennrm.core.files import private_dir

PACKAGE_DIR = Path(__file__).resolve().parent

_data_dir = env_str("OPENNRM_DATA_DIR")
DATA_DIR: Path | None = Path(_data_dir).resolve() if _data_dir else None
DEBUG = env_bool("OPENNRM_DEBUG", default=False)
OPENNRM_DEMO = env_bool("OPENNRM_DEMO", default=False)


def _data_dir_secret(filename: str, create: bool) -> str | None:
    """A secret kept in the data directory (demo and operator commands only)."""
    if DATA_DIR is None:
        return None
    path = DATA_DIR / filename
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    if not create:
        return None
    private_dir(DATA_DIR)
    value = secrets.token_urlsafe(50)
    path.touch(mode=0o600)
    path.write_text(value, encoding="utf-8")
    return value


SECRET_KEY = (
    env_str("OPENNRM_SECRET_KEY") or _data_dir_secret("secret_key", create=OPENNRM_DEMO) or ""
)
if not SECRET_KEY:
    # Django refuses an empty key; system check opennrm.E001 reports the missing setting.
    SECRET_KEY = "unconfigured-" + secrets.token_urlsafe(32)
    SECRET_KEY_CONFIGURED = False
else:
    SECRET_KEY_CONFIGURED = True

# The key ring (see opennrm.vault.keyring). Never derived from SECRET_KEY.
_keyring_file = env_str("OPENNRM_KEYRING_FILE")
if not _keyring_file and DATA_DIR is not None and (DATA_DIR / "keyring.json").exists():
    _keyring_file = str(DATA_DIR / "keyring.json")
OPENNRM_KEYRING_FILE = _keyring_file
OPENNRM_KEYRING_TEXT: str | None = env_str("OPENNRM_KEYRING")
if OPENNRM_KEYRING_TEXT is None and _keyring_file:
    try:
        OPENNRM_KEYRING_TEXT = Path(_keyring_file).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"OPENNRM_KEYRING_FILE: cannot read {_keyring_file}") from exc

ALLOWED_HOSTS = env_list("OPENNRM_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("OPENNRM_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "opennrm.audit",
    "opennrm.accounts",
    "opennrm.tenancy",
    "opennrm.people",
    "opennrm.cases",
    "opennrm.nrm.screening",
    "opennrm.nrm.referrals",
    "opennrm.nrm.status",
    "opennrm.nrm.assistance",
    "opennrm.justice",
    "opennrm.training",
    "opennrm.linkage",
    "opennrm.reports",
    "opennrm.retention",
    "django_tasks",
    "opennrm.borders",
    "opennrm.casework",
    "opennrm.notices",
    "django_tasks_db",
    "opennrm.web",
    "opennrm.api",
    "opennrm.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before everything that may answer an /api/ request with HTML or plain text.
    "opennrm.api.middleware.json_errors_under_api",
    "opennrm.web.middleware.reject_unencodable_input",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # PostgreSQL row-level security: the request's agency and scope (docs/operations.md).
    "opennrm.access.rls.row_level_security",
    "django_otp.middleware.OTPMiddleware",
    "opennrm.web.middleware.absolute_session_lifetime",
    # A password alone opens nothing: the second factor, the forced password change (web).
    "opennrm.web.middleware.second_factor_required",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "opennrm.web.middleware.no_store_when_authenticated",
    "opennrm.web.middleware.permissions_policy",
    "opennrm.web.refusals.RecordRefusedAccess",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "opennrm.urls"
WSGI_APPLICATION = "opennrm.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
# Select widgets with a real, translated empty option (web/renderers.py).
FORM_RENDERER = "opennrm.web.renderers.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "opennrm.web.context.navigation",
                "opennrm.web.help.context.help_link",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    url = env_str("DATABASE_URL")
    if not url:
        base = DATA_DIR or Path.cwd() / ".data"
        url = f"sqlite:///{base / 'opennrm.sqlite3'}"
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        # cache_size: 64 MiB of pages per connection instead of SQLite's 2 MiB, so that the
        # blind-index B-trees (random digests) stay in memory when an import adds to them.
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                " PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    return config


DATABASES = {"default": _database()}
# SQLite: the page cache (MiB) of a connection while it imports HTCDS records (API, upload or
# `opennrm import-htcds`); otherwise a connection has 64. A register of 100,000 records dirties
# some 700 MB of pages in its one transaction; with 64 they were spilled to the WAL and read
# back (docs/operations.md). Pages are taken only as used; SQLite frees them when the import
# ends, and the memory is handed back to the system (core.bulk.give_back_memory).
OPENNRM_IMPORT_CACHE_MB = env_int("OPENNRM_IMPORT_CACHE_MB", default=1024, minimum=64)
# PostgreSQL: the role every connection switches to (SET ROLE) so that row-level security binds
# it: owns nothing, NOBYPASSRLS (docs/operations.md). `opennrm migrate|backup|restore` keep the
# login role (the owner).
OPENNRM_DB_APP_ROLE = env_str("OPENNRM_DB_APP_ROLE", "") or ""
# How long backups are kept (days): key-encryption keys replaced longer ago are retired by the
# worker's daily job, so older backups cannot be read (docs/retention.md, retention/keys.py).
OPENNRM_BACKUP_RETENTION_DAYS = env_int("OPENNRM_BACKUP_RETENTION_DAYS", default=35, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("OPENNRM_LOGIN_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# Failures are forgotten only once the whole login succeeded (password and second factor:
# web/accounts/second_factor.py resets them), never after the password alone: a wrong second
# factor counts like a wrong password, and a known password does not reset the count.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False
# Lock out by account, whatever address the attempts come from (security.md: 5 failures).
# axes.W006 suggests adding the IP address, which would let an attacker rotate addresses.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions: server-side, sliding inactivity timeout, absolute lifetime (web.middleware).
SECURE_COOKIES = env_bool("OPENNRM_SECURE_COOKIES", default=not (DEBUG or OPENNRM_DEMO))
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("OPENNRM_SESSION_IDLE_MINUTES", default=30, minimum=1) * 60
SESSION_ABSOLUTE_SECONDS = env_int("OPENNRM_SESSION_MAX_HOURS", default=12, minimum=1) * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
# The CSRF token lives in the server-side session: bound to it, no cookie of its own.
CSRF_USE_SESSIONS = True
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_NAME = "__Host-opennrm-session" if SECURE_COOKIES else "opennrm-session"
CSRF_COOKIE_NAME = "__Host-opennrm-csrf" if SECURE_COOKIES else "opennrm-csrf"
SECURE_SSL_REDIRECT = env_bool("OPENNRM_SSL_REDIRECT", default=SECURE_COOKIES)
SECURE_HSTS_SECONDS = 31536000 if SECURE_COOKIES else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_COOKIES
SECURE_HSTS_PRELOAD = env_bool("OPENNRM_HSTS_PRELOAD", default=SECURE_COOKIES)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("OPENNRM_BEHIND_PROXY", default=False) else None
)
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses are off (web.middleware.permissions_policy); passkeys
# (WebAuthn) are allowed for this origin only.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "publickey-credentials-get=(self)"
)

# The second factor (docs/security.md): TOTP with backup codes for every account, passkeys
# (WebAuthn) for the roles of access.second_factor.PASSKEY_ROLES. The relying party is the
# host the request came to (ALLOWED_HOSTS), see web/accounts/passkeys.py.
OTP_TOTP_ISSUER = "OpenNRM"
OTP_WEBAUTHN_RP_NAME = "OpenNRM"
OTP_WEBAUTHN_RP_ID_CALLABLE = "opennrm.web.accounts.passkeys.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "opennrm.web.accounts.passkeys.Helper"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "opennrm.passkeys"
# The origin checked is the request's own (its host passed ALLOWED_HOSTS), https or localhost;
# this list only satisfies django-otp-webauthn's configuration check.
OTP_WEBAUTHN_ALLOWED_ORIGINS = [o for o in CSRF_TRUSTED_ORIGINS if o.startswith("https://")] or [
    "http://localhost"
]
# Backup codes made at enrolment (each works once).
OPENNRM_BACKUP_CODES = 10
# An initial password (from `opennrm add-user`, the demo, or a reset by the agency admin)
# must be changed at the first login and no longer opens the account after this many days.
OPENNRM_INITIAL_PASSWORD_DAYS = env_int("OPENNRM_INITIAL_PASSWORD_DAYS", default=3, minimum=1)
# Demo only: no second factor and no forced password change. Honoured only with
# OPENNRM_DEMO; `opennrm serve` refuses to start while it is set (opennrm.E005).
OPENNRM_DEMO_SKIP_SECOND_FACTOR = env_bool("OPENNRM_DEMO_SKIP_SECOND_FACTOR", default=False)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", "Українська"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "__Host-opennrm-language" if SECURE_COOKIES else "opennrm-language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Dates as dd.mm.yyyy in Ukrainian, ISO in English; either typed is accepted (core/formats).
FORMAT_MODULE_PATH = ["opennrm.core.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Kyiv"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = (DATA_DIR / "static") if DATA_DIR else PACKAGE_DIR.parent.parent / ".data" / "static"
WHITENOISE_USE_FINDERS = DEBUG or OPENNRM_DEMO
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or OPENNRM_DEMO)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Background tasks: django-tasks with its database backend; `opennrm db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The audit chain's head checkpointed outside the database (docs/operations.md): a signed,
# append-only file written by the worker every N minutes and by every `verify-audit`; keep it
# off the database's disk (and its backups). Optionally each checkpoint also goes to syslog
# (a socket path such as /dev/log, or host:port over UDP).
OPENNRM_AUDIT_CHECKPOINT_FILE: str | None = env_str("OPENNRM_AUDIT_CHECKPOINT_FILE") or (
    str(DATA_DIR / "audit-checkpoints.jsonl") if DATA_DIR else None
)
OPENNRM_AUDIT_CHECKPOINT_MINUTES = env_int(
    "OPENNRM_AUDIT_CHECKPOINT_MINUTES", default=60, minimum=1
)
OPENNRM_AUDIT_SYSLOG: str | None = env_str("OPENNRM_AUDIT_SYSLOG") or None

# Notifications (docs/notifications.md): the worker makes them every N minutes and e-mails
# them through this SMTP server. Without a host the demo writes each e-mail to a file in its
# data directory (`mail/`); elsewhere e-mails go nowhere (the console of the worker in DEBUG).
# Links in e-mails start with OPENNRM_BASE_URL (the address users open).
OPENNRM_NOTICE_MINUTES = env_int("OPENNRM_NOTICE_MINUTES", default=5, minimum=1)
OPENNRM_BASE_URL = env_str("OPENNRM_BASE_URL", "") or (
    "http://127.0.0.1:8000" if (DEBUG or OPENNRM_DEMO) else f"https://{ALLOWED_HOSTS[0]}"
)
EMAIL_HOST = env_str("OPENNRM_EMAIL_HOST", "") or ""
EMAIL_PORT = env_int("OPENNRM_EMAIL_PORT", default=587, minimum=1)
EMAIL_HOST_USER = env_str("OPENNRM_EMAIL_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("OPENNRM_EMAIL_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("OPENNRM_EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("OPENNRM_EMAIL_FROM", "") or "opennrm@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif OPENNRM_DEMO and DATA_DIR is not None:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

# Record linkage (docs/linkage.md). Thresholds are match probabilities.
OPENNRM_LINKAGE_MATCH_THRESHOLD = env_float("OPENNRM_LINKAGE_MATCH_THRESHOLD", default=0.95)
OPENNRM_LINKAGE_POSSIBLE_THRESHOLD = env_float("OPENNRM_LINKAGE_POSSIBLE_THRESHOLD", default=0.5)
OPENNRM_LINKAGE_BAND_HIGH = env_float("OPENNRM_LINKAGE_BAND_HIGH", default=0.99)
# A pair from here to the match threshold joins two groups of registrations when every pair
# across them is a possible match (taken between the possible-match and the match threshold).
OPENNRM_LINKAGE_CORROBORATION_THRESHOLD = env_float(
    "OPENNRM_LINKAGE_CORROBORATION_THRESHOLD", default=0.7
)
OPENNRM_LINKAGE_SEED = env_int("OPENNRM_LINKAGE_SEED", default=2016, minimum=0)
OPENNRM_LINKAGE_BACKEND = env_str("OPENNRM_LINKAGE_BACKEND", "duckdb") or "duckdb"
OPENNRM_LINKAGE_SPARK_MASTER = env_str("OPENNRM_LINKAGE_SPARK_MASTER", "local[2]") or "local[2]"
# The Spark driver's heap (in local mode all of Spark works in it) and the shuffle partitions
# (0: two per core of the session). Set here, they override SPARK_CONF_DIR's defaults.
OPENNRM_LINKAGE_SPARK_DRIVER_MEMORY = env_str("OPENNRM_LINKAGE_SPARK_DRIVER_MEMORY", "2g") or "2g"
OPENNRM_LINKAGE_SPARK_PARTITIONS = env_int("OPENNRM_LINKAGE_SPARK_PARTITIONS", default=0, minimum=0)
OPENNRM_LINKAGE_MEMORY_LIMIT = env_str("OPENNRM_LINKAGE_MEMORY_LIMIT", "4GB") or "4GB"
# Empty: DuckDB never spills to disk (what it would write is derived from identities).
OPENNRM_LINKAGE_SPILL_DIR = env_str("OPENNRM_LINKAGE_SPILL_DIR", "") or ""
# The caseworker's "may be known to another agency" hint.
OPENNRM_LINKAGE_HINT = env_bool("OPENNRM_LINKAGE_HINT", default=True)
if not (
    0
    < OPENNRM_LINKAGE_POSSIBLE_THRESHOLD
    <= OPENNRM_LINKAGE_MATCH_THRESHOLD
    <= OPENNRM_LINKAGE_BAND_HIGH
    < 1
):
    raise ConfigurationError(
        "OPENNRM_LINKAGE_*_THRESHOLD: need 0 < possible <= match <= band high < 1"
    )
if not 0 < OPENNRM_LINKAGE_CORROBORATION_THRESHOLD < 1:
    raise ConfigurationError("OPENNRM_LINKAGE_CORROBORATION_THRESHOLD: need 0 < it < 1")
if OPENNRM_LINKAGE_BACKEND not in ("duckdb", "spark"):
    raise ConfigurationError("OPENNRM_LINKAGE_BACKEND: duckdb or spark")

# Published statistics (docs/statistics.md): cells below the threshold are withheld; the CTDC
# open-data extract is k-anonymous with this k.
OPENNRM_STATS_THRESHOLD = env_int("OPENNRM_STATS_THRESHOLD", default=11, minimum=2)
OPENNRM_CTDC_K = env_int("OPENNRM_CTDC_K", default=11, minimum=2)
# Computed indicators are kept this long (per scope, filters and language); 0 turns it off.
OPENNRM_STATS_CACHE_SECONDS = env_int("OPENNRM_STATS_CACHE_SECONDS", default=300, minimum=0)
# The per-person facts national statistics read (reports/facts.py): the worker brings them up
# to date this often, and builds them all again once a day.
OPENNRM_STATS_FACTS_SECONDS = env_int("OPENNRM_STATS_FACTS_SECONDS", default=60, minimum=5)
OPENNRM_STATS_FACTS_FULL_HOURS = env_int("OPENNRM_STATS_FACTS_FULL_HOURS", default=24, minimum=1)
# Public tables are released with differential privacy: each table costs this epsilon, and a
# calendar year's releases together may not exceed the year's budget.
OPENNRM_DP_EPSILON_PER_YEAR = env_float("OPENNRM_DP_EPSILON_PER_YEAR", default=1.0)
OPENNRM_DP_EPSILON_PER_TABLE = env_float("OPENNRM_DP_EPSILON_PER_TABLE", default=0.2)
if not 0 < OPENNRM_DP_EPSILON_PER_TABLE <= OPENNRM_DP_EPSILON_PER_YEAR:
    raise ConfigurationError("OPENNRM_DP_EPSILON_*: need 0 < per table <= per year")

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Counters every process and server share (the public certificate check's rate limit): a
    # table in the database (created by ops migration 0003), no extra service needed.
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "opennrm_shared_cache",
    },
}
# The request header a trusted reverse proxy sets to the client's address (e.g.
# "HTTP_X_FORWARDED_FOR" or "HTTP_X_REAL_IP", as in request.META). Off by default: then the
# client is REMOTE_ADDR. Set it only behind a proxy that overwrites the header.
OPENNRM_TRUSTED_PROXY_HEADER = env_str("OPENNRM_TRUSTED_PROXY_HEADER", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "opennrm.api.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["opennrm.api.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "opennrm.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "opennrm.api.pagination.CasePagination",
    "DEFAULT_THROTTLE_RATES": {"search": env_str("OPENNRM_SEARCH_RATE", "120/min")},
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OpenNRM API",
    "DESCRIPTION": "Cases, HTCDS v2.0 exchange. Every endpoint is scoped by the access gate.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "GenderEnum": "opennrm.api.cases.serializers.GENDER_VALUES",
        "ScreeningListEnum": "opennrm.api.screening.serializers.LIST_CHOICES",
        "IdentifierKindEnum": "opennrm.api.perpetrators.serializers.IDENTIFIER_KINDS",
        "OperationKindEnum": "opennrm.api.borders.views.OPERATION_KINDS",
        "StopKindEnum": "opennrm.api.borders.views.STOP_KINDS",
        "IncidentKindEnum": "opennrm.api.borders.views.INCIDENT_KINDS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # Every error answer and every paginated list documented as it is (api/schema.py).
        "opennrm.api.schema.document_errors_and_pages",
    ],
}

OPENNRM_WEB_SEARCH_PER_MINUTE = env_int("OPENNRM_WEB_SEARCH_PER_MINUTE", default=60, minimum=1)
# API tokens expire this many days after they are issued.
OPENNRM_API_TOKEN_DAYS = env_int("OPENNRM_API_TOKEN_DAYS", default=90, minimum=1)
# Terms of the pre-trial investigation (Criminal Procedure Code art. 219 part 1), in months, for
# a grave or especially grave crime such as trafficking: from registration to the notice of
# suspicion, and from the notice to the end of the investigation.
OPENNRM_JUSTICE_PRE_SUSPICION_MONTHS = env_int(
    "OPENNRM_JUSTICE_PRE_SUSPICION_MONTHS", default=18, minimum=1
)
OPENNRM_JUSTICE_INVESTIGATION_MONTHS = env_int(
    "OPENNRM_JUSTICE_INVESTIGATION_MONTHS", default=12, minimum=1
)
# Days within which a referral should be answered (a service standard, not a legal deadline).
OPENNRM_REFERRAL_ANSWER_DAYS = env_int("OPENNRM_REFERRAL_ANSWER_DAYS", default=3, minimum=1)
# The recovery and reflection period for foreign presumed victims: a policy setting, not
# Ukrainian law (Council of Europe Convention CETS 197, art. 13); on unless switched off.
OPENNRM_REFLECTION_PERIOD_ENABLED = env_bool("OPENNRM_REFLECTION_PERIOD_ENABLED", default=True)
# Capacity building (docs/training.md): the largest agenda, material or handover document
# accepted (PDF only), the most rows of one participant list, how long a certificate is valid
# (0: no end), and how many times a minute one client may ask the public verification page.
OPENNRM_TRAINING_FILE_MAX_BYTES = env_int(
    "OPENNRM_TRAINING_FILE_MAX_BYTES", default=10 * 1024 * 1024, minimum=1024
)
OPENNRM_TRAINING_IMPORT_MAX_ROWS = env_int(
    "OPENNRM_TRAINING_IMPORT_MAX_ROWS", default=500, minimum=1
)
OPENNRM_CERTIFICATE_VALID_YEARS = env_int("OPENNRM_CERTIFICATE_VALID_YEARS", default=0, minimum=0)
OPENNRM_VERIFY_PER_MINUTE = env_int("OPENNRM_VERIFY_PER_MINUTE", default=20, minimum=1)
OPENNRM_HTCDS_IMPORT_MAX_RECORDS = env_int(
    "OPENNRM_HTCDS_IMPORT_MAX_RECORDS", default=10000, minimum=1
)
# Case work (docs/casework.md): the largest attachment (PDF, JPEG, PNG) accepted, in MB.
OPENNRM_ATTACHMENT_MAX_MB = env_int("OPENNRM_ATTACHMENT_MAX_MB", default=10, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Uploads (victims' lists, participant lists, HTCDS files) stay in memory: never a plaintext
# temporary file on disk. Each upload view also refuses an oversized body before reading it.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]

# Retention (docs/retention.md): years each data category is kept after its anchor; a legal
# hold suspends erasure. A victim's case file: from the closure of the person's last case.
OPENNRM_RETAIN_CASE_YEARS = env_int("OPENNRM_RETAIN_CASE_YEARS", default=5, minimum=1)
# A screening never attached to a case: from the screening.
OPENNRM_RETAIN_SCREENING_YEARS = env_int("OPENNRM_RETAIN_SCREENING_YEARS", default=1, minimum=1)
# The erasure ledger file, outside the database (re-applied by a restore): by default next to
# the data directory, never inside it, so it survives the loss of the directory.
OPENNRM_ERASURE_LEDGER_FILE = env_str("OPENNRM_ERASURE_LEDGER_FILE", "") or (
    str(DATA_DIR.parent / f"{DATA_DIR.name}-erasures.jsonl") if DATA_DIR else ""
)
# The backup key (docs/operations.md): base64 of 32 bytes, not a key of the key ring. Without
# it, `opennrm backup` makes `backup.key` beside the key ring file (or in the data directory).
OPENNRM_BACKUP_KEY_TEXT = env_str("OPENNRM_BACKUP_KEY", "") or ""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query_strings": {"()": "opennrm.core.logs.NoQueryStrings"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "server": {"class": "logging.StreamHandler", "formatter": "server"},
    },
    "root": {"handlers": ["console"], "level": env_str("OPENNRM_LOG_LEVEL", "WARNING")},
    "loggers": {
        # The development server (demo) logs request lines: paths only, never query strings
        # (searched names are sent there). `opennrm serve` logs through gunicorn, path only.
        "django.server": {
            "handlers": ["server"],
            "filters": ["no_query_strings"],
            "level": "INFO",
            "propagate": False,
        },
        # Request logs carry URLs only; URLs carry UUIDs only, never personal data.
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
