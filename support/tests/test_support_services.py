import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.tests.factories import SellerFactory, StaffFactory, UserFactory
from support import services
from support.models import (
    SupportMessage,
    SupportRequest,
    SupportStatus,
    SupportTransition,
)

S = SupportStatus
pytestmark = pytest.mark.django_db


def make_request(customer, product, **kwargs):
    return services.support_request_create(
        customer=customer,
        product=product,
        subject=kwargs.get("subject", "Install help"),
        message=kwargs.get("message", "It will not start."),
    )


def at_status(support_request, status):
    """Put a request in ``status`` directly (test setup, not a transition)."""
    SupportRequest.objects.filter(pk=support_request.pk).update(status=status)
    support_request.refresh_from_db()
    return support_request


class TestCreate:
    def test_creates_new_request_on_the_active_purchase(
        self, customer, product, purchase
    ):
        support_request = make_request(customer, product)
        assert support_request.status == S.NEW
        assert support_request.purchase == purchase
        log = SupportTransition.objects.get(request=support_request)
        assert (log.actor, log.from_status, log.to_status) == (customer, "", S.NEW)

    def test_refused_without_a_purchase(self, customer, product):
        with pytest.raises(services.SupportNotAllowed):
            make_request(customer, product)
        assert not SupportRequest.objects.exists()

    def test_refused_after_a_refund(self, customer, product, purchase):
        purchase.revoked_at = timezone.now()
        purchase.revoke_reason = "refund"
        purchase.save()
        with pytest.raises(services.SupportNotAllowed):
            make_request(customer, product)
        assert not SupportRequest.objects.exists()

    def test_refused_while_suspended_by_a_dispute(self, customer, product, purchase):
        purchase.suspended_at = timezone.now()
        purchase.save()
        with pytest.raises(services.SupportNotAllowed):
            make_request(customer, product)

    def test_model_refuses_a_revoked_or_foreign_purchase(
        self, customer, product, purchase
    ):
        other = UserFactory()
        with pytest.raises(ValidationError):
            SupportRequest.objects.create(
                customer=other, product=product, purchase=purchase, subject="x",
                message="y",
            )  # fmt: skip
        purchase.revoked_at = timezone.now()
        purchase.save()
        with pytest.raises(ValidationError):
            SupportRequest.objects.create(
                customer=customer, product=product, purchase=purchase, subject="x",
                message="y",
            )  # fmt: skip
        assert not SupportRequest.objects.exists()

    def test_database_refuses_a_request_without_purchase(self, customer, product):
        with pytest.raises(IntegrityError), transaction.atomic():
            SupportRequest.objects.bulk_create(
                [SupportRequest(customer=customer, product=product, subject="x")]
            )

    def test_one_active_request_per_product(self, customer, product, purchase):
        first = make_request(customer, product)
        with pytest.raises(services.SupportDuplicateActive) as excinfo:
            make_request(customer, product)
        assert excinfo.value.existing == first
        assert SupportRequest.objects.count() == 1

    def test_database_constraint_holds_without_the_service(
        self, customer, product, purchase
    ):
        make_request(customer, product)
        with pytest.raises(IntegrityError), transaction.atomic():
            SupportRequest.objects.create(
                customer=customer, product=product, purchase=purchase, subject="b",
                message="b",
            )  # fmt: skip

    @pytest.mark.parametrize("closed", [S.COMPLETED, S.CANCELLED])
    def test_no_limit_over_time(self, customer, product, purchase, closed):
        at_status(make_request(customer, product), closed)
        second = make_request(customer, product)
        assert second.status == S.NEW
        assert SupportRequest.objects.count() == 2


# Every (from, to) pair; the allowed ones per role are listed explicitly.
ALL_PAIRS = [(a, b) for a in S.values for b in S.values if a != b]
SELLER_ALLOWED = {
    (S.NEW, S.DISCUSSING),
    (S.DISCUSSING, S.PAYMENT),
    (S.PAYMENT, S.IN_PROGRESS),
    (S.NEW, S.CANCELLED),
    (S.DISCUSSING, S.CANCELLED),
    (S.PAYMENT, S.CANCELLED),
    (S.IN_PROGRESS, S.CANCELLED),
    (S.IN_PROGRESS, S.COMPLETED),  # the seller, once the work is delivered
}
CUSTOMER_ALLOWED = {
    (S.NEW, S.CANCELLED),
    (S.DISCUSSING, S.CANCELLED),
    (S.IN_PROGRESS, S.COMPLETED),
}
TIMESTAMP = {
    S.DISCUSSING: "discussing_at",
    S.PAYMENT: "payment_at",
    S.IN_PROGRESS: "in_progress_at",
    S.COMPLETED: "completed_at",
    S.CANCELLED: "cancelled_at",
}


def actor_for(role, support_request):
    return {
        "seller": support_request.product.seller,
        "customer": support_request.customer,
        "staff": StaffFactory(),
    }[role]


