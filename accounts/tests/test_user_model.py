import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from accounts.models import SELLERS_GROUP, User

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_user_normalises_email_and_sets_defaults():
    user = User.objects.create_user(
        email="  Foo.Bar@Example.COM ", password="pw-12345x"
    )

    user.refresh_from_db()
    assert user.email == "foo.bar@example.com"
    assert user.check_password("pw-12345x")
    assert user.is_customer is True
    assert user.is_seller is False
    assert user.is_staff is False
    assert user.is_superuser is False
    assert user.email_verified is False
    assert user.date_joined is not None


def test_create_user_requires_email():
    with pytest.raises(ValueError, match="e-mail"):
        User.objects.create_user(email="", password="x")


def test_create_superuser_is_staff_and_superuser():
    admin = User.objects.create_superuser(email="Boss@X.com", password="pw")
    assert admin.email == "boss@x.com"
    assert admin.is_staff and admin.is_superuser


def test_same_address_in_other_case_is_the_same_account():
    User.objects.create_user(email="foo@x.com", password="pw")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="Foo@X.com", password="pw")
    assert User.objects.count() == 1


def test_database_refuses_case_variant_written_around_save():
    user = User.objects.create_user(email="foo@x.com", password="pw")
    other = User.objects.create_user(email="other@x.com", password="pw")
    # A bulk update bypasses save() normalisation; the functional index holds.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(email="FOO@x.com")
    assert User.objects.get(pk=user.pk).email == "foo@x.com"


def test_login_is_case_insensitive(rf):
    User.objects.create_user(email="foo@x.com", password="pw-12345x")
    request = rf.post("/account/login/")
    user = authenticate(request, username="FOO@X.com", password="pw-12345x")
    assert user is not None and user.email == "foo@x.com"


def test_seller_flag_manages_sellers_group_membership():
    user = UserFactory()
    sellers = Group.objects.get(name=SELLERS_GROUP)
    assert not user.groups.filter(pk=sellers.pk).exists()

    user.is_seller = True
    user.save()
    assert user.groups.filter(pk=sellers.pk).exists()
    assert user.has_perm("wagtailadmin.access_admin")

    user.is_seller = False
    user.save()
    user = User.objects.get(pk=user.pk)  # drop the permission cache
    assert not user.groups.filter(pk=sellers.pk).exists()
    assert not user.has_perm("wagtailadmin.access_admin")


def test_one_user_can_be_customer_and_seller():
    user = UserFactory(is_seller=True)
    assert user.is_customer and user.is_seller
    assert str(user) == user.email
