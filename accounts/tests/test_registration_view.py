import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/account/register/"
GOOD = {
    "email": "New.Buyer@Example.com",
    "full_name": "New Buyer",
    "password1": "lantern-orbit-57",
    "password2": "lantern-orbit-57",
}


def _verify_path(message):
    return re.search(r"/account/verify/\S+/", message.body)[0]


def test_registration_creates_a_customer_signed_in_by_the_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(REGISTER, GOOD)
    assert response.status_code == 302
    assert response["Location"] == "/account/register/sent/"
    user = User.objects.get(email="new.buyer@example.com")
    assert user.is_customer and not user.is_seller and not user.is_staff
    assert not user.email_verified
    assert user.full_name == "New Buyer"
    assert user.check_password("lantern-orbit-57")
    assert user.verification_sent_at is not None
    # Not signed in until the address is proven (an existing address gets the
    # same answer, so signing in here would tell the two apart).
    assert "_auth_user_id" not in client.session
    sent = client.get(response["Location"]).content.decode()
    assert "Check your inbox" in sent and "new.buyer@example.com" in sent
    # The verification e-mail (and, from commerce, the Dodo customer sync).
    assert len(callbacks) >= 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.buyer@example.com"]

    # Its link, in the browser that registered, confirms and signs in.
    landed = client.get(_verify_path(mail.outbox[0]))
    assert landed["Location"] == "/account/"
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.email_verified


def test_the_link_in_another_browser_confirms_but_does_not_sign_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER, GOOD)
    other = Client()
    landed = other.get(_verify_path(mail.outbox[0]))
    assert landed.status_code == 302
    assert "_auth_user_id" not in other.session
    assert User.objects.get(email="new.buyer@example.com").email_verified


def test_registration_honours_a_safe_next(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER, {**GOOD, "next": "/products/7/"})
    assert client.get(_verify_path(mail.outbox[0]))["Location"] == "/products/7/"


def test_registration_ignores_an_unsafe_next(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER, {**GOOD, "next": "//evil.example/"})
    assert client.get(_verify_path(mail.outbox[0]))["Location"] == "/account/"


def test_the_sent_page_without_a_registration_goes_back_to_the_form(client):
    assert client.get("/account/register/sent/")["Location"] == REGISTER


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password1": "short", "password2": "short"}, "password1"),
        ({"password1": "password123", "password2": "password123"}, "password1"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1"),
        ({"password2": "something-else-42"}, "password2"),
        ({"email": "not-an-email"}, "email"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_invalid_registration_is_refused(client, change, field):
    response = client.post(REGISTER, {**GOOD, **change})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not User.objects.exists()
    assert mail.outbox == []


def test_password_similar_to_the_email_is_refused(client):
    data = {**GOOD, "password1": "new.buyer.example", "password2": "new.buyer.example"}
    response = client.post(REGISTER, data)
    assert response.context["form"].errors["password1"]


def test_an_existing_address_gets_the_same_answer_and_its_owner_an_email(
    django_capture_on_commit_callbacks,
):
    """Registration does not reveal which addresses have accounts."""
    owner = UserFactory(email="taken@example.com", full_name="Tara Taken")
    owner_password = owner.password
    answers = []
    for email in ("TAKEN@example.com", "free@example.com"):
        visitor = Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = visitor.post(REGISTER, {**GOOD, "email": email})
        page = visitor.get(response["Location"])
        answers.append(
            (
                response.status_code,
                response["Location"],
                page.status_code,
                re.sub(
                    r'"X-CSRFToken": "\w+"',
                    "",
                    page.content.decode().replace(email.lower(), "ADDRESS"),
                ),
                "_auth_user_id" in visitor.session,
            )
        )
    assert answers[0] == answers[1]
    assert answers[0][:2] == (302, "/account/register/sent/")

    # Nothing about the existing account changed; one new account was made.
    owner.refresh_from_db()
    assert owner.password == owner_password and owner.full_name == "Tara Taken"
    assert User.objects.filter(email="taken@example.com").count() == 1
    assert User.objects.count() == 2

    notice, verification = mail.outbox
    assert notice.to == ["taken@example.com"]
    assert "tried to register" in notice.subject
    assert "/account/login/" in notice.body
    assert "/account/password-reset/" in notice.body
    assert "/account/verify/" not in notice.body
    assert notice.alternatives[0][1] == "text/html"
    assert verification.to == ["free@example.com"]
