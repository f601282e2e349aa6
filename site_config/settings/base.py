"""Settings shared by every environment; values come from the environment.

A ``.env`` file at the project root is read when present. ``.env.example`` lists
every variable with a comment.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django_guid.integrations import CeleryIntegration

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Unset in development: ``runserver`` uses the address it listens on instead.
SITE_URL_FROM_ENV = bool(env("SITE_URL", default=""))
# Addresses (or CIDR ranges) of the reverse proxies in front of the app; only their
# X-Forwarded-For/-Proto headers are believed (site_config.middleware).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# --- Applications -----------------------------------------------------------------

INSTALLED_APPS = [
    # Ours first, so our templates override Wagtail's and Django's.
    "accounts",
    "home",
    "catalog",
    "commerce",
    "support",
    "shortlinks",
    "attribution",
    "newsletter",
    "maintenance",
    "outbox",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.wagtail_users.StorefrontUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    # Third party
    "django_htmx",
    "django_guid",
    "django_celery_beat",
    "social_django",
    "axes",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    # After wagtail.admin: its ready() swaps Wagtail's workflow e-mails for ours.
    "marketing",
    # Last: its ready() replaces the page/image/document permission policies.
    "access",
]

MIDDLEWARE = [
    # First: the request id is set before anything can log.
    "django_guid.middleware.guid_middleware",
    # Then: everything after it (HTTPS redirect, axes, throttles) sees the real
    # client address and trusts X-Forwarded-Proto only from our proxy.
    "site_config.middleware.ProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A request under another host than SITE_URL is logged, naming both.
    "site_config.base_url.SiteUrlMismatchMiddleware",
    # NUL bytes in a URL are refused before any view or query sees them.
    "site_config.middleware.reject_nul_bytes",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A seller's admin URL naming another seller's object is a 404 (seller scope).
    "access.middleware.AdminScopeMiddleware",
    # Early, so maintenance mode answers before any view; it needs request.user.
    "maintenance.middleware.MaintenanceModeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # UTM-tagged arrivals are remembered (a signed cookie, not the session); outside
    # the page cache, so cached tagged pages count and stored pages never carry it.
    "attribution.middleware.AttributionMiddleware",
    # Anonymous pages from the cache (after maintenance: never past a 503; before
    # the headers below, so a stored page keeps them).
    "site_config.page_cache.AnonymousPageCacheMiddleware",
    # A signed-in customer's product pages, kept per user (same place, same reason).
    "accounts.signed_in_page_cache.SignedInPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy (django-csp) and Permissions-Policy on every response.
    "site_config.middleware.ContentSecurityPolicyMiddleware",
    "site_config.middleware.permissions_policy",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A refused Google sign-in becomes a message on the login page, not a 500.
    "social_django.middleware.SocialAuthExceptionMiddleware",
    # Last, so it sees the authenticated user and the response of a refused login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "site_config.urls"
WSGI_APPLICATION = "site_config.wsgi.application"

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
                "wagtail.contrib.settings.context_processors.settings",
                "social_django.context_processors.backends",
                # After Django's own csrf processor: a placeholder on pages kept
                # per user (accounts.signed_in_page_cache).
                "accounts.panel_cache.csrf_placeholder",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads (runserver, live_server, workers) share the file: wait for
    # the write lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # Checked before each request uses it, by asking the kernel whether the server
    # has hung up (no round trip); a SELECT 1 only if it may have.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "site_config.postgresql"
    # Parameters bound by PostgreSQL (psycopg's server-side binding), so that a hot
    # path can keep its statements prepared: site_config.prepared.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = env.bool(
        "DATABASE_SERVER_SIDE_BINDING", default=True
    )
# Inside site_config.prepared's blocks (the webhook), a statement run this many
# times on a connection is prepared there; "off" prepares nothing. A pgbouncer in
# transaction mode needs max_prepared_statements (1.21+) or "off".
_prepare = env("DATABASE_PREPARE_THRESHOLD", default="1").strip().lower()
if _prepare in ("", "off", "none"):
    DATABASE_PREPARE_THRESHOLD = None
elif _prepare.isdigit():
    DATABASE_PREPARE_THRESHOLD = int(_prepare)
else:
    raise ImproperlyConfigured(
        f"DATABASE_PREPARE_THRESHOLD is a number of runs or 'off', not {_prepare!r}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -------------------------------------------------------------

# Anonymous pages kept in the cache this long at most (site_config.page_cache;
# changes invalidate them at once); 0 turns the page cache off. A CDN in front may
# keep them PAGE_CACHE_CDN_SECONDS (it cannot be told about changes).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_CDN_SECONDS = env.int("PAGE_CACHE_CDN_SECONDS", default=60)

REDIS_URL = env("REDIS_URL", default="")

# Signed-in pages (the panel's library, orders, support; a customer's product pages)
# kept per user this long at most (accounts.panel_cache, accounts.signed_in_page_cache;
# changes invalidate them at once); 0 turns them off. Off without Redis: each
# process's own memory would not hear of a change made in another.
PANEL_CACHE_SECONDS = env.int("PANEL_CACHE_SECONDS", default=600 if REDIS_URL else 0)

# The cache is an optimisation ("cache may lie, the database must not"): an
# unreachable or hung Redis must cost a request at most a short timeout per call,
# never an error. django-redis (pooled client) swallows connection errors and
# timeouts (IGNORE_EXCEPTIONS) and logs each one on the "storefront.cache" logger.
# site_config.cache holds the rules for cache reads, writes and invalidation.
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
# After a failed call the cache skips Redis this long (site_config.cache_client), so
# a hung Redis costs one timeout per window, not one per cache call.
CACHE_DOWN_RETRY_SECONDS = env.float("CACHE_DOWN_RETRY_SECONDS", default=5)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "storefront.cache"


def redis_cache(url: str) -> dict:
    """The cache on the Redis at ``url`` (tests point it at a Redis they break)."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "storefront",
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "REDIS_CLIENT_CLASS": "site_config.cache_client.FailFastRedis",
            "REDIS_CLIENT_KWARGS": {"down_for": CACHE_DOWN_RETRY_SECONDS},
            "SOCKET_CONNECT_TIMEOUT": CACHE_SOCKET_TIMEOUT,
            "SOCKET_TIMEOUT": CACHE_SOCKET_TIMEOUT,
            "IGNORE_EXCEPTIONS": True,
        },
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
    CELERY_BROKER_URL = REDIS_URL
    # kombu's Redis transport, less a Redis client built per command (its docstring).
    CELERY_BROKER_TRANSPORT = "site_config.broker:Transport"
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "storefront",
        }
    }
    # No broker: tasks run inline, in the caller's process, so the site works alone.
    CELERY_BROKER_URL = "memory://localhost/"
    CELERY_TASK_ALWAYS_EAGER = True

