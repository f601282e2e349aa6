import pytest
from django.contrib.messages import get_messages

from accounts.tests.factories import SellerFactory, StaffFactory, UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.models import OrderStatus, PurchasedProduct, WebhookEvent
from commerce.tests.conftest import deliver, payment_data
from commerce.tests.factories import (
    OrderFactory,
    PaidOrderFactory,
    PurchasedProductFactory,
)

pytestmark = pytest.mark.django_db

ORDERS = "/admin/commerce/order/"


def test_seller_sees_only_orders_for_their_own_products(client):
    alice, bob = SellerFactory(), SellerFactory()
    mine = OrderFactory(product=ProductPageFactory(seller=alice))
    theirs = OrderFactory(product=ProductPageFactory(seller=bob))
    client.force_login(alice)
    response = client.get(ORDERS)
    assert response.status_code == 200
    listed = {o.pk for o in response.context["object_list"]}
    assert listed == {mine.pk}
    assert client.get(f"{ORDERS}inspect/{mine.pk}/").status_code == 200
    # Bob's order is out of reach by URL too.
    assert client.get(f"{ORDERS}inspect/{theirs.pk}/").status_code in (302, 403, 404)


def test_seller_cannot_see_webhook_events_or_refund(client):
    seller = SellerFactory()
    order = PaidOrderFactory(product=ProductPageFactory(seller=seller))
    client.force_login(seller)
    # A records screen the seller may not list is answered as if absent (404).
    assert client.get("/admin/commerce/webhookevent/").status_code in (302, 403, 404)
    response = client.post(f"/admin/commerce/orders/{order.pk}/refund/")
    assert response.status_code in (302, 403)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_customer_cannot_reach_the_orders_admin(client):
    client.force_login(UserFactory())
    assert client.get(ORDERS).status_code == 302


def test_staff_sees_everything_and_filters_and_searches(client):
    staff = StaffFactory()
    orders = [OrderFactory(), PaidOrderFactory(dodo_payment_id="pay_findme")]
    client.force_login(staff)
    response = client.get(ORDERS)
    assert {o.pk for o in response.context["object_list"]} == {o.pk for o in orders}
    response = client.get(ORDERS, {"status__exact": "paid"})
    assert [o.pk for o in response.context["object_list"]] == [orders[1].pk]
    response = client.get(ORDERS, {"q": "pay_findme"})
    assert [o.pk for o in response.context["object_list"]] == [orders[1].pk]


def test_order_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    staff = StaffFactory()
    client.force_login(staff)
    OrderFactory()
    client.get(ORDERS)  # warm caches (content types, site)
    with django_assert_max_num_queries(40) as small:
        client.get(ORDERS)
    for _ in range(5):
        OrderFactory()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(ORDERS)


