"""One-click unsubscribe from a product's update e-mails (RFC 8058).

The signed token is the proof: no sign-in. GET shows a confirmation button (a
link scanner following the link must not unsubscribe anyone); POST unsubscribes,
which is also what a mail client's one-click unsubscribe sends, without a CSRF
token.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from catalog.models import ProductPage

from .services import product_updates_unsubscribe
from .tokens import unsubscribe_token_read

TEMPLATE = "commerce/updates/unsubscribe.html"


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class UnsubscribeView(View):
    http_method_names = ["get", "post"]

    def _read(self, token: str):
        found = unsubscribe_token_read(token)
        if found is None:
            return None, None
        user_id, product_id = found
        return user_id, ProductPage.objects.filter(pk=product_id).first()

    def get(self, request, token: str) -> HttpResponse:
        user_id, product = self._read(token)
        if product is None:
            return render(request, TEMPLATE, {"invalid": True}, status=404)
        return render(request, TEMPLATE, {"product": product, "done": False})

    def post(self, request, token: str) -> HttpResponse:
        user_id, product = self._read(token)
        if product is None:
            return render(request, TEMPLATE, {"invalid": True}, status=404)
        product_updates_unsubscribe(user_id=user_id, product_id=product.pk)
        return render(request, TEMPLATE, {"product": product, "done": True})
