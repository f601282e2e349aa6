"""The demo catalogue's words: categories, products and their detail sections."""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = [
    ("Templates", "Website, slide and document templates."),
    ("E-books", "Guides and handbooks to read anywhere."),
    ("Code", "Source code, starters and components."),
    ("Courses", "Video and text courses with exercises."),
    ("Design assets", "Icons, illustrations and UI kits."),
]

# title, summary, price, selling price, categories, featured, colour
PRODUCTS = [
    (
        "Django SaaS Starter",
        "A production-ready Django starter.",
        4900,
        3900,
        ["Code", "Templates"],
        True,
        (37, 99, 235),
    ),
    (
        "Wagtail Theme Pack",
        "Five themes for Wagtail sites.",
        2900,
        None,
        ["Templates", "Design assets"],
        True,
        (16, 185, 129),
    ),
    (
        "Pragmatic Postgres",
        "Indexes, plans and migrations explained.",
        1900,
        None,
        ["E-books"],
        True,
        (234, 88, 12),
    ),
    (
        "HTMX in Practice",
        "Interactive pages without a SPA.",
        2400,
        1900,
        ["E-books", "Code"],
        False,
        (147, 51, 234),
    ),
    (
        "Line Icon Set",
        "1,200 consistent line icons.",
        1500,
        None,
        ["Design assets"],
        False,
        (219, 39, 119),
    ),
    (
        "Testing Django Course",
        "From pytest basics to browser tests.",
        7900,
        5900,
        ["Courses", "Code"],
        True,
        (5, 150, 105),
    ),
    (
        "Pitch Deck Template",
        "A 30-slide investor deck.",
        1900,
        None,
        ["Templates"],
        False,
        (202, 138, 4),
    ),
    (
        "Celery Recipes",
        "Background jobs that do not fall over.",
        1700,
        None,
        ["E-books", "Code"],
        False,
        (79, 70, 229),
    ),
    (
        "Landing Page Kit",
        "Sections to compose landing pages.",
        3500,
        2900,
        ["Design assets", "Templates"],
        False,
        (225, 29, 72),
    ),
    (
        "Python Type Hints Course",
        "Typing a real codebase step by step.",
        5900,
        None,
        ["Courses"],
        False,
        (13, 148, 136),
    ),
    (
        "Email Template Bundle",
        "Responsive transactional e-mails.",
        2200,
        None,
        ["Templates"],
        False,
        (100, 116, 139),
    ),
    (
        "Accessible Forms Handbook",
        "Forms everyone can fill in.",
        1200,
        None,
        ["E-books", "Design assets"],
        True,
        (190, 24, 93),
    ),
]


@dataclass(frozen=True)
class Details:
    """The sections of a product page beyond its summary."""

    inside: tuple[str, ...]
    audience: str
    requirements: tuple[str, ...]
    # (version, days before today, what changed), oldest first.
    releases: tuple[tuple[str, int, str], ...]


