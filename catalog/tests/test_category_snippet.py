import pytest

from accounts.tests.factories import SellerFactory, StaffFactory
from catalog.models import ProductCategory
from catalog.site_tree import ensure_product_index
from catalog.tests.factories import ProductCategoryFactory

pytestmark = pytest.mark.django_db

URL = "/admin/snippets/catalog/productcategory/"


def test_slug_is_unique_and_made_from_the_name():
    first = ProductCategory.objects.create(name="E-books")
    assert first.slug == "e-books"
    second = ProductCategory(name="E books!")
    second.save()
    assert second.slug == "e-books-2"


@pytest.mark.parametrize("factory", [SellerFactory, StaffFactory])
def test_sellers_and_staff_manage_categories(client, factory):
    ensure_product_index()  # grants the Sellers group (also done by the migration)
    user = factory(is_superuser=factory is StaffFactory)
    client.force_login(user)
    ProductCategoryFactory(name="Templates")
    ProductCategoryFactory(name="Courses")
    html = client.get(URL).content.decode()
    assert "Templates" in html and "Courses" in html
    results = client.get(URL + "results/", {"q": "Temp"}).content.decode()
    assert "Templates" in results and "Courses" not in results
    response = client.post(URL + "add/", {"name": "Audio", "slug": "", "order": 3})
    assert response.status_code == 302
    assert ProductCategory.objects.get(name="Audio").slug == "audio"
