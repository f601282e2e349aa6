"""The invoice PDF: Dodo's, fetched with the SDK, served to the order's owner only."""

import pytest

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.dodo.sandbox import testing as sandbox
from commerce.models import Order
from commerce.tests.factories import OrderFactory
from site_config.tests.faults import HungServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(client):
    buyer = UserFactory(full_name="Bea Buyer")
    client.force_login(buyer)
    product = ProductPageFactory(title="Vector Icon Pack", price=2900)
    assert client.post(f"/checkout/{product.pk}/", {"country": "US"}).status_code == 303
    order = Order.objects.get(user=buyer)
    sandbox.pay(order.dodo_checkout_session_id, "pay")
    order.refresh_from_db()
    assert order.is_paid
    return order


def url(order) -> str:
    return f"/orders/{order.pk}/invoice/"


def test_the_owner_gets_dodos_pdf(client, paid_order):
    response = client.get(url(paid_order))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    pdf = response.content
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert f"Invoice for payment {paid_order.dodo_payment_id}".encode() in pdf
    assert b"Total paid: $29.00" in pdf
    # The cross-reference table points at the objects it names.
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert pdf[xref:].startswith(b"xref\n")


def test_the_order_history_links_the_invoice(client, paid_order):
    html = client.get("/account/orders/").content.decode()
    assert f'href="/orders/{paid_order.pk}/invoice/"' in html


def test_anyone_else_gets_404(client, paid_order):
    client.force_login(UserFactory())
    assert client.get(url(paid_order)).status_code == 404
    client.logout()
    response = client.get(url(paid_order))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_an_unpaid_order_has_no_invoice(client):
    order = OrderFactory()
    client.force_login(order.user)
    assert client.get(url(order)).status_code == 404
    assert client.get("/orders/999999/invoice/").status_code == 404


def test_dodo_down_is_a_clear_message_not_a_500(client, paid_order, settings):
    settings.DODO_SANDBOX_IN_PROCESS = False
    hung = HungServer()
    try:
        settings.SITE_URL = hung.url  # the SDK's base_url: a Dodo that never answers
        response = client.get(url(paid_order))
    finally:
        hung.close()
    assert response.status_code == 503
    html = response.content.decode()
    assert "Your invoice is not available right now" in html
    assert "did not answer in time" in html
    assert "Nothing is wrong with your purchase" in html


def test_an_invoice_dodo_has_not_issued_yet(client, paid_order):
    from commerce.dodo.sandbox.models import SandboxObject

    # The sandbox, like Dodo, has no invoice for a payment that has not succeeded.
    row = SandboxObject.objects.get(object_id=paid_order.dodo_payment_id)
    row.data["status"] = "processing"
    row.save()
    response = client.get(url(paid_order))
    assert response.status_code == 503
    assert "has not issued the invoice" in response.content.decode()