def test_staff_refund_action_asks_dodo_and_applies_its_answer(
    client, django_capture_on_commit_callbacks
):
    from urllib.parse import urlparse

    buyer = UserFactory()
    product = ProductPageFactory()
    client.force_login(buyer)
    checkout = client.post(f"/checkout/{product.pk}/", {"country": "US"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(urlparse(checkout["Location"]).path, {"action": "pay"})
    order = buyer.orders.get()
    assert order.status == OrderStatus.PAID

    client.force_login(StaffFactory())
    assert client.get(f"/admin/commerce/orders/{order.pk}/refund/").status_code == 200
    response = client.post(f"/admin/commerce/orders/{order.pk}/refund/")
    assert response.status_code == 302
    order.refresh_from_db()
    # The sandbox answers "succeeded": recorded at once, access ends.
    assert order.status == OrderStatus.REFUNDED
    assert not PurchasedProduct.objects.active().filter(order=order).exists()
    # Refunding twice is refused by the service (the order is not "paid" any more).
    client.post(f"/admin/commerce/orders/{order.pk}/refund/")
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert len(order.dodo_refund_ids) == 1


def test_staff_reprocess_applies_a_failed_event(client, synced_order, monkeypatch):
    from commerce.services import orders

    real = orders.purchase_grant
    monkeypatch.setattr(
        orders, "purchase_grant", lambda **kw: (_ for _ in ()).throw(RuntimeError("x"))
    )
    assert (
        deliver(client, "payment.succeeded", payment_data(synced_order)).status_code
        == 500
    )
    monkeypatch.setattr(orders, "purchase_grant", real)
    event = WebhookEvent.objects.get()
    client.force_login(StaffFactory())
    response = client.get(f"/admin/commerce/webhookevent/inspect/{event.pk}/")
    assert b"payment.succeeded" in response.content
    response = client.post(f"/admin/commerce/webhook-events/{event.pk}/reprocess/")
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.outcome == "processed"
    assert PurchasedProduct.objects.filter(order=synced_order).exists()


def test_purchased_product_cannot_be_deleted(client):
    grant = PurchasedProductFactory()
    product = grant.product
    client.force_login(StaffFactory())
    response = client.post(f"/admin/pages/{product.pk}/delete/", follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert type(product).objects.filter(pk=product.pk).exists()


def test_purchased_product_cannot_be_bulk_deleted(client):
    grant = PurchasedProductFactory()
    product = grant.product
    client.force_login(StaffFactory())
    url = (
        "/admin/bulk/wagtailcore/page/delete/"
        f"?id={product.pk}&next=/admin/pages/{product.get_parent().pk}/"
    )
    response = client.post(url)
    assert response.status_code == 302
    notes = " ".join(str(m) for m in get_messages(response.wsgi_request))
    # Wagtail's own protection (our PROTECT foreign key) refuses first, with its
    # generic message; our before_bulk_action hook is the second line.
    assert "cannot be deleted" in notes or "do not have permission" in notes
    assert type(product).objects.filter(pk=product.pk).exists()


def test_database_protects_a_purchased_product_too():
    from django.db.models import ProtectedError

    grant = PurchasedProductFactory()
    with pytest.raises(ProtectedError):
        grant.product.delete()


def test_unsold_product_can_still_be_deleted(client):
    product = ProductPageFactory()
    client.force_login(StaffFactory())
    client.post(f"/admin/pages/{product.pk}/delete/")
    assert not type(product).objects.filter(pk=product.pk).exists()


def test_seller_sees_only_purchases_of_their_own_products(client):
    alice, bob = SellerFactory(), SellerFactory()
    mine = PurchasedProductFactory(order__product=ProductPageFactory(seller=alice))
    PurchasedProductFactory(order__product=ProductPageFactory(seller=bob))
    client.force_login(alice)
    response = client.get("/admin/commerce/purchasedproduct/")
    assert [p.pk for p in response.context["object_list"]] == [mine.pk]
    response = client.get("/admin/commerce/purchasedproduct/", {"q": mine.user.email})
    assert [p.pk for p in response.context["object_list"]] == [mine.pk]


def _password_prefix(user) -> str:
    """Enough of a user's hash (algorithm, iterations, salt) to single them out."""
    return user.password[:40]


@pytest.mark.parametrize(
    ("url", "make_row"),
    [
        (ORDERS, lambda product: PaidOrderFactory(product=product)),
        (
            "/admin/commerce/purchasedproduct/",
            lambda product: PurchasedProductFactory(order__product=product),
        ),
    ],
)
def test_seller_cannot_filter_lists_by_undeclared_lookups(client, url, make_row):
    """Unknown GET parameters must not become queryset lookups: a seller probing
    ``user__password__startswith`` would learn buyers' hashes from row counts."""
    seller = SellerFactory()
    product = ProductPageFactory(seller=seller)
    rows = [make_row(product), make_row(product)]
    client.force_login(seller)
    everything = {r.pk for r in client.get(url).context["object_list"]}
    assert everything == {r.pk for r in rows}
    for probe in (
        {"user__password__startswith": _password_prefix(rows[0].user)},
        {"user__password__startswith": "no-such-hash"},
        {"user__is_superuser": "1"},
        {"product__seller__email__startswith": "x"},
    ):
        response = client.get(url, probe)
        assert response.status_code == 200
        assert {r.pk for r in response.context["object_list"]} == everything


def test_declared_list_filters_still_filter(client):
    seller = SellerFactory()
    product = ProductPageFactory(seller=seller)
    pending, paid = OrderFactory(product=product), PaidOrderFactory(product=product)
    other = PaidOrderFactory(product=ProductPageFactory(seller=seller))
    client.force_login(seller)
    response = client.get(ORDERS, {"status__exact": "paid"})
    assert {o.pk for o in response.context["object_list"]} == {paid.pk, other.pk}
    response = client.get(ORDERS, {"product": str(product.pk)})
    assert {o.pk for o in response.context["object_list"]} == {pending.pk, paid.pk}
    response = client.get(
        "/admin/commerce/purchasedproduct/",
        {"granted_at__gte": "2000-01-01T00:00:00+00:00"},
    )
    assert response.status_code == 200


def test_bulk_delete_refusal_does_not_redirect_off_site(client, monkeypatch):
    from commerce import wagtail_hooks

    # An unsold page passes Wagtail's own PROTECT check, so our hook answers.
    product = ProductPageFactory()
    monkeypatch.setattr(wagtail_hooks, "_purchased", lambda pages: True)
    client.force_login(StaffFactory())
    url = f"/admin/bulk/wagtailcore/page/delete/?id={product.pk}"
    response = client.post(url + "&next=https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    notes = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "cannot be deleted" in notes
    assert type(product).objects.filter(pk=product.pk).exists()
    # A local next is still honoured.
    local = f"/admin/pages/{product.get_parent().pk}/"
    assert client.post(f"{url}&next={local}")["Location"] == local


def test_order_inspect_shows_amounts_as_money(client):
    order = PaidOrderFactory(
        amount=2500,
        currency="USD",
        total_amount=2391,
        paid_currency="EUR",
        settlement_amount=2500,
        settlement_currency="USD",
    )
    client.force_login(StaffFactory())
    html = client.get(f"{ORDERS}inspect/{order.pk}/").content.decode()
    assert "$25.00" in html and "€23.91" in html
    assert ">2500<" not in html and ">2391<" not in html
