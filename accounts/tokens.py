"""E-mail verification links: signed, expiring, bound to the address they were sent to.

The token signs the user's id together with a digest of the address it confirms.
Changing the address kills links sent to the old one. Opening a link again once
the address is verified changes nothing and is not an error: people click twice,
mail scanners fetch links before their reader does, and a retry may follow an
answer lost on the way; the view says the address is already confirmed.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import User

SALT = "accounts.email-verification"
# A link stays valid this long; resending is refused while a recent one is live.
VERIFICATION_LINK_MAX_AGE = timedelta(hours=24)
VERIFICATION_RESEND_INTERVAL = timedelta(minutes=10)


class VerificationTokenError(Exception):
    """The link cannot verify anything; ``reason`` is ``expired`` or ``invalid``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _address_digest(user: User) -> str:
    # "|False": the unverified state every link is sent for, as links sent while
    # the digest also followed ``email_verified`` have it (they stay valid).
    value = f"{user.pk}|{user.email}|False"
    return salted_hmac(SALT, value).hexdigest()[:20]


def verification_token_make(user: User) -> str:
    """A URL-safe token that verifies ``user``'s current address."""
    return signing.TimestampSigner(salt=SALT).sign(f"{user.pk}:{_address_digest(user)}")


def verification_token_check(token: str) -> User:
    """The user the token was issued for, or ``VerificationTokenError``."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token, max_age=VERIFICATION_LINK_MAX_AGE)
    except signing.SignatureExpired as err:
        raise VerificationTokenError("expired") from err
    except signing.BadSignature as err:
        raise VerificationTokenError("invalid") from err
    user_id, _, digest = value.partition(":")
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not constant_time_compare(digest, _address_digest(user)):
        raise VerificationTokenError("invalid")
    # Opened again once verified: the caller finds ``email_verified`` set.
    return user
