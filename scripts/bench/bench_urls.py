"""The site's URLs plus ``/bench-floor/``: the cheapest response Django can give
through the same middleware and server, the yardstick the table divides by."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench-floor/", floor),
    path("", include("site_config.urls")),
]
