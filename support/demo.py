"""Demo support data: the demo seller's settings and one open request to handle."""

from accounts.demo import CUSTOMER, SELLER
from accounts.models import User
from commerce.models import PurchasedProduct

from . import services
from .models import SellerSupportSettings, SupportRequest

PAYMENT_TEXT = (
    "Support is billed per session. Pay the quoted amount by bank transfer to "
    "IBAN DE00 0000 0000 0000 0000 00 (Sam Seller) and mention the request number."
)


def seed(out) -> None:
    seller = User.objects.filter(email=SELLER.email).first()
    customer = User.objects.filter(email=CUSTOMER.email).first()
    if seller is None or customer is None:
        out.write("Support demo skipped: the demo users do not exist.")
        return
    if not SellerSupportSettings.objects.filter(seller=seller).exists():
        services.seller_support_settings_update(
            seller=seller, telegram_chat_id="", payment_instructions=PAYMENT_TEXT
        )
    if SupportRequest.objects.filter(customer=customer).exists():
        out.write("Support demo: requests already present.")
        return
    purchase = (
        PurchasedProduct.objects.active()
        .filter(user=customer, product__seller=seller)
        .select_related("product")
        .first()
    )
    if purchase is None:
        out.write("Support demo skipped: the demo customer owns no demo product.")
        return
    support_request = services.support_request_create(
        customer=customer,
        product=purchase.product,
        subject="Help setting it up",
        message="Could we do a short call to get this running on my machine?",
    )
    # The seller's side of the thread, so the conversation shows both voices.
    services.support_message_add(
        support_request=support_request,
        author=seller,
        body=(
            "Happy to help. I have Tuesday 10:00 or Wednesday 15:00 (UTC) free "
            "for a 30-minute call; the price is in the payment details above."
        ),
    )
    out.write(
        f"Support demo: request #{support_request.pk} opened on "
        f"{purchase.product.title}."
    )
