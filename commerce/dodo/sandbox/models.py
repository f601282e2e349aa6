"""State of the Dodo sandbox: one table of JSON objects, shared across processes."""

from django.db import models


class SandboxObject(models.Model):
    """One emulated Dodo object (product, customer, checkout session, payment...).

    ``owner`` is a digest of the API token that created it: like Dodo's per-key
    business, another token sees none of it.
    """

    kind = models.CharField(max_length=32)
    object_id = models.CharField(max_length=64, unique=True)
    owner = models.CharField(max_length=64, default="")
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"sandbox {self.kind} {self.object_id}"
