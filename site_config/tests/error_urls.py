"""The site's URLs plus a view that fails, to reach handler500 in a test."""

from django.urls import path

from site_config.urls import (  # noqa: F401 - the handlers are read from here
    handler400,
    handler403,
    handler404,
    handler500,
)
from site_config.urls import (
    urlpatterns as site_urlpatterns,
)


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
