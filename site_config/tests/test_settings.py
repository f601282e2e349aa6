"""Settings are read from the environment; each module is loaded in a fresh process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'cache': settings.CACHES['default']['BACKEND'], "
    "'eager': settings.CELERY_TASK_ALWAYS_EAGER, "
    "'broker': settings.CELERY_BROKER_URL, "
    "'db': settings.DATABASES['default']['ENGINE'], "
    "'db_name': str(settings.DATABASES['default']['NAME']), "
    "'db_options': settings.DATABASES['default'].get('OPTIONS', {}), "
    "'prepare': settings.DATABASE_PREPARE_THRESHOLD, "
    "'sandbox': settings.DODO_SANDBOX, "
    "'private': str(settings.STORAGES['private']['OPTIONS'].get('location')), "
    "'private_url': settings.STORAGES['private']['OPTIONS'].get('base_url', 'x'), "
    "'media': str(settings.MEDIA_ROOT), 'email': settings.EMAIL_BACKEND}))"
)
# Variables that would leak the caller's configuration into the probe.
CONFIG_VARS = {
    "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DODO_PAYMENTS_API_KEY",
    "DODO_PAYMENTS_WEBHOOK_KEY", "DODO_SANDBOX", "AWS_STORAGE_BUCKET_NAME",
    "ALLOWED_HOSTS", "EMAIL_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SITE_URL",
    "DODO_PAYMENTS_ENVIRONMENT", "DATABASE_SERVER_SIDE_BINDING",
    "DATABASE_PREPARE_THRESHOLD",
}  # fmt: skip


def _run(module: str, **env_vars: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    env.update(env_vars, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _settings(module: str, **env_vars: str) -> dict:
    result = _run(module, **env_vars)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_dev_with_nothing_set_needs_no_service():
    values = _settings("site_config.settings.dev")
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["eager"] is True
    assert values["broker"] == "memory://localhost/"
    assert values["db"] == "django.db.backends.sqlite3"
    assert values["db_name"].endswith("var/db.sqlite3")
    assert values["sandbox"] is True
    assert values["media"].endswith("var/media")
    # Private product files: their own folder, no URL at all.
    assert values["private"].endswith("var/private")
    assert values["private_url"] is None
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"


def test_dev_with_services_uses_postgres_and_redis():
    values = _settings(
        "site_config.settings.dev",
        DATABASE_URL="postgres://u@127.0.0.1:5432/shop",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert values["db"] == "site_config.postgresql"
    assert values["cache"] == "django_redis.cache.RedisCache"
    assert values["eager"] is False
    assert values["broker"] == "redis://127.0.0.1:6379/3"


def test_postgres_binds_on_the_server_and_hot_paths_may_prepare():
    shop = "postgres://u@127.0.0.1:5432/shop"
    values = _settings("site_config.settings.dev", DATABASE_URL=shop)
    # Django's own default stays: nothing prepared outside site_config.prepared.
    assert values["db_options"] == {"server_side_binding": True}
    assert values["prepare"] == 1
    for off in ("off", ""):
        values = _settings(
            "site_config.settings.dev",
            DATABASE_URL=shop,
            DATABASE_PREPARE_THRESHOLD=off,
        )
        assert values["prepare"] is None
    values = _settings(
        "site_config.settings.dev", DATABASE_URL=shop, DATABASE_SERVER_SIDE_BINDING="0"
    )
    assert values["db_options"] == {"server_side_binding": False}
    refused = _run(
        "site_config.settings.dev", DATABASE_URL=shop, DATABASE_PREPARE_THRESHOLD="x"
    )
    assert refused.returncode != 0
    assert "DATABASE_PREPARE_THRESHOLD is a number of runs or 'off'" in refused.stderr


def test_dev_api_key_turns_sandbox_off():
    values = _settings("site_config.settings.dev", DODO_PAYMENTS_API_KEY="sk_test")
    assert values["sandbox"] is False


PRODUCTION_ENV = {
    "SECRET_KEY": "k3J9vQ2rT8wX1zL5pN7cB4mH6fD0sA9gY2uE8iO3tR5wQ7nV1xZ",
    "ALLOWED_HOSTS": "shop.example.com",
    "SITE_URL": "https://shop.example.com",
    "DODO_PAYMENTS_API_KEY": "sk_live_x",
    "DODO_PAYMENTS_WEBHOOK_KEY": "whsec_eA==",
    "DODO_PAYMENTS_ENVIRONMENT": "live_mode",
    "DATABASE_URL": "postgres://u@127.0.0.1:5432/shop",
    "AWS_STORAGE_BUCKET_NAME": "shop-files",
}


def test_production_refuses_missing_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _run("site_config.settings.production", **env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_the_sandbox():
    result = _run("site_config.settings.production", **PRODUCTION_ENV, DODO_SANDBOX="1")
    assert result.returncode != 0
    assert "DODO_SANDBOX is on" in result.stderr


def test_production_refuses_missing_dodo_keys():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DODO_PAYMENTS_API_KEY"}
    result = _run("site_config.settings.production", **env)
    assert result.returncode != 0
    assert "DODO_PAYMENTS_API_KEY" in result.stderr


@pytest.mark.parametrize("value", ["live", "Live_Mode", "production", ""])
def test_a_bad_dodo_environment_fails_at_start_up(value):
    for module, env in [
        ("site_config.settings.production", PRODUCTION_ENV),
        ("site_config.settings.dev", {}),
    ]:
        result = _run(module, **{**env, "DODO_PAYMENTS_ENVIRONMENT": value})
        assert result.returncode != 0, module
        assert "ImproperlyConfigured" in result.stderr
        assert f"DODO_PAYMENTS_ENVIRONMENT is {value!r}" in result.stderr
        assert "test_mode" in result.stderr and "live_mode" in result.stderr


def test_production_has_no_default_dodo_environment():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DODO_PAYMENTS_ENVIRONMENT"}
    result = _run("site_config.settings.production", **env)
    assert result.returncode != 0
    assert "DODO_PAYMENTS_ENVIRONMENT is '(not set)'" in result.stderr
    # Development keeps its default; both names are accepted in production.
    assert _run("site_config.settings.dev").returncode == 0
    for value in ("test_mode", "live_mode"):
        env["DODO_PAYMENTS_ENVIRONMENT"] = value
        assert _run("site_config.settings.production", **env).returncode == 0


def test_standardwebhooks_is_pinned_at_the_installed_version_with_json_parse():
    import inspect
    from importlib.metadata import version

    from standardwebhooks import Webhook

    pins = (ROOT / "requirements.txt").read_text().splitlines()
    assert f"standardwebhooks=={version('standardwebhooks')}" in pins
    # commerce.dodo.webhooks verifies without parsing (json_parse=False).
    assert "json_parse" in inspect.signature(Webhook.verify).parameters


def test_production_refuses_local_file_storage():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "AWS_STORAGE_BUCKET_NAME"}
    result = _run("site_config.settings.production", **env)
    assert result.returncode != 0
    # So the development-only local download view never serves in production.
    assert "AWS_STORAGE_BUCKET_NAME is not set" in result.stderr


@pytest.mark.parametrize(
    ("site_url", "named"),
    [
        (None, "(not set)"),
        ("http://shop.example.com", "'http://shop.example.com'"),
        ("https://127.0.0.1:8000", "'127.0.0.1' is not in ALLOWED_HOSTS"),
    ],
)
def test_production_names_a_missing_or_wrong_site_url(site_url, named):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SITE_URL"}
    if site_url:
        env["SITE_URL"] = site_url
    result = _run("site_config.settings.production", **env)
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr
    assert named in result.stderr


@pytest.mark.parametrize("module", ["site_config.settings.production"])
def test_production_passes_check_deploy(module):
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE=module)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


MEDIA_URL_PROBE = (
    "import json, django; django.setup(); "
    "from django.core.files.storage import storages; "
    "print(json.dumps({'cover': storages['default'].url('original_images/a.png'), "
    "'file': storages['private'].url('products/2026/01/a.zip')}))"
)


def test_s3_public_media_urls_are_unsigned_and_product_files_signed():
    """Covers and images: a plain URL per image (no signing work, CDN-cacheable);
    product files: a short-lived signed URL only, never on the public domain."""
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    env.update(
        DJANGO_SETTINGS_MODULE="site_config.settings.dev",
        AWS_STORAGE_BUCKET_NAME="shop-files",
        AWS_S3_CUSTOM_DOMAIN="media.shop.example.com",
        AWS_S3_REGION_NAME="eu-central-1",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLEEXAMPLE00",
        AWS_SECRET_ACCESS_KEY="example-secret-key-never-used-anywhere",
    )
    result = subprocess.run(
        [sys.executable, "-c", MEDIA_URL_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    urls = json.loads(result.stdout.strip().splitlines()[-1])
    assert urls["cover"] == "https://media.shop.example.com/media/original_images/a.png"
    assert "X-Amz-Signature=" in urls["file"]
    assert "media.shop.example.com" not in urls["file"]


def test_every_folder_with_tests_is_in_pytests_testpaths():
    """`make test` runs pytest's testpaths: a new app's tests must not sit outside."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text())
    testpaths = set(config["tool"]["pytest"]["ini_options"]["testpaths"])
    folders = {
        folder.name
        for folder in root.iterdir()
        if folder.is_dir()
        and not folder.name.startswith(".")
        and folder.name not in {"var", "static", "templates", "docs", "deploy"}
        and next(folder.rglob("test_*.py"), None) is not None
    }
    assert folders <= testpaths, f"not run by make test: {sorted(folders - testpaths)}"
