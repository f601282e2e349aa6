import pytest
from django.db import connection
from django.test import override_settings


@pytest.mark.django_db
def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"


def test_healthz_503_when_database_unreachable(client, django_db_blocker):
    with django_db_blocker.unblock():
        original = dict(connection.settings_dict)
        connection.close()
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"] = "/nonexistent-dir/unreachable.sqlite3"
        else:
            connection.settings_dict["PORT"] = "1"  # nothing listens there
        try:
            response = client.get("/healthz")
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(original)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "error"


@pytest.mark.django_db
def test_healthz_degraded_not_down_when_redis_unreachable(client):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "redis": "error"},
    }


@pytest.mark.django_db
def test_healthz_reports_real_redis(client, requires_redis):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


@pytest.mark.django_db
def test_readyz_ok_with_migrations_applied_and_tasks_inline(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["migrations"] == "ok"
    assert body["checks"]["broker"] == "inline"


@pytest.mark.django_db
def test_readyz_503_while_a_migration_is_pending(client, monkeypatch):
    from django.db.migrations.recorder import MigrationRecorder

    from site_config import health

    monkeypatch.setattr(health, "_migrations_applied", False)
    # As on a node that started before `migrate` finished: one not yet recorded.
    latest = MigrationRecorder.Migration.objects.filter(app="commerce").latest("id")
    latest.delete()
    try:
        response = client.get("/readyz")
    finally:
        MigrationRecorder.Migration.objects.create(
            app=latest.app, name=latest.name, applied=latest.applied
        )
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "pending"
    assert response.json()["status"] == "error"


@pytest.mark.django_db
def test_readyz_broker_down_is_degraded_not_down(client, private_redis, settings):
    from site_config.celery import app
    from site_config.tests.faults import CeleryOnBroker

    broker = CeleryOnBroker(app, private_redis.url)
    try:
        settings.REDIS_URL = private_redis.url
        assert client.get("/readyz").json()["checks"]["broker"] == "ok"
        private_redis.stop()
        response = client.get("/readyz")
    finally:
        broker.restore()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["broker"] == "error"
    assert body["checks"]["redis"] == "error"
    assert body["checks"]["database"] == "ok"
