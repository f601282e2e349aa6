"""Small builders shared by the catalogue tests."""

import io

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model


def make_image(title: str = "cover", colour=(200, 30, 30)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    image = get_image_model()(title=title)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"{title}.png")
    image.save()
    return image
