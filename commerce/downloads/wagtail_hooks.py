"""Wire the download audit into the Wagtail admin (imported by commerce/wagtail_hooks)."""

from wagtail_modeladmin.options import modeladmin_register

from .admin_views import DownloadEventAdmin

modeladmin_register(DownloadEventAdmin)
