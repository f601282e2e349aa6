"""The sandbox's objects: JSON documents in ``SandboxObject``, ids like Dodo's.

Every object belongs to the API token that created it (``owner``, a digest of the
token), as Dodo's objects belong to the business of the key: a read or write under
another token finds nothing. The API binds the caller's owner around each request
(``bound``); the hosted pages bind the owner of the session or payment they show.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import secrets
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from .models import SandboxObject

BUSINESS_ID = "bus_sandbox"
BRAND_ID = "bnd_sandbox"

_owner: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "dodo_sandbox_owner", default=None
)


def now_iso() -> str:
    return timezone.now().isoformat().replace("+00:00", "Z")


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(10)}"


def owner_of_token(token: str) -> str:
    return hashlib.sha256(f"dodo-sandbox-owner:{token}".encode()).hexdigest()


@contextlib.contextmanager
def bound(owner: str) -> Iterator[None]:
    """Reads and writes inside see only ``owner``'s objects."""
    reset = _owner.set(owner)
    try:
        yield
    finally:
        _owner.reset(reset)


def _current() -> str:
    owner = _owner.get()
    if not owner:
        raise RuntimeError("No sandbox owner bound: use store.bound(owner).")
    return owner


def put(kind: str, object_id: str, data: dict[str, Any]) -> dict[str, Any]:
    owner = _current()
    row, created = SandboxObject.objects.get_or_create(
        object_id=object_id, defaults={"kind": kind, "data": data, "owner": owner}
    )
    if not created:
        if row.owner != owner:
            raise PermissionError(f"{object_id} belongs to another sandbox token")
        row.kind, row.data = kind, data
        row.save(update_fields=["kind", "data"])
    return data


def get(kind: str, object_id: str) -> dict[str, Any] | None:
    row = SandboxObject.objects.filter(
        kind=kind, object_id=object_id, owner=_current()
    ).first()
    return row.data if row is not None else None


def all_of(kind: str) -> list[dict[str, Any]]:
    return [
        row.data for row in SandboxObject.objects.filter(kind=kind, owner=_current())
    ]


def owner_by_id(kind: str, object_id: str) -> str | None:
    """Whose object this is: for hosted pages, reached by an unguessable id only."""
    return (
        SandboxObject.objects.filter(kind=kind, object_id=object_id)
        .values_list("owner", flat=True)
        .first()
    )
