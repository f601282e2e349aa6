"""Identity and roles: one user table, role flags decide what a user may do."""

from __future__ import annotations

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    Group,
    PermissionsMixin,
)
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone

SELLERS_GROUP = "Sellers"
MARKETERS_GROUP = "Marketers"


def normalize_email_address(email: str) -> str:
    """The stored form of an e-mail: trimmed and lower-cased as a whole.

    Mailbox names are case-sensitive in theory but never in practice, and treating
    ``Foo@X.com`` and ``foo@x.com`` as two accounts only produces support tickets.
    """
    return (email or "").strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email=normalize_email_address(username))

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalize_email_address(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if not (extra["is_staff"] and extra["is_superuser"]):
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account; customer, seller and staff are flags, not tables."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField("full name", max_length=150, blank=True)
    is_customer = models.BooleanField(
        "customer",
        default=True,
        help_text="Can buy products and use the account panel.",
    )
    is_seller = models.BooleanField(
        "seller",
        default=False,
        help_text="Sells products: enters the admin through the Sellers group.",
    )
    is_marketer = models.BooleanField(
        "marketer",
        default=False,
        help_text="Builds the home page and landing pages: enters the admin "
        "through the Marketers group.",
    )
    is_staff = models.BooleanField(
        "staff", default=False, help_text="Runs the store; sees every seller's data."
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Unticking this blocks sign-in."
    )
    email_verified = models.BooleanField("e-mail verified", default=False)
    verification_sent_at = models.DateTimeField(
        "verification e-mail sent at",
        null=True,
        blank=True,
        editable=False,
        help_text="When the last verification link went out; throttles resending.",
    )
    date_joined = models.DateTimeField("date joined", default=timezone.now)
    product_update_emails = models.BooleanField(
        "e-mail me about new releases",
        default=True,
        help_text="Off: no update e-mails about any product bought (each e-mail "
        "also has a one-click unsubscribe for its product).",
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            # The column is stored lower-cased already; the functional index also
            # holds against rows written around save() (bulk updates, raw SQL).
            models.UniqueConstraint(
                Lower("email"), name="accounts_user_email_ci_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email_address(self.email)

    def save(self, *args, **kwargs) -> None:
        self.email = normalize_email_address(self.email)
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.sync_role_groups()

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split() or [self.email])[0]

    @property
    def display_name(self) -> str:
        return self.get_full_name()

    def sync_role_groups(self) -> None:
        """Keep membership of the role groups in line with the flags: the Sellers
        group with ``is_seller``, the Marketers group with ``is_marketer``."""
        for name, member in (
            (SELLERS_GROUP, self.is_seller),
            (MARKETERS_GROUP, self.is_marketer),
        ):
            group = Group.objects.filter(name=name).first()
            if group is None:
                group = ensure_role_group(name)
            if member:
                self.groups.add(group)
            else:
                self.groups.remove(group)


def ensure_sellers_group() -> Group:
    return ensure_role_group(SELLERS_GROUP)


def ensure_marketers_group() -> Group:
    return ensure_role_group(MARKETERS_GROUP)


def ensure_role_group(name: str) -> Group:
    """A role's group with the permission to enter the Wagtail admin (what else
    it may do there is granted by the app that owns the work: catalog for
    sellers, marketing for marketers)."""
    from django.contrib.auth.models import Permission

    group, _ = Group.objects.get_or_create(name=name)
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if access_admin is not None:
        group.permissions.add(access_admin)
    return group


class SellerApplicationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class SellerApplication(models.Model):
    """A customer asking to sell; staff approve (they become a seller) or decline."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="seller_applications"
    )
    seller_name = models.CharField(
        "name you sell under",
        max_length=120,
        help_text="Shown to buyers, e.g. your name or your studio's.",
    )
    offer = models.TextField(
        "what you sell",
        max_length=2000,
        help_text="The digital products you want to sell: kind, topics, formats.",
    )
    status = models.CharField(
        max_length=16,
        choices=SellerApplicationStatus.choices,
        default=SellerApplicationStatus.PENDING,
        db_index=True,
    )
    decision_note = models.TextField(
        "note to the applicant",
        blank=True,
        help_text="Sent with the decision (why it was declined, what to do next).",
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="accounts_one_pending_seller_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seller_name} ({self.user}, {self.get_status_display()})"


from .magic_links import MagicLink  # noqa: E402, F401
