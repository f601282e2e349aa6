"""Settings for ``make bench``: production-like (DEBUG off, PostgreSQL, Redis,
hashed static files, the repo's gunicorn.conf.py) without production's S3 and Dodo
secrets, plus the "floor" view (``bench_urls``) that exists only in this run.

``SITE_URL`` comes from the environment: run.py sets it to the address gunicorn binds
(a free port), the one wrk requests, so base_url's mismatch warning stays quiet."""

from site_config.settings.base import *  # noqa: F403
from site_config.settings.base import VAR_DIR, env

DEBUG = False
SECRET_KEY = "bench-only-secret-key-never-used-in-production-0123456789"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench_urls"
DODO_SANDBOX = False
DODO_PAYMENTS_WEBHOOK_KEY = "whsec_YmVuY2gtd2ViaG9vay1zZWNyZXQta2V5LTAxMjM0NTY3ODk="
MEDIA_ROOT = VAR_DIR / "bench-media"
STATIC_ROOT = VAR_DIR / "bench-static"
LOGGING["root"]["level"] = env("LOG_LEVEL", default="WARNING")  # noqa: F405
LOGGING["loggers"]["django"]["level"] = "WARNING"  # noqa: F405
