"""Settings shared by every environment; dev, test and production override a few."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.cache import RENDITIONS_TIMEOUT

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("NETWISE_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

INSTALLED_APPS = [
    "accounts",
    "notifications",
    "jobs",
    "schools",
    "courses",
    "quizzes",
    "safeguarding",
    "learning",
    "districts",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "axes",
    "accounts.admin_site.OperatorAdminConfig",  # django.contrib.admin, operators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After auth and messages: a must-change account reaches only the change-password page.
    "accounts.middleware.ForcePasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # DEBUG only (`make run`): NetWise's 404 page instead of Django's URL map.
    "config.errors.NotFoundPageMiddleware",
    # Last, so it sees the failed logins the others let through.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "accounts.context_processors.navigation",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'netwise.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Children remember long phrases better than symbol soup: length over complexity.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Log-in rate limits, each for 15 minutes after the last failure (accounts/login_limits.py):
# 5 failures per username from one address, 10 per username from any addresses (a password
# guessed from many addresses), 100 per address over any usernames (one password sprayed over
# the predictable s.first.last usernames; high enough for a school behind one NAT address).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
NETWISE_LOGIN_FAILURE_LIMITS = [5, 10, 100]
AXES_HANDLER = "accounts.login_limits.NetWiseAxesHandler"
# The same client address as the audit log and the code-guess limits (accounts/client_ip.py).
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
# Behind N reverse proxies that append to X-Forwarded-For, set this to N (docs/deploy.md).
# 0: trust no header, use REMOTE_ADDR.
NETWISE_TRUSTED_PROXY_COUNT = int(os.environ.get("NETWISE_TRUSTED_PROXY_COUNT", 0))
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates per language: config/formats/zh_Hans/formats.py writes 2026年11月26日.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Certificates and exports: outside MEDIA_ROOT, so no /media/ URL reaches them; only the
# access-checked views in learning/views.py serve them (learning/storage.py).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Certificates and exports (learning/storage.py): never under MEDIA_ROOT.
    "private": {"BACKEND": "learning.storage.PrivateMediaStorage"},
}
# Uploads: keep them small; roster CSVs and screenshots have their own limits too.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Everything NetWise shows is served by NetWise: no CDN, no tracker, no inline script.
CONTENT_SECURITY_POLICY = {
    # The Wagtail admin (adult editors only) still relies on inline scripts and styles.
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://player.bilibili.com",
        ],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Wagtail looks renditions up here: a day, not the default 5 minutes, so the catalogue's
    # cover images cost no query per course once a process has served them.
    "renditions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "renditions",
        "TIMEOUT": RENDITIONS_TIMEOUT,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "NetWise <no-reply@netwise.local>")

# Celery: JSON only, late acks so a killed worker's job is redelivered (tasks are idempotent).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Celery's default, said here: the request path asks it on every hand-off, and Celery finds a
# key Django's settings hold in one lookup (a missing one costs it a failed lookup per name).
CELERY_TASK_ALWAYS_EAGER = False
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Beat (owned by the background-work app): times are CELERY_TIMEZONE (Asia/Shanghai).
CELERY_BEAT_SCHEDULE = {
    "jobs-dispatch-pending": {"task": "jobs.dispatch_pending", "schedule": 60.0},
    # Quiz progress is refreshed by a message after each submit; this finds any lost one.
    "learning-reconcile-quiz-progress": {"task": "learning.reconcile_quiz_progress", "schedule": 120.0},
    # The school overview's per-class figures are kept exact on every write; nightly, a full
    # recompute repairs anything written around the services (learning/progress/figures.py).
    "learning-rebuild-class-item-figures": {
        "task": "learning.rebuild_class_item_figures",
        "schedule": crontab(minute=45, hour=2),
    },
    # Item statistics follow the submitted attempts within about a minute (quizzes/statistics.py).
    "quizzes-refresh-statistics": {"task": "quizzes.refresh_statistics", "schedule": 60.0},
    # Timed quizzes: a learner who left before the time ran out still gets a result.
    "quizzes-close-expired-attempts": {"task": "quizzes.close_expired_attempts", "schedule": 300.0},
    # Hourly: queues the digest run of every school time zone where it is now Sunday and
    # at least DIGEST_LOCAL_HOUR local time (once per zone and week; learning/family_mail/digests.py).
    "learning-weekly-guardian-digests": {
        "task": "learning.schedule_weekly_digests",
        "schedule": crontab(minute=0),
    },
    "learning-due-reminders": {
        "task": "learning.send_due_reminders",
        "schedule": crontab(minute=5),
    },
    # Export files are downloadable for 15 minutes; hourly, delete the expired ones.
    "learning-expire-exports": {
        "task": "learning.tasks.expire_exports",
        "schedule": crontab(minute=35),
    },
    # Daily: a deleted student's closed help cases go when the school's retention period ends.
    "safeguarding-purge-expired-reports": {
        "task": "safeguarding.purge_expired_reports",
        "schedule": crontab(minute=15, hour=3),
    },
    # Hourly: guardians' deletion requests whose grace period is over are carried out.
    "schools-carry-out-due-deletions": {
        "task": "schools.carry_out_due_deletions",
        "schedule": crontab(minute=25),
    },
    # District pages read pre-aggregated figures; refresh them every hour.
    "districts-refresh-figures": {
        "task": "districts.tasks.refresh_figures",
        "schedule": crontab(minute=20),
    },
}
# A deleted student's closed "Get help" cases are kept this many years after closing,
# unless the school sets its own (safeguarding.SafeguardingPolicy).
SAFEGUARDING_RETENTION_YEARS = int(os.environ.get("SAFEGUARDING_RETENTION_YEARS", 2))
# A guardian's request to delete a child's account waits this long (others may object), and
# a guardian link younger than this cannot request a deletion at all.
SCHOOLS_DELETION_GRACE_DAYS = int(os.environ.get("SCHOOLS_DELETION_GRACE_DAYS", 7))
if not CELERY_BROKER_URL:
    # No broker server configured: kombu's filesystem transport under var/ is the broker,
    # so `make run` really runs background work with nothing else installed.
    _queue_dir = VAR_DIR / "celery"
    for _sub in ("out", "processed", "control"):
        (_queue_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "out"),
        "data_folder_out": str(_queue_dir / "out"),
        "data_folder_processed": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        # With prefetch 1 the worker polls again after every message; kombu's default 1 s
        # pause made this broker run about one task a second.
        "polling_interval": 0.1,
    }

# --- Background work (notifications, jobs) ---
# Publishing gives up fast when the broker is down; the job stays queued in the outbox.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A running job whose heartbeat is older than this is taken as lost (killed worker).
JOBS_LEASE_SECONDS = int(os.environ.get("JOBS_LEASE_SECONDS", 300))
# A job published this long ago that never started is published again.
JOBS_RESEND_AFTER_SECONDS = int(os.environ.get("JOBS_RESEND_AFTER_SECONDS", 1800))
# Hand-offs from the hot path (jobs/handoff.py) gather for this long in each process, then go to
# Redis in one round trip from a background thread; 0 sends each during its request.
JOBS_HANDOFF_BATCH_SECONDS = float(os.environ.get("JOBS_HANDOFF_BATCH_SECONDS", 0.1))
# "smtp://host:port": digests and reminders go to this SMTP server whatever EMAIL_BACKEND
# says (the worker tests and bench/digest.py point it at a local sink).
NETWISE_MAIL_URL = os.environ.get("NETWISE_MAIL_URL", "")
# Each time zone's Sunday digest run is split into this many jobs, so that many workers share it.
DIGEST_SHARDS = int(os.environ.get("DIGEST_SHARDS", 4))
# Digests go out on Sunday from this hour on, in each school's own time zone (School.timezone).
DIGEST_LOCAL_HOUR = int(os.environ.get("DIGEST_LOCAL_HOUR", 18))

WAGTAIL_SITE_NAME = "NetWise"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Curriculum pages in both languages (docs/curriculum-i18n.md): one page tree per locale,
# linked by translation_key, served at the same /learn/ URLs; the active language picks the tree.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
WAGTAILIMAGES_FORMAT_CONVERSIONS = {
    "bmp": "webp",
    "png": "webp",
    "jpeg": "webp",
    "gif": "webp",
}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ALLOW_UNICODE_SLUGS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"netwise": {"level": "INFO"}},
}

# --- schools (schools helper) ---
# Every account, roster imports included, is hashed with the same default argon2: no kind
# of account answers a wrong password faster than another (issue 12).

# --- safeguarding (safeguarding helper) --------------------------------------
# Screenshots attached to "Get help" reports: stored outside MEDIA_ROOT, served only by
# a view that checks access; at most 3 per report, 5 MB and 16 megapixels (the area of
# 4,000 × 4,000) each, both checked before any pixel is decoded (safeguarding/uploads.py).
SAFEGUARDING_PRIVATE_ROOT = Path(os.environ.get("SAFEGUARDING_PRIVATE_ROOT", VAR_DIR / "private"))
SAFEGUARDING_MAX_UPLOADS = 3
SAFEGUARDING_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SAFEGUARDING_MAX_IMAGE_PIXELS = 16_000_000
# A student may file at most this many new reports per rolling hour / day (counted from the
# database, so every process agrees). Replies in an existing case are not limited.
SAFEGUARDING_REPORTS_PER_HOUR = int(os.environ.get("SAFEGUARDING_REPORTS_PER_HOUR", 5))
SAFEGUARDING_REPORTS_PER_DAY = int(os.environ.get("SAFEGUARDING_REPORTS_PER_DAY", 20))
# Healthy use: suggest a break after this many minutes of continuous use (a school may
# override it; 0 = off); a gap longer than the idle time starts a new stretch.
HEALTHY_USE_BREAK_MINUTES = 30
HEALTHY_USE_IDLE_MINUTES = 10
MIDDLEWARE += ["safeguarding.healthy_use.HealthyUseMiddleware"]
# Verify-only: roster accounts imported before one hasher cost was used for everyone still log
# in once with their printed password (then must change it, and Django re-hashes it with argon2).
PASSWORD_HASHERS = [*PASSWORD_HASHERS, "schools.hashers.LegacyRosterArgon2PasswordHasher"]
