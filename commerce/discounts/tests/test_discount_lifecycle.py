"""A seller's code from creation to a discounted, granted order, against the sandbox.

The code is synced to the sandbox's ``/discounts`` through the outbox task, the
checkout page checks it and shows the new total, the session carries it, the
sandbox applies it to the payment it signs, and the webhook grants the order at
the discounted amount and records the code.
"""

from __future__ import annotations

import html
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import SellerFactory, UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.discounts.models import DiscountCode, DiscountSyncStatus
from commerce.discounts.services import discount_code_delete, discount_code_saved
from commerce.dodo.sandbox import store
from commerce.dodo.sandbox import testing as sandbox
from commerce.dodo.sandbox.models import SandboxObject
from commerce.models import Order, OrderStatus, PurchasedProduct
from commerce.tests.conftest import deliver, payment_data

from .factories import DiscountCodeFactory

pytestmark = pytest.mark.django_db


def _at_dodo(code: DiscountCode) -> dict | None:
    row = SandboxObject.objects.filter(
        kind="discount", object_id=code.dodo_discount_id
    ).first()
    return row.data if row is not None and not row.data.get("deleted") else None


def _synced(code, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        discount_code_saved(code=code)
    code.refresh_from_db()
    return code


@pytest.fixture
def product():
    return ProductPageFactory(price=4000, selling_price=4000, title="Field Guide")


@pytest.fixture
def code(product, django_capture_on_commit_callbacks):
    code = DiscountCodeFactory(
        seller=product.seller, code="SPRING25", products=[product]
    )
    return _synced(code, django_capture_on_commit_callbacks)


@pytest.fixture
def buyer(client):
    user = UserFactory()
    client.force_login(user)
    return user


def text(response) -> str:
    return html.unescape(response.content.decode())


def checkout_url(product) -> str:
    return reverse("commerce:checkout", args=[product.pk])


def test_the_sync_mirrors_the_code_restricted_to_the_sellers_product(code, product):
    product.refresh_from_db()
    assert code.sync_status == DiscountSyncStatus.SYNCED
    twin = _at_dodo(code)
    assert twin["code"] == "SPRING25"
    assert (twin["type"], twin["amount"]) == ("percentage", 2500)
    assert twin["restricted_to"] == [product.dodo_product_id]


def test_an_edit_updates_and_a_delete_removes_the_dodo_twin(
    code, django_capture_on_commit_callbacks
):
    code.percent_off = 40
    code.usage_limit = 3
    code.save()
    code = _synced(code, django_capture_on_commit_callbacks)
    assert (_at_dodo(code)["amount"], _at_dodo(code)["usage_limit"]) == (4000, 3)

    with django_capture_on_commit_callbacks(execute=True):
        discount_code_delete(code=code)
    assert not DiscountCode.objects.filter(pk=code.pk).exists()
    assert _at_dodo(code) is None


def test_a_failed_sync_is_recorded_and_retried_from_the_outbox(
    product, django_capture_on_commit_callbacks, settings
):
    # Dodo unreachable: the code is kept, marked failed, its outbox row pending.
    from outbox.models import OutboxMessage

    settings.DODO_SANDBOX_IN_PROCESS = False
    settings.SITE_URL = "http://127.0.0.1:9"  # nothing listens there
    code = DiscountCodeFactory(seller=product.seller, products=[product])
    with django_capture_on_commit_callbacks(execute=True):
        discount_code_saved(code=code)
    code.refresh_from_db()
    assert code.sync_status == DiscountSyncStatus.FAILED
    assert code.dodo_discount_id == ""
    assert OutboxMessage.objects.filter(
        task_name="commerce.discount_sync_to_dodo", args=[code.pk]
    ).exists()


def test_a_code_at_checkout_shows_the_total_then_pays_the_discounted_amount(
    client, buyer, code, product
):
    page = client.post(
        checkout_url(product),
        {"country": "US", "discount_code": "spring25", "action": "apply"},
    )
    html = text(page)
    assert page.status_code == 200
    assert "$30.00" in html and "$40.00" in html  # 25 % off 40.00
    assert 'name="applied_code" value="SPRING25"' in html
    assert not Order.objects.exists()

    response = client.post(
        checkout_url(product),
        {"country": "US", "discount_code": "SPRING25", "applied_code": "SPRING25"},
    )
    assert response.status_code == 303
    order = Order.objects.get()
    session = SandboxObject.objects.get(
        kind="checkout_session", object_id=order.dodo_checkout_session_id
    ).data
    assert session["discount_ids"] == [code.dodo_discount_id]
    assert urlparse(response["Location"]).path.startswith("/dodo-sandbox/checkout/")

    payment = sandbox.pay(order.dodo_checkout_session_id, "pay")
    assert payment["total_amount"] == 3000
    assert payment["discount_id"] == code.dodo_discount_id
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert (order.amount, order.total_amount) == (4000, 3000)
    assert order.discount == code
    assert order.discount_codes == "SPRING25"
    assert order.review_reason == ""
    assert PurchasedProduct.objects.active().filter(order=order).exists()
    assert _at_dodo(code)["times_used"] == 1

    history = text(client.get(reverse("accounts:orders")))
    assert "$30.00" in history and "SPRING25" in history

    # The seller's admin: the orders screen and the dashboard show it too.
    client.force_login(product.seller)
    orders = text(client.get("/admin/commerce/order/"))
    assert "$30.00" in orders and "discount SPRING25" in orders
    dashboard = text(client.get(reverse("wagtailadmin_home")))
    assert "code SPRING25" in dashboard and "$30.00" in dashboard


def test_paying_with_a_code_not_yet_shown_shows_the_total_first(
    client, buyer, code, product
):
    response = client.post(
        checkout_url(product), {"country": "US", "discount_code": "SPRING25"}
    )
    assert response.status_code == 200
    assert "$30.00" in text(response)
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expires_at": timezone.now() - timedelta(days=1)}, "has expired"),
        ({"starts_at": timezone.now() + timedelta(days=1)}, "isn't active yet"),
    ],
)
def test_an_expired_or_future_code_is_refused_clearly(
    client, buyer, code, product, change, message
):
    DiscountCode.objects.filter(pk=code.pk).update(**change)
    for action in ("apply", "pay"):
        response = client.post(
            checkout_url(product),
            {
                "country": "US",
                "discount_code": "SPRING25",
                "applied_code": "SPRING25",
                "action": action,
            },
        )
        assert response.status_code == 200
        assert f"The code SPRING25 {message}." in text(response)
    assert not Order.objects.exists()


