"""Google sign-in through social-auth's real views; only Google's HTTP is faked."""

from urllib.parse import parse_qs, urlparse

import pytest
import responses
from django.test import Client
from social_core.backends.google import GoogleOAuth2
from social_django.models import UserSocialAuth

from accounts.models import User
from accounts.tests.factories import SellerFactory, UserFactory

pytestmark = pytest.mark.django_db

USERINFO_URL = "https://www.googleapis.com/oauth2/v3/userinfo"


@pytest.fixture
def google_keys(settings):
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = "test-client-id.apps.googleusercontent.com"
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = "test-client-secret"


def _sign_in_with_google(client, userinfo, next_url=None):
    """Start the flow on our site, then return from Google with a faked answer."""
    start = client.post(
        "/account/social/login/google-oauth2/",
        {"next": next_url} if next_url else {},
    )
    assert start.status_code == 302
    google = urlparse(start["Location"])
    assert google.netloc == "accounts.google.com"
    state = parse_qs(google.query)["state"][0]
    with responses.RequestsMock() as fake_google:
        fake_google.post(
            GoogleOAuth2.ACCESS_TOKEN_URL,
            json={"access_token": "ya29.t", "token_type": "Bearer", "expires_in": 3599},
        )
        fake_google.get(USERINFO_URL, json=userinfo)
        return client.get(
            "/account/social/complete/google-oauth2/",
            {"state": state, "code": "4/test-authorization-code"},
        )


def _userinfo(email, verified=True, sub="1099511627776"):
    return {
        "sub": sub,
        "email": email,
        "email_verified": verified,
        "name": "Gia Google",
        "given_name": "Gia",
        "family_name": "Google",
    }


def test_button_hidden_without_keys(client):
    html = client.get("/account/login/").content.decode()
    assert "Continue with Google" not in html


def test_button_shown_with_keys(client, google_keys):
    for path in ("/account/login/", "/account/register/"):
        html = client.get(path).content.decode()
        assert "Continue with Google" in html
        assert 'action="/account/social/login/google-oauth2/"' in html


def test_new_google_user_becomes_a_verified_customer(client, google_keys):
    response = _sign_in_with_google(client, _userinfo("Gia@Example.com"))
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    user = User.objects.get(email="gia@example.com")
    assert user.email_verified and user.is_customer and not user.is_seller
    assert user.full_name == "Gia Google"
    assert not user.has_usable_password()
    assert client.session["_auth_user_id"] == str(user.pk)
    assert UserSocialAuth.objects.get(user=user).uid == "1099511627776"


def test_returning_google_user_signs_in_to_the_same_account(client, google_keys):
    _sign_in_with_google(client, _userinfo("gia@example.com"))
    client.logout()
    response = _sign_in_with_google(client, _userinfo("gia@example.com"))
    assert response["Location"] == "/account/"
    assert User.objects.filter(email="gia@example.com").count() == 1


def test_verified_google_email_links_the_existing_account(client, google_keys):
    seller = SellerFactory(email="sam@example.com", email_verified=False)
    response = _sign_in_with_google(client, _userinfo("sam@example.com"))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(seller.pk)
    assert UserSocialAuth.objects.get(provider="google-oauth2").user == seller
    seller.refresh_from_db()
    assert seller.email_verified
    # The address was never proven before: the password may be a squatter's.
    assert not seller.has_usable_password()
    assert not seller.check_password("correct-horse-9")
    assert User.objects.count() == 1


def test_squatter_loses_a_pre_registered_unverified_account(client, google_keys):
    """Someone registered the victim's address with a password and never verified
    it; the real owner then signs in with Google. The squatter's password and
    session stop working; the owner gets the account."""
    squatter = Client()
    victim_account = UserFactory(email="vic@example.com", email_verified=False)
    squatter.force_login(victim_account)
    assert squatter.get("/account/").status_code == 200

    response = _sign_in_with_google(client, _userinfo("vic@example.com"))

    assert response["Location"] == "/account/"
    assert client.session["_auth_user_id"] == str(victim_account.pk)
    victim_account.refresh_from_db()
    assert victim_account.email_verified
    assert not victim_account.check_password("correct-horse-9")
    # The squatter's old session died with the password (session auth hash).
    assert squatter.get("/account/").status_code == 302
    # And the password no longer logs in.
    attempt = squatter.post(
        "/account/login/",
        {"username": "vic@example.com", "password": "correct-horse-9"},
    )
    assert "_auth_user_id" not in squatter.session
    assert attempt.status_code == 200
    assert client.get("/account/").status_code == 200


def test_verified_account_keeps_its_password_when_linked(client, google_keys):
    owner = UserFactory(email="val@example.com", email_verified=True)
    response = _sign_in_with_google(client, _userinfo("val@example.com"))
    assert response["Location"] == "/account/"
    assert UserSocialAuth.objects.get(provider="google-oauth2").user == owner
    owner.refresh_from_db()
    assert owner.email_verified
    assert owner.check_password("correct-horse-9")


def test_unverified_google_email_is_not_linked(client, google_keys):
    existing = UserFactory(email="victim@example.com")
    response = _sign_in_with_google(
        client, _userinfo("victim@example.com", verified=False)
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    assert "_auth_user_id" not in client.session
    assert not UserSocialAuth.objects.exists()
    assert User.objects.get() == existing
    page = client.get(response["Location"])
    assert "verified" in page.content.decode()


def test_safe_next_survives_the_round_trip(client, google_keys):
    response = _sign_in_with_google(
        client, _userinfo("gia@example.com"), next_url="/products/12/"
    )
    assert response["Location"] == "/products/12/"


def test_unsafe_next_is_dropped(client, google_keys):
    response = _sign_in_with_google(
        client, _userinfo("gia@example.com"), next_url="https://evil.example/"
    )
    assert response["Location"] == "/account/"


def test_inactive_linked_account_is_not_signed_in(client, google_keys):
    _sign_in_with_google(client, _userinfo("gia@example.com"))
    client.logout()
    User.objects.filter(email="gia@example.com").update(is_active=False)
    response = _sign_in_with_google(client, _userinfo("gia@example.com"))
    assert response["Location"].startswith("/account/login/")
    assert "_auth_user_id" not in client.session
