"""Let the Sellers group manage short links (their own: see permissions.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_shortlink", "change_shortlink", "delete_shortlink", "view_shortlink"]


def grant(apps, schema_editor):
    # Permissions normally appear in post_migrate, after this migration has run.
    app_config = apps.get_app_config("shortlinks")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Sellers")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="shortlinks", codename__in=CODENAMES
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Sellers").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="shortlinks", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("shortlinks", "0001_initial"),
        ("accounts", "0002_sellers_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
