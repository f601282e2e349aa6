from django.urls import path

from .downloads import views as download_views

app_name = "commerce"

urlpatterns = [
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
]
