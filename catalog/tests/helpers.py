"""Small builders shared by the catalogue tests."""

import io
import re

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


def sitemap_xml(client) -> str:
    """Every section the index lists, concatenated."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert "<sitemapindex" in index.content.decode()
    html = index.content.decode()
    # The index names sections on SITE_URL: fetch each by its path and query.
    sections = re.findall(r"<loc>https?://[^/<]+([^<]+)</loc>", html)
    assert sections, html
    parts = []
    for path in sections:
        response = client.get(path.replace("&amp;", "&"))
        assert response.status_code == 200, path
        assert response["Content-Type"] == "application/xml"
        parts.append(response.content.decode())
    return "".join(parts)
