from outbox.reliable import reliable_task

from .events import event_deliver


class DeliveryRefused(Exception):
    """Our endpoint answered non-2xx: Dodo would deliver again later."""


@reliable_task(
    name="commerce.sandbox_deliver_webhook",
    retry_on=(DeliveryRefused,),
    max_retries=5,
    backoff=5,
)
def sandbox_webhook_deliver_task(event_id: str) -> int:
    """Deliver like Dodo: a non-2xx answer is retried with backoff."""
    status = event_deliver(event_id=event_id)
    if status >= 300:
        raise DeliveryRefused(f"webhook {event_id} answered {status}")
    return status
