"""The Dodo boundary: one small function per Dodo call, through the real SDK.

In sandbox mode (``settings.DODO_SANDBOX``) the SDK's ``base_url`` is our own
emulation under ``/dodo-sandbox/api/``; otherwise ``environment`` picks Dodo's test or
live API. ``base_url`` is always passed explicitly (``None`` outside the sandbox) so a
stray ``DODO_PAYMENTS_BASE_URL`` cannot raise the SDK's "Ambiguous URL" error.

Deadlines: a call made while serving a web request (checkout, the return page's
re-check, a staff refund) gets ``REQUEST_TIMEOUT`` and no SDK retry, so a hung Dodo
costs the buyer a few seconds and a clear message, far below gunicorn's 30 s. Inside
a Celery worker (not an eager run, which happens in the request) reads may wait
``BACKGROUND_TIMEOUT`` and be retried by the SDK; the tasks retry writes themselves.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import dodopayments
import httpx
from celery import current_task
from django.conf import settings

from site_config.base_url import absolute_url

logger = logging.getLogger(__name__)

SANDBOX_API_PATH = "/dodo-sandbox/api/"
# Dodo's own default is 60 s with 2 retries. httpx limits each phase (connect, then
# each read), so a server that accepts and never answers costs REQUEST_TIMEOUT once.
REQUEST_TIMEOUT = httpx.Timeout(4.0, connect=2.0)
BACKGROUND_TIMEOUT = httpx.Timeout(15.0, connect=5.0)

DodoError = dodopayments.DodoPaymentsError
# No answer (refused, reset, timed out): a write may or may not have happened.
DodoUnreachable = dodopayments.APIConnectionError


def sandbox_api_url() -> str:
    return absolute_url(SANDBOX_API_PATH)


def sandbox_token() -> str:
    """The bearer token the sandbox API requires (and our SDK client sends to it).

    ``DODO_SANDBOX_TOKEN`` when set; otherwise derived from ``SECRET_KEY``, so a
    development site works with nothing configured and nobody can guess it.
    """
    if settings.DODO_SANDBOX_TOKEN:
        return settings.DODO_SANDBOX_TOKEN
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"dodo-sandbox-api-token", hashlib.sha256
    ).hexdigest()
    return f"sbx_{digest[:40]}"


def webhook_key() -> str:
    """The Standard Webhooks secret; in sandbox mode derived when none is set."""
    if settings.DODO_PAYMENTS_WEBHOOK_KEY:
        return settings.DODO_PAYMENTS_WEBHOOK_KEY
    if settings.DODO_SANDBOX:
        digest = hashlib.sha256(f"dodo-sandbox:{settings.SECRET_KEY}".encode()).digest()
        return "whsec_" + base64.b64encode(digest).decode()
    raise dodopayments.DodoPaymentsError("DODO_PAYMENTS_WEBHOOK_KEY is not set.")


def http_client(base_url: str | None = None) -> httpx.Client | None:
    """The sandbox's in-process transport when asked for (tests, seeding), else None.

    The transport itself belongs to the development-only sandbox
    (``commerce.dodo.sandbox.transport``); outside sandbox mode nothing replaces
    the SDK's own HTTP client.
    """
    if settings.DODO_SANDBOX and getattr(settings, "DODO_SANDBOX_IN_PROCESS", False):
        from commerce.dodo.sandbox.transport import in_process_client

        return in_process_client(base_url or sandbox_api_url())
    return None


def in_background() -> bool:
    """True inside a Celery worker's task; an eager (inline) task runs in a request."""
    task = current_task._get_current_object()
    return task is not None and not task.request.is_eager


def get_client(*, max_retries: int | None = None) -> dodopayments.DodoPayments:
    """A configured SDK client with the deadline of where it runs (see above).

    Writes pass ``max_retries=0``: the SDK sends no idempotency key, so its automatic
    retry could create a second object; the Celery task's backoff retries them
    instead. Within a request nothing is retried, whatever is asked.
    """
    if in_background():
        options: dict[str, Any] = {"timeout": BACKGROUND_TIMEOUT}
        if max_retries is not None:
            options["max_retries"] = max_retries
    else:
        options = {"timeout": REQUEST_TIMEOUT, "max_retries": 0}
    options["webhook_key"] = webhook_key()
    if settings.DODO_SANDBOX:
        client = http_client()
        if client is not None:
            options["http_client"] = client
        return dodopayments.DodoPayments(
            bearer_token=sandbox_token(), base_url=sandbox_api_url(), **options
        )
    return dodopayments.DodoPayments(
        bearer_token=settings.DODO_PAYMENTS_API_KEY,
        environment=settings.DODO_PAYMENTS_ENVIRONMENT,
        base_url=None,
        **options,
    )


def _logged(call: str, **context):
    def log(err: Exception) -> None:
        logger.warning("Dodo %s failed (%s): %s", call, context, err)

    return log


def _one_time_price(price: int, currency: str) -> dict[str, Any]:
    return {"type": "one_time_price", "price": price, "currency": currency}


