"""Mounted under ``/dodo-sandbox/`` only when ``settings.DODO_SANDBOX`` is on."""

from django.urls import path

from . import api, discounts, licensing, views

app_name = "dodo_sandbox"

urlpatterns = [
    path("", views.index, name="index"),
    path("checkout/<str:session_id>/", views.checkout, name="checkout"),
    path("payments/<str:payment_id>/", views.payment, name="payment"),
    path("api/products", api.products),
    path("api/products/<str:product_id>", api.product_detail),
    path("api/products/<str:product_id>/unarchive", api.product_unarchive),
    path("api/customers", api.customers),
    path("api/customers/<str:customer_id>", api.customer_detail),
    path("api/checkouts", api.checkouts),
    path("api/checkouts/<str:session_id>", api.checkout_detail),
    path("api/payments", api.payments),
    path("api/payments/<str:payment_id>", api.payment_detail),
    path("api/invoices/payments/<str:payment_id>", api.payment_invoice),
    path("api/refunds", api.refunds),
    path("api/refunds/<str:refund_id>", api.refund_detail),
    path("api/discounts", discounts.discounts),
    path("api/discounts/code/<str:code>", discounts.discount_by_code),
    path("api/discounts/<str:discount_id>", discounts.discount_detail),
    path("api/license_keys", licensing.license_keys),
    path("api/license_keys/<str:license_key_id>", licensing.license_key_detail),
    path("api/licenses/activate", licensing.activate),
    path("api/licenses/validate", licensing.validate),
    path("api/licenses/deactivate", licensing.deactivate),
]
