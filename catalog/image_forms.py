"""Wagtail's image form, with a damaged upload refused as a form error.

``WagtailImageField`` checks the pixel size by decoding the frame; Pillow raises
``OSError`` ("image file is truncated") on a cut-off GIF or PNG, which Wagtail does
not catch: the upload was a 500. Installed as ``WAGTAILIMAGES_IMAGE_FORM_BASE`` so
the single and multiple uploaders both use it. A new file is stored while the form
validates, so a full or read-only disk is a form error too (``catalog.uploads``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .uploads import upload_store_now


class CheckedImageField(WagtailImageField):
    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except (OSError, ValueError, SyntaxError) as err:
            raise ValidationError(
                "This image file is damaged or incomplete; upload it again.",
                code="invalid_image",
            ) from err


class CheckedImageForm(BaseImageForm):
    file = CheckedImageField(label="File")

    def clean(self):
        cleaned_data = super().clean()
        upload_store_now(self, "file")
        return cleaned_data
