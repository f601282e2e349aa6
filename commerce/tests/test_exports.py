"""Records screens export CSV and XLSX of what they list: scoped per seller by
access.policy, with the screen's filters and search, formula-safe; staff get all."""

import csv
import io

import pytest
from openpyxl import load_workbook

from accounts.tests.factories import SellerFactory, StaffFactory, UserFactory
from attribution.models import OrderTouch
from catalog.tests.factories import ProductPageFactory
from commerce.downloads.models import DownloadEvent
from commerce.models import OrderStatus
from commerce.tests.factories import (
    OrderFactory,
    PaidOrderFactory,
    PurchasedProductFactory,
)

pytestmark = pytest.mark.django_db

ORDERS = "/admin/commerce/order/"
PURCHASES = "/admin/commerce/purchasedproduct/"
CUSTOMERS = "/admin/commerce/customers/"
DOWNLOADS = "/admin/commerce/downloadevent/"


@pytest.fixture
def shop():
    ada = SellerFactory(full_name="Ada Seller")
    bob = SellerFactory(full_name="Bob Seller")
    icons = ProductPageFactory(seller=ada, title="Icon Pack", price=2500)
    fonts = ProductPageFactory(seller=ada, title="Font Kit", price=1000)
    course = ProductPageFactory(seller=bob, title="Bob Course", price=9900)
    alice = UserFactory(email="alice@example.com", full_name="=HYPERLINK(1)")
    shared = UserFactory(email="shared@example.com", full_name="Shared Buyer")
    bobs_only = UserFactory(email="bobsonly@example.com", full_name="Bobs Fan")
    paid_icons = PaidOrderFactory(user=alice, product=icons, refunded_amount=0)
    PurchasedProductFactory(order=paid_icons)
    shared_fonts = PaidOrderFactory(user=shared, product=fonts)
    PurchasedProductFactory(order=shared_fonts)
    shared_course = PaidOrderFactory(user=shared, product=course)
    PurchasedProductFactory(order=shared_course)
    PurchasedProductFactory(order=PaidOrderFactory(user=bobs_only, product=course))
    pending = OrderFactory(user=shared, product=icons, status=OrderStatus.PENDING)
    OrderTouch.objects.create(
        order=paid_icons,
        kind="last",
        utm_source="newsletter",
        utm_medium="email",
        touched_at=paid_icons.created_at,
    )
    for user, product in ((alice, icons), (shared, course), (bobs_only, course)):
        DownloadEvent.objects.create(
            kind="download", user=user, product=product, file_version="1.0.0"
        )
    return {
        "ada": ada, "bob": bob, "icons": icons, "fonts": fonts, "course": course,
        "paid_icons": paid_icons, "pending": pending, "shared_fonts": shared_fonts,
        "shared_course": shared_course,
    }  # fmt: skip


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def xlsx_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def export(client, url, fmt, **params):
    response = client.get(url, {**params, "export": fmt})
    return csv_rows(response) if fmt == "csv" else xlsx_rows(response)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_seller_exports_only_orders_of_their_products(client, shop, fmt):
    client.force_login(shop["ada"])
    rows = export(client, ORDERS, fmt)
    numbers = {int(row["Order"]) for row in rows}
    assert numbers == {
        shop["paid_icons"].pk,
        shop["pending"].pk,
        shop["shared_fonts"].pk,
    }
    assert {row["Product"] for row in rows} == {"Icon Pack", "Font Kit"}
    assert not any("Bob Course" in str(value) for row in rows for value in row.values())
    assert "bobsonly@example.com" not in {row["Buyer e-mail"] for row in rows}
    paid = next(row for row in rows if int(row["Order"]) == shop["paid_icons"].pk)
    assert paid["Status"] == "Paid"
    assert str(paid["Price"]) in ("25.00", "25")
    assert paid["Currency"] == "USD"
    assert str(paid["Refunded"]) in ("0.00", "0")
    assert paid["Source (last touch)"] == "newsletter / email"
    assert paid["Source (first touch)"] == "Direct or unknown"


def test_the_screen_filters_and_search_apply_to_the_export(client, shop):
    client.force_login(shop["ada"])
    rows = export(client, ORDERS, "csv", status__exact="paid")
    assert {row["Product"] for row in rows} == {"Icon Pack", "Font Kit"}
    assert all(row["Status"] == "Paid" for row in rows) and len(rows) == 2
    rows = export(client, ORDERS, "csv", product=shop["fonts"].pk)
    assert [row["Product"] for row in rows] == ["Font Kit"]
    rows = export(client, ORDERS, "xlsx", q="alice@")
    assert [row["Buyer e-mail"] for row in rows] == ["alice@example.com"]
    # Another seller's product as a filter value finds nothing, not their rows.
    assert export(client, ORDERS, "csv", product=shop["course"].pk) == []


