"""Signed one-click unsubscribe tokens: the link is its own proof, no sign-in."""

from __future__ import annotations

from django.core import signing

UNSUBSCRIBE_SALT = "commerce.updates.unsubscribe"


def unsubscribe_token_make(*, user_id: int, product_id: int) -> str:
    return signing.dumps([user_id, product_id], salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> tuple[int, int] | None:
    """(user id, product id), or None for anything not signed by us."""
    try:
        user_id, product_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(user_id, int) and isinstance(product_id, int)):
        return None
    return user_id, product_id
