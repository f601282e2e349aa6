"""'E-mail me my purchases': one-time, 15-minute sign-in links from the login page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.magic_links import MagicLink
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REQUEST = "/account/login/link/"


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def send(email, ip="203.0.113.9"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(REQUEST, {"email": email}, REMOTE_ADDR=ip)

    return send


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/account/login/link/[^/\s]+/)", message.body)[1]


def test_the_login_page_offers_it(client):
    assert REQUEST in client.get("/account/login/").content.decode()


def test_the_link_signs_in_to_the_library_once(client, ask, mailoutbox):
    user = UserFactory(email="buyer@example.com", email_verified=False)
    response = ask("Buyer@Example.com")
    assert response.status_code == 200
    assert [m.to for m in mailoutbox] == [["buyer@example.com"]]
    assert "15 minutes" in mailoutbox[0].body
    path = link_in(mailoutbox[0])
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert not MagicLink.objects.filter(token_digest=token).exists()  # digest only

    # Opening it (what a mail scanner does) does not spend it or sign in.
    assert client.get(path).status_code == 200
    assert "_auth_user_id" not in client.session
    signed_in = client.post(path)
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/account/products/"
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.email_verified  # the link proved the mailbox

    client.logout()
    again = client.post(path)
    assert again.status_code == 400
    assert "_auth_user_id" not in client.session


def test_an_expired_link_does_not_sign_in(client, ask, mailoutbox):
    UserFactory(email="late@example.com")
    ask("late@example.com")
    path = link_in(mailoutbox[0])
    link = MagicLink.objects.get()
    assert link.expires_at - link.created_at == timedelta(minutes=15)
    MagicLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.post(path).status_code == 400
    assert "_auth_user_id" not in client.session


def test_garbage_tokens_are_refused_not_errors(client):
    for token in ("x", "a" * 300, "%00"):
        assert client.post(f"{REQUEST}{token}/").status_code in (400, 404)


def test_no_enumeration_the_page_is_the_same_and_only_owners_get_mail(ask, mailoutbox):
    UserFactory(email="known@example.com")
    UserFactory(email="gone@example.com", is_active=False)
    known = ask("known@example.com").content.decode()
    unknown = ask("nobody@example.com").content.decode()
    inactive = ask("gone@example.com").content.decode()

    def strip(html, email):
        return html.replace(email, "EMAIL")

    assert strip(known, "known@example.com") == strip(unknown, "nobody@example.com")
    assert strip(unknown, "nobody@example.com") == strip(inactive, "gone@example.com")
    assert [m.to for m in mailoutbox] == [["known@example.com"]]
    assert MagicLink.objects.count() == 1


def test_throttled_per_address_from_any_ip(ask, mailoutbox, settings):
    settings.THROTTLE_RATES = {
        **settings.THROTTLE_RATES,
        "magic_link": {"ip": "100/h", "account": "2/h"},
    }
    UserFactory(email="target@example.com")
    assert ask("target@example.com", ip="198.51.100.1").status_code == 200
    assert ask("target@example.com", ip="198.51.100.2").status_code == 200
    refused = ask("target@example.com", ip="198.51.100.3")
    assert refused.status_code == 429
    assert len(mailoutbox) == 2


def test_throttled_per_ip_across_addresses(ask, mailoutbox, settings):
    settings.THROTTLE_RATES = {
        **settings.THROTTLE_RATES,
        "magic_link": {"ip": "2/h", "account": "100/h"},
    }
    assert ask("a@example.com").status_code == 200
    assert ask("b@example.com").status_code == 200
    assert ask("c@example.com").status_code == 429
