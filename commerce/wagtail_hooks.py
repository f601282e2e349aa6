"""Wiring only: admin screens, and refusing to delete products someone bought."""

from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page
from wagtail_modeladmin.options import modeladmin_register

from . import admin_views
from .discounts import wagtail_hooks as discounts_hooks  # noqa: F401
from .downloads import wagtail_hooks as downloads_hooks  # noqa: F401
from .refund_requests import admin_views as refund_request_admin_views
from .selectors import product_has_purchases
from .updates import wagtail_hooks as updates_hooks  # noqa: F401


def _purchased(pages) -> bool:
    ids = set()
    for page in pages:
        ids.add(page.pk)
        ids.update(page.get_descendants().values_list("pk", flat=True))
    return product_has_purchases(page_ids=ids)


REFUSAL = (
    "“{title}” cannot be deleted: customers have bought it and keep their access. "
    "Unpublish it instead."
)


@hooks.register("before_delete_page")
def refuse_deleting_purchased_products(request, page):
    if _purchased([page]):
        messages.error(request, REFUSAL.format(title=page.get_admin_display_title()))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_purchased_products(request, action_type, objects, view):
    if action_type != "delete":
        return None
    # Bulk actions run for snippets too (short links...): only pages can be bought.
    bought = [page for page in objects if isinstance(page, Page) and _purchased([page])]
    if bought:
        messages.error(
            request, REFUSAL.format(title=bought[0].get_admin_display_title())
        )
        return redirect(
            get_valid_next_url_from_request(request) or reverse("wagtailadmin_home")
        )
    return None


@hooks.register("insert_global_admin_css")
def records_screens_css():
    """Status labels, column widths and the filter beside (not over) the table."""
    return format_html(
        '<link rel="stylesheet" href="{}">', static("css/admin_records.css")
    )


modeladmin_register(admin_views.CommerceGroup)
hooks.register("register_admin_urls", admin_views.admin_urls)
hooks.register("register_admin_urls", refund_request_admin_views.admin_urls)