# Wagtail looks renditions up in a cache named "renditions" and writes each one back
# on every {% image %} tag: on Redis that is two round trips per card of a personal
# page (the library, an owner's product page) that the page cache can't serve. A
# rendition never changes once made (a new focal point or file is a new key), so
# each process keeps its own, written once per key (site_config.rendition_cache);
# one deleted with its image is forgotten here by Wagtail in the process that
# deleted it and by the timeout everywhere else.
CACHES["renditions"] = {
    "BACKEND": "site_config.rendition_cache.RenditionCache",
    "LOCATION": "storefront-renditions",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# No result backend: nothing reads task results, and a Redis result backend retries
# each publish's bookkeeping ~20 times when Redis is down (the request waited ~20 s).
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True

CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=5 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=4 * 60)
# A task is acked when it ends, and a pool child that dies mid-task (OOM, kill)
# gives its message back instead of acking it: the task runs again. Tasks are
# written for that (idempotent, effects recorded: outbox.reliable).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message a dead worker held comes back after the visibility timeout (kombu's
# default is an hour). Every countdown a task asks for stays below it
# (CELERY_MAX_COUNTDOWN, enforced by outbox.reliable.retry_countdown); a longer one
# would be delivered twice.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=600)
CELERY_MAX_COUNTDOWN = CELERY_VISIBILITY_TIMEOUT // 2
# Publishing with the broker down fails within a second instead of retrying for
# long: the outbox keeps what could not be sent and its relay sends it later.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.2,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Task modules that autodiscovery (``<app>.tasks``) does not reach.
CELERY_IMPORTS = ["commerce.downloads.tasks", "commerce.updates.tasks"]

