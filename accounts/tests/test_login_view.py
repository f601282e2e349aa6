import pytest
from django.urls import reverse

from accounts.tests.factories import SellerFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
PASSWORD = "correct-horse-9"


def _login(client, user, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": user.email, "password": password, **extra})


def test_login_page_renders_with_links(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html
    assert reverse("accounts:register") in html
    assert reverse("accounts:password_reset") in html


def test_customer_lands_on_the_panel(client):
    user = UserFactory()
    response = _login(client, user)
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_is_case_insensitive_on_the_email(client):
    user = UserFactory(email="mixed@example.com")
    response = client.post(
        LOGIN, {"username": "  MIXED@Example.com ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize("factory", [SellerFactory, StaffFactory])
def test_seller_and_staff_land_in_the_wagtail_admin(client, factory):
    response = _login(client, factory())
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home") == "/admin/"


def test_wrong_password_is_refused(client):
    user = UserFactory()
    response = _login(client, user, password="wrong-password")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_user_is_refused_with_a_clear_message(client):
    user = UserFactory(is_active=False)
    response = _login(client, user)
    assert response.status_code == 200
    assert "This account is deactivated" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_message_needs_the_right_password(client):
    user = UserFactory(is_active=False)
    response = _login(client, user, password="wrong-password")
    html = response.content.decode()
    assert "deactivated" not in html
    assert "do not match an account" in html


def test_safe_next_is_honoured(client):
    user = SellerFactory()
    response = _login(client, user, next="/products/some-product/?ref=buy")
    assert response["Location"] == "/products/some-product/?ref=buy"


def test_next_from_the_query_string_reaches_the_form(client):
    response = client.get(LOGIN, {"next": "/products/42/"})
    assert 'name="next" value="/products/42/"' in response.content.decode()


@pytest.mark.parametrize(
    "unsafe",
    [
        "https://evil.example/",
        "//evil.example/account/",
        "javascript:alert(1)",
        "https:///evil.example",
        "\\\\evil.example",
    ],
)
def test_unsafe_next_is_ignored(client, unsafe):
    response = _login(client, UserFactory(), next=unsafe)
    assert response.status_code == 302
    assert response["Location"] == "/account/"


def test_unsafe_next_is_not_echoed_into_the_form(client):
    response = client.get(LOGIN, {"next": "https://evil.example/"})
    assert "evil.example" not in response.content.decode()


def test_signed_in_visitor_is_sent_on(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/account/"


def test_repeated_failures_lock_out_that_account_from_that_address(client, settings):
    user = UserFactory()
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = _login(client, user, password="wrong-password")
        assert response.status_code == 200
    response = _login(client, user, password="wrong-password")
    assert response.status_code == 429
    # Even the right password is refused now, with the lockout page.
    response = _login(client, user)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed attempts" in html
    assert user.email in html
    assert "_auth_user_id" not in client.session
    # The lock is per account and address: another address can still sign in.
    other = client.post(
        LOGIN,
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR="10.9.8.7",
    )
    assert other.status_code == 302
    assert other["Location"] == "/account/"


def test_success_resets_the_failure_count(client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, user, password="wrong-password")
    assert _login(client, user).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, user, password="wrong-password").status_code == 200
    assert _login(client, user).status_code == 302


def test_logout_by_post_ends_the_session(client):
    client.force_login(UserFactory())
    response = client.post("/account/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    assert client.get("/account/").status_code == 302
