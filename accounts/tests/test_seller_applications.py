"""Becoming a seller: a customer applies, staff approve or decline, both are told."""

import pytest
from django.core import mail

from accounts.models import SELLERS_GROUP, SellerApplication, User
from accounts.tests.factories import SellerFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/account/become-a-seller/"


@pytest.fixture
def customer(client):
    user = UserFactory(full_name="Cleo Customer", email="cleo@example.com")
    client.force_login(user)
    return user


def apply(client, capture, **data):
    data = {"seller_name": "Cleo's Fonts", "offer": "Display typefaces.", **data}
    with capture(execute=True):
        return client.post(URL, data, follow=True)


def test_anonymous_visitor_is_sent_to_log_in_and_back(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/account/become-a-seller/"
    login = client.get(response["Location"]).content.decode()
    # The login page offers registration that comes back here too.
    assert 'href="/account/register/?next=/account/become-a-seller/"' in login


def test_a_signed_in_customer_gets_the_form_not_a_bounce(client, customer):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="seller_name"' in html and 'value="Cleo Customer"' in html
    assert 'name="offer"' in html and "Send my application" in html


def test_apply_then_staff_approve(client, customer, django_capture_on_commit_callbacks):
    response = apply(client, django_capture_on_commit_callbacks)
    assert "Your application is sent" in response.content.decode()
    assert "Your application is waiting for review" in response.content.decode()
    application = SellerApplication.objects.get()
    assert (application.user, application.status) == (customer, "pending")
    # A second one while the first waits is refused.
    apply(client, django_capture_on_commit_callbacks, seller_name="Again")
    assert SellerApplication.objects.count() == 1

    staff = StaffFactory()
    client.force_login(staff)
    index = client.get("/admin/accounts/sellerapplication/").content.decode()
    assert "Cleo&#x27;s Fonts" in index or "Cleo's Fonts" in index
    decide = f"/admin/accounts/seller-applications/{application.pk}/approve/"
    assert decide in index
    # The status as the one coloured label (commerce.status_labels).
    assert (
        '<span class="status-label status-label--warn" data-status="pending">'
        "Waiting for review</span>"
    ) in index
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide, {"note": "Welcome aboard."})
    assert response.status_code == 302

    customer.refresh_from_db()
    assert customer.is_seller
    assert customer.groups.filter(name=SELLERS_GROUP).exists()
    application.refresh_from_db()
    assert (application.status, application.decided_by) == ("approved", staff)
    (message,) = mail.outbox
    assert message.to == ["cleo@example.com"]
    assert message.subject == "You can now sell on Storefront"
    assert "“Cleo's Fonts” is approved" in message.body
    assert "http://127.0.0.1:8000/admin/" in message.body
    assert "Welcome aboard." in message.body
    html, _ = message.alternatives[0]
    assert "Add your first product" in html

    # Decided once: a second decision is refused and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/accounts/seller-applications/{application.pk}/decline/", {}
        )
    application.refresh_from_db()
    assert application.status == "approved" and len(mail.outbox) == 1


def test_staff_decline_tells_the_applicant_who_may_apply_again(
    client, customer, django_capture_on_commit_callbacks
):
    apply(client, django_capture_on_commit_callbacks)
    application = SellerApplication.objects.get()
    client.force_login(StaffFactory())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/accounts/seller-applications/{application.pk}/decline/",
            {"note": "Please add samples of your work."},
        )
    customer.refresh_from_db()
    assert not customer.is_seller
    (message,) = mail.outbox
    assert message.subject == "Your seller application at Storefront"
    assert "Please add samples of your work." in message.body
    assert "http://127.0.0.1:8000/account/become-a-seller/" in message.body

    client.force_login(customer)
    html = client.get(URL).content.decode()
    assert "was declined" in html and "Please add samples of your work." in html
    apply(client, django_capture_on_commit_callbacks, offer="Fonts, with samples.")
    assert SellerApplication.objects.filter(status="pending").count() == 1


def test_only_staff_decide(client, customer, django_capture_on_commit_callbacks):
    apply(client, django_capture_on_commit_callbacks)
    application = SellerApplication.objects.get()
    url = f"/admin/accounts/seller-applications/{application.pk}/approve/"
    for user in (customer, SellerFactory()):
        client.force_login(user)
        response = client.post(url, {})
        assert response.status_code in (302, 403)
        # A records screen the user may not list is answered as absent (404).
        assert client.get("/admin/accounts/sellerapplication/").status_code in (
            302,
            403,
            404,
        )
    assert not User.objects.get(pk=customer.pk).is_seller
    client.force_login(StaffFactory())
    # Wagtail answers a refusal in its admin with a redirect to the dashboard.
    response = client.post(url.replace("approve", "promote"), {})
    assert response.status_code in (302, 403)
    assert SellerApplication.objects.get().status == "pending"


def test_a_seller_sees_the_way_to_the_admin(client):
    client.force_login(SellerFactory())
    html = client.get(URL).content.decode()
    assert "Your account is a seller account" in html
    assert 'name="offer"' not in html
