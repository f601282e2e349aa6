import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import SellerFactory, StaffFactory
from catalog.tests.factories import ProductPageFactory
from commerce.tests.factories import PaidOrderFactory, PurchasedProductFactory
from support import services
from support.models import SellerSupportSettings, SupportRequest, SupportStatus

S = SupportStatus
pytestmark = pytest.mark.django_db

INDEX = reverse("support_supportrequest_modeladmin_index")


def edit_url(support_request):
    return reverse("support_supportrequest_modeladmin_edit", args=[support_request.pk])


@pytest.fixture
def support_request(customer, product, purchase):
    return services.support_request_create(
        customer=customer, product=product, subject="Broken import", message="Help."
    )


@pytest.fixture
def other_request(customer):
    product = ProductPageFactory(title="Other Seller Thing")
    PurchasedProductFactory(order=PaidOrderFactory(user=customer, product=product))
    return services.support_request_create(
        customer=customer, product=product, subject="Elsewhere", message="Hi."
    )


def test_seller_lists_only_requests_on_own_products(
    client, seller, support_request, other_request
):
    client.force_login(seller)
    response = client.get(INDEX)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Broken import" in content
    assert "Elsewhere" not in content


def test_staff_list_everything(client, support_request, other_request):
    client.force_login(StaffFactory())
    content = client.get(INDEX).content.decode()
    assert "Broken import" in content
    assert "Elsewhere" in content


def test_filter_and_search(client, seller, support_request, customer, purchase):
    client.force_login(seller)
    assert (
        "Broken import" in client.get(INDEX, {"status__exact": "NEW"}).content.decode()
    )
    assert (
        "Broken import"
        not in client.get(INDEX, {"status__exact": "COMPLETED"}).content.decode()
    )
    assert "Broken import" in client.get(INDEX, {"q": "import"}).content.decode()
    assert "Broken import" not in client.get(INDEX, {"q": "zebra"}).content.decode()


def test_undeclared_lookups_are_ignored(client, seller, support_request, customer):
    """Unknown GET parameters are not queryset lookups (no probing customers'
    password hashes through row counts)."""
    client.force_login(seller)
    for probe in (
        {"customer__password__startswith": customer.password[:40]},
        {"customer__password__startswith": "no-such-hash"},
        {"status": "COMPLETED"},
    ):
        assert "Broken import" in client.get(INDEX, probe).content.decode()


def test_second_seller_cannot_open_or_change_anothers_request(client, support_request):
    intruder = SellerFactory()
    client.force_login(intruder)
    assert "Broken import" not in client.get(INDEX).content.decode()
    # The seller-scope guard answers as if the request did not exist.
    response = client.get(edit_url(support_request))
    assert response.status_code == 404
    response = client.post(
        edit_url(support_request), {"action": "transition", "to_status": "DISCUSSING"}
    )
    assert response.status_code == 404
    response = client.post(
        edit_url(support_request),
        {"action": "details", "meeting_link": "", "internal_notes": "mine now"},
    )
    assert response.status_code == 404
    response = client.post(edit_url(support_request), {"action": "reply", "body": "x"})
    assert response.status_code == 404
    support_request.refresh_from_db()
    assert support_request.status == S.NEW
    assert support_request.internal_notes == ""
    assert not support_request.messages.exists()


def test_customer_without_admin_access_is_kept_out(client, customer, support_request):
    client.force_login(customer)
    response = client.get(edit_url(support_request))
    assert response.status_code == 302
    assert "login" in response.url


def test_seller_moves_status_through_the_service(client, seller, support_request):
    client.force_login(seller)
    page = client.get(edit_url(support_request)).content.decode()
    assert 'value="DISCUSSING"' in page
    assert 'value="COMPLETED"' not in page
    response = client.post(
        edit_url(support_request),
        {"action": "transition", "to_status": "DISCUSSING"},
        follow=True,
    )
    assert response.status_code == 200
    support_request.refresh_from_db()
    assert support_request.status == S.DISCUSSING
    assert support_request.discussing_at is not None
    assert support_request.transitions.last().actor == seller
    assert "New → Discussing" in response.content.decode().replace("&rarr;", "→")


def test_illegal_move_from_admin_is_refused(client, seller, support_request):
    client.force_login(seller)
    response = client.post(
        edit_url(support_request),
        {"action": "transition", "to_status": "COMPLETED"},
        follow=True,
    )
    assert "cannot be moved to completed" in response.content.decode()
    support_request.refresh_from_db()
    assert support_request.status == S.NEW


