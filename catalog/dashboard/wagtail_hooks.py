"""Wires the seller dashboard (and the Beat schedule screens) into the Wagtail admin."""

from django.urls import path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from maintenance.beat_viewsets import BeatScheduleViewSetGroup

from .panels import dashboard_panels
from .views import dashboard_api


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    panels.extend(dashboard_panels(request))


@hooks.register("register_admin_urls")
def register_dashboard_api_url():
    return [path("dashboard/api/", dashboard_api, name="catalog_dashboard_api")]


register_snippet(BeatScheduleViewSetGroup)
