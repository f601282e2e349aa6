"""Money as people read it: the one place amounts are turned into text and back.

Amounts are stored and sent to Dodo as integers in the currency's minor units
(1999 USD cents, 1500 yen). How many minor-unit digits a currency has, how it is
written (symbol, grouping, decimal mark) and in which order come from CLDR through
Babel, in the active locale (Django's language, ``settings.LANGUAGE_CODE`` outside a
request). Conversions go through ``Decimal`` so no amount is ever rounded by a float.
Templates use the ``money`` filter (``{% load money %}``) that calls ``format_money``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision
from django.conf import settings
from django.utils import translation


class MoneyError(ValueError):
    """An amount that cannot be written in a currency's minor units."""


def currency_digits(currency: str) -> int:
    """Minor-unit digits of ``currency``: 2 for USD and EUR, 0 for JPY."""
    return get_currency_precision(currency.upper())


def to_major(amount_minor: int, currency: str) -> Decimal:
    """``1999, "USD"`` -> ``Decimal("19.99")``; ``1500, "JPY"`` -> ``Decimal(1500)``."""
    digits = currency_digits(currency)
    return (
        Decimal(int(amount_minor)).scaleb(-digits).quantize(Decimal(1).scaleb(-digits))
    )


def to_minor(amount_major: Decimal | str | int, currency: str) -> int:
    """``Decimal("19.99"), "USD"`` -> ``1999``; refuses what has no exact minor units.

    Raises ``MoneyError`` for a value that is not a number or has more decimals than
    the currency has (``19.999`` USD, ``10.5`` JPY): rounding it silently would
    charge another amount than the one the seller typed.
    """
    try:
        value = Decimal(str(amount_major).strip())
    except InvalidOperation as err:
        raise MoneyError(f"{amount_major!r} is not an amount.") from err
    if not value.is_finite():
        raise MoneyError(f"{amount_major!r} is not an amount.")
    digits = currency_digits(currency)
    minor = value.scaleb(digits)
    if minor != minor.to_integral_value():
        if digits == 0:
            raise MoneyError(f"{currency} has no decimals: enter a whole amount.")
        raise MoneyError(f"{currency} has {digits} decimals at most.")
    return int(minor)


def money_locale(locale: str | None = None) -> str:
    """A Babel locale name for ``locale`` or the active language (en-us: en_US)."""
    return _babel_locale(locale or translation.get_language() or settings.LANGUAGE_CODE)


@lru_cache(maxsize=256)
def _babel_locale(name: str) -> str:
    try:
        return str(Locale.parse(name.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return str(Locale.parse(settings.LANGUAGE_CODE.replace("-", "_")))


def format_money(
    amount_minor: int | None, currency: str, *, locale: str | None = None
) -> str:
    """``1999, "USD"`` -> ``"$19.99"`` (en-US); ``1999, "EUR", locale="de_DE"`` ->
    ``"19,99 €"``; ``1500, "JPY"`` -> ``"¥1,500"``. ``None`` gives ``""``."""
    if amount_minor is None or amount_minor == "":
        return ""
    currency = (currency or "").upper()
    if not currency:
        raise MoneyError("An amount needs its currency.")
    return _formatted(int(amount_minor), currency, money_locale(locale))


# A shop shows the same few prices over and over (every card of a listing, every
# row of the orders), and Babel parses its pattern and walks CLDR for each call:
# a card's price cost ~0.4 ms. The text depends only on these three values.
@lru_cache(maxsize=4096)
def _formatted(amount_minor: int, currency: str, locale: str) -> str:
    return format_currency(to_major(amount_minor, currency), currency, locale=locale)


def major_string(amount_minor: int, currency: str) -> str:
    """The plain decimal for machines (schema.org, CSV): 1999 USD -> ``19.99``."""
    return str(to_major(amount_minor, currency))
