"""Requests per second: a cached short-link redirect against a trivial view.

Both go through the full middleware stack in-process (Django's test client), in
the same run, so the ratio is what matters. Run against your own database/Redis:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sf_links \
    REDIS_URL=redis://127.0.0.1:6379/5 \
    .venv/bin/python scripts/bench_shortlinks.py --requests 2000

The database must be migrated (``manage.py migrate``).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings.dev")

import django  # noqa: E402

django.setup()

from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from accounts.models import User  # noqa: E402
from shortlinks.models import ShortLink  # noqa: E402


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench-trivial/", trivial),
    path("", include("site_config.urls")),
]


def measure(client: Client, url: str, expected: int, count: int) -> float:
    for _ in range(50):
        status = client.get(url).status_code
        if status != expected:
            raise SystemExit(f"{url} answered {status}, expected {expected}")
    start = time.perf_counter()
    for _ in range(count):
        client.get(url)
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()

    owner, _ = User.objects.get_or_create(
        email="bench@example.com", defaults={"is_seller": True}
    )
    link, _ = ShortLink.objects.update_or_create(
        slug="bench", defaults={"owner": owner, "destination": "/products/"}
    )
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        trivial_rps = measure(client, "/bench-trivial/", 200, args.requests)
        redirect_rps = measure(client, "/s/bench/", 302, args.requests)
    link.refresh_from_db()
    print(f"trivial view:        {trivial_rps:8.0f} req/s")
    print(f"short-link redirect: {redirect_rps:8.0f} req/s")
    print(f"ratio:               {redirect_rps / trivial_rps:8.2f}")
    print(f"hit count now {link.hit_count}")


if __name__ == "__main__":
    main()
