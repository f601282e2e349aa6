"""Broker down during registration: the page answers at once; the mail comes later."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from outbox.models import OutboxMessage
from site_config.tests.faults import assert_fast, relay_and_work, timed

pytestmark = [pytest.mark.chaos, pytest.mark.django_db(transaction=True)]


def _register(client, email: str):
    client.logout()
    return client.post(
        "/account/register/",
        {
            "email": email,
            "full_name": "Broker Down",
            "password1": "lantern-orbit-57",
            "password2": "lantern-orbit-57",
        },
    )


def test_registration_with_the_broker_down_then_the_mail_once(client, chaos_celery):
    response, baseline = timed(lambda: _register(client, "up@example.com"))
    assert response.status_code == 302
    chaos_celery.redis.stop()
    response, seconds = timed(lambda: _register(client, "down@example.com"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_sent")
    assert_fast(seconds, baseline, "registration")
    user = User.objects.get(email="down@example.com")
    pending = OutboxMessage.objects.filter(published_at=None)
    assert "accounts.verification_email_send" in {m.task_name for m in pending}

    chaos_celery.redis.start()

    def mine():
        return [m for m in mail.outbox if m.to == [user.email]]

    assert relay_and_work(chaos_celery, mine)
    assert len(mine()) == 1
    assert "/account/verify/" in mine()[0].body
    assert not OutboxMessage.objects.filter(published_at=None).exists()
