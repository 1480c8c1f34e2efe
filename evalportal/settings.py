"""One settings module, shaped by environment variables (see README, 配置).

`make run` exports DEBUG=true; production leaves DEBUG off and must set SECRET_KEY and ALLOWED_HOSTS.
"""
import sys
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
_DEV_SECRET = "django-insecure-local-only-evalportal"
_TESTING = "pytest" in sys.modules or env.bool("EVALPORTAL_TESTING", default=False)
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET if DEBUG or _TESTING else None)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY 未设置：生产环境必须通过环境变量提供 SECRET_KEY（开发时可设 DEBUG=true）。")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "evalportal.accounts",
    "evalportal.orgs",
    "evalportal.reports",
    "evalportal.review",
    "evalportal.exporters",
    "evalportal.importers",
    "evalportal.insight",
    "evalportal.core",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "evalportal.core.middleware.RequestLogMiddleware",
    "evalportal.core.middleware.FailureMessageMiddleware",
    # django-axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "evalportal.urls"
WSGI_APPLICATION = "evalportal.wsgi.application"

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
            ],
        },
    },
]

# SQLite is the embedded default. WAL + IMMEDIATE transactions + a busy timeout keep two clerks
# saving at once from getting "database is locked" (Django >= 5.1 understands transaction_mode).
_SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(_SQLITE_OPTIONS)
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",      # first, so a locked-out login never reaches the password check
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from the npm registry at setup (package.json) and are served by us: no CDN.
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", _NODE / "bootstrap" / "dist"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
    ("vendor/chartjs", _NODE / "chart.js" / "dist"),
]
# make serve-prod collects static files with hashed names that WhiteNoise caches forever.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if env.bool("STATIC_MANIFEST", default=False)
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# A 50-row indicator formset has many columns; raised deliberately (notes.md).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {"evalportal.requests": {"handlers": ["console"], "level": env("REQUEST_LOG_LEVEL", default="INFO"),
                                        "propagate": False}},
}

# --- Login throttling (django-axes) -----------------------------------------------------------------
# Lock the username *and* address pair, never the address alone: a bureau's whole building sits behind
# one NAT address (notes.md). The lock lifts by itself after the cool-off.
from datetime import timedelta  # noqa: E402

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# --- Content-Security-Policy (django-csp 4): no inline script anywhere, nothing from other hosts ------
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Inline style attributes stay allowed (Bootstrap components and Chart.js set them); scripts do not.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- HTTPS and cookies ---------------------------------------------------------------------------------
# Intranet deployments often serve plain HTTP; HTTPS=true switches on secure cookies, redirect and HSTS.
HTTPS = env.bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_SAVE_EVERY_REQUEST = True        # idle expiry: every request slides the 8-hour window
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Background tasks: one interface (Django's Tasks API, backported), two backends ------------------
# "database" needs nothing but the database (worker: manage.py db_worker, started by make run);
# "rq" uses Redis for a province-wide deployment (workers: manage.py rqworker --job-class django_tasks_rq.Job
# default); "immediate" runs inline.
TASK_BACKEND = env("TASK_BACKEND", default="immediate" if _TESTING else "database")
_TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]},
}
TASKS = {"default": _TASK_BACKENDS[TASK_BACKEND]}
RQ_QUEUES = {"default": {"URL": env("REDIS_URL", default="redis://127.0.0.1:6379/0"), "DEFAULT_TIMEOUT": 3600}}

# Excel import (issue 8): checked before openpyxl opens an upload, so that a zip bomb never inflates.
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=100 * 1024 * 1024)
IMPORT_MAX_MEMBERS = env.int("IMPORT_MAX_MEMBERS", default=2000)
# Sheet protection of exported workbooks (domain.md §9, off by default): inputs open, labels and computed cells
# locked; approved and published packages locked throughout.
XLSX_PROTECTION = env.bool("XLSX_PROTECTION", default=False)

# --- PDF/Excel export (evalportal.exporters) -----------------------------------------------------------
# Absolute address printed in the verification QR code of approved PDFs (no request at render time).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# WeasyPrint render processes; 0 renders inside the web process (debugging). Default: one per core.
EXPORT_WORKERS = env.int("EXPORT_WORKERS", default=None) if env("EXPORT_WORKERS", default="") else None
EXPORT_WORKER_MAX_TASKS = env.int("EXPORT_WORKER_MAX_TASKS", default=400)   # recycled against memory creep
EXPORT_JOB_DIR = env("EXPORT_JOB_DIR", default=str(BASE_DIR / "var" / "exports"))   # bulk ZIP files

# Review workflow rules that domain.md §7 marks configurable (evalportal/review/workflow.py, services.py).
REVIEW_SUBMITTER_MAY_CONFIRM = env.bool("REVIEW_SUBMITTER_MAY_CONFIRM", default=False)   # 提交人不能自己确认上报
REVIEW_REVIEWER_MAY_REVOKE = env.bool("REVIEW_REVIEWER_MAY_REVOKE", default=False)       # 撤销通过：默认仅管理员
REVIEW_WARNINGS_NEED_EXPLANATION = env.bool("REVIEW_WARNINGS_NEED_EXPLANATION", default=True)
REVIEW_RECALL_BLOCKED_BY_COMMENTS = env.bool("REVIEW_RECALL_BLOCKED_BY_COMMENTS", default=True)