# Queues: a slow mail server or Telegram never delays a Dodo sync, and a Dodo outage
# (sync retries piling up) never delays a verification e-mail. Each queue has its own
# worker command (Procfile, compose.yaml); `make worker` consumes all of them.
CELERY_TASK_DEFAULT_QUEUE = "default"
QUEUE_NAMES = ["default", "notifications", "provider"]
CELERY_TASK_ROUTES = {
    # E-mail and Telegram.
    "accounts.verification_email_send": {"queue": "notifications"},
    "accounts.password_reset_email_send": {"queue": "notifications"},
    "accounts.registration_existing_email_send": {"queue": "notifications"},
    "accounts.magic_link_email_send": {"queue": "notifications"},
    "commerce.release_email_batch_send": {"queue": "notifications"},
    "support.tasks.*": {"queue": "notifications"},
    "accounts.seller_application_decision_email": {"queue": "notifications"},
    "commerce.order_notice_send": {"queue": "notifications"},
    "commerce.order_paid_notices_send": {"queue": "notifications"},
    "newsletter.confirmation_send": {"queue": "notifications"},
    # Calls to Dodo (and the sandbox's deliveries, which stand in for Dodo's side).
    "commerce.product_sync_to_dodo": {"queue": "provider"},
    "commerce.product_archive_in_dodo": {"queue": "provider"},
    "commerce.customer_sync_to_dodo": {"queue": "provider"},
    "commerce.reconcile_pending_orders": {"queue": "provider"},
    "commerce.heal_dodo_drift": {"queue": "provider"},
    "commerce.license_keys_sync": {"queue": "provider"},
    "commerce.discount_sync_to_dodo": {"queue": "provider"},
    "commerce.discount_delete_in_dodo": {"queue": "provider"},
    "commerce.sandbox_deliver_webhook": {"queue": "provider"},
}

# --- Auth -------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/account/login/"
LOGIN_REDIRECT_URL = "/account/"
LOGOUT_REDIRECT_URL = "/"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out credentials before any check.
    "axes.backends.AxesStandaloneBackend",
    "social_core.backends.google.GoogleOAuth2",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: lock out one account from one address after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Count failures on the address as both login forms match it (trimmed, lower-case).
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False

# Throttles (site_config.throttles, django-ratelimit): requests per window, counted
# per client address ("ip") and per account ("account": the signed-in user, or the
# address a password reset names). Over either limit the request gets a 429 page.
THROTTLE_RATES = {
    "password_reset": {"ip": "20/h", "account": "3/h"},
    "registration": {"ip": "10/h", "account": "3/h"},
    "verification_resend": {"ip": "20/h", "account": "5/h"},
    "support_message": {"ip": "30/h", "account": "10/h"},
    "checkout_start": {"ip": "60/h", "account": "20/h"},
    # Per address signed up: a form can't flood one inbox with confirmations.
    "newsletter_signup": {"ip": "20/h", "account": "3/h"},
    "magic_link": {"ip": "10/h", "account": "3/h"},
}
# "E-mail me my purchases": how long a one-time sign-in link works.
MAGIC_LINK_TTL_SECONDS = 15 * 60
THROTTLE_RETRY_AFTER_SECONDS = 600
# A cache that answers "no count" is treated as no limit (our decorator also catches
# any cache error itself).
RATELIMIT_FAIL_OPEN = True

