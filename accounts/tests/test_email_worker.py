"""Account e-mails go through the broker and a real Celery worker on Redis."""

import re
import time

import pytest
from django.core import mail

from accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_for_mail(count, timeout=20.0):
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return mail.outbox


def test_registration_and_reset_mails_are_sent_by_the_worker(
    client, celery_worker_redis
):
    # The request commits, on_commit publishes to Redis, the worker thread consumes.
    response = client.post(
        "/account/register/",
        {
            "email": "worker@example.com",
            "full_name": "Wren Worker",
            "password1": "granite-sparrow-44",
            "password2": "granite-sparrow-44",
        },
    )
    assert response.status_code == 302
    (verify_mail,) = _wait_for_mail(1)
    assert verify_mail.to == ["worker@example.com"]
    path = re.search(r"/account/verify/\S+/", verify_mail.body)[0]
    assert client.get(path)["Location"] == "/account/"
    assert User.objects.get(email="worker@example.com").email_verified

    client.logout()
    client.post("/account/password-reset/", {"email": "worker@example.com"})
    outbox = _wait_for_mail(2)
    assert len(outbox) == 2
    assert "/account/password-reset/" in outbox[1].body
    assert outbox[1].alternatives[0][1] == "text/html"
