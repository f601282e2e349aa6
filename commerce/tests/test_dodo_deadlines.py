"""A hung Dodo inside a request: one attempt, a few seconds, a clear message.

``hung_server`` accepts the SDK's connection and never answers, like a Dodo that
hangs; the SDK really waits on the socket. Before these deadlines the SDK waited
15 s and retried reads twice, outliving gunicorn's 30 s worker timeout.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.dodo import client as dodo
from commerce.models import Order, OrderStatus
from commerce.tests.factories import OrderFactory
from site_config.celery import app

pytestmark = pytest.mark.django_db

# gunicorn's default worker timeout; a request must give up well before it.
GUNICORN_TIMEOUT = 30


@pytest.fixture
def hung_dodo(settings, hung_server):
    """The SDK talks to ``hung_server`` over a real socket."""
    settings.DODO_SANDBOX = True
    settings.DODO_SANDBOX_IN_PROCESS = False
    settings.SITE_URL = hung_server.url
    return hung_server


@pytest.fixture
def buyer(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_request_calls_have_a_short_deadline_and_no_retry():
    sdk = dodo.get_client()  # a read: outside a worker it is not retried either
    assert sdk.max_retries == 0
    assert sdk.timeout.connect <= 2
    assert sdk.timeout.read + sdk.timeout.connect < GUNICORN_TIMEOUT / 4


def test_background_tasks_may_wait_longer_and_retry_reads():
    @app.task(bind=True, name="tests.dodo_client_probe")
    def probe(self, max_retries):
        sdk = dodo.get_client(max_retries=max_retries)
        return sdk.timeout, sdk.max_retries

    # Called directly, a task runs as in a worker; .apply() runs it eagerly, which
    # happens inside a web request when no broker is configured.
    timeout, retries = probe(None)
    assert timeout == dodo.BACKGROUND_TIMEOUT and retries == 2
    assert probe(0) == (dodo.BACKGROUND_TIMEOUT, 0)
    assert probe.apply(args=(None,)).get() == (dodo.REQUEST_TIMEOUT, 0)


@pytest.mark.chaos
def test_return_page_recheck_with_a_hung_dodo_answers_with_a_message(
    client, buyer, hung_dodo
):
    order = OrderFactory(user=buyer, dodo_checkout_session_id="cks_hung")
    Order.objects.filter(pk=order.pk).update(
        created_at=timezone.now() - timedelta(minutes=1)
    )

    response = client.get(f"/checkout/return/{order.pk}/")

    assert response.status_code == 200
    assert b"payment provider is not answering" in response.content
    assert b"Confirming your payment" in response.content
    hung_dodo.wait_for_hangups(1)
    assert hung_dodo.connections == 1  # no retry
    # The SDK gave up on its own deadline, not on gunicorn's.
    assert hung_dodo.held[0] < GUNICORN_TIMEOUT / 3
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


@pytest.mark.chaos
def test_checkout_with_a_hung_dodo_says_so_and_fails_the_order(
    client, buyer, hung_dodo
):
    product = ProductPageFactory()

    response = client.post(f"/checkout/{product.pk}/", {"country": "US"}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/checkout/{product.pk}/"
    assert b"payment provider is not reachable right now" in response.content
    order = Order.objects.get(user=buyer)
    assert order.status == OrderStatus.FAILED
    hung_dodo.wait_for_hangups(1)
    assert hung_dodo.connections == 1
    assert hung_dodo.held[0] < GUNICORN_TIMEOUT / 3


def test_staff_refund_with_a_hung_dodo_warns_that_it_may_have_happened(
    client, hung_dodo
):
    from accounts.tests.factories import StaffFactory
    from commerce.tests.factories import PaidOrderFactory

    order = PaidOrderFactory()
    client.force_login(StaffFactory())

    response = client.post(f"/admin/commerce/orders/{order.pk}/refund/", follow=True)

    assert response.status_code == 200
    assert b"did not answer in time" in response.content
    hung_dodo.wait_for_hangups(1)
    assert hung_dodo.connections == 1  # a refund is never retried
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_the_request_deadline_is_under_five_seconds_and_gunicorns_timeout():
    """What the buyer waits for at most, against what gunicorn allows a request."""
    import runpy
    from pathlib import Path

    gunicorn = runpy.run_path(str(Path(__file__).parents[2] / "gunicorn.conf.py"))
    # A Dodo that accepts and never answers costs one read deadline; one that never
    # accepts costs the connect deadline. Either stays under the 5 s...
    assert dodo.REQUEST_TIMEOUT.read < 5
    assert dodo.REQUEST_TIMEOUT.connect < 5
    # ...and even both together leave gunicorn's worker timeout far away.
    worst = dodo.REQUEST_TIMEOUT.connect + dodo.REQUEST_TIMEOUT.read
    assert worst < gunicorn["timeout"] / 3
    assert gunicorn["timeout"] == GUNICORN_TIMEOUT


@pytest.mark.chaos
@pytest.mark.django_db(transaction=True)
def test_buyer_in_a_browser_gets_answers_while_dodo_hangs(
    page, live_server, settings, hung_server, browser_sign_in, chaos_celery
):
    """End to end through a real server and Chromium: checkout, then the return page.

    The SDK talks to a Dodo that accepts and never answers. The buyer sees the
    "not reachable" message on the checkout form and the "we keep checking" page on
    return, each after one SDK deadline (the hung server measures how long the SDK
    held it); the generous upper bound on the whole click is gunicorn's timeout.
    Tasks go to a broker (``chaos_celery``, no worker), as in production, so the
    requests make only their own Dodo calls, none from tasks run inline.
    """
    import time

    settings.DODO_SANDBOX = True
    settings.DODO_SANDBOX_IN_PROCESS = False
    settings.SITE_URL = hung_server.url
    product = ProductPageFactory(title="Hung Fonts", price=1900)
    buyer = UserFactory()
    browser_sign_in(page.context, buyer, live_server.url)

    page.goto(f"/checkout/{product.pk}/")
    page.select_option("select[name=country]", "NL")
    page.fill("input[name=city]", "Utrecht")
    started = time.monotonic()
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_text("payment provider is not reachable right now").wait_for()
    assert time.monotonic() - started < GUNICORN_TIMEOUT / 2
    hung_server.wait_for_hangups(1)
    assert hung_server.connections == 1  # the first call gave up; no retry, no next
    assert hung_server.held[0] < 5
    assert Order.objects.get(user=buyer).status == OrderStatus.FAILED

    # A buyer back from Dodo's page while Dodo hangs: the return page re-checks
    # once, gives up on its deadline and says it keeps checking.
    order = OrderFactory(user=buyer, product=product, dodo_checkout_session_id="cks_h")
    Order.objects.filter(pk=order.pk).update(
        created_at=timezone.now() - timedelta(minutes=1)
    )
    started = time.monotonic()
    page.goto(f"/checkout/return/{order.pk}/")
    expect(page.get_by_role("heading", name="Confirming your payment…")).to_be_visible()
    expect(page.get_by_text("payment provider is not answering")).to_be_visible()
    assert time.monotonic() - started < GUNICORN_TIMEOUT / 2
    hung_server.wait_for_hangups(2)
    assert hung_server.held[1] < 5
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
