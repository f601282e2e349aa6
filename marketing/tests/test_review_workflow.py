"""Review before publish: a marketer submits a landing page, a marketing lead
approves it or requests changes with a comment; the marketer is e-mailed once
(through the outbox); a go-live time set by the marketer is honoured by Beat's
scheduled publishing after approval."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from accounts.tests.factories import SellerFactory, UserFactory
from catalog.site_tree import ensure_product_index
from catalog.tests.factories import ProductPageFactory
from home.models import HomePage, LandingPage
from marketing.setup import LANDING_WORKFLOW, MARKETING_LEADS_GROUP, PRODUCT_WORKFLOW
from marketing.tasks import publish_scheduled_pages_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    marketer = UserFactory(email="mia@example.com", full_name="Mia", is_marketer=True)
    lead = UserFactory(email="lee@example.com", full_name="Lee Lead", is_marketer=True)
    lead.groups.add(Group.objects.get(name=MARKETING_LEADS_GROUP))
    return marketer, lead


def _edit_form(page, **extra):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": "Spring offers",
            "body": streamfield([("rich_text", "<p>Fresh kits for spring.</p>")]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def _submit(client, marketer, page, **extra):
    client.force_login(marketer)
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        _edit_form(page, **{"action-submit": "Submit", **extra}),
    )


def _draft(marketer) -> LandingPage:
    home = HomePage.objects.get()
    page = home.add_child(
        instance=LandingPage(title="Spring sale", slug="spring-sale", owner=marketer,
                             live=False)
    )  # fmt: skip
    page.save_revision(user=marketer)
    return page


def _act(client, reviewer, page, action, comment=""):
    task_state = TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    client.force_login(reviewer)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, action, task_state.pk],
        ),
        {"comment": comment},
    )
    assert response.status_code == 302, response.content[:500]
    return task_state


def test_landing_pages_and_home_are_under_review_products_are_not(people):
    home = HomePage.objects.get()
    assert home.get_workflow().name == LANDING_WORKFLOW
    assert _draft(people[0]).get_workflow().name == LANDING_WORKFLOW
    product = ProductPageFactory(seller=SellerFactory())
    assert product.get_workflow() is None and not product.has_workflow
    assert ensure_product_index().get_workflow() is None


def test_product_pages_use_the_product_workflow_when_switched_on(settings):
    seller = SellerFactory()
    product = ProductPageFactory(seller=seller)
    index = ensure_product_index()
    assert product.permissions_for_user(seller).can_publish()
    assert index.permissions_for_user(seller).can_publish_subpage()
    settings.SELLER_PRODUCT_WORKFLOW = True
    assert product.has_workflow
    assert product.get_workflow().name == PRODUCT_WORKFLOW
    # The seller submits; staff (Moderators, superusers) approve.
    tester = product.permissions_for_user(seller)
    assert tester.can_submit_for_moderation() and not tester.can_publish()
    assert not index.permissions_for_user(seller).can_publish_subpage()


def test_a_marketer_may_submit_but_not_publish(people):
    marketer, lead = people
    page = _draft(marketer)
    tester = page.permissions_for_user(marketer)
    assert tester.can_edit()
    assert tester.can_submit_for_moderation()
    assert not tester.can_publish()
    # Publishing straight from the edit form is refused.
    from django.test import Client

    client = Client()
    client.force_login(marketer)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        _edit_form(page, **{"action-publish": "Publish"}),
    )
    page.refresh_from_db()
    assert not page.live
    assert response.status_code in (200, 302, 403)
    # Nor can a new landing page be published straight from the add form.
    home = HomePage.objects.get()
    assert not home.permissions_for_user(marketer).can_publish_subpage()
    assert home.permissions_for_user(lead).can_publish_subpage()
    add_url = reverse("wagtailadmin_pages:add", args=["home", "landingpage", home.pk])
    html = client.get(add_url).content.decode()
    assert 'name="action-submit"' in html and 'name="action-publish"' not in html
    client.post(
        add_url,
        nested_form_data(
            {
                "title": "Sneaky",
                "slug": "sneaky",
                "body": streamfield([]),
                "comments": inline_formset([]),
                "action-publish": "Publish",
            }
        ),
    )
    assert not LandingPage.objects.filter(slug="sneaky", live=True).exists()


def test_submit_then_approve_publishes_and_tells_the_marketer_once(
    client, people, committed
):
    marketer, lead = people
    page = _draft(marketer)
    with committed():
        response = _submit(client, marketer, page)
    assert response.status_code == 302, response.content[:2000]
    page.refresh_from_db()
    assert page.workflow_in_progress and not page.live
    # The lead is asked to review (not the marketer).
    assert [m.to for m in mail.outbox] == [["lee@example.com"]]
    assert "Spring sale" in mail.outbox[0].subject
    mail.outbox.clear()

    with committed():
        _act(client, lead, page, "approve", comment="Looks great")
    page.refresh_from_db()
    assert page.live and page.intro == "Spring offers"
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_APPROVED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mia@example.com"]
    assert message.subject.startswith("Approved: Spring sale")
    assert "Lee Lead approved" in message.body and "Looks great" in message.body
    # The live page's link is on the shop's address, not the Site record's.
    from site_config.base_url import absolute_url

    assert f"It is live now: {absolute_url(page.url)}." in message.body
    assert "//localhost/" not in message.body
    # A redelivered message (the relay racing the commit hook) sends nothing more.
    from outbox.models import OutboxMessage
    from outbox.services import publish

    sent = OutboxMessage.objects.get(task_name="marketing.review_decision_email")
    publish(sent)
    assert len(mail.outbox) == 1


def test_request_changes_with_a_comment(client, people, committed):
    marketer, lead = people
    page = _draft(marketer)
    with committed():
        _submit(client, marketer, page)
    mail.outbox.clear()
    with committed():
        _act(client, lead, page, "reject", comment='Swap the "hero" image, please')
    page.refresh_from_db()
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mia@example.com"]
    assert message.subject == "Changes requested: Spring sale"
    # Plain text is not HTML-escaped; the HTML part is.
    assert 'Swap the "hero" image, please' in message.body
    assert "&quot;hero&quot;" in message.alternatives[0][0]
    # The marketer may resubmit after changes.
    assert page.permissions_for_user(marketer).can_edit()


def test_a_scheduled_page_goes_live_after_approval_when_its_time_comes(
    client, people, committed
):
    marketer, lead = people
    page = _draft(marketer)
    go_live = timezone.localtime() + timedelta(days=1)
    with committed():
        _submit(client, marketer, page, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
    mail.outbox.clear()
    with committed():
        _act(client, lead, page, "approve")
    page.refresh_from_db()
    assert not page.live  # approved, waiting for its time
    revision = Revision.page_revisions.get(
        object_id=str(page.pk), approved_go_live_at__isnull=False
    )
    assert "goes live" in mail.outbox[0].subject
    publish_scheduled_pages_task.delay()
    page.refresh_from_db()
    assert not page.live  # not yet
    # Its time comes (the revision's go-live time, as if a day had passed).
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    publish_scheduled_pages_task.delay()
    page.refresh_from_db()
    assert page.live and page.intro == "Spring offers"


def test_beat_runs_scheduled_publishing():
    import importlib

    from django.apps import apps
    from django.db.migrations.recorder import MigrationRecorder
    from django_celery_beat.models import PeriodicTask

    name = "0002_review_workflows"
    assert MigrationRecorder.Migration.objects.filter(
        app="marketing", name=name
    ).exists()
    # A transactional test may have flushed the kept test database: start from
    # no row and run the migration's own function (twice: it is idempotent).
    PeriodicTask.objects.filter(name="Publish scheduled pages").delete()
    migration = importlib.import_module(f"marketing.migrations.{name}")
    migration.create(apps, None)
    migration.create(apps, None)
    task = PeriodicTask.objects.get(name="Publish scheduled pages")
    assert task.task == "marketing.publish_scheduled_pages" and task.enabled
    assert task.interval.every == 1 and task.interval.period == "minutes"
    assert settings.CELERY_BEAT_SCHEDULER.endswith("DatabaseScheduler")
