"""A local stand-in for the GA4 Data API's REST endpoint, and a service-account key."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class FakeGA4:
    """Answers ``runReport`` with the page views it is given; records each request."""

    def __init__(self, views: dict[str, int]):
        self.views = views
        self.requests: list[dict] = []
        self.status = 200
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append(
                    {
                        "path": self.path,
                        "body": body,
                        "authorization": self.headers.get("Authorization", ""),
                    }
                )
                if self.path == "/token":
                    return self._reply(
                        200, {"access_token": "fake-token", "expires_in": 3600}
                    )
                if fake.status != 200:
                    return self._reply(
                        fake.status,
                        {"error": {"code": fake.status, "message": "quota exceeded"}},
                    )
                wanted = body["dimensionFilter"]["filter"]["inListFilter"]["values"]
                rows = [
                    {
                        "dimensionValues": [{"value": path}],
                        "metricValues": [{"value": str(count)}],
                    }
                    for path, count in fake.views.items()
                    if path in wanted
                ]
                self._reply(200, {"rows": rows, "rowCount": len(rows)})

            def _reply(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def report_requests(self) -> list[dict]:
        return [r for r in self.requests if r["path"] != "/token"]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def write_service_account_key(path, token_uri: str) -> None:
    """A real (throwaway) service-account key file, as Google Cloud issues them."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "storefront-test",
                "private_key_id": "test-key",
                "private_key": pem,
                "client_email": "dashboard@storefront-test.iam.gserviceaccount.com",
                "client_id": "1234567890",
                "token_uri": token_uri,
            }
        )
    )
