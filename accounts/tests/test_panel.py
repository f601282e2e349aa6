import pytest

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_panel_requires_login(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=/account/")


def test_panel_overview_shows_navigation(client):
    client.force_login(UserFactory(full_name="Nia Reader"))
    response = client.get("/account/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hello, Nia" in html
    for path in ("/account/products/", "/account/orders/", "/account/support/"):
        assert f'href="{path}"' in html
    assert 'aria-current="page"' in html
