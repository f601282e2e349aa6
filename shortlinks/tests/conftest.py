import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache():
    """Cached slugs outlive the rolled-back rows of a test: start and end clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _sellers_may_manage_links(request):
    """Another test's flush (``transaction=True``) drops the migration's grants."""
    if request.node.get_closest_marker("django_db") is None:
        return
    from shortlinks.permissions import sellers_group_grant_link_permissions

    request.getfixturevalue("db")
    sellers_group_grant_link_permissions()
