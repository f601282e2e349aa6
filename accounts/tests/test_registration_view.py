import pytest
from django.core import mail

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


def test_registration_creates_a_logged_in_customer_and_sends_the_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(REGISTER, GOOD)
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    user = User.objects.get(email="new.buyer@example.com")
    assert user.is_customer and not user.is_seller and not user.is_staff
    assert not user.email_verified
    assert user.full_name == "New Buyer"
    assert user.check_password("lantern-orbit-57")
    assert user.verification_sent_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)
    # The verification e-mail (and, from commerce, the Dodo customer sync).
    assert len(callbacks) >= 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.buyer@example.com"]
    assert "/account/verify/" in mail.outbox[0].body


def test_registration_honours_a_safe_next(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, {**GOOD, "next": "/products/7/"})
    assert response["Location"] == "/products/7/"


def test_registration_ignores_an_unsafe_next(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, {**GOOD, "next": "//evil.example/"})
    assert response["Location"] == "/account/"


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


def test_existing_email_is_refused_whatever_the_case(client):
    UserFactory(email="taken@example.com")
    response = client.post(REGISTER, {**GOOD, "email": "TAKEN@example.com"})
    assert response.status_code == 200
    assert "exists already" in response.content.decode()
    assert User.objects.count() == 1
