"""An in-process transport to the sandbox, for tests and seeding without a server.

The SDK still speaks real HTTP (httpx requests and responses); only the socket is
replaced by a WSGI call into this Django, so tests see their own (uncommitted)
data. Used through ``commerce.dodo.client.http_client`` when
``DODO_SANDBOX_IN_PROCESS`` is set.
"""

from __future__ import annotations

import httpx


def _in_process_app(environ, start_response):
    """Django as a WSGI app for an in-process call, inside a test's transaction.

    Like Django's test client, it keeps ``close_old_connections`` from closing the
    connection the surrounding test (or request) is using, and reads the whole
    response before reconnecting it.
    """
    from django.core import signals
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return [body]


def in_process_client(base_url: str) -> httpx.Client:
    return httpx.Client(
        transport=httpx.WSGITransport(app=_in_process_app), base_url=base_url
    )
