"""Local development: works with nothing configured (SQLite, eager tasks, sandbox)."""

from .base import *  # noqa: F403
from .base import (
    DODO_PAYMENTS_API_KEY,
    DODO_SANDBOX_APP,
    INSTALLED_APPS,
    SECRET_KEY,
    VAR_DIR,
    env,
)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
DODO_SANDBOX = env.bool("DODO_SANDBOX", default=not DODO_PAYMENTS_API_KEY)
if DODO_SANDBOX:
    INSTALLED_APPS = [*INSTALLED_APPS, DODO_SANDBOX_APP]

VAR_DIR.mkdir(exist_ok=True)
