"""Broker down during a support request: saved and shown at once, both notices later."""

import pytest
from django.core import mail
from django.urls import reverse

from catalog.tests.factories import ProductPageFactory
from commerce.tests.factories import PaidOrderFactory, PurchasedProductFactory
from outbox.models import OutboxMessage
from site_config.tests.faults import assert_fast, relay_and_work, timed
from support.models import SupportRequest

pytestmark = [pytest.mark.chaos, pytest.mark.django_db(transaction=True)]


def test_support_request_with_the_broker_down_then_each_notice_once(
    client, customer, product, purchase, fake_bot_api, chaos_celery
):
    client.force_login(customer)
    # The same request with the broker up, for another product the customer owns.
    other = ProductPageFactory(seller=product.seller, title="Other Kit")
    PurchasedProductFactory(order=PaidOrderFactory(user=customer, product=other))
    response, baseline = timed(
        lambda: client.post(
            reverse("support:new", args=[other.pk]),
            {"subject": "Other", "message": "Broker up."},
        )
    )
    assert response.status_code == 302
    chaos_celery.redis.stop()
    url = reverse("support:new", args=[product.pk])
    response, seconds = timed(
        lambda: client.post(url, {"subject": "Setup", "message": "How do I start?"})
    )
    support_request = SupportRequest.objects.get(product=product)
    assert response.status_code == 302
    assert response.url == reverse("support:detail", args=[support_request.pk])
    assert_fast(seconds, baseline, "the support request")
    assert OutboxMessage.objects.filter(published_at=None).count() == 2

    chaos_celery.redis.start()

    def telegrams():
        return [m for m in fake_bot_api.sent if "How do I start?" in m["text"]]

    def mails():
        return [m for m in mail.outbox if "Setup" in m.subject]

    assert relay_and_work(chaos_celery, lambda: telegrams() and mails(), settle=1.5)
    assert len(telegrams()) == 1
    assert [m.to for m in mails()] == [["seller@example.com"]]
    assert not OutboxMessage.objects.filter(published_at=None).exists()
