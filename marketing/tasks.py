"""Review e-mails and scheduled publishing, run by Celery (``outbox.reliable``).

The review e-mails replace Wagtail's own workflow notifications (which send
synchronously inside the request): they go through the outbox, are retried on
transient mail errors and are sent once per decision.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import TaskState

from outbox.reliable import reliable_task
from site_config.base_url import absolute_url, public_url

logger = logging.getLogger(__name__)

APPROVED = "approved"
CHANGES_REQUESTED = "changes_requested"
SUBMITTED = "submitted"
DECISION_STATUSES = {
    APPROVED: TaskState.STATUS_APPROVED,
    CHANGES_REQUESTED: TaskState.STATUS_REJECTED,
}
RETRY_OPTIONS = {"effect": True, "backoff": 30, "backoff_max": 30 * 60}


def _send(*, template: str, to: list[str], context: dict) -> None:
    context = {"site_name": settings.WAGTAIL_SITE_NAME, **context}
    subject = render_to_string(f"marketing/email/{template}_subject.txt", context)
    text = render_to_string(f"marketing/email/{template}_body.txt", context)
    html = render_to_string(f"marketing/email/{template}_body.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


def _page_context(task_state) -> dict:
    page = task_state.workflow_state.content_object.specific
    return {
        "page": page,
        "page_title": page.get_admin_display_title(),
        "edit_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[page.pk])),
        "page_url": public_url(page.url) if page.url else "",
    }


@reliable_task(name="marketing.review_decision_email", **RETRY_OPTIONS)
def review_decision_email_task(task_state_id: int, decision: str) -> bool:
    """Tell whoever submitted the page that it was approved, or what to change."""
    task_state = (
        TaskState.objects.select_related("workflow_state__requested_by", "finished_by")
        .filter(pk=task_state_id, status=DECISION_STATUSES.get(decision, "?"))
        .first()
    )
    if task_state is None:
        logger.info(
            "review e-mail skipped: task state %s not %s", task_state_id, decision
        )
        return False
    requester = task_state.workflow_state.requested_by
    if requester is None or not requester.is_active or not requester.email:
        return False
    _send(
        template=decision,
        to=[requester.email],
        context={
            "user": requester,
            "reviewer": task_state.finished_by,
            "comment": task_state.get_comment(),
            "go_live_at": task_state.workflow_state.content_object.go_live_at,
            **_page_context(task_state),
        },
    )
    return True


@reliable_task(name="marketing.review_request_email", **RETRY_OPTIONS)
def review_request_email_task(task_state_id: int) -> bool:
    """Ask the reviewers of a group approval task to look at a submitted page."""
    task_state = (
        TaskState.objects.select_related("workflow_state__requested_by")
        .filter(pk=task_state_id, status=TaskState.STATUS_IN_PROGRESS)
        .first()
    )
    if task_state is None:
        return False
    from .review import reviewers_of

    requester = task_state.workflow_state.requested_by
    emails = sorted(
        {
            user.email
            for user in reviewers_of(task_state.task.specific)
            if user.email and user != requester
        }
    )
    if not emails:
        return False
    _send(
        template=SUBMITTED,
        to=emails,
        context={
            "requester": requester,
            "task_name": task_state.task.name,
            **_page_context(task_state),
        },
    )
    return True


@reliable_task(name="marketing.publish_scheduled_pages", backoff=30, backoff_max=60)
def publish_scheduled_pages_task() -> None:
    """Beat, every minute: Wagtail's ``publish_scheduled`` (go-live and expiry,
    including drafts approved in the review workflow with a go-live time)."""
    call_command("publish_scheduled")
