"""'E-mail me my purchases': a one-time, 15-minute sign-in link to the library.

The e-mail task mints the link when it sends it, so the raw token exists only in
the e-mail (the database keeps its SHA-256). Redeeming is one conditional UPDATE:
of two concurrent uses exactly one signs in. Asking for a link
(``services.magic_link_request``) answers the same whether or not an account has
the address; only an existing, active account is e-mailed.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class MagicLink(models.Model):
    """One sign-in link: its token's digest, expiry and when it was used."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="magic_links"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "accounts"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Sign-in link #{self.pk} for {self.user_id}"


def magic_link_ttl() -> timedelta:
    return timedelta(seconds=settings.MAGIC_LINK_TTL_SECONDS)


def magic_link_mint(*, user) -> str:
    """A fresh link for ``user``; returns the raw token (put only in the e-mail)."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    MagicLink.objects.create(
        user=user,
        token_digest=_digest(token),
        created_at=now,
        expires_at=now + magic_link_ttl(),
    )
    return token


class MagicLinkInvalid(Exception):
    """Unknown, used or expired: the page says so without telling which."""


@transaction.atomic
def magic_link_redeem(*, token: str):
    """Spend the link once and return its user, or raise ``MagicLinkInvalid``."""
    if not token or len(token) > 100:
        raise MagicLinkInvalid
    link = (
        MagicLink.objects.select_related("user")
        .filter(token_digest=_digest(token))
        .first()
    )
    if link is None or not link.user.is_active:
        raise MagicLinkInvalid
    now = timezone.now()
    won = MagicLink.objects.filter(
        pk=link.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if won != 1:
        raise MagicLinkInvalid
    return link.user
