"""``{% load site_tags %}``: site-wide template helpers (the page title)."""

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(needs_autoescape=False)
def title_with_site(title) -> str:
    """``"Fonts · Storefront"``; the site name alone when the page is named like it.

    The home page is titled with the site's name, and "Storefront · Storefront"
    reads like a bug; an empty title is the site's name too.
    """
    site_name = getattr(settings, "WAGTAIL_SITE_NAME", "") or "Storefront"
    # The block's output is already escaped (it reaches the filter as safe text).
    title = mark_safe(conditional_escape(title or "").strip())  # noqa: S308 - escaped
    if not title or title.casefold() == conditional_escape(site_name).casefold():
        return conditional_escape(site_name)
    return format_html("{} · {}", title, site_name)