@dataclass(frozen=True)
class LicenseKeySettings:
    """A product's license key settings as Dodo's product create/update take them."""

    enabled: bool = False
    activations_limit: int | None = None
    duration_days: int | None = None
    activation_message: str = ""

    def params(self) -> dict[str, Any]:
        if not self.enabled:
            return {"license_key_enabled": False}
        duration = (
            {"count": self.duration_days, "interval": "Day"}
            if self.duration_days
            else None
        )
        return {
            "license_key_enabled": True,
            "license_key_activations_limit": self.activations_limit,
            "license_key_duration": duration,
            "license_key_activation_message": self.activation_message or None,
        }


def product_create(
    *,
    name: str,
    description: str,
    price: int,
    currency: str,
    tax_category: str,
    license_keys: LicenseKeySettings | None = None,
) -> str:
    """Create a one-time-price product; returns its Dodo id."""
    try:
        product = get_client(max_retries=0).products.create(
            name=name,
            description=description,
            price=_one_time_price(price, currency),
            tax_category=tax_category,
            **(license_keys or LicenseKeySettings()).params(),
        )
    except DodoError as err:
        _logged("products.create", name=name)(err)
        raise
    return product.product_id


def product_update(
    *,
    dodo_product_id: str,
    name: str,
    description: str,
    price: int,
    currency: str,
    tax_category: str,
    license_keys: LicenseKeySettings | None = None,
) -> None:
    try:
        get_client(max_retries=0).products.update(
            dodo_product_id,
            name=name,
            description=description,
            price=_one_time_price(price, currency),
            tax_category=tax_category,
            **(license_keys or LicenseKeySettings()).params(),
        )
    except DodoError as err:
        _logged("products.update", id=dodo_product_id)(err)
        raise


@dataclass(frozen=True)
class DodoProductState:
    """What Dodo holds for a product; ``archived`` is None when Dodo does not say."""

    name: str
    price: int | None
    currency: str
    archived: bool | None


def product_retrieve(*, dodo_product_id: str) -> DodoProductState:
    try:
        product = get_client().products.retrieve(dodo_product_id)
    except DodoError as err:
        _logged("products.retrieve", id=dodo_product_id)(err)
        raise
    price = product.price
    archived = (product.model_extra or {}).get("archived")
    return DodoProductState(
        name=product.name or "",
        price=getattr(price, "price", None),
        currency=str(getattr(price, "currency", "") or ""),
        archived=bool(archived) if archived is not None else None,
    )


def product_archive(*, dodo_product_id: str) -> None:
    try:
        get_client(max_retries=0).products.archive(dodo_product_id)
    except DodoError as err:
        _logged("products.archive", id=dodo_product_id)(err)
        raise


def product_unarchive(*, dodo_product_id: str) -> None:
    try:
        get_client(max_retries=0).products.unarchive(dodo_product_id)
    except DodoError as err:
        _logged("products.unarchive", id=dodo_product_id)(err)
        raise


def customer_create(*, email: str, name: str, user_id: int) -> str:
    try:
        customer = get_client(max_retries=0).customers.create(
            email=email, name=name, metadata={"user_id": str(user_id)}
        )
    except DodoError as err:
        _logged("customers.create", user_id=user_id)(err)
        raise
    return customer.customer_id


def customer_update(*, dodo_customer_id: str, email: str, name: str) -> None:
    try:
        get_client(max_retries=0).customers.update(
            dodo_customer_id, email=email, name=name
        )
    except DodoError as err:
        _logged("customers.update", id=dodo_customer_id)(err)
        raise


# What the hosted checkout lets the buyer do; each choice is explained in
# docs/dodo-checkout.md. Dodo's defaults are not relied on: they change and differ
# per business setting.
CHECKOUT_FEATURE_FLAGS: dict[str, bool] = {
    # Sellers' Dodo discount codes work; the payment's discounts lower the amount
    # a payment must settle (commerce.services.payments).
    "allow_discount_code": True,
    # With adaptive currency the buyer may pay in their own currency; what is
    # checked is the merchant's settlement, not the buyer's currency.
    "allow_currency_selection": True,
    # Dodo is the merchant of record: business buyers may add a tax id for a VAT
    # invoice. A phone number is not needed for a download.
    "allow_tax_id": True,
    "allow_phone_number_collection": False,
    # The customer is passed by id; never create a second Dodo customer.
    "always_create_new_customer": False,
    # Dodo's confirmation page first: our return page does not grant anything.
    "redirect_immediately": False,
}
# A checkout URL is a bearer link: whoever holds it would see the buyer's saved
# cards. Buyers type their card; Dodo's checkout still offers wallets.
CHECKOUT_SHOW_SAVED_PAYMENT_METHODS = False


