"""Who is e-mailed about a new release, once, and the one-click unsubscribe."""

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.tests.factories import SellerFactory, StaffFactory
from catalog.tests.factories import publish_release
from commerce.downloads.tests.helpers import revoke, suspend
from commerce.tests.factories import PurchasedProductFactory
from commerce.updates.models import (
    ProductUpdateOptOut,
    ReleaseAnnouncement,
    ReleaseEmail,
)
from commerce.updates.tokens import unsubscribe_token_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyers():
    active = PurchasedProductFactory()
    product = active.product

    def another(**kwargs):
        return PurchasedProductFactory(
            order__product=product, order__user__email=kwargs.pop("email")
        )

    refunded = another(email="refunded@example.com")
    revoke(refunded)
    suspended = another(email="suspended@example.com")
    suspend(suspended)
    unsubscribed = another(email="unsubscribed@example.com")
    ProductUpdateOptOut.objects.create(user=unsubscribed.user, product=product)
    switched_off = another(email="switched-off@example.com")
    switched_off.user.product_update_emails = False
    switched_off.user.save(update_fields=["product_update_emails"])
    return {"product": product, "active": active}


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def test_only_buyers_with_an_active_grant_who_want_it_are_emailed(
    buyers, mailoutbox, committed
):
    with committed():
        publish_release(buyers["product"], version="2.0.0", changes="Two chapters")
    assert recipients(mailoutbox) == [buyers["active"].user.email]
    message = mailoutbox[0]
    assert "2.0.0" in message.subject
    assert "Two chapters" in message.body
    assert "/account/products/" in message.body
    html = message.alternatives[0][0]
    assert "Two chapters" in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/updates/unsubscribe/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    announcement = ReleaseAnnouncement.objects.get()
    assert (announcement.version, announcement.recipients) == ("2.0.0", 1)
    assert ReleaseEmail.objects.get().sent_at is not None


def test_republishing_the_same_release_sends_nothing_again(
    buyers, mailoutbox, committed
):
    with committed():
        publish_release(buyers["product"], version="2.0.0")
    assert len(mailoutbox) == 1
    with committed():
        page = buyers["product"].get_latest_revision_as_object()
        page.summary = "Edited after the release"
        page.save_revision().publish()
        page.save_revision().publish()
    assert len(mailoutbox) == 1
    assert ReleaseAnnouncement.objects.count() == 1


def test_the_database_refuses_a_second_announcement_or_email():
    from django.db import IntegrityError, transaction

    purchase = PurchasedProductFactory()
    announcement = ReleaseAnnouncement.objects.create(
        product=purchase.product, version="3.0", notify=True
    )
    ReleaseEmail.objects.create(announcement=announcement, user=purchase.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReleaseAnnouncement.objects.create(
            product=purchase.product, version="3.0", notify=True
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReleaseEmail.objects.create(announcement=announcement, user=purchase.user)


def test_a_release_marked_dont_notify_emails_nobody(buyers, mailoutbox, committed):
    with committed():
        publish_release(buyers["product"], version="2.0.1", notify_buyers=False)
    assert mailoutbox == []
    assert ReleaseAnnouncement.objects.get().notify is False


def test_an_older_release_added_to_the_history_is_not_announced(
    buyers, mailoutbox, committed
):
    with committed():
        publish_release(buyers["product"], version="2.0.0")
        publish_release(
            buyers["product"],
            version="1.0.0",
            released_on=timezone.localdate() - timezone.timedelta(days=90),
        )
    assert len(mailoutbox) == 1
    assert list(ReleaseAnnouncement.objects.values_list("version", flat=True)) == [
        "2.0.0"
    ]


@override_settings(RELEASE_EMAIL_BATCH_SIZE=2)
def test_buyers_are_emailed_in_batches(mailoutbox, committed):
    first = PurchasedProductFactory()
    for n in range(4):
        PurchasedProductFactory(
            order__product=first.product, order__user__email=f"b{n}@example.com"
        )
    from outbox.models import OutboxMessage

    with committed():
        publish_release(first.product, version="2.0.0")
    assert len(mailoutbox) == 5
    batches = OutboxMessage.objects.filter(
        task_name="commerce.release_email_batch_send"
    )
    assert sorted(len(m.args[0]) for m in batches) == [1, 2, 2]


def test_a_buyer_refunded_after_the_fan_out_is_skipped(mailoutbox):
    from commerce.updates.services import (
        release_announcement_fan_out,
        release_email_send,
    )

    purchase = PurchasedProductFactory()
    publish_release(purchase.product, version="2.0.0")  # on-commit never runs
    announcement = ReleaseAnnouncement.objects.get()
    release_announcement_fan_out(announcement_id=announcement.pk)
    revoke(purchase)
    email = ReleaseEmail.objects.get()
    assert release_email_send(email_id=email.pk) is False
    assert mailoutbox == []
    email.refresh_from_db()
    assert email.sent_at is None and email.skipped


def test_one_click_unsubscribe_stops_the_next_release(client, mailoutbox, committed):
    purchase = PurchasedProductFactory()
    token = unsubscribe_token_make(
        user_id=purchase.user.pk, product_id=purchase.product.pk
    )
    url = f"/updates/unsubscribe/{token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert not ProductUpdateOptOut.objects.exists()  # a GET never unsubscribes
    # What a mail client's one-click sends (RFC 8058): a POST with no CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert ProductUpdateOptOut.objects.filter(
        user=purchase.user, product=purchase.product
    ).exists()
    with committed():
        publish_release(purchase.product, version="2.0.0")
    assert mailoutbox == []


def test_a_forged_unsubscribe_token_is_refused(client):
    purchase = PurchasedProductFactory()
    token = unsubscribe_token_make(
        user_id=purchase.user.pk, product_id=purchase.product.pk
    )
    assert client.post(f"/updates/unsubscribe/{token[:-2]}xx/").status_code == 404
    assert client.get("/updates/unsubscribe/garbage/").status_code == 404
    assert not ProductUpdateOptOut.objects.exists()


def test_profile_switch_turns_update_emails_off(client):
    purchase = PurchasedProductFactory()
    client.force_login(purchase.user)
    page = client.get("/account/profile/").content.decode()
    assert "product_update_emails" in page
    client.post("/account/profile/", {"full_name": "Pat"})  # box unticked
    purchase.user.refresh_from_db()
    assert purchase.user.product_update_emails is False


def test_the_sellers_admin_shows_how_many_buyers_were_told(
    client, buyers, mailoutbox, committed
):
    with committed():
        publish_release(buyers["product"], version="2.0.0")
    seller = buyers["product"].seller
    client.force_login(seller)
    html = client.get("/admin/commerce/releaseannouncement/").content.decode()
    assert "2.0.0" in html and "1 of 1" in html
    client.force_login(SellerFactory())
    html = client.get("/admin/commerce/releaseannouncement/").content.decode()
    assert "2.0.0" not in html
    client.force_login(StaffFactory(is_superuser=True))
    html = client.get("/admin/commerce/releaseannouncement/").content.decode()
    assert "1 of 1" in html
