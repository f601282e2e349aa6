"""The billing countries Dodo accepts: the SDK's ``CountryCode`` list."""

from __future__ import annotations

from functools import cache
from typing import get_args

from dodopayments.types.country_code import CountryCode


@cache
def billing_country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes Dodo takes in ``billing_address.country``."""
    return frozenset(get_args(CountryCode))
