import pytest


@pytest.fixture(autouse=True)
def _sandbox_in_process(settings):
    """Checkouts go through the real SDK into the in-process Dodo sandbox."""
    settings.DODO_SANDBOX = True
    settings.DODO_SANDBOX_IN_PROCESS = True
    settings.SITE_URL = "http://testserver"
