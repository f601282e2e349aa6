import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache():
    """Cached slugs outlive the rolled-back rows of a test: start and end clean."""
    cache.clear()
    yield
    cache.clear()
