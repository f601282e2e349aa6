"""Review before publish: who reviews, and the e-mails a decision sends.

Wagtail's workflows do the reviewing (submit, approve, request changes with a
comment, scheduled go-live); ``access.policy`` takes direct publishing away
from marketers where a workflow applies. Here Wagtail's workflow signals are
turned into e-mails sent through the outbox, in place of Wagtail's own
notifiers (``MarketingConfig.ready`` disconnects those).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected

from outbox.services import enqueue

from .tasks import (
    APPROVED,
    CHANGES_REQUESTED,
    review_decision_email_task,
    review_request_email_task,
)


def reviewers_of(task) -> list:
    """Who may decide a group approval task: active members of its groups and
    superusers (Wagtail lets superusers approve any task)."""
    groups = getattr(task, "groups", None)
    in_groups = Q(groups__in=groups.all()) if groups is not None else Q(pk__in=[])
    return list(
        get_user_model()
        .objects.filter(in_groups | Q(is_superuser=True), is_active=True)
        .distinct()
    )


def _decided_task_state(workflow_state, status):
    return (
        workflow_state.task_states.filter(status=status)
        .order_by("-finished_at", "-pk")
        .first()
    )


def on_workflow_approved(sender, instance, user=None, **kwargs):
    task_state = _decided_task_state(instance, TaskState.STATUS_APPROVED)
    if task_state is not None and instance.requested_by_id != getattr(user, "pk", None):
        enqueue(review_decision_email_task, task_state.pk, APPROVED)


def on_workflow_rejected(sender, instance, user=None, **kwargs):
    task_state = _decided_task_state(instance, TaskState.STATUS_REJECTED)
    if task_state is not None and instance.requested_by_id != getattr(user, "pk", None):
        enqueue(review_decision_email_task, task_state.pk, CHANGES_REQUESTED)


def on_task_submitted(sender, instance, user=None, **kwargs):
    if hasattr(instance.task.specific, "groups"):
        enqueue(review_request_email_task, instance.pk)


def connect() -> None:
    """Ours in, Wagtail's out (called once wagtail.admin has connected its own)."""
    from wagtail.admin import signal_handlers as wagtail_handlers
    from wagtail.signals import workflow_submitted

    task_submitted.disconnect(
        wagtail_handlers.task_submission_email_notifier,
        sender=TaskState,
        dispatch_uid="group_approval_task_submitted_email_notification",
    )
    workflow_submitted.disconnect(
        wagtail_handlers.workflow_submission_email_notifier,
        sender=WorkflowState,
        dispatch_uid="workflow_state_submitted_email_notification",
    )
    workflow_rejected.disconnect(
        wagtail_handlers.workflow_rejection_email_notifier,
        sender=WorkflowState,
        dispatch_uid="workflow_state_rejected_email_notification",
    )
    workflow_approved.disconnect(
        wagtail_handlers.workflow_approval_email_notifier,
        sender=WorkflowState,
        dispatch_uid="workflow_state_approved_email_notification",
    )
    task_submitted.connect(
        on_task_submitted, sender=TaskState, dispatch_uid="marketing_review_request"
    )
    workflow_approved.connect(
        on_workflow_approved,
        sender=WorkflowState,
        dispatch_uid="marketing_review_approved",
    )
    workflow_rejected.connect(
        on_workflow_rejected,
        sender=WorkflowState,
        dispatch_uid="marketing_review_changes_requested",
    )
