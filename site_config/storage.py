"""Local file storage whose writes are all or nothing (issue 12, point 6).

Django's ``FileSystemStorage`` writes an upload straight into its final name: when
the disk fills up (``ENOSPC``), is read-only (``EROFS``) or refuses us (``EACCES``)
half-way, a truncated file stays behind under a name nothing points to, and a later
upload of the same name gets a suffix. Here the bytes go to a hidden temporary file
in the target directory first; only a complete, flushed file is linked to its final
name (``os.link`` refuses to overwrite, so two uploads of one name still get two
names, as Django promises), and the temporary file is removed whatever happened.

The S3 backend needs none of this: an object appears only when its upload completed.
Turning the ``OSError`` into a message for the person uploading is the forms' job
(``storage_error_message``, used by ``catalog.uploads``).
"""

from __future__ import annotations

import errno
import os
import secrets

from django.core.files.storage import FileSystemStorage
from django.core.files.utils import validate_file_name

# The storage failures an uploader can be told about in plain words; anything else
# (a bug, a vanished mount) stays an error for the logs.
STORAGE_ERRNOS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the storage quota is used up",
    errno.EROFS: "the storage is read-only",
    errno.EACCES: "the storage is not writable",
    errno.EPERM: "the storage is not writable",
    errno.EFBIG: "the file is larger than the storage accepts",
}
TEMPORARY_PREFIX = ".upload-"
TEMPORARY_SUFFIX = ".part"


def storage_error_message(err: OSError) -> str | None:
    """What to tell the uploader about ``err``, or None if it is not a storage fault."""
    reason = STORAGE_ERRNOS.get(err.errno)
    if reason is None:
        return None
    return (
        f"The file could not be saved: {reason}. Nothing was stored; "
        "try again later or ask an administrator to free up space."
    )


class AtomicFileSystemStorage(FileSystemStorage):
    """``FileSystemStorage`` that never leaves a partial file under any name."""

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        temporary = os.path.join(
            directory, f"{TEMPORARY_PREFIX}{secrets.token_hex(8)}{TEMPORARY_SUFFIX}"
        )
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(fd, "wb") as out:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                out.flush()
                os.fsync(out.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(temporary, self.file_permissions_mode)
            full_path = self._publish(temporary, name, full_path)
        finally:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
        name = os.path.relpath(full_path, self.location)
        self._ensure_location_group_id(full_path)
        return str(name).replace("\\", "/")

    def _publish(self, temporary: str, name: str, full_path: str) -> str:
        """Give the complete file its final name; the path it got."""
        if self._allow_overwrite:
            os.replace(temporary, full_path)
            return full_path
        while True:
            try:
                os.link(temporary, full_path)
            except FileExistsError:
                # Taken since get_available_name() chose it: choose again.
                name = self.get_available_name(name)
                validate_file_name(name, allow_relative_path=True)
                full_path = self.path(name)
            else:
                return full_path
