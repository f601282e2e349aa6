"""The sandbox's objects: JSON documents in ``SandboxObject``, ids like Dodo's."""

from __future__ import annotations

import secrets
from typing import Any

from django.utils import timezone

from .models import SandboxObject

BUSINESS_ID = "bus_sandbox"
BRAND_ID = "bnd_sandbox"


def now_iso() -> str:
    return timezone.now().isoformat().replace("+00:00", "Z")


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(10)}"


def put(kind: str, object_id: str, data: dict[str, Any]) -> dict[str, Any]:
    SandboxObject.objects.update_or_create(
        object_id=object_id, defaults={"kind": kind, "data": data}
    )
    return data


def get(kind: str, object_id: str) -> dict[str, Any] | None:
    row = SandboxObject.objects.filter(kind=kind, object_id=object_id).first()
    return row.data if row is not None else None


def all_of(kind: str) -> list[dict[str, Any]]:
    return [row.data for row in SandboxObject.objects.filter(kind=kind)]
