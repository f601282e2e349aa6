"""Celery wiring: inline without a broker, a real worker through Redis with one."""

from django.conf import settings

from site_config.celery import app, ping
from site_config.tests.faults import TaskOutcomes, wait_for


def test_without_redis_tasks_run_inline(settings):
    assert app.conf.task_always_eager is True
    assert ping.delay("inline").get(timeout=1) == "inline"


def test_task_round_trip_through_redis_worker(celery_worker_redis):
    assert app.conf.broker_url == settings.REDIS_URL
    assert app.conf.broker_transport == "site_config.broker:Transport"
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


def test_the_broker_channel_keeps_one_redis_client(requires_redis, monkeypatch):
    """kombu would build a redis.Redis per command; ours keeps one per pool."""
    from site_config import broker

    with app.connection_for_write() as connection:
        channel = connection.default_channel
        assert isinstance(channel, broker.Channel)
        made = []
        create = channel._create_client
        monkeypatch.setattr(
            channel, "_create_client", lambda *a, **k: made.append(1) or create(*a, **k)
        )
        clients = []
        for _ in range(3):
            with channel.conn_or_acquire() as client:
                clients.append(client)
                assert client.ping()
        assert len(made) == 1
        assert clients[0] is clients[1] is clients[2]
        # kombu replaces its pool after a connection error: a client for the new one.
        channel._disconnect_pools()
        with channel.conn_or_acquire() as client:
            assert client is not clients[0]
            assert client.connection_pool is channel.pool
        assert len(made) == 2
        # A client handed in is used as it is.
        with channel.conn_or_acquire(clients[0]) as client:
            assert client is clients[0]
