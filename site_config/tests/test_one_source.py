"""One source for each shared rule (issue 16): money formatting, the "Updated"
badge, the shop's base URL. Code elsewhere asks those modules; a new shortcut
around them fails here, naming the file and line.

Role predicates and the role-based redirect have their own guard in
``access/tests/test_roles.py``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {".venv", ".git", "node_modules", "tests", "migrations", "var", "media"}

# pattern -> the files allowed to use it (paths relative to the repository).
RULES: dict[str, tuple[re.Pattern, set[str]]] = {
    "money is formatted by commerce.money (Babel)": (
        re.compile(r"format_currency|get_currency_precision|babel\.numbers"),
        {"commerce/money.py"},
    ),
    "amounts in templates go through the money filter": (
        re.compile(
            r"\{\{[^}]*(amount|price)[^}|]*\}\}\s*\{\{[^}]*currency[^}]*\}\}"
            r"|(amount|price)[^}]*\|\s*(floatformat|intcomma|divisibleby)"
        ),
        set(),
    ),
    "the Updated badge's age is read by catalog.models.updated_badge_since": (
        re.compile(r"UPDATED_BADGE_DAYS"),
        {"catalog/models.py", "site_config/settings/base.py"},
    ),
    "absolute links come from site_config.base_url": (
        re.compile(
            r"settings\.SITE_URL\b|build_absolute_uri|\.full_url\b|get_full_url\("
        ),
        {
            "site_config/base_url.py",
            "home/management/commands/runserver.py",
            "site_config/settings/",  # where SITE_URL is read from the environment
        },
    ),
}


def _allowed(relative: str, allowed: set[str]) -> bool:
    return any(
        relative == entry or (entry.endswith("/") and relative.startswith(entry))
        for entry in allowed
    )


def _sources():
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIPPED and not d.startswith(".")]
        for name in files:
            if name.endswith((".py", ".html", ".txt")):
                path = Path(folder) / name
                yield path.relative_to(ROOT).as_posix(), path


def test_each_rule_has_one_source():
    offenders = []
    for relative, path in _sources():
        text = path.read_text(errors="replace")
        for rule, (pattern, allowed) in RULES.items():
            if _allowed(relative, allowed):
                continue
            for number, line in enumerate(text.splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{rule}: {relative}:{number}: {line.strip()}")
    assert offenders == [], "\n".join(offenders)


def test_the_guard_sees_a_shortcut():
    # The patterns match what they are meant to refuse.
    money, _ = RULES["amounts in templates go through the money filter"]
    assert money.search("{{ order.amount }} {{ order.currency }}")
    assert money.search("{{ product.price|floatformat:2 }}")
    assert not money.search("{{ order.amount|money:order.currency }}")
    links, _ = RULES["absolute links come from site_config.base_url"]
    assert links.search("url = request.build_absolute_uri(path)")
    assert links.search('"page_url": page.full_url')
    assert not links.search("absolute_url(reverse('x'))")
