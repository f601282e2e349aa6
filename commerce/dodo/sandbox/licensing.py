"""Dodo's license key API in the sandbox: the merchant's ``/license_keys/{id}`` and
the public ``/licenses/activate|validate|deactivate`` a seller's software calls.

The public endpoints need no API key, as Dodo's: a key string is the credential.
Answers have the shapes of the SDK's ``LicenseKey``, ``LicenseActivateResponse``,
``LicenseValidateResponse`` (the conformance test validates them).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from . import objects, store
from .api import _error, _listed, endpoint
from .models import SandboxObject


def _expire_if_due(key: dict[str, Any]) -> dict[str, Any]:
    expires = key.get("expires_at")
    if key["status"] == "active" and expires:
        moment = datetime.fromisoformat(expires.replace("Z", "+00:00"))
        if moment <= timezone.now():
            key["status"] = "expired"
            store.put("license_key", key["id"], key)
    return key


@endpoint("GET")
def license_keys(request, body):
    """``GET /license_keys`` with the filters of the SDK's ``LicenseKeyListParams``."""
    status = request.GET.get("status")
    return _listed(
        request,
        "license_key",
        ("product_id", "source"),
        # A key past its expiry is listed as Dodo lists it: expired.
        extra=lambda key: not status or _expire_if_due(key)["status"] == status,
        shape=_expire_if_due,
    )


@endpoint("GET", "PATCH")
def license_key_detail(request, body, license_key_id: str):
    key = store.get("license_key", license_key_id)
    if key is None:
        return _error(404, "NOT_FOUND", f"No license key {license_key_id}")
    key = _expire_if_due(key)
    if request.method == "PATCH":
        if "disabled" in body and body["disabled"] is not None:
            if not isinstance(body["disabled"], bool):
                return _error(422, "INVALID_REQUEST", "disabled is a boolean")
            if body["disabled"]:
                key["status"] = "disabled"
            elif key["status"] == "disabled":
                key["status"] = "active"
                key = _expire_if_due(key)
        if "activations_limit" in body:
            key["activations_limit"] = body["activations_limit"]
        if "expires_at" in body:
            key["expires_at"] = body["expires_at"]
        store.put("license_key", key["id"], key)
    return JsonResponse(key)


def public(view):
    """No API key; a JSON object body; the key's owner bound for the view."""

    @csrf_exempt
    def wrapper(request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return _error(405, "METHOD_NOT_ALLOWED", request.method)
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return _error(400, "INVALID_JSON", "Body is not JSON.")
        if not isinstance(body, dict) or not isinstance(body.get("license_key"), str):
            return _error(422, "INVALID_REQUEST", "license_key is required")
        row = SandboxObject.objects.filter(
            kind="license_key", data__key=body["license_key"]
        ).first()
        if row is None:
            return _error(404, "NOT_FOUND", "License key not found")
        with store.bound(row.owner), transaction.atomic():
            return view(request, body, _expire_if_due(row.data))

    return wrapper


@public
def activate(request, body, key):
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        return _error(422, "INVALID_REQUEST", "name is required")
    if key["status"] != "active":
        return _error(
            403, "LICENSE_KEY_INACTIVE", f"The license key is {key['status']}"
        )
    limit = key.get("activations_limit")
    if limit is not None and key["instances_count"] >= limit:
        return _error(422, "ACTIVATION_LIMIT_REACHED", "Activation limit reached")
    instance = objects.license_key_instance(key, name.strip())
    store.put("license_key_instance", instance["id"], instance)
    key["instances_count"] += 1
    store.put("license_key", key["id"], key)
    customer = store.get("customer", key["customer_id"]) or {}
    product = store.get("product", key["product_id"]) or {}
    return JsonResponse(
        {
            **instance,
            "customer": {
                "customer_id": key["customer_id"],
                "email": customer.get("email") or "",
                "name": customer.get("name") or "",
            },
            "product": {"product_id": key["product_id"], "name": product.get("name")},
        }
    )


@public
def validate(request, body, key):
    valid = key["status"] == "active"
    instance_id = body.get("license_key_instance_id")
    if valid and instance_id:
        instance = store.get("license_key_instance", str(instance_id))
        valid = instance is not None and instance["license_key_id"] == key["id"]
    return JsonResponse({"valid": valid})


@public
def deactivate(request, body, key):
    instance_id = str(body.get("license_key_instance_id") or "")
    instance = store.get("license_key_instance", instance_id) if instance_id else None
    if instance is None or instance["license_key_id"] != key["id"]:
        return _error(404, "NOT_FOUND", "License key instance not found")
    SandboxObject.objects.filter(
        kind="license_key_instance", object_id=instance_id
    ).delete()
    key["instances_count"] = max(key["instances_count"] - 1, 0)
    store.put("license_key", key["id"], key)
    return HttpResponse(status=200)
