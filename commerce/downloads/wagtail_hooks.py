"""Wire the download audit into the admin; commerce/wagtail_hooks.py imports this."""

from wagtail_modeladmin.options import modeladmin_register

from .admin_views import DownloadEventAdmin

modeladmin_register(DownloadEventAdmin)
