"""In Chromium: from the library, the Download button delivers the file once."""

import pytest

from commerce.tests.factories import PurchasedProductFactory


@pytest.mark.django_db(transaction=True)
def test_library_download_button_delivers_the_file(
    page, live_server, tmp_path, browser_sign_in
):
    purchase = PurchasedProductFactory()
    product = purchase.product
    with product.file.open("rb") as handle:
        expected = handle.read()
    browser_sign_in(page.context, purchase.user, live_server.url)

    page.goto("/account/products/")
    assert page.locator(".library-item").count() == 1
    assert product.title in page.inner_text(".library-item__title")
    with page.expect_download() as download_info:
        page.click(".library-item button:has-text('Download')")
    download = download_info.value
    assert download.suggested_filename == product.file.name.rsplit("/", 1)[-1]
    saved = tmp_path / "got.zip"
    download.save_as(saved)
    assert saved.read_bytes() == expected

    # The link it went through is spent; the page offers a fresh one.
    used_link = download.url.replace(live_server.url, "")
    page.goto(used_link)
    assert "already used" in page.inner_text("h1")
    with page.expect_download() as again:
        page.click("text=Get a fresh download link")
    assert again.value.suggested_filename == download.suggested_filename
