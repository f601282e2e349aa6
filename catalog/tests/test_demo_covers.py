"""The demo's covers: DejaVu type, a distinct layout per category, the title drawn."""

import io

from PIL import Image, ImageChops, ImageFont

from catalog.demo.content import CATEGORIES, PRODUCTS
from catalog.demo.covers import LAYOUTS, SIZE, cover_png, font, hero_png


def _image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def _cover(category, title="Pragmatic Postgres", colour=(37, 99, 235)):
    return cover_png(
        title=title,
        summary="Indexes, plans and migrations explained.",
        category=category,
        colour=colour,
    )


def test_covers_are_set_in_dejavu_not_the_bitmap_fallback():
    face = font("Sans-Bold", 40)
    assert isinstance(face, ImageFont.FreeTypeFont)
    assert face.getname() == ("DejaVu Sans", "Bold")
    assert font("Serif-Bold", 40).getname() == ("DejaVu Serif", "Bold")
    assert font("SansMono", 40).getname()[0] == "DejaVu Sans Mono"


def test_every_category_has_its_own_layout():
    assert set(LAYOUTS) == {name for name, _description in CATEGORIES}
    # Every product's main category has a layout of its own.
    assert {names[0] for _t, _s, _p, _o, names, _f, _c in PRODUCTS} <= set(LAYOUTS)
    covers = {category: _image(_cover(category)) for category in LAYOUTS}
    for image in covers.values():
        assert image.size == SIZE
    names = list(covers)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            difference = ImageChops.difference(covers[first], covers[second])
            # Not a recolour: most of the canvas differs between two layouts.
            changed = sum(
                1
                for pixel in difference.resize((120, 90)).get_flattened_data()
                if max(pixel) > 40
            )
            assert changed > 120 * 90 * 0.2, (first, second)


def test_the_title_is_typeset_on_the_cover():
    one = _image(_cover("E-books", title="Pragmatic Postgres"))
    other = _image(_cover("E-books", title="Celery Recipes"))
    box = ImageChops.difference(one, other).getbbox()
    assert box is not None
    # The difference is the title's area, left of the spine band's edge.
    assert box[0] >= 100


def test_the_hero_fans_out_the_covers():
    covers = [_cover(category) for category in list(LAYOUTS)[:4]]
    hero = _image(hero_png(covers))
    assert hero.size == (1200, 800)
    # The covers' colours are on the hero, not just its pale gradient.
    dark = sum(
        1 for pixel in hero.resize((120, 80)).get_flattened_data() if sum(pixel) < 300
    )
    assert dark > 200
