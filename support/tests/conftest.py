import pytest

from accounts.tests.factories import SellerFactory, UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.tests.factories import PaidOrderFactory, PurchasedProductFactory

from .fake_telegram import FakeBotApi


@pytest.fixture
def seller(db):
    return SellerFactory(email="seller@example.com")


@pytest.fixture
def customer(db):
    return UserFactory(email="customer@example.com")


@pytest.fixture
def product(seller):
    return ProductPageFactory(seller=seller, title="Theme Kit")


@pytest.fixture
def purchase(customer, product):
    return PurchasedProductFactory(
        order=PaidOrderFactory(user=customer, product=product)
    )


@pytest.fixture
def fake_bot_api(settings):
    """A local Telegram Bot API on 127.0.0.1 that python-telegram-bot talks to."""
    server = FakeBotApi()
    server.start()
    settings.TELEGRAM_BOT_TOKEN = "123456:TEST-token"
    settings.TELEGRAM_API_BASE_URL = f"{server.url}/bot"
    settings.TELEGRAM_CHAT_ID = "-100200300"
    yield server
    server.stop()
