"""A campaign landing page in Chromium: the countdown ticks under our CSP, and the
sign-up form works from the cached anonymous page (no CSRF token, no cookie)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from newsletter.models import Subscriber

from .helpers import publish_landing_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_countdown_ticks_and_sign_up_confirms(page, live_server, settings):
    settings.SITE_URL = live_server.url
    ends = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    landing = publish_landing_page(
        slug="drop",
        hide_header=True,
        body=[
            {
                "type": "countdown",
                "value": {
                    "heading": "Drop in",
                    "ends_at": ends.isoformat(),
                    "text": "",
                    "ended_text": "Dropped.",
                },
            },
            {
                "type": "signup",
                "value": {
                    "heading": "Tell me",
                    "text": "",
                    "topic": "drop",
                    "button_text": "Notify me",
                },
            },
        ],
    )
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(landing.url)
    clock = page.locator("[data-countdown-clock]")
    clock.wait_for(state="visible")
    assert re.fullmatch(r"[23]d \d\dh \d\dm \d\ds", clock.inner_text())
    assert page.locator("header.site-header").count() == 0
    assert not [e for e in errors if "Content Security Policy" in e]

    page.fill("input[name=email]", "browser.fan@example.com")
    page.get_by_role("button", name="Notify me").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    subscriber = Subscriber.objects.get(email="browser.fan@example.com")
    assert subscriber.topic == "drop" and not subscriber.is_confirmed

    link = re.search(r"https?://\S+/newsletter/confirm/\S+/", mail.outbox[0].body)[0]
    page.goto(link)
    page.get_by_role("button", name="Yes, sign me up").click()
    page.get_by_role("heading", name="You're signed up").wait_for()
    subscriber.refresh_from_db()
    assert subscriber.is_confirmed
