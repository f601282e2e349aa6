"""Two redemptions of one link at the same moment: exactly one wins (PostgreSQL)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from commerce.downloads.models import DownloadEvent, DownloadToken
from commerce.tests.factories import PurchasedProductFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_concurrent_redemptions_one_success(requires_postgres, round_):
    purchase = PurchasedProductFactory()
    minting = Client()
    minting.force_login(purchase.user)
    link = minting.post(f"/downloads/{purchase.product.pk}/")["Location"]

    barrier = threading.Barrier(2)
    statuses: list[int] = []
    bodies: list[bytes] = []

    def redeem():
        try:
            client = Client()
            client.force_login(purchase.user)
            barrier.wait(timeout=10)
            response = client.get(link)
            statuses.append(response.status_code)
            if response.status_code == 200:
                bodies.append(b"".join(response.streaming_content))
            else:
                bodies.append(response.content)
        finally:
            connection.close()

    threads = [threading.Thread(target=redeem) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses) == [200, 410]
    assert any(b"already used" in body for body in bodies)
    assert DownloadToken.objects.get().used_at is not None
    assert DownloadEvent.objects.filter(kind="redeemed").count() == 1
