"""Celery set up as its reliability guide says; transient errors are retried."""

from __future__ import annotations

import smtplib

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core import checks, mail
from django.db import InterfaceError, OperationalError
from telegram.error import NetworkError, TimedOut

from accounts.tasks import verification_email_send_task
from accounts.tests.factories import UserFactory
from outbox import checks as outbox_checks
from outbox.models import EffectDelivery
from outbox.reliable import is_transient, retry_countdown
from site_config.celery import app


def test_acks_late_and_a_lost_worker_gives_its_task_back():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_visibility_timeout_brings_tasks_back_within_minutes_and_outlasts_countdowns():
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert 60 <= visibility <= 15 * 60
    assert settings.CELERY_MAX_COUNTDOWN < visibility
    # Every wait a task can ask for, at any retry, stays below it.
    for retries in range(30):
        for base, maximum in [(30, 30 * 60), (10, 600), (5, 10**6)]:
            wait = retry_countdown(retries=retries, base=base, maximum=maximum)
            assert 0 < wait <= settings.CELERY_MAX_COUNTDOWN


def test_backoff_grows_and_is_jittered():
    waits = [retry_countdown(retries=2, base=10, maximum=600) for _ in range(50)]
    assert all(20 <= w <= 40 for w in waits)
    assert len(set(waits)) > 1
    assert retry_countdown(retries=0, base=10, maximum=600) <= 10


def test_no_result_backend_and_publishes_are_bounded():
    assert not app.conf.result_backend
    assert app.conf.task_ignore_result is True
    policy = app.conf.task_publish_retry_policy
    assert policy["max_retries"] <= 2
    assert policy["interval_max"] <= 0.5
    assert app.conf.broker_connection_timeout <= 2
    options = app.conf.broker_transport_options
    assert options["socket_connect_timeout"] <= 2
    assert options["max_retries"] <= 2


def test_mail_has_a_timeout():
    assert 0 < settings.EMAIL_TIMEOUT <= 30


@pytest.mark.parametrize(
    "exc",
    [
        smtplib.SMTPServerDisconnected("gone"),
        smtplib.SMTPDataError(451, b"try later"),
        ConnectionRefusedError(),
        TimeoutError(),
        OperationalError("server closed the connection"),
        InterfaceError("connection already closed"),
        SoftTimeLimitExceeded(),
        NetworkError("Bad Gateway"),
        TimedOut(),
    ],
)
def test_transient_errors(exc):
    assert is_transient(exc)


@pytest.mark.parametrize(
    "exc",
    [
        smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"no such user")}),
        smtplib.SMTPDataError(554, b"rejected"),
        ValueError("bug"),
        KeyError("bug"),
    ],
)
def test_permanent_errors(exc):
    assert not is_transient(exc)


@pytest.mark.django_db
def test_a_redelivered_effect_task_sends_nothing_twice():
    user = UserFactory()
    verification_email_send_task.apply(args=[user.pk], task_id="delivery-1")
    verification_email_send_task.apply(args=[user.pk], task_id="delivery-1")
    assert len(mail.outbox) == 1
    assert EffectDelivery.objects.filter(key="delivery-1").count() == 1
    # Another task id is another effect.
    verification_email_send_task.apply(args=[user.pk], task_id="delivery-2")
    assert len(mail.outbox) == 2


class DatabaseDownOnce:
    """An e-mail backend whose first send meets a database error (as a task would)."""

    calls = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        DatabaseDownOnce.calls += 1
        if DatabaseDownOnce.calls == 1:
            raise OperationalError("could not connect to server")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.mark.django_db
def test_a_database_error_is_retried(settings):
    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False  # follow the retry path inline
    settings.EMAIL_BACKEND = f"{__name__}.DatabaseDownOnce"
    DatabaseDownOnce.calls = 0
    try:
        result = verification_email_send_task.apply(args=[UserFactory().pk])
    finally:
        app.conf.task_eager_propagates = previous
    assert result.successful()
    assert DatabaseDownOnce.calls == 2
    assert len(mail.outbox) == 1


def test_broker_without_persistence_is_a_deploy_warning(private_redis, settings):
    settings.CELERY_BROKER_URL = private_redis.url  # runs with appendonly no
    messages = outbox_checks.broker_persistence_check()
    assert [m.id for m in messages] == [outbox_checks.AOF_OFF]
    assert messages[0].level == checks.WARNING


def test_broker_with_aof_passes_the_deploy_check(settings, tmp_path):
    from site_config.tests.faults import PrivateRedis

    server = PrivateRedis("--appendonly", "yes", "--dir", str(tmp_path))
    try:
        settings.CELERY_BROKER_URL = server.url
        assert outbox_checks.broker_appendonly(server.url) == "yes"
        assert outbox_checks.broker_persistence_check() == []
    finally:
        server.stop()


def test_unreachable_broker_is_not_the_deploy_checks_business(settings):
    from site_config.tests.faults import free_port

    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    assert outbox_checks.broker_persistence_check() == []
