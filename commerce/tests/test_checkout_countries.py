"""The billing form offers Dodo's countries; a Dodo refusal shows Dodo's reason."""

from typing import get_args

import httpx
import pytest
from dodopayments.types.country_code import CountryCode

from catalog.tests.factories import ProductPageFactory
from commerce.dodo import client as dodo
from commerce.forms import BillingAddressForm, country_choices
from commerce.models import Order, OrderStatus

pytestmark = pytest.mark.django_db


def test_the_form_offers_exactly_the_countries_dodo_takes_with_cldr_names():
    codes = [code for code, _name in country_choices()]
    assert sorted(codes) == sorted(get_args(CountryCode))
    names = dict(country_choices())
    assert names["GB"] == "United Kingdom"
    assert names["KR"] == "South Korea"
    assert names["US"] == "United States"
    # Sorted by name for the buyer.
    assert [n for _c, n in country_choices()] == sorted(names.values())
    form = BillingAddressForm({"country": "XK"})  # Kosovo: not an ISO code Dodo takes
    assert "XK" not in names
    assert not form.is_valid()


@pytest.fixture
def dodo_refuses_checkouts(monkeypatch):
    """Dodo answering ``POST /checkouts`` with a 4xx; everything else is the sandbox."""
    sandbox_client = dodo.http_client

    def http_client(base_url=None):
        inner = sandbox_client(base_url)

        def handle(request: httpx.Request) -> httpx.Response:
            if request.method == "POST" and request.url.path.endswith("/checkouts"):
                return httpx.Response(
                    422,
                    json={
                        "code": "UNSUPPORTED_COUNTRY",
                        "message": "Payments from Iran are not supported.",
                    },
                )
            response = inner.send(request)
            response.read()
            return httpx.Response(
                response.status_code, headers=response.headers, content=response.content
            )

        return httpx.Client(
            transport=httpx.MockTransport(handle), base_url=inner.base_url
        )

    monkeypatch.setattr(dodo, "http_client", http_client)


def test_a_dodo_refusal_shows_the_buyer_dodos_reason(client, dodo_refuses_checkouts):
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    product = ProductPageFactory()
    response = client.post(f"/checkout/{product.pk}/", {"country": "IR"})
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.status == OrderStatus.FAILED
    assert "Dodo refused the checkout: Payments from Iran" in order.failure_reason
    page = client.get(response["Location"]).content.decode()
    assert "Payments from Iran are not supported" in page
    assert "not reachable" not in page
