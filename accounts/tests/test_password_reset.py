import re

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = "/account/password-reset/"


@pytest.fixture
def request_reset(client, django_capture_on_commit_callbacks):
    def post(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET, {"email": email})

    return post


def _link_path():
    return re.search(r"/account/password-reset/\S+/\S+/", mail.outbox[-1].body)[0]


def test_unknown_email_gets_the_same_answer_and_no_mail(client, request_reset):
    UserFactory(email="known@example.com")
    known = request_reset("known@example.com")
    assert len(mail.outbox) == 1
    unknown = request_reset("nobody@example.com")
    assert len(mail.outbox) == 1
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/account/password-reset/sent/"
    page = client.get(unknown["Location"])
    assert "If an account uses that e-mail address" in page.content.decode()


def test_inactive_account_gets_no_mail(client, request_reset):
    UserFactory(email="gone@example.com", is_active=False)
    response = request_reset("gone@example.com")
    assert response.status_code == 302
    assert mail.outbox == []


def test_reset_mail_has_text_and_html(client, request_reset):
    UserFactory(email="known@example.com")
    request_reset("KNOWN@example.com")
    (message,) = mail.outbox
    assert message.to == ["known@example.com"]
    assert "Reset your" in message.subject
    assert _link_path() in message.alternatives[0][0]


def test_reset_link_sets_the_password_and_works_only_once(client, request_reset):
    user = UserFactory(email="known@example.com")
    request_reset(user.email)
    link = _link_path()

    form_page = client.get(link, follow=True)
    set_password_url = form_page.redirect_chain[-1][0]
    assert form_page.context["validlink"] is True
    done = client.post(
        set_password_url,
        {"new_password1": "quiet-meadow-81", "new_password2": "quiet-meadow-81"},
    )
    assert done.status_code == 302
    assert done["Location"] == "/account/password-reset/complete/"
    user.refresh_from_db()
    assert user.check_password("quiet-meadow-81")

    # As Django does, the user is sent to log in; the new password works.
    assert "_auth_user_id" not in client.session
    login = client.post(
        "/account/login/", {"username": user.email, "password": "quiet-meadow-81"}
    )
    assert login["Location"] == "/account/"
    client.logout()

    reused = client.get(link, follow=True)
    assert reused.context["validlink"] is False
    assert "already used or has expired" in reused.content.decode()


def test_reset_link_expires(client, settings, request_reset):
    from datetime import datetime, timedelta

    from django.contrib.auth.tokens import default_token_generator

    user = UserFactory(email="known@example.com")
    request_reset(user.email)
    link = _link_path()
    token = link.rstrip("/").rsplit("/", 1)[1]
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    default_token_generator._now = lambda: later
    try:
        assert not default_token_generator.check_token(user, token)
        response = client.get(link, follow=True)
        assert response.context["validlink"] is False
    finally:
        del default_token_generator._now