def test_meeting_link_notes_and_reply(client, seller, support_request):
    client.force_login(seller)
    client.post(
        edit_url(support_request),
        {
            "action": "details",
            "meeting_link": "https://meet.example.com/a",
            "internal_notes": "Quoted 40 USD",
        },
    )
    client.post(edit_url(support_request), {"action": "reply", "body": "Let's talk."})
    support_request.refresh_from_db()
    assert support_request.meeting_link == "https://meet.example.com/a"
    assert support_request.internal_notes == "Quoted 40 USD"
    assert support_request.messages.get().author == seller


def test_invalid_meeting_link_changes_nothing(client, seller, support_request):
    client.force_login(seller)
    response = client.post(
        edit_url(support_request),
        {"action": "details", "meeting_link": "not a url", "internal_notes": "x"},
        follow=True,
    )
    assert "Enter a valid URL" in response.content.decode()
    support_request.refresh_from_db()
    assert support_request.internal_notes == ""


def test_closed_request_is_read_only_in_admin(client, seller, support_request):
    services.support_request_update_details(
        support_request=support_request,
        actor=seller,
        meeting_link="",
        internal_notes="keep",
    )
    services.support_request_transition(
        support_request=support_request, actor=seller, to_status=S.CANCELLED
    )
    client.force_login(seller)
    page = client.get(edit_url(support_request)).content.decode()
    assert 'name="action" value="details"' not in page
    assert 'name="action" value="transition"' not in page
    response = client.post(
        edit_url(support_request),
        {"action": "details", "meeting_link": "", "internal_notes": "changed"},
        follow=True,
    )
    assert "can no longer be changed" in response.content.decode()
    client.post(edit_url(support_request), {"action": "reply", "body": "late"})
    support_request.refresh_from_db()
    assert support_request.internal_notes == "keep"
    assert not support_request.messages.exists()


def test_admin_home_panel_shows_own_open_requests(
    client, seller, support_request, other_request
):
    client.force_login(seller)
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Open support requests" in content
    assert "Broken import" in content
    assert "Elsewhere" not in content
    services.support_request_transition(
        support_request=support_request, actor=seller, to_status=S.CANCELLED
    )
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Broken import" not in content


def test_seller_support_settings(client, seller):
    client.force_login(seller)
    url = reverse("support_seller_settings")
    assert client.get(url).status_code == 200
    client.post(
        url, {"telegram_chat_id": "777", "payment_instructions": "Pay via link X"}
    )
    row = SellerSupportSettings.objects.get(seller=seller)
    assert (row.telegram_chat_id, row.payment_instructions) == ("777", "Pay via link X")


def test_admin_list_query_count_is_flat(
    client, seller, customer, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            product = ProductPageFactory(seller=seller)
            PurchasedProductFactory(
                order=PaidOrderFactory(user=customer, product=product)
            )
            services.support_request_create(
                customer=customer, product=product, subject="s", message="m"
            )

    client.force_login(seller)
    add(1)
    client.get(INDEX)
    with CaptureQueriesContext(connection) as small:
        client.get(INDEX)
    add(5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(INDEX)
    assert SupportRequest.objects.count() == 6
    assert response.status_code == 200


def test_menu_entry_for_sellers_only(client, seller, customer):
    client.force_login(seller)
    assert INDEX in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(SellerFactory(is_seller=False, is_staff=False))
    assert client.get(INDEX).status_code == 302


def _csv(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content).decode()


def test_export_is_scoped_filtered_and_labelled(
    client, seller, support_request, other_request
):
    client.force_login(seller)
    body = _csv(client.get(INDEX, {"export": "csv"}))
    assert "Broken import" in body and "Elsewhere" not in body
    assert body.splitlines()[0].startswith(
        "Request,Subject,Product,Customer e-mail,Status"
    )
    assert ",New," in body
    assert "Broken import" not in _csv(
        client.get(INDEX, {"export": "csv", "status__exact": "COMPLETED"})
    )
    client.force_login(StaffFactory())
    body = _csv(client.get(INDEX, {"export": "csv"}))
    assert "Broken import" in body and "Elsewhere" in body
    html = client.get(INDEX).content.decode()
    assert 'class="status-label status-label--warn" data-status="NEW">New<' in html


def test_the_buyer_and_the_seller_see_the_same_status_label(
    client, seller, customer, support_request
):
    # One colour rule (commerce.status_labels) on the buyer's pages and the admin.
    label = '<span class="status-label status-label--warn" data-status="NEW">New</span>'
    client.force_login(customer)
    assert label in client.get(f"/support/{support_request.pk}/").content.decode()
    assert label in client.get("/account/support/").content.decode()
    client.force_login(seller)
    assert label in client.get(INDEX).content.decode()
    # The request's own page and the dashboard's open-requests panel too.
    assert label in client.get(edit_url(support_request)).content.decode()
    assert label in client.get("/admin/").content.decode()
