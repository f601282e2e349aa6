"""In Chromium: a marketer builds a landing page from blocks and submits it for
review (there is no Publish for them); a staff member approves it in the editor;
the page is live and the marketer has been told by e-mail."""

import pytest
from django.core import mail
from wagtail.models import WorkflowState

from accounts.tests.factories import StaffFactory, UserFactory
from home.models import HomePage, LandingPage

pytestmark = pytest.mark.django_db(transaction=True)


def _more_actions(tab):
    tab.locator("footer [data-w-dropdown-target=toggle]").first.click()


def test_marketer_builds_and_submits_staff_approve_page_is_live(
    browser, live_server, browser_sign_in, settings
):
    settings.SITE_URL = live_server.url
    marketer = UserFactory(
        email="mia@example.com", full_name="Mia Marketer", is_marketer=True
    )
    staff = StaffFactory(email="boss@example.com", full_name="Bo Staff")
    home = HomePage.objects.get()

    # The marketer builds the page.
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    browser_sign_in(context, marketer, live_server.url)
    tab = context.new_page()
    tab.goto(f"/admin/pages/add/home/landingpage/{home.pk}/")
    tab.fill("#id_title", "Browser sale")
    tab.locator("#id_intro").fill("Made in a browser.")
    tab.locator("button[title='Insert a block']").first.click()
    tab.get_by_role("option", name="Testimonial").click()
    tab.locator("textarea[name='body-0-value-quote']").fill("It just works.")
    tab.locator("input[name='body-0-value-author']").fill("Ann B.")
    _more_actions(tab)
    assert tab.locator("button[name='action-publish']").count() == 0
    tab.get_by_role("button", name="Submit to Landing page review").click()
    tab.get_by_text("submitted for moderation").first.wait_for()
    context.close()

    landing = LandingPage.objects.get(slug="browser-sale")
    assert not landing.live and landing.workflow_in_progress
    mail.outbox.clear()

    # Staff approve it from the editor.
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    browser_sign_in(context, staff, live_server.url)
    tab = context.new_page()
    tab.goto(f"/admin/pages/{landing.pk}/edit/")
    _more_actions(tab)
    tab.get_by_role("button", name="Approve and Publish").click()
    # The editor saves and approves, then returns to the explorer.
    tab.get_by_text("'Browser sale' has been updated").first.wait_for()

    landing.refresh_from_db()
    assert landing.live
    state = WorkflowState.objects.get(object_id=str(landing.pk))
    assert state.status == WorkflowState.STATUS_APPROVED
    tab.goto(landing.url)
    assert "It just works." in tab.content()
    context.close()
    approvals = [m for m in mail.outbox if m.to == ["mia@example.com"]]
    assert [m.subject for m in approvals] == ["Approved: Browser sale"]
