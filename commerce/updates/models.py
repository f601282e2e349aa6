"""One announcement per product version, one e-mail row per buyer told.

Both uniquenesses are database constraints: two publishes racing, a re-publish, a
redelivered task can each try to announce or e-mail again, and the second insert
fails instead of sending twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReleaseAnnouncement(models.Model):
    """A release's announcement to buyers, made when it first went live as current."""

    wagtail_reference_index_ignore = True

    product = models.ForeignKey(
        "catalog.ProductPage",
        on_delete=models.CASCADE,
        related_name="release_announcements",
    )
    # The release is identified by its version on the product: a release removed
    # and added again under the same version is not announced twice.
    version = models.CharField(max_length=40)
    release = models.ForeignKey(
        "catalog.ProductRelease",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announcements",
    )
    notify = models.BooleanField(
        help_text="Off when the seller chose not to e-mail buyers about it."
    )
    recipients = models.PositiveIntegerField(
        default=0, help_text="Buyers with an active purchase who wanted e-mails."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "release announcement"
        constraints = [
            models.UniqueConstraint(
                fields=["product", "version"],
                name="commerce_announcement_once_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.version}"


class ReleaseEmail(models.Model):
    """One buyer's e-mail about one announcement; ``sent_at`` once it went out."""

    wagtail_reference_index_ignore = True

    announcement = models.ForeignKey(
        ReleaseAnnouncement, on_delete=models.CASCADE, related_name="emails"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="release_emails",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Why it was not sent after all (refunded or opted out since the fan-out).
    skipped = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "user"],
                name="commerce_release_email_once_per_buyer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.announcement} to {self.user_id}"


class ProductUpdateOptOut(models.Model):
    """A buyer who does not want update e-mails about one product."""

    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="product_update_opt_outs",
    )
    product = models.ForeignKey(
        "catalog.ProductPage",
        on_delete=models.CASCADE,
        related_name="update_opt_outs",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "product"], name="commerce_update_opt_out_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} opted out of {self.product_id}"
