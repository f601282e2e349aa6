"""Back and Forward on the listing: the filter form follows the URL (issue 16, 9)."""

import pytest

from catalog.tests.factories import ProductCategoryFactory, ProductPageFactory

pytestmark = pytest.mark.django_db(transaction=True)

TITLES = "Array.from(document.querySelectorAll('.product-card__title')).length"


def form_state(page):
    return page.evaluate(
        """() => {
          const form = document.querySelector('form.catalog-filters');
          return {
            q: form.querySelector('input[name=q]').value,
            categories: Array.from(
              form.querySelectorAll('input[name=category]:checked')
            ).map(box => box.value).sort(),
            sort: form.querySelector('select[name=sort]').value,
          };
        }"""
    )


def wait_for_count(page, count):
    page.wait_for_function(f"{TITLES} === {count}")


def test_back_and_forward_restore_boxes_sort_search_and_page(page):
    ebooks = ProductCategoryFactory(name="E-books")
    code = ProductCategoryFactory(name="Code")
    for n in range(14):
        ProductPageFactory(title=f"Book {n:02d}", categories=[ebooks], price=100 + n)
    ProductPageFactory(title="Django Starter", categories=[code])

    page.goto("/products/")
    wait_for_count(page, 12)
    page.get_by_label("E-books").check()
    page.wait_for_url("**/products/?category=e-books")
    page.get_by_label("Sort by").select_option("price_desc")
    page.wait_for_url("**/products/?category=e-books&sort=price_desc")
    page.get_by_role("link", name="2", exact=True).click()
    page.wait_for_url("**/products/?category=e-books&sort=price_desc&page=2")
    wait_for_count(page, 2)
    assert form_state(page) == {
        "q": "",
        "categories": ["e-books"],
        "sort": "price_desc",
    }

    # Back to page 1 of the sorted, filtered list.
    page.go_back()
    page.wait_for_url("**/products/?category=e-books&sort=price_desc")
    wait_for_count(page, 12)
    assert form_state(page) == {
        "q": "",
        "categories": ["e-books"],
        "sort": "price_desc",
    }
    # Back to the filter without the sort.
    page.go_back()
    page.wait_for_url("**/products/?category=e-books")
    page.wait_for_function(
        "document.querySelector('select[name=sort]').value === 'newest'"
    )
    assert form_state(page) == {"q": "", "categories": ["e-books"], "sort": "newest"}
    # Back to the unfiltered list: nothing ticked.
    page.go_back()
    page.wait_for_url("**/products/")
    page.wait_for_function(
        "document.querySelectorAll('input[name=category]:checked').length === 0"
    )
    wait_for_count(page, 12)
    assert form_state(page) == {"q": "", "categories": [], "sort": "newest"}
    assert "15 products" in page.locator(".catalog__count").inner_text()

    # Forward again: the box comes back with the filtered results.
    page.go_forward()
    page.wait_for_url("**/products/?category=e-books")
    page.wait_for_function(
        "document.querySelectorAll('input[name=category]:checked').length === 1"
    )
    assert form_state(page)["categories"] == ["e-books"]
    assert "14 products" in page.locator(".catalog__count").inner_text()

    # A search, then Back: the search box empties again.
    page.get_by_label("Search").press_sequentially("Django")
    page.wait_for_url("**/products/?q=Django*")
    wait_for_count(page, 0)
    page.go_back()
    page.wait_for_url("**/products/?category=e-books")
    page.wait_for_function("document.querySelector('input[name=q]').value === ''")
    assert form_state(page)["categories"] == ["e-books"]


def test_a_history_restore_that_misses_the_cache_gets_the_whole_page(client):
    ProductPageFactory(title="Only One")
    response = client.get(
        "/products/?sort=price_asc",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" in html and 'class="catalog-filters' in html
    assert "HX-Push-Url" not in response
