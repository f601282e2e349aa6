"""WSGI entry point (gunicorn ``site_config.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings.production")

application = get_wsgi_application()

# Imports and templates before the first request (in gunicorn's master when it
# preloads, so every forked worker starts warm): site_config/warmup.py.
from site_config.warmup import warm  # noqa: E402

warm()