def test_staff_export_everything(client, shop):
    client.force_login(StaffFactory())
    rows = export(client, ORDERS, "csv")
    assert {row["Product"] for row in rows} == {"Icon Pack", "Font Kit", "Bob Course"}
    assert len(rows) == 5
    customers = export(client, CUSTOMERS, "xlsx")
    assert {row["E-mail address"] for row in customers} == {
        "alice@example.com", "shared@example.com", "bobsonly@example.com"
    }  # fmt: skip
    downloads = export(client, DOWNLOADS, "csv")
    assert len(downloads) == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_customers_are_the_buyers_of_the_sellers_products(client, shop, fmt):
    client.force_login(shop["ada"])
    rows = export(client, CUSTOMERS, fmt)
    by_email = {row["E-mail address"]: row for row in rows}
    assert set(by_email) == {"alice@example.com", "shared@example.com"}
    # Counted over Ada's products only: the shared buyer's Bob Course is not hers.
    assert int(by_email["shared@example.com"]["Products bought"]) == 1
    assert int(by_email["alice@example.com"]["With access"]) == 1
    assert export(client, CUSTOMERS, fmt, q="shared") == [
        by_email["shared@example.com"]
    ]

    client.force_login(shop["bob"])
    rows = export(client, CUSTOMERS, fmt)
    assert {row["E-mail address"] for row in rows} == {
        "shared@example.com",
        "bobsonly@example.com",
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_download_events_and_purchases_are_scoped(client, shop, fmt):
    client.force_login(shop["ada"])
    downloads = export(client, DOWNLOADS, fmt)
    assert [(row["Buyer e-mail"], row["Product"]) for row in downloads] == [
        ("alice@example.com", "Icon Pack")
    ]
    assert export(client, DOWNLOADS, fmt, product=shop["course"].pk) == []
    purchases = export(client, PURCHASES, fmt)
    assert {row["Product"] for row in purchases} == {"Icon Pack", "Font Kit"}
    assert {row["Access"] for row in purchases} == {"Active"}


def test_csv_cells_that_look_like_formulas_stay_text(client, shop):
    client.force_login(shop["ada"])
    rows = export(client, CUSTOMERS, "csv")
    alice = next(r for r in rows if r["E-mail address"] == "alice@example.com")
    assert alice["Full name"] == "'=HYPERLINK(1)"
    xlsx = export(client, CUSTOMERS, "xlsx")
    alice = next(r for r in xlsx if r["E-mail address"] == "alice@example.com")
    assert alice["Full name"] == "=HYPERLINK(1)"  # stored as a string cell


@pytest.mark.parametrize("url", [ORDERS, CUSTOMERS, DOWNLOADS, PURCHASES])
def test_a_customer_cannot_export(client, shop, url):
    client.force_login(UserFactory())
    response = client.get(url, {"export": "csv"})
    assert response.status_code in (302, 403)
    assert b"alice@example.com" not in b"".join(
        getattr(response, "streaming_content", [response.content])
    )


def test_records_screens_show_labels_newest_first_and_export_buttons(client, shop):
    client.force_login(shop["ada"])
    html = client.get(ORDERS).content.decode()
    assert (
        '<span class="status-label status-label--ok" data-status="paid">Paid</span>'
        in html
    )
    assert 'data-status="pending">Pending</span>' in html
    assert "icon-yes" not in html and "icon-no" not in html
    assert "export=csv" in html and "export=xlsx" in html
    assert "css/admin_records.css" in html
    # Newest first by default.
    assert html.index(f"#{shop['pending'].pk}") < html.index(
        f"#{shop['paid_icons'].pk}"
    )
    html = client.get(CUSTOMERS).content.decode()
    assert "shared@example.com" in html and "bobsonly@example.com" not in html
    assert client.get(PURCHASES).status_code == 200


def test_the_order_inspect_view_names_its_source(client, shop):
    client.force_login(shop["ada"])
    order = shop["paid_icons"]
    html = client.get(f"{ORDERS}inspect/{order.pk}/").content.decode()
    assert "Source (last touch)" in html and "newsletter / email" in html
    assert "Source (first touch)" in html and "Direct or unknown" in html
