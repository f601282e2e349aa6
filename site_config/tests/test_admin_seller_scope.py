"""A second seller walks every admin URL with the first seller's ids and sees
nothing of theirs.

The URLs come from the URL conf (``admin_walk.admin_urls``), not a hand list, so
a screen Wagtail or an app adds later is walked too. Every listing is also
searched for the first seller's tag.
"""

import pytest

from accounts.tests.factories import SellerFactory

from .admin_walk import admin_urls, listing_search_urls, seller_world


@pytest.mark.django_db
def test_another_seller_sees_nothing_of_the_first_on_any_admin_url(client):
    first = seller_world(SellerFactory(email="alpha-seller@example.com"), "Alpha")
    second = SellerFactory(email="beta-seller@example.com")
    client.force_login(second)

    urls = admin_urls(first)
    urls += listing_search_urls(urls, "Alpha")
    assert len(urls) > 100  # the walk really covers the admin

    leaks = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            leaks.append(f"{url}: {response.status_code}")
            continue
        if response.status_code != 200 or response.streaming:
            continue
        body = response.content.decode(errors="replace")
        found = [secret for secret in first.secrets if secret in body]
        if found:
            leaks.append(f"{url}: {found}")
    assert leaks == [], "\n".join(leaks)
