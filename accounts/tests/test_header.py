import pytest

from accounts.tests.factories import SellerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _header(client):
    html = client.get("/account/login/").content.decode()
    return html[html.index("<header") : html.index("</header>")]


def test_anonymous_sees_log_in_and_register(client):
    header = _header(client)
    assert 'href="/account/login/"' in header
    assert 'href="/account/register/"' in header
    assert "Log out" not in header


def _menu(client, user):
    client.force_login(user)
    html = client.get("/account/").content.decode()
    return html[html.index("<header") : html.index("</header>")]


def test_customer_menu_has_account_links_and_logout(client):
    header = _menu(client, UserFactory(full_name="Cleo Customer"))
    assert "Cleo" in header
    for path in ("/account/", "/account/products/", "/account/orders/"):
        assert f'href="{path}"' in header
    assert 'action="/account/logout/"' in header
    assert 'href="/admin/">Admin</a>' not in header
    assert 'href="/account/register/"' not in header


def test_seller_menu_adds_seller_admin(client):
    header = _menu(client, SellerFactory())
    assert 'href="/admin/">Admin</a>' in header
    assert 'href="/account/products/"' in header
