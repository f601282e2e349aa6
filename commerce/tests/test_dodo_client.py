import importlib

import pytest
from standardwebhooks import Webhook

from commerce.dodo import client as dodo


def test_sandbox_client_points_at_our_emulation(settings):
    settings.DODO_SANDBOX_IN_PROCESS = False
    sdk = dodo.get_client()
    assert str(sdk.base_url) == "http://testserver/dodo-sandbox/api/"


def test_real_client_uses_the_environment_even_with_a_base_url_env(
    settings, monkeypatch
):
    monkeypatch.setenv("DODO_PAYMENTS_BASE_URL", "http://elsewhere.invalid")
    settings.DODO_SANDBOX = False
    settings.DODO_PAYMENTS_API_KEY = "sk_test"
    settings.DODO_PAYMENTS_ENVIRONMENT = "test_mode"
    sdk = dodo.get_client()  # no "Ambiguous URL" error
    assert str(sdk.base_url).startswith("https://test.dodopayments.com")


def test_dev_derives_a_stable_webhook_key_when_none_is_set(settings):
    settings.DODO_PAYMENTS_WEBHOOK_KEY = ""
    key = dodo.webhook_key()
    assert key.startswith("whsec_")
    assert key == dodo.webhook_key()
    Webhook(key)  # a valid Standard Webhooks secret


def test_without_sandbox_there_is_no_webhook_key_fallback(settings):
    settings.DODO_PAYMENTS_WEBHOOK_KEY = ""
    settings.DODO_SANDBOX = False
    with pytest.raises(dodo.DodoError):
        dodo.webhook_key()


def test_sandbox_urls_are_not_mounted_without_the_sandbox(settings):
    import commerce.urls

    settings.DODO_SANDBOX = False
    try:
        module = importlib.reload(commerce.urls)
        routes = [str(p.pattern) for p in module.urlpatterns]
        assert "dodo-sandbox/" not in routes
        assert "webhooks/dodo/" in routes
    finally:
        settings.DODO_SANDBOX = True
        importlib.reload(commerce.urls)
