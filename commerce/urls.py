from django.conf import settings
from django.urls import include, path

from . import views

app_name = "commerce"

urlpatterns = [
    path("webhooks/dodo/", views.dodo_webhook, name="dodo_webhook"),
    path("checkout/<int:product_id>/", views.checkout, name="checkout"),
    path(
        "checkout/return/<int:order_id>/",
        views.checkout_return,
        name="checkout_return",
    ),
]

if settings.DODO_SANDBOX:
    urlpatterns += [path("dodo-sandbox/", include("commerce.dodo.sandbox.urls"))]
