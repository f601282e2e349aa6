"""Through Redis and a real Celery worker: a Bot API 5xx is retried with backoff."""

import time

import pytest
from django.core import mail

from support import services, tasks

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.05)
    return predicate()


@pytest.fixture
def redis_worker(monkeypatch, celery_worker_redis):
    # Keep the exponential backoff but start it at 1 s so the test stays short.
    monkeypatch.setattr(tasks.support_seller_telegram_task, "retry_backoff", 1)
    return celery_worker_redis


def test_worker_retries_telegram_after_5xx_and_mails_once(
    customer, product, purchase, fake_bot_api, redis_worker
):
    fake_bot_api.fail_next = 2
    support_request = services.support_request_create(
        customer=customer, product=product, subject="Worker path", message="Hi."
    )
    assert wait_for(lambda: len(fake_bot_api.sent) == 1)
    assert fake_bot_api.calls.count("sendMessage") == 3
    assert f"New support request #{support_request.pk}" in fake_bot_api.sent[0]["text"]
    assert wait_for(lambda: len(mail.outbox) == 1)
    time.sleep(0.5)
    # The e-mail task is separate: Telegram's retries did not send it again.
    assert [m.to for m in mail.outbox] == [["seller@example.com"]]
