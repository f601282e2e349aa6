"""Reactions to Wagtail's page events for products."""

from wagtail.signals import page_published

from .models import ProductPage
from .releases.services import product_releases_apply


def product_published(sender, instance: ProductPage, revision, **kwargs) -> None:
    """The newest live release becomes the current file; the badge follows its date."""
    _keep_release_ids(instance, revision)
    product_releases_apply(product=instance)


def _keep_release_ids(instance: ProductPage, revision) -> None:
    """Write the ids the publish gave new releases back into the revision.

    Wagtail keeps a revision's content as it was saved, where a release added in it
    has no id; the next edit starts from that revision, so every later publish
    would recreate the release under a new id, breaking links to it.
    """
    if revision is None:
        return
    latest = (
        ProductPage.objects.filter(pk=instance.pk)
        .values_list("latest_revision_id", flat=True)
        .first()
    )
    if latest != revision.pk:
        return  # a newer draft exists; it was made from the live rows' state
    releases = instance.serializable_data().get("releases", [])
    if revision.content.get("releases") != releases:
        revision.content["releases"] = releases
        revision.save(update_fields=["content"])


def connect() -> None:
    page_published.connect(
        product_published, sender=ProductPage, dispatch_uid="catalog_product_published"
    )
