"""The demo store in Chromium: hero art, typeset covers and product sections."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


class _Discard:
    def write(self, *args, **kwargs):
        pass


@pytest.fixture
def demo():
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=_Discard())


def loaded(locator) -> bool:
    return locator.evaluate("img => img.complete && img.naturalWidth > 0")


def test_home_hero_covers_and_product_sections(page, demo):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    hero = page.locator(".hero__image")
    assert loaded(hero)
    assert hero.get_attribute("alt").startswith("Covers of ")
    box = hero.bounding_box()
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert box["x"] > heading["x"] + heading["width"] / 2  # beside the heading
    assert page.locator(".block-testimonial__role").count() == 3

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    box = page.locator(".hero__image").bounding_box()
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert box["y"] > heading["y"]  # below it on a phone

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/products/")
    covers = page.locator(".product-card__media img")
    assert covers.count() == 12
    assert all(loaded(covers.nth(n)) for n in range(covers.count()))
    page.get_by_role("link", name="Celery Recipes").click()
    for name in ("What’s inside", "Who it’s for", "Requirements", "Release history"):
        expect(page.get_by_role("heading", name=name, level=2)).to_be_visible()
