import pytest
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from accounts.tests.factories import StaffFactory
from catalog.models import ProductIndexPage, ProductPage
from catalog.site_tree import ensure_product_index
from catalog.tests.factories import ProductPageFactory, publish_release
from home.models import HomePage, LandingPage

pytestmark = pytest.mark.django_db


class TestCatalogPageTypes(WagtailPageTestCase):
    def test_index_lives_under_home_and_holds_products(self):
        self.assertAllowedParentPageTypes(ProductIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ProductIndexPage, {ProductPage})
        assert ProductIndexPage.max_count == 1

    def test_product_lives_only_under_the_index_and_has_no_children(self):
        self.assertAllowedParentPageTypes(ProductPage, {ProductIndexPage})
        self.assertAllowedSubpageTypes(ProductPage, set())

    def test_home_allows_index_and_landing_pages(self):
        self.assertCanCreateAt(HomePage, LandingPage)
        self.assertCanNotCreateAt(HomePage, ProductPage)

    def test_staff_can_create_a_product_through_the_admin(self):
        self.client.force_login(StaffFactory(is_superuser=True))
        index = ensure_product_index()
        seller = ProductPageFactory.build().seller
        seller.save()
        self.assertCanCreate(
            index,
            ProductPage,
            nested_form_data(
                {
                    "title": "Created in admin",
                    "slug": "created-in-admin",
                    "summary": "Made by a test",
                    "description": rich_text("<p>Text</p>"),
                    "price": "15.00",
                    "currency": "USD",
                    "tax_category": "e_book",
                    "seller": str(seller.pk),
                    "releases": inline_formset([]),
                    "gallery_images": inline_formset([]),
                }
            ),
        )
        product = ProductPage.objects.get(slug="created-in-admin")
        assert product.seller == seller
        assert product.owner.is_superuser


def test_effective_price_falls_back_to_list_price():
    product = ProductPage(price=2500, selling_price=None)
    assert product.effective_price == 2500
    assert not product.is_on_sale
    product.selling_price = 1900
    assert product.effective_price == 1900
    assert product.is_on_sale


def test_migration_created_products_index_at_products_url(client):
    index = ensure_product_index()
    assert index.url == "/products/"
    assert ProductIndexPage.objects.count() == 1
    assert client.get("/products/").status_code == 200


def test_data_migration_creates_index_and_grants_sellers():
    from importlib import import_module

    from django.apps import apps
    from wagtail.models import GroupPagePermission

    migration = import_module(
        "catalog.migrations.0003_product_index_and_seller_permissions"
    )
    ProductIndexPage.objects.all().delete()
    migration.grant(apps, None)
    migration.grant(apps, None)  # idempotent

    index = ProductIndexPage.objects.get()
    assert index.url == "/products/" and index.live
    granted = set(
        GroupPagePermission.objects.filter(
            group__name="Sellers", page=index
        ).values_list("permission__codename", flat=True)
    )
    assert granted == {"add_page", "change_page", "publish_page"}
    assert index.get_parent().specific_class is HomePage


def test_admin_edit_form_shows_the_private_file_without_a_link(client):
    client.force_login(StaffFactory(is_superuser=True))
    product = ProductPageFactory(title="Linked Nowhere")
    release = publish_release(product, version="1.1.0")
    html = client.get(f"/admin/pages/{product.pk}/edit/").content.decode()
    assert f"<code>{release.file.name}</code>" in html
    assert f'href="/media/{release.file.name}"' not in html
