"""Every admin URL, generated from the URL conf, filled with one seller's object ids.

``admin_urls(world)`` walks Django's resolver under ``/admin/`` (so a view Wagtail or
an app adds later is walked too), works out which kind of object each URL argument
names (from the view's ``model`` or the argument's name) and fills it with the ids
of that kind from ``world``. Arguments it cannot place get every id of the world,
so an unknown view is tried against each of the seller's objects.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Page, Revision

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from catalog.tests.helpers import make_image
from commerce.downloads.models import DownloadEvent, DownloadEventKind
from commerce.models import WebhookEvent
from commerce.tests.factories import PaidOrderFactory, PurchasedProductFactory
from shortlinks.tests.factories import ShortLinkFactory
from support.models import SupportRequest

# Arguments named like this hold an object of the kind on the right.
ARG_KINDS = {
    "page_id": Page,
    "parent_page_id": Page,
    "page_to_move_id": Page,
    "destination_id": Page,
    "page_pk": Page,
    "image_id": "image",
    "document_id": "document",
    "doc_id": "document",
    "revision_id": Revision,
    "revision_id_a": Revision,
    "revision_id_b": Revision,
}


# Wagtail's deliberate 500 ("failwhale", superusers only) tests error pages; the
# logout view signs the walker out (every URL after it would be walked anonymous).
SKIPPED_NAMES = {"wagtailadmin_error_test", "wagtailadmin_logout"}


@dataclass
class SellerWorld:
    """One seller's objects of every kind, and the strings that identify them."""

    seller: object
    ids: dict = field(default_factory=dict)  # model class -> [pk, ...]
    secrets: list[str] = field(default_factory=list)

    def add(self, obj, *secrets: str) -> None:
        model = obj._meta.concrete_model
        self.ids.setdefault(model, []).append(obj.pk)
        self.secrets.extend(s for s in secrets if s)

    def ids_for(self, model) -> list:
        if model == "image":
            model = get_image_model()
        elif model == "document":
            model = get_document_model()
        found = []
        for known, pks in self.ids.items():
            if issubclass(known, model) or issubclass(model, known):
                found.extend(pks)
        return found

    @property
    def all_ids(self) -> list:
        return sorted({pk for pks in self.ids.values() for pk in pks})


def seller_world(seller, tag: str) -> SellerWorld:
    """Products (live and draft), media, sales, support and links of ``seller``."""
    world = SellerWorld(seller=seller)
    world.secrets.append(seller.email)
    live = ProductPageFactory(seller=seller, title=f"{tag} Live Kit")
    draft = ProductPageFactory(seller=seller, title=f"{tag} Secret Draft", live=False)
    for page in (live, draft):
        world.add(page.page_ptr, page.title)
        for revision in page.revisions.all():
            world.add(revision)
    image = make_image(title=f"{tag} Private Image")
    image.uploaded_by_user = seller
    image.save()
    world.add(image, image.title)
    # As the admin's upload logs it: the site-history report lists such entries.
    log(image, "wagtail.create", user=seller)
    document = get_document_model()(title=f"{tag} Private Doc", uploaded_by_user=seller)
    document.file.save(f"{tag.lower()}.txt", ContentFile(b"notes"), save=True)
    world.add(document, document.title)
    buyer = UserFactory(email=f"{tag.lower()}-buyer@example.com")
    purchase = PurchasedProductFactory(order=PaidOrderFactory(user=buyer, product=live))
    world.add(purchase.order, buyer.email)
    world.add(purchase)
    world.add(
        DownloadEvent.objects.create(
            kind=DownloadEventKind.ISSUED,
            user=buyer,
            product=live,
            file_name="kit.zip",
            file_version="1.0",
            ip_address="198.51.100.7",
        )
    )
    world.add(
        SupportRequest.objects.create(
            customer=buyer,
            product=live,
            purchase=purchase,
            subject=f"{tag} support subject",
            message="Help me please",
        ),
        f"{tag} support subject",
    )
    world.add(
        ShortLinkFactory(owner=seller, slug=f"{tag.lower()}-link"),
        f"{tag.lower()}-link",
    )
    world.add(
        WebhookEvent.objects.create(
            webhook_id=f"wh_{tag.lower()}",
            event_type="payment.succeeded",
            body=f'{{"customer": "{buyer.email}"}}',
            order=purchase.order,
            dodo_payment_id=purchase.order.dodo_payment_id,
        )
    )
    return world


