"""Settings for ``make scale-test`` only: production's, plus the Dodo sandbox.

Everything of ``site_config.settings.production`` applies (its start-up checks run on
the environment the scale test sets: an https ``SITE_URL``, Dodo keys, S3 storage,
DEBUG off, secure cookies, HSTS), then one thing is added: the ``dodo_sandbox`` app
stands in for Dodo, reached through the real SDK over HTTPS like Dodo itself
(``DODO_PAYMENTS_API_KEY`` is its token). This module lives under ``scripts/`` and is
importable only when the scale test puts ``scripts/scale_test`` on ``PYTHONPATH``:
production settings themselves still refuse the sandbox.
"""

from site_config.settings.production import *  # noqa: F403
from site_config.settings.production import (
    DODO_PAYMENTS_API_KEY,
    DODO_SANDBOX_APP,
    INSTALLED_APPS,
    env,
)

DODO_SANDBOX = True
INSTALLED_APPS = [*INSTALLED_APPS, DODO_SANDBOX_APP]
# The sandbox accepts exactly the key the store sends, as Dodo accepts its own.
DODO_SANDBOX_TOKEN = DODO_PAYMENTS_API_KEY
# collectstatic's output for nginx, outside the repo's own var/staticfiles.
STATIC_ROOT = env("SCALE_STATIC_ROOT")
