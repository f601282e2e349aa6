"""The Dodo sandbox exists in development only: no app, table or URL in production.

Each settings module is loaded in a fresh process (settings decide
``INSTALLED_APPS`` and the URLconf at start-up).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from site_config.tests.test_settings import CONFIG_VARS, PRODUCTION_ENV, ROOT

PROBE = """
import json, django
from django.apps import apps
from django.urls import Resolver404, get_resolver, resolve
django.setup()
from django.db.migrations.loader import MigrationLoader

def mounted(path):
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.func.__module__.startswith("commerce.dodo.sandbox")

def views(patterns):
    for p in patterns:
        if hasattr(p, "url_patterns"):
            yield from views(p.url_patterns)
        else:
            yield p.callback.__module__

loader = MigrationLoader(None, ignore_no_migrations=True)
created = sorted(
    f"{app}.{op.name}"
    for (app, _), migration in loader.disk_migrations.items()
    if (app, _) in loader.graph.nodes
    for op in migration.operations
    if type(op).__name__ == "CreateModel" and "sandbox" in op.name.lower()
)
state = loader.project_state()
print(json.dumps({
    "installed": apps.is_installed("commerce.dodo.sandbox"),
    "labels": sorted(a.label for a in apps.get_app_configs()),
    "api": mounted("/dodo-sandbox/api/payments"),
    "checkout": mounted("/dodo-sandbox/checkout/cks_1/"),
    "sandbox_views": sorted(
        {m for m in views(get_resolver().url_patterns) if "sandbox" in m}
    ),
    "creates": created,
    "state": sorted(f"{a}.{m}" for a, m in state.models if "sandbox" in m),
}))
"""


def _probe(module: str, **env_vars: str) -> dict:
    import os

    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    env.update(env_vars, DJANGO_SETTINGS_MODULE=module)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production():
    return _probe("site_config.settings.production", **PRODUCTION_ENV)


def test_production_has_no_sandbox_app(production):
    assert production["installed"] is False
    assert "dodo_sandbox" not in production["labels"]


def test_production_mounts_no_sandbox_url(production):
    assert production["api"] is False
    assert production["checkout"] is False
    assert production["sandbox_views"] == []


def test_production_migrations_create_no_sandbox_table(production):
    assert production["creates"] == []
    assert production["state"] == []


def test_dev_without_an_api_key_installs_and_mounts_the_sandbox():
    dev = _probe("site_config.settings.dev")
    assert dev["installed"] is True
    assert dev["api"] is True
    assert dev["checkout"] is True
    assert dev["sandbox_views"] == [
        "commerce.dodo.sandbox.api",
        "commerce.dodo.sandbox.discounts",
        "commerce.dodo.sandbox.licensing",
        "commerce.dodo.sandbox.views",
    ]
    assert dev["creates"] == ["dodo_sandbox.SandboxObject"]
    assert dev["state"] == ["dodo_sandbox.sandboxobject"]


def test_dev_with_an_api_key_has_no_sandbox():
    dev = _probe("site_config.settings.dev", DODO_PAYMENTS_API_KEY="sk_test_x")
    assert dev["installed"] is False
    assert dev["api"] is False
    assert dev["creates"] == []
