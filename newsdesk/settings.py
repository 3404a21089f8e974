"""Newsdesk settings, all read from the environment (a .env file is read when present).

Every variable is documented in README.md under "Configuration".
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# Only good for a laptop: `manage.py check --deploy` flags it, and the README says to set one.
SECRET_KEY = env(
    "SECRET_KEY", default="django-insecure-newsdesk-development-key-never-use-in-production"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "axes",
    "entities",
    "articles",
    "intake",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside whitenoise, so that static files get the policy headers too.
    "newsdesk.middleware.SecurityHeadersMiddleware",
    # An ETag on every page, and 304 for a reader who has it, cached page or not.
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsdesk.urls"
WSGI_APPLICATION = "newsdesk.wsgi.application"

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

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A request runs small queries one after another: starting parallel workers for one
    # costs more (2-5 ms) than they save, and each web or task process is already one of
    # the machine's parallel workers. The pages' rows are read from memory or SSD, where a
    # random read costs about what a sequential one does (PostgreSQL's default of 4 is for
    # spinning disks): with that default the planner walks a whole index to join a page's
    # few hundred mentions to their entities.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c max_parallel_workers_per_gather=0 -c random_page_cost=1.1"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A Redis that hangs (stopped, overloaded, behind a half-open connection) still accepts
# connections and never answers: left to the libraries' defaults, each cache call would wait
# 5 s and a task sent would wait for ever. After a second each caller falls back instead: a
# page is drawn afresh, an editor's save stands and the sweep sends its tagging later. Used
# by the cache and by the Celery broker below.
REDIS_TIMEOUTS = {"socket_connect_timeout": 1, "socket_timeout": 1}


def is_redis_url(url: str) -> bool:
    return url.split(":", 1)[0] in {"redis", "rediss"}


def caches_at(url: str) -> dict:
    """Return CACHES with both caches at `url`, or in this process's memory if it is empty."""

    def cache(default: str, **extra) -> dict:
        config = env.cache_url_config(url or default)
        if is_redis_url(url):
            # Django's RedisCache gives OPTIONS to redis-py's connection pool.
            config["OPTIONS"] = {**REDIS_TIMEOUTS, **config.get("OPTIONS", {})}
        return {**config, **extra}

    return {
        # The site's generation and the compiled dictionary's version, which every process
        # must share (articles/cache.py, entities/knowledge_base.py).
        "default": cache("locmemcache://newsdesk"),
        # Whole public pages and feeds, under the site's generation.
        "pages": cache("locmemcache://newsdesk-pages?max_entries=5000", KEY_PREFIX="pages"),
    }


CACHES = caches_at(env("CACHE_URL", default=""))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# A pasted 1 MB title must reach the form (and get a clear error), not die as a 400 upstream.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)

# Security: on by default; DEBUG (the laptop) turns off what needs HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
BEHIND_HTTPS_PROXY = env.bool("BEHIND_HTTPS_PROXY", default=False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (newsdesk.middleware.SecurityHeadersMiddleware). The public pages run
# no JavaScript: the story page's <script type="application/ld+json"> is a data block, which
# CSP does not govern, so no 'unsafe-inline' and no nonce are needed.
NEWSDESK_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Django's admin loads only script files and uses no inline script either. The one inline
# style is django-simple-history's history list (style="border-top: 0"): that exact attribute is
# allowed by its hash, not every inline style.
NEWSDESK_ADMIN_CSP = {
    **NEWSDESK_CSP,
    "style-src": [
        "'self'",
        "'unsafe-hashes'",
        "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",  # border-top: 0
    ],
}
# Powerful browser features no page of ours uses: denied to us and to anything we embed.
NEWSDESK_PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is refused for AXES_COOLOFF_TIME, whatever the password, with
# the page templates/axes/locked_out.html (HTTP 429). A success resets the count;
# `manage.py axes_reset` (or axes_reset_username) lifts a lockout early.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "newsdesk.middleware.client_ip_address"
# Behind the proxy, the client's address is the last one the proxy added to X-Forwarded-For.
NEWSDESK_TRUST_X_FORWARDED_FOR = BEHIND_HTTPS_PROXY

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Celery: with no broker configured, tasks run in-process so the quick start needs no services.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Acks-late tasks are redelivered after this long if a worker dies; tagging takes milliseconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    # A hung Redis costs a task sent a second, not minutes (REDIS_TIMEOUTS above).
    **(REDIS_TIMEOUTS if is_redis_url(CELERY_BROKER_URL) else {}),
}
# An editor's save must not hang on a broker that is down or hung: fail fast, the sweep
# enqueues later. No retry: redis-py already reconnects a connection the broker closed (a
# restart), and each retry would cost another time-out when it hangs.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_ROUTES = {"articles.tasks.discover_candidates": {"queue": "discovery"}}
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-tagging": {
        "task": "articles.tasks.sweep_stale_tagging",
        "schedule": env.int("TAGGING_SWEEP_INTERVAL", default=60),
    },
    # Each feed has its own interval: this only looks, every minute, for those that are due.
    "poll-due-feeds": {
        "task": "intake.tasks.poll_due_feeds",
        "schedule": env.int("INTAKE_POLL_SECONDS", default=60),
    },
}

