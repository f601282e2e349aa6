"""Thin tasks: ids in, services do the work (recorded in the outbox)."""

from __future__ import annotations

from outbox.reliable import reliable_task

from . import services


@reliable_task(name="commerce.release_announcement_fan_out")
def release_announcement_fan_out_task(announcement_id: int) -> int:
    return services.release_announcement_fan_out(announcement_id=announcement_id)


@reliable_task(
    name="commerce.release_email_batch_send",
    effect=True,
    backoff=30,
    backoff_max=30 * 60,
)
def release_email_batch_send_task(email_ids: list[int]) -> int:
    """Send a batch; each row is claimed on its own, so a retry resends none."""
    return sum(services.release_email_send(email_id=pk) for pk in email_ids)
