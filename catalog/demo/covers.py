"""Demo cover art drawn with Pillow: real typography, one layout per category.

The fonts are DejaVu (Debian's ``fonts-dejavu-core``, installed by ``.ci/run``
and the Dockerfile); without them Pillow's bundled font stands in, so seeding
never fails for want of a font, it only looks plainer.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

logger = logging.getLogger(__name__)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SIZE = (1200, 900)
WHITE = (255, 255, 255)
INK = (17, 24, 39)

RGB = tuple[int, int, int]


@cache
def font(name: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A DejaVu face (``"Sans-Bold"``, ``"Serif-Bold"``, ``"SansMono"``...)."""
    path = FONT_DIR / f"DejaVu{name}.ttf"
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:
        logger.warning("Font %s missing (apt-get install fonts-dejavu-core)", path)
        return ImageFont.load_default(size)


def mix(colour: RGB, other: RGB, amount: float) -> RGB:
    """``colour`` moved ``amount`` (0..1) of the way towards ``other``."""
    return tuple(
        round(c + (o - c) * amount) for c, o in zip(colour, other, strict=True)
    )


def wrap(draw: ImageDraw.ImageDraw, text: str, face, width: int) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` pixels."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and draw.textlength(trial, font=face) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def fitted(draw, text: str, name: str, size: int, width: int, *, smallest: int = 28):
    """The largest DejaVu ``name`` face up to ``size`` that fits ``text`` on a line."""
    face = font(name, size)
    while size > smallest and draw.textlength(text, font=face) > width:
        size -= 4
        face = font(name, size)
    return face


def text_block(draw, xy, text, face, fill, *, width: int, spacing: float = 1.15) -> int:
    """Draw wrapped text from ``xy``; return the y below the last line."""
    x, y = xy
    line_height = round(face.size * spacing)
    for line in wrap(draw, text, face, width):
        draw.text((x, y), line, font=face, fill=fill)
        y += line_height
    return y


def vertical_gradient(top: RGB, bottom: RGB, size=SIZE) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(
        Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask
    )


def _code(title: str, summary: str, colour: RGB) -> Image.Image:
    """An editor window with highlighted code; the title under it."""
    canvas = Image.new("RGB", SIZE, (15, 23, 42))
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle((80, 70, 1120, 560), radius=24, fill=(30, 41, 59))
    draw.rounded_rectangle((80, 70, 1120, 130), radius=24, fill=(51, 65, 85))
    draw.rectangle((80, 110, 1120, 130), fill=(51, 65, 85))
    for n, dot in enumerate([(248, 113, 113), (251, 191, 36), (74, 222, 128)]):
        draw.ellipse((110 + n * 40, 88, 134 + n * 40, 112), fill=dot)
    mono = font("SansMono", 34)
    name = "_".join(title.lower().split()[:2])
    keyword, string, plain, comment = (
        mix(colour, WHITE, 0.45),
        (134, 239, 172),
        (226, 232, 240),
        (148, 163, 184),
    )
    lines = [
        [(f"# {summary}", comment)],
        [("from ", keyword), (name, plain), (" import ", keyword), ("setup", plain)],
        [],
        [("def ", keyword), ("main", (125, 211, 252)), ("():", plain)],
        [("    app = setup(", plain), ('"production"', string), (")", plain)],
        [("    return ", keyword), ("app.run()", plain)],
    ]
    y = 160
    for n, parts in enumerate(lines, start=1):
        draw.text((110, y), f"{n:>2}", font=mono, fill=(100, 116, 139))
        x = 180
        for text, fill in parts:
            # Long comments stop at the window's edge, as an editor would clip.
            while text and x + draw.textlength(text, font=mono) > 1090:
                text = text[:-2] + "…" if len(text) > 2 else ""
            draw.text((x, y), text, font=mono, fill=fill)
            x += draw.textlength(text, font=mono)
        y += 58
    draw.rectangle((80, 620, 240, 632), fill=colour)
    text_block(draw, (80, 660), title, font("Sans-Bold", 76), WHITE, width=1040)
    return canvas


def _ebook(title: str, summary: str, colour: RGB) -> Image.Image:
    """A book jacket: spine band, serif title, rule, subtitle and imprint."""
    canvas = vertical_gradient(mix(colour, WHITE, 0.1), mix(colour, INK, 0.35))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, 90, SIZE[1]), fill=mix(colour, INK, 0.55))
    draw.rectangle((90, 0, 100, SIZE[1]), fill=mix(colour, WHITE, 0.35))
    draw.text(
        (170, 110),
        "A PRACTICAL HANDBOOK",
        font=font("Sans-Bold", 28),
        fill=mix(colour, WHITE, 0.75),
    )
    y = text_block(
        draw, (170, 180), title, font("Serif-Bold", 104), WHITE, width=900, spacing=1.1
    )
    draw.rectangle((170, y + 30, 470, y + 36), fill=WHITE)
    text_block(
        draw,
        (170, y + 70),
        summary,
        font("Serif-Italic", 44),
        mix(colour, WHITE, 0.85),
        width=880,
    )
    draw.text(
        (170, 790),
        "Sam Seller · Storefront Press",
        font=font("Sans", 30),
        fill=mix(colour, WHITE, 0.8),
    )
    return canvas


def _template(title: str, summary: str, colour: RGB) -> Image.Image:
    """A page mock-up in a browser frame: hero, cards; the title above it."""
    canvas = Image.new("RGB", SIZE, mix(colour, WHITE, 0.9))
    draw = ImageDraw.Draw(canvas)
    heading = fitted(draw, title, "Sans-Bold", 64, 1040)
    draw.text((80, 60), title, font=heading, fill=mix(colour, INK, 0.6))
    summary_face = fitted(draw, summary, "Sans", 32, 1040, smallest=20)
    draw.text((80, 150), summary, font=summary_face, fill=mix(colour, INK, 0.45))
    frame = (80, 240, 1120, 860)
    draw.rounded_rectangle((88, 250, 1128, 870), radius=20, fill=mix(colour, INK, 0.15))
    draw.rounded_rectangle(frame, radius=20, fill=WHITE)
    draw.rounded_rectangle((110, 262, 1090, 292), radius=15, fill=(241, 245, 249))
    draw.rounded_rectangle((110, 320, 1090, 540), radius=14, fill=colour)
    draw.text((150, 370), "Your headline here", font=font("Sans-Bold", 48), fill=WHITE)
    draw.rounded_rectangle((150, 450, 380, 505), radius=10, fill=WHITE)
    draw.text((180, 461), "Get started", font=font("Sans-Bold", 26), fill=colour)
    for n in range(3):
        left = 110 + n * 333
        draw.rounded_rectangle(
            (left, 570, left + 313, 830), radius=12, fill=mix(colour, WHITE, 0.85)
        )
        draw.rectangle((left + 24, 600, left + 200, 616), fill=mix(colour, INK, 0.2))
        for row in range(3):
            draw.rectangle(
                (left + 24, 650 + row * 36, left + 280 - row * 40, 662 + row * 36),
                fill=mix(colour, WHITE, 0.55),
            )
    return canvas


def _course(title: str, summary: str, colour: RGB) -> Image.Image:
    """A course poster: play button, lesson chips and a bold title."""
    canvas = vertical_gradient(mix(colour, INK, 0.2), mix(colour, INK, 0.6))
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((820, 90, 1100, 370), fill=mix(colour, WHITE, 0.25))
    draw.polygon([(925, 170), (925, 290), (1025, 230)], fill=WHITE)
    draw.text(
        (90, 110),
        "VIDEO COURSE",
        font=font("Sans-Bold", 32),
        fill=mix(colour, WHITE, 0.7),
    )
    y = text_block(
        draw, (90, 170), title, font("Sans-Bold", 84), WHITE, width=720, spacing=1.08
    )
    text_block(
        draw,
        (90, y + 30),
        summary,
        font("Sans", 38),
        mix(colour, WHITE, 0.8),
        width=1000,
    )
    chip_face = font("Sans-Bold", 28)
    x = 90
    for chip in ("12 lessons", "Exercises", "Certificate"):
        width = draw.textlength(chip, font=chip_face) + 48
        draw.rounded_rectangle(
            (x, 760, x + width, 820), radius=30, outline=WHITE, width=3
        )
        draw.text((x + 24, 774), chip, font=chip_face, fill=WHITE)
        x += width + 20
    return canvas


def _design(title: str, summary: str, colour: RGB) -> Image.Image:
    """A specimen sheet of shapes in the product's palette, title on a band."""
    canvas = Image.new("RGB", SIZE, WHITE)
    draw = ImageDraw.Draw(canvas)
    tones = [
        colour,
        mix(colour, WHITE, 0.4),
        mix(colour, INK, 0.3),
        mix(colour, WHITE, 0.7),
    ]
    cell = 150
    for row in range(4):
        for col in range(8):
            x, y = col * cell, row * cell
            tone = tones[(row + col) % len(tones)]
            box = (x + 30, y + 30, x + cell - 30, y + cell - 30)
            shape = (row * 3 + col) % 4
            if shape == 0:
                draw.ellipse(box, outline=tone, width=8)
            elif shape == 1:
                draw.rounded_rectangle(box, radius=18, outline=tone, width=8)
            elif shape == 2:
                draw.polygon(
                    [
                        (x + cell / 2, y + 30),
                        (x + cell - 30, y + cell - 30),
                        (x + 30, y + cell - 30),
                    ],
                    outline=tone,
                    width=8,
                )
            else:
                draw.line(
                    (x + 30, y + cell - 30, x + cell - 30, y + 30), fill=tone, width=8
                )
                draw.line(
                    (x + 30, y + 30, x + cell - 30, y + cell - 30), fill=tone, width=8
                )
    draw.rectangle((0, 600, SIZE[0], SIZE[1]), fill=mix(colour, INK, 0.5))
    y = text_block(draw, (80, 640), title, font("Sans-Bold", 80), WHITE, width=1040)
    draw.text(
        (80, y + 10), summary, font=font("Sans", 34), fill=mix(colour, WHITE, 0.8)
    )
    return canvas


LAYOUTS: dict[str, Callable[[str, str, RGB], Image.Image]] = {
    "Code": _code,
    "E-books": _ebook,
    "Templates": _template,
    "Courses": _course,
    "Design assets": _design,
}


def cover_png(*, title: str, summary: str, category: str, colour: RGB) -> bytes:
    """The cover of a product as PNG bytes, laid out for its main category."""
    layout = LAYOUTS.get(category, _template)
    buffer = io.BytesIO()
    layout(title, summary, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def hero_png(covers: list[bytes], *, size=(1200, 800)) -> bytes:
    """The home page's hero art: product covers fanned out with soft shadows."""
    canvas = vertical_gradient((238, 242, 255), (252, 231, 243), size).convert("RGBA")
    width = 440
    places = [(70, 250, -8), (380, 70, 4), (700, 270, -3), (400, 410, 6)]
    for data, (x, y, angle) in zip(covers, places, strict=False):
        cover = Image.open(io.BytesIO(data)).convert("RGBA")
        cover = cover.resize((width, round(width * cover.height / cover.width)))
        shadow = Image.new("RGBA", (cover.width + 60, cover.height + 60), (0, 0, 0, 0))
        ImageDraw.Draw(shadow).rounded_rectangle(
            (30, 40, cover.width + 30, cover.height + 40),
            radius=20,
            fill=(30, 27, 75, 90),
        )
        shadow = shadow.filter(ImageFilter.GaussianBlur(14)).rotate(angle, expand=True)
        mask = Image.new("L", cover.size, 0)
        ImageDraw.Draw(mask).rounded_rectangle((0, 0, *cover.size), radius=18, fill=255)
        cover.putalpha(mask)
        cover = cover.rotate(angle, expand=True, resample=Image.Resampling.BICUBIC)
        canvas.alpha_composite(shadow, (x - 30, y - 30))
        canvas.alpha_composite(cover, (x, y))
    buffer = io.BytesIO()
    canvas.convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()
