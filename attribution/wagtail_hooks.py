from wagtail import hooks

from .panels import sources_panels


@hooks.register("construct_homepage_panels")
def add_sources_panel(request, panels):
    panels.extend(sources_panels(request))
