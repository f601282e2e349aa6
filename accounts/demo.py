"""Demo accounts: one staff admin, one seller, one marketer, one customer."""

from dataclasses import dataclass

from .models import User


@dataclass(frozen=True)
class DemoUser:
    email: str
    password: str
    full_name: str
    role: str


ADMIN = DemoUser("admin@example.com", "demo-admin-pass", "Ada Admin", "staff admin")
SELLER = DemoUser("seller@example.com", "demo-seller-pass", "Sam Seller", "seller")
MARKETER = DemoUser(
    "marketer@example.com", "demo-marketer-pass", "Mia Marketer", "marketer"
)
CUSTOMER = DemoUser(
    "customer@example.com", "demo-customer-pass", "Cleo Customer", "customer"
)


def _ensure(demo: DemoUser, **flags) -> User:
    user = User.objects.filter(email=demo.email).first()
    if user is None:
        user = User(email=demo.email)
    user.full_name = demo.full_name
    user.email_verified = True
    user.is_active = True
    for name, value in flags.items():
        setattr(user, name, value)
    # Reset the password each run so the printed credentials always work.
    user.set_password(demo.password)
    user.save()
    return user


def seed(out) -> None:
    _ensure(ADMIN, is_staff=True, is_superuser=True, is_customer=True)
    _ensure(SELLER, is_seller=True, is_customer=True)
    _ensure(MARKETER, is_marketer=True, is_customer=True)
    _ensure(CUSTOMER, is_customer=True)
    out.write(
        "Demo accounts: admin, seller, marketer and customer (credentials below)."
    )


def credentials(out) -> None:
    """Print the demo sign-ins (the seed command ends with them)."""
    out.write("Demo accounts (e-mail / password):")
    for demo in (ADMIN, SELLER, MARKETER, CUSTOMER):
        out.write(f"  {demo.role:<12} {demo.email} / {demo.password}")
