"""django-axes keys failures on the address as the login forms read it.

Both login forms (``/account/login/`` and Wagtail's ``/admin/login/``) find the
account by its normalised e-mail, so the lockout must count on the same key:
otherwise ``Victim@Example.com`` and `` victim@example.com`` would each get a
fresh set of tries against one account.
"""

from __future__ import annotations

from django.conf import settings

from .models import normalize_email_address


def lockout_username(request, credentials: dict | None = None) -> str:
    """The normalised e-mail of a login attempt (``AXES_USERNAME_CALLABLE``)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials and credentials.get(field) is not None:
        value = credentials.get(field)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get(field, "")
    return normalize_email_address(str(value or ""))
