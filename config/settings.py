"""Heard's settings: one file, driven by environment variables.

The defaults give the embedded setup a newcomer gets from ``make run``: a SQLite file under
var/, e-mail printed to the console, and a broker on disk. Production sets DATABASE_URL,
CELERY_BROKER_URL (or REDIS_URL), SECRET_KEY, ALLOWED_HOSTS, DEBUG=false and HTTPS=true.
"""

from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("HEARD_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

# The insecure default only ever serves the embedded setup; check --deploy flags it.
SECRET_KEY = env.str(
    "SECRET_KEY", default="django-insecure-heard-local-development-only-never-in-production"
)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute links in e-mail (password reset uses the request instead).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    # Heard's apps, bottom layer first: each imports only from the apps listed before it (tests/test_architecture.py).
    "accounts",
    "notifications",
    "classrooms",
    "curriculum",
    "surveys",
    "peer_counselors",
    "home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accounts.middleware.PrivateResponseMiddleware",
    "accounts.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # What a request learns once about its user's classrooms, reused by every scope of the page (accounts.request_memo).
    "accounts.request_memo.RequestMemoMiddleware",
    # Notices whether the view wrote, for the pages kept in the cache (accounts.data_versions).
    "accounts.data_versions.WriteWatchMiddleware",
    "accounts.middleware.SchoolTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a session timed out is signed out with a message for the sign-in page.
    "accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "notifications.context_processors.unread_notifications",
                "peer_counselors.context_processors.safety_alerts",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'heard.sqlite3'}"),
}
# Persistent connections: opening a PostgreSQL connection per request cost about 5x in
# requests per second on a signed-in page. Health checks drop a connection the server closed.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The embedded setup runs the web server and a worker on one file: WAL lets them read
    # while the other writes, and IMMEDIATE transactions wait for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# What the caches below keep must be seen by every web worker: on by default with a shared cache (CACHE_URL), or
# under DEBUG (runserver, one process); a process-local cache behind several gunicorn workers would let one
# worker show what another already changed.
_SHARED_CACHE = "locmem" not in CACHES["default"]["BACKEND"].lower()
# The navigation bar's unread count from the cache (notifications.selectors); the tests count it every page,
# the cold path, unless a test turns this on.
NOTIFICATIONS_UNREAD_CACHE = env.bool("NOTIFICATIONS_UNREAD_CACHE", default=_SHARED_CACHE or DEBUG)
# Everyday pages kept in the cache until what they show may have changed (accounts.data_versions.kept_page).
PAGE_CACHE = env.bool("PAGE_CACHE", default=_SHARED_CACHE or DEBUG)
# Costly panels of those pages kept by the tables they read (accounts.data_versions.kept_fragment), so that the
# page's first look after a write elsewhere in the school draws them from the cache.
FRAGMENT_CACHE = env.bool("FRAGMENT_CACHE", default=_SHARED_CACHE or DEBUG)

# --- People ----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.SchoolModelBackend",  # the user and their school in one query
    "django.contrib.auth.backends.ModelBackend",  # sessions signed in before SchoolModelBackend; never asked to sign in
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# Password reset e-mails: at most this many per address and per client address in the window.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env.int("PASSWORD_RESET_LIMIT_PER_CLIENT", default=20)
PASSWORD_RESET_WINDOW = timedelta(hours=1)
# Signed out after this long without a page: students share classroom devices, adults less so.
IDLE_TIMEOUT_STUDENT_MINUTES = env.int("IDLE_TIMEOUT_STUDENT_MINUTES", default=30)
IDLE_TIMEOUT_ADULT_MINUTES = env.int("IDLE_TIMEOUT_ADULT_MINUTES", default=8 * 60)
# The session notes the time of use at most this often, so a click-through does not rewrite it on every page.
IDLE_TIMEOUT_RESOLUTION_SECONDS = 60

# Sign-in throttling. A whole school signs in from one address, so a student's failures count per
# username only (hence axes.W006 is silenced below). A classmate typing wrong passwords on
# purpose locks a student out for a few minutes at most: further failures during the lock
# do not extend it, and a teacher can clear it from the roster. An adult's failures count per
# username and address, so nobody can lock a teacher out from another device (accounts/signin.py).
AXES_LOCKOUT_PARAMETERS = "accounts.signin.axes_lockout_parameters"
# An adult on a device they signed in on before is not held by a lock on their address (a classmate of the
# school network typing wrong passwords for their username); the device's own wrong passwords still count.
AXES_WHITELIST_CALLABLE = "accounts.signin.axes_trusted_device"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=5))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.signin.axes_username"
# The client's address, for these counts and the join-code and reset limits. Behind a proxy every request comes
# from the proxy: CLIENT_IP_HEADER names the header it writes the client's address in (X-Real-IP with
# docker-compose.yml's nginx). Set it only where nothing reaches Heard but through that proxy, which overwrites
# the header: anyone else could claim any address in it.
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="")
AXES_CLIENT_IP_CALLABLE = "accounts.signin.client_ip_address"
AXES_LOCKOUT_CALLABLE = "accounts.signin.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins need no row each
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- Language and time -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# One date and time style, each language's own (config/formats/__init__.py says which).
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
TIME_ZONE = "UTC"  # storage; pages are shown in the signed-in user's school time zone
DEFAULT_SCHOOL_TIME_ZONE = env.str("DEFAULT_SCHOOL_TIME_ZONE", default="America/New_York")

