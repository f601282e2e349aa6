import logging
import time

import pytest
from django.core import mail
from telegram.error import NetworkError, TimedOut

from site_config.tests.faults import HungServer
from support import notifications, services, tasks
from support.models import SellerSupportSettings, SupportRequest, SupportStatus

pytestmark = pytest.mark.django_db


def create(customer, product, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.support_request_create(
            customer=customer,
            product=product,
            subject="Cannot install",
            message="The installer stops at 40%.",
        )


def test_new_request_sends_telegram_text_through_the_bot_api(
    customer, product, purchase, fake_bot_api, django_capture_on_commit_callbacks
):
    support_request = create(customer, product, django_capture_on_commit_callbacks)
    assert len(fake_bot_api.sent) == 1
    sent = fake_bot_api.sent[0]
    assert sent["chat_id"] == "-100200300"
    assert sent["text"] == (
        f"New support request #{support_request.pk} for Theme Kit\n"
        "From: customer@example.com\n"
        "Subject: Cannot install\n\n"
        "The installer stops at 40%.\n\n"
        "Open: http://127.0.0.1:8000/admin/support/supportrequest/edit/"
        f"{support_request.pk}/"
    )


def test_customer_message_goes_to_the_sellers_own_chat(
    customer, product, purchase, fake_bot_api, django_capture_on_commit_callbacks
):
    SellerSupportSettings.objects.create(seller=product.seller, telegram_chat_id="42")
    support_request = create(customer, product, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.support_message_add(
            support_request=support_request, author=customer, body="Any update?"
        )
    assert [m["chat_id"] for m in fake_bot_api.sent] == ["42", "42"]
    assert fake_bot_api.sent[1]["text"].startswith(
        f"New message on support request #{support_request.pk} for Theme Kit"
    )
    assert "Any update?" in fake_bot_api.sent[1]["text"]


def test_seller_reply_does_not_ping_the_seller(
    customer, product, purchase, fake_bot_api, django_capture_on_commit_callbacks
):
    support_request = create(customer, product, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.support_message_add(
            support_request=support_request, author=product.seller, body="On it."
        )
    assert len(fake_bot_api.sent) == 1


def stored_request(customer, product, purchase):
    return SupportRequest.objects.create(
        customer=customer, product=product, purchase=purchase, subject="Crash",
        message="It crashes.",
    )  # fmt: skip


@pytest.fixture
def eager_retries():
    """Let eager tasks run Celery's retry path inline instead of raising ``Retry``."""
    from site_config.celery import app

    before = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = before


def test_5xx_makes_the_task_retry_until_it_gets_through(
    customer, product, purchase, fake_bot_api, eager_retries
):
    support_request = stored_request(customer, product, purchase)
    fake_bot_api.fail_next = 2
    result = tasks.support_seller_telegram_task.apply(args=[support_request.pk])
    assert result.successful()
    assert fake_bot_api.calls.count("sendMessage") == 3
    assert len(fake_bot_api.sent) == 1
    assert "It crashes." in fake_bot_api.sent[0]["text"]


def test_telegram_task_gives_up_after_its_retries(
    customer, product, purchase, fake_bot_api, eager_retries
):
    support_request = stored_request(customer, product, purchase)
    fake_bot_api.fail_next = 100
    fake_bot_api.fail_status = 502
    result = tasks.support_seller_telegram_task.apply(args=[support_request.pk])
    assert result.failed()
    assert isinstance(result.result, NetworkError)
    # The first try plus max_retries.
    assert fake_bot_api.calls.count("sendMessage") == 1 + tasks.RETRY["max_retries"]


def test_telegram_outage_never_rolls_back_the_request(
    customer, product, purchase, fake_bot_api, django_capture_on_commit_callbacks
):
    fake_bot_api.fail_next = 100
    support_request = create(customer, product, django_capture_on_commit_callbacks)
    assert SupportRequest.objects.filter(pk=support_request.pk).exists()
    assert fake_bot_api.sent == []
    # The e-mail, a separate task, still went out.
    assert [m.to for m in mail.outbox] == [[product.seller.email]]


def test_no_token_is_a_logged_no_op(
    customer, product, purchase, settings, caplog, django_capture_on_commit_callbacks
):
    settings.TELEGRAM_BOT_TOKEN = ""
    with caplog.at_level(logging.INFO, logger="support.notifications"):
        support_request = create(customer, product, django_capture_on_commit_callbacks)
    assert support_request.pk
    assert "Telegram not configured" in caplog.text


def test_emails_for_new_request_status_change_and_replies(
    customer, product, purchase, settings, django_capture_on_commit_callbacks
):
    settings.TELEGRAM_BOT_TOKEN = ""
    support_request = create(customer, product, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["seller@example.com"]
    assert "Cannot install" in mail.outbox[0].subject
    assert "The installer stops at 40%." in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        services.support_request_transition(
            support_request=support_request,
            actor=product.seller,
            to_status=SupportStatus.DISCUSSING,
        )
    status_mail = mail.outbox[1]
    assert status_mail.to == ["customer@example.com"]
    assert status_mail.subject == (
        f"Your support request #{support_request.pk} is now discussing"
    )
    assert "moved from new to discussing" in status_mail.body
    assert f"/support/{support_request.pk}/" in status_mail.body

    with django_capture_on_commit_callbacks(execute=True):
        services.support_message_add(
            support_request=support_request, author=product.seller, body="Call me."
        )
    assert mail.outbox[2].to == ["customer@example.com"]
    assert "Call me." in mail.outbox[2].body

    with django_capture_on_commit_callbacks(execute=True):
        services.support_message_add(
            support_request=support_request, author=customer, body="When?"
        )
    assert mail.outbox[3].to == ["seller@example.com"]
    assert "When?" in mail.outbox[3].body
    assert len(mail.outbox) == 4


def test_internal_notes_never_reach_the_customer_by_mail(
    customer, product, purchase, settings, django_capture_on_commit_callbacks
):
    settings.TELEGRAM_BOT_TOKEN = ""
    support_request = create(customer, product, django_capture_on_commit_callbacks)
    services.support_request_update_details(
        support_request=support_request,
        actor=product.seller,
        meeting_link="",
        internal_notes="SECRET-NOTE difficult customer",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.support_request_transition(
            support_request=support_request,
            actor=product.seller,
            to_status=SupportStatus.DISCUSSING,
        )
    assert all("SECRET-NOTE" not in m.body for m in mail.outbox)


@pytest.mark.chaos
def test_a_hung_telegram_times_out_within_its_deadline(settings):
    """Telegram accepts the connection and never answers: TimedOut, retried."""
    server = HungServer()
    settings.TELEGRAM_BOT_TOKEN = "123456:TEST-token"
    settings.TELEGRAM_API_BASE_URL = f"{server.url}/bot"
    settings.TELEGRAM_TIMEOUT_SECONDS = 1.5
    try:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            notifications.telegram_send(chat_id="-100200300", text="hello")
        elapsed = time.monotonic() - started
    finally:
        server.close()
    assert server.connections >= 1
    assert elapsed < 1.5 + 1
    assert issubclass(TimedOut, NetworkError)  # what the task retries
