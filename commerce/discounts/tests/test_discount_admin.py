"""Sellers manage their own discount codes in the Wagtail admin; staff manage all."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import SellerFactory, StaffFactory
from catalog.tests.factories import ProductPageFactory
from commerce.discounts.models import DiscountCode
from commerce.dodo.sandbox.models import SandboxObject

from .factories import DiscountCodeFactory

pytestmark = pytest.mark.django_db


def url(action, *args):
    return reverse(DiscountCode.snippet_viewset.get_url_name(action), args=args)


@pytest.fixture
def seller():
    return SellerFactory()


@pytest.fixture
def seller_client(client, seller):
    client.force_login(seller)
    return client


def form(**fields):
    data = {
        "code": "launch10",
        "kind": "percentage",
        "percent_off": "10",
        "amount_off": "",
        "currency": "USD",
        "starts_at": "",
        "expires_at": "",
        "usage_limit": "",
    }
    data.update(fields)
    return data


def test_the_product_choice_offers_only_the_sellers_own_products(seller_client, seller):
    ProductPageFactory(seller=seller, title="My Ebook")
    ProductPageFactory(title="Their Course")
    html = seller_client.get(url("add")).content.decode()
    assert "My Ebook" in html
    assert "Their Course" not in html
    assert 'name="seller"' not in html


def test_a_seller_creates_a_code_and_it_is_synced_to_dodo(
    seller_client, seller, django_capture_on_commit_callbacks
):
    mine = ProductPageFactory(seller=seller)
    with django_capture_on_commit_callbacks(execute=True):
        response = seller_client.post(url("add"), form(products=[mine.pk]))
    assert response.status_code == 302
    code = DiscountCode.objects.get()
    assert (code.code, code.seller, list(code.products.all())) == (
        "LAUNCH10",
        seller,
        [mine],
    )
    assert code.sync_status == "synced"
    twin = SandboxObject.objects.get(kind="discount", object_id=code.dodo_discount_id)
    assert twin.data["code"] == "LAUNCH10"


def test_a_flat_code_is_typed_in_major_units(
    seller_client, seller, django_capture_on_commit_callbacks
):
    mine = ProductPageFactory(seller=seller)
    with django_capture_on_commit_callbacks(execute=True):
        seller_client.post(
            url("add"),
            form(kind="flat", percent_off="", amount_off="5.50", products=[mine.pk]),
        )
    code = DiscountCode.objects.get()
    assert (code.kind, code.amount_off, code.percent_off) == ("flat", 550, None)
    twin = SandboxObject.objects.get(kind="discount", object_id=code.dodo_discount_id)
    assert twin.data["currency_options"][0]["max_amount_possible"] == 550


def test_another_sellers_product_cannot_be_posted(seller_client):
    theirs = ProductPageFactory()
    response = seller_client.post(url("add"), form(products=[theirs.pk]))
    assert response.status_code == 200
    assert not DiscountCode.objects.exists()


def test_bad_dates_and_a_missing_percentage_are_form_errors(seller_client, seller):
    mine = ProductPageFactory(seller=seller)
    response = seller_client.post(
        url("add"),
        form(
            percent_off="",
            starts_at="2026-06-02 10:00",
            expires_at="2026-06-01 10:00",
            products=[mine.pk],
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the percentage taken off." in html
    assert "The code must expire after it starts." in html
    assert not DiscountCode.objects.exists()


def test_a_seller_sees_and_reaches_only_their_own_codes(seller_client, seller):
    mine = DiscountCodeFactory(seller=seller, code="MINE01")
    theirs = DiscountCodeFactory(code="THEIRS01")
    listing = seller_client.get(url("list")).content.decode()
    assert "MINE01" in listing and "THEIRS01" not in listing
    assert seller_client.get(url("edit", theirs.pk)).status_code == 404
    assert seller_client.post(url("delete", theirs.pk)).status_code == 404
    assert DiscountCode.objects.filter(pk=theirs.pk).exists()
    assert seller_client.get(url("edit", mine.pk)).status_code == 200


def test_a_seller_deletes_a_code_and_its_dodo_twin_goes(
    seller_client, seller, django_capture_on_commit_callbacks
):
    mine = ProductPageFactory(seller=seller)
    with django_capture_on_commit_callbacks(execute=True):
        seller_client.post(url("add"), form(products=[mine.pk]))
    code = DiscountCode.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = seller_client.post(url("delete", code.pk))
    assert response.status_code == 302
    assert not DiscountCode.objects.exists()
    twin = SandboxObject.objects.get(kind="discount", object_id=code.dodo_discount_id)
    assert twin.data["deleted"] is True


def test_staff_choose_the_seller_and_only_that_sellers_products(client):
    client.force_login(StaffFactory())
    seller = SellerFactory()
    theirs = ProductPageFactory(seller=seller)
    other = ProductPageFactory()
    response = client.post(
        url("add"), form(seller=seller.pk, products=[theirs.pk, other.pk])
    )
    assert response.status_code == 200
    assert "Choose only products of the code" in response.content.decode()
    response = client.post(url("add"), form(seller=seller.pk, products=[theirs.pk]))
    assert response.status_code == 302
    assert DiscountCode.objects.get().seller == seller
