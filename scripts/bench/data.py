"""``make bench``'s data: the database, Redis, the seeded catalogue and fixtures."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "10000"))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/storefront_bench"
)
WEBHOOK_EVENTS = int(os.environ.get("BENCH_WEBHOOK_EVENTS", "3000"))
CATEGORIES = [
    "E-books", "Templates", "Code", "Courses", "Design", "Fonts", "Photography",
    "Music", "Productivity", "Marketing", "Finance", "Education",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_database(*, recreate: bool = False) -> None:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if recreate:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def start_redis() -> tuple[str, subprocess.Popen | None]:
    if os.environ.get("BENCH_REDIS_URL"):
        return os.environ["BENCH_REDIS_URL"], None
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return f"redis://127.0.0.1:{port}/0", process
        except OSError:
            time.sleep(0.1)
    raise SystemExit("redis-server did not start")


def cover_images(count: int = 8) -> list:
    """A few real images so product cards render renditions as in production."""
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    image_model = get_image_model()
    images = list(image_model.objects.filter(title__startswith="Bench cover"))
    for number in range(len(images), count):
        from io import BytesIO

        buffer = BytesIO()
        colour = (40 + number * 25, 90, 200 - number * 20)
        PILImage.new("RGB", (1200, 900), colour).save(buffer, "JPEG")
        images.append(
            image_model.objects.create(
                title=f"Bench cover {number}",
                file=ImageFile(buffer, name=f"bench-cover-{number}.jpg"),
            )
        )
    return images


def prepare() -> dict:
    """Migrate and seed; return what the rows need (URLs, cookie, webhook file)."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)

    from accounts.models import User
    from catalog.bulk_seed import bulk_seed_products
    from catalog.models import ProductCategory, ProductPage
    from catalog.site_tree import ensure_product_index
    from shortlinks.models import ShortLink

    index = ensure_product_index()
    existing = ProductPage.objects.count()
    if existing > PRODUCTS:
        return {"recreate": True}
    seller, _ = User.objects.get_or_create(
        email="bench-seller@example.com",
        defaults={"is_seller": True, "email_verified": True, "full_name": "Bench"},
    )
    categories = [
        ProductCategory.objects.get_or_create(name=name)[0] for name in CATEGORIES
    ]
    if existing < PRODUCTS:
        started = time.perf_counter()
        made = bulk_seed_products(
            PRODUCTS - existing,
            index=index,
            seller=seller,
            categories=categories,
            images=cover_images(),
        )
        print(f"seeded {made} products in {time.perf_counter() - started:.1f}s")
    ShortLink.objects.update_or_create(
        slug="bench", defaults={"owner": seller, "destination": "/products/"}
    )
    product = ProductPage.objects.live().order_by("path")[PRODUCTS // 2]
    cookie, owned = library_session()
    webhook_file = webhook_deliveries(WEBHOOK_EVENTS)
    vacuum_analyze()
    return {
        "recreate": False,
        "detail": product.url,
        "owned_detail": owned.url,
        "category": categories[0].slug,
        "cookie": cookie,
        "webhook_file": webhook_file,
    }


def vacuum_analyze() -> None:
    """What autovacuum does on a real server, before anything is measured.

    After a bulk load, without fresh statistics the planner takes 50,000 pages
    for one row and walks every page for a search instead of the GIN index. On a
    reused database, every earlier run left its paid orders, events and outbox
    rows behind, and this run has just added thousands of pending orders: the
    statistics still describe a table a fraction of the size, and a PostgreSQL
    with autovacuum off (as this machine's is) never refreshes them, so each run
    measured a slower webhook than the last (PostgreSQL's CPU per event 0.9 ms
    after ``VACUUM ANALYZE``, 2.3 ms before it, after a dozen runs).
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"vacuumed and analyzed in {time.perf_counter() - started:.1f}s")


def library_session():
    """A signed-in buyer who owns a dozen products and has asked for support on
    three; returns the Cookie header and one product the buyer owns."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
    from django.contrib.auth import SESSION_KEY as USER_SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User
    from catalog.models import ProductPage
    from commerce.models import Order, OrderStatus, PurchasedProduct
    from support.models import SupportRequest

    buyer, created = User.objects.get_or_create(
        email="bench-buyer@example.com",
        defaults={"is_customer": True, "email_verified": True},
    )
    if created:
        for number, product in enumerate(ProductPage.objects.order_by("path")[:12]):
            order = Order.objects.create(
                user=buyer,
                product=product,
                amount=product.effective_price,
                currency=product.currency,
                status=OrderStatus.PAID,
                is_paid=True,
            )
            purchase = PurchasedProduct.objects.create(
                user=buyer, product=product, order=order
            )
            if number < 3:
                SupportRequest.objects.create(
                    customer=buyer,
                    product=product,
                    purchase=purchase,
                    subject=f"Help with {product.title}"[:200],
                    message="How do I install it?",
                )
    session = SessionStore()
    session[USER_SESSION_KEY] = str(buyer.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = buyer.get_session_auth_hash()
    session.create()
    owned = buyer.purchased_products.order_by("pk").first().product
    return f"sessionid={session.session_key}", owned


def webhook_deliveries(count: int) -> str:
    """``count`` signed ``payment.succeeded`` deliveries, each for its own new
    pending order, one per line of a file ``webhook.lua`` reads."""
    import json
    from datetime import UTC, datetime

    from django.conf import settings
    from standardwebhooks import Webhook

    from accounts.models import User
    from catalog.models import ProductPage
    from commerce.models import Order

    run = time.time_ns()
    buyer = User.objects.create(
        email=f"bench-webhook-{run}@example.com", is_customer=True, email_verified=True
    )
    products = list(ProductPage.objects.order_by("path")[:count])
    for product in products:
        if not product.dodo_product_id:
            product.dodo_product_id = f"pdt_bench_{product.pk}"
    ProductPage.objects.bulk_update(products, ["dodo_product_id"])
    orders = Order.objects.bulk_create(
        Order(
            user=buyer,
            product=product,
            amount=product.effective_price,
            currency=product.currency,
            dodo_checkout_session_id=f"cks_bench_{run}_{n}",
        )
        for n, product in enumerate(products)
    )
    webhook = Webhook(settings.DODO_PAYMENTS_WEBHOOK_KEY)
    sent_at = datetime.now(tz=UTC)
    path = ROOT / "var" / "bench-webhooks.tsv"
    path.parent.mkdir(exist_ok=True)
    with path.open("w") as out:
        for order in orders:
            body = json.dumps(
                {
                    "business_id": "bus_bench",
                    "type": "payment.succeeded",
                    "timestamp": sent_at.isoformat(),
                    "data": {
                        "payload_type": "Payment",
                        "payment_id": f"pay_bench_{run}_{order.pk}",
                        "status": "succeeded",
                        "total_amount": order.amount,
                        "tax": 0,
                        "currency": order.currency,
                        "metadata": {"order_id": str(order.pk)},
                        "checkout_session_id": order.dodo_checkout_session_id,
                        "product_cart": [
                            {"product_id": order.product.dodo_product_id, "quantity": 1}
                        ],
                        "customer": {
                            "customer_id": "cus_bench",
                            "email": buyer.email,
                            "name": "Bench",
                        },
                    },
                }
            )
            webhook_id = f"msg_bench_{run}_{order.pk}"
            signature = webhook.sign(webhook_id, sent_at, body)
            out.write(
                f"{webhook_id}\t{int(sent_at.timestamp())}\t{signature}\t{body}\n"
            )
    return str(path)


def webhook_granted(webhook_file: str) -> int:
    from commerce.models import PurchasedProduct

    first = Path(webhook_file).read_text().split("\t", 1)[0]
    run = first.split("_")[2]
    return PurchasedProduct.objects.filter(
        user__email=f"bench-webhook-{run}@example.com"
    ).count()
