"""How many Dodo webhook deliveries per second one process handles.

Usage (on your own database; it creates orders and events there):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sf_commerce \\
        .venv/bin/python scripts/webhook_throughput.py [N]

Each delivery is a signed ``payment.succeeded`` for its own pending order, posted
through Django's full request stack (middleware, signature check, event record,
order lock, grant) with the test client, in one process and one thread.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings.dev")


def main(count: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from catalog.models import ProductPage
    from commerce.models import PurchasedProduct
    from commerce.tests.conftest import WEBHOOK_URL, payment_data, signed
    from commerce.tests.factories import OrderFactory

    settings.ALLOWED_HOSTS = ["*"]
    # Publishing the fixture products syncs them to the in-process sandbox.
    settings.DODO_SANDBOX = True
    settings.DODO_SANDBOX_IN_PROCESS = True
    from accounts.tests.factories import SellerFactory, UserFactory
    from catalog.tests.factories import ProductPageFactory

    run = time.time_ns()
    product = ProductPageFactory(
        title=f"Benchmark {run}",
        seller=SellerFactory(email=f"bench-seller-{run}@example.com"),
    )
    ProductPage.objects.filter(pk=product.pk).update(dodo_product_id="pdt_bench")
    product.dodo_product_id = "pdt_bench"
    orders = [
        OrderFactory(
            user=UserFactory(email=f"bench-{run}-{n}@example.com"),
            product=product,
            dodo_checkout_session_id="cks_bench",
        )
        for n in range(count)
    ]
    deliveries = []
    for order in orders:
        data = payment_data(order, payment_id=f"pay_bench_{run}_{order.pk}")
        deliveries.append(
            signed("payment.succeeded", data, webhook_id=f"msg_{run}_{order.pk}")
        )

    client = Client()
    started = time.perf_counter()
    for body, headers in deliveries:
        response = client.post(
            WEBHOOK_URL, data=body, content_type="application/json", headers=headers
        )
        if response.status_code != 200:
            raise SystemExit(
                f"delivery failed: {response.status_code} {response.content}"
            )
    elapsed = time.perf_counter() - started
    granted = PurchasedProduct.objects.filter(order__in=orders).count()
    if granted != count:
        raise SystemExit(f"expected {count} grants, found {granted}")
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"{count} deliveries in {elapsed:.2f}s on {engine}: "
        f"{count / elapsed:.0f} deliveries/s ({elapsed / count * 1000:.1f} ms each)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
