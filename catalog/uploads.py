"""Uploads in the admin are stored while the form validates (issue 12, point 6).

Wagtail saves a page's or an image's file from the model's ``save()``, after the
form was accepted: a full or read-only disk there was a bare 500. The forms here
store a new upload in its field's storage at the end of their ``clean()`` instead,
and keep the stored name; a storage fault becomes an error on the file field, the
page or image is not saved, and the storage (``site_config.storage``) has left no
partial file behind. The upload is stored only when everything else validated, so
a form sent back for another reason stores nothing either.
"""

from __future__ import annotations

import logging

from django import forms
from django.core.files.uploadedfile import UploadedFile

from site_config.storage import storage_error_message

logger = logging.getLogger(__name__)


def upload_store_now(form: forms.ModelForm, field_name: str = "file") -> None:
    """Store ``form``'s new upload now; a storage fault becomes a form error."""
    upload = form.cleaned_data.get(field_name)
    if not isinstance(upload, UploadedFile) or form.errors:
        return
    model_field = form._meta.model._meta.get_field(field_name)
    name = model_field.generate_filename(form.instance, upload.name)
    try:
        stored = model_field.storage.save(
            name, upload, max_length=model_field.max_length
        )
    except OSError as err:
        message = storage_error_message(err)
        if message is None:
            raise
        logger.error(
            "upload of %s to %s refused by the storage: %s",
            upload.name,
            model_field,
            err,
        )
        form.add_error(field_name, message)
        return
    # A name, not the upload: the model takes it as already stored.
    form.cleaned_data[field_name] = stored
