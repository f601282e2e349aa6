"""One buyer's journey over HTTPS, as a browser would make it.

register → verify from the captured e-mail → checkout → Pay on the sandbox's hosted
page (which sends the signed webhook through a worker) → the library shows the
product → download through the presigned S3 URL → support request (an e-mail and a
Telegram message to the seller). Each buyer connects from its own loopback address
(127.0.0.x), so nginx and the app see distinct clients, as the per-address throttles
expect.

A 5xx answer or a connection error is retried only while the kill window is open
(an app server was just killed); anywhere else it fails the journey.
"""

from __future__ import annotations

import email
import hashlib
import re
import ssl
import threading
import time
from dataclasses import dataclass, field
from email import policy

import httpx

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERIFY_LINK = re.compile(r"https://[^\s\"'<>]+/account/verify/[^\s\"'<>/]+/")
PASSWORD = "Scale-test passphrase 42!"  # noqa: S105 - a throwaway account's
# Seconds an asynchronous effect (e-mail, webhook) may take. A task the killed
# worker held comes back once the broker's visibility timeout (30 s here) has passed
# and a surviving worker's next scan for such messages runs (kombu scans every
# 10 x 10 s); one the broker lost is published again by the outbox relay (every
# minute, for messages over 30 s old). Either can take up to about 130 s.
STEP_TIMEOUT = 180


class JourneyFailed(Exception):
    pass


@dataclass
class KillWindow:
    """When errors are expected: from the kill until ``seconds`` after it."""

    seconds: float
    opened_at: float | None = None

    def open(self) -> None:
        self.opened_at = time.monotonic()

    def covers(self, moment: float) -> bool:
        return self.opened_at is not None and (
            self.opened_at <= moment <= self.opened_at + self.seconds
        )


@dataclass
class Observed:
    """What every journey saw, shared between the client threads."""

    window: KillWindow
    requests: int = 0
    errors_in_window: list[str] = field(default_factory=list)
    errors_outside: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, what: str) -> bool:
        """Record an error; True when it may be retried (inside the window)."""
        inside = self.window.covers(time.monotonic())
        with self.lock:
            (self.errors_in_window if inside else self.errors_outside).append(what)
        return inside


@dataclass
class Journey:
    number: int
    email: str
    product_id: int
    product_url: str
    expected_sha256: str
    subject: str
    steps: dict[str, float] = field(default_factory=dict)
    error: str = ""
    refusals: int = 0  # checkouts the store refused (Dodo slow), links re-minted

    @property
    def done(self) -> bool:
        return not self.error and "support" in self.steps


class Browser:
    def __init__(self, base: str, cert: str, source: str, observed: Observed):
        self.base = base
        self.observed = observed
        context = ssl.create_default_context(cafile=cert)
        self.http = httpx.Client(
            base_url=base,
            verify=context,
            timeout=30,
            transport=httpx.HTTPTransport(verify=context, local_address=source),
            headers={"User-Agent": "storefront-scale-test"},
        )

    def close(self) -> None:
        self.http.close()

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        for _attempt in range(60):
            try:
                response = self.http.request(method, url, **kwargs)
            except httpx.TransportError as err:
                if not self.observed.error(f"{method} {url}: {err!r}"):
                    raise JourneyFailed(f"{method} {url}: {err!r}") from err
                time.sleep(0.5)
                continue
            with self.observed.lock:
                self.observed.requests += 1
            if response.status_code >= 500:
                what = f"{method} {url}: {response.status_code}"
                if not self.observed.error(what):
                    raise JourneyFailed(what)
                time.sleep(0.5)
                continue
            return response
        raise JourneyFailed(f"{method} {url}: still failing after 60 tries")

    def form(self, page: str, action: str | None, data: dict) -> httpx.Response:
        """GET the form's page, then POST it with its CSRF token (and the Origin
        header a browser sends, which Django checks on HTTPS)."""
        response = self.request("GET", page)
        token = CSRF.search(response.text)
        if response.status_code != 200 or token is None:
            raise JourneyFailed(f"GET {page}: {response.status_code}, no form")
        return self.request(
            "POST",
            action or page,
            data={"csrfmiddlewaretoken": token.group(1), **data},
            headers={"Origin": self.base, "Referer": self.base + page},
        )


def _path(url: str) -> str:
    return httpx.URL(url).raw_path.decode()


def _expect(response: httpx.Response, status: tuple[int, ...], what: str) -> None:
    if response.status_code not in status:
        raise JourneyFailed(f"{what}: HTTP {response.status_code}")


