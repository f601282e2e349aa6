"""What the marketing roles may do, set up in the database.

* the **Marketers** group (its members are the users flagged ``is_marketer``;
  ``accounts`` keeps membership in line): enter the admin; add, edit and
  publish pages under the home page (``access.policy`` narrows that to the home
  page and landing pages, and takes publishing away where a review workflow
  applies); add, edit, delete and choose images and documents in the
  **Marketing** collection; view (and export) newsletter subscribers;
* the **Marketing leads** group: the same, and they approve landing pages in
  the review workflow (staff add marketers to it in the admin).

Written against an app registry so the data migration (historical models) and
the runtime twin (``ensure_marketing_setup``: after a test database flush and in
``seed_demo``) run the same code.
"""

from __future__ import annotations

from access.policy import MARKETING_COLLECTION
from accounts.models import MARKETERS_GROUP

MARKETING_LEADS_GROUP = "Marketing leads"

PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
MEDIA_ACTIONS = ("add", "change", "delete", "choose")
MEDIA_PERMISSIONS = (
    ("wagtailimages", "image", tuple(f"{a}_image" for a in MEDIA_ACTIONS)),
    ("wagtaildocs", "document", tuple(f"{a}_document" for a in MEDIA_ACTIONS)),
)
MODEL_PERMISSIONS = (
    ("wagtailadmin", "admin", "access_admin"),
    ("newsletter", "subscriber", "view_subscriber"),
)

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def next_child_path(model, parent) -> str:
    """The materialised path of a new last child of ``parent`` (treebeard's
    numbering, which historical models cannot compute themselves)."""
    last = (
        model.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    step = int(last[-STEPLEN:], 36) + 1 if last else 1
    digits = ""
    while step:
        step, rest = divmod(step, 36)
        digits = ALPHABET[rest] + digits
    return parent.path + digits.rjust(STEPLEN, "0")


def permission(apps, app_label: str, model: str, codename: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label=app_label, model=model
    )
    found, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return found


def marketing_collection(apps):
    """The Marketing collection under the root collection (made if missing)."""
    Collection = apps.get_model("wagtailcore", "Collection")
    found = Collection.objects.filter(name=MARKETING_COLLECTION, depth=2).first()
    if found is not None:
        return found
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return None
    collection = Collection.objects.create(
        name=MARKETING_COLLECTION,
        path=next_child_path(Collection, root),
        depth=2,
        numchild=0,
    )
    Collection.objects.filter(pk=root.pk).update(numchild=root.numchild + 1)
    return collection


def grant_marketing_permissions(apps) -> None:
    """Create both groups (if missing) and grant them what marketers do."""
    Group = apps.get_model("auth", "Group")
    HomePage = apps.get_model("home", "HomePage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    home = HomePage.objects.order_by("pk").first()
    collection = marketing_collection(apps)
    for name in (MARKETERS_GROUP, MARKETING_LEADS_GROUP):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, codename in MODEL_PERMISSIONS:
            group.permissions.add(permission(apps, app_label, model, codename))
        if home is not None:
            for codename in PAGE_PERMISSIONS:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page_id=home.pk,
                    permission=permission(apps, "wagtailcore", "page", codename),
                )
        if collection is not None:
            for app_label, model, codenames in MEDIA_PERMISSIONS:
                for codename in codenames:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group,
                        collection=collection,
                        permission=permission(apps, app_label, model, codename),
                    )


def revoke_marketing_permissions(apps) -> None:
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[MARKETERS_GROUP, MARKETING_LEADS_GROUP]).delete()
    Collection = apps.get_model("wagtailcore", "Collection")
    collection = Collection.objects.filter(
        name=MARKETING_COLLECTION, depth=2, numchild=0
    ).first()
    if collection is not None:
        root = Collection.objects.get(path=collection.path[:STEPLEN])
        collection.delete()
        Collection.objects.filter(pk=root.pk).update(numchild=root.numchild - 1)


def ensure_marketing_setup() -> None:
    """Runtime twin of the data migrations (after a flush, and in ``seed_demo``)."""
    from django.apps import apps

    grant_marketing_permissions(apps)
    ensure_review_workflows(apps)


# ---------------------------------------------------------------- review workflows
LANDING_WORKFLOW = "Landing page review"
LANDING_TASK = "Marketing lead approval"
PRODUCT_WORKFLOW = "Product review"
PRODUCT_TASK = "Staff approval"
# Wagtail's own moderators group (its initial data): staff who review products.
PRODUCT_REVIEWERS_GROUP = "Moderators"


def _workflow(apps, *, name: str, task_name: str, group_name: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=task_name).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=task_name, content_type=content_type, active=True
        )
        group, _ = Group.objects.get_or_create(name=group_name)
        task.groups.add(group)
    workflow = Workflow.objects.filter(name=name).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=name, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def ensure_review_workflows(apps) -> None:
    """ "Landing page review" (Marketing leads approve; superusers may too) on the
    home page, so on every landing page under it; "Product review" (staff in
    Moderators) on the product index, applied only when
    ``settings.SELLER_PRODUCT_WORKFLOW`` is on (``catalog.OptionalWorkflowPage``).
    A page already given a workflow by staff keeps it."""
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    HomePage = apps.get_model("home", "HomePage")
    ProductIndexPage = apps.get_model("catalog", "ProductIndexPage")
    landing = _workflow(
        apps, name=LANDING_WORKFLOW, task_name=LANDING_TASK,
        group_name=MARKETING_LEADS_GROUP,
    )  # fmt: skip
    products = _workflow(
        apps, name=PRODUCT_WORKFLOW, task_name=PRODUCT_TASK,
        group_name=PRODUCT_REVIEWERS_GROUP,
    )  # fmt: skip
    for model, workflow in ((HomePage, landing), (ProductIndexPage, products)):
        page = model.objects.order_by("pk").first()
        if page is not None:
            WorkflowPage.objects.get_or_create(
                page_id=page.pk, defaults={"workflow": workflow}
            )


def remove_review_workflows(apps) -> None:
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow.objects.filter(name__in=[LANDING_WORKFLOW, PRODUCT_WORKFLOW]).delete()
    Task.objects.filter(name__in=[LANDING_TASK, PRODUCT_TASK]).delete()
