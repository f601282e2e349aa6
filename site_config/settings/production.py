"""Production: secrets are required, the sandbox is refused, HTTPS is enforced."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from .base import *  # noqa: F403
from .base import (
    AWS_STORAGE_BUCKET_NAME,
    DODO_PAYMENTS_API_KEY,
    DODO_PAYMENTS_WEBHOOK_KEY,
    SECRET_KEY,
    SITE_URL,
    SITE_URL_FROM_ENV,
    dodo_environment_check,
    env,
)

DEBUG = False

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production needs a long random SECRET_KEY in the "
        "environment (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

DODO_SANDBOX = env.bool("DODO_SANDBOX", default=False)
if DODO_SANDBOX:
    raise ImproperlyConfigured(
        "DODO_SANDBOX is on. The Dodo sandbox is a development emulation and never "
        "runs in production: unset DODO_SANDBOX and set DODO_PAYMENTS_API_KEY."
    )
if not DODO_PAYMENTS_API_KEY or not DODO_PAYMENTS_WEBHOOK_KEY:
    raise ImproperlyConfigured(
        "DODO_PAYMENTS_API_KEY and DODO_PAYMENTS_WEBHOOK_KEY are required in "
        "production (without them no checkout can start and no webhook verifies)."
    )
# No default: a live key sent to the test API (or the reverse) gets 401 on every
# call, so production says which one it means.
DODO_PAYMENTS_ENVIRONMENT = dodo_environment_check(
    env("DODO_PAYMENTS_ENVIRONMENT", default="(not set)")
)

if not AWS_STORAGE_BUCKET_NAME:
    raise ImproperlyConfigured(
        "AWS_STORAGE_BUCKET_NAME is not set. Production keeps media and product "
        "files in S3 or DigitalOcean Spaces and delivers downloads as short-lived "
        "presigned URLs; the local-file download view is for development only."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# Every absolute link (e-mails, Dodo's return URL, short links) is built on it: a
# wrong one sends buyers nowhere, so it is checked here rather than discovered.
_site = urlsplit(SITE_URL)
if not SITE_URL_FROM_ENV or _site.scheme != "https" or not _site.hostname:
    raise ImproperlyConfigured(
        f"SITE_URL must be the shop's public https address (e.g. "
        f"https://shop.example.com); it is {SITE_URL!r}"
        f"{'' if SITE_URL_FROM_ENV else ' (not set)'}."
    )
if not validate_host(_site.hostname, ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        f"SITE_URL's host {_site.hostname!r} is not in ALLOWED_HOSTS "
        f"({', '.join(ALLOWED_HOSTS)}): requests to the shop's own address would be "
        "refused."
    )

# nginx on the same host (deploy/nginx.conf); set TRUSTED_PROXIES to the proxy's
# address when it runs elsewhere (compose.yaml does).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
# Believed only when the peer is a trusted proxy: ProxyHeadersMiddleware drops it
# from anyone else.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz)$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
