"""Admin hook bodies for the seller scope (wired in ``wagtail_hooks.py``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from wagtail.models import Page

from .models import ProductPage
from .permissions import is_scoped_seller, user_may_manage_product


def pages_without_foreign_products(pages, user):
    """Drop other sellers' products from an admin page queryset."""
    if not is_scoped_seller(user):
        return pages
    foreign = ProductPage.objects.exclude(seller=user).values("pk")
    return pages.exclude(pk__in=foreign)


def explorer_queryset(parent_page, pages, request):
    return pages_without_foreign_products(pages, request.user)


def chooser_queryset(pages, request):
    return pages_without_foreign_products(pages, request.user)


def deny_foreign_product(request, page, *args, **kwargs):
    """before_edit/publish/unpublish/delete/copy/move: a second line behind the
    permission testers (``catalog.permissions``)."""
    specific = page if isinstance(page, ProductPage) else page.specific_deferred
    if isinstance(specific, ProductPage) and not user_may_manage_product(
        request.user, specific
    ):
        raise PermissionDenied


def deny_foreign_bulk_action(request, action_type, objects, action_class_instance):
    if not is_scoped_seller(request.user):
        return
    # Bulk actions run for snippets too (short links...): only pages concern us.
    ids = [obj.pk for obj in objects if isinstance(obj, Page)]
    if ProductPage.objects.filter(pk__in=ids).exclude(seller=request.user).exists():
        raise PermissionDenied
