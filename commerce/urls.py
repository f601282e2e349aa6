from django.apps import apps
from django.conf import settings
from django.urls import include, path

from . import views
from .downloads import views as download_views
from .refund_requests import views as refund_request_views
from .updates import views as update_views

app_name = "commerce"

urlpatterns = [
    path("webhooks/dodo/", views.dodo_webhook, name="dodo_webhook"),
    path("checkout/<int:product_id>/", views.checkout, name="checkout"),
    path(
        "checkout/return/<int:order_id>/",
        views.checkout_return,
        name="checkout_return",
    ),
    path("orders/<int:order_id>/invoice/", views.order_invoice, name="order_invoice"),
    path(
        "refunds/request/<int:purchase_id>/",
        refund_request_views.refund_request_create,
        name="refund_request_create",
    ),
    path(
        "downloads/<int:product_id>/",
        download_views.ProductDownloadView.as_view(),
        name="product_download",
    ),
    path(
        "downloads/t/<str:token>/",
        download_views.PresignedProductDownloadView.as_view(),
        name="download_redeem",
    ),
    path(
        "downloads/local/<str:token>/",
        download_views.LocalProductDownloadView.as_view(),
        name="download_local",
    ),
    path(
        "updates/unsubscribe/<str:token>/",
        update_views.UnsubscribeView.as_view(),
        name="updates_unsubscribe",
    ),
]

# The sandbox's own app is installed by dev and test settings only (never production).
if settings.DODO_SANDBOX and apps.is_installed(settings.DODO_SANDBOX_APP):
    urlpatterns += [path("dodo-sandbox/", include("commerce.dodo.sandbox.urls"))]
