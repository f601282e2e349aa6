"""Wagtail's user screens work with our e-mail-based user and its role flags."""

import pytest
from django.urls import reverse

from accounts.models import SELLERS_GROUP, User

from .factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory())
    return client


def _create_payload(**overrides):
    data = {
        "email": "New.Seller@Example.com",
        "full_name": "New Seller",
        "is_customer": "on",
        "is_seller": "on",
        "password1": "a-Long-unique-pass-42",
        "password2": "a-Long-unique-pass-42",
    }
    data.update(overrides)
    return data


def test_create_user_screen_renders_role_fields(admin_client):
    response = admin_client.get(reverse("wagtailusers_users:add"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("email", "full_name", "is_customer", "is_seller", "is_staff"):
        assert f'name="{name}"' in html
    assert 'name="first_name"' not in html


def test_admin_creates_seller_who_lands_in_sellers_group(admin_client):
    response = admin_client.post(reverse("wagtailusers_users:add"), _create_payload())

    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new.seller@example.com")
    assert user.full_name == "New Seller"
    assert user.is_seller and user.is_customer and not user.is_staff
    assert user.groups.filter(name=SELLERS_GROUP).exists()
    assert user.check_password("a-Long-unique-pass-42")


def test_admin_create_refuses_case_variant_of_existing_email(admin_client):
    UserFactory(email="taken@example.com")

    response = admin_client.post(
        reverse("wagtailusers_users:add"), _create_payload(email="TAKEN@Example.com")
    )

    assert response.status_code == 200
    assert "An account with this e-mail address already exists." in (
        response.content.decode()
    )
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_admin_edit_toggles_roles_and_keeps_group_in_line(admin_client):
    user = UserFactory(email="shopper@example.com", full_name="Shopper")
    url = reverse("wagtailusers_users:edit", args=[user.pk])
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(
        url,
        {
            "email": "shopper@example.com",
            "full_name": "Shopper Renamed",
            "is_customer": "on",
            "is_seller": "on",
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.full_name == "Shopper Renamed"
    assert user.is_seller
    # The groups box was left empty, yet the seller flag keeps the group.
    assert user.groups.filter(name=SELLERS_GROUP).exists()


def test_seller_enters_admin_and_customer_does_not(client):
    seller = UserFactory(is_seller=True)
    customer = UserFactory()

    client.force_login(seller)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200

    client.force_login(customer)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_user_edit_screen_shows_the_users_purchases(admin_client):
    from commerce.tests.factories import PurchasedProductFactory

    active = PurchasedProductFactory(order__product__title="Icon Set")
    buyer = active.user
    revoked = PurchasedProductFactory(
        order__user=buyer, order__product__title="Old Course", revoke_reason="refund"
    )
    revoked.revoked_at = revoked.granted_at
    revoked.save()
    PurchasedProductFactory(order__product__title="Someone Else's Book")

    response = admin_client.get(reverse("wagtailusers_users:edit", args=[buyer.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Icon Set" in html and "Active" in html
    assert "Old Course" in html and "Revoked" in html and "(refund)" in html
    assert active.order.dodo_payment_id in html
    assert "Someone Else" not in html


def test_user_edit_screen_says_when_there_are_no_purchases(admin_client):
    user = UserFactory()
    response = admin_client.get(reverse("wagtailusers_users:edit", args=[user.pk]))
    assert "No purchases." in response.content.decode()
