"""Wagtail's users app, pointed at our user viewset (installed in place of it)."""

from wagtail.users.apps import WagtailUsersAppConfig


class StorefrontUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "accounts.viewsets.UserViewSet"