# Google sign-in is offered only when both keys are set.
SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = env("GOOGLE_OAUTH2_KEY", default="")
SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = env("GOOGLE_OAUTH2_SECRET", default="")
SOCIAL_AUTH_USER_MODEL = AUTH_USER_MODEL
SOCIAL_AUTH_JSONFIELD_ENABLED = True
SOCIAL_AUTH_URL_NAMESPACE = "social"
SOCIAL_AUTH_LOGIN_ERROR_URL = LOGIN_URL
SOCIAL_AUTH_PIPELINE = (
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_uid",
    "social_core.pipeline.social_auth.auth_allowed",
    "social_core.pipeline.social_auth.social_user",
    "accounts.social_pipeline.associate_by_verified_email",
    "accounts.social_pipeline.create_verified_customer",
    "social_core.pipeline.social_auth.associate_user",
    "social_core.pipeline.social_auth.load_extra_data",
    "accounts.social_pipeline.redirect_by_role",
)

# --- Internationalisation ---------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static, media and private files ----------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Product files live here; no URL maps to this folder, downloads go through views.
PRIVATE_ROOT = env.path("PRIVATE_ROOT", default=VAR_DIR / "private")

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", default=None)
AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default=None)
AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default=None)
DOWNLOAD_URL_EXPIRY_SECONDS = env.int("DOWNLOAD_URL_EXPIRY_SECONDS", default=600)
# Our own single-use link (/downloads/t/<token>/) lives as long, and a user may mint
# at most DOWNLOAD_MINT_RATE_LIMIT of them per DOWNLOAD_MINT_RATE_WINDOW_SECONDS.
DOWNLOAD_TOKEN_TTL_SECONDS = env.int("DOWNLOAD_TOKEN_TTL_SECONDS", default=600)
DOWNLOAD_MINT_RATE_LIMIT = env.int("DOWNLOAD_MINT_RATE_LIMIT", default=30)
DOWNLOAD_MINT_RATE_WINDOW_SECONDS = env.int(
    "DOWNLOAD_MINT_RATE_WINDOW_SECONDS", default=3600
)

if AWS_STORAGE_BUCKET_NAME:
    _s3 = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": AWS_S3_ENDPOINT_URL,
        "region_name": AWS_S3_REGION_NAME,
        "signature_version": "s3v4",
        "file_overwrite": False,
    }
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_s3,
                "location": "media",
                "default_acl": "public-read",
                "querystring_auth": False,
                "custom_domain": AWS_S3_CUSTOM_DOMAIN,
            },
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_s3,
                "location": "private",
                "default_acl": "private",
                "querystring_auth": True,
                # Not the public media domain (django-storages would default to
                # AWS_S3_CUSTOM_DOMAIN, and a custom-domain URL is never signed).
                "custom_domain": None,
                "querystring_expire": DOWNLOAD_URL_EXPIRY_SECONDS,
            },
        },
        "backups": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_s3,
                "location": "backups",
                "default_acl": "private",
                "custom_domain": None,
            },
        },
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }
else:
    STORAGES = {
        # Uploads are written whole or not at all (a full disk leaves no partial file).
        "default": {"BACKEND": "site_config.storage.AtomicFileSystemStorage"},
        "private": {
            "BACKEND": "site_config.storage.AtomicFileSystemStorage",
            "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
        },
        "backups": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": VAR_DIR / "backups", "base_url": None},
        },
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A hung mail server gives up after this many seconds (Django's default: never);
# the task then retries with backoff (outbox.reliable).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Storefront <shop@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Wagtail ----------------------------------------------------------------------

WAGTAIL_SITE_NAME = env("SITE_NAME", default="Storefront")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip",
]  # fmt: skip
# No third-party avatar requests from the admin (privacy, and offline installs).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    # Draftail, but a value posted as raw HTML is filtered, not a 500.
    "default": {"WIDGET": "catalog.rich_text.LenientDraftailRichTextArea"}
}
# A damaged or truncated upload is a form error, not a 500.
WAGTAILIMAGES_IMAGE_FORM_BASE = "catalog.image_forms.CheckedImageForm"
# Landing pages and the home page go through the "Landing page review" workflow
# (marketing app). Sellers' product pages publish directly unless this is on;
# then they go through the "Product review" workflow (staff approve).
SELLER_PRODUCT_WORKFLOW = env.bool("SELLER_PRODUCT_WORKFLOW", default=False)