@pytest.mark.parametrize("role", ["seller", "staff", "customer"])
@pytest.mark.parametrize(("from_status", "to_status"), ALL_PAIRS)
def test_transition_matrix(customer, product, purchase, role, from_status, to_status):
    support_request = at_status(make_request(customer, product), from_status)
    actor = actor_for(role, support_request)
    allowed = CUSTOMER_ALLOWED if role == "customer" else SELLER_ALLOWED
    logs_before = SupportTransition.objects.count()
    if (from_status, to_status) in allowed:
        services.support_request_transition(
            support_request=support_request, actor=actor, to_status=to_status
        )
        support_request.refresh_from_db()
        assert support_request.status == to_status
        assert getattr(support_request, TIMESTAMP[to_status]) is not None
        log = SupportTransition.objects.latest("pk")
        assert (log.actor, log.from_status, log.to_status) == (
            actor,
            from_status,
            to_status,
        )
    else:
        with pytest.raises(services.SupportError) as excinfo:
            services.support_request_transition(
                support_request=support_request, actor=actor, to_status=to_status
            )
        assert excinfo.value.messages[0]
        support_request.refresh_from_db()
        assert support_request.status == from_status
        assert SupportTransition.objects.count() == logs_before
        if to_status in TIMESTAMP:
            assert getattr(support_request, TIMESTAMP[to_status]) is None


def test_allowed_moves_match_the_matrix(customer, product, purchase):
    support_request = make_request(customer, product)
    seller = support_request.product.seller
    for status in S.values:
        at_status(support_request, status)
        assert set(
            services.support_request_allowed_moves(
                support_request=support_request, user=seller
            )
        ) == {b for a, b in SELLER_ALLOWED if a == status}
        assert set(
            services.support_request_allowed_moves(
                support_request=support_request, user=customer
            )
        ) == {b for a, b in CUSTOMER_ALLOWED if a == status}


def test_unknown_status_is_refused(customer, product, purchase):
    support_request = make_request(customer, product)
    with pytest.raises(services.SupportTransitionRefused):
        services.support_request_transition(
            support_request=support_request, actor=product.seller, to_status="PAID"
        )
    support_request.refresh_from_db()
    assert support_request.status == S.NEW


def test_strangers_cannot_touch_a_request(customer, product, purchase):
    support_request = make_request(customer, product)
    for stranger in (UserFactory(), SellerFactory()):
        with pytest.raises(services.SupportNotAllowed):
            services.support_request_transition(
                support_request=support_request,
                actor=stranger,
                to_status=S.CANCELLED,
            )
        with pytest.raises(services.SupportNotAllowed):
            services.support_message_add(
                support_request=support_request, author=stranger, body="hi"
            )
        with pytest.raises(services.SupportNotAllowed):
            services.support_request_update_details(
                support_request=support_request,
                actor=stranger,
                meeting_link="",
                internal_notes="mine",
            )
    support_request.refresh_from_db()
    assert support_request.status == S.NEW
    assert support_request.internal_notes == ""
    assert not SupportMessage.objects.exists()


def test_customer_cannot_edit_notes_or_meeting_link(customer, product, purchase):
    support_request = make_request(customer, product)
    with pytest.raises(services.SupportNotAllowed):
        services.support_request_update_details(
            support_request=support_request,
            actor=customer,
            meeting_link="https://meet.example.com/x",
            internal_notes="hm",
        )


def test_seller_sets_meeting_link_and_notes(customer, product, purchase):
    support_request = make_request(customer, product)
    services.support_request_update_details(
        support_request=support_request,
        actor=product.seller,
        meeting_link="https://meet.example.com/abc",
        internal_notes="Charge 50 USD.",
    )
    support_request.refresh_from_db()
    assert support_request.meeting_link == "https://meet.example.com/abc"
    assert support_request.internal_notes == "Charge 50 USD."


@pytest.mark.parametrize("closed", [S.COMPLETED, S.CANCELLED])
def test_closed_requests_are_immutable(customer, product, purchase, closed):
    support_request = make_request(customer, product)
    services.support_request_update_details(
        support_request=support_request,
        actor=product.seller,
        meeting_link="https://meet.example.com/abc",
        internal_notes="before",
    )
    at_status(support_request, closed)
    seller = product.seller
    for call in (
        lambda: services.support_request_update_details(
            support_request=support_request,
            actor=seller,
            meeting_link="https://other.example.com/",
            internal_notes="after",
        ),
        lambda: services.support_message_add(
            support_request=support_request, author=customer, body="again?"
        ),
        lambda: services.support_message_add(
            support_request=support_request, author=seller, body="late reply"
        ),
        lambda: services.support_request_transition(
            support_request=support_request, actor=seller, to_status=S.NEW
        ),
    ):
        with pytest.raises(services.SupportClosed):
            call()
    support_request.refresh_from_db()
    assert support_request.status == closed
    assert support_request.internal_notes == "before"
    assert support_request.meeting_link == "https://meet.example.com/abc"
    assert not SupportMessage.objects.exists()


def test_thread_messages_from_both_sides(customer, product, purchase):
    support_request = make_request(customer, product)
    services.support_message_add(
        support_request=support_request, author=customer, body="Any news?"
    )
    services.support_message_add(
        support_request=support_request, author=product.seller, body="Tomorrow."
    )
    assert list(support_request.messages.values_list("body", flat=True)) == [
        "Any news?",
        "Tomorrow.",
    ]
    with pytest.raises(services.SupportError):
        services.support_message_add(
            support_request=support_request, author=customer, body="   "
        )
