"""What each notice says and how it goes out: e-mail (text + HTML) or Telegram.

Templates live under ``templates/commerce/email/<kind>_{subject.txt,body.txt,
body.html}``; amounts are written by ``commerce.money`` in the shop's locale.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from commerce.models import NoticeKind, Order, OrderNotice
from commerce.money import format_money
from site_config.base_url import absolute_url
from support.models import SellerSupportSettings
from support.notifications import telegram_send

# Dodo's dispute states, as the buyer reads them.
DISPUTE_OUTCOMES = {
    "dispute_opened": "paused",
    "dispute_challenged": "paused",
    "dispute_won": "restored",
    "dispute_cancelled": "restored",
    "dispute_lost": "ended",
    "dispute_accepted": "ended",
    "dispute_expired": "ended",
}


def paid_text(order: Order) -> str:
    """What the buyer actually paid, in the currency they paid in."""
    if order.total_amount is None:
        return format_money(order.amount, order.currency)
    return format_money(order.total_amount, order.paid_currency or order.currency)


def order_context(order: Order) -> dict:
    product = order.product
    paid_currency = order.paid_currency or order.currency
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "order": order,
        "product": product,
        "buyer": order.user,
        "paid": paid_text(order),
        "paid_currency": paid_currency,
        "list_price": format_money(order.amount, order.currency),
        "shows_list_price": paid_currency != order.currency
        or (order.total_amount is not None and order.total_amount != order.amount),
        "tax": (
            format_money(order.tax_amount, paid_currency) if order.tax_amount else ""
        ),
        "settled": (
            format_money(order.settlement_amount, order.settlement_currency)
            if order.settlement_amount is not None and order.settlement_currency
            else ""
        ),
        "library_url": absolute_url(
            reverse("accounts:products") + f"#product-{product.pk}"
        ),
        "invoice_url": absolute_url(reverse("commerce:order_invoice", args=[order.pk])),
        "orders_url": absolute_url(reverse("accounts:orders")),
        "product_url": absolute_url(product.url or "/"),
        "seller_order_url": absolute_url(
            reverse("commerce_order_modeladmin_inspect", args=[order.pk])
        ),
    }


def notice_context(notice: OrderNotice) -> dict:
    context = order_context(notice.order)
    data = notice.data or {}
    if notice.kind == NoticeKind.REFUND:
        amount, currency = data.get("amount"), data.get("currency")
        context["refund"] = (
            format_money(amount, currency) if amount is not None and currency else ""
        )
        context["refund_full"] = bool(data.get("full"))
    if notice.kind == NoticeKind.REFUND_DECLINED:
        context["decision_note"] = data.get("note", "")
    if notice.kind == NoticeKind.DISPUTE:
        context["dispute_outcome"] = DISPUTE_OUTCOMES.get(
            data.get("status", ""), "paused"
        )
    return context


def render_email(notice: OrderNotice) -> tuple[str, str, str]:
    """Subject, text body and HTML body of an e-mail notice."""
    context = notice_context(notice)
    name = f"commerce/email/{notice.kind}"
    subject = render_to_string(f"{name}_subject.txt", context)
    text = render_to_string(f"{name}_body.txt", context)
    html = render_to_string(f"{name}_body.html", context)
    return " ".join(subject.split()), text, html


def recipient(notice: OrderNotice) -> str:
    if notice.kind in (NoticeKind.SALE_EMAIL, NoticeKind.SALE_TELEGRAM):
        return notice.order.product.seller.email
    return notice.order.user.email


def sale_telegram_text(notice: OrderNotice) -> str:
    context = order_context(notice.order)
    text = (
        f"New sale: {context['product'].title}\n"
        f"Order #{notice.order.pk}, paid {context['paid']} by {notice.order.user.email}"
    )
    if context["settled"]:
        text += f"\nYou are credited {context['settled']}."
    return f"{text}\n\nOpen: {context['seller_order_url']}"


def seller_chat_id(order: Order) -> str:
    """The seller's own Telegram chat (support settings), else the shop's one."""
    own = (
        SellerSupportSettings.objects.filter(seller_id=order.product.seller_id)
        .values_list("telegram_chat_id", flat=True)
        .first()
    )
    return own or settings.TELEGRAM_CHAT_ID


def notice_send(notice: OrderNotice) -> bool:
    """Send on the notice's channel; False when that channel is not configured."""
    if notice.kind == NoticeKind.SALE_TELEGRAM:
        return telegram_send(
            chat_id=seller_chat_id(notice.order), text=sale_telegram_text(notice)
        )
    subject, text, html = render_email(notice)
    message = EmailMultiAlternatives(subject, text, to=[recipient(notice)])
    message.attach_alternative(html, "text/html")
    message.send()
    return True
