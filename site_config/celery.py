"""Celery application: configuration comes from Django settings (``CELERY_*``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings.dev")

app = Celery("storefront")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="storefront.ping")
def ping(value: str = "pong") -> str:
    """Round-trip probe for operators and tests: proves a worker consumes the broker."""
    return value
