"""Read-only audit of download links in the Wagtail admin (wagtail-modeladmin).

Staff see every row; a seller sees the rows of their own products. Nobody creates,
edits or deletes audit rows from the admin.
"""

from __future__ import annotations

from wagtail_modeladmin.options import ModelAdmin

from access.wagtail_policies import records_helper
from commerce.admin_filters import DeclaredFiltersIndexView
from commerce.admin_views import ProductFilter
from commerce.exports import DownloadExportColumns

from .models import DownloadEvent
from .selectors import download_events_visible_to


class DownloadEventAdmin(DownloadExportColumns, ModelAdmin):
    model = DownloadEvent
    index_view_class = DeclaredFiltersIndexView
    menu_label = "Downloads"
    menu_icon = "download"
    menu_order = 420
    add_to_settings_menu = False
    permission_helper_class = records_helper("downloads")
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
    list_filter = ("kind", "created_at", ProductFilter)
    ordering = ("-created_at", "-pk")
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
