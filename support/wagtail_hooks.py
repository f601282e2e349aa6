"""Wires support into the Wagtail admin; the classes live in ``admin_views``."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.options import modeladmin_register

from access import policy

from .admin_views import (
    OpenSupportRequestsPanel,
    SupportRequestAdmin,
    seller_support_settings_view,
)

modeladmin_register(SupportRequestAdmin)


@hooks.register("register_admin_urls")
def register_support_settings_url():
    return [
        path(
            "support/settings/",
            seller_support_settings_view,
            name="support_seller_settings",
        )
    ]


class SellerSettingsMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.may_enter(request.user, "support")


@hooks.register("register_settings_menu_item")
def register_support_settings_menu_item():
    return SellerSettingsMenuItem(
        "Support settings", reverse("support_seller_settings"), icon_name="help"
    )


@hooks.register("construct_homepage_panels")
def add_open_support_requests_panel(request, panels):
    if policy.may_enter(request.user, "support"):
        panels.append(OpenSupportRequestsPanel(request))
