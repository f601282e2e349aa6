"""Two sellers in the Wagtail admin: each sees and acts only on their own products."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from accounts.tests.factories import SellerFactory, StaffFactory, UserFactory
from catalog.models import ProductPage
from catalog.site_tree import ensure_product_index
from catalog.tests.factories import ProductPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sellers():
    alice, bob = SellerFactory(), SellerFactory()
    return {
        "alice": alice,
        "bob": bob,
        "alice_product": ProductPageFactory(title="Alice Kit", seller=alice),
        "bob_product": ProductPageFactory(title="Bob Book", seller=bob),
    }


def product_form(product=None, **overrides):
    data = {
        "title": product.title if product else "New one",
        "slug": product.slug if product else "new-one",
        "summary": "s",
        "description": rich_text("<p>d</p>"),
        "price": "10.00",
        "currency": "USD",
        "tax_category": "digital_products",
        "releases": inline_formset([]),
        "gallery_images": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_explorer_lists_only_own_products(client, two_sellers):
    client.force_login(two_sellers["alice"])
    index = ensure_product_index()
    html = client.get(f"/admin/pages/{index.pk}/").content.decode()
    assert "Alice Kit" in html
    assert "Bob Book" not in html
    html = client.get(f"/admin/pages/{index.pk}/?q=book").content.decode()
    assert "Bob Book" not in html


def test_page_chooser_hides_other_sellers_products(client, two_sellers):
    client.force_login(two_sellers["alice"])
    index = ensure_product_index()
    html = client.get(f"/admin/choose-page/{index.pk}/").content.decode()
    assert "Alice Kit" in html and "Bob Book" not in html
    html = client.get("/admin/choose-page/search/", {"q": "Bob"}).content.decode()
    assert "Bob Book" not in html


def test_other_sellers_edit_delete_unpublish_urls_are_refused(client, two_sellers):
    client.force_login(two_sellers["alice"])
    bob_product = two_sellers["bob_product"]
    for url in [
        f"/admin/pages/{bob_product.pk}/edit/",
        f"/admin/pages/{bob_product.pk}/delete/",
        f"/admin/pages/{bob_product.pk}/unpublish/",
        f"/admin/pages/{bob_product.pk}/copy/",
        f"/admin/pages/{bob_product.pk}/move/",
        f"/admin/pages/{bob_product.pk}/history/",
    ]:
        assert client.get(url).status_code in (302, 403, 404), url
        assert client.get(url).status_code != 200, url
    assert client.post(f"/admin/pages/{bob_product.pk}/delete/").status_code != 200
    assert Page.objects.filter(pk=bob_product.pk).exists()
    response = client.post(
        f"/admin/pages/{bob_product.pk}/edit/",
        product_form(bob_product, title="Hijacked", **{"action-publish": "1"}),
    )
    assert response.status_code in (302, 403, 404)
    bob_product.refresh_from_db()
    assert bob_product.title == "Bob Book" and bob_product.live


def test_seller_edits_and_publishes_own_product(client, two_sellers):
    client.force_login(two_sellers["alice"])
    product = two_sellers["alice_product"]
    assert client.get(f"/admin/pages/{product.pk}/edit/").status_code == 200
    response = client.post(
        f"/admin/pages/{product.pk}/edit/",
        product_form(product, title="Alice Kit 2", **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.title == "Alice Kit 2" and product.live
    assert product.seller == two_sellers["alice"]


def test_seller_deletes_own_product(client, two_sellers):
    client.force_login(two_sellers["alice"])
    product = two_sellers["alice_product"]
    assert client.post(f"/admin/pages/{product.pk}/delete/").status_code == 302
    assert not ProductPage.objects.filter(pk=product.pk).exists()


def test_seller_creates_a_product_as_themselves(client, two_sellers):
    alice, bob = two_sellers["alice"], two_sellers["bob"]
    client.force_login(alice)
    index = ensure_product_index()
    url = f"/admin/pages/add/catalog/productpage/{index.pk}/"
    form_html = client.get(url).content.decode()
    assert 'name="seller"' not in form_html  # sellers do not pick the seller
    # A forged seller field is ignored.
    response = client.post(
        url, product_form(seller=str(bob.pk), **{"action-publish": "1"})
    )
    assert response.status_code == 302
    product = ProductPage.objects.get(slug="new-one")
    assert product.seller == alice and product.owner == alice and product.live


def test_seller_cannot_edit_or_delete_the_index(client, two_sellers):
    client.force_login(two_sellers["alice"])
    index = ensure_product_index()
    assert client.get(f"/admin/pages/{index.pk}/edit/").status_code != 200
    assert client.post(f"/admin/pages/{index.pk}/delete/").status_code != 200
    assert Page.objects.filter(pk=index.pk).exists()


def test_bulk_delete_of_other_sellers_product_is_refused(client, two_sellers):
    client.force_login(two_sellers["alice"])
    bob_product = two_sellers["bob_product"]
    index = ensure_product_index()
    url = (
        f"/admin/bulk/wagtailcore/page/delete/?next=/admin/pages/{index.pk}/"
        f"&id={bob_product.pk}"
    )
    client.post(url)
    assert Page.objects.filter(pk=bob_product.pk).exists()


def test_staff_sees_and_edits_everything_and_picks_the_seller(client, two_sellers):
    client.force_login(StaffFactory(is_superuser=True))
    index = ensure_product_index()
    html = client.get(f"/admin/pages/{index.pk}/").content.decode()
    assert "Alice Kit" in html and "Bob Book" in html
    bob_product = two_sellers["bob_product"]
    response = client.post(
        f"/admin/pages/{bob_product.pk}/edit/",
        product_form(
            bob_product, seller=str(two_sellers["alice"].pk), **{"action-publish": "1"}
        ),
    )
    assert response.status_code == 302
    bob_product.refresh_from_db()
    assert bob_product.seller == two_sellers["alice"]


def test_customer_cannot_reach_admin_or_categories(client):
    client.force_login(UserFactory())
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/snippets/catalog/productcategory/").status_code == 302


def test_admin_page_search_hides_other_sellers_products(client, two_sellers):
    client.force_login(two_sellers["alice"])
    html = client.get("/admin/pages/search/", {"q": "Book"}).content.decode()
    assert "Bob Book" not in html
    html = client.get("/admin/pages/search/", {"q": "Kit"}).content.decode()
    assert "Alice Kit" in html


def test_seller_previews_own_product_but_not_anothers(client, two_sellers):
    client.force_login(two_sellers["alice"])
    own = two_sellers["alice_product"]
    other = two_sellers["bob_product"]
    assert client.get(f"/admin/pages/{own.pk}/edit/preview/").status_code == 200
    # 404: access.middleware.AdminScopeMiddleware answers as if it did not exist.
    assert client.get(f"/admin/pages/{other.pk}/edit/preview/").status_code in (
        302,
        403,
        404,
    )
    assert client.get(f"/admin/pages/{other.pk}/revisions/").status_code != 200


def test_seller_republishing_in_admin_sets_the_updated_badge(client, two_sellers):
    client.force_login(two_sellers["alice"])
    product = two_sellers["alice_product"]
    release = {
        "version": "2.0",
        "released_on": timezone.localdate().isoformat(),
        "changes": "New chapter",
        "file": SimpleUploadedFile("kit-2.zip", b"PK new"),
        "notify_buyers": "on",
    }
    client.post(
        f"/admin/pages/{product.pk}/edit/",
        product_form(
            product, releases=inline_formset([release]), **{"action-publish": "1"}
        ),
    )
    product.refresh_from_db()
    assert product.file_version == "2.0"
    assert product.is_recently_updated


def test_hooks_refuse_foreign_products_even_without_the_testers(rf, two_sellers):
    from django.core.exceptions import PermissionDenied
    from wagtail import hooks

    request = rf.get("/admin/")
    request.user = two_sellers["alice"]
    for hook_name in ("before_edit_page", "before_publish_page", "before_delete_page"):
        for hook in hooks.get_hooks(hook_name):
            hook(request, two_sellers["alice_product"])  # refuses nothing
    for hook in hooks.get_hooks("before_edit_page"):
        if hook.__module__ != "access.wagtail_hooks":
            continue
        with pytest.raises(PermissionDenied):
            hook(request, two_sellers["bob_product"])
        with pytest.raises(PermissionDenied):
            hook(request, Page.objects.get(pk=two_sellers["bob_product"].pk))
        request.user = StaffFactory(is_superuser=True)
        hook(request, two_sellers["bob_product"])
