"""Minting and redeeming single-use download links; purging the expired ones.

Access is answered only by an active ``PurchasedProduct`` (``commerce.selectors``),
checked when a link is minted and again when it is redeemed, so a refund or a lost
dispute stops a link that was handed out before it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from catalog.models import ProductPage
from catalog.releases.selectors import release_downloadable
from commerce.selectors import purchase_active_exists

from .models import DownloadEvent, DownloadEventKind, DownloadToken
from .selectors import download_mints_count_since


class DownloadRefused(Exception):
    """Base of every reason a download link is not minted or not honoured."""

    def __init__(self, product_id: int | None = None):
        super().__init__(product_id)
        self.product_id = product_id


class DownloadNotAllowed(DownloadRefused):
    """The user has no active purchase of the product (or it was revoked)."""


class DownloadUnavailable(DownloadRefused):
    """The product has no file to deliver yet."""


class DownloadReleaseNotOffered(DownloadRefused):
    """The release asked for is not this product's, or not offered to buyers."""


class DownloadRateLimited(DownloadRefused):
    """The user minted too many links in the rate window."""


class DownloadLinkInvalid(DownloadRefused):
    """No such link for this user."""


class DownloadLinkUsed(DownloadRefused):
    """The link was redeemed already."""


class DownloadLinkExpired(DownloadRefused):
    """The link outlived its time to live."""


@dataclass(frozen=True)
class DownloadFile:
    """What a redeemed link delivers: the product and the file of one release."""

    product: ProductPage
    name: str
    version: str


def _audit(
    *,
    kind: str,
    user,
    product: ProductPage,
    token: DownloadToken,
    ip_address: str | None,
    user_agent: str,
    at,
    file_name: str,
    file_version: str,
) -> DownloadEvent:
    return DownloadEvent.objects.create(
        kind=kind,
        user=user,
        product=product,
        token=token,
        file_name=file_name,
        file_version=file_version,
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:400],
        created_at=at,
    )


@transaction.atomic
def download_token_mint(
    *,
    user,
    product_id: int,
    release_id: int | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
) -> DownloadToken:
    """Issue a single-use link to the product's file for a user who owns it.

    ``release_id`` asks for one release's file (the current one, or an earlier one
    when the seller offers them); without it the link serves the current file.
    """
    if not purchase_active_exists(user=user, product_id=product_id):
        raise DownloadNotAllowed(product_id)
    product = ProductPage.objects.get(pk=product_id)
    release = None
    if release_id is not None:
        release = release_downloadable(product=product, release_id=release_id)
        if release is None:
            raise DownloadReleaseNotOffered(product_id)
        file_name, file_version = release.file.name, release.version
    elif product.file:
        file_name, file_version = product.file.name, product.file_version
    else:
        raise DownloadUnavailable(product_id)

    # Lock the user's row so concurrent mints count each other: the limit is exact.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    window = timedelta(seconds=settings.DOWNLOAD_MINT_RATE_WINDOW_SECONDS)
    if download_mints_count_since(user=user, since=now - window) >= (
        settings.DOWNLOAD_MINT_RATE_LIMIT
    ):
        raise DownloadRateLimited(product_id)

    token = DownloadToken.objects.create(
        token=secrets.token_urlsafe(32),
        user=user,
        product=product,
        release=release,
        created_at=now,
        expires_at=now + timedelta(seconds=settings.DOWNLOAD_TOKEN_TTL_SECONDS),
    )
    _audit(
        kind=DownloadEventKind.ISSUED,
        user=user,
        product=product,
        token=token,
        ip_address=ip_address,
        user_agent=user_agent,
        at=now,
        file_name=file_name,
        file_version=file_version,
    )
    return token


@transaction.atomic
def download_token_redeem(
    *, token: str, user, ip_address: str | None = None, user_agent: str = ""
) -> DownloadFile:
    """Spend a link once and return the file to deliver.

    The conditional UPDATE is the single-use guarantee: of two concurrent
    redemptions exactly one changes the row; the other sees it used.
    """
    row = DownloadToken.objects.filter(token=token, user=user).first()
    if row is None:
        raise DownloadLinkInvalid()
    now = timezone.now()
    won = DownloadToken.objects.filter(
        pk=row.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if won != 1:
        row.refresh_from_db(fields=["used_at"])
        if row.used_at is not None:
            raise DownloadLinkUsed(row.product_id)
        raise DownloadLinkExpired(row.product_id)
    # Raising here rolls the UPDATE back: a revoked buyer's link is refused, not spent.
    if not purchase_active_exists(user=user, product_id=row.product_id):
        raise DownloadNotAllowed(row.product_id)
    # Read the product now, not at mint time: a file published since is the one served.
    product = ProductPage.objects.get(pk=row.product_id)
    if row.release_id is not None:
        # Still offered? The seller may have stopped offering earlier releases.
        release = release_downloadable(product=product, release_id=row.release_id)
        if release is None:
            raise DownloadReleaseNotOffered(row.product_id)
        delivered = DownloadFile(product, release.file.name, release.version)
    elif product.file:
        delivered = DownloadFile(product, product.file.name, product.file_version)
    else:
        raise DownloadUnavailable(row.product_id)
    _audit(
        kind=DownloadEventKind.REDEEMED,
        user=user,
        product=product,
        token=row,
        ip_address=ip_address,
        user_agent=user_agent,
        at=now,
        file_name=delivered.name,
        file_version=delivered.version,
    )
    return delivered


def download_tokens_purge_expired() -> int:
    """Delete links past their expiry (used or not); audit events keep their rows."""
    deleted, _ = DownloadToken.objects.expired().delete()
    return deleted
