"""Test settings: fast hashing, in-memory mail, inline tasks unless a test asks."""

import os

# Under pytest-xdist each worker gets its own Redis database (a cache clear is a
# FLUSHDB, which would empty the other worker's cache mid-test) and its own media
# folders; pytest-django already gives each worker its own test database.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER and os.environ.get("REDIS_URL"):
    _base, _, _db = os.environ["REDIS_URL"].rpartition("/")
    if _db.isdigit():
        _index = int(XDIST_WORKER.removeprefix("gw") or 0)
        os.environ["REDIS_URL"] = f"{_base}/{(int(_db) + 1 + _index) % 16}"

from .base import *  # noqa: E402, F403
from .base import (  # noqa: E402
    DATABASES,
    DODO_SANDBOX_APP,
    INSTALLED_APPS,
    STATIC_ROOT,
    VAR_DIR,
    env,
)

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DODO_SANDBOX = env.bool("DODO_SANDBOX", default=True)
# The SDK reaches the sandbox through an in-process WSGI transport: no server runs
# during most tests. Browser tests switch this off and go over live_server's socket.
DODO_SANDBOX_IN_PROCESS = True
# Installed even when a run turns DODO_SANDBOX off: tests switch it on per test.
INSTALLED_APPS = [*INSTALLED_APPS, DODO_SANDBOX_APP]
DODO_PAYMENTS_WEBHOOK_KEY = "whsec_dGVzdC13ZWJob29rLXNlY3JldC1rZXktMDEyMzQ1Njc4OQ=="

# Tasks run inline; the tests that need a real worker flip this on the app.
CELERY_TASK_ALWAYS_EAGER = True

# A file-based SQLite test database lets ``--reuse-db`` skip the ~240 migrations.
VAR_DIR.mkdir(exist_ok=True)
STATIC_ROOT.mkdir(exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_db.sqlite3")}

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
_suffix = f"-{XDIST_WORKER}" if XDIST_WORKER else ""
MEDIA_ROOT = VAR_DIR / f"test-media{_suffix}"
PRIVATE_ROOT = VAR_DIR / f"test-private{_suffix}"
if not env("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_ROOT
    STORAGES["backups"]["OPTIONS"]["location"] = VAR_DIR / f"test-backups{_suffix}"

# The signed-in panel's list cache (accounts.panel_cache) is invalidated after
# commit, which a test's own transaction never does: tests that exercise it turn it
# on and commit with the ``committed`` fixture (accounts/tests/test_panel_cache.py).
PANEL_CACHE_SECONDS = 0

# Lockout counts would leak between tests that log in many times.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# Serve static files through the finders, as in development, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