def test_another_sellers_code_never_applies(client, buyer, code):
    other = ProductPageFactory(seller=SellerFactory(), price=4000, title="Other")
    response = client.post(
        checkout_url(other),
        {"country": "US", "discount_code": "SPRING25", "action": "apply"},
    )
    html = text(response)
    assert response.status_code == 200
    assert "is from another seller and can't be used for “Other”" in html
    assert "$40.00" in html and "$30.00" not in html


def test_an_unknown_and_a_used_up_code_are_refused(client, buyer, code, product):
    response = client.post(
        checkout_url(product),
        {"country": "US", "discount_code": "NOPE123", "action": "apply"},
    )
    assert "The code NOPE123 doesn't exist." in text(response)

    DiscountCode.objects.filter(pk=code.pk).update(usage_limit=1)
    Order.objects.create(
        user=UserFactory(), product=product, amount=4000, currency="USD",
        status=OrderStatus.PAID, is_paid=True, paid_at=timezone.now(), discount=code,
    )  # fmt: skip
    response = client.post(
        checkout_url(product),
        {"country": "US", "discount_code": "SPRING25", "action": "apply"},
    )
    assert "The code SPRING25 has been used up." in text(response)


def test_dodo_refusing_what_we_allow_is_a_clear_message(client, buyer, code, product):
    # Dodo's own state wins: a code exhausted there is refused here too.
    twin = SandboxObject.objects.get(kind="discount", object_id=code.dodo_discount_id)
    twin.data.update(usage_limit=1, times_used=1)
    twin.save()
    response = client.post(
        checkout_url(product),
        {"country": "US", "discount_code": "SPRING25", "action": "apply"},
    )
    assert response.status_code == 200
    assert "The code SPRING25 has been used up." in text(response)


def test_a_payment_lowered_by_another_sellers_code_grants_nothing(client, code):
    other = ProductPageFactory(seller=SellerFactory(), price=4000)
    order = Order.objects.create(
        user=UserFactory(), product=other, amount=4000, currency="USD",
        dodo_checkout_session_id="cks_x",
    )  # fmt: skip
    other.dodo_product_id = "pdt_other"
    type(other).objects.filter(pk=other.pk).update(dodo_product_id="pdt_other")
    data = payment_data(
        order,
        payment_id="pay_foreign",
        total_amount=3000,
        settlement_amount=3000,
        discount_id=code.dodo_discount_id,
        discounts=[
            {
                "discount_id": code.dodo_discount_id,
                "code": "SPRING25",
                "type": "percentage",
                "amount": 2500,
                "position": 0,
                # Even if Dodo said it applied here, the code is another seller's.
                "restricted_to": ["pdt_other"],
            }
        ],
    )
    assert deliver(client, "payment.succeeded", data).status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert "short of" in order.review_reason
    assert not PurchasedProduct.objects.filter(order=order).exists()


def test_the_sandbox_refuses_a_session_with_an_expired_code(code, product):
    from commerce.dodo import client as dodo

    DiscountCode.objects.filter(pk=code.pk).update(
        expires_at=timezone.now() + timedelta(days=1)
    )
    owner = store.owner_of_token(dodo.sandbox_token())
    with store.bound(owner):
        twin = store.get("discount", code.dodo_discount_id)
        twin["expires_at"] = (timezone.now() - timedelta(minutes=1)).isoformat()
        store.put("discount", code.dodo_discount_id, twin)
    product.refresh_from_db()
    with pytest.raises(dodo.DodoError) as err:
        dodo.checkout_session_create(
            dodo_product_id=product.dodo_product_id,
            dodo_customer_id="cus_x",
            billing={"country": "US"},
            return_url="http://testserver/back/",
            order_id=1,
            discount_code="SPRING25",
        )
    assert "expired" in dodo.reason(err.value)


def test_a_flat_code_pays_the_price_less_the_amount(
    client, buyer, product, django_capture_on_commit_callbacks
):
    flat = DiscountCodeFactory(
        seller=product.seller,
        code="FIVEOFF",
        kind="flat",
        percent_off=None,
        amount_off=500,
        currency="USD",
        products=[product],
    )
    _synced(flat, django_capture_on_commit_callbacks)
    form = {"country": "US", "discount_code": "FIVEOFF", "applied_code": "FIVEOFF"}
    assert client.post(checkout_url(product), form).status_code == 303
    order = Order.objects.get()
    assert sandbox.pay(order.dodo_checkout_session_id, "pay")["total_amount"] == 3500
    order.refresh_from_db()
    assert (order.status, order.total_amount, order.discount) == (
        OrderStatus.PAID,
        3500,
        flat,
    )


def test_enter_with_no_code_continues_to_payment(client, buyer, product):
    response = client.post(
        checkout_url(product), {"country": "US", "discount_code": "", "action": "apply"}
    )
    assert response.status_code == 303
    assert Order.objects.get().status == OrderStatus.PENDING
