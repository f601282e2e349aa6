"""commerce.money: one formatter, per-currency minor units, exact conversions."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from commerce.money import (
    MoneyError,
    currency_digits,
    format_money,
    major_string,
    to_major,
    to_minor,
)


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "expected"),
    [
        (123456, "USD", "en_US", "$1,234.56"),
        (1999, "USD", "de_DE", "19,99\xa0$"),
        (123456, "EUR", "de_DE", "1.234,56\xa0€"),
        (123456, "EUR", "en_IE", "€1,234.56"),
        (123456, "EUR", "fr_FR", "1\u202f234,56\xa0€"),
        (1500, "JPY", "ja_JP", "￥1,500"),
        (1500, "JPY", "en_US", "¥1,500"),
        (12345678, "INR", "en_IN", "₹1,23,456.78"),
        (-500, "USD", "en_US", "-$5.00"),
        (0, "GBP", "en_GB", "£0.00"),
    ],
)
def test_format_money_per_locale(amount, currency, locale, expected):
    assert format_money(amount, currency, locale=locale) == expected


def test_minor_unit_digits_per_currency():
    assert currency_digits("USD") == 2
    assert currency_digits("JPY") == 0
    assert currency_digits("KWD") == 3
    assert to_major(1500, "JPY") == Decimal("1500")
    assert to_major(1500, "USD") == Decimal("15.00")
    assert to_major(12345, "KWD") == Decimal("12.345")
    assert major_string(1999, "USD") == "19.99"
    assert major_string(700, "JPY") == "700"


def test_to_minor_is_exact():
    # 0.1 + 0.2 style amounts that floats get wrong.
    assert to_minor("19.99", "USD") == 1999
    assert to_minor(Decimal("0.29"), "USD") == 29
    assert to_minor("1.10", "EUR") == 110
    assert to_minor("4.35", "INR") == 435
    assert to_minor("1500", "JPY") == 1500
    assert to_minor("12.345", "KWD") == 12345
    for major in ("0.01", "0.07", "1.13", "19.99", "99999.99"):
        assert to_major(to_minor(major, "USD"), "USD") == Decimal(major)


@pytest.mark.parametrize(
    ("value", "currency", "message"),
    [
        ("19.999", "USD", "USD has 2 decimals at most."),
        ("10.5", "JPY", "JPY has no decimals: enter a whole amount."),
        ("ten", "USD", "'ten' is not an amount."),
        ("NaN", "USD", "'NaN' is not an amount."),
    ],
)
def test_to_minor_refuses_what_it_would_round(value, currency, message):
    with pytest.raises(MoneyError, match=message):
        to_minor(value, currency)


def test_active_language_picks_the_locale():
    with translation.override("de"):
        assert format_money(1999, "EUR") == "19,99\xa0€"
    with translation.override("en-us"):
        assert format_money(1999, "EUR") == "€19.99"


def test_template_filter_and_tag():
    html = Template(
        "{% load money %}{{ a|money:'USD' }}|{{ j|money:'JPY' }}|"
        "{% money_in a 'INR' 'en_IN' %}|{{ a|money_major:'USD' }}|"
        "{{ none|money:'USD' }}|{{ a|money:'' }}"
    ).render(Context({"a": 123456, "j": 1500, "none": None}))
    assert html == "$1,234.56|¥1,500|₹1,234.56|1234.56||"


def test_remembered_texts_keep_to_their_amount_currency_and_locale():
    # The texts are remembered per process: asked again in another order, each
    # still answers for its own three values.
    asks = [
        (1999, "EUR", "de_DE"),
        (1999, "EUR", "en_US"),
        (1999, "USD", "en_US"),
        (2000, "USD", "en_US"),
        ("1999", "EUR", "de_DE"),
    ]
    first = [format_money(a, c, locale=loc) for a, c, loc in asks]
    again = [format_money(a, c, locale=loc) for a, c, loc in reversed(asks)]
    assert first == ["19,99\xa0€", "€19.99", "$19.99", "$20.00", "19,99\xa0€"]
    assert again == list(reversed(first))
    with translation.override("de"):
        assert format_money(1999, "USD") == "19,99\xa0$"
    assert format_money(1999, "USD") == "$19.99"
