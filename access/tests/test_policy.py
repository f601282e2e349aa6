"""``access.policy``: areas, records, pages and media, and that it fails closed."""

import pytest
from django.apps import apps
from wagtail.models import Page

from access import policy
from access.pages import ScopedPagePermissionTester
from accounts.tests.factories import SellerFactory, StaffFactory, UserFactory
from catalog.site_tree import ensure_product_index
from catalog.tests.factories import ProductPageFactory
from catalog.tests.helpers import make_image
from commerce.models import Order, WebhookEvent
from commerce.tests.factories import PaidOrderFactory
from home.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    alice, bob = SellerFactory(), SellerFactory()
    alice_product = ProductPageFactory(seller=alice, title="Alice Kit")
    bob_draft = ProductPageFactory(seller=bob, title="Bob Draft", live=False)
    return {
        "alice": alice,
        "bob": bob,
        "alice_product": alice_product,
        "bob_draft": bob_draft,
        "alice_order": PaidOrderFactory(product=alice_product),
        "bob_order": PaidOrderFactory(product=bob_draft),
    }


def test_areas_staff_everywhere_seller_in_theirs_customer_nowhere():
    seller, staff, customer = SellerFactory(), StaffFactory(), UserFactory()
    assert policy.may_enter(seller, "orders")
    assert not policy.may_enter(seller, "webhook_events")
    assert not policy.may_enter(seller, "settings")
    assert not policy.may_enter(customer, "orders")
    assert all(policy.may_enter(staff, area) for area in policy.AREAS)


def test_an_area_the_policy_does_not_name_is_staff_only():
    assert not policy.may_enter(SellerFactory(), "a-screen-added-later")
    assert policy.may_enter(StaffFactory(), "a-screen-added-later")


def test_records_a_seller_sees_only_their_own(world):
    orders = Order.objects.all()
    assert list(policy.records_visible_to(world["alice"], orders)) == [
        world["alice_order"]
    ]
    assert policy.record_visible_to(world["alice"], world["alice_order"])
    assert not policy.record_visible_to(world["alice"], world["bob_order"])
    assert policy.records_visible_to(StaffFactory(), orders).count() == 2
    assert not policy.records_visible_to(UserFactory(), orders).exists()


def test_records_of_a_model_the_policy_does_not_name_are_staff_only(world):
    WebhookEvent.objects.create(webhook_id="wh_1", event_type="x", body="{}")
    events = WebhookEvent.objects.all()
    assert not policy.records_visible_to(world["alice"], events).exists()
    assert policy.records_visible_to(StaffFactory(), events).count() == 1


def test_page_actions_own_product_foreign_product_and_index(world):
    alice = world["alice"]
    own = policy.page_actions(alice, world["alice_product"])
    assert {"edit", "publish", "delete", "view_revisions"} <= own
    assert policy.page_actions(alice, world["bob_draft"]) == frozenset()
    # A plain Page of another seller's product is judged as the product.
    plain = Page.objects.get(pk=world["bob_draft"].pk)
    assert policy.page_actions(alice, plain) == frozenset()
    index_actions = policy.page_actions(alice, ensure_product_index())
    assert index_actions == {"add_subpage", "publish_subpage"}
    assert policy.page_actions(alice, HomePage.objects.get()) == frozenset()
    assert "frobnicate" in policy.page_actions(StaffFactory(), plain)


def test_tester_refuses_every_action_the_policy_does_not_grant(world):
    alice = world["alice"]
    tester = world["alice_product"].permissions_for_user(alice)
    assert isinstance(tester, ScopedPagePermissionTester)
    assert tester.can_edit()
    # A permission a later Wagtail adds is refused until the policy names it.
    assert tester.can_do_something_new() is False
    foreign = Page.objects.get(pk=world["bob_draft"].pk).permissions_for_user(alice)
    assert not foreign.can_edit() and not foreign.can_view_revisions()
    index = ensure_product_index().permissions_for_user(alice)
    assert index.can_add_subpage() and not index.can_edit()


def test_every_page_model_uses_the_scoped_tester():
    from access.pages import ScopedPermissionsPage

    page_models = [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model is not Page
    ]
    assert page_models
    unscoped = [m for m in page_models if not issubclass(m, ScopedPermissionsPage)]
    assert unscoped == []


def test_page_querysets(world):
    alice = world["alice"]
    pages = Page.objects.all()
    visible = policy.pages_visible_to(alice, pages)
    assert visible.filter(pk=world["alice_product"].pk).exists()
    assert not visible.filter(pk=world["bob_draft"].pk).exists()
    actionable = policy.pages_actionable_by(alice, pages)
    assert set(actionable.values_list("pk", flat=True)) == {
        world["alice_product"].pk,
        ensure_product_index().pk,
    }
    assert policy.pages_visible_to(StaffFactory(), pages).count() == pages.count()


def test_media_a_seller_sees_only_their_uploads(world):
    mine, theirs = make_image("mine"), make_image("theirs")
    mine.uploaded_by_user = world["alice"]
    mine.save()
    theirs.uploaded_by_user = world["bob"]
    theirs.save()
    images = type(mine).objects.all()
    visible = policy.media_visible_to(world["alice"], images, "uploaded_by_user")
    assert list(visible) == [mine]
    assert policy.media_visible(world["alice"], mine, "uploaded_by_user")
    assert not policy.media_visible(world["alice"], theirs, "uploaded_by_user")
    assert policy.objects_visible_to(world["alice"], type(mine), [mine.pk])
    assert not policy.objects_visible_to(
        world["alice"], type(mine), [mine.pk, theirs.pk]
    )