def run(journey: Journey, browser: Browser, mail, telegram, s3_get) -> None:
    """Walk ``journey``; fills ``steps`` (seconds each) or ``error``."""
    started = time.monotonic()

    def step(name: str) -> None:
        nonlocal started
        now = time.monotonic()
        journey.steps[name] = now - started
        started = now

    try:
        response = browser.form(
            "/account/register/",
            None,
            {
                "email": journey.email,
                "full_name": f"Scale buyer {journey.number}",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
        _expect(response, (302,), "register")
        step("register")

        message = _wait(lambda: mail.verification_to(journey.email), "verification")
        link = VERIFY_LINK.search(_text(message))
        if link is None:
            raise JourneyFailed("no verification link in the e-mail")
        _expect(browser.request("GET", _path(link.group(0))), (302,), "verify")
        if browser.request("GET", "/account/").status_code != 200:
            # The link signs in only the session that registered; when that answer
            # was lost to the kill (and the form sent again), sign in by password.
            response = browser.form(
                "/account/login/",
                None,
                {"username": journey.email, "password": PASSWORD},
            )
            _expect(response, (302,), "sign in")
        step("verify")

        _expect(browser.request("GET", journey.product_url), (200,), "product page")
        hosted = _checkout(browser, journey)
        response = browser.form(hosted, None, {"action": "pay"})
        _expect(response, (302, 303), "pay on the sandbox")
        step("buy")

        mint = f'action="/downloads/{journey.product_id}/"'
        _wait(
            lambda: mint in browser.request("GET", "/account/products/").text,
            "the webhook's grant in the library",
            interval=0.5,
        )
        step("webhook")

        presigned = _download_link(browser, journey)
        body = s3_get(presigned)
        if hashlib.sha256(body).hexdigest() != journey.expected_sha256:
            raise JourneyFailed("the downloaded file is not the product's file")
        step("download")

        response = browser.form(
            f"/support/new/{journey.product_id}/",
            None,
            {"subject": journey.subject, "message": "Scale test: please help."},
        )
        _expect(response, (302,), "support request")
        _wait(lambda: telegram.count(journey.subject), "the Telegram message")
        _wait(lambda: mail.containing(journey.subject), "the seller's e-mail")
        step("support")
    except (JourneyFailed, httpx.HTTPError, KeyError) as err:
        journey.error = f"{type(err).__name__}: {err}"


def _checkout(browser: Browser, journey: Journey) -> str:
    """Start a checkout; returns the sandbox's hosted page. When Dodo (here the
    sandbox) does not answer within the store's deadline, the store says so and
    the buyer tries again, as a person would."""
    checkout = f"/checkout/{journey.product_id}/"
    for _attempt in range(3):
        response = browser.form(checkout, None, {"country": "US"})
        _expect(response, (302, 303), "checkout")
        location = response.headers["Location"]
        if "/dodo-sandbox/checkout/" in location:
            return _path(location)
        journey.refusals += 1
        time.sleep(2)
    raise JourneyFailed("checkout refused three times")


def _download_link(browser: Browser, journey: Journey) -> str:
    """Mint a single-use link and redeem it; returns the presigned S3 URL. A link
    spent by a request whose answer was lost to the kill is minted again."""
    for _attempt in range(3):
        response = browser.form(
            "/account/products/", f"/downloads/{journey.product_id}/", {}
        )
        _expect(response, (302,), "download link")
        response = browser.request("GET", _path(response.headers["Location"]))
        if response.status_code == 410:
            journey.refusals += 1
            continue
        _expect(response, (302,), "redeem the link")
        presigned = response.headers["Location"]
        if "X-Amz-Signature=" not in presigned:
            raise JourneyFailed(f"not a presigned URL: {presigned[:80]}")
        return presigned
    raise JourneyFailed("download link spent three times")


def _wait(check, what: str, interval: float = 0.2):
    deadline = time.monotonic() + STEP_TIMEOUT
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(interval)
    raise JourneyFailed(f"no {what} within {STEP_TIMEOUT} s")


def _text(raw: bytes) -> str:
    message = email.message_from_bytes(raw, policy=policy.default)
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


class Mailbox:
    """Reads the SMTP sink's messages: ``(recipients, data)``."""

    def __init__(self, sink) -> None:
        self.sink = sink

    def to(self, address: str) -> list[bytes]:
        return [data for rcpt, data in list(self.sink.messages) if address in rcpt]

    def verifications_to(self, address: str) -> list[bytes]:
        return [data for data in self.to(address) if VERIFY_LINK.search(_text(data))]

    def registration_attempts_to(self, address: str) -> list[bytes]:
        """ "Someone tried to register with your address": a registration sent
        again (its first answer lost to the kill) for an account that exists."""
        return [
            data
            for data in self.to(address)
            if "tried to register" in str(email.message_from_bytes(data)["Subject"])
        ]

    def verification_to(self, address: str) -> bytes | None:
        found = self.verifications_to(address)
        return found[0] if found else None

    def containing(self, text: str) -> list[bytes]:
        return [
            data
            for _rcpt, data in list(self.sink.messages)
            if text in _text(data) or text in str(email.message_from_bytes(data))
        ]


class TelegramLog:
    def __init__(self, fake) -> None:
        self.fake = fake

    def count(self, text: str) -> int:
        return sum(text in m.get("text", "") for m in list(self.fake.sent))
