import re
import smtplib
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.utils import timezone

from accounts.models import User
from accounts.services import VerificationSend, verification_email_request
from accounts.tasks import verification_email_send_task
from accounts.tests.factories import SellerFactory, UserFactory
from accounts.tokens import (
    VERIFICATION_LINK_MAX_AGE,
    VERIFICATION_RESEND_INTERVAL,
    verification_token_make,
)
from site_config.celery import app as celery_app

pytestmark = pytest.mark.django_db


def _verify_path(token):
    return f"/account/verify/{token}/"


def test_email_has_html_and_text_parts_with_the_link():
    user = UserFactory(full_name="Lena Park")
    assert verification_email_send_task.delay(user.pk).get() is True
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert "Confirm your e-mail" in message.subject
    link = re.search(r"https?://\S+/account/verify/\S+/", message.body).group(0)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert link in html
    assert "Hello Lena" in message.body and "Hello Lena" in html


def test_valid_link_verifies_and_redirects_customer_to_panel(client):
    user = UserFactory()
    response = client.get(_verify_path(verification_token_make(user)))
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    user.refresh_from_db()
    assert user.email_verified


def test_valid_link_redirects_seller_to_admin(client):
    seller = SellerFactory()
    client.force_login(seller)
    response = client.get(_verify_path(verification_token_make(seller)))
    assert response["Location"] == "/admin/"


def test_link_from_the_captured_email_works(client):
    user = UserFactory()
    verification_email_send_task.delay(user.pk)
    path = re.search(r"/account/verify/\S+/", mail.outbox[0].body).group(0)
    client.force_login(user)
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1][0] == "/account/"
    assert "your e-mail address is confirmed" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified


def test_a_link_opened_again_says_the_address_is_already_confirmed(client):
    # A second click, a mail scanner that fetched the link first, or a retry
    # whose first answer was lost: not an error, and nothing changes.
    user = UserFactory()
    path = _verify_path(verification_token_make(user))
    assert client.get(path).status_code == 302
    user.refresh_from_db()
    assert user.email_verified
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1] == ("/account/login/?next=/account/", 302)
    page = response.content.decode()
    assert "already confirmed" in page and "This link does not work" not in page
    # Only the browser that registered is signed in by a link; this one is not.
    assert "_auth_user_id" not in client.session


def test_a_link_opened_again_by_the_registering_browser_signs_it_in(client):
    # The first answer (with its new session cookie) was lost: the same
    # browser, still holding its registration, opens the link again.
    from accounts.auth_views import REGISTRATION_SESSION_KEY

    user = UserFactory()
    path = _verify_path(verification_token_make(user))
    assert client.get(path).status_code == 302
    session = client.session
    session[REGISTRATION_SESSION_KEY] = {"user_id": user.pk}
    session.save()
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_link_to_an_address_the_account_no_longer_uses_is_refused(client):
    user = UserFactory(email="old@example.com")
    token = verification_token_make(user)
    assert client.get(_verify_path(token)).status_code == 302
    User.objects.filter(pk=user.pk).update(
        email="new@example.com", email_verified=False
    )
    response = client.get(_verify_path(token))
    assert response.status_code == 400
    assert "no longer uses" in response.content.decode()
    user.refresh_from_db()
    assert not user.email_verified


def test_expired_link_is_refused(client, monkeypatch):
    user = UserFactory()
    issued = time.time() - VERIFICATION_LINK_MAX_AGE.total_seconds() - 60
    monkeypatch.setattr(signing.time, "time", lambda: issued)
    token = verification_token_make(user)
    monkeypatch.undo()
    response = client.get(_verify_path(token))
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    user.refresh_from_db()
    assert not user.email_verified


def test_link_just_inside_its_lifetime_still_works(client, monkeypatch):
    user = UserFactory()
    issued = time.time() - VERIFICATION_LINK_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: issued)
    token = verification_token_make(user)
    monkeypatch.undo()
    assert client.get(_verify_path(token)).status_code == 302


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "9999" + token[token.index(":") :],
        lambda token: token.split(":")[0],
        lambda token: "garbage",
    ],
)
def test_tampered_link_is_refused(client, tamper):
    user = UserFactory()
    response = client.get(_verify_path(tamper(verification_token_make(user))))
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


def test_link_for_another_users_id_cannot_be_forged():
    # A valid signature over user A does not verify user B.
    a, b = UserFactory(), UserFactory()
    token = verification_token_make(a)
    forged = token.replace(f"{a.pk}:", f"{b.pk}:", 1)
    from accounts.tokens import VerificationTokenError, verification_token_check

    with pytest.raises(VerificationTokenError):
        verification_token_check(forged)


def test_link_dies_when_the_address_changes(client):
    user = UserFactory(email="old@example.com")
    token = verification_token_make(user)
    User.objects.filter(pk=user.pk).update(email="new@example.com")
    assert client.get(_verify_path(token)).status_code == 400


def test_resend_sends_then_refuses_while_the_link_is_recent(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/account/verify/resend/", follow=True)
    assert len(mail.outbox) == 1
    assert "We sent a new link" in first.content.decode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = client.post("/account/verify/resend/", follow=True)
    assert callbacks == []
    assert len(mail.outbox) == 1
    assert "still valid" in second.content.decode()


def test_resend_works_again_after_the_interval(django_capture_on_commit_callbacks):
    user = UserFactory()
    user.verification_sent_at = (
        timezone.now() - VERIFICATION_RESEND_INTERVAL - timedelta(seconds=1)
    )
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert verification_email_request(user=user) is VerificationSend.SENT
    assert len(mail.outbox) == 1
    user.refresh_from_db()
    assert timezone.now() - user.verification_sent_at < timedelta(seconds=5)


def test_resend_does_nothing_for_a_verified_user(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email_verified=True)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/account/verify/resend/", follow=True)
    assert callbacks == []
    assert mail.outbox == []
    assert "already confirmed" in response.content.decode()
    user.refresh_from_db()
    assert user.verification_sent_at is None


def test_resend_needs_login_and_post(client):
    assert client.post("/account/verify/resend/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/account/verify/resend/").status_code == 405


def test_task_skips_a_user_verified_meanwhile():
    user = UserFactory(email_verified=True)
    assert verification_email_send_task.delay(user.pk).get() is False
    assert mail.outbox == []


class FlakyBackend:
    """An e-mail backend whose server drops the connection the first two times."""

    failures = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        if FlakyBackend.failures < 2:
            FlakyBackend.failures += 1
            raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")
        mail.outbox.extend(messages)
        return len(messages)


class RefusingBackend(FlakyBackend):
    calls = 0

    def send_messages(self, messages):
        RefusingBackend.calls += 1
        raise smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"no such user")})


@pytest.fixture
def no_eager_propagation():
    """Let eager ``apply()`` follow the retry path instead of raising at once."""
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = previous


def test_transient_smtp_errors_are_retried(settings, no_eager_propagation):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.failures = 0
    user = UserFactory()
    result = verification_email_send_task.apply(args=[user.pk])
    assert result.successful()
    assert FlakyBackend.failures == 2
    assert len(mail.outbox) == 1


def test_permanent_smtp_errors_are_not_retried(settings, no_eager_propagation):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.calls = 0
    user = UserFactory()
    result = verification_email_send_task.apply(args=[user.pk])
    assert result.failed()
    assert RefusingBackend.calls == 1
