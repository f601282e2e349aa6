"""Wire the release e-mail records into the admin (commerce/wagtail_hooks.py)."""

from wagtail_modeladmin.options import modeladmin_register

from .admin_views import ReleaseAnnouncementAdmin

modeladmin_register(ReleaseAnnouncementAdmin)
