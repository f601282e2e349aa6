"""The lockout counts one account, however its address is typed, on every login form."""

import pytest

from accounts.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-9"
LOGIN_FORMS = ["/account/login/", "/admin/login/"]
VARIANTS = [
    "Victim@Example.com",
    " victim@example.com",
    "victim@example.com ",
    "VICTIM@EXAMPLE.COM",
    "\tvictim@Example.COM\n",
]


def _post(client, url, username, password):
    return client.post(url, {"username": username, "password": password})


@pytest.mark.parametrize("url", LOGIN_FORMS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_each_spelling_counts_against_the_same_account(client, settings, url, variant):
    victim = StaffFactory(email="victim@example.com")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _post(client, url, victim.email, "wrong").status_code == 200
    # The last allowed failure, typed differently, still counts: locked now.
    assert _post(client, url, variant, "wrong").status_code == 429
    # And neither the canonical nor the variant spelling gets through any more,
    # even with the right password.
    for username in (victim.email, variant):
        response = _post(client, url, username, PASSWORD)
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("variant", VARIANTS)
def test_variants_alone_cannot_buy_fresh_tries(client, settings, variant):
    UserFactory(email="victim@example.com")
    spellings = [variant, variant.upper(), f" {variant.strip()} ", variant.lower()]
    statuses = [
        _post(client, "/account/login/", spellings[i % len(spellings)], "x").status_code
        for i in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429
    assert (
        _post(client, "/account/login/", "victim@example.com", PASSWORD).status_code
        == 429
    )


def test_the_two_login_forms_share_one_count_and_one_lockout_page(client, settings):
    victim = StaffFactory(email="victim@example.com")
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        url = LOGIN_FORMS[i % 2]
        assert _post(client, url, "Victim@example.com", "wrong").status_code == 200
    admin = _post(client, "/admin/login/", " VICTIM@example.com", "wrong")
    site = _post(client, "/account/login/", victim.email, PASSWORD)
    assert admin.status_code == site.status_code == 429
    for response in (admin, site):
        html = response.content.decode()
        assert "Too many failed attempts" in html
        assert "victim@example.com" in html


def test_another_address_is_not_locked_with_the_account(client, settings):
    user = UserFactory(email="victim@example.com")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(client, "/account/login/", "Victim@Example.com", "wrong")
    other = client.post(
        "/account/login/",
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR="10.9.8.7",
    )
    assert other.status_code == 302
