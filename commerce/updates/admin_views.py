"""Release announcements in the admin: how many buyers were told, per release.

Read-only. Staff see every product's; a seller sees their own products'.
"""

from __future__ import annotations

from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin

from access.roles import is_scoped_seller, is_staff

from .models import ReleaseAnnouncement
from .selectors import announcements_visible_to


class ReleaseAnnouncementPermissionHelper(PermissionHelper):
    def user_can_list(self, user) -> bool:
        return is_staff(user) or is_scoped_seller(user)

    def user_can_inspect_obj(self, user, obj) -> bool:
        return (
            self.user_can_list(user)
            and announcements_visible_to(user=user).filter(pk=obj.pk).exists()
        )

    def user_can_create(self, user) -> bool:
        return False

    def user_can_edit_obj(self, user, obj) -> bool:
        return False

    def user_can_delete_obj(self, user, obj) -> bool:
        return False


class ReleaseAnnouncementAdmin(ModelAdmin):
    model = ReleaseAnnouncement
    menu_label = "Release e-mails"
    menu_icon = "mail"
    menu_order = 430
    add_to_settings_menu = False
    permission_helper_class = ReleaseAnnouncementPermissionHelper
    inspect_view_enabled = True
    list_display = ("created_at", "product", "version", "e_mailed", "buyers_told")
    search_fields = ("product__title", "version")
    inspect_view_fields = ("created_at", "product", "version", "notify", "recipients")

    def get_queryset(self, request):
        return announcements_visible_to(user=request.user)

    @staticmethod
    def e_mailed(obj) -> str:
        return "yes" if obj.notify else "no (seller chose not to)"

    @staticmethod
    def buyers_told(obj) -> str:
        if not obj.notify:
            return "—"
        return f"{obj.told} of {obj.recipients}"
