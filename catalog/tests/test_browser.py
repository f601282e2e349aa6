"""The listing in a real browser: htmx filtering with two categories, then a product."""

import pytest

from catalog.tests.factories import ProductCategoryFactory, ProductPageFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_filter_by_two_categories_then_open_a_product(page):
    ebooks = ProductCategoryFactory(name="E-books")
    code = ProductCategoryFactory(name="Code")
    design = ProductCategoryFactory(name="Design")
    ProductPageFactory(title="Postgres Book", categories=[ebooks])
    ProductPageFactory(title="Django Starter", categories=[code], selling_price=900)
    ProductPageFactory(title="Icon Set", categories=[design])

    page.goto("/products/")
    cards = page.locator(".product-card__title")
    assert cards.count() == 3

    page.get_by_label("E-books").check()
    page.wait_for_url("**/products/?category=e-books")
    page.get_by_label("Code").check()
    page.wait_for_url("**/products/?category=code&category=e-books")
    page.wait_for_function(
        "document.querySelectorAll('.product-card__title').length === 2"
    )
    assert sorted(cards.all_inner_texts()) == ["Django Starter", "Postgres Book"]
    assert page.locator("#product-results").count() == 1
    assert page.get_by_label("Code").is_checked()  # the form was not swapped

    page.get_by_role("link", name="Django Starter").click()
    page.wait_for_url("**/products/django-starter/")
    assert page.get_by_role("heading", level=1).inner_text() == "Django Starter"
    buy = page.get_by_role("link", name="Log in to buy")
    assert "next=%2Fproducts%2Fdjango-starter%2F" in buy.get_attribute("href")
    assert "$9.00" in page.locator(".buy-box .price").inner_text()
