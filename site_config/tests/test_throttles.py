"""Throttles on e-mail-sending and work-starting forms (site_config.throttles).

Rates are lowered per test through ``THROTTLE_RATES`` so each test needs only a
few requests; the counting is the real django-ratelimit against the real cache.
"""

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.models import Order
from commerce.tests.factories import PaidOrderFactory, PurchasedProductFactory
from site_config.tests.faults import free_port
from support import services as support_services
from support.models import SupportMessage

pytestmark = pytest.mark.django_db

RESET = "/account/password-reset/"
REGISTER = "/account/register/"


@pytest.fixture
def rates(settings):
    def set_rate(name, **rate):
        settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, name: rate}

    return set_rate


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def send(url, data=None, ip="203.0.113.7"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, REMOTE_ADDR=ip)

    return send


def assert_throttled(response):
    assert response.status_code == 429
    assert response["Retry-After"].isdigit()
    assert "Slow down a little" in response.content.decode()


class TestPasswordReset:
    def test_one_address_gets_at_most_the_account_rate_from_any_ip(self, rates, post):
        rates("password_reset", ip="100/h", account="2/h")
        UserFactory(email="victim@example.com")
        for ip in ("203.0.113.1", "203.0.113.2"):
            response = post(RESET, {"email": "victim@example.com"}, ip=ip)
            assert response.status_code == 302
        # Another spelling of the same address from a third IP is the same account.
        third = post(RESET, {"email": " Victim@Example.com"}, ip="203.0.113.3")
        assert_throttled(third)
        assert len(mail.outbox) == 2

    def test_one_ip_gets_at_most_the_ip_rate_over_many_addresses(self, rates, post):
        rates("password_reset", ip="2/h", account="100/h")
        for n in range(2):
            assert post(RESET, {"email": f"a{n}@example.com"}).status_code == 302
        assert_throttled(post(RESET, {"email": "a9@example.com"}))
        # Another client is not affected.
        other = post(RESET, {"email": "a9@example.com"}, ip="198.51.100.1")
        assert other.status_code == 302

    def test_showing_the_form_is_not_counted(self, rates, client):
        rates("password_reset", ip="1/h", account="1/h")
        for _ in range(3):
            assert client.get(RESET).status_code == 200


def test_registration_is_throttled_per_ip(rates, post):
    rates("registration", ip="2/h", account="100/h")
    for n in range(2):
        data = {
            "email": f"new{n}@example.com",
            "full_name": "New Person",
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-1",
        }
        assert post(REGISTER, data).status_code == 302
    response = post(REGISTER, {**data, "email": "new9@example.com"})
    assert_throttled(response)
    assert not UserFactory._meta.model.objects.filter(email="new9@example.com").exists()


def test_verification_resend_is_throttled_per_account(rates, post, client):
    rates("verification_resend", ip="100/h", account="1/h")
    user = UserFactory(email_verified=False)
    client.force_login(user)
    assert post("/account/verify/resend/").status_code == 302
    assert_throttled(post("/account/verify/resend/", ip="198.51.100.4"))


class TestSupportMessages:
    @pytest.fixture
    def support_request(self, client):
        customer = UserFactory()
        product = ProductPageFactory()
        PurchasedProductFactory(order=PaidOrderFactory(user=customer, product=product))
        client.force_login(customer)
        return support_services.support_request_create(
            customer=customer, product=product, subject="Help", message="First."
        )

    def test_messages_beyond_the_rate_are_refused_and_not_stored(
        self, rates, post, support_request
    ):
        rates("support_message", ip="100/h", account="2/h")
        url = f"/support/{support_request.pk}/messages/"
        for n in range(2):
            assert post(url, {"body": f"Message {n}"}).status_code == 302
        assert_throttled(post(url, {"body": "One too many"}))
        bodies = SupportMessage.objects.values_list("body", flat=True)
        assert "One too many" not in bodies
        assert "Message 1" in bodies


def test_checkout_starts_are_throttled_per_account(rates, post, client):
    rates("checkout_start", ip="100/h", account="1/h")
    client.force_login(UserFactory())
    product = ProductPageFactory(price=1900)
    billing = {
        "country": "DE",
        "street": "Hauptstr. 1",
        "city": "Berlin",
        "zipcode": "10115",
    }
    assert post(f"/checkout/{product.pk}/", billing).status_code == 303
    assert_throttled(post(f"/checkout/{product.pk}/", billing))
    assert Order.objects.count() == 1
    # Opening the checkout page is not a start.
    assert client.get(f"/checkout/{product.pk}/").status_code == 200


def test_a_cache_that_is_down_lets_requests_through(rates, post, settings):
    """Fail open: with nothing listening where the counts live, no 429, no 500.

    The counts go to a cache of their own here so that only the throttle meets the
    dead Redis (other parts of the request read the default cache).
    """
    rates("password_reset", ip="0/h", account="0/h")
    settings.CACHES = {
        **settings.CACHES,
        "throttles": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        },
    }
    settings.RATELIMIT_USE_CACHE = "throttles"
    UserFactory(email="someone@example.com")
    response = post(RESET, {"email": "someone@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
