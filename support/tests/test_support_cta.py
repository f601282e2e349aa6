import pytest
from django.template import Context, Template
from django.test import RequestFactory

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


def test_latest_prefetch_is_one_query_and_picks_the_latest(
    customer, django_assert_num_queries
):
    def buy_with_history(n):
        latest = {}
        for _ in range(n):
            product = ProductPageFactory()
            PurchasedProductFactory(
                order=PaidOrderFactory(user=customer, product=product)
            )
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

    def load():
        rows = list(
            purchases_active_for_user(user=customer).prefetch_related(
                selectors.support_latest_prefetch(user=customer)
            )
        )
        return {r.product_id: r.product.latest_support_requests for r in rows}

    expected = buy_with_history(1)
    with django_assert_num_queries(2):
        loaded = load()
    expected |= buy_with_history(4)
    with django_assert_num_queries(2):
        loaded = load()
    assert {pk: [r.pk for r in rs] for pk, rs in loaded.items()} == {
        pk: [r.pk] for pk, r in expected.items()
    }
