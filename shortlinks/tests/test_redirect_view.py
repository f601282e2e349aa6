"""``/s/<slug>/``: redirect, expiry, unknown slugs, cache behaviour."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from shortlinks import cache as link_cache
from shortlinks.models import ShortLink
from shortlinks.services import shortlink_hits_flush

from .factories import ShortLinkFactory

pytestmark = pytest.mark.django_db


def test_redirects_and_counts_the_hit(client):
    link = ShortLinkFactory(slug="promo", destination="https://example.com/offer")

    response = client.get("/s/promo/")

    assert response.status_code == 302
    assert response["Location"] == "https://example.com/offer"
    shortlink_hits_flush()  # buffered when the cache is Redis
    link.refresh_from_db()
    assert link.hit_count == 1
    assert link.last_hit_at is not None


def test_internal_destination_and_case_insensitive_slug(client):
    ShortLinkFactory(slug="docs", destination="/products/?q=guide")

    response = client.get("/s/DOCS/")

    assert response.status_code == 302
    assert response["Location"] == "/products/?q=guide"


def test_expired_link_answers_410_and_is_not_counted(client):
    link = ShortLinkFactory(
        slug="old", expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = client.get("/s/old/")

    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    shortlink_hits_flush()
    link.refresh_from_db()
    assert link.hit_count == 0


def test_link_with_future_expiry_still_redirects(client):
    ShortLinkFactory(slug="soon", expires_at=timezone.now() + timedelta(days=1))
    assert client.get("/s/soon/").status_code == 302


def test_unknown_slug_is_404(client):
    assert client.get("/s/nothing-here/").status_code == 404


def test_link_created_after_a_miss_is_found(client, committed):
    assert client.get("/s/later/").status_code == 404
    with committed():
        ShortLinkFactory(slug="later")
    assert client.get("/s/later/").status_code == 302


@pytest.mark.parametrize("other_links", [0, 40])
def test_cached_redirect_without_redis_runs_only_the_hit_update(
    client, django_assert_num_queries, other_links, settings
):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    cache.clear()  # this locmem outlives the test: no slug from an earlier one
    ShortLinkFactory.create_batch(other_links)
    link = ShortLinkFactory(slug="hot", destination="/products/")
    client.get("/s/hot/")  # warms the cache
    assert link_cache.get("hot") is not None

    with django_assert_num_queries(1) as captured:
        response = client.get("/s/hot/")

    assert response.status_code == 302
    assert captured.captured_queries[0]["sql"].lstrip().upper().startswith("UPDATE")
    link.refresh_from_db()
    assert link.hit_count == 2


def test_cached_expiry_is_still_enforced(client):
    link = ShortLinkFactory(slug="edge", expires_at=timezone.now() + timedelta(days=1))
    client.get("/s/edge/")
    # Expiry passes while the entry is cached: compared at request time.
    ShortLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    cached = link_cache.get("edge")
    cached["expires_at"] = timezone.now() - timedelta(seconds=1)
    link_cache.put("edge", cached)

    assert client.get("/s/edge/").status_code == 410


def test_editing_the_destination_clears_the_cache_at_once(client, committed):
    link = ShortLinkFactory(slug="moving", destination="/old/")
    assert client.get("/s/moving/")["Location"] == "/old/"

    with committed():
        link.destination = "https://example.com/new"
        link.save()

    assert client.get("/s/moving/")["Location"] == "https://example.com/new"


def test_renaming_the_slug_forgets_the_old_one(client, committed):
    link = ShortLinkFactory(slug="before")
    client.get("/s/before/")

    with committed():
        link.slug = "after"
        link.save()

    assert client.get("/s/before/").status_code == 404
    assert client.get("/s/after/").status_code == 302


def test_deleting_clears_the_cache_at_once(client, committed):
    link = ShortLinkFactory(slug="gone")
    client.get("/s/gone/")

    with committed():
        link.delete()

    assert client.get("/s/gone/").status_code == 404


def test_bulk_delete_clears_the_cache_too(client, committed):
    ShortLinkFactory(slug="bulk-a")
    ShortLinkFactory(slug="bulk-b")
    client.get("/s/bulk-a/")
    client.get("/s/bulk-b/")

    with committed():
        ShortLink.objects.filter(slug__startswith="bulk-").delete()

    assert client.get("/s/bulk-a/").status_code == 404
    assert client.get("/s/bulk-b/").status_code == 404


def test_cache_is_forgotten_again_after_commit(
    client, django_capture_on_commit_callbacks
):
    link = ShortLinkFactory(slug="race", destination="/one/")
    with django_capture_on_commit_callbacks(execute=True):
        link.destination = "/two/"
        link.save()
        # A request that read the old row before our commit re-caches it.
        link_cache.put(
            "race", {"pk": link.pk, "destination": "/one/", "expires_at": None}
        )

    assert link_cache.get("race") is None
    assert client.get("/s/race/")["Location"] == "/two/"
