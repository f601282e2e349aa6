import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from wagtail.models import Page, Site

from accounts.models import User

pytestmark = pytest.mark.django_db


def _counts() -> dict:
    return {
        "users": User.objects.count(),
        "pages": Page.objects.count(),
        "sites": Site.objects.count(),
        "groups": Group.objects.count(),
    }


@override_settings(DEBUG=True)
def test_seed_demo_twice_leaves_the_same_counts(capsys):
    call_command("seed_demo")
    first = _counts()
    out = capsys.readouterr().out
    call_command("seed_demo")
    assert _counts() == first

    for email, password in [
        ("admin@example.com", "demo-admin-pass"),
        ("seller@example.com", "demo-seller-pass"),
        ("customer@example.com", "demo-customer-pass"),
    ]:
        assert f"{email} / {password}" in out
        assert User.objects.get(email=email).check_password(password)
    assert User.objects.get(email="admin@example.com").is_superuser
    seller = User.objects.get(email="seller@example.com")
    assert seller.is_seller and seller.groups.filter(name="Sellers").exists()
    assert not User.objects.get(email="customer@example.com").is_seller


@override_settings(DEBUG=False)
def test_seed_demo_refuses_without_debug():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.filter(email="admin@example.com").exists()
