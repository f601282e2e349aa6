"""How a redeemed link reaches the file: a presigned S3 URL, or a local stream."""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse
from django.utils.http import content_disposition_header


def private_storage():
    return storages["private"]


def private_storage_is_local() -> bool:
    """Development keeps product files on disk; production in an S3 bucket."""
    return isinstance(private_storage(), FileSystemStorage)


def download_filename(name: str) -> str:
    return posixpath.basename(name)


def presigned_download_url(*, name: str) -> str:
    """A short-lived GET URL for the private object that names the file on save."""
    disposition = content_disposition_header(
        as_attachment=True, filename=download_filename(name)
    )
    return private_storage().url(
        name,
        parameters={"ResponseContentDisposition": disposition},
        expire=settings.DOWNLOAD_URL_EXPIRY_SECONDS,
    )


def local_file_response(*, name: str) -> FileResponse:
    """Stream the file in blocks (FileResponse); it is never read into memory whole."""
    handle = private_storage().open(name, "rb")
    return FileResponse(handle, as_attachment=True, filename=download_filename(name))
