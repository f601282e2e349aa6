import pytest
from django.test import Client

from accounts.models import User
from accounts.tests.factories import SellerFactory, UserFactory
from accounts.views import (
    CustomerPasswordChangeView,
    CustomerProfileView,
    GenericPasswordChangeView,
    GenericUserProfileView,
)

pytestmark = pytest.mark.django_db

PROFILE = "/account/profile/"
PASSWORD = "/account/password/"


@pytest.mark.parametrize("path", [PROFILE, PASSWORD])
def test_panel_pages_need_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/account/login/?next={path}"


def test_customer_views_only_configure_the_generic_ones():
    assert issubclass(CustomerProfileView, GenericUserProfileView)
    assert issubclass(CustomerPasswordChangeView, GenericPasswordChangeView)
    for view in (CustomerProfileView, CustomerPasswordChangeView):
        own = {k for k in vars(view) if not k.startswith("__")}
        assert own <= {"template_name", "active_page", "form_class"}


def test_profile_shows_email_read_only_and_name_editable(client):
    user = UserFactory(full_name="Ada Reader")
    client.force_login(user)
    response = client.get(PROFILE)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{user.email}" readonly disabled' in html
    assert 'name="full_name"' in html
    assert 'name="email"' not in html
    assert response.context["active_page"] == "profile"


def test_profile_saves_the_name(client):
    user = UserFactory(full_name="Ada Reader")
    client.force_login(user)
    response = client.post(PROFILE, {"full_name": "  Ada Lovelace "}, follow=True)
    assert response.redirect_chain == [(PROFILE, 302)]
    assert "Your profile is saved" in response.content.decode()
    user.refresh_from_db()
    assert user.full_name == "Ada Lovelace"


def test_forged_post_cannot_change_email_or_roles(client):
    user = UserFactory(email="me@example.com")
    client.force_login(user)
    client.post(
        PROFILE,
        {
            "full_name": "New Name",
            "email": "attacker@example.com",
            "is_staff": "on",
            "is_seller": "on",
            "email_verified": "on",
        },
    )
    user.refresh_from_db()
    assert user.full_name == "New Name"
    assert user.email == "me@example.com"
    assert not (user.is_staff or user.is_seller or user.email_verified)
    assert not User.objects.filter(email="attacker@example.com").exists()


def test_profile_page_query_count_does_not_grow(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    with django_assert_max_num_queries(6):
        assert client.get(PROFILE).status_code == 200
    UserFactory.create_batch(10)
    with django_assert_max_num_queries(6):
        assert client.get(PROFILE).status_code == 200


def test_password_change_ends_every_session_and_returns_to_login(client):
    user = UserFactory()
    other_device = Client()
    other_device.force_login(user)
    client.force_login(user)
    assert other_device.get("/account/").status_code == 200

    response = client.post(
        PASSWORD,
        {
            "old_password": "correct-horse-9",
            "new_password1": "velvet-harbor-63",
            "new_password2": "velvet-harbor-63",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/login/"
    login_page = client.get(response["Location"])
    assert "Log in again with the new one" in login_page.content.decode()

    assert client.get("/account/").status_code == 302
    assert other_device.get("/account/").status_code == 302
    user.refresh_from_db()
    assert user.check_password("velvet-harbor-63")
    relogin = client.post(
        "/account/login/", {"username": user.email, "password": "velvet-harbor-63"}
    )
    assert relogin["Location"] == "/account/"


def test_password_change_needs_the_old_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        PASSWORD,
        {
            "old_password": "not-it",
            "new_password1": "velvet-harbor-63",
            "new_password2": "velvet-harbor-63",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    assert client.get("/account/").status_code == 200
    user.refresh_from_db()
    assert user.check_password("correct-horse-9")


def test_seller_uses_the_same_panel_pages_as_a_customer(client):
    seller = SellerFactory()
    client.force_login(seller)
    html = client.get(PROFILE).content.decode()
    assert 'href="/admin/">Admin</a>' in html
    assert client.get(PASSWORD).status_code == 200
