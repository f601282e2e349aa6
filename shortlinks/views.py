from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.views.decorators.cache import never_cache

from attribution.visits import short_link_visit_record
from site_config.errors import error_response

from .selectors import shortlink_follow
from .services import shortlink_record_hit


@never_cache
def shortlink_redirect(request: HttpRequest, slug: str) -> HttpResponse:
    now = timezone.now()
    link, counted = shortlink_follow(slug=slug.lower(), now=now)
    if link is None:
        raise Http404("No such short link.")
    if link.expired_at(now):
        return error_response(
            request,
            410,
            heading="This link has expired",
            template="shortlinks/expired.html",
            slug=slug,
            expired_at=link.expires_at,
        )
    if not counted:
        shortlink_record_hit(link_id=link.pk)
    response = HttpResponseRedirect(link.destination)
    short_link_visit_record(
        request,
        response,
        link_id=link.pk,
        slug=slug.lower(),
        destination=link.destination,
    )
    return response
