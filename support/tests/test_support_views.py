import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.tests.factories import PaidOrderFactory, PurchasedProductFactory
from support import services
from support.models import SellerSupportSettings, SupportRequest, SupportStatus

S = SupportStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client


def open_request(customer, product, subject="Install help"):
    return services.support_request_create(
        customer=customer, product=product, subject=subject, message="Please help."
    )


def at_status(support_request, status):
    SupportRequest.objects.filter(pk=support_request.pk).update(status=status)
    support_request.refresh_from_db()
    return support_request


class TestCreateView:
    def test_owner_sees_the_form_and_creates(self, customer_client, product, purchase):
        url = reverse("support:new", args=[product.pk])
        response = customer_client.get(url)
        assert response.status_code == 200
        assert b"Theme Kit" in response.content
        response = customer_client.post(
            url, {"subject": "Setup", "message": "How do I start?"}
        )
        support_request = SupportRequest.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("support:detail", args=[support_request.pk])
        assert support_request.subject == "Setup"
        assert support_request.status == S.NEW

    def test_anonymous_is_sent_to_login(self, client, product):
        response = client.get(reverse("support:new", args=[product.pk]))
        assert response.status_code == 302
        assert response.url.startswith("/account/login/")

    def test_without_purchase_get_and_forged_post_are_refused(
        self, customer_client, product
    ):
        url = reverse("support:new", args=[product.pk])
        assert customer_client.get(url).status_code == 403
        response = customer_client.post(url, {"subject": "x", "message": "y"})
        assert response.status_code == 403
        assert not SupportRequest.objects.exists()

    def test_refused_after_a_refund(self, customer_client, product, purchase):
        purchase.revoked_at = timezone.now()
        purchase.save()
        url = reverse("support:new", args=[product.pk])
        response = customer_client.post(url, {"subject": "x", "message": "y"})
        assert response.status_code == 403
        assert not SupportRequest.objects.exists()

    def test_second_active_request_is_redirected_to_the_first(
        self, customer_client, customer, product, purchase
    ):
        first = open_request(customer, product)
        url = reverse("support:new", args=[product.pk])
        response = customer_client.post(
            url, {"subject": "again", "message": "again"}, follow=True
        )
        assert response.redirect_chain[-1][0] == reverse(
            "support:detail", args=[first.pk]
        )
        assert b"already have an open support request" in response.content
        assert SupportRequest.objects.count() == 1

    def test_invalid_form_creates_nothing(self, customer_client, product, purchase):
        url = reverse("support:new", args=[product.pk])
        response = customer_client.post(url, {"subject": "", "message": ""})
        assert response.status_code == 200
        assert not SupportRequest.objects.exists()


class TestDetailView:
    def test_shows_thread_and_history_but_never_internal_notes(
        self, customer_client, customer, product, purchase
    ):
        support_request = open_request(customer, product)
        services.support_request_update_details(
            support_request=support_request,
            actor=product.seller,
            meeting_link="https://meet.example.com/room",
            internal_notes="SECRET-NOTE: charge double",
        )
        services.support_message_add(
            support_request=support_request, author=product.seller, body="Hello!"
        )
        response = customer_client.get(
            reverse("support:detail", args=[support_request.pk])
        )
        content = response.content.decode()
        assert response.status_code == 200
        assert "SECRET-NOTE" not in content
        assert "charge double" not in content
        assert "https://meet.example.com/room" in content
        assert "Hello!" in content
        assert "Please help." in content
        assert "Cancel request" in content
        assert "Mark as completed" not in content

    def test_payment_state_shows_the_sellers_instructions(
        self, customer_client, customer, product, purchase
    ):
        SellerSupportSettings.objects.create(
            seller=product.seller, payment_instructions="IBAN DE00 1234"
        )
        support_request = open_request(customer, product)
        url = reverse("support:detail", args=[support_request.pk])
        assert "IBAN DE00 1234" not in customer_client.get(url).content.decode()
        at_status(support_request, S.PAYMENT)
        content = customer_client.get(url).content.decode()
        assert "IBAN DE00 1234" in content
        assert "Cancel request" not in content

    def test_other_users_get_404(self, client, customer, product, purchase):
        support_request = open_request(customer, product)
        client.force_login(UserFactory())
        url = reverse("support:detail", args=[support_request.pk])
        assert client.get(url).status_code == 404
        assert (
            client.post(
                reverse("support:cancel", args=[support_request.pk])
            ).status_code
            == 404
        )
        support_request.refresh_from_db()
        assert support_request.status == S.NEW