# Newsdesk's own limits.
NEWSDESK_MAX_BODY_CHARS = env.int("NEWSDESK_MAX_BODY_CHARS", default=200_000)
# An article pending or running for longer than this is re-enqueued by the sweep.
NEWSDESK_TAGGING_STALE_SECONDS = env.int("NEWSDESK_TAGGING_STALE_SECONDS", default=300)
# Discovery (names missing from the knowledge base) runs after tagging, on its own queue.
NEWSDESK_DISCOVERY_ENABLED = env.bool("NEWSDESK_DISCOVERY_ENABLED", default=True)
# A new name tagging suggests reaches readers once this many outlets' public stories name it
# (0: only once a chief editor accepts it).
NEWSDESK_ACCEPT_SUGGESTED_AFTER_OUTLETS = env.int(
    "NEWSDESK_ACCEPT_SUGGESTED_AFTER_OUTLETS", default=0
)
# How long a public page or feed may be served from the cache at most (0: never cached). A
# change to what it shows, or the next embargo's end, expires it sooner.
NEWSDESK_PUBLIC_CACHE_SECONDS = env.int("NEWSDESK_PUBLIC_CACHE_SECONDS", default=300)
# A story taken in is compared with the articles of this many days for copies of its text.
NEWSDESK_DUPLICATE_WINDOW_DAYS = env.int("NEWSDESK_DUPLICATE_WINDOW_DAYS", default=30)
# Two outlets' articles further apart than this are never one story cluster.
NEWSDESK_CLUSTER_WINDOW_DAYS = env.int("NEWSDESK_CLUSTER_WINDOW_DAYS", default=3)

# Intake (intake/fetch.py): how Newsdesk reads outlets' feeds and pages.
INTAKE_USER_AGENT = env(
    "INTAKE_USER_AGENT", default="NewsdeskBot/1.0 (news curation; reads feeds and robots.txt)"
)
INTAKE_CONNECT_TIMEOUT = env.float("INTAKE_CONNECT_TIMEOUT", default=5.0)
# The longest a whole response may take once connected.
INTAKE_READ_TIMEOUT = env.float("INTAKE_READ_TIMEOUT", default=20.0)
INTAKE_MAX_BYTES = env.int("INTAKE_MAX_BYTES", default=5_000_000)
INTAKE_MAX_REDIRECTS = env.int("INTAKE_MAX_REDIRECTS", default=5)
# Only for tests and a laptop: never reach private, link-local or reserved addresses, and
# loopback only when this is on.
INTAKE_ALLOW_LOOPBACK = env.bool("INTAKE_ALLOW_LOOPBACK", default=False)
# A failing feed waits its interval times 2 ** failures before the next try, at most this.
INTAKE_MAX_BACKOFF_MINUTES = env.int("INTAKE_MAX_BACKOFF_MINUTES", default=24 * 60)
# A feed sent for polling is not sent again for this long, unless its poll sets a time.
INTAKE_POLL_LEASE_MINUTES = env.int("INTAKE_POLL_LEASE_MINUTES", default=10)
