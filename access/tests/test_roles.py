"""The role predicates and the role redirect: the one source for both."""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from access import roles
from accounts.tests.factories import SellerFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PREDICATES = ("is_customer", "is_seller", "is_staff", "is_superuser")


def _flags(user) -> dict:
    return {name: getattr(roles, name)(user) for name in PREDICATES} | {
        "is_scoped_seller": roles.is_scoped_seller(user),
        "works_in_admin": roles.works_in_admin(user),
    }


def test_customer():
    assert _flags(UserFactory()) == {
        "is_customer": True, "is_seller": False, "is_staff": False,
        "is_superuser": False, "is_scoped_seller": False, "works_in_admin": False,
    }  # fmt: skip


def test_seller_is_scoped_until_staff():
    seller = SellerFactory()
    assert roles.is_scoped_seller(seller) and roles.works_in_admin(seller)
    seller.is_staff = True
    assert roles.is_staff(seller) and not roles.is_scoped_seller(seller)


def test_marketer_is_scoped_unless_staff_or_seller():
    marketer = UserFactory(is_marketer=True)
    assert roles.is_marketer(marketer) and roles.is_scoped_marketer(marketer)
    assert roles.works_in_admin(marketer) and not roles.is_scoped_seller(marketer)
    assert not roles.is_scoped_marketer(UserFactory(is_marketer=True, is_staff=True))
    assert not roles.is_scoped_marketer(UserFactory(is_marketer=True, is_seller=True))


def test_staff_flag_alone_and_superuser_alone_both_count_as_staff():
    assert roles.is_staff(UserFactory(is_staff=True))
    assert roles.is_staff(UserFactory(is_superuser=True))
    assert not roles.is_superuser(UserFactory(is_staff=True))


def test_inactive_and_anonymous_hold_no_role():
    for user in (
        StaffFactory(is_active=False),
        SellerFactory(is_active=False),
        AnonymousUser(),
        None,
    ):
        assert not any(_flags(user).values()), user


def test_role_home_url():
    assert roles.role_home_url(UserFactory()) == "/account/"
    assert roles.role_home_url(SellerFactory()) == "/admin/"
    assert roles.role_home_url(UserFactory(is_marketer=True)) == "/admin/"
    assert roles.role_home_url(StaffFactory()) == "/admin/"


ROLE_ATTRIBUTE = re.compile(
    r"(?<![\w.])(?!roles\.|form\.|self\.)[\w.]+\.is_(staff|superuser|seller|marketer"
    r"|customer)\b(?!\s*=[^=])"  # reads, not assignments
)


def test_no_role_flag_is_read_outside_the_predicates():
    """One source for the role rules: code asks ``access.roles``, never the flags."""
    root = Path(__file__).resolve().parents[2]
    skipped = {".venv", ".git", "node_modules", "tests", "migrations", "access"}
    offenders = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in skipped and not d.startswith(".")]
        for name in files:
            if name.endswith((".py", ".html")):
                offenders.extend(_role_reads(root, Path(folder) / name))
    assert offenders == []


def _role_reads(root: Path, path: Path) -> list[str]:
    relative = path.relative_to(root).as_posix()
    offenders = []
    text = path.read_text(errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        if ROLE_ATTRIBUTE.search(line):
            offenders.append(f"{relative}:{number}: {line.strip()}")
    return offenders
