"""Regenerate the README's screenshots: the shop, the library, the seller's dashboard.

Builds a throw-away demo store (SQLite, media and private files in a temporary
directory: your own database is never touched), serves it with ``runserver`` on
``--port``, and drives Debian's Chromium through Playwright:

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/*.png
    .venv/bin/python scripts/screenshots.py --port 8470

Each PNG is a 1280x800 viewport scaled to 960 px wide and reduced to a
256-colour palette, so the images stay small in the repository.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
VIEWPORT = {"width": 1280, "height": 800}
WIDTH = 960
SERVER_START_SECONDS = 60
STEP_SECONDS = 600


def demo_env(workdir: Path, port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SITE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="site_config.settings.dev",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_ROOT=str(workdir / "private"),
        SITE_URL=f"http://127.0.0.1:{port}",
        DEBUG="true",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=STEP_SECONDS,
        stdout=subprocess.DEVNULL,
    )


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own server
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise SystemExit(f"The demo server did not answer at {url}")


def save_small(png: bytes, path: Path) -> None:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    height = round(image.height * WIDTH / image.width)
    image = image.resize((WIDTH, height), Image.Resampling.LANCZOS)
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(path, format="PNG", optimize=True)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KiB")


def sign_in(page, base: str, login_path: str, email: str, password: str) -> None:
    page.goto(base + login_path)
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("form [type=submit]:visible")
    page.wait_for_load_state("networkidle")


def capture(base: str, out: Path) -> None:
    import django
    from playwright.sync_api import sync_playwright

    # The demo credentials have one source, accounts.demo (it needs Django).
    django.setup()
    from accounts.demo import CUSTOMER, SELLER

    shots = [
        ("shop.png", None, "/", None),
        ("library.png", CUSTOMER, "/account/products/", "/account/login/"),
        ("dashboard.png", SELLER, "/admin/", "/admin/login/"),
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for name, user, path, login_path in shots:
                context = browser.new_context(viewport=VIEWPORT)
                context.set_default_timeout(30_000)
                page = context.new_page()
                if user is not None:
                    sign_in(page, base, login_path, user.email, user.password)
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                save_small(page.screenshot(), out / name)
                context.close()
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8470)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))

    with tempfile.TemporaryDirectory(prefix="storefront-shots-") as tmp:
        env = demo_env(Path(tmp), args.port)
        os.environ.update(env)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        server = subprocess.Popen(  # noqa: S603 - our own manage.py
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{args.port}"
            wait_until_up(base + "/healthz")
            capture(base, args.out)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
