import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from commerce.downloads.models import DownloadEvent, DownloadToken
from commerce.downloads.services import download_token_mint
from commerce.downloads.tasks import purge_expired_download_tokens_task
from commerce.tests.factories import PurchasedProductFactory

pytestmark = pytest.mark.django_db


def test_purge_deletes_expired_tokens_and_keeps_the_audit():
    purchase = PurchasedProductFactory()
    fresh = download_token_mint(user=purchase.user, product_id=purchase.product.pk)
    expired = download_token_mint(user=purchase.user, product_id=purchase.product.pk)
    DownloadToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    result = purge_expired_download_tokens_task.delay()

    assert result.get() == 1
    assert list(DownloadToken.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert DownloadEvent.objects.count() == 2
    assert DownloadEvent.objects.filter(token__isnull=True).count() == 1


def test_a_fresh_worker_process_registers_the_task_under_the_beat_name():
    # A new interpreter, as a worker starts: nothing imported the module by hand.
    code = (
        "import django; django.setup();"
        "from site_config.celery import app;"
        "app.loader.import_default_modules();"
        "print('commerce.purge_expired_download_tokens' in app.tasks)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_config.settings.test"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "True"
