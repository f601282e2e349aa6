import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache():
    """The cached switch outlives a test's rolled-back setting: start and end clean."""
    cache.clear()
    yield
    cache.clear()
