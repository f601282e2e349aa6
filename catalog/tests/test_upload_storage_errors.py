"""A full or read-only disk under an admin upload: a form error, no partial file.

Issue 12, point 6. The storage directory that today's uploads go to is covered by
a real 64 KB tmpfs (``faults.SmallDisk``), full or mounted read-only; the upload
is bigger than the disk, so the kernel refuses it half-way (``ENOSPC``) or at the
first byte (``EROFS``). Before the fix the seller got a bare 500 and a truncated
file stayed on the disk under the upload's name.
"""

from __future__ import annotations

import io
import os
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from accounts.tests.factories import SellerFactory
from catalog.models import ProductPage, ProductRelease
from catalog.site_tree import ensure_product_index
from site_config.storage import AtomicFileSystemStorage
from site_config.tests.faults import SmallDisk

pytestmark = [pytest.mark.chaos, pytest.mark.django_db]

DISK_FULL = b"The file could not be saved: the disk is full."
READ_ONLY = b"The file could not be saved: the storage is read-only."
# Four times the disk: the write fails in the middle, after real bytes hit the disk.
UPLOAD_BYTES = 256 * 1024


def _mount(directory, kind: str) -> SmallDisk:
    try:
        return SmallDisk(directory, size="64k", read_only=kind == "read-only")
    except PermissionError as err:
        pytest.skip(f"needs root to mount a tmpfs: {err}")


@pytest.fixture(params=["full", "read-only"])
def broken_disk(request):
    """``broken_disk(directory)`` covers ``directory`` with a small full/ro disk."""
    mounted: list[SmallDisk] = []

    def cover(directory) -> SmallDisk:
        disk = _mount(directory, request.param)
        mounted.append(disk)
        return disk

    cover.kind = request.param
    cover.message = DISK_FULL if request.param == "full" else READ_ONLY
    yield cover
    for disk in mounted:
        disk.unmount()


def _product_upload_dir() -> str:
    today = date.today()
    return storages["private"].path(f"products/{today:%Y}/{today:%m}")


def _product_form(*, title="Big Archive", slug="big-archive", **extra) -> dict:
    release = {
        "version": "2.0.0",
        "released_on": date.today().isoformat(),
        "changes": "A big one",
        "file": _archive(),
        "notify_buyers": "on",
    }
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "Too big for the disk",
            "description": rich_text("<p>Text</p>"),
            "price": "1500",
            "currency": "USD",
            "tax_category": "e_book",
            "gallery_images": inline_formset([]),
            "releases": inline_formset([release]),
            **extra,
        }
    )


def _archive() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "big-archive.zip", b"PK\x03\x04" + os.urandom(UPLOAD_BYTES), "application/zip"
    )


def test_product_release_upload_on_a_broken_disk_is_a_form_error(client, broken_disk):
    seller = SellerFactory()
    index = ensure_product_index()
    client.force_login(seller)
    disk = broken_disk(_product_upload_dir())

    response = client.post(
        f"/admin/pages/add/catalog/productpage/{index.pk}/",
        _product_form(**{"action-publish": "1"}),
        follow=True,
    )

    assert response.status_code == 200
    assert broken_disk.message in response.content
    assert not ProductPage.objects.filter(slug="big-archive").exists()
    assert not ProductRelease.objects.exists()
    assert disk.files() == []  # neither the partial file nor a temporary one


def test_a_new_release_on_a_broken_disk_keeps_the_current_file(client, broken_disk):
    from catalog.tests.factories import ProductPageFactory

    seller = SellerFactory()
    product = ProductPageFactory(seller=seller, title="Kept")
    old_name = product.file.name
    client.force_login(seller)
    disk = broken_disk(_product_upload_dir())

    response = client.post(
        f"/admin/pages/{product.pk}/edit/",
        _product_form(title="Kept", slug=product.slug, **{"action-publish": "1"}),
        follow=True,
    )

    assert response.status_code == 200
    assert broken_disk.message in response.content
    product.refresh_from_db()
    assert (product.file.name, product.file_version) == (old_name, "1.0.0")
    assert not ProductRelease.objects.exists()
    assert disk.files() == []
    disk.unmount()  # the old file sits in the directory the disk covered
    assert storages["private"].exists(old_name)


def _root_collection() -> int:
    return Collection.get_first_root_node().pk


def _png(size: int = 256) -> io.BytesIO:
    # Noise does not compress: a PNG several times the disk's size.
    image = Image.frombytes("RGB", (size, size), os.urandom(size * size * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "noise.png"
    assert len(buffer.getvalue()) > 128 * 1024
    return buffer


def test_image_upload_on_a_broken_disk_is_a_form_error(client, broken_disk):
    client.force_login(SellerFactory())
    disk = broken_disk(default_storage.path("original_images"))

    response = client.post(
        "/admin/images/add/",
        {"title": "Noise", "file": _png(), "collection": _root_collection()},
    )

    assert response.status_code == 200
    assert broken_disk.message in response.content
    assert not get_image_model().objects.exists()
    assert disk.files() == []


def test_multiple_image_upload_on_a_broken_disk_reports_the_error(client, broken_disk):
    client.force_login(SellerFactory())
    disk = broken_disk(default_storage.path("original_images"))

    # With the Marketing collection beside Root, the form asks which one.
    response = client.post(
        "/admin/images/multiple/add/",
        {"files[]": _png(), "collection": _root_collection()},
    )

    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False
    assert broken_disk.message.decode() in answer["error_message"]
    assert not get_image_model().objects.exists()
    assert disk.files() == []


def test_atomic_storage_writes_whole_files_and_never_reuses_a_name(tmp_path):
    storage = AtomicFileSystemStorage(location=tmp_path)
    first = storage.save("a/file.bin", ContentFile(b"x" * 100_000))
    second = storage.save("a/file.bin", ContentFile(b"y" * 10))

    assert first == "a/file.bin" and second != first
    assert storage.open(first).read() == b"x" * 100_000
    assert storage.open(second).read() == b"y" * 10
    assert sorted(os.listdir(tmp_path / "a")) == sorted(
        [os.path.basename(first), os.path.basename(second)]
    )
