import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.selectors import purchases_active_for_user
from commerce.tests.factories import PaidOrderFactory, PurchasedProductFactory
from support import selectors, services
from support.models import SupportRequest, SupportStatus

pytestmark = pytest.mark.django_db


def render_cta(user, product):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load support_tags %}{% product_support_cta product %}").render(
        Context({"request": request, "product": product})
    )


def close(support_request, status=SupportStatus.COMPLETED):
    SupportRequest.objects.filter(pk=support_request.pk).update(status=status)


def test_no_button_without_a_purchase(product):
    assert "support" not in render_cta(UserFactory(), product).lower()


def test_owner_gets_create_button_then_status(customer, product, purchase):
    html = render_cta(customer, product)
    assert f'href="/support/new/{product.pk}/"' in html
    support_request = services.support_request_create(
        customer=customer, product=product, subject="s", message="m"
    )
    html = render_cta(customer, product)
    assert f'href="/support/{support_request.pk}/"' in html
    assert "Support: New" in html
    close(support_request)
    html = render_cta(customer, product)
    assert f'href="/support/new/{product.pk}/"' in html
    assert "Last request completed" in html


def buy_with_history(customer, n):
    """n owned products, each with two closed requests and a newer open one."""
    latest = {}
    for _ in range(n):
        product = ProductPageFactory()
        PurchasedProductFactory(order=PaidOrderFactory(user=customer, product=product))
        for status in (SupportStatus.CANCELLED, SupportStatus.COMPLETED):
            close(
                services.support_request_create(
                    customer=customer, product=product, subject="old", message="m"
                ),
                status,
            )
        latest[product.pk] = services.support_request_create(
            customer=customer, product=product, subject="latest", message="m"
        )
    return latest


def test_latest_annotations_pick_the_latest_in_the_rows_query(
    customer, django_assert_num_queries
):
    expected = buy_with_history(customer, 3)
    with django_assert_num_queries(1):
        rows = list(
            purchases_active_for_user(user=customer).annotate(
                **selectors.support_latest_annotations(user=customer)
            )
        )
    assert {
        r.product_id: (r.latest_support_request_id, r.latest_support_request_status)
        for r in rows
    } == {pk: (sr.pk, "NEW") for pk, sr in expected.items()}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_library_shows_latest_status_with_a_constant_query_count(client, customer):
    client.force_login(customer)
    plain = ProductPageFactory(title="No Requests Yet")
    PurchasedProductFactory(order=PaidOrderFactory(user=customer, product=plain))
    client.get("/account/products/")  # the first visit after login touches the session
    without_requests, _ = count_queries(client, "/account/products/")

    expected = buy_with_history(customer, 2)
    at_3, _ = count_queries(client, "/account/products/")
    expected |= buy_with_history(customer, 5)
    at_8, response = count_queries(client, "/account/products/")
    assert without_requests == at_3 == at_8, (without_requests, at_3, at_8)

    html = response.content.decode()
    for support_request in expected.values():
        assert f'href="/support/{support_request.pk}/"' in html
    assert html.count("Support: New") == 7
    assert f'href="/support/new/{plain.pk}/"' in html
    assert html.count("Ask for support") == 1


def test_product_page_offers_support_to_owners_only(client, customer, product):
    assert "Ask for support" not in client.get(product.url).content.decode()
    client.force_login(customer)
    assert "Ask for support" not in client.get(product.url).content.decode()
    PurchasedProductFactory(order=PaidOrderFactory(user=customer, product=product))
    html = client.get(product.url).content.decode()
    assert f'href="/support/new/{product.pk}/"' in html
    support_request = services.support_request_create(
        customer=customer, product=product, subject="s", message="m"
    )
    html = client.get(product.url).content.decode()
    assert f'href="/support/{support_request.pk}/"' in html
    assert "Support: New" in html
