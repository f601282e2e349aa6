"""The release e-mail: HTML and text, with RFC 8058 one-click unsubscribe headers."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from site_config.base_url import absolute_url

from .models import ReleaseEmail
from .tokens import unsubscribe_token_make


def release_email_deliver(email: ReleaseEmail) -> None:
    announcement = email.announcement
    product = announcement.product
    release = announcement.release
    token = unsubscribe_token_make(user_id=email.user_id, product_id=product.pk)
    unsubscribe_url = absolute_url(
        reverse("commerce:updates_unsubscribe", kwargs={"token": token})
    )
    context = {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "user": email.user,
        "product": product,
        "version": announcement.version,
        "changes": release.changes if release is not None else "",
        "library_url": absolute_url(reverse("accounts:products")),
        "unsubscribe_url": unsubscribe_url,
        "profile_url": absolute_url(reverse("accounts:profile")),
    }
    subject = render_to_string("commerce/updates/email/release_subject.txt", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()),
        render_to_string("commerce/updates/email/release_body.txt", context),
        to=[email.user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("commerce/updates/email/release_body.html", context),
        "text/html",
    )
    message.send()
