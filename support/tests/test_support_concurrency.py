import threading

import pytest
from django.db import connection, transaction

from support import services
from support.models import SupportRequest


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_creates_give_one_request(
    requires_postgres, customer, product, purchase, settings
):
    settings.TELEGRAM_BOT_TOKEN = ""
    barrier = threading.Barrier(2)
    outcomes: list[object] = []
    lock = threading.Lock()

    def submit(n):
        try:
            barrier.wait(timeout=10)
            created = services.support_request_create(
                customer=customer, product=product, subject=f"try {n}", message="m"
            )
            result = created
        except services.SupportDuplicateActive as err:
            result = err
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    created = [o for o in outcomes if isinstance(o, SupportRequest)]
    refused = [o for o in outcomes if isinstance(o, services.SupportDuplicateActive)]
    assert (len(created), len(refused)) == (1, 1)
    assert refused[0].message == (
        "You already have an open support request for this product."
    )
    assert (
        SupportRequest.objects.filter(customer=customer, product=product).count() == 1
    )


@pytest.mark.django_db(transaction=True)
def test_constraint_decides_when_the_check_cannot_see_the_other_insert(
    requires_postgres, customer, product, purchase, settings
):
    """A inserts but has not committed; B's look-up sees nothing, its insert waits
    on the unique index, and fails with the clear message once A commits."""
    settings.TELEGRAM_BOT_TOKEN = ""
    inserted, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                outcome["a"] = services.support_request_create(
                    customer=customer, product=product, subject="A", message="m"
                )
                inserted.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    def second():
        try:
            outcome["b"] = services.support_request_create(
                customer=customer, product=product, subject="B", message="m"
            )
        except services.SupportDuplicateActive as err:
            outcome["b"] = err
        finally:
            connection.close()

    thread_a = threading.Thread(target=first)
    thread_a.start()
    assert inserted.wait(timeout=10)
    thread_b = threading.Thread(target=second)
    thread_b.start()
    thread_b.join(timeout=1)
    assert thread_b.is_alive(), "B should be waiting on A's uncommitted row"
    release.set()
    thread_a.join(timeout=10)
    thread_b.join(timeout=10)

    assert isinstance(outcome["a"], SupportRequest)
    assert isinstance(outcome["b"], services.SupportDuplicateActive)
    assert str(outcome["b"].message).startswith("You already have an open")
    assert list(SupportRequest.objects.values_list("subject", flat=True)) == ["A"]