# --- Dodo Payments ----------------------------------------------------------------

DODO_PAYMENTS_API_KEY = env("DODO_PAYMENTS_API_KEY", default="")
DODO_PAYMENTS_WEBHOOK_KEY = env("DODO_PAYMENTS_WEBHOOK_KEY", default="")
# Dodo's API keys are per environment; the SDK takes exactly these two names.
DODO_ENVIRONMENTS = ("test_mode", "live_mode")
# Development and tests default to test_mode; production has no default.
DODO_PAYMENTS_ENVIRONMENT = env("DODO_PAYMENTS_ENVIRONMENT", default="test_mode")


def dodo_environment_check(value: str) -> str:
    """The environment name, or a clear start-up error (not a 500 at checkout)."""
    if value not in DODO_ENVIRONMENTS:
        raise ImproperlyConfigured(
            f"DODO_PAYMENTS_ENVIRONMENT is {value!r}; it must be test_mode (Dodo's "
            "test API, test keys) or live_mode (real payments, live keys)."
        )
    return value


DODO_PAYMENTS_ENVIRONMENT = dodo_environment_check(DODO_PAYMENTS_ENVIRONMENT)
# The sandbox (commerce/dodo/sandbox) emulates Dodo locally; base settings keep it
# off, dev turns it on when no API key is set, production refuses it.
DODO_SANDBOX = env.bool("DODO_SANDBOX", default=False)
# Its Django app (its table, URLs, task): only dev and test settings install it.
DODO_SANDBOX_APP = "commerce.dodo.sandbox"
# The bearer token the sandbox API accepts; empty: derived from SECRET_KEY.
DODO_SANDBOX_TOKEN = env("DODO_SANDBOX_TOKEN", default="")

# --- Telegram, maintenance, store rules -------------------------------------------

TELEGRAM_BOT_TOKEN = env("TELEGRAM_BOT_TOKEN", default="")
TELEGRAM_CHAT_ID = env("TELEGRAM_CHAT_ID", default="")
TELEGRAM_API_BASE_URL = env("TELEGRAM_API_BASE_URL", default="")
# Total deadline of one Telegram send (it can run inline when tasks are eager).
TELEGRAM_TIMEOUT_SECONDS = env.float("TELEGRAM_TIMEOUT_SECONDS", default=4)

# Support: a customer reopens a completed request by replying within this many
# days; active requests with no activity for SUPPORT_AUTO_CLOSE_DAYS are closed by
# the Beat task support.close_idle_requests.
SUPPORT_REOPEN_DAYS = env.int("SUPPORT_REOPEN_DAYS", default=7)
SUPPORT_AUTO_CLOSE_DAYS = env.int("SUPPORT_AUTO_CLOSE_DAYS", default=14)

MAINTENANCE_BYPASS_KEY = env("MAINTENANCE_BYPASS_KEY", default="")
UPDATED_BADGE_DAYS = env.int("UPDATED_BADGE_DAYS", default=3)
# Release update e-mails: how many one send task handles (commerce.updates).
RELEASE_EMAIL_BATCH_SIZE = env.int("RELEASE_EMAIL_BATCH_SIZE", default=50)

# --- Seller dashboard, analytics and backups ------------------------------------

# Dashboard figures are computed on refresh and cached this long per seller; a new
# payment or refund for the seller clears them at once.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
# Google Analytics 4: page views per product page appear when both are set.
GA4_PROPERTY_ID = env("GA4_PROPERTY_ID", default="")
GA4_CREDENTIALS_FILE = env("GA4_CREDENTIALS_FILE", default="")
# Only to point the GA4 Data API client at another endpoint (tests use a local fake).
GA4_API_ENDPOINT = env("GA4_API_ENDPOINT", default="")
GA4_CACHE_SECONDS = env.int("GA4_CACHE_SECONDS", default=3600)
# The report is fetched while the dashboard renders: token refresh and report
# together must finish well inside gunicorn's timeout (no retries).
GA4_TIMEOUT_SECONDS = env.float("GA4_TIMEOUT_SECONDS", default=4)
# Database dumps go to storages["backups"]; this many of the newest are kept.
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)

