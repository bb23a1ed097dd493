"""csops settings, read from the environment.

The defaults are the embedded mode (SQLite in WAL mode, a filesystem Celery broker, DEBUG
off): what ``scripts/run`` starts. Production sets DATABASE_URL, CELERY_BROKER_URL,
SECRET_KEY and ALLOWED_HOSTS (see docker-compose.yml). Tests use this same module with
environment overrides.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from csops.env import (
    env_bool,
    env_header_pair,
    env_int,
    env_list,
    env_secret_key,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CSOPS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# The embedded mode (scripts/run: one machine, SQLite, no secrets to manage) is the default;
# docker-compose.yml sets CSOPS_EMBEDDED=0, where a missing, short or public key is refused.
EMBEDDED = env_bool("CSOPS_EMBEDDED", True)
SECRET_KEY = env_secret_key(
    embedded=EMBEDDED, embedded_default="csops-embedded-insecure-key-change-me"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_ratelimit",  # checks that CACHES can count (the public pages' rate limits)
    "template_partials",
    "simple_history",  # audit history of policies, versions, acknowledgments, macros
    "axes",
    "csp",
    "csops",
    "staffing",
    "policies",
    "tickets",
    "kpis",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "csops.middleware.NoStoreMiddleware",  # after auth: it asks who is signed in
    "django.contrib.messages.middleware.MessageMiddleware",
    "csops.htmx.HtmxMessagesMiddleware",  # after messages: htmx answers carry their own
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # who made each audited change
    "csops.middleware.LoginRequiredMiddleware",
    # Last, as django-axes asks: it turns lockouts into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "csops.urls"
WSGI_APPLICATION = "csops.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csops.context_processors.navigation",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'csops.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        # A persistent connection the server dropped (restart, failover, idle timeout,
        # pg_terminate_backend) is tested before a request reuses it and replaced, instead of
        # failing that request with a 500.
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
SILENCED_SYSTEM_CHECKS: list[str] = []
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # SQLite ignores INCLUDE columns (W040) and NULLS NOT DISTINCT (W047): the indexes work
    # without them; only duplicate department-wide goals go unrefused in embedded mode.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the worker write while the web server reads; IMMEDIATE avoids
        # "database is locked" upgrades inside write transactions.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    SILENCED_SYSTEM_CHECKS += ["models.W040", "models.W047"]
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
if IS_POSTGRES:
    # 4 MB made the search count's bitmap lossy at a million tickets (85 ms to 1 s); 16 MB
    # keeps it exact (24 ms). JIT off: the queries here are short, and the folds' estimates
    # (generate_series) made PostgreSQL spend 175 ms compiling a 110 ms statement.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c work_mem={env_str('PG_WORK_MEM', '16MB')} -c jit={env_str('PG_JIT', 'off')}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Counts failed logins per username and IP and locks out brute-force attempts.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
# Embedded mode serves static files straight from the finders; STATIC_ROOT exists only after
# collectstatic (production), so whitenoise's warning about it is noise here.
warnings.filterwarnings("ignore", message="No directory at")

# --- Security (production turns these on through the environment: .env.example) --------
# Behind a TLS-terminating proxy: redirect plain HTTP, ask browsers for HTTPS only (HSTS) and
# trust the proxy's header naming the original scheme (only when the proxy sets it, never
# when clients can reach gunicorn directly). /healthz answers over plain HTTP for the
# container health check.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = env_header_pair("SECURE_PROXY_SSL_HEADER")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not EMBEDDED)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not EMBEDDED)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp): scripts, styles and everything else from this origin
# only; the few inline blocks left (the Swagger UI page) carry the request's nonce. No
# 'unsafe-inline' and no 'unsafe-eval' (htmx runs with allowEval off; templates/base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # data: for the blank favicon and Swagger UI's icons
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features csops never uses are switched off for its pages (django-permissions-policy).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# --- Email ----------------------------------------------------------------------------
# Embedded mode needs no mail server: each message is a file under var/mail (EMAIL_FILE_PATH).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if EMBEDDED
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
# Seconds before an unanswering SMTP server fails the try (a sender holds its outbox row).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "support@csops.localhost")
# Tries of one outgoing reply before it shows as failed (retried with JOB_RETRY_BASE_SECONDS
# back-off, doubled per try); a person can then retry it from the workspace.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5)
# Outgoing webhooks (tickets/webhooks): seconds one request may take, tries of a delivery
# (retried with JOB_RETRY_BASE_SECONDS back-off, doubled per try), and deliveries in a row that
# fail for good before the subscription is paused and its owner notified.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 5)
WEBHOOK_PAUSE_AFTER = env_int("WEBHOOK_PAUSE_AFTER", 5)
# Inbound email (tickets/mail/inbound): the largest message accepted (a bigger one is recorded as
# refused) and the shared secret of the raw-MIME webhook (empty: the webhook answers 401).
INBOUND_MAX_BYTES = env_int("INBOUND_MAX_BYTES", 20 * 1024 * 1024)
INBOUND_WEBHOOK_SECRET = env_str("INBOUND_WEBHOOK_SECRET", "")

# --- Customer satisfaction surveys and incident detection ----------------------------------
CSOPS_PUBLIC_URL = env_str("CSOPS_PUBLIC_URL", "http://127.0.0.1:8000")  # origin put in links
CSAT_SURVEY_DELAY_SECONDS = env_int("CSAT_SURVEY_DELAY_SECONDS", 3600)  # solve -> survey mail
CSAT_SURVEY_MAX_AGE_SECONDS = env_int("CSAT_SURVEY_MAX_AGE_SECONDS", 30 * 24 * 3600)
CSAT_SURVEY_SCALE = env_str("CSAT_SURVEY_SCALE", "five")  # "five" (1-5) or "good_bad"
if CSAT_SURVEY_SCALE not in ("five", "good_bad"):
    raise ImproperlyConfigured("CSAT_SURVEY_SCALE must be 'five' or 'good_bad'")
CSAT_SURVEY_ASK_NPS = env_bool("CSAT_SURVEY_ASK_NPS", False)
SPIKE_MIN_TICKETS = env_int("SPIKE_MIN_TICKETS", 5)  # tickets in an hour before it can spike
SPIKE_FACTOR = float(env_str("SPIKE_FACTOR", "3"))  # x the usual level of that hour

# --- Uploads, API tokens, survey answers (issue 13, section 3) ---------------------------
# Every upload (training evidence, ...): at most this size, of a type sniffed from its content.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
UPLOAD_ALLOWED_TYPES = env_list(
    "UPLOAD_ALLOWED_TYPES", ["application/pdf", "image/png", "image/jpeg", "image/webp"]
)
# Ticket attachments (tickets/attachments): stored through the "attachments" storage below,
# checked by content (a type from ATTACHMENT_ALLOWED_TYPES, never HTML or a program), at most
# ATTACHMENT_MAX_FILE_BYTES each and ATTACHMENT_MAX_MESSAGE_BYTES together on one message.
ATTACHMENT_MAX_FILE_BYTES = env_int("ATTACHMENT_MAX_FILE_BYTES", 10 * 1024 * 1024)
ATTACHMENT_MAX_MESSAGE_BYTES = env_int("ATTACHMENT_MAX_MESSAGE_BYTES", 20 * 1024 * 1024)
ATTACHMENT_ALLOWED_TYPES = env_list(
    "ATTACHMENT_ALLOWED_TYPES",
    [
        "text/plain",
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/bmp",
        "image/tiff",
        "application/zip",
        "application/msword",
        "application/excel",
        "application/mspowerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "message/rfc822",
    ],
)
# Files live under MEDIA_ROOT (never served as static files: only the download view, which
# checks who may see the ticket, reads them). ATTACHMENT_S3_BUCKET switches the attachments
# to an S3-compatible store (django-storages; .env.example lists its variables).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
if env_str("ATTACHMENT_S3_BUCKET"):
    STORAGES["attachments"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("ATTACHMENT_S3_BUCKET"),
            "endpoint_url": env_str("ATTACHMENT_S3_ENDPOINT_URL") or None,
            "region_name": env_str("ATTACHMENT_S3_REGION") or None,
            "access_key": env_str("ATTACHMENT_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("ATTACHMENT_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("ATTACHMENT_S3_PREFIX", "attachments"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    # No "location": the storage follows MEDIA_ROOT (tests point it at a temporary directory).
    STORAGES["attachments"] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Stored files no row points at (a rolled-back upload) are deleted once this old.
ORPHAN_FILE_GRACE_HOURS = env_int("ORPHAN_FILE_GRACE_HOURS", 24)
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)  # a token is refused (401) after this
# A customer may change a survey answer this long after first answering (then it is final).
CSAT_ANSWER_CHANGE_SECONDS = env_int("CSAT_ANSWER_CHANGE_SECONDS", 7 * 24 * 3600)

# --- Celery ---------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "broker"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_queue_dir),
        "store_processed": False,
        "control_folder": str(VAR_DIR / "broker-control"),
    }
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "csops")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = "UTC"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A publish that cannot reach the broker gives up fast; the sweeper catches up later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
WORKER_STALE_AFTER_SECONDS = env_int("WORKER_STALE_AFTER_SECONDS", 120)
# Durable jobs (csops.jobs): how often beat claims due rows, how long a claim holds a job
# before another worker may take it over, the first retry delay (doubled per attempt), and
# how long a due job may wait before /healthz reports the queue as stuck.
JOB_POLL_SECONDS = env_int("JOB_POLL_SECONDS", 5)
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 300)
JOB_RETRY_BASE_SECONDS = env_int("JOB_RETRY_BASE_SECONDS", 30)
JOB_STALE_AFTER_SECONDS = env_int("JOB_STALE_AFTER_SECONDS", 600)
JOB_RETENTION_DAYS = env_int("JOB_RETENTION_DAYS", 14)  # finished jobs are then deleted
# Threads a worker drains due jobs with (each on its own connection; 1: one job at a time).
JOB_THREADS = env_int("JOB_THREADS", 4)
# On PostgreSQL each worker process keeps those threads running, woken by NOTIFY on commit
# (csops/jobs/dispatcher.py), so jobs never wait behind another task; off: beat and wake-up
# messages run them between tasks, as on SQLite.
JOB_DISPATCHER = env_bool("JOB_DISPATCHER", True)
# Hiring (staffing/hiring/purge.py): months after a rejection or withdrawal when a candidate's
# personal data (name, contact, CV, notes) is deleted; the anonymous counts stay.
HIRING_PURGE_MONTHS = env_int("HIRING_PURGE_MONTHS", 6)
# KPI sweeper: recomputes tickets whose refresh message was lost (broker down, worker killed).
KPI_SWEEP_SECONDS = env_int("KPI_SWEEP_SECONDS", 20)
# A sweep run stops after this long (a backlog waits for the next run, not the queue behind it).
KPI_SWEEP_BUDGET_SECONDS = env_int("KPI_SWEEP_BUDGET_SECONDS", 10)
# Mailbox polls (tickets/mail/inbound/poll.py): how often beat queues a poll of each enabled
# mailbox (the delivery -> ticket delay is about this plus the processing), messages fetched
# per IMAP command, the time one poll job reads before it gives way (and runs again at once),
# how long a mailbox whose last poll failed rests, the IMAP socket timeout, and a PEM file
# of private CAs for servers whose certificate the system does not trust (empty: system).
MAILBOX_POLL_SECONDS = env_int("MAILBOX_POLL_SECONDS", 5)
MAILBOX_FETCH_BATCH = env_int("MAILBOX_FETCH_BATCH", 50)
MAILBOX_POLL_BUDGET_SECONDS = env_int("MAILBOX_POLL_BUDGET_SECONDS", 20)
MAILBOX_ERROR_BACKOFF_SECONDS = env_int("MAILBOX_ERROR_BACKOFF_SECONDS", 60)
IMAP_TIMEOUT_SECONDS = env_int("IMAP_TIMEOUT_SECONDS", 30)
IMAP_CA_FILE = env_str("IMAP_CA_FILE", "")
# KPI digests (kpis/digests): how often beat makes the digest run due (it mails each
# subscription's last complete week or month once), and how long one run works before it
# gives way (and runs again at once).
DIGEST_RUN_SECONDS = env_int("DIGEST_RUN_SECONDS", 900)
DIGEST_RUN_BUDGET_SECONDS = env_int("DIGEST_RUN_BUDGET_SECONDS", 20)

# --- Caches ---------------------------------------------------------------------------
# "presence" holds who has a ticket open and who is writing (tickets.presence): seconds-long
# entries shared by every web process. Redis when REDIS_URL is set (production); the embedded
# mode has no Redis, so files under var/presence (shared by the server's threads and processes).
PRESENCE_TTL_SECONDS = env_int("PRESENCE_TTL_SECONDS", 12)  # a page polls every 4 s
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "presence": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "csops-presence",
        "TIMEOUT": PRESENCE_TTL_SECONDS,
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "presence"),
        "TIMEOUT": PRESENCE_TTL_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
}

# --- The public pages' rate limits (contact form, customer portal) ----------------------
# django-ratelimit counts in the "ratelimit" cache: Redis when REDIS_URL is set (shared by every
# web process); the embedded mode runs one web process (runserver), so memory counts right.
CACHES["ratelimit"] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "csops-ratelimit",
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}
)
RATELIMIT_USE_CACHE = "ratelimit"
if not REDIS_URL:
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")  # one process: locmem is shared
# Django's own RedisCache increments atomically; django-ratelimit only lists django-redis's.
SILENCED_SYSTEM_CHECKS.append("django_ratelimit.W001")
# Behind a proxy every request comes from the proxy's address: name the header (as Django's
# META key) that carries the client's, e.g. HTTP_X_REAL_IP. Unset: REMOTE_ADDR.
RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY", "") or None
# The team whose queue gets requests from the contact form and the portal (a team's slug);
# empty: the front-line team (lowest tier, then oldest).
PORTAL_TEAM = env_str("PORTAL_TEAM", "")
# Requests per period ("N/s|m|h|d") from one IP address and for one email address.
CONTACT_RATE_PER_IP = env_str("CONTACT_RATE_PER_IP", "10/h")
CONTACT_RATE_PER_EMAIL = env_str("CONTACT_RATE_PER_EMAIL", "5/h")
PORTAL_LINK_RATE_PER_IP = env_str("PORTAL_LINK_RATE_PER_IP", "10/h")
PORTAL_LINK_RATE_PER_EMAIL = env_str("PORTAL_LINK_RATE_PER_EMAIL", "3/h")
PORTAL_REPLY_RATE_PER_EMAIL = env_str("PORTAL_REPLY_RATE_PER_EMAIL", "30/h")
# Following an open public incident (tickets/followers): asks per IP and per address; the
# mailed confirmation link works this long.
FOLLOW_RATE_PER_IP = env_str("FOLLOW_RATE_PER_IP", "10/h")
FOLLOW_RATE_PER_EMAIL = env_str("FOLLOW_RATE_PER_EMAIL", "3/h")
FOLLOW_LINK_MAX_AGE_SECONDS = env_int("FOLLOW_LINK_MAX_AGE_SECONDS", 48 * 3600)
# A portal link works this long after it was mailed; the session it opens lasts this long.
PORTAL_LINK_MAX_AGE_SECONDS = env_int("PORTAL_LINK_MAX_AGE_SECONDS", 24 * 3600)
PORTAL_SESSION_SECONDS = env_int("PORTAL_SESSION_SECONDS", 8 * 3600)
# "We received your request" mails to one address per hour, at most (two help desks that
# acknowledge each other's mail stop after this many).
ACK_MAX_PER_HOUR = env_int("ACK_MAX_PER_HOUR", 5)
# The help center: "was this helpful?" answers, and searches and contact-form suggestions,
# per address (the help center is open to anyone).
HELP_FEEDBACK_RATE = env_str("HELP_FEEDBACK_RATE", "10/m")
HELP_SEARCH_RATE = env_str("HELP_SEARCH_RATE", "120/m")

# --- API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "csops.tokens.ExpiringTokenAuthentication",  # expiry: API_TOKEN_TTL_DAYS
    ],
    "DEFAULT_PERMISSION_CLASSES": ["csops.api_permissions.IsStaffMember"],
    # JSON nested past csops.parsers.MAX_JSON_DEPTH is a 400 (issue 13 §4: RecursionError).
    "DEFAULT_PARSER_CLASSES": [
        "csops.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "csops.api_schema.AutoSchema",  # + the standard error answers
    "EXCEPTION_HANDLER": "csops.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "csops API",
    "DESCRIPTION": "Customer service operations console",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["csops.api_permissions.IsStaffMember"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One component per choice set, named for what it is: fields named alike ("state",
    # "status", "kind", "metric") in different apps would otherwise get hashed names, and one
    # set used under several field names (priority, a policy version's states) several names.
    # tests/test_openapi_schema.py fails on any new warning.
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "tickets.models.tickets.Status",
        "PriorityEnum": "tickets.models.tickets.Priority",
        "EscalationStateEnum": "tickets.models.escalations.EscalationState",
        "EscalationCategoryEnum": "tickets.models.escalations.EscalationCategory",
        "IncidentStateEnum": "tickets.models.incidents.IncidentState",
        "IncidentUpdateKindEnum": "tickets.models.incidents.UpdateKind",
        "PolicyKindEnum": "policies.models.documents.Kind",
        "PolicyVersionStateEnum": "policies.models.documents.VersionState",
        "SlaMetricEnum": "policies.models.sla.SlaMetric",
        "QAReviewStateEnum": "staffing.models.qa.ReviewState",
        "CertificationStatusEnum": "staffing.models.certifications.CertStatus",
        "ScheduleBlockKindEnum": "staffing.schedules.models.BlockKind",
        "BudgetCostCategoryEnum": "staffing.budget.models.CostCategory",
        "BudgetCostRoleEnum": "staffing.budget.models.CostRole",
        "AvailabilityStatusEnum": "staffing.models.skills.AvailabilityStatus",
        "SkillKindEnum": "staffing.models.skills.SkillKind",
        "RoutingModeEnum": "tickets.routing.models.RoutingMode",
        "TicketLinkKindEnum": "tickets.links.models.MANUAL_LINK_KINDS",
        "BulkActionKindEnum": "tickets.bulk.models.BulkKind",
        "BulkActionStateEnum": "tickets.bulk.models.BulkAction.State",
        "CandidateStageEnum": "staffing.hiring.models.Stage",
        "CandidateSourceEnum": "staffing.hiring.models.Source",
        "ScoredStageEnum": "staffing.hiring.models.SCORED_STAGE_CHOICES",
        "HireRoleEnum": "staffing.hiring.models.HIRE_ROLES",  # "role" is also a budget line's
        "ChatKindEnum": "tickets.chat.models.ChatKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
