"""Demo site tree: the HomePage is the default site's root."""

from .site_tree import ensure_site_tree


def seed(out) -> None:
    home = ensure_site_tree()
    out.write(f"Home page: {home.title} (site root)")
