"""Wiring only: the seller applications screen and its decision view."""

from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from . import admin_views

modeladmin_register(admin_views.SellerApplicationAdmin)
hooks.register("register_admin_urls", admin_views.admin_urls)