# --- Security defaults that hold everywhere ----------------------------------------

SESSION_COOKIE_HTTPONLY = True
# Sessions live in the database and are read through the cache (site_config.sessions):
# one query less per signed-in request; Redis down falls back to the database.
# Without Redis, from the database only: a logout in one process could not reach
# another process's memory.
SESSION_ENGINE = (
    "site_config.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
)
# How long a session's cached copy may outlive a logout Redis did not hear about.
SESSION_CACHE_SECONDS = env.int("SESSION_CACHE_SECONDS", default=300)
CSRF_COOKIE_HTTPONLY = False
# Wagtail marks its preview views SAMEORIGIN itself; everything else is DENY.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"


# Content-Security-Policy (django-csp 4): scripts, styles and everything else from
# our own origin; images also from the media bucket (MEDIA_ORIGINS, set in
# production) and data: URLs. htmx is told not to inject its indicator <style>
# (base.html's htmx-config), so no page of the shop needs 'unsafe-inline'.
# Frames: page previews are ours; videos (home.video) only from the YouTube and
# Vimeo players.
def _media_origins() -> list[str]:
    """Where public media is served from when it lives in the bucket."""
    if not AWS_STORAGE_BUCKET_NAME:
        return []
    if AWS_S3_CUSTOM_DOMAIN:
        return [f"https://{AWS_S3_CUSTOM_DOMAIN}"]
    if AWS_S3_ENDPOINT_URL:
        scheme, _, host = AWS_S3_ENDPOINT_URL.rstrip("/").partition("://")
        # Virtual-hosted style (bucket.host) and path style (host/bucket).
        return [f"{scheme}://{AWS_STORAGE_BUCKET_NAME}.{host}", f"{scheme}://{host}"]
    regional = f".s3.{AWS_S3_REGION_NAME}" if AWS_S3_REGION_NAME else ".s3"
    return [f"https://{AWS_STORAGE_BUCKET_NAME}{regional}.amazonaws.com"]


MEDIA_ORIGINS = env.list("MEDIA_ORIGINS", default=_media_origins())
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *MEDIA_ORIGINS],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "media-src": [SELF, *MEDIA_ORIGINS],
        # Only the video players home.video builds embeds for.
        "frame-src": [
            SELF,
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
    },
}
# Wagtail's admin uses inline styles and scripts (and style attributes) in places.
CSP_ADMIN_PATH_PREFIX = "/admin/"
CSP_ADMIN_UPDATE = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
}
# Browser features the site never uses are switched off for it and for frames.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer",
        "microphone", "payment", "usb", "browsing-topics",
    )
)  # fmt: skip

# Every line carries the request id (X-Request-ID from nginx, or a new one), also in
# the Celery tasks a request publishes (django-guid's Celery integration sends it as a
# task header). LOG_FORMAT=json writes one JSON object per line for a log shipper.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True, log_parent=True)],
}
LOG_FORMAT = env("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(
        f"LOG_FORMAT must be 'plain' or 'json', not {LOG_FORMAT!r}."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "django_guid.log_filters.CorrelationId"},
        "celery_tracing": {
            "()": "django_guid.integrations.celery.log_filters.CeleryTracing"
        },
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] "
            "%(message)s"
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s "
            "%(correlation_id)s %(celery_parent_id)s %(celery_current_id)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "correlation_id": "request_id",
            },
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "celery_tracing"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"level": "INFO"},
        # Cache calls that failed and were ignored (Redis down or hung).
        "storefront.cache": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
        # Inline (eager) tasks would log every run at INFO in the web process.
        "celery.app.trace": {"level": "INFO" if REDIS_URL else "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # It narrates every id it sets or generates at INFO.
        "django_guid": {"level": "WARNING"},
    },
}
