"""Serve a large product file through the local download view and report RSS growth.

Runs in one process: a Django test client asks ``/downloads/<id>/`` for a link,
follows it to ``LocalProductDownloadView`` and consumes the streamed body in blocks,
as a WSGI server would. The process's peak resident memory (VmHWM) is compared with
its resident memory just before the download. The file (random bytes) is written
under the private storage and removed afterwards.

    .venv/bin/python scripts/bench_download_memory.py [--size-mb 200] [--limit-mb 20]

It uses the test settings and its own SQLite file (``var/bench_download.sqlite3``,
migrated on first use), never the development or test database.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ["DJANGO_SETTINGS_MODULE"] = "site_config.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{BASE_DIR / 'var' / 'bench_download.sqlite3'}"
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.files.storage import storages  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.tests.factories import UserFactory  # noqa: E402
from catalog.models import ProductPage  # noqa: E402
from catalog.tests.factories import ProductPageFactory  # noqa: E402
from commerce.tests.factories import PurchasedProductFactory  # noqa: E402
from home.site_tree import ensure_site_tree  # noqa: E402

MB = 1024 * 1024


def proc_status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def reset_peak_rss() -> None:
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0).
    Path("/proc/self/clear_refs").write_text("5")


def write_file(name: str, size_mb: int) -> str:
    storage = storages["private"]
    path = Path(storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    block = os.urandom(MB)
    with path.open("wb") as handle:
        for _ in range(size_mb):
            handle.write(block)
    return name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--limit-mb", type=float, default=20.0)
    args = parser.parse_args()

    call_command("migrate", verbosity=0, interactive=False)
    ensure_site_tree()

    run = uuid.uuid4().hex[:8]
    product = ProductPageFactory(title=f"Bench {run}", with_file=False)
    name = write_file(f"bench/{run}.bin", args.size_mb)
    ProductPage.objects.filter(pk=product.pk).update(file=name)
    buyer = UserFactory(email=f"bench-{run}@example.com")
    PurchasedProductFactory(order__user=buyer, order__product=product)

    client = Client()
    client.force_login(buyer)
    try:
        # Warm-up: imports, templates and connections are loaded before measuring.
        link = client.get(f"/downloads/{product.pk}/")["Location"]
        response = client.get(link)
        next(iter(response.streaming_content))
        response.close()

        link = client.get(f"/downloads/{product.pk}/")["Location"]
        before_kb = proc_status_kb("VmRSS")
        reset_peak_rss()
        response = client.get(link)
        served = 0
        for chunk in response.streaming_content:
            served += len(chunk)
        response.close()
        peak_kb = proc_status_kb("VmHWM")
    finally:
        storages["private"].delete(name)

    growth_mb = (peak_kb - before_kb) / 1024
    print(f"served {served / MB:.1f} MB through {link.rsplit('/', 2)[0]}/...")
    print(f"RSS before {before_kb / 1024:.1f} MB, peak during {peak_kb / 1024:.1f} MB")
    print(f"RSS growth {growth_mb:.1f} MB (limit {args.limit_mb:.0f} MB)")
    if served != args.size_mb * MB:
        print("FAIL: the whole file was not served")
        return 1
    if growth_mb >= args.limit_mb:
        print("FAIL: memory grew beyond the limit")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
