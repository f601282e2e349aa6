"""site_config.rendition_cache: Wagtail's renditions are cached once per key."""

import pickle
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.template import Context, Template
from wagtail.images import get_image_model

from catalog.tests.helpers import make_image
from site_config.rendition_cache import RenditionCache


@pytest.fixture
def cache():
    backend = RenditionCache("rendition-cache-test", {"TIMEOUT": 600})
    yield backend
    backend.clear()


def test_a_held_key_keeps_its_first_value(cache):
    cache.set("k", "first")
    cache.set("k", "second")
    assert cache.get("k") == "first"


def test_a_deleted_or_expired_key_is_written_again(cache):
    cache.set("gone", "old")
    cache.delete("gone")
    cache.set("gone", "new")
    assert cache.get("gone") == "new"

    cache.set("expired", "old", timeout=-1)  # stored already expired
    cache.set("expired", "new")
    assert cache.get("expired") == "new"


def test_set_many_writes_only_the_keys_not_held(cache):
    cache.set("held", "first")
    assert cache.set_many({"held": "second", "new": "value"}) == []
    assert cache.get_many(["held", "new"]) == {"held": "first", "new": "value"}


def test_the_settings_use_it_for_wagtails_renditions():
    assert isinstance(caches["renditions"], RenditionCache)


@pytest.mark.django_db
def test_an_image_tag_pickles_its_rendition_once_not_on_every_render():
    caches["renditions"].clear()
    image = make_image("once")
    template = Template("{% load wagtailimages_tags %}{% image img fill-40x30 %}")
    prefetched = get_image_model().objects.prefetch_renditions("fill-40x30")
    dumps = mock.Mock(wraps=pickle.dumps)
    with mock.patch.object(locmem.pickle, "dumps", dumps):
        first = template.render(Context({"img": image}))  # creates and caches it
        assert dumps.call_count == 1
        # From the cache (a detail page), then prefetched with a listing's cards.
        again = template.render(Context({"img": get_image_model().objects.get()}))
        for _ in range(3):
            card = template.render(Context({"img": prefetched.get(pk=image.pk)}))
    assert dumps.call_count == 1
    assert first == again == card
    assert 'width="40"' in card
    assert 'height="30"' in card
