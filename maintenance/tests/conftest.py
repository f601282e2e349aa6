import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache():
    """The cached switch outlives the rolled-back setting of a test: start and end clean."""
    cache.clear()
    yield
    cache.clear()
