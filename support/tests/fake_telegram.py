"""A minimal Telegram Bot API over HTTP on 127.0.0.1, for the real client to call."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class FakeBotApi:
    """Answers ``getMe`` and ``sendMessage``; the next ``fail_next`` sends get 5xx."""

    def __init__(self):
        self.sent: list[dict] = []
        self.calls: list[str] = []
        self.fail_next = 0
        self.fail_status = 500
        self._lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                return

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    params = json.loads(raw or "{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(raw).items()}
                method = self.path.rsplit("/", 1)[-1]
                status, payload = api.answer(method, params)
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, method: str, params: dict) -> tuple[int, dict]:
        with self._lock:
            self.calls.append(method)
            if method == "getMe":
                return 200, {
                    "ok": True,
                    "result": {
                        "id": 123456,
                        "is_bot": True,
                        "first_name": "Storefront",
                        "username": "storefront_test_bot",
                    },
                }
            if method == "sendMessage":
                if self.fail_next:
                    self.fail_next -= 1
                    return self.fail_status, {
                        "ok": False,
                        "error_code": self.fail_status,
                        "description": "Internal Server Error",
                    }
                self.sent.append(params)
                return 200, {
                    "ok": True,
                    "result": {
                        "message_id": len(self.sent),
                        "date": 1_700_000_000,
                        "chat": {"id": int(params["chat_id"]), "type": "private"},
                        "text": params["text"],
                    },
                }
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
