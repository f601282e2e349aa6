from celery import shared_task

from .events import event_deliver


@shared_task(bind=True, name="commerce.sandbox_deliver_webhook", max_retries=5)
def sandbox_webhook_deliver_task(self, event_id: str) -> int:
    """Deliver like Dodo: a non-2xx answer is retried with backoff."""
    status = event_deliver(event_id=event_id)
    if status >= 300 and not self.request.is_eager:
        raise self.retry(countdown=5 * 2**self.request.retries)
    return status