class TestActions:
    def test_cancel_in_early_stage(self, customer_client, customer, product, purchase):
        support_request = open_request(customer, product)
        response = customer_client.post(
            reverse("support:cancel", args=[support_request.pk])
        )
        assert response.status_code == 302
        support_request.refresh_from_db()
        assert support_request.status == S.CANCELLED

    def test_cancel_refused_once_in_progress(
        self, customer_client, customer, product, purchase
    ):
        support_request = at_status(open_request(customer, product), S.IN_PROGRESS)
        response = customer_client.post(
            reverse("support:cancel", args=[support_request.pk]), follow=True
        )
        assert b"cannot be moved to cancelled" in response.content
        support_request.refresh_from_db()
        assert support_request.status == S.IN_PROGRESS

    def test_complete_only_from_in_progress(
        self, customer_client, customer, product, purchase
    ):
        support_request = open_request(customer, product)
        url = reverse("support:complete", args=[support_request.pk])
        customer_client.post(url)
        support_request.refresh_from_db()
        assert support_request.status == S.NEW
        at_status(support_request, S.IN_PROGRESS)
        customer_client.post(url)
        support_request.refresh_from_db()
        assert support_request.status == S.COMPLETED

    def test_reply_in_thread_and_refused_when_closed(
        self, customer_client, customer, product, purchase
    ):
        support_request = open_request(customer, product)
        url = reverse("support:reply", args=[support_request.pk])
        customer_client.post(url, {"body": "More details"})
        assert support_request.messages.get().body == "More details"
        at_status(support_request, S.CANCELLED)
        response = customer_client.post(url, {"body": "Hello?"}, follow=True)
        assert b"can no longer be changed" in response.content
        assert support_request.messages.count() == 1

    def test_get_is_not_allowed(self, customer_client, customer, product, purchase):
        support_request = open_request(customer, product)
        response = customer_client.get(
            reverse("support:cancel", args=[support_request.pk])
        )
        assert response.status_code == 405


class TestMySupportList:
    url = "/account/support/"

    def test_lists_own_requests_with_allowed_buttons(
        self, customer_client, customer, product, purchase
    ):
        new = open_request(customer, product, subject="First one")
        other_product = ProductPageFactory(title="Font Pack")
        PurchasedProductFactory(
            order=PaidOrderFactory(user=customer, product=other_product)
        )
        working = at_status(open_request(customer, other_product), S.IN_PROGRESS)
        stranger_product = ProductPageFactory()
        stranger = UserFactory()
        PurchasedProductFactory(
            order=PaidOrderFactory(user=stranger, product=stranger_product)
        )
        open_request(stranger, stranger_product, subject="Not yours")

        response = customer_client.get(self.url)
        content = response.content.decode()
        assert response.status_code == 200
        assert "First one" in content
        assert "Not yours" not in content
        assert reverse("support:cancel", args=[new.pk]) in content
        assert reverse("support:complete", args=[new.pk]) not in content
        assert reverse("support:complete", args=[working.pk]) in content
        assert reverse("support:cancel", args=[working.pk]) not in content

    def test_query_count_does_not_grow_with_requests(
        self, customer_client, customer, django_assert_num_queries
    ):
        def add_requests(n):
            for _ in range(n):
                product = ProductPageFactory()
                PurchasedProductFactory(
                    order=PaidOrderFactory(user=customer, product=product)
                )
                open_request(customer, product)

        add_requests(1)
        customer_client.get(self.url)  # warm the per-site caches (maintenance state)
        # The user, the list and its count, and the session unless it comes from
        # the cache (site_config.sessions, with Redis); a customer's page never
        # asks for Wagtail permissions: the userbar is for those in the admin.
        cached_session = settings.SESSION_ENGINE == "site_config.sessions"
        with django_assert_num_queries(3 if cached_session else 4) as captured:
            customer_client.get(self.url)
        baseline = len(captured.captured_queries)
        add_requests(4)
        with django_assert_num_queries(baseline):
            response = customer_client.get(self.url)
        assert len(response.context["support_requests"]) == 5


def test_seller_buying_as_a_customer_has_the_same_support_list(client, product):
    other_seller_as_buyer = ProductPageFactory().seller
    PurchasedProductFactory(
        order=PaidOrderFactory(user=other_seller_as_buyer, product=product)
    )
    support_request = open_request(other_seller_as_buyer, product, subject="As buyer")
    client.force_login(other_seller_as_buyer)
    content = client.get("/account/support/").content.decode()
    assert "As buyer" in content
    assert reverse("support:cancel", args=[support_request.pk]) in content
