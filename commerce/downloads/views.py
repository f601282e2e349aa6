"""``POST /downloads/<product id>/`` mints a single-use link; the link views redeem it.

Which redemption view a link points to follows the private storage: the presigned
redirect for S3 (production), ``LocalProductDownloadView`` for files on disk
(development). Each answers 404 in the other's environment.
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from .delivery import (
    local_file_response,
    presigned_download_url,
    private_storage_is_local,
)
from .services import (
    DownloadLinkExpired,
    DownloadLinkInvalid,
    DownloadLinkUsed,
    DownloadNotAllowed,
    DownloadRateLimited,
    DownloadReleaseNotOffered,
    DownloadUnavailable,
    download_token_mint,
    download_token_redeem,
)

REFUSED_TEMPLATE = "commerce/downloads/refused.html"
LINK_USED_TEMPLATE = "commerce/downloads/link_used.html"


def _client(request) -> dict:
    return {
        "ip_address": request.META.get("REMOTE_ADDR"),
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
    }


def _refused(request, *, status: int, heading: str, message: str, product_id=None):
    context = {"heading": heading, "message": message, "product_id": product_id}
    return render(request, REFUSED_TEMPLATE, context, status=status)


def download_redeem_url(token: str) -> str:
    name = "download_local" if private_storage_is_local() else "download_redeem"
    return reverse(f"commerce:{name}", kwargs={"token": token})


@method_decorator(never_cache, name="dispatch")
class ProductDownloadView(LoginRequiredMixin, View):
    """Mint a link for an owner of the product and send the browser to it.

    POST only, behind CSRF: minting counts against the buyer's hourly allowance,
    so a cross-site link or image (a GET) must not be able to spend it. GET and
    HEAD get 405.
    """

    http_method_names = ["post"]

    def handle_no_permission(self):
        # After signing in, the library has the button; the mint URL has no page.
        return redirect_to_login(reverse("accounts:products"))

    def post(self, request, product_id: int) -> HttpResponse:
        release = request.POST.get("release", "")
        # An id no column can hold is bad input, not a database error.
        if release and not (release.isdigit() and len(release) < 19):
            raise Http404("No such release.")
        try:
            token = download_token_mint(
                user=request.user,
                product_id=product_id,
                release_id=int(release) if release else None,
                **_client(request),
            )
        except DownloadNotAllowed:
            return _refused(
                request,
                status=403,
                heading="This download is not yours",
                message="Only buyers with an active purchase can download this "
                "product. If you were refunded, the purchase no longer gives access.",
            )
        except DownloadReleaseNotOffered:
            return _refused(
                request,
                status=404,
                heading="This release is not offered",
                message="The seller offers the current release of this product only.",
                product_id=product_id,
            )
        except DownloadUnavailable:
            return _refused(
                request,
                status=404,
                heading="No file yet",
                message="The seller has not uploaded a file for this product yet.",
            )
        except DownloadRateLimited:
            return _refused(
                request,
                status=429,
                heading="Too many download links",
                message="You have asked for a lot of download links in the last "
                "hour. Please wait a while and try again.",
            )
        return redirect(download_redeem_url(token.token))


@method_decorator(never_cache, name="dispatch")
class DownloadTokenView(LoginRequiredMixin, View, metaclass=ABCMeta):
    """Redeem a link once, then deliver the product's current file."""

    # GET only: a HEAD probe would otherwise spend the link before the download.
    http_method_names = ["get"]
    serves_local_files: bool

    def get(self, request, token: str) -> HttpResponse:
        if private_storage_is_local() != self.serves_local_files:
            raise Http404("This download route is not used here.")
        try:
            delivered = download_token_redeem(
                token=token, user=request.user, **_client(request)
            )
        except DownloadLinkInvalid as err:
            raise Http404("No such download link.") from err
        except DownloadLinkUsed as err:
            context = {"product_id": err.product_id}
            return render(request, LINK_USED_TEMPLATE, context, status=410)
        except DownloadLinkExpired as err:
            return _refused(
                request,
                status=410,
                heading="This download link has expired",
                message="Links work for a few minutes only. Get a fresh one below.",
                product_id=err.product_id,
            )
        except DownloadNotAllowed:
            return _refused(
                request,
                status=403,
                heading="This download is no longer available to you",
                message="The purchase behind this link was refunded or suspended.",
            )
        except (DownloadUnavailable, DownloadReleaseNotOffered):
            raise Http404("The product has no such file.") from None
        return self.deliver(delivered.name)

    @abstractmethod
    def deliver(self, name: str) -> HttpResponse:
        """Each concrete view says what it does with the checked request."""


class PresignedProductDownloadView(DownloadTokenView):
    """Production: redirect to a short-lived presigned GET of the private object."""

    serves_local_files = False

    def deliver(self, name: str) -> HttpResponse:
        return HttpResponseRedirect(presigned_download_url(name=name))


class LocalProductDownloadView(DownloadTokenView):
    """Development: stream the file from the private folder."""

    serves_local_files = True

    def deliver(self, name: str) -> HttpResponse:
        return local_file_response(name=name)
