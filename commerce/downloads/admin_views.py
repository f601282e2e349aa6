"""Read-only audit of download links in the Wagtail admin (wagtail-modeladmin).

Staff see every row; a seller sees the rows of their own products. Nobody creates,
edits or deletes audit rows from the admin.
"""

from __future__ import annotations

from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin

from commerce.admin_filters import DeclaredFiltersIndexView

from .models import DownloadEvent
from .selectors import download_events_visible_to


class DownloadEventPermissionHelper(PermissionHelper):
    def user_can_list(self, user) -> bool:
        return user.is_active and (user.is_staff or user.is_superuser or user.is_seller)

    def user_can_inspect_obj(self, user, obj) -> bool:
        return (
            self.user_can_list(user)
            and download_events_visible_to(user=user).filter(pk=obj.pk).exists()
        )

    def user_can_create(self, user) -> bool:
        return False

    def user_can_edit_obj(self, user, obj) -> bool:
        return False

    def user_can_delete_obj(self, user, obj) -> bool:
        return False


class DownloadEventAdmin(ModelAdmin):
    model = DownloadEvent
    index_view_class = DeclaredFiltersIndexView
    menu_label = "Downloads"
    menu_icon = "download"
    menu_order = 420
    add_to_settings_menu = False
    permission_helper_class = DownloadEventPermissionHelper
    inspect_view_enabled = True
    list_display = (
        "created_at",
        "kind",
        "user",
        "product",
        "file_version",
        "ip_address",
        "user_agent",
    )
    list_filter = ("kind", "created_at")
    search_fields = ("user__email", "product__title", "ip_address")
    inspect_view_fields = (
        "created_at",
        "kind",
        "user",
        "product",
        "file_name",
        "file_version",
        "ip_address",
        "user_agent",
    )

    def get_queryset(self, request):
        return download_events_visible_to(user=request.user)