def _walk(patterns, prefix="", namespace=None, keys=()):
    for entry in patterns:
        pattern = entry.pattern
        names = list(getattr(pattern, "converters", {}) or pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(
                entry.url_patterns, prefix + str(pattern), ns, keys + tuple(names)
            )
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield prefix + str(pattern), name, entry, keys + tuple(names)


def _view_model(entry: URLPattern):
    callback = entry.callback
    initkwargs = getattr(callback, "view_initkwargs", {}) or {}
    model = initkwargs.get("model") or getattr(
        getattr(callback, "view_class", None), "model", None
    )
    if model is None and initkwargs.get("model_admin") is not None:
        model = initkwargs["model_admin"].model
    return (
        model if isinstance(model, type) and issubclass(model, models.Model) else None
    )


def _model_labels(world: SellerWorld) -> list[tuple[str, str]]:
    labels = {(m._meta.app_label, m._meta.model_name) for m in world.ids}
    labels.add(("catalog", "productpage"))
    return sorted(labels)


def _values(world: SellerWorld, entry, arg: str, model):
    if arg in ARG_KINDS:
        return world.ids_for(ARG_KINDS[arg]) or [0]
    if arg in ("pk", "instance_pk", "object_id", "id"):
        if model is not None:
            ids = world.ids_for(model)
            if ids:
                return ids
            first = model._default_manager.order_by("pk").values_list("pk", flat=True)
            return list(first[:1]) or [1]
        return world.all_ids
    return None  # not an id: filled from the model labels below


def admin_urls(world: SellerWorld, *, prefix: str = "admin/") -> list[str]:
    """Every GET-able admin URL filled with the ids of ``world``'s objects."""
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    # The registry fills itself on first use: make the walk the same in any order.
    bulk_action_registry.get_bulk_actions_for_model("wagtailcore", "page")
    urls: set[str] = set()
    labels = _model_labels(world)
    for route, name, entry, keys in _walk(get_resolver().url_patterns):
        if not route.startswith(prefix) or name in SKIPPED_NAMES:
            continue
        model = _view_model(entry)
        if name == "wagtail_bulk_action":
            for app_label, models_ in bulk_action_registry.actions.items():
                for model_name, actions in models_.items():
                    for action in actions:
                        ct_model = ContentType.objects.get_by_natural_key(
                            app_label, model_name
                        ).model_class()
                        ids = world.ids_for(ct_model) or world.all_ids
                        query = "&".join(f"id={pk}" for pk in ids)
                        base = reverse(name, args=[app_label, model_name, action])
                        urls.add(f"{base}?{query}&next=/admin/")
            continue
        choices = []
        for arg in keys:
            values = _values(world, entry, arg, model)
            choices.append(values)
        label_args = [k for k, v in zip(keys, choices, strict=True) if v is None]
        label_options = labels if label_args else [None]
        for label in label_options:
            filled = []
            for arg, values in zip(keys, choices, strict=True):
                if values is not None:
                    filled.append(values)
                elif "model" in arg:
                    filled.append([label[1]])
                elif arg in ("app_label", "app_name", "content_type_app_name"):
                    filled.append([label[0]])
                else:
                    filled.append(["x"])
            for combo in itertools.islice(itertools.product(*filled), 12):
                try:
                    urls.add(reverse(name, kwargs=dict(zip(keys, combo, strict=True))))
                except NoReverseMatch:
                    continue
    return sorted(urls)


def listing_search_urls(urls: list[str], term: str) -> list[str]:
    """The argument-free listings again, searched for ``term``."""
    return [f"{url}?q={term}" for url in urls if "?" not in url]
