"""State of the Dodo sandbox: one table of JSON objects, shared across processes."""

from django.db import models


class SandboxObject(models.Model):
    """One emulated Dodo object (product, customer, checkout session, payment...)."""

    kind = models.CharField(max_length=32)
    object_id = models.CharField(max_length=64, unique=True)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "commerce"
        indexes = [models.Index(fields=["kind", "created_at"])]

    def __str__(self) -> str:
        return f"sandbox {self.kind} {self.object_id}"
