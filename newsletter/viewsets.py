"""The subscribers screen in the Wagtail admin: list, filter, inspect, export CSV."""

from __future__ import annotations

from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from access import policy

from .models import Subscriber

EXPORT_FIELDS = [
    "email",
    "topic",
    "status",
    "source_page",
    "created_at",
    "confirmed_at",
]


class SubscriberPermissionPolicy(ModelPermissionPolicy):
    """Subscribers come only from the sign-up form: nobody adds or edits them in
    the admin. Viewing (and exporting) and deleting follow model permissions
    (superusers, and groups granted ``view_subscriber``/``delete_subscriber``:
    the Marketers group may view), narrowed by ``access.policy``."""

    def user_has_permission(self, user, action):
        if action in {"add", "change"}:
            return False
        return policy.subscriber_action_allowed(
            user, action
        ) and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = "Subscribers"
    menu_order = 250
    add_to_admin_menu = True
    form_fields = ["email", "topic"]
    list_display = ["email", "topic", "status", "source_page", "created_at"]
    list_filter = ["topic", "status"]
    search_fields = ["email", "topic"]
    list_export = EXPORT_FIELDS
    export_filename = "subscribers"
    inspect_view_enabled = True
    copy_view_enabled = False