DETAILS: dict[str, Details] = {
    "Django SaaS Starter": Details(
        inside=(
            "Sign-up, teams and invitations with roles",
            "Subscription billing wired to webhooks, with a test mode",
            "Transactional e-mail templates (HTML and text)",
            "Docker and CI configuration, 180 tests included",
        ),
        audience="Developers who want to ship a paid product this month instead "
        "of rebuilding accounts and billing for the fifth time.",
        requirements=("Python 3.11+", "PostgreSQL 14+", "Redis for background jobs"),
        releases=(
            ("1.0.0", 200, "First release."),
            ("1.1.0", 90, "Team invitations; audit log of member changes."),
            ("1.2.0", 6, "Django 5.2 support; faster test suite (40% less time)."),
        ),
    ),
    "Wagtail Theme Pack": Details(
        inside=(
            "Five complete themes: Studio, Journal, Shop, Docs and Event",
            "StreamField blocks styled for every theme",
            "Dark mode and print styles",
        ),
        audience="Agencies and freelancers who build Wagtail sites for clients "
        "and want a polished starting point.",
        requirements=("Wagtail 6 or newer", "No build step: plain CSS"),
        releases=(
            ("1.0.0", 160, "First release with three themes."),
            ("2.0.0", 45, "Docs and Event themes; dark mode for all five."),
        ),
    ),
    "Pragmatic Postgres": Details(
        inside=(
            "14 chapters, 310 pages (PDF and EPUB)",
            "Reading query plans, step by step",
            "Index design, locking and zero-downtime migrations",
            "A companion repository with every example",
        ),
        audience="Application developers who use PostgreSQL every day and want "
        "to know why a query is slow before it pages them at night.",
        requirements=("Any PDF or EPUB reader", "PostgreSQL 13+ for the exercises"),
        releases=(
            ("1st edition", 300, "First edition."),
            ("2nd edition", 20, "New chapter on partitioning; updated for 17."),
        ),
    ),
    "HTMX in Practice": Details(
        inside=(
            "9 chapters from first request to real-time updates",
            "Patterns for forms, search, infinite lists and modals",
            "A Django example app to follow along",
        ),
        audience="Back-end developers who want interactive pages without "
        "adopting a front-end framework.",
        requirements=("Basic HTML and one server-side framework",),
        releases=(
            ("1.0", 140, "First release."),
            ("1.1", 30, "Updated for htmx 2; a chapter on history and Back."),
        ),
    ),
    "Line Icon Set": Details(
        inside=(
            "1,200 icons on a 24 px grid, 1.5 px stroke",
            "SVG, PNG (1x, 2x) and an icon font",
            "Figma and Sketch libraries",
        ),
        audience="Product designers and developers who need a consistent icon "
        "language across an app and its marketing site.",
        requirements=("Any vector editor, or none: use the SVGs directly",),
        releases=(
            ("1.0", 250, "900 icons."),
            ("1.4", 12, "300 new icons: commerce, files and devices."),
        ),
    ),
    "Testing Django Course": Details(
        inside=(
            "42 video lessons (6 hours) with transcripts",
            "Exercises with solutions, from pytest basics to browser tests",
            "Factories, fixtures and fast database tests",
        ),
        audience="Django developers whose test suite is slow, flaky or missing, "
        "and who want confidence before each deploy.",
        requirements=("Python and Django basics", "A laptop that runs Docker"),
        releases=(
            ("1.0", 180, "First release."),
            ("1.1", 60, "New module: testing Celery tasks and webhooks."),
        ),
    ),
    "Pitch Deck Template": Details(
        inside=(
            "30 slides: problem, product, market, traction, team, ask",
            "Keynote, PowerPoint and Google Slides versions",
            "Chart templates you fill in from a spreadsheet",
        ),
        audience="Founders preparing a seed or Series A round who want a deck "
        "investors can read in three minutes.",
        requirements=("Keynote, PowerPoint or Google Slides",),
        releases=(("1.0", 120, "First release."),),
    ),
    "Celery Recipes": Details(
        inside=(
            "25 recipes: retries, idempotency, rate limits, chords",
            "Monitoring and alerting for queues that back up",
            "Deployment notes for Redis and RabbitMQ brokers",
        ),
        audience="Teams running background jobs in production who have lost a "
        "task (or sent an e-mail twice) and never want to again.",
        requirements=("Celery 5", "A Redis or RabbitMQ broker"),
        releases=(
            ("1.0", 210, "First release."),
            ("1.2", 75, "Recipes for the outbox pattern and task deadlines."),
        ),
    ),
    "Landing Page Kit": Details(
        inside=(
            "60 sections: heroes, pricing tables, FAQs, testimonials",
            "Accessible HTML and CSS, no framework",
            "Figma file with auto-layout",
        ),
        audience="Makers launching a product who need a landing page that "
        "converts, this weekend.",
        requirements=("A text editor; Figma for the design file",),
        releases=(
            ("1.0", 130, "First release."),
            ("1.3", 3, "Ten new hero sections; contrast checked to WCAG AA."),
        ),
    ),
    "Python Type Hints Course": Details(
        inside=(
            "28 lessons typing a real 10,000-line codebase",
            "mypy and pyright configuration that teams keep",
            "Generics, protocols and typed Django models",
        ),
        audience="Python developers bringing type checking to an existing "
        "project without stopping feature work.",
        requirements=("Python 3.10+", "Comfortable with classes and functions"),
        releases=(("1.0", 100, "First release."),),
    ),
    "Email Template Bundle": Details(
        inside=(
            "24 transactional e-mails: receipts, resets, invitations",
            "Tested in 40 clients, dark mode included",
            "MJML sources and compiled HTML with text versions",
        ),
        audience="Developers who send e-mail from an app and want it to look "
        "right in every inbox.",
        requirements=("Any e-mail provider; MJML to edit the sources",),
        releases=(
            ("1.0", 190, "First release."),
            ("1.1", 50, "Receipt and invoice templates with tax lines."),
        ),
    ),
    "Accessible Forms Handbook": Details(
        inside=(
            "120 pages on labels, errors, hints and focus",
            "Checklists for audits and code reviews",
            "Patterns tested with screen readers on three platforms",
        ),
        audience="Designers and developers who build forms and want everyone "
        "to be able to complete them.",
        requirements=("Any PDF reader",),
        releases=(
            ("1.0", 170, "First release."),
            ("1.1", 8, "New chapter: multi-step forms and saving progress."),
        ),
    ),
}
