"""Receipts and notices: recorded with the state change, sent once, with content."""

import pytest
from django.core import mail

from commerce.models import NoticeKind, OrderNotice
from commerce.notices.tasks import order_notice_send_task
from commerce.tests.conftest import deliver, dispute_data, payment_data, refund_data
from support.tests.fake_telegram import FakeBotApi

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(synced_order):
    synced_order.user.full_name = "Bea Buyer"
    synced_order.user.save()
    seller = synced_order.product.seller
    seller.full_name = "Sam Seller"
    seller.save()
    synced_order.product.title = "Vector Icon Pack"
    synced_order.product.save()
    return synced_order


def pay(client, order, capture, **fields):
    with capture(execute=True):
        response = deliver(client, "payment.succeeded", payment_data(order, **fields))
    assert response.status_code == 200
    order.refresh_from_db()
    return order


def by_recipient(to):
    return [m for m in mail.outbox if m.to == [to]]


def html_of(message):
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def test_paying_sends_the_receipt_and_the_sale_notice_once(
    client, order, django_capture_on_commit_callbacks
):
    pay(client, order, django_capture_on_commit_callbacks)
    buyer, seller = order.user.email, order.product.seller.email
    (receipt,) = by_recipient(buyer)
    (sale,) = by_recipient(seller)

    assert receipt.subject == (
        f"Your receipt for “Vector Icon Pack” (order #{order.pk})"
    )
    assert "Hello Bea" in receipt.body
    assert "Paid: $25.00" in receipt.body
    assert "Payment: pay_1" in receipt.body
    library = f"http://testserver/account/products/#product-{order.product_id}"
    invoice = f"http://testserver/orders/{order.pk}/invoice/"
    assert library in receipt.body and invoice in receipt.body
    html = html_of(receipt)
    assert "<strong>$25.00</strong>" in html
    assert f'href="{library}"' in html and f'href="{invoice}"' in html
    assert "Download from your library" in html

    assert sale.subject == "New sale: “Vector Icon Pack” for $25.00"
    assert "Hello Sam" in sale.body and f"Buyer: {buyer}" in sale.body
    assert f"/admin/commerce/order/inspect/{order.pk}/" in sale.body
    assert "Open the order" in html_of(sale)

    # Dodo delivers the same payment again (another webhook id): nothing new.
    pay(client, order, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    kinds = set(OrderNotice.objects.values_list("kind", flat=True))
    assert kinds == {NoticeKind.RECEIPT, NoticeKind.SALE_EMAIL}
    assert all(n.sent_at for n in OrderNotice.objects.all())


def test_receipt_shows_what_the_buyer_paid_in_their_currency(
    client, order, django_capture_on_commit_callbacks
):
    pay(
        client,
        order,
        django_capture_on_commit_callbacks,
        currency="EUR",
        total_amount=2391,
        tax=391,
        settlement_amount=2500,
        settlement_currency="USD",
    )
    (receipt,) = by_recipient(order.user.email)
    assert "Paid: €23.91 (tax €3.91 included)" in receipt.body
    assert "List price: $25.00" in receipt.body
    (sale,) = by_recipient(order.product.seller.email)
    assert sale.subject == "New sale: “Vector Icon Pack” for €23.91"
    assert "You are credited: $25.00" in sale.body


def test_a_retried_send_task_does_not_send_twice(
    client, order, django_capture_on_commit_callbacks
):
    pay(client, order, django_capture_on_commit_callbacks)
    notice = OrderNotice.objects.get(kind=NoticeKind.RECEIPT)
    assert order_notice_send_task.apply(args=[notice.pk]).result is False
    assert len(by_recipient(order.user.email)) == 1


def test_new_sale_on_telegram_when_configured(
    client, order, settings, django_capture_on_commit_callbacks
):
    server = FakeBotApi()
    server.start()
    try:
        settings.TELEGRAM_BOT_TOKEN = "123456:TEST-token"
        settings.TELEGRAM_API_BASE_URL = f"{server.url}/bot"
        settings.TELEGRAM_CHAT_ID = "-100200300"
        pay(client, order, django_capture_on_commit_callbacks)
        pay(client, order, django_capture_on_commit_callbacks)
    finally:
        server.stop()
    (sent,) = server.sent
    assert sent["chat_id"] == "-100200300"
    assert sent["text"] == (
        "New sale: Vector Icon Pack\n"
        f"Order #{order.pk}, paid $25.00 by {order.user.email}\n"
        "You are credited $25.00.\n\n"
        f"Open: http://testserver/admin/commerce/order/inspect/{order.pk}/"
    )


def test_refund_notices_full_and_partial(
    client, order, django_capture_on_commit_callbacks
):
    pay(client, order, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    partial = refund_data("pay_1", amount=1000, is_partial=True)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "refund.succeeded", partial)
        deliver(client, "refund.succeeded", partial)  # replayed: one notice
    (notice,) = mail.outbox
    assert notice.to == [order.user.email]
    assert notice.subject == (
        f"Refund for “Vector Icon Pack”: $10.00 (order #{order.pk})"
    )
    assert "we refunded $10.00 of your payment" in notice.body
    assert "The product stays in your library." in notice.body
    assert "<strong>$10.00</strong>" in html_of(notice)

    rest = {**refund_data("pay_1", amount=1500, is_partial=True), "refund_id": "rfd_2"}
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "refund.succeeded", rest)
    assert len(mail.outbox) == 2
    assert "$15.00" in mail.outbox[1].subject
    assert "The product is no longer in your library." in mail.outbox[1].body