def checkout_session_create(
    *,
    dodo_product_id: str,
    dodo_customer_id: str,
    billing: dict[str, str],
    return_url: str,
    order_id: int,
    discount_code: str = "",
) -> tuple[str, str]:
    """Create a hosted checkout session; returns ``(session_id, checkout_url)``.

    ``discount_code``: a code the buyer entered and we checked; it is sent as
    ``discount_codes`` (``discount_code`` is deprecated and exclusive with it).
    """
    extra: dict[str, Any] = {}
    if discount_code:
        extra["discount_codes"] = [discount_code]
    try:
        # No automatic retry: each attempt would open another session.
        session = get_client(max_retries=0).checkout_sessions.create(
            product_cart=[{"product_id": dodo_product_id, "quantity": 1}],
            customer={"customer_id": dodo_customer_id},
            billing_address=billing,
            return_url=return_url,
            metadata={"order_id": str(order_id)},
            feature_flags=CHECKOUT_FEATURE_FLAGS,
            show_saved_payment_methods=CHECKOUT_SHOW_SAVED_PAYMENT_METHODS,
            **extra,
        )
    except DodoError as err:
        _logged("checkout_sessions.create", order_id=order_id)(err)
        raise
    return session.session_id, session.checkout_url or ""


def checkout_session_retrieve(*, session_id: str):
    """The session's status: ``payment_id`` and ``payment_status`` once paid."""
    try:
        return get_client().checkout_sessions.retrieve(session_id)
    except DodoError as err:
        _logged("checkout_sessions.retrieve", id=session_id)(err)
        raise


def payment_retrieve(*, payment_id: str):
    try:
        return get_client().payments.retrieve(payment_id)
    except DodoError as err:
        _logged("payments.retrieve", id=payment_id)(err)
        raise


# Dodo's page size ceiling. Pages are asked for by number: the SDK's
# auto-pagination turns an omitted ``page_number`` into 1 and asks for 2 next, so
# with Dodo's 0-based pages it would never fetch page 1.
LIST_PAGE_SIZE = 100


def _every_item(list_call, call: str, **params):
    number = 0
    while True:
        try:
            page = list_call(**params, page_number=number, page_size=LIST_PAGE_SIZE)
        except DodoError as err:
            _logged(call, page=number, **params)(err)
            raise
        yield from page.items
        if len(page.items) < LIST_PAGE_SIZE:
            return
        number += 1


def payment_ids_changed(*, since: datetime, until: datetime | None = None):
    """Yield, once each, the id of every payment created in ``[since, until]``,
    then of every older payment refunded in that window."""
    window: dict[str, Any] = {"created_at_gte": since}
    if until is not None:
        window["created_at_lte"] = until
    client = get_client()
    seen: set[str] = set()
    for item in _every_item(client.payments.list, "payments.list", **window):
        if item.payment_id not in seen:
            seen.add(item.payment_id)
            yield item.payment_id
    for item in _every_item(client.refunds.list, "refunds.list", **window):
        if item.payment_id not in seen:
            seen.add(item.payment_id)
            yield item.payment_id


def invoice_pdf(*, payment_id: str) -> bytes:
    """The PDF invoice Dodo issued for a payment (``invoices.payments.retrieve``).

    Always called while serving the buyer, so with the request deadline and no
    retry: a slow Dodo costs seconds and a message, never a gunicorn timeout.
    """
    try:
        response = get_client().invoices.payments.retrieve(payment_id)
        return response.read()
    except DodoError as err:
        _logged("invoices.payments.retrieve", id=payment_id)(err)
        raise


def refund_create(
    *, payment_id: str, reason: str, items: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Ask for a refund (``items``: partial); returns Dodo's ``Refund`` as a dict.

    Never retried automatically (a retry could refund twice). Its ``status`` says
    how it stands: succeeded, pending, review or failed.
    """
    options: dict[str, Any] = {"payment_id": payment_id, "reason": reason}
    if items:
        options["items"] = items
    try:
        refund = get_client(max_retries=0).refunds.create(**options)
    except DodoError as err:
        _logged("refunds.create", payment_id=payment_id)(err)
        raise
    return refund.model_dump(mode="json")


def is_refusal(err: Exception) -> bool:
    """Dodo answered and said no (4xx other than auth and rate limits): its
    message is about the request (a country it does not serve, a bad amount)."""
    return (
        isinstance(err, dodopayments.APIStatusError)
        and 400 <= err.status_code < 500
        and err.status_code not in (401, 403, 408, 429)
    )


def reason(err: Exception) -> str:
    """Dodo's own words for a refusal (the error body's ``message``), else the text."""
    body = getattr(err, "body", None)
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return str(err) or type(err).__name__


def license_keys_page(*, page_number: int, page_size: int = 100) -> list:
    """One page of the merchant's license keys (``license_keys.list``), newest first.

    Pages are numbered here, not by the SDK's auto-pagination (it never asks for
    page 0, see ``reimport_payments``); an empty page is the end.
    """
    try:
        page = get_client().license_keys.list(
            page_number=page_number, page_size=page_size
        )
    except DodoError as err:
        _logged("license_keys.list", page=page_number)(err)
        raise
    return list(page.items)


def license_key_set_enabled(*, license_key_id: str, enabled: bool):
    """``license_keys.update(id, disabled=...)``; returns the SDK's ``LicenseKey``."""
    try:
        return get_client(max_retries=0).license_keys.update(
            license_key_id, disabled=not enabled
        )
    except DodoError as err:
        _logged("license_keys.update", id=license_key_id)(err)
        raise