# --- Static files ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ----------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Heard <heard@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ----------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default="filesystem://"))
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)  # kombu expects the folder to exist
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # A publish from a web request tries once and gives up fast (see config.celery.enqueue).
    # max_retries=0: a refused connection fails at once (kombu otherwise retries for the whole
    # connection timeout, 2 s measured by bench/broker_down.py); a host that drops packets
    # holds a publish for socket_connect_timeout at most.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 0.5, "socket_timeout": 5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
# At-least-once: a task is acknowledged after it ran, so a worker killed mid-task hands it
# back to the broker; every task is written to be safe when run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
# The schedule itself lives in the database; beat only wakes the sweeps up.
CELERY_BEAT_SCHEDULE = {
    "reminders-dispatch": {
        "task": "classrooms.tasks.reminders_dispatch",
        "schedule": 60.0,
    },
    "notifications-email-sweep": {
        "task": "notifications.tasks.notifications_email_sweep",
        "schedule": 60.0,
    },
}

# --- Heard -----------------------------------------------------------------------------
SUPPRESSION_MIN_N = env.int("SUPPRESSION_MIN_N", default=10)
# Peer counselors: a flagged help request no adult has opened is escalated one step of its chain (the school's
# counselors, its admins, its last contact) every this many minutes; a request no orange hat accepted goes to
# the counselors after this many school days. The last contact of a school that named none:
HELP_FLAG_ESCALATE_MINUTES = env.int("HELP_FLAG_ESCALATE_MINUTES", default=15)
HELP_UNCLAIMED_SCHOOL_DAYS = env.int("HELP_UNCLAIMED_SCHOOL_DAYS", default=1)
HELP_LAST_CONTACT_EMAIL = env.str("HELP_LAST_CONTACT_EMAIL", default="")
# Wrong join codes before a pause: per student, and per address (a whole school shares one).
JOIN_WRONG_CODES_PER_STUDENT = env.int("JOIN_WRONG_CODES_PER_STUDENT", default=10)
JOIN_WRONG_CODES_PER_ADDRESS = env.int("JOIN_WRONG_CODES_PER_ADDRESS", default=200)
JOIN_WRONG_CODES_WINDOW_MINUTES = 10
JOIN_CODE_LIFETIME = timedelta(days=env.int("JOIN_CODE_LIFETIME_DAYS", default=30))
# A sender that died mid-send leaves its e-mail batch leased; after this long another sweep sends it.
# Keep it well above the time one batch (notifications.services.EMAIL_BATCH) takes to send, or a
# live but slow sender has its rows taken over and they go out twice.
NOTIFICATION_EMAIL_LEASE = timedelta(seconds=env.int("NOTIFICATION_EMAIL_LEASE_SECONDS", default=600))
# The sweep marks its e-mails sent once per this many sent (one UPDATE each time), not once per e-mail: a sender
# killed between sending and marking sends at most this many of them again. 1 marks every e-mail as it goes.
NOTIFICATION_EMAIL_MARK_EVERY = max(1, env.int("NOTIFICATION_EMAIL_MARK_EVERY", default=1))

# --- Security --------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Heard never needs the camera, the microphone or where a child is (the K-2 surveys only speak).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Behind TLS (production): one switch turns every HTTPS protection on.
HTTPS = env.bool("HTTPS", default=False)
if HTTPS:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# No inline script or style anywhere: behaviour lives in static/js, looks in static/css.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- Development ------------------------------------------------------------------------
# The debug toolbar, where it is installed (requirements-dev.txt) and DEBUG is on; never otherwise.
DEBUG_TOOLBAR = DEBUG and env.bool("DEBUG_TOOLBAR", default=True) and find_spec("debug_toolbar") is not None
if DEBUG_TOOLBAR:
    INSTALLED_APPS.append("debug_toolbar")
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware") + 1, "debug_toolbar.middleware.DebugToolbarMiddleware")
    INTERNAL_IPS = ["127.0.0.1", "::1"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
