"""Confirmation links: signed, expiring, and dead once the address has confirmed.

The token signs the subscriber's id with a digest of the state it changes (address,
list and status), as ``accounts.tokens`` does for e-mail verification: confirming
flips the status, so the same link fails afterwards.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Subscriber

SALT = "newsletter.confirmation"
CONFIRMATION_LINK_MAX_AGE = timedelta(days=7)


class ConfirmationTokenError(Exception):
    """The link confirms nothing; ``reason`` is ``expired`` or ``invalid``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _state_digest(subscriber: Subscriber) -> str:
    value = f"{subscriber.pk}|{subscriber.email}|{subscriber.topic}|{subscriber.status}"
    return salted_hmac(SALT, value).hexdigest()[:20]


def confirmation_token_make(subscriber: Subscriber) -> str:
    """A URL-safe token that confirms ``subscriber`` once."""
    signer = signing.TimestampSigner(salt=SALT)
    return signer.sign(f"{subscriber.pk}:{_state_digest(subscriber)}")


def confirmation_token_check(token: str) -> Subscriber:
    """The pending subscriber the token was made for, or ``ConfirmationTokenError``."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token, max_age=CONFIRMATION_LINK_MAX_AGE)
    except signing.SignatureExpired as err:
        raise ConfirmationTokenError("expired") from err
    except signing.BadSignature as err:
        raise ConfirmationTokenError("invalid") from err
    subscriber_id, _, digest = value.partition(":")
    if not subscriber_id.isdigit():
        raise ConfirmationTokenError("invalid")
    subscriber = Subscriber.objects.filter(pk=int(subscriber_id)).first()
    if subscriber is None or not constant_time_compare(
        digest, _state_digest(subscriber)
    ):
        raise ConfirmationTokenError("invalid")
    return subscriber