def test_dispute_notices_paused_then_restored(
    client, order, django_capture_on_commit_callbacks
):
    pay(client, order, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "dispute.opened", dispute_data("pay_1", "dispute_opened"))
        deliver(
            client, "dispute.challenged", dispute_data("pay_1", "dispute_challenged")
        )
    (paused,) = mail.outbox
    assert paused.subject == (
        "Your payment for “Vector Icon Pack” is disputed: access paused"
    )
    assert "your bank has disputed the payment of $25.00" in paused.body
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "dispute.won", dispute_data("pay_1", "dispute_won"))
    assert mail.outbox[1].subject == (
        "Dispute closed: “Vector Icon Pack” is yours again"
    )
    assert "Open your library" in html_of(mail.outbox[1])


def test_a_lost_dispute_tells_the_buyer_access_ended(
    client, order, django_capture_on_commit_callbacks
):
    pay(client, order, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "dispute.lost", dispute_data("pay_1", "dispute_lost"))
    (ended,) = mail.outbox
    assert ended.subject == (
        "Dispute closed: your access to “Vector Icon Pack” has ended"
    )
    assert "the money went back to you" in ended.body


def test_a_payments_notices_go_in_one_message_and_a_retry_skips_the_sent(
    client, order, monkeypatch
):
    from commerce.notices import messages
    from commerce.notices.tasks import order_paid_notices_send_task
    from outbox.models import OutboxMessage

    deliver(client, "payment.succeeded", payment_data(order))  # not committed: queued
    # The payment's transaction holds one outbox row; the task records the notices.
    (message,) = OutboxMessage.objects.filter(
        task_name="commerce.order_paid_notices_send"
    )
    assert message.args == [order.pk]
    assert not OrderNotice.objects.filter(order=order).exists()

    real = messages.notice_send

    def seller_mail_down(notice):
        if notice.kind == NoticeKind.SALE_EMAIL:
            raise ConnectionRefusedError("SMTP down")
        return real(notice)

    monkeypatch.setattr(messages, "notice_send", seller_mail_down)
    with pytest.raises(ConnectionRefusedError):
        order_paid_notices_send_task.run(*message.args)
    assert [m.to for m in mail.outbox] == [[order.user.email]]
    receipt, sale = OrderNotice.objects.filter(order=order).order_by("pk")
    assert (receipt.kind, sale.kind) == (NoticeKind.RECEIPT, NoticeKind.SALE_EMAIL)
    assert receipt.sent_at and not sale.sent_at

    monkeypatch.setattr(messages, "notice_send", real)
    assert order_paid_notices_send_task.run(*message.args) is True  # the retry
    assert [m.to for m in mail.outbox] == [
        [order.user.email],
        [order.product.seller.email],
    ]
    assert order_paid_notices_send_task.run(*message.args) is False  # nothing left
    assert OrderNotice.objects.filter(order=order).count() == 2


def test_a_paid_orders_notices_are_recorded_once_whoever_asks_again(order):
    """Their unique keys, not a lookup first, keep them one set per order."""
    from commerce.notices.services import order_paid_notices_record

    first = order_paid_notices_record(order_id=order.pk)
    again = order_paid_notices_record(order_id=order.pk)
    assert [n.pk for n in again] == [n.pk for n in first]
    assert [n.kind for n in first] == [NoticeKind.RECEIPT, NoticeKind.SALE_EMAIL]
    assert OrderNotice.objects.filter(order=order).count() == 2
