"""Plain-text e-mails carry the text as typed; HTML e-mails escape it."""

import pytest
from django.core import mail

from accounts.services import user_register
from support import services

pytestmark = pytest.mark.django_db

TRICKY = 'Fish & "Chips" <b>now</b> it\'s'


def test_support_emails_keep_the_text_unescaped(
    customer, product, purchase, django_capture_on_commit_callbacks
):
    product.seller.email_verified = True
    with django_capture_on_commit_callbacks(execute=True):
        request = services.support_request_create(
            customer=customer, product=product, subject=TRICKY, message=TRICKY
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.support_message_add(
            support_request=request, author=product.seller, body=TRICKY
        )
    assert mail.outbox, "no support e-mail was sent"
    for message in mail.outbox:
        assert "&amp;" not in message.body and "&quot;" not in message.body
        assert "&lt;" not in message.body and "&#x27;" not in message.body
        assert "&amp;" not in message.subject
    assert any(TRICKY in message.body for message in mail.outbox)
    assert any(TRICKY in message.subject for message in mail.outbox)


def test_account_email_text_part_unescaped_html_part_escaped(
    django_capture_on_commit_callbacks,
):
    name = 'O\'Neil&<Co>"Ltd"'  # one word: the greeting uses the first word
    with django_capture_on_commit_callbacks(execute=True):
        user_register(email="tricky@example.com", full_name=name, password="x-9!kq")
    (message,) = mail.outbox
    html, _mime = message.alternatives[0]
    assert f"Hello {name}," in message.body
    assert "&lt;" not in message.body and "&amp;" not in message.body
    assert "<Co>" not in html
    assert "O&#x27;Neil&amp;&lt;Co&gt;&quot;Ltd&quot;" in html
