"""Checkout through the real SDK against the sandbox, then the return page."""

from urllib.parse import urlparse

import pytest

from catalog.tests.factories import ProductPageFactory
from commerce.dodo.sandbox.models import SandboxObject
from commerce.models import (
    DodoCustomer,
    DodoProductSync,
    Order,
    OrderStatus,
    PurchasedProduct,
    WebhookEvent,
)
from commerce.tests.factories import OrderFactory, PurchasedProductFactory

pytestmark = pytest.mark.django_db

BILLING = {
    "country": "DE",
    "street": "Hauptstr. 1",
    "city": "Berlin",
    "zipcode": "10115",
}


@pytest.fixture
def buyer(client):
    from accounts.tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def product():
    return ProductPageFactory(price=3000, selling_price=1900)


def _checkout(client, product, data=BILLING):
    return client.post(f"/checkout/{product.pk}/", data)


def test_checkout_requires_login(client, product):
    response = client.get(f"/checkout/{product.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_get_shows_summary_and_prefills_last_billing_address(client, buyer, product):
    OrderFactory(user=buyer, billing_country="FR", billing_city="Lyon")
    response = client.get(f"/checkout/{product.pk}/")
    assert response.status_code == 200
    assert "$19.00" in response.content.decode()
    form = response.context["form"]
    assert form.initial["country"] == "FR"
    assert form.initial["city"] == "Lyon"


def test_country_is_required(client, buyer, product):
    response = _checkout(client, product, {"country": "", "city": "Berlin"})
    assert response.status_code == 200
    assert response.context["form"].errors["country"]
    assert not Order.objects.exists()


def test_post_creates_order_then_session_and_redirects_303(client, buyer, product):
    response = _checkout(client, product)
    assert response.status_code == 303
    order = Order.objects.get()
    assert (order.user, order.product_id) == (buyer, product.pk)
    assert (order.amount, order.currency, order.status) == (1900, "USD", "pending")
    assert not order.is_paid
    assert order.billing_country == "DE"
    assert order.dodo_checkout_session_id.startswith("cks_")
    assert response["Location"].endswith(
        f"/dodo-sandbox/checkout/{order.dodo_checkout_session_id}/"
    )
    # The session carries the order id and our return URL, and the product and
    # customer were synced to Dodo first.
    session = SandboxObject.objects.get(object_id=order.dodo_checkout_session_id)
    assert session.data["metadata"] == {"order_id": str(order.pk)}
    assert session.data["return_url"].endswith(f"/checkout/return/{order.pk}/")
    assert session.data["billing_address"]["country"] == "DE"
    product.refresh_from_db()
    assert product.dodo_product_id.startswith("pdt_")
    assert DodoProductSync.objects.get(product=product).status == "synced"
    assert DodoCustomer.objects.get(user=buyer).dodo_customer_id.startswith("cus_")


def test_owner_is_refused_and_sent_to_the_product(client, buyer, product):
    PurchasedProductFactory(order__user=buyer, order__product=product)
    response = _checkout(client, product)
    assert response.status_code == 302
    assert response["Location"] == product.url
    assert Order.objects.count() == 1


def test_dodo_down_marks_the_order_failed_with_a_clear_message(
    client, buyer, product, settings
):
    settings.DODO_SANDBOX_IN_PROCESS = False
    settings.SITE_URL = "http://127.0.0.1:9"  # nothing listens there
    response = _checkout(client, product)
    assert response.status_code == 302
    assert response["Location"] == f"/checkout/{product.pk}/"
    order = Order.objects.get()
    assert order.status == OrderStatus.FAILED
    assert "Could not start checkout" in order.failure_reason
    assert not PurchasedProduct.objects.exists()
    page = client.get(response["Location"])
    assert "not reachable" in page.content.decode()


def _pay(client, checkout_url, action, django_capture_on_commit_callbacks):
    path = urlparse(checkout_url).path
    assert client.get(path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"action": action})
    assert response.status_code == 303
    return urlparse(response["Location"])


def test_pay_in_the_sandbox_grants_access_and_return_page_redirects(
    client, buyer, product, django_capture_on_commit_callbacks
):
    checkout = _checkout(client, product)
    back = _pay(client, checkout["Location"], "pay", django_capture_on_commit_callbacks)
    order = Order.objects.get()
    assert back.path == f"/checkout/return/{order.pk}/"
    assert "status=succeeded" in back.query
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.dodo_payment_id.startswith("pay_")
    assert PurchasedProduct.objects.active().filter(user=buyer, product=product)
    assert WebhookEvent.objects.get().event_type == "payment.succeeded"

    response = client.get(back.path + "?" + back.query)
    assert response.status_code == 302
    assert response["Location"] == (
        f"/account/products/?bought={product.pk}#product-{product.pk}"
    )


def test_decline_shows_failure_with_retry_link(
    client, buyer, product, django_capture_on_commit_callbacks
):
    checkout = _checkout(client, product)
    back = _pay(
        client, checkout["Location"], "decline", django_capture_on_commit_callbacks
    )
    order = Order.objects.get()
    assert order.status == OrderStatus.FAILED
    response = client.get(back.path)
    assert b"did not go through" in response.content
    assert f"/checkout/{product.pk}/".encode() in response.content
    assert not PurchasedProduct.objects.exists()


def test_return_page_ignores_a_forged_query_string(client, buyer, product):
    _checkout(client, product)
    order = Order.objects.get()
    response = client.get(
        f"/checkout/return/{order.pk}/?status=succeeded&payment_id=pay_fake"
    )
    assert response.status_code == 200
    assert b"Confirming your payment" in response.content
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


def test_pending_return_page_rechecks_with_dodo_after_a_while(client, buyer, product):
    """The webhook was lost: the polling page asks Dodo itself and finds it paid."""
    from datetime import timedelta

    from django.utils import timezone

    checkout = _checkout(client, product)
    # Pay without letting the webhook out (on_commit callbacks are discarded).
    client.post(urlparse(checkout["Location"]).path, {"action": "pay"})
    order = Order.objects.get()
    assert order.status == OrderStatus.PENDING
    Order.objects.filter(pk=order.pk).update(
        created_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(
        f"/checkout/return/{order.pk}/", headers={"HX-Request": "true"}
    )
    assert response.headers["HX-Redirect"] == f"/checkout/return/{order.pk}/"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert PurchasedProduct.objects.filter(order=order).exists()


def test_return_page_of_someone_elses_order_is_404(client, buyer):
    other = OrderFactory()
    assert client.get(f"/checkout/return/{other.pk}/").status_code == 404


def test_a_seller_buying_lands_on_the_product_in_their_library(client, product):
    from accounts.tests.factories import SellerFactory
    from commerce.tests.factories import PaidOrderFactory

    seller = SellerFactory()
    order = PaidOrderFactory(user=seller, product=product)
    client.force_login(seller)
    response = client.get(f"/checkout/return/{order.pk}/")
    # Like any buyer: the product they bought, its download and the receipt.
    assert response["Location"] == (
        f"/account/products/?bought={product.pk}#product-{product.pk}"
    )
