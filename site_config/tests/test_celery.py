"""Celery wiring: inline without a broker, a real worker through Redis with one."""

from django.conf import settings

from site_config.celery import app, ping
from site_config.tests.faults import TaskOutcomes, wait_for


def test_without_redis_tasks_run_inline(settings):
    assert app.conf.task_always_eager is True
    assert ping.delay("inline").get(timeout=1) == "inline"


def test_task_round_trip_through_redis_worker(celery_worker_redis):
    assert app.conf.broker_url == settings.REDIS_URL
    assert app.conf.task_always_eager is False
    outcomes = TaskOutcomes()
    try:
        ping.delay("through-redis")
        assert wait_for(lambda: outcomes.results.get("storefront.ping"))
    finally:
        outcomes.close()
    assert outcomes.results["storefront.ping"] == ["through-redis"]


def test_celery_configuration():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT > 0
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
