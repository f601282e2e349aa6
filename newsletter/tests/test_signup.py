"""Sign-up with double opt-in: the form on a landing page, the e-mail, the link."""

import csv
import io
import re

import pytest
from django.core import mail
from django.test import Client

from accounts.tests.factories import StaffFactory, UserFactory
from home.tests.helpers import publish_landing_page
from newsletter.models import Subscriber
from outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/newsletter/subscribe/"


@pytest.fixture
def page():
    return publish_landing_page(
        slug="launch",
        body=[
            {
                "type": "signup",
                "value": {
                    "heading": "Be first",
                    "text": "",
                    "topic": "launch-week",
                    "button_text": "Notify me",
                },
            }
        ],
    )


@pytest.fixture
def signup(client, django_capture_on_commit_callbacks, page):
    def send(email="Fan@Example.com", ip="203.0.113.7", **extra):
        data = {"email": email, "topic": "launch-week", "page": page.pk, **extra}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SUBSCRIBE, data, REMOTE_ADDR=ip)

    return send


def _confirm_path(message) -> str:
    return re.search(r"/newsletter/confirm/\S+/", message.body)[0]


def test_double_opt_in_from_form_to_confirmed(client, signup, page):
    response = signup()
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "fan@example.com"
    assert subscriber.topic == "launch-week"
    assert subscriber.source_page_id == page.pk
    assert subscriber.status == Subscriber.Status.PENDING
    # Sent through the outbox, HTML and text.
    assert OutboxMessage.objects.filter(
        task_name="newsletter.confirmation_send"
    ).exists()
    [message] = mail.outbox
    assert message.to == ["fan@example.com"]
    assert message.alternatives and "Confirm my sign-up" in message.alternatives[0][0]
    link = _confirm_path(message)
    assert message.body.count("http://") >= 1  # absolute, on SITE_URL

    # Opening the link (or a mail scanner fetching it) confirms nothing yet.
    shown = Client().get(link)
    assert shown.status_code == 200 and "fan@example.com" in shown.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING

    browser = Client(enforce_csrf_checks=True)
    form_page = browser.get(link)
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.content.decode()
    )[1]
    done = browser.post(link, {"csrfmiddlewaretoken": token})
    assert done.status_code == 200 and "signed up" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None

    # The link works once.
    again = browser.post(link, {"csrfmiddlewaretoken": token})
    assert again.status_code == 400
    assert Client().get(link).status_code == 400


@pytest.mark.parametrize(
    "token", ["nonsense", "1:abc:def", "MQ:1abcde:xxxxxxxxxxxxxxxxxxxxxxxxxxx"]
)
def test_a_bad_confirmation_token_is_a_400(client, token):
    assert client.get(f"/newsletter/confirm/{token}/").status_code == 400
    assert client.post(f"/newsletter/confirm/{token}/").status_code == 400


def test_answers_never_tell_who_is_subscribed(client, signup):
    first = signup(email="known@example.com")
    link = _confirm_path(mail.outbox[0])
    client.post(link)
    mail.outbox.clear()

    again = signup(email="known@example.com")  # already confirmed
    fresh = signup(email="new@example.com")
    assert again.status_code == fresh.status_code == first.status_code == 200
    strip = re.compile(r"\s+")
    assert strip.sub("", again.content.decode()) == strip.sub(
        "", fresh.content.decode()
    )
    # The confirmed address gets nothing; the new one its link.
    assert [m.to for m in mail.outbox] == [["new@example.com"]]
    assert Subscriber.objects.get(email="known@example.com").status == "confirmed"


def test_a_repeated_sign_up_does_not_flood_the_inbox(signup):
    signup()
    signup()
    assert len(mail.outbox) == 1
    assert Subscriber.objects.count() == 1


def test_sign_ups_are_throttled(settings, signup):
    settings.THROTTLE_RATES = {
        **settings.THROTTLE_RATES,
        "newsletter_signup": {"ip": "2/h", "account": "5/h"},
    }
    assert signup(email="a@example.com").status_code == 200
    assert signup(email="b@example.com").status_code == 200
    refused = signup(email="c@example.com")
    assert refused.status_code == 429
    assert not Subscriber.objects.filter(email="c@example.com").exists()


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"email": "not-an-address"}, 400),
        ({"topic": "other-list"}, 400),  # no live page offers it
        ({"page": 999999}, 400),
        ({"page": "abc"}, 400),
        ({"topic": "<script>"}, 400),
    ],
)
def test_bad_input_is_refused_without_a_500(signup, data, status):
    assert signup(**data).status_code == status
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_a_cross_site_post_is_refused(client, page):
    response = client.post(
        SUBSCRIBE,
        {"email": "x@example.com", "topic": "launch-week", "page": page.pk},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_same_origin_post_and_get_method(client, page):
    ok = client.post(
        SUBSCRIBE,
        {"email": "x@example.com", "topic": "launch-week", "page": page.pk},
        HTTP_ORIGIN="http://testserver",
    )
    assert ok.status_code == 200
    assert client.get(SUBSCRIBE).status_code == 405


def test_the_honeypot_sends_nothing(signup):
    response = signup(website="http://spam.example")
    assert response.status_code == 200
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_staff_export_subscribers_as_csv(client, signup):
    signup(email="one@example.com")
    signup(email="two@example.com")
    client.force_login(StaffFactory(is_superuser=True))
    listing = client.get("/admin/subscribers/")
    assert listing.status_code == 200 and "one@example.com" in listing.content.decode()
    response = client.get("/admin/subscribers/?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    emails = {row[0] for row in rows[1:]}
    assert emails == {"one@example.com", "two@example.com"}
    assert rows[1][1] == "launch-week"
    # Nobody adds or edits subscribers in the admin.
    assert client.get("/admin/subscribers/new/").status_code in (302, 403)


def test_people_without_the_permission_cannot_see_subscribers(client, signup):
    signup()
    client.force_login(UserFactory(is_seller=True))
    for url in ("/admin/subscribers/", "/admin/subscribers/?export=csv"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"fan@example.com" not in response.content
